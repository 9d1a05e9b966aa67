//! Pages kept between builds (src/render/kept.rs): a second build reads every page back and the
//! site is the same bytes; after an edit of one report, the pages that show nothing of it are
//! read back with the new footer (which shows the size of the archive of all data) and the
//! site is the same as a build with no cache; a damaged cache is not used.

use crate::common;
use crate::common::{TestSite, copy_fixture};
use std::path::Path;

const REPORT: &str = "content/testshi/ward1/2016/report.toml";
const TITLE: &str = "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況について（第一区・合成データ）\"";

/// A title long and varied enough that the archive of all data, which holds it in several
/// files, grows by kilobytes: the footer of every page changes.
fn long_title() -> String {
    let mut n: u32 = 12345;
    let text: String = (0..1500)
        .map(|_| {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from_u32(0x4E00 + (n >> 16) % 0x5000).expect("a CJK ideograph")
        })
        .collect();
    format!("fiscal_year = \"平成28年度\"\ntitle = \"取組状況について{text}\"")
}

/// 「; N pages from the cache」 of the summary line (0 when it says none).
fn from_cache(stderr: &str) -> usize {
    let Some(end) = stderr.find(" pages from the cache") else { return 0 };
    stderr[..end].rsplit(' ').next().unwrap().parse().unwrap()
}

fn cache_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join(".mieruka-cache/pages"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The footer of a page.
fn footer(html: &str) -> &str {
    let at = html.find("<footer").expect("a footer");
    &html[at..at + html[at..].find("</footer>").expect("a closed footer")]
}

#[test]
fn a_second_build_reads_every_page_back_and_an_edit_renders_again_only_what_shows_it() {
    let copy = copy_fixture("series");
    let first = TestSite::at(copy.path()).run();
    first.assert_success();
    assert_eq!(from_cache(&first.stderr), 0, "{}", first.stderr);
    let files = cache_files(copy.path());
    assert_eq!(files.len(), 2, "an index and one blob: {files:?}");
    let pages = first.files().html_paths().len();

    let second = TestSite::at(copy.path()).run();
    second.assert_success();
    assert_eq!(from_cache(&second.stderr), pages, "{}", second.stderr);
    assert_eq!(cache_files(copy.path()), files, "nothing changed: not written again");
    assert!(first.files() == second.files(), "{}", first.files().diff(&second.files()));

    // ward1's report retitled: its pages are rendered again, ward3's read back with the new
    // footer, and the site is what a build without any cache makes.
    let edit = common::Edit::Replace { file: REPORT, from: TITLE, to: Box::leak(long_title().into_boxed_str()) };
    edit.apply(copy.path());
    let third = TestSite::at(copy.path()).run();
    third.assert_success();
    let kept = from_cache(&third.stderr);
    assert!(kept > 0 && kept < pages, "{kept} of {pages} pages read back: {}", third.stderr);
    let cold = copy_fixture("series");
    edit.apply(cold.path());
    let fresh = TestSite::at(cold.path()).run();
    fresh.assert_success();
    assert_eq!(from_cache(&fresh.stderr), 0);
    assert!(third.files() == fresh.files(), "{}", third.files().diff(&fresh.files()));
    let unchanged = "testshi/ward3/index.html";
    let (before, after) = (first.files().page(unchanged), third.files().page(unchanged));
    assert_ne!(footer(&before), footer(&after), "the archive's size changed in every footer");
    assert!(!after.contains("mieruka: footer"), "the footer's mark is replaced");
    let rewritten = cache_files(copy.path());
    assert!(rewritten.len() == 2 || rewritten.len() == 3, "the index and at most two blobs: {rewritten:?}");

    // A damaged index is not used: every page rendered again, the same site.
    let index = copy.path().join(".mieruka-cache/pages/pages.kept");
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
    let fourth = TestSite::at(copy.path()).run();
    fourth.assert_success();
    assert_eq!(from_cache(&fourth.stderr), 0, "{}", fourth.stderr);
    assert!(third.files() == fourth.files(), "{}", third.files().diff(&fourth.files()));

    // A blob cut short: not used either.
    let fifth = TestSite::at(copy.path()).run();
    assert_eq!(from_cache(&fifth.stderr), pages, "{}", fifth.stderr);
    for name in cache_files(copy.path()).iter().filter(|n| n.ends_with(".blob")) {
        let blob = copy.path().join(".mieruka-cache/pages").join(name);
        let len = std::fs::metadata(&blob).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&blob).unwrap().set_len(len / 2).unwrap();
    }
    let sixth = TestSite::at(copy.path()).run();
    sixth.assert_success();
    assert_eq!(from_cache(&sixth.stderr), 0, "{}", sixth.stderr);
    assert!(third.files() == sixth.files(), "{}", third.files().diff(&sixth.files()));
}

#[test]
fn a_site_with_its_own_layout_keeps_its_pages_with_their_footer() {
    // With its own base.html the footer may be printed any way: kept as part of the page.
    let copy = copy_fixture("series");
    let layout = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html")).unwrap();
    std::fs::create_dir_all(copy.path().join("templates")).unwrap();
    let own = layout.replace("{{ common.footer | safe }}", "<div class=\"own\">{{ common.footer | safe }}</div>");
    assert_ne!(own, layout);
    std::fs::write(copy.path().join("templates/base.html"), own).unwrap();
    let first = TestSite::at(copy.path()).run();
    first.assert_success();
    let second = TestSite::at(copy.path()).run();
    second.assert_success();
    assert_eq!(from_cache(&second.stderr), first.files().html_paths().len(), "{}", second.stderr);
    assert!(first.files() == second.files(), "{}", first.files().diff(&second.files()));
    second.files().assert_contains("testshi/ward1/index.html", "<div class=\"own\"><footer");
}

#[test]
fn an_edit_of_an_initiatives_text_renders_its_page_again() {
    // The initiative page's texts are fed to its key as Markdown, made into HTML only when the
    // page is rendered (render::components::Prose): an edit of one must still render it again.
    let copy = copy_fixture("series");
    TestSite::at(copy.path()).run().assert_success();
    let edit = common::Edit::Replace {
        file: REPORT,
        from: "results = \"講座を10回開催し、参加者は1,200人。（合成）\"",
        to: "results = \"講座を**12回**開催し、参加者は1,300人。（合成）\"",
    };
    edit.apply(copy.path());
    let warm = TestSite::at(copy.path()).run();
    warm.assert_success();
    assert!(from_cache(&warm.stderr) > 0, "{}", warm.stderr);
    let files = warm.files();
    let shown: Vec<&str> =
        files.html_paths().into_iter().filter(|p| files.page(p).contains("<strong>12回</strong>")).collect();
    assert!(!shown.is_empty(), "the edited text is on its initiative page");
    let cold = copy_fixture("series");
    edit.apply(cold.path());
    let fresh = TestSite::at(cold.path()).run();
    fresh.assert_success();
    assert!(files == fresh.files(), "{}", files.diff(&fresh.files()));
}
