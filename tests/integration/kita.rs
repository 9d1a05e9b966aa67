//! The real site of this repository (site.toml and content/: Kita ward's FY2016 report) checked
//! against its source, the text extracted from the ward's PDF (published with the site as
//! `static/sources/000_85259be54825a867.txt`): what the pages and the data say must be what the
//! source prints. Line numbers below are lines of that text.

use crate::common::{Files, TestSite, cells, element_by_id, text};
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

/// Every target of the report as the data gives it: (goal or initiative, indicator, comparator,
/// value, the text exactly as the source prints it). Line numbers of the source text beside each.
const TARGETS: &[(&str, &str, &str, &str, &str)] = &[
    // City-wide indicators: the policy column's own wording (policy.toml; lines 78-79, 87-88,
    // 189-190, 2046-2047, 2049-2050).
    ("1-1", "jiritsu-chiiki-unei", "at_least", "50", "H29年度までに50％以上"),
    ("1-1", "chukan-shien-soshiki", "at_least", "50", "H29年度までに50％以上"),
    ("1-3", "koiki-machizukuri-kyodo", "at_least", "50", "H29年度までに50％以上"),
    ("1-3", "kita-miryoku-joho-hasshin", "at_least", "50", "平成29年度末までに50％以上"), // 206-208
    ("2-2", "kita-jishu-hinanjo-kaisetsu-kunren", "reach", "100", "平成29年度末までに100％"), // 1562-1564
    ("2-2", "kita-hinanjo-kino-juujitsu", "at_least", "60", "平成29年度末までに60％以上"), // 1565-1566
    ("2-3", "kita-csw-shien-kensu", "reach", "60", "平成29年度末までに各地域平均60件"),   // 1457-1461
    ("2-4", "kita-shochiiki-fukushi-jissen", "at_least", "80", "平成30年度末において、80％以上"), // 2122-2125
    ("2-4", "kita-shochiiki-fukushi-keikaku-sakutei", "", "", ""), // 2134: a value without a target
    ("2-5", "kita-hoikusho-taiki-jido", "zero", "0", "保育所待機児童数ゼロ"), // 2185
    ("2-5", "kita-nyusho-horyu-jido", "zero", "0", "入所保留児童数ゼロ"), // 2185-2186
    ("2-5", "kita-kosodate-shien-manzoku", "at_least", "80", "平成29年度末において、80％以上"), // 2187-2191
    ("4-1", "kita-iken-yobo-hanei-doryoku", "at_least", "60", "平成29年度までに60％以上"), // 1509-1512
    ("4-1", "kita-joho-hasshin-juubun", "at_least", "60", "平成29年度までに60％以上"), // 1513-1517
    ("4-1", "kita-mijika-madoguchi-taio", "at_least", "80", "平成29年度までに80％以上"), // 1998-2002
    ("4-2", "madoguchi-otai", "at_least", "80", "H29年度までに80％以上"),
    ("4-2", "fukumen-chosa-tensu", "at_least", "3.5", "H29年度までに3.5点以上"),
    // 1-1-1: lines 369-372
    (
        "1-1-1",
        "kita-bosai-kunren-sankasha",
        "increase_on_previous",
        "",
        "地域活動協議会主催行事の参加者を前年度同行事に比べ増やす。",
    ),
    ("1-3-1", "kita-nigiwai-kaiyusei-kiyo", "at_least", "50", "平成28年度末までに50％以上"), // 440-446
    ("1-3-1", "kita-joho-hasshin-koka", "at_least", "50", "平成28年度末までに50％以上"),
    ("2-2-1", "kita-hinanjo-kaisetsu-kunren-chiiki", "at_least", "6", "避難所開設訓練等実施：6地域以上"), // 1767
    ("2-2-1", "kita-bosai-bichikuhin-juujitsu", "at_least", "60", "28年度末までに60％以上"),              // 1768-1770
    ("2-2-1", "kita-ichiji-hinanjo-tsunami-hinan-biru", "at_least", "18", "一時避難所、津波避難ビル登録：18施設以上"), // 1770-1771
    ("2-2-2", "kita-bosai-keikaku-jijo-kyojo-kojo", "at_least", "50", "平成28年度末までに50％以上"), // 1818-1821
    ("2-3-1", "kita-csw-shien-kensu", "at_least", "50", "各地域平均1年間で50件以上"),                // 1866-1870
    // 2-4-1: line 2558-2559
    (
        "2-4-1",
        "kita-shochiiki-fukushi-keikaku-sakutei",
        "at_least",
        "10",
        "区内10地域以上で「小地域福祉活動計画」を策定する。",
    ),
    ("2-5-1", "kita-hoikusho-taiki-jido", "zero", "0", "保育所待機児童数ゼロ。"), // 2510
    ("2-5-1", "kita-nyusho-horyu-jido", "decrease_on_previous", "", "入所保留児童数の減少（前年比）。"), // 2510-2511
    ("2-5-2", "kita-kosodate-shienshitsu-manzokudo", "at_least", "60", "平成28年度末までに60％以上"), // 2346-2349
    // 4-1-2: lines 1709-1711
    (
        "4-1-2",
        "kita-kohoshi-wakariyasui",
        "at_least",
        "60",
        "区民アンケートにおいて、「広報紙の記事の内容がわかりやすい」と感じている区民の割合が60％以上",
    ),
    // 4-2-1: lines 2432-2435
    (
        "4-2-1",
        "kita-madoguchi-kakuzuke-hyokaten",
        "at_least",
        "3.5",
        "評価☆☆（星2つ）・評価点3.5点（5点満点）以上獲得をめざす。",
    ),
    // 様式3: lines 2492-2493
    (
        "yoshiki3-1",
        "kita-chosha-denki-shiyoryo-sakugen",
        "reduction_from_base",
        "35",
        "平成28年度の区庁舎の電気使用量を平成25年度比で約35％の削減",
    ),
];

