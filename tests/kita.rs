//! The real site of this repository (site.toml and content/: Kita ward's FY2016 report) checked
//! against its source, the text extracted from the ward's PDF (published with the site as
//! `static/sources/000_85259be54825a867.txt`): what the pages and the data say must be what the
//! source prints. Line numbers below are lines of that text.

mod common;

use common::{Files, TestSite, cells, element_by_id, text};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The real site rendered once in memory.
static SITE: LazyLock<Files> = LazyLock::new(|| TestSite::at(env!("CARGO_MANIFEST_DIR")).render());

const REPORT: &str = "osaka/kita/2016/";

fn site() -> &'static Files {
    &SITE
}

/// The report's data rows for an indicator (record type and value column as given).
fn rows(indicator: &str, record_type: &str, column: &str) -> BTreeMap<String, String> {
    let all = site().csv("osaka/kita/2016/data.csv");
    let found: Vec<_> = all
        .into_iter()
        .filter(|r| r["indicator_id"] == indicator && r["record_type"] == record_type && r["value_column"] == column)
        .collect();
    assert_eq!(found.len(), 1, "{indicator} {record_type} {column}: {found:#?}");
    found.into_iter().next().unwrap()
}

/// The indicator card `<article id="{id}">` of a page, as text.
fn card(page: &str, id: &str) -> String {
    text(&element_by_id(&site().main(page), id).unwrap_or_else(|| panic!("no card id={id} on {page}")))
}

#[test]
fn the_counts_are_the_ratings_the_source_prints() {
    // 13 Ａ and 3 Ｂ: one 「Ｂ」 for 「保育所待機児童数ゼロ、入所保留児童数ゼロ」 (lines 2185-2186,
    // 2207-2208, 2218), recorded as two indicators, is one rating.
    let report = text(&site().main(REPORT));
    assert!(report.contains("目標全体で A（順調）8件・B（順調でない）0件、指標ごとに A 13件・B 3件"), "{report}");
    let ward = site().main("osaka/kita/");
    let row = ward.split("<tr>").find(|r| r.contains("平成28年度")).expect("the FY2016 row");
    assert_eq!(cells(row)[3..], ["8", "0", "13", "3"], "{row}");
    let card = card("osaka/kita/2016/goals/2-5/", "goal-2-5-kita-nyusho-horyu-jido");
    assert!(card.contains("評価は「保育所待機児童数」と合わせて1つ"), "{card}");
    let r = rows("kita-nyusho-horyu-jido", "outcome", "this_year");
    assert_eq!((r["rating"].as_str(), r["rating_shared_with"].as_str()), ("B", "kita-hoikusho-taiki-jido"));
}

#[test]
fn withdrawal_criteria_stated_as_numbers_have_their_comparator_and_value() {
    // 【1-3-1】「アンケートの数値が30％未満であった場合」 (lines 448-449): both its indicators.
    // 【2-2-1】「…5地域未満の場合、…20％未満の場合、…15施設以下の場合」 (lines 1773-1777): one each.
    for (initiative, indicator, comparator, value) in [
        ("1-3-1", "kita-nigiwai-kaiyusei-kiyo", "below", "30"),
        ("1-3-1", "kita-joho-hasshin-koka", "below", "30"),
        ("2-2-1", "kita-hinanjo-kaisetsu-kunren-chiiki", "below", "5"),
        ("2-2-1", "kita-bosai-bichikuhin-juujitsu", "below", "20"),
        ("2-2-1", "kita-ichiji-hinanjo-tsunami-hinan-biru", "at_most", "15"),
    ] {
        let r = rows(indicator, "initiative_indicator", "this_year");
        assert_eq!(r["initiative_id"], initiative);
        assert_eq!(
            (r["withdrawal_comparator"].as_str(), r["withdrawal_value"].as_str()),
            (comparator, value),
            "{indicator}"
        );
    }
    // The card draws the threshold; the page prints the one sentence once.
    let page = format!("{REPORT}initiatives/2-2-1/");
    let card = card(&page, "indicator-kita-ichiji-hinanjo-tsunami-hinan-biru");
    assert!(card.contains("撤退基準 15施設"), "{card}");
    assert_eq!(site().main(&page).matches("15施設以下の場合、事業を再構築する。").count(), 1);
}

#[test]
fn a_dash_for_withdrawal_is_no_criterion() {
    // 【様式3 取組項目1】 prints 「―」 in the 撤退基準 column (line 2495).
    let page = text(&site().main(&format!("{REPORT}initiatives/yoshiki3-1/")));
    assert!(page.contains("撤退基準 記載なし（原資料は「―」）"), "{page}");
    let r = rows("kita-chosha-denki-shiyoryo-sakugen", "initiative_indicator", "this_year");
    assert_eq!((r["withdrawal_text"].as_str(), r["withdrawal_comparator"].as_str()), ("", ""));
    assert!(r["note"].contains("撤退基準：記載なし（原資料は「―」）"), "{r:?}");
}
