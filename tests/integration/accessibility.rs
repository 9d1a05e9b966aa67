//! The accessibility statement and its 達成基準チェックリスト: the real site's checklist is
//! published whole, the statement's wording follows from its results, and a site without a
//! checklist (or without a statement) still builds.

use crate::common::{TestSite, copy_fixture, element_by_id, text};
use mieruka::checklist::Checklist;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CHECKLIST: &str = "docs/accessibility-checklist.toml";

fn real_checklist() -> Checklist {
    Checklist::load(&Path::new(ROOT).join(CHECKLIST), Path::new(CHECKLIST)).unwrap()
}

#[test]
fn the_checklist_page_lists_every_criterion_with_its_result_and_the_statement_its_counts() {
    let site = TestSite::at(ROOT).render();
    let list = real_checklist();
    assert_eq!(list.criteria.iter().filter(|c| c.since.is_none()).count(), 38);
    let page = site.main("accessibility/checklist/");
    for c in &list.criteria {
        let id = format!("sc-{}", c.number.replace('.', "-"));
        let row = element_by_id(&page, &id).unwrap_or_else(|| panic!("no row {id}"));
        let row = text(&row);
        assert!(row.contains(&format!("{} {}", c.number, c.name)), "{row}");
        assert!(row.contains(&c.result) && row.contains(&c.test), "{row}");
        assert_eq!(row.contains("適用なし"), !c.applies, "{row}");
    }
    assert!(page.contains("<th scope=\"col\">結果</th>"), "a real table with column headers");
    // The statement: the wording the results support, the counts, the link, the pages counted.
    let statement = text(&site.main("accessibility/"));
    let n = list.counts("AA");
    assert_eq!(n.total, n.met + n.not_met + n.untested);
    assert_eq!(n.total, n.applies + n.not_applicable);
    assert!(statement.contains(&format!("適合レベルの表記 {}", list.supported_conformance("AA"))), "{statement}");
    assert!(
        statement.contains(&format!("適合 {}項目、不適合 {}項目、未試験 {}項目", n.met, n.not_met, n.untested)),
        "{statement}"
    );
    for c in list.jis("AA").filter(|c| c.result != "適合") {
        assert!(statement.contains(&format!("{} {}", c.number, c.name)), "{} is not named: {statement}", c.number);
    }
    let pages = site.html_paths().len();
    assert!(statement.contains(&format!("このビルドのすべてのページ（{pages}ページ）")), "{statement}");
    assert!(statement.contains("試験期間"), "{statement}");
    site.assert_contains("accessibility/", "href=\"/accessibility/checklist/\"");
    assert!(!statement.contains("横方向のスクロールなしで読める"), "the old promise is gone");
}

/// The errors of a build that must fail, as printed.
fn failure(root: &Path, why: &str) -> String {
    match TestSite::at(root).try_render() {
        Ok(_) => panic!("the build succeeded: {why}"),
        Err(e) => e.to_string(),
    }
}

/// A copy of the fixture `invalid/base` with `[accessibility]` and, when given, a checklist.
fn site_with(conformance: &str, checklist: Option<&str>) -> tempfile::TempDir {
    let copy = copy_fixture("invalid/base");
    let mut toml = std::fs::read_to_string(copy.path().join("site.toml")).unwrap();
    toml.push_str(&format!(
        "\n[accessibility]\nstandard = \"JIS X 8341-3:2016\"\nlevel = \"AA\"\nconformance = \"{conformance}\"\n\
         scope = \"すべてのページ\"\ntechnologies = [\"HTML\"]\ndate = 2026-12-02\n"
    ));
    if let Some(list) = checklist {
        toml.push_str("checklist = \"checklist.toml\"\n");
        std::fs::write(copy.path().join("checklist.toml"), list).unwrap();
    }
    std::fs::write(copy.path().join("site.toml"), toml).unwrap();
    copy
}

#[test]
fn claiming_more_than_the_checklist_supports_is_an_error_naming_the_criteria() {
    let real = std::fs::read_to_string(Path::new(ROOT).join(CHECKLIST)).unwrap();
    let list = real_checklist();
    for claim in ["準拠", "一部準拠"] {
        let copy = site_with(claim, Some(&real));
        let e = failure(copy.path(), "an over-claim fails");
        assert!(e.contains("site.toml:7:15"), "{e}");
        assert!(e.contains(&format!("found `{claim}`, expected 配慮 or weaker")), "{e}");
        for c in list.jis("AA").filter(|c| c.result == "未試験") {
            assert!(e.contains(&c.number), "{e}");
        }
    }
    // 準拠 without a checklist: nothing backs it.
    let copy = site_with("準拠", None);
    let e = failure(copy.path(), "準拠 without a checklist fails");
    assert!(e.contains("expected 配慮, or a `checklist`"), "{e}");
}

#[test]
fn a_mistake_in_the_checklist_is_reported_at_its_line_and_column() {
    let real = std::fs::read_to_string(Path::new(ROOT).join(CHECKLIST)).unwrap();
    let edited = real.replacen("result = \"未試験\"", "result = \"まだ\"", 1);
    let line = edited.lines().position(|l| l == "result = \"まだ\"").unwrap() + 1;
    let copy = site_with("配慮", Some(&edited));
    let e = failure(copy.path(), "fails");
    assert!(e.contains(&format!("checklist.toml:{line}:10")), "{e}");
    assert!(e.contains("found `まだ`, expected 適合, 不適合 or 未試験"), "{e}");
    // A missing field: toml names it, at the criterion's table.
    let edited = real.replacen("test = \"テンプレートの確認\"\n", "", 1);
    let copy = site_with("配慮", Some(&edited));
    let e = failure(copy.path(), "fails");
    assert!(e.contains("missing field `test`") && e.contains("checklist.toml:"), "{e}");
}

#[test]
fn a_site_without_a_checklist_still_builds() {
    // No statement at all.
    let site = TestSite::fixture("minimal").render();
    assert!(!site.exists("accessibility/checklist/"));
    site.assert_contains("accessibility/", "まだ設定されていません");
    // A statement of 配慮 without a checklist.
    let copy = site_with("配慮", None);
    let site = TestSite::at(copy.path()).render();
    assert!(!site.exists("accessibility/checklist/"));
    let statement = text(&site.main("accessibility/"));
    assert!(
        statement.contains("適合レベルの表記 配慮") && statement.contains("達成基準チェックリストは公開していません")
    );
    let pages = site.html_paths().len();
    assert!(statement.contains(&format!("（{pages}ページ）")), "{statement}");
}
