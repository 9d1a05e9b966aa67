//! Whole-site assertions on the synthetic fixtures `tests/fixtures/series` and
//! `tests/fixtures/minimal`: what the pages say, where they are, and how the build behaves.

use crate::common;
use crate::common::{Files, TestSite, attribute_values, cells, edited_fixture, element_by_id, replace, text};
use std::sync::LazyLock;

/// The series fixture rendered once in memory, shared by the read-only tests.
static SERIES: LazyLock<Files> = LazyLock::new(|| TestSite::fixture("series").render());

fn series() -> &'static Files {
    &SERIES
}

/// The cells of the row `<tr id="{id}">` of a page.
fn row(site: &Files, page: &str, id: &str) -> Vec<String> {
    let html = site.main(page);
    let tr = element_by_id(&html, id).unwrap_or_else(|| panic!("no row id={id} in {page}"));
    cells(&tr)
}

/// The ward names of a comparison page's table for one fiscal year, in the printed order.
fn ranking(site: &Files, page: &str, fy: i32) -> Vec<String> {
    let html = site.main(page);
    let section = element_by_id(&html, &format!("fy{fy}")).unwrap_or_else(|| panic!("no section fy{fy} in {page}"));
    let tbody = &section[section.find("<tbody>").expect("tbody")..];
    tbody.split("<tr>").skip(1).map(|r| cells(r)[0].trim_end_matches("の推移").to_string()).collect()
}

