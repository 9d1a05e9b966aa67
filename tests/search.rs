//! Site search: the Pagefind index and the search page, with its list of every indicator by
//! ward and goal for readers without JavaScript. (The browser check types queries into it:
//! tests/browser/check.mjs, `--search`.)

mod common;

use common::{TestSite, add, edited_fixture, text};

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
    // One record per report, goal, initiative, series, comparison, ward and city of the fixture.
    let series =
        site.html_paths().iter().filter(|p| p.contains("/indicators/") && !p.ends_with("embed/index.html")).count();
    assert!(ja["page_count"].as_u64().unwrap() as usize >= series, "{ja}");
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
