//! `static/`: files published as they are (the original PDF of a report, a logo, favicon.ico),
//! and a report's source document linked with its date from every page of the report.

use crate::common::{TestSite, add, edited_fixture, replace};

const R2016: &str = "content/testshi/daiichi/2016/report.toml";
const UPDATED: &str = "updated = 2017-06-30";
const WITH_SOURCE: &str = "updated = 2017-06-30\n\n[source]\ntitle = \"取組状況について（第一区）\"\nurl = \"https://www.city.example.jp/daiichi/h28.html\"\nfile = \"sources/第一区 平成28年度.pdf\"\npublished = \"平成29年6月30日\"";

/// Not valid UTF-8 on purpose: copied byte for byte, not read as text.
const PDF: &str = "%PDF-1.4\n";

#[test]
fn static_files_are_copied_and_the_source_is_linked_from_every_page_of_its_report() {
    let site = edited_fixture(
        "minimal",
        &[
            replace(R2016, UPDATED, WITH_SOURCE),
            add("static/sources/第一区 平成28年度.pdf", PDF),
            add("static/favicon.ico", "ico"),
            add("static/.DS_Store", "hidden"),
        ],
    );
    std::fs::write(site.path().join("static/logo.png"), [0x89, b'P', b'N', b'G', 0xff, 0x00]).unwrap();
    let run = TestSite::at(site.path()).run();
    run.assert_success();
    // One warning only, the fixture's own (a <script> on its home page): none for static/.
    assert!(run.stderr.contains("with 1 warning") && run.stderr.contains("content/index.md:1:"), "{}", run.stderr);
    let files = run.files();
    assert_eq!(files.files["sources/第一区 平成28年度.pdf"], PDF.as_bytes());
    assert_eq!(files.files["favicon.ico"], b"ico");
    assert_eq!(files.files["logo.png"], [0x89, b'P', b'N', b'G', 0xff, 0x00]);
    assert!(!files.files.contains_key(".DS_Store"), "hidden files are not published");

    let href = "/sources/%E7%AC%AC%E4%B8%80%E5%8C%BA%20%E5%B9%B3%E6%88%9028%E5%B9%B4%E5%BA%A6.pdf";
    for page in ["testshi/daiichi/2016/", "testshi/daiichi/2016/goals/1-1/", "testshi/daiichi/2016/initiatives/1-1-1/"]
    {
        let html = files.main(page);
        assert!(
            html.contains(&format!("<a href=\"{href}\">このサイトに掲載した写し（PDF、9バイト）</a>")),
            "{page}:\n{html}"
        );
        assert!(
            html.contains("<a href=\"https://www.city.example.jp/daiichi/h28.html\">取組状況について（第一区）</a>"),
            "{page}"
        );
        assert!(html.contains("<time datetime=\"2017-06-30\">2017年6月30日</time>公表"), "{page}");
    }
    // The report's data names the copy by its absolute address.
    let json = String::from_utf8(files.files["testshi/daiichi/2016/data.json"].clone()).unwrap();
    assert!(json.contains(&format!("\"file\":\"http://127.0.0.1:8357{href}\"")), "{json}");
    assert!(json.contains("\"published\":\"2017-06-30\""), "{json}");
}

#[test]
fn a_source_file_missing_from_static_is_an_error_naming_the_nearest() {
    let site = edited_fixture(
        "minimal",
        &[replace(R2016, UPDATED, WITH_SOURCE), add("static/sources/第一区 平成28年度.PDF", PDF)],
    );
    let run = TestSite::at(site.path()).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("report.toml:8:8"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "there is no static/sources/第一区 平成28年度.pdf (did you mean `sources/第一区 平成28年度.PDF`?)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_static_file_where_the_site_makes_a_page_is_an_error_and_nothing_is_written() {
    let site =
        edited_fixture("minimal", &[add("static/index.html", "<p>old home</p>"), add("static/sitemap.xml", "x")]);
    let run = TestSite::at(site.path()).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("static/index.html"), "{}", run.stderr);
    assert!(run.stderr.contains("static/sitemap.xml"), "{}", run.stderr);
    assert!(run.stderr.contains("the site makes `index.html` itself"), "{}", run.stderr);
    assert!(!run.out.exists(), "a failed build wrote its output");
}
