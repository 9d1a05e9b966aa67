//! Site search: the Pagefind index and the search page, with its list of every indicator by
//! ward and goal for readers without JavaScript. (The browser check types queries into it:
//! tests/browser/check.mjs, `--search`.)

use crate::common::{TestSite, add, edited_fixture, fixtures_dir, text};
use std::collections::BTreeSet;

#[test]
fn the_index_is_published_with_the_site_and_every_page_has_the_search_form() {
    let site = TestSite::fixture("series").render();
    for file in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/pagefind-worker.js"] {
        assert!(site.exists(file), "{file}");
    }
    // Pagefind's own user interfaces are not published: the search page has its own.
    assert!(!site.exists("pagefind/pagefind-ui.js"));
    let entry: serde_json::Value = serde_json::from_slice(&site.files["pagefind/pagefind-entry.json"]).unwrap();
    let languages = entry["languages"].as_object().unwrap();
    let ja = &languages["ja"];
    // One page of the index per record (`every_page_a_reader_looks_for_has_a_record`).
    let (model, linked) = model("series");
    assert_eq!(ja["page_count"].as_u64().unwrap() as usize, mieruka::search::records(&model, &linked).len(), "{ja}");
    for (path, html) in site.html_pages() {
        if path.ends_with("embed/index.html") || path == "404.html" || html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert!(html.contains("<form class=\"site-search\" role=\"search\""), "{path} has no search form");
        assert!(html.contains("action=\"/search/\""), "{path}: the form leads to the search page");
    }
}

#[test]
fn the_search_page_lists_every_indicator_by_ward_and_goal() {
    let site = TestSite::fixture("series").render();
    let main = site.main("search/");
    // Series pages: a ward's indicators, not the pages at a renamed indicator's old id.
    let linked: usize = site
        .html_pages()
        .filter(|(p, html)| {
            p.contains("/indicators/")
                && p.split('/').count() == 5
                && !p.starts_with("testshi/indicators/")
                && !html.contains("http-equiv=\"refresh\"")
        })
        .count();
    let listed = main.matches("<li><a href=\"/testshi/").count();
    assert_eq!(listed, linked, "every series page is listed once: {main}");
    assert!(text(&main).contains(&format!("{linked}の指標")), "{}", text(&main));
    // Grouped by ward (as headings), each ward by its latest report's goals.
    for ward in ["テスト市第一区", "テスト市第二区", "テスト市第三区"] {
        assert!(main.contains(ward), "{ward}");
    }
    assert!(main.contains("<h4><a href=\"/testshi/ward1/2018/goals/"), "{main}");
    // The filters offer what the index can filter on.
    for filter in ["search-city", "search-ward", "search-year", "search-status"] {
        assert!(main.contains(&format!("id=\"{filter}\"")), "{filter}");
    }
    assert!(main.contains("<option>平成30年度（2018年度）</option>"), "{main}");
    // The results are enhancement: the script is a module, the list stands without it.
    assert!(main.contains("<script type=\"module\">"));
    assert!(main.contains("<noscript>"));
}

#[test]
fn search_can_be_turned_off() {
    let dir = edited_fixture("series", &[]);
    let toml = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    std::fs::write(dir.path().join("site.toml"), format!("{toml}\n[search]\nenabled = false\n")).unwrap();
    let site = TestSite::at(dir.path()).render();
    assert!(!site.exists("search/"));
    assert!(!site.files.keys().any(|k| k.starts_with("pagefind/")));
    site.assert_not_contains("testshi/ward1/", "site-search");
}

#[test]
fn a_city_cannot_take_the_search_pages_paths() {
    let dir =
        edited_fixture("series", &[add("content/search/municipality.toml", "name = \"検索市\"\ncode = \"271004\"\n")]);
    let run = TestSite::at(dir.path()).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("search"), "{}", run.stderr);
}

fn model(fixture: &str) -> (mieruka::model::Site, mieruka::link::Linked) {
    let (loaded, errors) = mieruka::load::load(&fixtures_dir().join(fixture));
    assert!(errors.is_empty(), "{errors}");
    let site = mieruka::model::build(&loaded, false).unwrap();
    let linked = mieruka::link::link(&site).unwrap();
    (site, linked)
}

/// The values of one filter of a record, in its order.
fn values<'a>(r: &'a mieruka::search::Record, filter: &str) -> Vec<&'a str> {
    r.filters.iter().filter(|(n, _)| *n == filter).map(|(_, v)| v.as_str()).collect()
}