#[test]
fn every_target_is_recorded_as_the_source_prints_it() {
    let all = site().csv("osaka/kita/2016/data.csv");
    let found: Vec<(String, String, String, String, String)> = all
        .iter()
        .filter(|r| r["value_column"] == "this_year")
        .map(|r| {
            let row = if r["record_type"] == "outcome" { &r["goal_id"] } else { &r["initiative_id"] };
            let cell = |k: &str| r[k].clone();
            (row.clone(), cell("indicator_id"), cell("comparator"), cell("target_value"), cell("target_text"))
        })
        .collect();
    let want: Vec<(String, String, String, String, String)> =
        TARGETS.iter().map(|&(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e.into())).collect();
    assert_eq!(found, want);
}

#[test]
fn a_bare_target_value_is_not_shown_with_ijo() {
    // 「平成29年度末までに100％」 (line 1564) and 「各地域平均60件」 (line 1461): no 以上.
    for (page, id, label) in [
        ("goals/2-2/", "goal-2-2-kita-jishu-hinanjo-kaisetsu-kunren", "100％"),
        ("goals/2-3/", "goal-2-3-kita-csw-shien-kensu", "60件"),
    ] {
        let card = card(&format!("{REPORT}{page}"), id);
        assert!(card.contains(&format!("目標 {label}")), "{card}");
        assert!(card.contains(&format!("平成29年度（2017年度）までに{label}")), "{card}");
        assert!(!card.contains(&format!("{label}以上")), "{card}");
    }
}

#[test]
fn the_source_wording_is_shown_as_printed() {
    // Under 原文 the text as stored, 「H29年度」 as printed (lines 78-79), beside the site's own words.
    let shown = card(&format!("{REPORT}goals/1-1/"), "goal-1-1-jiritsu-chiiki-unei");
    assert!(shown.contains("原文：H29年度までに50％以上"), "{shown}");
    assert!(shown.contains("目標 平成29年度（2017年度）までに50％以上"), "{shown}");
    let shown = card(&format!("{REPORT}goals/2-2/"), "goal-2-2-kita-jishu-hinanjo-kaisetsu-kunren");
    assert!(shown.contains("原文：平成29年度末までに100％"), "{shown}");
}

