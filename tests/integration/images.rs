//! Chart images (src/images): each chart as a standalone SVG file linked beside it, and a
//! 1200×630 PNG preview of each indicator and report page named by `og:image`; none without a
//! Japanese font or with `images = false` (a warning, never boxes for characters); drawn once
//! and read back from the content-addressed cache after that.
//!
//! The PNG tests need a Japanese font on the system: tests/all.sh installs fonts-noto-cjk
//! before `cargo test`.

use crate::common;
use crate::common::{TestSite, add, copy_fixture, edited_fixture, replace};
use std::path::Path;

const SERIES: &str = "testshi/ward1/indicators/ward1-katsudo-ninchido/";
const REPORT: &str = "testshi/ward1/2016/";
const BASE: &str = "http://127.0.0.1:8357/kusei/";

/// Reads `xml` to the end with a conforming parser (panics with its error); returns the name of
/// the root element and the text of the first `<title>`.
fn parse_svg(name: &str, xml: &str) -> (String, String) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut root, mut title, mut in_title) = (None, None, false);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let tag = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                in_title = tag == "title" && title.is_none();
                root.get_or_insert(tag);
            }
            Ok(Event::Text(t)) if in_title => {
                title = Some(t.decode().unwrap().into_owned());
                in_title = false;
            }
            Ok(_) => {}
            Err(e) => panic!("{name}: not well-formed at {}: {e}\n{xml}", reader.buffer_position()),
        }
    }
    (root.unwrap_or_default(), title.unwrap_or_else(|| panic!("{name}: no <title>\n{xml}")))
}

