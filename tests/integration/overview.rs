//! The overview pages on the series fixture (three wards × three years): the home matrix, the
//! ward page's goals with sparklines, what changed, and the status summary with its lists.

use crate::common::{Files, TestSite, attribute_values, cells, copy_fixture, element_by_id, text};
use std::sync::LazyLock;

static SERIES: LazyLock<Files> = LazyLock::new(|| TestSite::fixture("series").render());

fn series() -> &'static Files {
    &SERIES
}

/// A site link (`/testshi/ward1/2016/#x`) as a path and a fragment.
fn local(href: &str) -> (String, Option<String>) {
    let href = href.strip_prefix('/').unwrap_or(href);
    match href.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (href.to_string(), None),
    }
}

/// The `<li>` of a list that links to `href`, as text.
fn item_linking(html: &str, href: &str) -> String {
    let at = html.find(&format!("href=\"{href}\"")).unwrap_or_else(|| panic!("no link to {href}"));
    let start = html[..at].rfind("<li").unwrap();
    let end = html[at..].find("</li>").unwrap() + at;
    text(&html[start..end])
}

// ---- home ---------------------------------------------------------------------------------

#[test]
fn home_matrix_has_a_cell_per_ward_and_year_newest_first() {
    let home = series().main("");
    let table = &home[home.find(r#"<table class="matrix">"#).expect("the matrix")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<caption"), "a captioned table");
    let head: Vec<String> = cells(&table[table.find("<thead>").unwrap()..table.find("</thead>").unwrap()]);
    assert_eq!(head, ["区", "平成30年度（2018年度）", "平成29年度（2017年度）", "平成28年度（2016年度）"]);
    assert_eq!(table.matches(r#"<th scope="col">"#).count(), 4);
    let rows: Vec<&str> = table.split("<tr>").filter(|r| r.contains(r#"scope="row""#)).collect();
    assert_eq!(rows.len(), 3);
    let ward1 = cells(rows[0]);
    assert_eq!(ward1[0], "第一区");
    // FY2018: goal 1-1 rated B, its outcomes データ不足 and 期限までに未達成 (not on track by
    // the trend); goal 2-1 rated A, 待機児童数 順調 (on track).
    assert_eq!(
        ward1[1],
        "目標 2件（第一区 平成30年度（2018年度）の報告） 区の評価 ✓順調 1 ▼順調でない 1 推移 ✓順調 1 ▼順調でない 1 ―判定できない 0"
    );
    // FY2017: both goals rated A; 満足度 加速が必要 (not on track), 待機児童数 順調.
    assert_eq!(
        ward1[2],
        "目標 2件（第一区 平成29年度（2017年度）の報告） 区の評価 ✓順調 2 ▼順調でない 0 推移 ✓順調 1 ▼順調でない 1 ―判定できない 0"
    );
    // Ward 3, FY2016: 満足度 目標達成 but 認知度 進捗が限定的 (goal 1-1 not on track), 待機児童数 悪化.
    assert!(cells(rows[2])[3].contains("推移 ✓順調 0 ▼順調でない 2 ―判定できない 0"), "{:?}", cells(rows[2]));
    // Each cell links to its report; every row header to its ward.
    let links = attribute_values(rows[0], "href");
    assert_eq!(links, ["/testshi/ward1/", "/testshi/ward1/2018/", "/testshi/ward1/2017/", "/testshi/ward1/2016/"]);
    // Icons carry the meaning with the words, hidden from screen readers (said by the words).
    assert!(rows[0].contains(r#"<span aria-hidden="true">✓</span>順調 1"#));
    assert!(home.contains("表の見方"), "a legend");
}

#[test]
fn a_year_a_ward_has_no_report_for_says_so_and_its_next_report_compares_with_the_one_before() {
    // Ward 3 without its FY2017 report: its cell says so; FY2018 is compared with FY2016.
    let tmp = copy_fixture("series");
    std::fs::remove_dir_all(tmp.path().join("content/testshi/ward3/2017")).unwrap();
    let s = TestSite::at(tmp.path()).render();
    let home = s.main("");
    let row = home.split("<tr>").find(|r| r.contains(">第三区</a></th>")).expect("ward 3's row");
    assert_eq!(cells(row)[2], "報告なし", "{:?}", cells(row));
    assert!(!s.exists("testshi/ward3/2017/"));
    let changes = text(&s.main("testshi/ward3/2018/changes/"));
    assert!(changes.contains("同じ区の前の報告（平成28年度（2016年度））と比べて"), "{changes}");
    assert!(!s.main("testshi/ward3/").contains("2017/changes/"));
}

// ---- ward page ----------------------------------------------------------------------------

#[test]
fn ward_page_lists_goals_in_report_order_with_their_indicators() {
    let html = series().main("testshi/ward1/");
    let goals: Vec<String> = html
        .split(r#"<h3 id="ward-goal-"#)
        .skip(1)
        .map(|h| text(&h[h.find('>').unwrap() + 1..h.find("</h3>").unwrap()]))
        .collect();
    assert_eq!(
        goals,
        ["【1-1】地域活動への参加の促進（合成）", "【2-1】待機児童の解消（合成）", "目標に属さない取組の指標"]
    );
    // Under 【2-1】: its outcome, then its initiative's indicator.
    let section = element_by_id(&html, "ward-goal-2").map(|_| {
        let at = html.find(r#"id="ward-goal-2""#).unwrap();
        html[at..html[at..].find("</section>").unwrap() + at].to_string()
    });
    let section = section.expect("goal 2-1");
    let names: Vec<String> =
        section.split(r#"<p class="indicator-name">"#).skip(1).map(|p| text(&p[..p.find("</p>").unwrap()])).collect();
    assert_eq!(names, ["保育所待機児童数（合成）", "保育所の受入枠の拡大数（合成） （取組の指標）"]);
}

#[test]
fn sparkline_draws_every_year_the_target_and_the_break_and_says_so_in_words() {
    let html = series().main("testshi/ward1/");
    let item = |series: &str| {
        let href = format!("/testshi/ward1/indicators/{series}/");
        let at = html.find(&format!("href=\"{href}\"")).unwrap_or_else(|| panic!("no {series}"));
        let start = html[..at].rfind("<li").unwrap();
        html[start..html[at..].find("</li>").unwrap() + at].to_string()
    };
    // 待機児童数 20 → 14 → 8 → 3 (FY2015–2018), target ゼロ: zero at the bottom (y 28), 20 at the top (y 4).
    let taiki = item("taiki-jido");
    let svg = &taiki[taiki.find("<svg").unwrap()..taiki.find("</svg>").unwrap()];
    assert!(svg.contains(r#"aria-hidden="true""#), "{svg}");
    let dots: Vec<(String, String, String)> = svg
        .split("<circle")
        .skip(1)
        .map(|c| {
            let v = |a: &str| attribute_values(c, a)[0].to_string();
            (v("data-year"), v("cx"), v("cy"))
        })
        .collect();
    let expected = [("2015", "4", "4"), ("2016", "41.3", "11.2"), ("2017", "78.7", "18.4"), ("2018", "116", "24.4")];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into())).collect();
    assert_eq!(dots, expected);
    assert!(svg.contains(r#"<line class="spark-target" x1="0" y1="28" x2="120" y2="28"/>"#), "{svg}");
    assert!(svg.contains(r#"<path class="spark-line" d="M4,4 L41.3,11.2 L78.7,18.4 L116,24.4"/>"#), "{svg}");
    // The same in words, once: hidden text beside the hidden SVG.
    let words =
        "推移：平成27年度 20人、平成28年度 14人、平成29年度 8人、平成30年度 3人。目標 令和2年度（2020年度）までにゼロ";
    assert!(taiki.contains(&format!(r#"<p class="visually-hidden">{words}</p>"#)), "{taiki}");
    let facts = text(&taiki);
    assert!(facts.contains(
        "最新の値（平成30年度（2018年度）） 3人 区の評価 ✓順調（A） 推移からの判定 順調（期限までに達成の見込み）"
    ));
    // 満足度: a break before FY2018, drawn as a gap with an upright line, and said.
    let manzoku = item("chiiki-manzoku");
    let svg = &manzoku[manzoku.find("<svg").unwrap()..manzoku.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<circle").count(), 4);
    assert_eq!(svg.matches(r#"<line class="spark-break""#).count(), 1);
    let d = attribute_values(svg, "d")[0];
    assert_eq!(d.matches('M').count(), 2, "the line is cut at the break: {d}");
    assert!(text(&manzoku).contains("平成29年度 45.0％、（ここで系列の断絶）平成30年度 30.0％"), "{manzoku}");
}

#[test]
fn an_indicator_a_later_report_no_longer_gives_says_so() {
    let html = series().main("testshi/ward2/");
    let item = item_linking(&html, "/testshi/ward2/indicators/ward2-hoiku-sodan/");
    assert!(item.contains("平成30年度は報告なし"), "{item}");
    assert!(item.contains("最新の値（平成29年度（2017年度）） 210件"), "{item}");
    // Only that one.
    assert_eq!(html.matches("は報告なし").count(), 1);
}

// ---- what changed -------------------------------------------------------------------------

#[test]
fn what_changed_lists_each_kind_of_change() {
    let s = series();
    let page = text(&s.main("testshi/ward1/2018/changes/"));
    // Ratings: a goal's and two indicators'.
    for needle in [
        "目標 【1-1】地域活動への参加の促進（合成）（全体の評価）：✓順調（A） → ▼順調でない（B）",
        "指標 地域活動に満足している区民の割合（合成）：✓順調（A） → ▼順調でない（B）",
        "指標 地域活動協議会の活動を知っている区民の割合（合成）：▼順調でない（B） → ✓順調（A）",
        // Values by the indicator's good direction: fewer waiting children is better.
        "改善した指標 地域活動協議会の活動を知っている区民の割合（合成）：35％ → 41％ ↗改善 保育所待機児童数（合成）：8人 → 3人 ↗改善",
        "悪化した指標 地域活動講座の参加者数（合成）：1,350人 → 900人 ↘悪化",
        "系列の断絶があり比べられない指標 地域活動に満足している区民の割合（合成）：45.0％ → 30.0％",
        // 900人 is below 80％ of 1,350人; FY2017's 1,350人 was not below 80％ of 1,200人.
        "新たに撤退基準に該当した取組の指標 地域活動講座の参加者数（合成）：900人 ▼撤退基準に該当 撤退基準：参加者数が前年度実績の80％を下回った場合、事業を再構築する。",
    ] {
        assert!(page.contains(needle), "missing 「{needle}」 in {page}");
    }
    // Ward 2: an indicator given in FY2017 only, and a target revised in FY2018.
    let w2017 = text(&s.main("testshi/ward2/2017/changes/"));
    assert!(w2017.contains("新しく加わった指標 保育の相談件数（合成）"), "{w2017}");
    let w2018 = text(&s.main("testshi/ward2/2018/changes/"));
    assert!(w2018.contains("報告されなくなった指標 保育の相談件数（合成）（平成29年度（2017年度）まで）"), "{w2018}");
    assert!(
        w2018.contains(
            "見直された目標・期限 地域活動協議会を知っている区民の割合（合成）：平成30年度（2018年度）までに60％以上 → 令和2年度（2020年度）までに65％以上 \
             原文：「平成30年度までに60％以上」→「令和2年度までに65％以上」"
        ),
        "{w2018}"
    );
    assert!(w2018.contains("新しく加わった指標 ありません。"), "{w2018}");
    // A ward's first report has no such page, and no link to one.
    assert!(!s.exists("testshi/ward1/2016/changes/"));
    assert!(!s.main("testshi/ward1/2016/").contains("/changes/"));
    // Linked from the report page and the ward page.
    assert!(s.main("testshi/ward1/2018/").contains(r#"<a href="/testshi/ward1/2018/changes/">"#));
    let ward = s.main("testshi/ward1/");
    let links: Vec<&str> = attribute_values(&ward, "href").into_iter().filter(|h| h.ends_with("/changes/")).collect();
    assert_eq!(links, ["/testshi/ward1/2018/changes/", "/testshi/ward1/2017/changes/"]);
}

// ---- status summary -----------------------------------------------------------------------

/// Every count of a summary page with its link, checked against the list it links to.
fn check_counts(summary: &str) -> usize {
    let s = series();
    let html = s.main(summary);
    assert!(html.contains("進捗状況の一覧</h1>"), "{summary}: heading");
    let mut checked = 0;
    for table in html.split(r#"<table class="count-table">"#).skip(1) {
        let table = &table[..table.find("</table>").unwrap()];
        let body = &table[table.find("<tbody>").unwrap()..];
        let rows: Vec<&str> = body.split("<tr>").skip(1).collect();
        let mut column_sums = Vec::new();
        for row in &rows {
            let tds: Vec<&str> = row.split("<td").skip(1).collect();
            let (counts, total) = tds.split_at(tds.len() - 1);
            let total: usize = text(&format!("<td{}", total[0])).parse().unwrap();
            let mut sum = 0;
            for (i, td) in counts.iter().enumerate() {
                let n: usize = text(&format!("<td{td}")).parse().unwrap();
                sum += n;
                if column_sums.len() <= i {
                    column_sums.push(0);
                }
                let links = attribute_values(td, "href");
                if n == 0 {
                    assert!(links.is_empty(), "{summary}: a zero with a link");
                    continue;
                }
                let (path, fragment) = local(links[0]);
                let list = s.main(&path);
                let listed = match &fragment {
                    Some(f) => element_by_id(&list, f).unwrap_or_else(|| panic!("{path}#{f} missing")),
                    None => list.clone(),
                };
                let items = listed.matches("<li>").count();
                assert_eq!(items, n, "{summary}: count {n} links to {path}#{fragment:?} with {items}");
                checked += 1;
            }
            assert_eq!(sum, total, "{summary}: a row's counts add up to its indicators");
        }
        assert!(!rows.is_empty());
    }
    checked
}

#[test]
fn status_summary_counts_link_to_lists_of_exactly_those_indicators() {
    let s = series();
    assert!(check_counts("testshi/status/") > 20);
    assert!(check_counts("status/") > 20);
    // Ward 1, FY2018: 満足度 データ不足, 認知度 期限までに未達成, 待機児童数 順調, 講座 判定対象外
    // (前年度より増, not met), 受入枠 and 経費 目標達成; rated A twice, B once, three unrated.
    let html = s.main("testshi/status/");
    let row = html.split("<tr>").find(|r| r.contains("第一区 平成30年度（2018年度）")).unwrap();
    assert_eq!(cells(row), ["第一区 平成30年度（2018年度）", "2", "1", "0", "0", "0", "1", "1", "1", "6"]);
    let by_rating = &html[html.find("by-rating-caption").unwrap()..];
    let row = by_rating.split("<tr>").find(|r| r.contains("第一区 平成30年度（2018年度）")).unwrap();
    assert_eq!(cells(row), ["第一区 平成30年度（2018年度）", "2", "1", "3", "6"]);
    // The list of 目標達成 has that ward and year's two.
    let list = s.main("testshi/status/achieved/");
    let section = element_by_id(&list, "ward1-2018").unwrap();
    assert_eq!(
        text(&section[section.find("<ul").unwrap()..]),
        "保育所の受入枠の拡大数（合成） 値 120人・区の評価 なし・推移からの判定 目標達成 \
         事務経費の削減率（合成） 値 36％・区の評価 なし・推移からの判定 目標達成"
    );
    // Every list page exists, even one that lists nothing.
    for slug in [
        "achieved",
        "on-track",
        "needs-acceleration",
        "limited",
        "worsening",
        "missed-deadline",
        "insufficient-data",
        "not-assessable",
        "rated-a",
        "rated-b",
        "unrated",
    ] {
        assert!(s.exists(&format!("testshi/status/{slug}/")), "{slug}");
        assert!(s.exists(&format!("status/{slug}/")), "{slug}");
    }
    // The site's list names the city with the ward.
    assert!(element_by_id(&s.main("status/achieved/"), "testshi-ward1-2018").is_some());
}

#[test]
fn status_summary_lists_every_disagreement_once() {
    let html = series().main("testshi/status/");
    let list = &html[html.find(r#"<ul class="disagreement-list">"#).expect("the disagreements")..];
    let list = text(&list[..list.find("</ul>").unwrap()]);
    for needle in [
        "第一区 平成30年度（2018年度）：地域活動協議会の活動を知っている区民の割合（合成） — 区の評価 ✓順調（A）、推移からの判定 期限までに未達成",
        "第一区 平成28年度（2016年度）：保育所待機児童数（合成） — 区の評価 ▼順調でない（B）、推移からの判定 順調（期限までに達成の見込み）",
        "第一区 平成29年度（2017年度）：地域活動に満足している区民の割合（合成） — 区の評価 ✓順調（A）、推移からの判定 加速が必要",
    ] {
        assert!(list.contains(needle), "missing 「{needle}」 in {list}");
    }
    // As many as the cards that flag one across the reports.
    let s = series();
    let flagged: usize = s
        .html_paths()
        .into_iter()
        .filter(|p| p.starts_with("testshi/ward") && p.ends_with("/index.html") && p.split('/').count() == 4)
        .filter(|p| p.split('/').nth(2).is_some_and(|y| y.parse::<i32>().is_ok()))
        .map(|p| s.main(p.trim_end_matches("index.html")).matches(r#"<strong class="disagree">"#).count())
        .sum();
    assert_eq!(list.matches(" — 区の評価").count(), flagged);
}

// ---- one judgement ------------------------------------------------------------------------

#[test]
fn the_same_indicator_and_year_has_the_same_status_on_every_page() {
    let s = series();
    // (ward, indicator, year, status): the series table, the report's card and, for the
    // latest year, the ward page all say it.
    for (ward, id, fy, status) in [
        ("ward2", "taiki-jido", 2016, "目標達成"),
        ("ward2", "taiki-jido", 2018, "加速が必要"),
        ("ward1", "chiiki-manzoku", 2016, "進捗が限定的"),
        ("ward1", "ward1-kouza-sanka", 2017, "目標達成"),
        ("ward1", "ward1-kouza-sanka", 2018, "判定対象外"),
    ] {
        let series_page = format!("testshi/{ward}/indicators/{id}/");
        let html = s.main(&series_page);
        let tr = element_by_id(&html, &format!("fy{fy}")).unwrap();
        assert_eq!(cells(&tr)[4], status, "{series_page} FY{fy}");
        // Its cards on the report's pages (report, goal and initiative pages).
        let pages: Vec<String> = s
            .html_paths()
            .into_iter()
            .filter(|p| p.starts_with(&format!("testshi/{ward}/{fy}/")))
            .map(|p| s.main(p.trim_end_matches("index.html")))
            .collect();
        let cards: Vec<&str> = pages
            .iter()
            .flat_map(|html| html.split(r#"<article class="measurement""#).skip(1))
            .filter(|c| c.contains(&format!("/indicators/{id}/")))
            .collect();
        assert!(!cards.is_empty(), "{ward} {fy} {id}: no card");
        for card in cards {
            let dd = &card[card.find("<dt>推移からの判定</dt>").unwrap()..];
            let dd = text(&dd[..dd.find("</dd>").unwrap()]);
            assert!(dd.starts_with(&format!("推移からの判定 {status}")), "{ward} {fy} {id}: card says {dd}");
        }
    }
    let ward = s.main("testshi/ward2/");
    let item = item_linking(&ward, "/testshi/ward2/indicators/taiki-jido/");
    assert!(item.contains("推移からの判定 加速が必要"), "{item}");
}