#[test]
fn every_survey_the_source_gives_stands_behind_its_values() {
    // 区民アンケート, 年1回 (lines 1902-1906): FY2016 「1月 2000人中715人から回答）回収率35.8％」
    // (1925-1926), FY2015 「11月実施（1,500人対象 553人から回答、回答率36.9％）」 (1920-1921).
    let survey = |r: &BTreeMap<String, String>| {
        ["survey_name", "survey_asked", "survey_answered", "survey_response_rate"].map(|k| r[k].clone())
    };
    let jiritsu = |column| rows("jiritsu-chiiki-unei", "outcome", column);
    assert_eq!(survey(&jiritsu("this_year")), ["区民アンケート", "2000", "715", "35.8"]);
    assert_eq!(survey(&jiritsu("previous_year")), ["区民アンケート", "1500", "553", "36.9"]);
    let kohoshi = rows("kita-kohoshi-wakariyasui", "initiative_indicator", "this_year");
    assert_eq!(survey(&kohoshi), ["平成28年度区民アンケート", "2000", "715", "35.8"]);
    // FY2015's value is known from the 前年度 column only: the all-years file carries its survey.
    let observations = site().csv("data/observations.csv");
    let r2015 = observations
        .iter()
        .find(|r| r["indicator_id"] == "jiritsu-chiiki-unei" && r["fiscal_year"] == "2015")
        .expect("FY2015 of jiritsu-chiiki-unei");
    assert_eq!(survey(r2015), ["区民アンケート", "1500", "553", "36.9"]);
    let shown = card(&format!("{REPORT}goals/1-1/"), "goal-1-1-jiritsu-chiiki-unei");
    assert!(shown.contains("調査 区民アンケート、1月、対象 2,000人、回答 715人、回収率 35.8％"), "{shown}");
    assert!(
        shown.contains("調査（前年度の値） 区民アンケート、11月、対象 1,500人、回答 553人、回収率 36.9％"),
        "{shown}"
    );
}

#[test]
fn the_readings_the_transcription_notes_call_ambiguous_are_marked() {
    // The codes of 【2-4-1】 and 【2-5-1】 are printed together at the end of the text (「○」 line
    // 2567, 「①(ⅰ) ○」 2595, 「②（ⅰ）」 2608): they may be swapped.
    let marked = [
        ("2-4-1", "kita-shochiiki-fukushi-keikaku-sakutei"),
        ("2-5-1", "kita-hoikusho-taiki-jido"),
        ("2-5-1", "kita-nyusho-horyu-jido"),
    ];
    let all = site().csv("osaka/kita/2016/data.csv");
    for r in &all {
        let is_marked = marked.iter().any(|(i, m)| r["initiative_id"] == *i && r["indicator_id"] == *m);
        let want = if r["record_type"] == "goal" || r["record_type"] == "initiative" {
            ""
        } else if is_marked {
            "true"
        } else {
            "false"
        };
        assert_eq!(r["uncertain"], want, "{r:?}");
        if is_marked {
            assert!(r["note"].contains("読み取りに不確かさがあります：業績目標の達成状況の記号は"), "{r:?}");
        }
    }
    for (initiative, indicator) in marked {
        let shown = card(&format!("{REPORT}initiatives/{initiative}/"), &format!("indicator-{indicator}"));
        assert!(shown.contains("読み取りに不確かさがあります：業績目標の達成状況の記号は"), "{shown}");
        assert!(shown.contains("入れ替わっている可能性があります"), "{shown}");
    }
    // The goals' outcomes of the same indicators are read without doubt.
    let outcome = card(&format!("{REPORT}goals/2-5/"), "goal-2-5-kita-hoikusho-taiki-jido");
    assert!(!outcome.contains("読み取りに不確かさ"), "{outcome}");
}

// ---- reading problems no automated rule catches (issue 16) --------------------------------

/// Each indicator card's series (from its 「…の推移を見る」 link) and the right end of its
/// progress bar's scale (「20名」), on every page that shows the card.
fn bar_scales() -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for (path, html) in site().html_pages() {
        for card in html.split(r#"<article class="measurement""#).skip(1) {
            let card = card.split("</article>").next().unwrap();
            let Some(scale) = card.split(r#"<p class="bar-scale" aria-hidden="true">"#).nth(1) else { continue };
            let scale = scale.split("</p>").next().unwrap();
            let end = text(scale.rsplit("<span>").next().unwrap()).trim().to_string();
            let series = card.split("/indicators/").nth(1).and_then(|s| s.split('/').next()).expect("a series link");
            found.push((series.to_string(), path.to_string(), end));
        }
    }
    found
}