/// Width and height from a PNG's header (its IHDR chunk).
fn png_size(name: &str, png: &[u8]) -> (u32, u32) {
    assert!(png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR", "{name}: not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes(b.try_into().unwrap());
    (be(&png[16..20]), be(&png[20..24]))
}

/// The `content` of `<meta property="…">` (or `name="…"`) in a page's head.
fn meta(html: &str, key: &str) -> Option<String> {
    let at = html.find(&format!("=\"{key}\" content=\""))?;
    let rest = &html[at + key.len() + 13..];
    Some(rest[..rest.find('"')?].to_string())
}

#[test]
fn every_chart_is_a_valid_svg_file_linked_beside_it_with_its_size() {
    let site = TestSite::fixture("series").base_url(BASE).render();
    let svgs: Vec<&str> = site.files.keys().filter(|p| p.ends_with(".svg")).map(String::as_str).collect();
    // A series page with its embed page, and each year of a comparison page.
    assert!(svgs.contains(&format!("{SERIES}chart.svg").as_str()), "{svgs:?}");
    assert!(svgs.iter().any(|p| p.starts_with("testshi/indicators/") && p.ends_with("/chart-2016.svg")), "{svgs:?}");
    for path in &svgs {
        let text = String::from_utf8(site.files[*path].clone()).unwrap();
        let (root, title) = parse_svg(path, &text);
        assert_eq!(root, "svg", "{path}");
        assert!(!title.trim().is_empty(), "{path}: an empty title");
        assert!(text.contains("<desc"), "{path}: no desc");
        assert!(text.contains(r#"xmlns="http://www.w3.org/2000/svg""#), "{path}: no namespace");
        // Its own style sheet: colours and the Japanese font list (no custom properties, which
        // a file opened alone would not have).
        assert!(text.contains("<style>") && text.contains("Noto Sans CJK JP") && !text.contains("var(--"), "{path}");
        assert!(text.contains(r#" width="640" height=""#), "{path}: no size");
    }
    let svg = &site.files[&format!("{SERIES}chart.svg")];
    let (_, title) = parse_svg(SERIES, std::str::from_utf8(svg).unwrap());
    assert_eq!(title, "第一区の地域活動協議会の活動を知っている区民の割合（合成）の推移");
    // The page and the embed page link it, with its size.
    let size = mieruka::data::size_label(svg.len());
    for page in [SERIES.to_string(), format!("{SERIES}embed/")] {
        let html = site.page(&page);
        let link = format!(
            r#"<a href="/kusei/{SERIES}chart.svg" type="image/svg+xml" download>グラフをSVG形式で保存（{size}）</a>"#
        );
        assert!(html.contains(&link), "{page}: no link {link}");
    }
}

#[test]
fn indicator_and_report_pages_have_a_1200x630_preview_image_named_by_og_image() {
    let site = TestSite::fixture("series").base_url(BASE).render();
    for page in [SERIES, REPORT] {
        let png = format!("{page}preview.png");
        let bytes = site.files.get(&png).unwrap_or_else(|| panic!("no {png}"));
        assert_eq!(png_size(&png, bytes), (1200, 630));
        let html = site.page(page);
        assert_eq!(meta(&html, "og:image").as_deref(), Some(format!("{BASE}{png}").as_str()), "{page}");
        assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
        assert_eq!(meta(&html, "og:image:height").as_deref(), Some("630"));
        assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary_large_image"));
        assert!(!meta(&html, "og:image:alt").unwrap_or_default().is_empty(), "{page}: no alt text");
    }
    // The report's image says in words the counts its page gives.
    let alt = meta(&site.page(REPORT), "og:image:alt").unwrap();
    let counts = common::text(&site.main(REPORT));
    let a = counts.split("目標全体で A（順調）").nth(1).and_then(|r| r.split('件').next()).unwrap().to_string();
    assert!(alt.contains(&format!("目標全体 A（順調）{a}件")), "{alt}\n{counts}");
    // Other pages have none, and say so to link previews.
    let home = site.page("");
    assert_eq!(meta(&home, "og:image"), None);
    assert_eq!(meta(&home, "twitter:card").as_deref(), Some("summary"));
    // Every og:image names a file of the site.
    for (path, html) in site.html_pages() {
        if let Some(url) = meta(&html, "og:image") {
            let file = url.strip_prefix(BASE).unwrap_or_else(|| panic!("{path}: {url} is not under the base URL"));
            assert!(site.files.contains_key(file), "{path}: og:image {url} is not a file of the site");
        }
    }
}

#[test]
fn images_false_in_site_toml_turns_the_previews_off_silently_and_keeps_the_svg_files() {
    let copy = edited_fixture(
        "series",
        &[replace(
            "site.toml",
            r#"publisher = "テスト市（合成データ）""#,
            "publisher = \"テスト市（合成データ）\"\nimages = false",
        )],
    );
    let run = TestSite::at(copy.path()).run();
    run.assert_success();
    assert!(!run.stderr.contains("font") && !run.stderr.contains("image"), "{}", run.stderr);
    let files = run.files();
    assert!(!files.files.keys().any(|p| p.ends_with(".png")), "no PNG");
    assert!(files.exists(&format!("{SERIES}chart.svg")));
    for (path, html) in files.html_pages() {
        assert!(!html.contains("og:image"), "{path}");
    }
    // (The search index has a cache of its own there since 131d8cf: only the images' counts.)
    assert!(!copy.path().join(mieruka::images::CACHE_DIR).exists(), "no image cache without images");
}

#[test]
fn without_a_japanese_font_the_build_warns_once_and_names_no_image() {
    let copy = copy_fixture("series");
    // The system's fonts as fontconfig lists them: here, a folder with none.
    let conf = copy.path().join("fonts.conf");
    let empty = copy.path().join("no-fonts");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(
        &conf,
        format!("<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n", empty.display()),
    )
    .unwrap();
    let run = TestSite::at(copy.path()).env("FONTCONFIG_FILE", conf.to_str().unwrap()).run();
    run.assert_success();
    assert_eq!(run.stderr.matches("no Japanese font found").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("fonts-noto-cjk") && run.stderr.contains("images = false"), "{}", run.stderr);
    let files = run.files();
    assert!(!files.files.keys().any(|p| p.ends_with(".png")));
    assert!(files.exists(&format!("{SERIES}chart.svg")), "the SVG files need no font");
    for (path, html) in files.html_pages() {
        assert!(!html.contains("og:image"), "{path}");
    }
}

#[test]
fn a_character_the_font_lacks_costs_that_page_its_image_with_a_warning_never_a_box() {
    let copy = edited_fixture(
        "series",
        &[replace(
            "content/testshi/ward1/2016/report.toml",
            "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況について（第一区・合成データ）\"",
            "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況について（第一区・合成データ）\u{1F9EA}\"",
        )],
    );
    let run = TestSite::at(copy.path()).run();
    run.assert_success();
    assert!(run.stderr.contains("has no 「\u{1F9EA}」") && run.stderr.contains(REPORT), "{}", run.stderr);
    let files = run.files();
    assert!(!files.exists(&format!("{REPORT}preview.png")));
    assert!(!files.page(REPORT).contains("og:image"));
    // The other pages keep theirs.
    assert!(files.exists(&format!("{SERIES}preview.png")));
}

#[test]
fn a_font_named_in_site_toml_that_is_not_a_font_is_an_error_at_its_line() {
    let copy = edited_fixture(
        "series",
        &[
            replace(
                "site.toml",
                r#"publisher = "テスト市（合成データ）""#,
                "publisher = \"テスト市（合成データ）\"\n\n[images]\nfont = \"fonts/notes.ttf\"",
            ),
            add("fonts/notes.ttf", "not a font\n"),
        ],
    );
    let run = TestSite::at(copy.path()).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("site.toml:7:"), "{}", run.stderr);
    assert!(run.stderr.contains("a font file (.ttf, .otf or .ttc)"), "{}", run.stderr);
}

/// The PNG files of the cache folder of a site root.
fn cached(root: &Path) -> Vec<(String, std::time::SystemTime)> {
    let dir = root.join(mieruka::images::CACHE_DIR);
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn a_second_build_reads_every_image_back_from_the_cache_and_a_changed_card_is_drawn_again() {
    let copy = copy_fixture("series");
    let first = TestSite::at(copy.path()).run();
    first.assert_success();
    let pngs = first.files().files.keys().filter(|p| p.ends_with("preview.png")).count();
    assert!(pngs >= 2, "{pngs}");
    assert!(first.stderr.contains(&format!("; {pngs} preview images, 0 from the cache")), "{}", first.stderr);
    let entries = cached(copy.path());
    assert_eq!(entries.len(), pngs, "one cache entry per image");

    let second = TestSite::at(copy.path()).run();
    second.assert_success();
    assert!(second.stderr.contains(&format!("; {pngs} preview images, {pngs} from the cache")), "{}", second.stderr);
    // The same entries, not written again; the same bytes in the site.
    assert_eq!(cached(copy.path()), entries);
    assert!(first.files() == second.files(), "{}", first.files().diff(&second.files()));

    // A new title changes one card: that image is drawn again, its old entry removed.
    common::Edit::Replace {
        file: "content/testshi/ward1/2016/report.toml",
        from: "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況について（第一区・合成データ）\"",
        to: "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況（第一区・合成データ）\"",
    }
    .apply(copy.path());
    let third = TestSite::at(copy.path()).run();
    third.assert_success();
    let after = cached(copy.path());
    assert_eq!(after.len(), pngs, "the unused entries are removed");
    let redrawn = after.iter().filter(|e| !entries.contains(e)).count();
    assert_eq!(redrawn, 1, "only the changed card is drawn again");
    assert!(third.stderr.contains(&format!("{} from the cache", pngs - redrawn)), "{}", third.stderr);
}

#[test]
fn drawn_images_are_byte_identical_build_after_build() {
    // Two copies with no cache (`copy_fixture` leaves it out): each draws every image itself.
    let (a, b) = (copy_fixture("series"), copy_fixture("series"));
    let (a, b) = (TestSite::at(a.path()).render(), TestSite::at(b.path()).render());
    let png = |f: &common::Files| -> Vec<(String, Vec<u8>)> {
        f.files.iter().filter(|(p, _)| p.ends_with(".png")).map(|(p, b)| (p.clone(), b.clone())).collect()
    };
    assert!(!png(&a).is_empty());
    assert!(png(&a) == png(&b), "the PNGs differ between two builds");
}

#[test]
fn a_font_file_named_in_site_toml_draws_the_images() {
    let system =
        mieruka::images::font::system().unwrap_or_else(|_| panic!("no Japanese font: tests/all.sh installs one"));
    // A collection (.ttc) holds several families: the one whose name says JP is taken.
    let file = system.files.iter().find(|f| !f.to_string_lossy().contains("Bold")).unwrap_or(&system.files[0]);
    let copy = copy_fixture("series");
    let text = std::fs::read_to_string(copy.path().join("site.toml")).unwrap();
    std::fs::write(
        copy.path().join("site.toml"),
        format!("{text}\n[images]\nfont = {:?}\n", file.display().to_string()),
    )
    .unwrap();
    let run = TestSite::at(copy.path()).run();
    run.assert_success();
    assert!(!run.stderr.contains("font"), "{}", run.stderr);
    let files = run.files();
    assert_eq!(png_size("report", &files.files[&format!("{REPORT}preview.png")]), (1200, 630));
    assert!(files.page(REPORT).contains("og:image"));
}