/// The `href` of every `<a>` with `rel="{rel}"`.
fn links_with_rel(html: &str, rel: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .map(|a| &a[..a.find('>').unwrap_or(a.len())])
        .filter(|tag| tag.contains(&format!(r#"rel="{rel}""#)))
        .filter_map(|tag| attribute_values(&format!(" {tag}"), "href").first().map(ToString::to_string))
        .collect()
}

/// The `d` of the chart's line path.
fn chart_path(html: &str) -> String {
    let at = html.find(r#"<path class="line" d=""#).expect("a chart line");
    let d = &html[at + r#"<path class="line" d=""#.len()..];
    d[..d.find('"').unwrap()].to_string()
}

// ---- series pages ----------------------------------------------------------------------

#[test]
fn series_table_has_every_fiscal_year_including_the_previous_column() {
    let s = series();
    let page = "testshi/ward1/indicators/chiiki-manzoku/";
    // FY2015 is known only from the FY2016 report's 前年度 column.
    let r2015 = row(s, page, "fy2015");
    assert_eq!(r2015[0], "平成27年度（2015年度）");
    assert_eq!(r2015[1], "38.0％");
    assert!(r2015[5].contains("平成28年度（2016年度）の報告の「前年度」欄の値"), "{r2015:?}");
    for (fy, value) in [(2016, "40.0％"), (2017, "45.0％"), (2018, "30.0％")] {
        let r = row(s, page, &format!("fy{fy}"));
        assert_eq!(r[1], value, "FY{fy}: {r:?}");
        assert_eq!(r[2], "平成30年度（2018年度）までに50％以上", "FY{fy}: {r:?}");
    }
    // A ward-own initiative indicator too, in every ward.
    for (ward, values) in [
        ("ward1", ["1,000人", "1,200人", "1,350人", "900人"]),
        ("ward2", ["450人", "500人", "520人", "560人"]),
        ("ward3", ["320人", "300人", "310人", "200人"]),
    ] {
        let page = format!("testshi/{ward}/indicators/{ward}-kouza-sanka/");
        for (fy, value) in (2015..=2018).zip(values) {
            assert_eq!(row(s, &page, &format!("fy{fy}"))[1], value, "{page} FY{fy}");
        }
    }
}

#[test]
fn series_notes_carry_survey_break_and_source() {
    let s = series();
    let page = "testshi/ward1/indicators/chiiki-manzoku/";
    let notes = &row(s, page, "fy2016")[5];
    assert!(notes.contains("区民アンケート（合成）、対象 2,000人、回答 715人、回収率 35.8％"), "{notes}");
    assert!(notes.contains("【（参考）設問12】"), "{notes}");
    assert!(notes.contains("出典箇所：p.3"), "{notes}");
    let notes = &row(s, page, "fy2018")[5];
    assert!(notes.contains("系列の断絶：設問に「自治会活動」を加えたため"), "{notes}");
}

#[test]
fn chart_has_title_and_desc() {
    let html = series().page("testshi/ward1/indicators/chiiki-manzoku/");
    let title = element_by_id(&html, "chart-title").expect("<title id=chart-title>");
    assert!(title.starts_with("<title"), "{title}");
    assert_eq!(text(&title), "第一区の地域活動に満足している区民の割合（合成）の推移");
    let desc = element_by_id(&html, "chart-desc").expect("<desc id=chart-desc>");
    assert!(desc.starts_with("<desc"), "{desc}");
    let desc = text(&desc);
    for needle in [
        "平成27年度 38.0％",
        "平成28年度 40.0％",
        "平成29年度 45.0％",
        "平成30年度 30.0％",
        "目標 平成30年度（2018年度）までに50％以上",
        "断絶の前後は線で結んでいません",
    ] {
        assert!(desc.contains(needle), "desc lacks {needle:?}: {desc}");
    }
    // Named by its title, described by its data sentence: each said once.
    assert!(html.contains(r#"aria-labelledby="chart-title" aria-describedby="chart-desc""#));
}

#[test]
fn chart_does_not_join_points_across_the_break() {
    let s = series();
    let d = chart_path(&s.page("testshi/ward1/indicators/chiiki-manzoku/"));
    assert_eq!(d.matches('M').count(), 2, "two segments: {d}");
    let (before, after) = d.rsplit_once('M').unwrap();
    assert_eq!(before.matches('L').count(), 2, "FY2015–2017 joined: {d}");
    assert!(!after.contains('L'), "nothing joins FY2017 to FY2018: {d}");
    assert!(s.page("testshi/ward1/indicators/chiiki-manzoku/").contains(r#"<line class="break""#));
    // Without a break, one segment.
    let d = chart_path(&s.page("testshi/ward2/indicators/chiiki-manzoku/"));
    assert_eq!((d.matches('M').count(), d.matches('L').count()), (1, 3), "{d}");
    // A 「―」 value lifts the pen: FY2015–2016, then FY2018 alone.
    let d = chart_path(&s.page("testshi/ward3/indicators/taiki-jido/"));
    assert_eq!((d.matches('M').count(), d.matches('L').count()), (2, 1), "{d}");
}

#[test]
fn renamed_indicator_series_includes_the_old_ids_values() {
    let s = series();
    let page = "testshi/ward1/indicators/ward1-katsudo-ninchido/";
    let main = text(&s.main(page));
    assert!(main.contains("旧ID ward1-ninchido"), "{main}");
    // FY2015–2017 were reported under the old id, FY2018 under the new one.
    for (fy, value) in [(2015, "25％"), (2016, "30％"), (2017, "35％"), (2018, "41％")] {
        assert_eq!(row(s, page, &format!("fy{fy}"))[1], value, "FY{fy}");
    }
    // The newest name is the series' name.
    assert!(main.contains("地域活動協議会の活動を知っている区民の割合（合成）"), "{main}");
    // The old report links to the series under its new id, and no series page is made
    // under the old id's name in another ward.
    let old = s.main("testshi/ward1/2017/");
    let article = element_by_id(&old, "goal-1-1-ward1-ninchido").expect("outcome under the old id on the 2017 report");
    assert!(article.contains(r#"href="/testshi/ward1/indicators/ward1-katsudo-ninchido/""#), "{article}");
    // Other wards keep their own, unrenamed series.
    assert!(s.exists("testshi/ward2/indicators/ward2-ninchido/"));
}

#[test]

fn renamed_indicators_old_id_page_stays_reachable() {
    let s = series();
    assert!(s.exists("testshi/ward1/indicators/ward1-ninchido/"), "old id page is gone");
}

#[test]
fn correction_note_appears_and_the_declared_value_stands() {
    let s = series();
    let r = row(s, "testshi/ward2/indicators/chiiki-manzoku/", "fy2016");
    // The FY2016 report said 52.0％; the FY2017 report's 前年度 column and [[corrections]] say 50.0％.
    assert_eq!(r[1], "50.0％", "{r:?}");
    assert!(r[5].contains("訂正：平成29年度の報告で前年度値が訂正された（集計誤りの修正・合成）"), "{r:?}");
    // The comparison page uses the corrected value too.
    let cmp = s.main("testshi/indicators/chiiki-manzoku/");
    let fy2016 = element_by_id(&cmp, "fy2016").unwrap();
    assert!(fy2016.contains(">50.0％<") && !fy2016.contains(">52.0％<"), "{}", text(&fy2016));
}

#[test]
fn direction_is_stated_in_words() {
    let s = series();
    for page in ["testshi/ward1/indicators/taiki-jido/", "testshi/indicators/taiki-jido/"] {
        s.assert_contains(page, "値が小さいほどよい");
        s.assert_not_contains(page, "値が大きいほどよい");
    }
    for page in ["testshi/ward1/indicators/chiiki-manzoku/", "testshi/indicators/chiiki-manzoku/"] {
        s.assert_contains(page, "値が大きいほどよい");
    }
    // On the report page, beside the measurement.
    let report = s.main("testshi/ward1/2016/");
    let m = element_by_id(&report, "goal-2-1-taiki-jido").unwrap();
    assert!(text(&m).contains("よい方向 値が小さいほどよい"), "{}", text(&m));
}

#[test]
fn comparison_sorts_wards_best_first_in_the_good_direction() {
    let s = series();
    // Higher is better.
    let page = "testshi/indicators/chiiki-manzoku/";
    assert_eq!(ranking(s, page, 2017), ["第三区", "第二区", "第一区"]); // 60, 55.0, 45.0
    assert_eq!(ranking(s, page, 2016), ["第三区", "第二区", "第一区"]); // 55, 50.0 (corrected), 40.0
    assert_eq!(ranking(s, page, 2015), ["第三区", "第二区", "第一区"]); // 53, 48.0, 38.0
    // Lower is better; 「―」 goes last.
    let page = "testshi/indicators/taiki-jido/";
    assert_eq!(ranking(s, page, 2016), ["第二区", "第三区", "第一区"]); // 0, 12, 14
    assert_eq!(ranking(s, page, 2017), ["第二区", "第一区", "第三区"]); // 0, 8, ―
    assert_eq!(ranking(s, page, 2018), ["第二区", "第一区", "第三区"]); // 1, 3, 15
    // Newest year first.
    let html = s.main(page);
    let pos = |fy: i32| html.find(&format!(r#"id="fy{fy}""#)).unwrap();
    assert!(pos(2018) < pos(2017) && pos(2017) < pos(2016) && pos(2016) < pos(2015));
}

#[test]
fn progress_status_labels_for_known_cases() {
    let s = series();
    let status = |page: &str| {
        let html = s.main(page);
        let p = &html[html.find(r#"<p class="progress-status">"#).expect("progress status")..];
        text(&p[..p.find("</p>").unwrap()])
    };
    // Lower is better, 20 → 3 by FY2018, target zero by FY2020: ahead of the required pace.
    assert_eq!(
        status("testshi/ward1/indicators/taiki-jido/"),
        "順調（期限までに達成の見込み）（必要な伸びに対する実際の伸び：142％）"
    );
    assert_eq!(status("testshi/ward2/indicators/taiki-jido/"), "加速が必要（必要な伸びに対する実際の伸び：83％）");
    assert_eq!(status("testshi/ward3/indicators/taiki-jido/"), "悪化（必要な伸びに対する実際の伸び：-83％）");
    // Only one value after the break.
    assert_eq!(status("testshi/ward1/indicators/chiiki-manzoku/"), "データ不足（判定できません）");
    assert_eq!(status("testshi/ward2/indicators/chiiki-manzoku/"), "目標達成");
    assert_eq!(status("testshi/ward3/indicators/chiiki-manzoku/"), "期限までに未達成");
    // A relative target (前年度より増) has no deadline to assess against.
    assert_eq!(status("testshi/ward1/indicators/ward1-kouza-sanka/"), "判定対象外");
    // The ward page lists them too.
    let ward = s.main("testshi/ward1/");
    let ward = text(&ward);
    assert!(
        ward.contains(
            "最新の値（平成30年度（2018年度）） 3人 区の評価 ✓順調（A） 推移からの判定 順調（期限までに達成の見込み）"
        ),
        "{ward}"
    );
}

// ---- the indicator card: status against target and withdrawal criterion, disagreement -------

/// The indicator card `<article id="{id}">` of a page.
fn card(site: &Files, page: &str, id: &str) -> String {
    element_by_id(&site.main(page), id).unwrap_or_else(|| panic!("no card id={id} on {page}"))
}

/// From the first `start` (an opening tag as printed, e.g. `<p class="bar-text">`) to the end
/// tag of its element; for elements that do not nest (p, dd, svg).
fn element_from(html: &str, start: &str) -> Option<String> {
    let at = html.find(start)?;
    let name: String = start[1..].chars().take_while(char::is_ascii_alphanumeric).collect();
    let close = format!("</{name}>");
    let end = at + html[at..].find(&close)? + close.len();
    Some(html[at..end].to_string())
}

#[test]
fn card_status_says_met_missed_or_withdrawal_criterion_breached() {
    let s = series();
    // (page, card, tone, icon, status, the bar's text)
    let cases = [
        // 1,200人 against 前年度より増 (1,000人): met, and above the criterion (80％ of 1,000人).
        (
            "testshi/ward1/2016/initiatives/1-1-1/",
            "indicator-ward1-kouza-sanka",
            "good",
            "✓",
            "達成",
            "目標 前年度より増に対し 1,200人（値が大きいほどよい、撤退基準 800人）",
        ),
        // An outcome with a target and no criterion.
        (
            "testshi/ward2/2016/",
            "goal-1-1-chiiki-manzoku",
            "good",
            "✓",
            "達成",
            "目標 平成30年度（2018年度）までに50％以上に対し 52.0％（値が大きいほどよい）",
        ),
        // 60人 against 100人以上: missed, but above the criterion 50人.
        (
            "testshi/ward1/2016/initiatives/2-1-1/",
            "indicator-ward1-hoiku-kakuho",
            "warning",
            "△",
            "未達成",
            "目標 平成30年度（2018年度）までに100人以上に対し 60人（値が大きいほどよい、撤退基準 50人）",
        ),
        // 900人 is below 80％ of the previous year's 1,350人 (前年度比未満).
        (
            "testshi/ward1/2018/initiatives/1-1-1/",
            "indicator-ward1-kouza-sanka",
            "bad",
            "▼",
            "撤退基準に該当",
            "目標 前年度より増に対し 900人（値が大きいほどよい、撤退基準 1,080人）",
        ),
        // 30人 is below 50人 (未満, a criterion naming its indicator).
        (
            "testshi/ward3/2016/initiatives/2-1-1/",
            "indicator-ward3-hoiku-kakuho",
            "bad",
            "▼",
            "撤退基準に該当",
            "目標 平成30年度（2018年度）までに100人以上に対し 30人（値が大きいほどよい、撤退基準 50人）",
        ),
    ];
    for (page, id, tone, icon, status, words) in cases {
        let card = card(s, page, id);
        let bar_text = element_from(&card, r#"<p class="bar-text">"#).unwrap_or_else(|| panic!("{page}#{id}: no bar"));
        assert_eq!(
            bar_text,
            format!(
                r#"<p class="bar-text"><span class="status tone-{tone}"><span aria-hidden="true">{icon}</span>{status}</span> {words}</p>"#
            ),
            "{page}#{id}"
        );
        // The drawn bar has the same tone; the sentence beside it is what a screen reader reads,
        // once: the drawing itself is hidden from it.
        let svg = element_from(&card, "<svg").unwrap_or_else(|| panic!("{page}#{id}: no svg"));
        assert!(
            svg.starts_with(&format!(r#"<svg class="bar bar-{tone}" viewBox="-8 0 316 36" aria-hidden="true""#)),
            "{page}#{id}: {svg}"
        );
        assert!(!bar_text.contains(&format!("：{status}")), "{page}#{id}: the status is said once: {bar_text}");
    }
}

#[test]
fn withdrawal_criterion_is_labelled_beside_the_bar() {
    let s = series();
    // (page, card, the key under the bar)
    let cases = [
        (
            "testshi/ward1/2016/initiatives/1-1-1/",
            "indicator-ward1-kouza-sanka",
            r#"<span class="key-target">◆ 目標 前年度より増</span> <span class="key-withdrawal">■ 撤退基準 800人</span>"#,
        ),
        (
            "testshi/ward1/2018/initiatives/1-1-1/",
            "indicator-ward1-kouza-sanka",
            r#"<span class="key-target">◆ 目標 前年度より増</span> <span class="key-withdrawal">■ 撤退基準 1,080人</span>"#,
        ),
        (
            "testshi/ward3/2016/initiatives/2-1-1/",
            "indicator-ward3-hoiku-kakuho",
            r#"<span class="key-target">◆ 目標 100人以上</span> <span class="key-withdrawal">■ 撤退基準 50人</span>"#,
        ),
        // A criterion in words only has no level to mark.
        (
            "testshi/ward1/2016/initiatives/yoshiki3-1/",
            "indicator-ward1-keihi-sakugen",
            r#"<span class="key-target">◆ 目標 平成25年度比35％削減</span>"#,
        ),
    ];
    for (page, id, key) in cases {
        let card = card(s, page, id);
        let bar_key = element_from(&card, r#"<p class="bar-key""#).unwrap_or_else(|| panic!("{page}#{id}: no key"));
        assert_eq!(bar_key, format!(r#"<p class="bar-key" aria-hidden="true">{key}</p>"#), "{page}#{id}");
        // The bar marks the criterion's level exactly when the key names it.
        let svg = element_from(&card, "<svg").unwrap_or_else(|| panic!("{page}#{id}: no svg"));
        assert_eq!(svg.contains(r#"<line class="withdrawal""#), key.contains("撤退基準"), "{page}#{id}: {svg}");
    }
}

/// The flag beside 推移からの判定 on a card.
const CARD_FLAG: &str = r#" <strong class="disagree">区の評価と推移の判定が異なります</strong>"#;

#[test]
fn card_flags_a_rating_that_disagrees_with_the_trend_and_only_then() {
    let s = series();
    // (page, card, the ward's rating, the trend's status, flagged)
    let cases = [
        // B although the trend is on track.
        ("testshi/ward1/2016/", "goal-2-1-taiki-jido", "B", "順調（期限までに達成の見込み）", true),
        // A although the deadline passed unmet, or the pace must quicken, or progress is limited
        // (each report is judged as of its own year).
        ("testshi/ward1/2018/", "goal-1-1-ward1-katsudo-ninchido", "A", "期限までに未達成", true),
        ("testshi/ward1/2017/", "goal-1-1-chiiki-manzoku", "A", "加速が必要", true),
        ("testshi/ward1/2016/", "goal-1-1-chiiki-manzoku", "A", "進捗が限定的", true),
        // Agreeing.
        ("testshi/ward1/2017/", "goal-2-1-taiki-jido", "A", "順調（期限までに達成の見込み）", false),
        ("testshi/ward2/2016/", "goal-1-1-chiiki-manzoku", "A", "目標達成", false),
        // 0人 against 「ゼロ」 in FY2016: achieved then, whatever came later.
        ("testshi/ward2/2016/", "goal-2-1-taiki-jido", "A", "目標達成", false),
        ("testshi/ward1/2016/", "goal-1-1-ward1-ninchido", "B", "進捗が限定的", false),
        ("testshi/ward3/2016/", "goal-2-1-taiki-jido", "B", "悪化", false),
        // A trend that cannot be judged agrees with anything.
        ("testshi/ward1/2018/", "goal-1-1-chiiki-manzoku", "B", "データ不足（判定できません）", false),
    ];
    for (page, id, rating, trend, flagged) in cases {
        let card = card(s, page, id);
        assert!(
            card.contains(&format!(r#"<span class="code-value">（{rating}）</span>"#)),
            "{page}#{id}: not rated {rating}"
        );
        let at = card.find("<dt>推移からの判定</dt>").unwrap_or_else(|| panic!("{page}#{id}: no trend"));
        let dd = element_from(&card[at..], "<dd>").unwrap();
        let flag = if flagged { CARD_FLAG } else { "" };
        assert_eq!(dd, format!("<dd>{trend}{flag}</dd>"), "{page}#{id}");
    }
    // The goal page shows the same card.
    let goal = card(s, "testshi/ward1/2016/goals/2-1/", "goal-2-1-taiki-jido");
    assert!(goal.contains(CARD_FLAG), "{goal}");
    // And a report page has no flag but its disagreeing cards'.
    assert_eq!(s.main("testshi/ward1/2017/").matches("class=\"disagree\"").count(), 1);
    assert_eq!(s.main("testshi/ward2/2016/").matches("class=\"disagree\"").count(), 0);
}

#[test]
fn series_page_flags_a_latest_rating_that_disagrees_with_the_trend_and_only_then() {
    let s = series();
    const FLAG: &str = r#"<p class="disagree"><strong>区の自己評価と推移からの判定が異なります。</strong></p>"#;
    // (series page, the latest rating and the trend's status, flagged)
    let cases = [
        // FY2018 rated A, and the deadline passed unmet.
        ("testshi/ward1/indicators/ward1-katsudo-ninchido/", "A, 期限までに未達成", true),
        ("testshi/ward1/indicators/taiki-jido/", "A, 順調", false),
        ("testshi/ward2/indicators/taiki-jido/", "B, 加速が必要", false),
        ("testshi/ward3/indicators/taiki-jido/", "B, 悪化", false),
        ("testshi/ward2/indicators/chiiki-manzoku/", "A, 目標達成", false),
        ("testshi/ward1/indicators/chiiki-manzoku/", "B, データ不足", false),
    ];
    for (page, what, flagged) in cases {
        let html = s.main(page);
        let section = element_from(&html, r#"<section class="progress-section">"#)
            .unwrap_or_else(|| panic!("{page}: no progress section"));
        assert_eq!(section.contains(FLAG), flagged, "{page} ({what}): {section}");
        assert_eq!(html.matches("class=\"disagree\"").count(), usize::from(flagged), "{page} ({what})");
    }
}

// ---- report, ward and other pages ------------------------------------------------------

#[test]
fn report_pages_link_previous_and_next_fiscal_year() {
    let s = series();
    let rel = |fy: i32, rel: &str| links_with_rel(&s.main(&format!("testshi/ward1/{fy}/")), rel);
    assert_eq!(rel(2016, "prev"), Vec::<String>::new());
    assert_eq!(rel(2016, "next"), ["/testshi/ward1/2017/"]);
    assert_eq!(rel(2017, "prev"), ["/testshi/ward1/2016/"]);
    assert_eq!(rel(2017, "next"), ["/testshi/ward1/2018/"]);
    assert_eq!(rel(2018, "prev"), ["/testshi/ward1/2017/"]);
    assert_eq!(rel(2018, "next"), Vec::<String>::new());
    let p2017 = text(&s.main("testshi/ward1/2017/"));
    assert!(
        p2017.contains("前の年度：平成28年度（2016年度）") && p2017.contains("次の年度：平成30年度（2018年度）"),
        "{p2017}"
    );
}

#[test]
fn ward_page_shows_a_and_b_counts_per_year() {
    let s = series();
    let html = s.main("testshi/ward1/");
    let table = &html[html.find(r#"id="reports-caption""#).expect("reports table")..];
    let tbody = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    let rows: Vec<Vec<String>> = tbody.split("<tr>").skip(1).map(cells).collect();
    // 年度, 目標数, 取組数, 目標全体 A, 目標全体 B, 指標 A, 指標 B — newest first.
    assert_eq!(
        rows,
        [
            ["平成30年度（2018年度）", "2", "3", "1", "1", "2", "1"],
            ["平成29年度（2017年度）", "2", "3", "2", "0", "2", "1"],
            ["平成28年度（2016年度）", "2", "3", "1", "1", "1", "2"],
        ]
    );
    // The report page's summary agrees.
    let summary = text(&s.main("testshi/ward1/2016/"));
    assert!(summary.contains("目標全体で A（順調）1件・B（順調でない）1件、指標ごとに A 1件・B 2件"), "{summary}");
}

#[test]
fn every_rating_code_is_shown_with_its_meaning() {
    let s = series();
    // Read as text: the icon is decoration, the code and its meaning are what a reader gets.
    let pages: String = (2016..=2018).map(|fy| text(&s.main(&format!("testshi/ward1/{fy}/")))).collect();
    for (code, meaning) in [
        ("A", "順調"),
        ("B", "順調でない"),
        ("a", "順調"),
        ("b", "順調でない"),
        ("ア", "有効であり、継続して推進"),
        ("イ", "有効でないため、戦略を見直す"),
        ("①(ⅰ)", "目標達成・取組は予定どおり実施"),
        ("②(ⅰ)", "目標未達成・取組は予定どおり実施"),
        ("②(ⅱ)", "目標未達成・取組を予定どおり実施しなかった"),
        ("③", "撤退基準未達成"),
        ("○", "有効"),
        ("×", "有効でないため見直す"),
    ] {
        // Meaning first, then the code: 「順調（A）」.
        let shown = format!("{meaning}（{code}）");
        assert!(pages.contains(&shown), "{shown} not shown on ward1's report pages");
    }
}

#[test]
fn values_are_normalised_and_dash_is_kept() {
    let s = series();
    // Full-width digits in content (「１４人」「５５％」) print half-width.
    let r = s.main("testshi/ward1/2016/");
    let m = element_by_id(&r, "goal-2-1-taiki-jido").unwrap();
    let t = text(&m);
    assert!(t.contains("平成28年度（2016年度） 14人"), "{t}");
    assert!(t.contains("平成27年度（2015年度）（前年度） 20人"), "{t}");
    assert!(!r.contains("１４人"));
    assert_eq!(row(s, "testshi/ward3/indicators/chiiki-manzoku/", "fy2016")[1], "55％");
    // 「―」 is shown as such, never as zero.
    let r = s.main("testshi/ward3/2017/");
    let m = element_by_id(&r, "goal-2-1-taiki-jido").unwrap();
    let t = text(&m);
    assert!(t.contains("平成29年度（2017年度） ―"), "{t}");
    assert_eq!(row(s, "testshi/ward3/indicators/taiki-jido/", "fy2017")[1], "―");
}

#[test]
fn home_page_says_the_data_is_synthetic() {
    let s = series();
    s.assert_contains("", "合成データ");
    s.assert_contains("", "<title>区政の自己評価（合成データ・テスト用）</title>");
    s.assert_contains("testshi/", "999997");
}

#[test]
fn minimal_fixture_builds() {
    let m = TestSite::fixture("minimal").render();
    for page in [
        "",
        "testshi/",
        "testshi/daiichi/",
        "testshi/daiichi/2016/",
        "testshi/daiichi/2016/goals/1-1/",
        "testshi/daiichi/2016/initiatives/1-1-1/",
        "testshi/daiichi/indicators/jiritsu/",
        "testshi/daiichi/indicators/taiki-jido/",
        "testshi/indicators/jiritsu/",
        "404.html",
    ] {
        assert!(m.exists(page), "minimal: no {page}");
    }
    assert_eq!(row(&m, "testshi/daiichi/indicators/jiritsu/", "fy2015")[1], "86.0％");
    assert_eq!(row(&m, "testshi/daiichi/indicators/jiritsu/", "fy2016")[1], "81％");
    m.assert_contains("testshi/daiichi/indicators/taiki-jido/", "値が小さいほどよい");
    m.assert_contains("", "合成データ");
}

// ---- links, URLs and safety ------------------------------------------------------------

#[test]
fn sub_folder_base_url_prefixes_every_internal_link() {
    const BASE: &str = "http://127.0.0.1/kusei/hyoka/";
    for fixture in ["series", "minimal"] {
        let site = TestSite::fixture(fixture).base_url(BASE).render();
        let mut checked = 0;
        for (path, html) in site.html_pages() {
            for attr in ["href", "src"] {
                for v in attribute_values(&html, attr) {
                    checked += 1;
                    let ok = v.starts_with("/kusei/hyoka/") || v.starts_with('#') || v.starts_with(BASE);
                    assert!(ok, "{fixture}/{path}: {attr}=\"{v}\" escapes the sub-folder");
                    assert!(!v.starts_with("//"), "{fixture}/{path}: protocol-relative {attr}=\"{v}\"");
                }
            }
            for v in attribute_values(&html, "content").into_iter().filter(|v| v.starts_with("http")) {
                assert!(v.starts_with(BASE), "{fixture}/{path}: content=\"{v}\"");
            }
            assert!(!html.contains(r#"href="/""#), "{fixture}/{path}: href=\"/\"");
            // Every internal link resolves to a file of the site.
            for v in attribute_values(&html, "href") {
                let Some(local) = v.strip_prefix("/kusei/hyoka/").or_else(|| v.strip_prefix(BASE)) else { continue };
                let local = local.split('#').next().unwrap();
                assert!(site.exists(local), "{fixture}/{path}: link {v} has no file");
            }
        }
        assert!(checked > 100, "{fixture}: only {checked} links checked");
        let home = site.page("");
        assert!(home.contains(r#"<link rel="canonical" href="http://127.0.0.1/kusei/hyoka/">"#));
        let css = attribute_values(&home, "href").into_iter().find(|v| v.ends_with(".css")).expect("stylesheet link");
        assert!(site.exists(css.strip_prefix("/kusei/hyoka/").unwrap()), "{css}");
    }
}

/// The only script elements are JSON-LD data blocks, which content cannot close, and the search
/// page's script as its template has it.
fn assert_no_executable_script(what: &str, html: &str) {
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..].find('>').expect("closed script tag") + at;
        let tag = &rest[at..=tag_end];
        let body_end = rest[tag_end..].find("</script").expect("script closed") + tag_end;
        let body = &rest[tag_end + 1..body_end];
        if tag == r#"<script type="module">"# && what.ends_with("search/index.html") {
            // The search page's own script, exactly as the template has it: nothing from content.
            let template = include_str!("../../templates/search.html").to_lowercase();
            let start = template.find(r#"<script type="module">"#).unwrap() + r#"<script type="module">"#.len();
            let end = template[start..].find("</script>").unwrap() + start;
            assert_eq!(body, &template[start..end], "{what}: the search page's script is the template's");
            rest = &rest[body_end + "</script".len()..];
            continue;
        }
        assert_eq!(tag, r#"<script type="application/ld+json">"#, "{what}: executable script element");
        assert!(!body.contains('<'), "{what}: '<' inside a JSON-LD block: {body}");
        serde_json::from_str::<serde_json::Value>(body)
            .unwrap_or_else(|e| panic!("{what}: JSON-LD does not parse ({e}): {body}"));
        rest = &rest[body_end + "</script".len()..];
    }
    for bad in ["javascript:", "onerror=", "onclick=", "onmouseover="] {
        assert!(!lower.contains(bad), "{what} contains {bad}");
    }
}

#[test]
fn script_in_content_never_reaches_the_output() {
    let minimal = TestSite::fixture("minimal").render();
    for (fixture, site) in [("series", series()), ("minimal", &minimal)] {
        for (path, bytes) in &site.files {
            // Data downloads (CSV, JSON) carry content text verbatim; markup matters in HTML and XML.
            if path.ends_with(".html") || path.ends_with(".xml") || path.ends_with(".svg") {
                assert_no_executable_script(&format!("{fixture}/{path}"), &String::from_utf8_lossy(bytes));
            }
        }
    }
    let s = series();
    // The text around the removed script is still there (report.md, ward.toml, a goal).
    s.assert_contains("testshi/ward1/2017/", "第一区の平成29年度の自己評価の概要です");
    s.assert_contains("testshi/ward1/", "<strong>合成データ</strong>の架空の区です");
    s.assert_contains("testshi/ward3/2016/goals/1-1/", "区民が地域活動に参加し、満足している状態（合成）");
    // Markup in a plain-text field (a source title) is shown as text.
    s.assert_contains("testshi/ward3/2018/", "合成データ）&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
}

/// Published URLs and fragments: journalists link to these. If one moves, this fails.
#[test]
fn permalinks_stay_where_they_are() {
    let s = series();
    let permalinks = [
        "index.html",
        "404.html",
        "about/progress/index.html",
        "accessibility/index.html",
        "testshi/index.html",
        "testshi/indicators/chiiki-manzoku/index.html#fy2018",
        "testshi/indicators/chiiki-manzoku/index.html#fy2015",
        "testshi/indicators/taiki-jido/index.html#fy2017",
        "testshi/ward1/index.html",
        "testshi/ward2/index.html",
        "testshi/ward3/index.html",
        "testshi/ward1/2016/index.html#goal-1-1",
        "testshi/ward1/2016/index.html#goal-2-1",
        "testshi/ward1/2016/index.html#goal-1-1-chiiki-manzoku",
        "testshi/ward1/2016/index.html#goal-1-1-ward1-ninchido",
        "testshi/ward1/2016/index.html#goal-2-1-taiki-jido",
        "testshi/ward1/2016/index.html#initiative-1-1-1",
        "testshi/ward1/2016/index.html#initiative-2-1-1",
        "testshi/ward1/2016/index.html#initiative-yoshiki3-1",
        "testshi/ward1/2018/index.html#goal-1-1-ward1-katsudo-ninchido",
        "testshi/ward1/2017/goals/1-1/index.html",
        "testshi/ward1/2017/goals/1-1/index.html#goal-1-1-chiiki-manzoku",
        "testshi/ward1/2017/goals/2-1/index.html",
        "testshi/ward1/2017/initiatives/1-1-1/index.html#indicator-ward1-kouza-sanka",
        "testshi/ward1/2017/initiatives/2-1-1/index.html#indicator-ward1-hoiku-kakuho",
        "testshi/ward1/2017/initiatives/yoshiki3-1/index.html#indicator-ward1-keihi-sakugen",
        "testshi/ward3/2018/initiatives/yoshiki3-1/index.html",
        "testshi/ward1/indicators/chiiki-manzoku/index.html#fy2015",
        "testshi/ward1/indicators/chiiki-manzoku/index.html#fy2018",
        "testshi/ward1/indicators/taiki-jido/index.html#fy2016",
        "testshi/ward1/indicators/ward1-katsudo-ninchido/index.html#fy2016",
        "testshi/ward1/indicators/ward1-kouza-sanka/index.html",
        "testshi/ward1/indicators/ward1-hoiku-kakuho/index.html",
        "testshi/ward1/indicators/ward1-keihi-sakugen/index.html",
        "testshi/ward2/indicators/chiiki-manzoku/index.html#fy2016",
        "testshi/ward2/indicators/ward2-ninchido/index.html",
        "testshi/ward3/indicators/taiki-jido/index.html#fy2017",
    ];
    let mut missing = Vec::new();
    for link in permalinks {
        let (file, fragment) = link.split_once('#').map_or((link, None), |(f, id)| (f, Some(id)));
        if !s.exists(file) {
            missing.push(format!("{link}: no file"));
        } else if let Some(id) = fragment
            && !s.page(file).contains(&format!(" id=\"{id}\""))
        {
            missing.push(format!("{link}: no id"));
        }
    }
    assert!(missing.is_empty(), "moved permalinks:\n{}", missing.join("\n"));
    // Every HTML page's ids are unique (a fragment names one place).
    for (path, html) in s.html_pages() {
        let mut ids = attribute_values(&html, "id");
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{path} has a duplicate id");
    }
}

// ---- the build as a whole --------------------------------------------------------------

#[test]
fn output_is_byte_identical_across_builds_and_thread_counts() {
    let site = TestSite::fixture("series");
    let a = site.clone().env("RAYON_NUM_THREADS", "1").run();
    a.assert_success();
    let b = site.clone().env_remove("RAYON_NUM_THREADS").run();
    b.assert_success();
    let (ta, tb) = (a.files(), b.files());
    assert!(ta == tb, "RAYON_NUM_THREADS=1 and default differ:\n{}", ta.diff(&tb));
    // The library's in-memory render is the same site, and so is a second one.
    assert!(ta == *series(), "binary and library output differ:\n{}", ta.diff(series()));
    let again = site.render();
    assert!(again == *series(), "two renders differ:\n{}", again.diff(series()));
    // And through mieruka::build on disk.
    let built = site.build().files();
    assert!(built == ta, "mieruka::build and the binary differ:\n{}", built.diff(&ta));
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    TestSite::fixture("series").run_into(&out).assert_success();
    let before = Files::read(&out);
    assert!(before.exists("testshi/ward1/2016/"));
    // Two mistakes from tests/integration/errors.rs, made in a copy of its base site.
    const R2016: &str = "content/testshi/ward1/2016/report.toml";
    const R2017: &str = "content/testshi/ward1/2017/report.toml";
    for (case, edit) in [
        ("undeclared disagreement", replace(R2017, r#"previous = "40％""#, r#"previous = "39％""#)),
        ("toml syntax", replace(R2016, r#"value = "40％""#, "value = 40％")),
    ] {
        let copy = edited_fixture("invalid/base", &[edit]);
        let run = TestSite::at(copy.path()).run_into(&out);
        assert_eq!(run.code, Some(1), "{case}: {}", run.stderr);
        assert!(run.stderr.contains("nothing was written"), "{case}: {}", run.stderr);
        let after = Files::read(&out);
        assert!(before == after, "{case}: output changed:\n{}", before.diff(&after));
    }
    // No staging or backup folder is left beside it.
    let names: Vec<String> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["public"]);
}

#[test]
fn successful_build_replaces_the_output_and_reports_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    std::fs::create_dir_all(out.join("testshi/ward1")).unwrap();
    std::fs::write(out.join("testshi/ward1/index.html"), "old").unwrap();
    std::fs::write(out.join("stale.html"), "old").unwrap();
    std::fs::write(out.join("index.html"), "old").unwrap();
    // An earlier build lists what it wrote; only those files may be replaced.
    let manifest =
        r#"{"generator": "mieruka", "format": 1, "files": ["index.html", "stale.html", "testshi/ward1/index.html"]}"#;
    std::fs::write(out.join(".mieruka-manifest.json"), manifest).unwrap();
    let run = TestSite::fixture("minimal").run_into(&out);
    run.assert_success();
    // The fixture's home page holds a <script> on purpose (the sanitiser test): its one warning.
    assert!(run.stderr.starts_with("warning: the element <script> with its content is removed"), "{}", run.stderr);
    let last = run.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("built ") && last.contains(" pages (") && last.ends_with(" with 1 warning"), "{last}");
    let files = Files::read(&out);
    assert!(!files.exists("stale.html"), "the previous site is replaced, not merged");
    assert!(!files.exists("testshi/ward1/"));
    assert!(files.exists("testshi/daiichi/2016/"));
}

#[test]
fn a_folder_that_is_not_an_earlier_build_is_never_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("documents");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "keep me").unwrap();
    let run = TestSite::fixture("minimal").run_into(&out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("holds no earlier build"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(out.join("mine.txt")).unwrap(), "keep me");
}

/// From a series table row back to the very row of the report the value stands in.
#[test]
fn series_rows_link_back_to_their_report_row() {
    let s = series();
    let html = s.main("testshi/ward1/indicators/chiiki-manzoku/");
    let fy2017 = element_by_id(&html, "fy2017").expect("row fy2017");
    assert!(fy2017.contains(r#"href="/testshi/ward1/2017/#goal-1-1-chiiki-manzoku""#), "{fy2017}");
    let report = s.page("testshi/ward1/2017/");
    assert!(report.contains(r#"id="goal-1-1-chiiki-manzoku""#), "the fragment exists on the report page");
    // An initiative's indicator links to the initiative's row.
    let html = s.main("testshi/ward1/indicators/ward1-kouza-sanka/");
    assert!(html.contains(r#"href="/testshi/ward1/2016/#initiative-1-1-1""#), "{html}");
}

/// A copy of a fixture with the site's own `templates/` files.
fn with_site_templates(name: &str, templates: &[(&str, &str)]) -> tempfile::TempDir {
    let root = common::copy_fixture(name);
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    for (file, text) in templates {
        std::fs::write(root.path().join("templates").join(file), text).unwrap();
    }
    root
}

#[test]
fn a_site_template_replaces_the_built_in_one_everywhere() {
    // footer.html is rendered once per data date and shared: every page must still show it.
    let root = with_site_templates(
        "series",
        &[
            ("footer.html", "<footer>市の独自フッター {{ site.base }}</footer>"),
            ("measurement.html", "<article id=\"{{ m.anchor }}\"><h3>カード：{{ m.name }}</h3></article>"),
        ],
    );
    let site = TestSite::at(root.path()).render();
    for (path, html) in site.html_pages() {
        if !html.contains("http-equiv=\"refresh\"") && !path.ends_with("embed/index.html") {
            assert!(html.contains("<footer>市の独自フッター /</footer>"), "{path} lacks the site's footer");
        }
    }
    let report = site.main("testshi/ward1/2016/");
    assert!(report.contains("<h3>カード："), "the report page shows the site's card");
    assert!(!report.contains("class=\"measurement\""), "the built-in card is gone");
}

#[test]
fn a_misspelt_site_template_is_an_error() {
    let root = with_site_templates("minimal", &[("gaol.html", "x")]);
    let err = TestSite::at(root.path()).try_render().expect_err("an unknown template fails the build").to_string();
    assert!(err.contains("templates/gaol.html") && err.contains("goal.html"), "{err}");
}

#[test]
fn a_site_template_that_reads_a_missing_field_names_its_file_line_and_column() {
    let root = with_site_templates(
        "minimal",
        &[(
            "goal.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.goal.nope }}</h1>\n{% endblock main %}\n",
        )],
    );
    let err = TestSite::at(root.path()).try_render().expect_err("an undefined field fails the build").to_string();
    assert!(err.contains("--> templates/goal.html:3:18"), "{err}");
    assert!(
        err.contains("`nope` is not defined") && err.contains("desired_state"),
        "names the field and what there is: {err}"
    );
}

#[test]
fn a_site_template_looping_over_a_map_prints_it_in_the_same_order_every_build() {
    let root = with_site_templates(
        "series",
        &[(
            "report.html",
            "{% extends \"base.html\" %}{% block main %}<p id=\"keys\">{% for id, c in page.data.goals %}{{ id }} {% endfor %}</p>{% endblock main %}",
        )],
    );
    let keys = || {
        let site = TestSite::at(root.path()).render();
        let main = site.main("testshi/ward1/2016/");
        main[main.find("<p id=\"keys\">").expect("the site's report template")..]
            .split("</p>")
            .next()
            .unwrap()
            // (Each id such as 1-1 is kept on one line in a span: its text is what counts.)
            .replace("<span class=\"nobr\">", "")
            .replace("</span>", "")
    };
    let first = keys();
    assert!(first.matches(' ').count() >= 2, "several goals: {first}");
    // In the order the data has them (goal ids sorted), not just the same order by chance.
    let ids: Vec<&str> = first.trim_start_matches("<p id=\"keys\">").split_whitespace().collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{first}");
    for _ in 0..5 {
        assert_eq!(keys(), first);
    }
}

/// The base site of tests/integration/errors.rs (no mistakes), rendered with `edits`.
fn invalid_base(edits: &[common::Edit]) -> Files {
    let copy = edited_fixture("invalid/base", edits);
    TestSite::at(copy.path()).render()
}

#[test]
fn a_goal_without_a_title_takes_its_policy_items_and_pages_name_the_ward_in_full() {
    let s = invalid_base(&[]);
    let page = s.main("testshi/ward1/2016/goals/1-1/");
    let h1 = &page[page.find("<h1").expect("h1")..page.find("</h1>").expect("/h1")];
    // Goal 1-1 has no `title`; it alone serves policy item 1-1-a, whose title it takes.
    assert!(text(h1).contains("地域活動への参加の促進（合成）"), "{}", text(h1));
    assert!(text(&page).contains("【1-1-1】"), "the initiative's bracketed label");
    assert!(s.page("testshi/ward1/2016/goals/1-1/").contains("テスト市第一区"), "the ward's full name");
    assert!(s.page("testshi/ward1/2016/initiatives/1-1-1/").contains("テスト市第一区"), "the ward's full name");
}

#[test]
fn a_correction_of_an_initiative_indicator_is_read_in_that_indicators_unit() {
    // The first measurement of the 2017 report is in ％; the corrected one is in 人.
    let s = invalid_base(&[replace(
        "content/testshi/ward1/2017/report.toml",
        r#"previous = "120人""#,
        "previous = \"120人\"\n\n[[corrections]]\nindicator = \"ward1-kouza-sanka\"\nfiscal_year = \"平成28年度\"\n\
         value = \"125人\"\nnote = \"集計誤りの修正（合成）\"",
    )]);
    let r = row(&s, "testshi/ward1/indicators/ward1-kouza-sanka/", "fy2016");
    assert_eq!(r[1], "125人", "{r:?}");
}

#[test]
fn a_renamed_series_takes_its_definition_from_the_new_id_even_where_the_old_one_lingers() {
    // FY2017 renames the course indicator and, in a second initiative, still lists the old id
    // (same value): the series is named after the new id's definition, not the old one's.
    const R2017: &str = "content/testshi/ward1/2017/report.toml";
    let s = invalid_base(&[
        replace(
            R2017,
            r#"indicator = "ward1-kouza-sanka""#,
            "indicator = \"ward1-kouza-sanka2\"\ncontinues = \"ward1-kouza-sanka\"",
        ),
        replace(R2017, r#"name = "地域活動講座の参加者数（合成）""#, r#"name = "講座の参加者数（新）""#),
        replace(
            R2017,
            r#"previous = "120人""#,
            "previous = \"120人\"\n\n[[initiatives]]\nid = \"1-1-2\"\ngoal = \"1-1\"\ncontent = \"旧い指標のまま（合成）\"\n\
             achievement_code = \"①(ⅰ)\"\neffectiveness = \"○\"\n\n[[initiatives.indicators]]\n\
             indicator = \"ward1-kouza-sanka\"\nname = \"旧名（合成）\"\nunit = \"人\"\nvalue = \"130人\"",
        ),
    ]);
    let page = s.main("testshi/ward1/indicators/ward1-kouza-sanka2/");
    let h1 = &page[page.find("<h1").expect("h1")..page.find("</h1>").expect("/h1")];
    assert!(text(h1).contains("講座の参加者数（新）"), "{}", text(h1));
}

// ---- how the source prints: shared ratings, uncertain readings, surveys, no criterion -------

/// The row of a report's or series' CSV for an indicator, value column (or fiscal year) and
/// record type.
fn csv_row<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    pick: &[(&str, &str)],
) -> &'a std::collections::BTreeMap<String, String> {
    let found: Vec<_> =
        rows.iter().filter(|r| pick.iter().all(|(k, v)| r.get(*k).map(String::as_str) == Some(*v))).collect();
    assert_eq!(found.len(), 1, "rows with {pick:?}: {found:#?}");
    found[0]
}

#[test]
fn a_rating_printed_once_for_two_outcomes_counts_once_and_says_so() {
    const R2016: &str = "content/testshi/ward1/2016/report.toml";
    let s = invalid_base(&[replace(
        R2016,
        r#"rating = "A""#,
        "rating = \"A\"\n\n[[goals.outcomes]]\nindicator = \"ward1-sanka\"\nname = \"地域活動に参加した区民の割合（合成）\"\n\
         unit = \"％\"\nvalue = \"20％\"\nrating = \"A\"\nrated_with = \"chiiki-manzoku\"",
    )]);
    // One A printed for two outcomes: one A counted, on the report page and the ward page.
    let report = text(&s.main("testshi/ward1/2016/"));
    assert!(report.contains("指標ごとに A 1件・B 0件"), "{report}");
    let ward = s.main("testshi/ward1/");
    let row = ward.split("<tr>").find(|r| r.contains("平成28年度")).expect("the FY2016 row");
    assert_eq!(cells(row)[3..], ["1", "0", "1", "0"], "{row}");
    // The card of the outcome that shares the rating says with which one.
    let card = card(&s, "testshi/ward1/2016/goals/1-1/", "goal-1-1-ward1-sanka");
    assert!(text(&card).contains("評価は「地域活動に満足している区民の割合（合成）」と合わせて1つ"), "{card}");
    // The data says it in a column of its own, on this year's row only.
    let rows = s.csv("testshi/ward1/2016/data.csv");
    let shared = csv_row(&rows, &[("indicator_id", "ward1-sanka"), ("value_column", "this_year")]);
    assert_eq!((shared["rating"].as_str(), shared["rating_shared_with"].as_str()), ("A", "chiiki-manzoku"));
    assert!(shared["note"].contains("と合わせて1つ"), "{shared:?}");
    let own = csv_row(&rows, &[("indicator_id", "chiiki-manzoku"), ("value_column", "this_year")]);
    assert_eq!(own["rating_shared_with"], "");
    let observations = s.csv("data/observations.csv");
    let shared = csv_row(&observations, &[("indicator_id", "ward1-sanka"), ("fiscal_year", "2016")]);
    assert_eq!(shared["rating_shared_with"], "chiiki-manzoku");
}

#[test]
fn an_uncertain_reading_is_marked_beside_the_value_and_in_every_row_of_it() {
    const R2016: &str = "content/testshi/ward1/2016/report.toml";
    let s = invalid_base(&[replace(
        R2016,
        r#"rating = "A""#,
        "rating = \"A\"\nuncertain = \"前年度の値と評価は2つの値の後にまとめて印字されています（合成）\"",
    )]);
    let card = text(&card(&s, "testshi/ward1/2016/goals/1-1/", "goal-1-1-chiiki-manzoku"));
    assert!(
        card.contains("読み取りに不確かさがあります：前年度の値と評価は2つの値の後にまとめて印字されています（合成）"),
        "{card}"
    );
    let rows = s.csv("testshi/ward1/2016/data.csv");
    for column in ["this_year", "previous_year"] {
        let r = csv_row(&rows, &[("indicator_id", "chiiki-manzoku"), ("value_column", column)]);
        assert_eq!(r["uncertain"], "true", "{r:?}");
        assert!(r["note"].contains("読み取りに不確かさがあります：前年度の値と評価は"), "{r:?}");
    }
    let other = csv_row(&rows, &[("indicator_id", "ward1-kouza-sanka"), ("value_column", "this_year")]);
    assert_eq!(other["uncertain"], "false");
    let observations = s.csv("data/observations.csv");
    for fy in ["2015", "2016"] {
        let r = csv_row(&observations, &[("indicator_id", "chiiki-manzoku"), ("fiscal_year", fy)]);
        assert_eq!(r["uncertain"], "true", "{r:?}");
    }
    // The series page's notes for the year say it too.
    let series = text(&row(&s, "testshi/ward1/indicators/chiiki-manzoku/", "fy2016").join(" "));
    assert!(series.contains("読み取りに不確かさがあります"), "{series}");
}

#[test]
fn the_survey_of_the_previous_years_value_is_on_the_card_and_its_rows() {
    const R2016: &str = "content/testshi/ward1/2016/report.toml";
    let s = invalid_base(&[replace(
        R2016,
        r#"previous = "38％""#,
        "previous = \"38％\"\nsurvey = { name = \"区民アンケート（合成）\", asked = 2000, answered = 715, response_rate = \"35.8％\" }\n\
         previous_survey = { name = \"区民アンケート（合成）\", when = \"11月\", asked = 1500, answered = 553, response_rate = \"36.9％\" }",
    )]);
    let card = text(&card(&s, "testshi/ward1/2016/goals/1-1/", "goal-1-1-chiiki-manzoku"));
    assert!(
        card.contains("調査（前年度の値） 区民アンケート（合成）、11月、対象 1,500人、回答 553人、回収率 36.9％"),
        "{card}"
    );
    let rows = s.csv("testshi/ward1/2016/data.csv");
    let previous = csv_row(&rows, &[("indicator_id", "chiiki-manzoku"), ("value_column", "previous_year")]);
    let survey = |r: &std::collections::BTreeMap<String, String>| {
        ["survey_asked", "survey_answered", "survey_response_rate"].map(|k| r[k].clone())
    };
    assert_eq!(survey(previous), ["1500", "553", "36.9"]);
    let this_year = csv_row(&rows, &[("indicator_id", "chiiki-manzoku"), ("value_column", "this_year")]);
    assert_eq!(survey(this_year), ["2000", "715", "35.8"]);
    // FY2015 is known from that column only: the all-years file carries its survey.
    let observations = s.csv("data/observations.csv");
    let r2015 = csv_row(&observations, &[("indicator_id", "chiiki-manzoku"), ("fiscal_year", "2015")]);
    assert_eq!(survey(r2015), ["1500", "553", "36.9"]);
}

#[test]
fn a_dash_for_withdrawal_says_the_source_gives_none() {
    const R2016: &str = "content/testshi/ward1/2016/report.toml";
    let s = invalid_base(&[replace(
        R2016,
        r#"withdrawal = { text = "参加者数が30人未満であった場合、事業を再構築する。", comparator = "未満", value = "30人" }"#,
        r#"withdrawal = { text = "―" }"#,
    )]);
    let page = text(&s.main("testshi/ward1/2016/initiatives/1-1-1/"));
    assert!(page.contains("撤退基準 記載なし（原資料は「―」）"), "{page}");
    let rows = s.csv("testshi/ward1/2016/data.csv");
    for column in ["this_year", "previous_year"] {
        let r = csv_row(&rows, &[("indicator_id", "ward1-kouza-sanka"), ("value_column", column)]);
        assert_eq!((r["withdrawal_text"].as_str(), r["withdrawal_comparator"].as_str()), ("", ""), "{r:?}");
        assert!(r["note"].contains("撤退基準：記載なし（原資料は「―」）"), "{r:?}");
    }
}

#[test]
fn the_source_wording_of_a_target_is_shown_as_stored() {
    let s = invalid_base(&[]);
    let card = text(&card(&s, "testshi/ward1/2016/goals/1-1/", "goal-1-1-chiiki-manzoku"));
    // The site's words expand the era shorthand; 原文 keeps the source's.
    assert!(card.contains("平成30年度（2018年度）までに50％以上"), "{card}");
    assert!(card.contains("原文：H30年度までに50％以上"), "{card}");
}

#[test]
fn no_line_break_is_offered_after_an_opening_bracket_or_inside_a_code() {
    let real = TestSite::at(env!("CARGO_MANIFEST_DIR")).render();
    for site in [series(), &real] {
        for (path, html) in site.html_pages() {
            for bad in
                ["「<wbr>", "【<wbr>", "（<wbr>", "『<wbr>", "<wbr>」", "<wbr>】", "<wbr>）", "<wbr>、", "<wbr>。"]
            {
                assert!(!html.contains(bad), "{path} offers a break at {bad}");
            }
            // A code such as 2-5-1 or 1-1 is never split.
            let b = html.as_bytes();
            for (i, _) in html.match_indices("<wbr>") {
                let before = i.checked_sub(1).map(|j| b[j]);
                let after = b.get(i + 5).copied();
                let code = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit() || c == b'-');
                assert!(!(code(before) && code(after)), "{path}: a break inside a code at byte {i}");
            }
        }
    }
}