/// One scale for every bar of an indicator, whatever page shows it: 3名 of 保育所待機児童数 was 75 %
/// of its bar on goal 2-5 and 15 % on initiative 2-5-1 (whose bar also had the withdrawal
/// criterion's 14名 to fit).
#[test]
fn every_bar_of_an_indicator_has_the_same_scale_on_every_page() {
    let scales = bar_scales();
    let mut by_series: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for (series, path, end) in &scales {
        by_series.entry(series).or_default().entry(end).or_default().push(path);
    }
    for (series, ends) in &by_series {
        assert_eq!(ends.len(), 1, "{series}: bars end at different values on different pages: {ends:#?}");
    }
    let taiki = &by_series["kita-hoikusho-taiki-jido"];
    let pages: Vec<&str> = taiki["20名"].clone();
    for page in ["osaka/kita/2016/goals/2-5/index.html", "osaka/kita/2016/initiatives/2-5-1/index.html"] {
        assert!(pages.contains(&page), "{page} not among {pages:?}");
    }
    // The bar itself drawn to that scale: 3名 of 20名 is 45 of the bar's 300 units.
    let card = element_by_id(&site().main("osaka/kita/2016/initiatives/2-5-1/"), "indicator-kita-hoikusho-taiki-jido")
        .unwrap();
    assert!(card.contains(r#"<rect class="fill" x="0" y="15" width="45.0""#), "{card}");
    assert!(card.contains("← 小さいほどよい"), "the good direction shown beside the bar: {card}");
}

/// 入所保留児童数 on 【2-5-1】: the target (前年度より減, 224名) and the withdrawal criterion (224名)
/// are one line; both shapes are drawn, side by side, and one key entry says so.
#[test]
fn coinciding_target_and_withdrawal_are_both_shown() {
    let card =
        element_by_id(&site().main("osaka/kita/2016/initiatives/2-5-1/"), "indicator-kita-nyusho-horyu-jido").unwrap();
    assert!(
        card.contains(r#"<path class="target-mark""#) && card.contains(r#"<rect class="withdrawal-mark""#),
        "{card}"
    );
    assert!(card.contains("over-target"), "{card}");
    assert!(text(&card).contains("◆■ 目標 前年度より減と撤退基準 224名は同じ位置"), "{}", text(&card));
}

/// The approximate box of every `<text>` of an SVG, measured independently of the renderer's
/// own layout: full-width characters 1 em, ASCII 0.6 em, at the narrow-screen size (24 units).
fn svg_text_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
    const SIZE: f64 = 24.0;
    let attr = |tag: &str, name: &str| -> Option<f64> {
        let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[i..].split('"').next()?.trim_end_matches("em").parse().ok()
    };
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_once('>').unwrap();
            let label = rest.split("</text>").next().unwrap().replace("&amp;", "&");
            let width: f64 = label.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>() * SIZE;
            let x = attr(tag, "x").unwrap_or(0.0);
            let y = attr(tag, "y").unwrap_or(0.0) + attr(tag, "dy").unwrap_or(0.0) * SIZE;
            let x0 = if tag.contains(r#"text-anchor="end""#) {
                x - width
            } else if tag.contains(r#"text-anchor="middle""#) {
                x - width / 2.0
            } else {
                x
            };
            (label, [x0, y - 0.88 * SIZE, x0 + width, y + 0.12 * SIZE])
        })
        .collect()
}

