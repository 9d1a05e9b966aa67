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
