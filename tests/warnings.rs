//! Warnings: what the build doubts is printed with its place like an error, counted in the
//! summary line, and fails the build (writing nothing) under `--deny-warnings`.

mod common;

use common::{TestSite, edited_fixture, replace};

const BASE: &str = "invalid/base";
const R2017: &str = "content/testshi/ward1/2017/report.toml";

/// A ward's own indicator misspelt in a later year: its series would silently split in two.
const MISSPELT_ID: &str = r#"warning: indicator `ward1-kouza-sanak` is new in 平成29年度（2017年度）, but 平成28年度（2016年度） has `ward1-kouza-sanka`「地域活動講座の参加者数（合成）」, which this report does not give: did you mean `ward1-kouza-sanka` (平成28年度)? If it is that indicator under a new id, add `continues = "ward1-kouza-sanka"`; if it is really new, add `new_indicator = true`
  --> content/testshi/ward1/2017/report.toml:28:13
   |
28 | indicator = "ward1-kouza-sanak"
   |             ^^^^^^^^^^^^^^^^^^^
  --> content/testshi/ward1/2016/report.toml:28:13 (the earlier id)
   |
28 | indicator = "ward1-kouza-sanka"
   |             ^^^^^^^^^^^^^^^^^^^
"#;

fn misspelt() -> tempfile::TempDir {
    edited_fixture(BASE, &[replace(R2017, r#"indicator = "ward1-kouza-sanka""#, r#"indicator = "ward1-kouza-sanak""#)])
}

#[test]
fn a_new_id_spelt_like_an_earlier_one_is_a_warning_with_both_places() {
    let copy = misspelt();
    let run = TestSite::at(copy.path()).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let stderr = run.portable_stderr();
    assert!(stderr.starts_with(MISSPELT_ID), "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("built ") && last.ends_with(" with 1 warning"), "{last}");
    assert!(run.out.join("index.html").is_file());
}

#[test]
fn deny_warnings_fails_and_writes_nothing() {
    let copy = misspelt();
    let run = TestSite::at(copy.path()).arg("--deny-warnings").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!run.out.exists(), "nothing written");
    let stderr = run.portable_stderr();
    let expected = MISSPELT_ID.replacen("warning: ", "error: ", 1).replacen(
        "add `new_indicator = true`\n",
        "add `new_indicator = true` (a warning, made an error by --deny-warnings)\n",
        1,
    );
    assert_eq!(stderr, format!("{expected}\n1 error — nothing was written\n"));
}

#[test]
fn continues_or_new_indicator_silences_it() {
    for declared in [
        "indicator = \"ward1-kouza-sanak\"\ncontinues = \"ward1-kouza-sanka\"",
        "indicator = \"ward1-kouza-sanak\"\nnew_indicator = true",
    ] {
        let copy = edited_fixture(BASE, &[replace(R2017, r#"indicator = "ward1-kouza-sanka""#, declared)]);
        let run = TestSite::at(copy.path()).arg("--deny-warnings").run();
        assert_eq!(run.code, Some(0), "{declared}: {}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{declared}: {}", run.stderr);
    }
}

#[test]
fn an_unrelated_new_indicator_is_not_doubted() {
    // A different id and name than anything earlier: no warning.
    let copy = edited_fixture(
        BASE,
        &[
            replace(R2017, r#"indicator = "ward1-kouza-sanka""#, r#"indicator = "ward1-bosai-kunren""#),
            replace(R2017, r#"name = "地域活動講座の参加者数（合成）""#, r#"name = "防災訓練の参加者数（合成）""#),
        ],
    );
    let run = TestSite::at(copy.path()).arg("--deny-warnings").run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn the_real_site_builds_without_warnings() {
    let run = TestSite::at(env!("CARGO_MANIFEST_DIR")).arg("--deny-warnings").run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