/// No two labels of a chart overlap, nor leave it, at the size narrow screens set them: the
/// 待機児童数 chart drew 「14名」 into the value axis's 「15名」.
#[test]
fn no_chart_label_runs_into_another() {
    let mut charts = 0;
    for (path, html) in site().html_pages() {
        let Some(start) = html.find(r#"<svg class="chart""#) else { continue };
        let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
        let (width, height) = {
            let vb = svg.split(r#"viewBox="0 0 "#).nth(1).unwrap().split('"').next().unwrap();
            let mut n = vb.split(' ').map(|v| v.parse::<f64>().unwrap());
            (n.next().unwrap(), n.next().unwrap())
        };
        let boxes = svg_text_boxes(svg);
        for (i, (a, p)) in boxes.iter().enumerate() {
            assert!(
                p[0] >= 0.0 && p[1] >= 0.0 && p[2] <= width && p[3] <= height,
                "{path}: 「{a}」 leaves the chart {p:?}"
            );
            for (b, q) in &boxes[i + 1..] {
                let apart = p[2] + 2.0 <= q[0] || q[2] + 2.0 <= p[0] || p[3] + 2.0 <= q[1] || q[3] + 2.0 <= p[1];
                assert!(apart, "{path}: 「{a}」 {p:?} and 「{b}」 {q:?} overlap");
            }
        }
        charts += 1;
    }
    assert!(charts >= 19, "{charts} charts");
    // The case itself: 「14名」 well clear of 「15名」 (it was 6 units off, touching at 320 px).
    let taiki = site().page("osaka/kita/indicators/kita-hoikusho-taiki-jido/");
    let boxes = svg_text_boxes(&taiki[taiki.find(r#"<svg class="chart""#).unwrap()..]);
    let find = |t: &str| boxes.iter().find(|(l, _)| l == t).unwrap_or_else(|| panic!("no 「{t}」")).1;
    let (value, axis) = (find("14名"), find("15名"));
    let gap = (value[0] - axis[2]).max(axis[1] - value[3]).max(value[1] - axis[3]);
    assert!(gap >= 10.0, "14名 {value:?} is {gap} units from 15名 {axis:?}");
}

/// Every 「…」 the site adds (link text and headings cut short) ends a phrase: 「定期的に避…」 and
/// 「1か…」 read as other words. The text it cut is found in content/ and the cut checked against
/// that text's phrase boundaries.
#[test]
fn no_ellipsis_cuts_a_word() {
    let mut sources = String::new();
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            sources.push_str(&mieruka::text::display(&std::fs::read_to_string(entry.path()).unwrap()));
            sources.push('\n');
        }
    }
    let mut checked = 0;
    for (path, html) in site().html_pages() {
        let shown = text(&html).replace("<wbr>", "");
        for (i, _) in shown.match_indices('…') {
            let before: String = shown[..i].chars().rev().take_while(|c| !c.is_whitespace() && *c != '「').collect();
            let before: String = before.chars().rev().collect();
            let tail: String = before.chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
            if tail.chars().count() < 4 {
                continue;
            }
            // The source string the cut text comes from: the quoted TOML value holding it.
            let Some(at) = sources.find(&tail) else { continue };
            let line_start = sources[..at].rfind(['"', '\n']).map_or(0, |s| s + 1);
            let line_end = at + sources[at..].find(['"', '\n']).unwrap_or(sources.len() - at);
            // (A TOML line ending in 「\」 goes on: the cut is at its end.)
            let source = sources[line_start..line_end].trim_end_matches('\\').trim_end();
            let cut = sources[line_start..at + tail.len()].chars().count();
            if cut >= source.chars().count() || sources[at + tail.len()..].starts_with('…') {
                continue; // 「…」 in the source itself
            }
            let ends = mieruka::text::phrase_ends(source);
            assert!(ends.contains(&cut), "{path}: 「{before}…」 cuts 「{source}」 inside a phrase");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} cut texts found");
}

/// A table region is no Tab stop of its own (nothing may scroll): each row has a link, which
/// takes keyboard focus into it.
#[test]
fn every_scrolling_table_has_a_link_in_each_row() {
    for (path, html) in site().html_pages() {
        for region in html.split(r#"<div class="table-scroll""#).skip(1) {
            let region = region.split("</table>").next().unwrap();
            assert!(!region[..region.find('>').unwrap()].contains("tabindex"), "{path}");
            for row in region.split("<tbody>").nth(1).unwrap().split("<tr").skip(1) {
                assert!(row.contains("<a href="), "{path}: a row without a link: {row}");
            }
        }
    }
}

/// Every indicator of the report has one judgement for FY2016: the same words on its cards
/// (report, goal and initiative pages), in its series table, on the ward page and in the status
/// list that counts it. (A met target without a deadline, e.g. 「広報紙がわかりやすい」 at 74.6％
/// against 60％以上, was 「✓達成」 on the goal page but 「判定対象外」 on the series page.)
#[test]
fn every_page_gives_an_indicator_the_same_judgement() {
    let s = site();
    let report_pages: Vec<String> = s
        .html_paths()
        .into_iter()
        .filter(|p| p.starts_with(REPORT))
        .map(|p| s.main(p.trim_end_matches("index.html")))
        .collect();
    let ward = s.main("osaka/kita/");
    let series: Vec<&str> = s
        .html_paths()
        .into_iter()
        .filter(|p| p.starts_with("osaka/kita/indicators/") && p.matches('/').count() == 4)
        .collect();
    assert!(series.len() > 25, "{series:?}");
    let mut achieved = 0;
    for page in series {
        let path = page.trim_end_matches("index.html");
        let html = s.main(path);
        let status = cells(&element_by_id(&html, "fy2016").unwrap_or_else(|| panic!("{path}: no FY2016")))[4].clone();
        achieved += usize::from(status == "目標達成");
        // Its cards.
        let link = format!("/{path}\"");
        let cards: Vec<&str> = report_pages
            .iter()
            .flat_map(|h| h.split(r#"<article class="measurement""#).skip(1))
            .map(|c| &c[..c.find("</article>").unwrap()])
            .filter(|c| c.contains(&link))
            .collect();
        assert!(!cards.is_empty(), "{path}: no card");
        for card in cards {
            let dd = &card[card.find("<dt>推移からの判定</dt>").unwrap_or_else(|| panic!("{path}: no status"))..];
            let dd = text(&dd[..dd.find("</dd>").unwrap()]);
            assert!(dd.starts_with(&format!("推移からの判定 {status}")), "{path}: card {dd}, series {status}");
        }
        // The ward page (FY2016 is its latest year).
        let at = ward.find(&format!("href=\"{link}")).unwrap_or_else(|| panic!("{path} not on the ward page"));
        let item = &ward[at..];
        let item = text(&item[..item.find("</li>").unwrap()]);
        assert!(item.contains(&format!("推移からの判定 {status}")), "{path}: ward page {item}, series {status}");
        // The status list that counts it, of the city and of the site.
        for list in ["osaka/status/", "status/"] {
            let slug = [
                ("目標達成", "achieved"),
                ("順調（期限までに達成の見込み）", "on-track"),
                ("加速が必要", "needs-acceleration"),
                ("進捗が限定的", "limited"),
                ("悪化", "worsening"),
                ("期限までに未達成", "missed-deadline"),
                ("データ不足（判定できません）", "insufficient-data"),
                ("判定対象外", "not-assessable"),
            ]
            .iter()
            .find(|(l, _)| *l == status)
            .map_or_else(|| panic!("unknown status {status}"), |(_, s)| *s);
            let html = s.main(&format!("{list}{slug}/"));
            assert!(html.contains(&format!("href=\"/{path}#fy2016\"")), "{path} not in {list}{slug}/");
        }
    }
    assert!(achieved >= 5, "met targets are achieved: {achieved}");
}

/// A 「…」 the site adds to a cut text is shown but not read out (screen readers say
/// 「てんてんてん」); a cut indicator name in a link has the rest of the name for screen readers.
/// Only the source's own 「…」 (quoted in transcription notes) is left as it is.
#[test]
fn cut_marks_are_seen_not_heard() {
    let mut sources = String::new();
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            sources.push_str(&mieruka::text::display(&std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    let hidden = r#"<span aria-hidden="true">…</span>"#;
    let mut marks = 0;
    for (path, html) in site().html_pages() {
        let body = &html[html.find("<body").unwrap()..];
        // Scripts (JSON-LD) and code to copy (BibTeX) are not read as text.
        let body: String =
            body.split("<script").map(|s| s.split_once("</script>").map_or(s, |(_, after)| after)).collect();
        let body: String = body.split("<pre").map(|s| s.split_once("</pre>").map_or(s, |(_, after)| after)).collect();
        marks += body.matches(hidden).count();
        let read = body.replace(hidden, "");
        for (i, _) in read.match_indices('…') {
            let before: String = read[..i].chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
            assert!(sources.contains(&format!("{before}…")), "{path}: 「{before}…」 is read out");
        }
    }
    assert!(marks >= 100, "only {marks} hidden cut marks");
    let card = element_by_id(&site().main("osaka/kita/2016/goals/4-2/index.html"), "goal-4-2-madoguchi-otai").unwrap();
    let name = "区役所を過去1年間に訪れた区民のうち、来庁者への案内サービスや窓口での応対が良いと感じた区民の割合";
    let link = card.split("<ul class=\"measurement-links\">").nth(1).unwrap().split("</a>").next().unwrap();
    let heard = link.split_once('>').unwrap().1.split_once('>').unwrap().1.replace(hidden, "");
    assert_eq!(text(&heard).replace(' ', ""), format!("{name}の推移を見る"), "{link}");
}

/// A code such as 2-5-1 in any text of a page stays on one line: a break after its hyphen
/// reads as two numbers. Its characters are the ASCII ones (copy and search find 2-5-1).
#[test]
fn codes_are_kept_on_one_line() {
    let mut codes = 0;
    for (path, html) in site().html_pages() {
        let body = &html[html.find("<body").unwrap()..];
        // Where no span may go or none is needed: scripts, SVG, options, preformatted text.
        let mut body = body.to_string();
        for raw in ["script", "svg", "option", "pre"] {
            let (open, close) = (format!("<{raw}"), format!("</{raw}>"));
            body = body.split(&open).map(|s| s.split_once(&close).map_or(s, |(_, after)| after)).collect();
        }
        for piece in body.split('<') {
            let Some((tag, text)) = piece.split_once('>') else { continue };
            let bytes = text.as_bytes();
            for (i, _) in text.match_indices('-') {
                let digit = |k: Option<usize>| k.and_then(|k| bytes.get(k)).is_some_and(u8::is_ascii_digit);
                // The run of digits and hyphens around it; inside a URL or an id (goals/1-1/,
                // #goal-1-1-jiritsu) it is no code, and a break there is the URL's.
                let start = bytes[..i].iter().rposition(|c| !(c.is_ascii_digit() || *c == b'-')).map_or(0, |p| p + 1);
                let end =
                    bytes[i..].iter().position(|c| !(c.is_ascii_digit() || *c == b'-')).map_or(bytes.len(), |p| i + p);
                let url = (start > 0 && b"/#=._-".contains(&bytes[start - 1]))
                    || bytes.get(end).is_some_and(|c| c.is_ascii_alphabetic() || b"/_".contains(c))
                    || bytes[end - 1] == b'-'
                    || bytes[start] == b'-';
                if digit(i.checked_sub(1)) && digit(Some(i + 1)) && !url {
                    assert_eq!(tag, r#"span class="nobr""#, "{path}: 「{text}」 may break at its hyphen");
                    codes += 1;
                }
            }
        }
    }
    assert!(codes >= 100, "only {codes} codes found");
}

/// A series chart's value axis ends where the indicator's bars end: a value stands at the same
/// proportion of the axis as of its bar (one scale rule).
#[test]
fn the_chart_axis_ends_where_the_bars_end() {
    let mut checked = 0;
    for (series, _, end) in bar_scales() {
        let Some((_, svg)) =
            site().text_files().find(|(p, _)| *p == format!("osaka/kita/indicators/{series}/chart.svg"))
        else {
            continue;
        };
        let unit: String = end.chars().skip_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
        let top = svg
            .split(r#"<text class="axis""#)
            .skip(1)
            .map(|t| t.split('>').nth(1).unwrap().split('<').next().unwrap())
            .filter(|l| l.ends_with(unit.as_str()) && l.starts_with(|c: char| c.is_ascii_digit()))
            .last()
            .unwrap();
        let number = |l: &str| l.trim_end_matches(unit.as_str()).replace(',', "").parse::<f64>().unwrap();
        assert_eq!(number(top), number(&end), "{series}: the chart's axis ends at {top}, its bars at {end}");
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}
