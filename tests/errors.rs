//! Every content mistake fails the build with a message that names the file, line and column,
//! says what was found and what was expected, and writes nothing. Each case in
//! `tests/fixtures/invalid/` holds exactly one mistake (except `several-mistakes`).
//! The whole stderr is snapshotted (tests/snapshots/errors__*.snap) so a change of wording is
//! reviewed; the explicit assertions say what must never change.

mod common;

use common::TestSite;

/// Runs the binary on an invalid case; checks the failure, that nothing was written, that
/// every `location` (`file:line:column`) and every word appears. Returns portable stderr.
fn fails(case: &str, locations: &[&str], words: &[&str]) -> String {
    let run = TestSite::invalid(case).run();
    assert_eq!(run.code, Some(1), "{case}: expected exit code 1\n{}", run.stderr);
    assert!(!run.out.exists(), "{case}: a failed build created the output folder");
    let stderr = run.portable_stderr();
    for l in locations {
        assert!(stderr.contains(&format!("  --> {l}")), "{case}: no location {l} in\n{stderr}");
    }
    for w in words {
        assert!(stderr.contains(w), "{case}: {w:?} not in\n{stderr}");
    }
    let n = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    let summary = format!("{n} error{} — nothing was written", if n == 1 { "" } else { "s" });
    assert!(stderr.trim_end().ends_with(&summary), "{case}: summary line missing\n{stderr}");
    stderr
}

const R2016: &str = "content/testshi/ward1/2016/report.toml";
const R2017: &str = "content/testshi/ward1/2017/report.toml";

#[test]
fn toml_syntax() {
    let stderr =
        fails("toml-syntax", &[&format!("{R2016}:15:9")], &["string values must be quoted", "15 | value = 40％"]);
    assert_eq!(stderr.matches("error: ").count(), 1);
    insta::assert_snapshot!(stderr);
}

#[test]
fn missing_field() {
    let stderr =
        fails("missing-field", &[&format!("{R2016}:5:1")], &["missing field `desired_state`", "5 | [[goals]]"]);
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_rating() {
    let stderr = fails(
        "unknown-rating",
        &[&format!("{R2016}:17:10")],
        &["found `C`", "expected A (順調) or B (順調でない)", "17 | rating = \"C\""],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn undefined_indicator() {
    let stderr = fails(
        "undefined-indicator",
        &[&format!("{R2017}:14:13")],
        &["unknown indicator", "`chiiki-manzokudo`", "known: chiiki-manzoku", "`name` and `unit`"],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn wrong_unit() {
    let stderr = fails("wrong-unit", &[&format!("{R2016}:15:9")], &["found `40人`", "the indicator's unit 「％」"]);
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_goal() {
    let stderr = fails("unknown-goal", &[&format!("{R2017}:21:8")], &["unknown goal `1-2`", "known: 1-1"]);
    insta::assert_snapshot!(stderr);
}

#[test]
fn bad_fiscal_year() {
    let stderr = fails(
        "bad-fiscal-year",
        &[&format!("{R2016}:2:15")],
        &["found `平成40年度`", "expected a fiscal year such as 平成28年度"],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn unit_change_within_a_series() {
    let stderr = fails(
        "unit-change",
        &[&format!("{R2017}:32:9")],
        &["unit 「件」", "the unit 「人」 that indicator `ward1-kouza-sanka` has in 平成28年度（2016年度）"],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn misspelt_continues() {
    let stderr = fails(
        "misspelt-continues",
        &[&format!("{R2017}:29:13")],
        &["unknown indicator to continue", "`ward1-kouza-sanak`", "ward1-kouza-sanka"],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn undeclared_disagreement_names_both_places() {
    let stderr = fails(
        "undeclared-disagreement",
        // The FY2017 report's 前年度 column, then the FY2016 report's own value.
        &[&format!("{R2017}:16:12"), &format!("{R2016}:15:9 (the other value)")],
        &[
            "two reports disagree",
            "`chiiki-manzoku`",
            "平成28年度（2016年度）",
            "`39％` here, `40％` there",
            "[[corrections]]",
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn several_mistakes_across_files_are_all_reported_at_once() {
    let stderr = fails(
        "several-mistakes",
        &[
            "content/testshi/municipality.toml:2:8",
            "content/testshi/policy.toml:26:81",
            &format!("{R2016}:17:10"),
            &format!("{R2017}:15:9"),
            &format!("{R2017}:21:8"),
        ],
        &[
            "全国地方公共団体コード",
            "found `平成99年度`",
            "found `C`",
            "found `45点`",
            "unknown goal `9-9`",
            "5 errors — nothing was written",
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]

fn one_mistake_in_an_initiative_gives_one_error() {
    let stderr = fails("wrong-unit-initiative", &[&format!("{R2016}:32:9")], &["found `120件`", "「人」"]);
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
}

/// Every case in tests/fixtures/invalid/ has a test here (a new case must not go unchecked).
#[test]
fn every_invalid_case_is_tested() {
    let mut cases: Vec<String> = std::fs::read_dir(common::fixtures_dir().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    let this = include_str!("errors.rs");
    for c in &cases {
        assert!(this.contains(&format!("\"{c}\"")), "tests/fixtures/invalid/{c} has no test in tests/errors.rs");
    }
    // And the library API reports the same errors (not just the binary).
    for c in &cases {
        let err = TestSite::invalid(c).try_render().expect_err(c);
        assert!(!err.is_empty(), "{c}");
    }
}

#[test]
fn bad_base_url_is_rejected() {
    let run = TestSite::fixture("minimal").base_url("/kusei/hyoka/").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("must be an absolute http(s) URL"), "{}", run.stderr);
    assert!(!run.out.exists());
}

#[test]
fn template_mistake_and_content_mistake_are_reported_together() {
    // Templates are parsed while content loads; a broken one must not hide content errors.
    let stderr = fails(
        "template-syntax",
        &[&format!("{R2016}:17:10")],
        &["templates/goal.html", "3 | <h1>{{ page.goal.title </h1>", "found `C`"],
    );
    assert_eq!(stderr.matches("error: ").count(), 2, "{stderr}");
}