#[test]
fn every_page_a_reader_looks_for_has_a_record() {
    let site = TestSite::fixture("series").render();
    let (model, linked) = model("series");
    let records = mieruka::search::records(&model, &linked);
    let indexed: BTreeSet<&str> = records.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(indexed.len(), records.len(), "one record a page");
    assert!(records.windows(2).all(|w| w[0].url < w[1].url), "in URL order");
    // Every page but the home page, the accessibility statement (and its checklist) and the
    // search page itself; not the embeds, nor the redirects of renamed indicators.
    let pages: BTreeSet<String> = site
        .html_pages()
        .filter(|(p, html)| {
            p.ends_with("index.html") && !p.ends_with("embed/index.html") && !html.contains("http-equiv=\"refresh\"")
        })
        .map(|(p, _)| p.trim_end_matches("index.html").to_string())
        .filter(|p| !p.is_empty() && !p.starts_with("accessibility/") && p != "search/")
        .collect();
    let pages: BTreeSet<&str> = pages.iter().map(String::as_str).collect();
    assert_eq!(indexed, pages);
    // Among them the status pages, what changed since the previous report, and the method.
    for url in [
        "status/",
        "status/worsening/",
        "testshi/status/",
        "testshi/status/rated-a/",
        "testshi/ward1/2017/changes/",
        "about/progress/",
    ] {
        assert!(indexed.contains(url), "{url}");
    }
    let method = records.iter().find(|r| r.url == "about/progress/").unwrap();
    assert_eq!(method.title, "進捗状況の判定方法");
    assert!(method.text.concat().contains("悪化"), "the method names each status");
}

#[test]
fn the_status_filter_is_on_every_record_that_judges_indicators() {
    let (model, linked) = model("series");
    let records = mieruka::search::records(&model, &linked);
    let find = |url: &str| records.iter().find(|r| r.url == url).unwrap_or_else(|| panic!("no record {url}"));
    // A series: its status now; a ward: those of its series (the same values).
    for r in records.iter().filter(|r| r.kind == "指標") {
        assert_eq!(values(r, "状況").len(), 1, "{}", r.url);
        let ward = r.url.split("/indicators/").next().unwrap();
        assert!(values(find(&format!("{ward}/")), "状況").contains(&values(r, "状況")[0]), "{}", r.url);
    }
    // Reports, goals and initiatives: those of their indicators as of the report's year.
    for kind in ["報告", "目標", "取組", "区"] {
        for r in records.iter().filter(|r| r.kind == kind) {
            assert!(!values(r, "状況").is_empty(), "{kind} {} has no status", r.url);
        }
    }
    for r in &records {
        let statuses = values(r, "状況");
        assert!(statuses.windows(2).all(|w| w[0] != w[1]), "each status once: {} {statuses:?}", r.url);
        assert!(values(r, "年度").windows(2).all(|w| w[0] != w[1]), "each year once: {}", r.url);
    }
    // A report's statuses are those of its goals' and initiatives' records.
    let report = find("testshi/ward1/2018/");
    let mut parts: Vec<&str> = records
        .iter()
        .filter(|r| r.url.starts_with("testshi/ward1/2018/") && (r.kind == "目標" || r.kind == "取組"))
        .flat_map(|r| values(r, "状況"))
        .collect();
    parts.sort_unstable();
    parts.dedup();
    let mut own = values(report, "状況");
    own.sort_unstable();
    assert_eq!(own, parts);
    // A status list: its status, where it lists indicators; the summary: the statuses it counts.
    let worsening = find("testshi/status/worsening/");
    assert!(values(worsening, "状況").iter().all(|s| *s == "悪化"), "{worsening:?}");
    let summary = find("status/");
    for r in records.iter().filter(|r| r.url.starts_with("status/") && r.url != "status/") {
        for s in values(r, "状況") {
            assert!(values(summary, "状況").contains(&s), "{s} of {} not in the summary", r.url);
        }
    }
    // Every status a record has is offered by the search page's filter.
    let site = TestSite::fixture("series").render();
    let main = site.main("search/");
    let offered: BTreeSet<&str> = records.iter().flat_map(|r| values(r, "状況")).collect();
    assert!(!offered.is_empty());
    for s in offered {
        assert!(main.contains(&format!("<option>{s}</option>")), "{s} is not offered");
    }
}

#[test]
fn a_goal_is_found_by_its_initiatives_and_their_indicators() {
    let (model, linked) = model("series");
    let records = mieruka::search::records(&model, &linked);
    let mut checked = 0;
    for at in model.reports() {
        let (c, w, fy) = (&at.city.id, &at.ward.id, at.report.fiscal_year);
        for i in &at.report.initiatives {
            let Some(goal) = &i.goal else { continue };
            let url = mieruka::urls::goal(c, w, fy, goal);
            let goal = records.iter().find(|g| g.url == url).unwrap();
            for m in &i.indicators {
                assert!(goal.names.contains(&m.indicator.name), "{url} lacks {}", m.indicator.name);
            }
            assert!(goal.text.iter().any(|t| t.contains(&mieruka::text::escape(&i.title))), "{url}: {}", i.title);
            checked += 1;
        }
    }
    assert!(checked > 0);
}
