//! Every XML file the build writes (sitemap.xml, feed.xml) parses, whatever the content says:
//! markup characters in titles and names are escaped, and the characters XML cannot hold
//! (controls, U+FFFE/U+FFFF) are refused at load (tests/integration/errors.rs).

use crate::common::{TestSite, edited_fixture, replace};

/// Reads `xml` to the end with a conforming parser; panics with the parser's error.
fn parses(name: &str, xml: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut elements = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return elements,
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => elements += 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode().unwrap_or_else(|e| panic!("{name}: text does not decode: {e}\n{xml}"));
            }
            Ok(_) => {}
            Err(e) => panic!("{name}: not well-formed at {}: {e}\n{xml}", reader.buffer_position()),
        }
    }
}

#[test]
fn sitemap_and_feed_parse_with_markup_characters_everywhere() {
    let copy = edited_fixture(
        "invalid/base",
        &[
            replace(
                "content/testshi/ward1/2017/report.toml",
                r#"title = "合成データの報告（第一区）""#,
                r#"title = "<b>&amp; \"引用\" 'x' ]]> <!-- --> &#0;"
updated = 2018-06-29"#,
            ),
            replace("content/testshi/ward1/ward.toml", r#"name = "第一区""#, r#"name = "第一区 <&>""#),
            replace(
                "site.toml",
                r#"title = "誤りを加える元のサイト（合成データ・テスト用）""#,
                r#"title = "サイト <script>&\"'"
description = "説明 ]]> &lt;""#,
            ),
        ],
    );
    let run = TestSite::at(copy.path()).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let feed = std::fs::read_to_string(run.out.join("feed.xml")).expect("a feed (a report has a date)");
    assert!(parses("feed.xml", &feed) > 5);
    assert!(feed.contains("&lt;b&gt;&amp;amp;"), "the report title escaped in the feed:\n{feed}");
    let sitemap = std::fs::read_to_string(run.out.join("sitemap.xml")).unwrap();
    assert!(parses("sitemap.xml", &sitemap) > 5);
}
