//! Drafts and placeholders: `draft = true` keeps a report out of a build unless `--drafts`;
//! 「未記入」 (what `mieruka new report` leaves to fill in) is shown in a draft and an error
//! anywhere else. And `mieruka check`: the same errors as `build`, nothing written.

use crate::common::{DRAFT_2017, TestSite, add, edited_fixture, replace};

const R2016: &str = "content/testshi/daiichi/2016/report.toml";
const R2017: &str = "content/testshi/daiichi/2017/report.toml";

#[test]
fn a_draft_is_left_out_of_the_build_and_said_so() {
    let site = edited_fixture("minimal", &[add(R2017, DRAFT_2017)]);
    let run = TestSite::at(site.path()).run();
    run.assert_success();
    assert!(
        run.stderr.contains("content/testshi/daiichi/2017/report.toml is a draft (draft = true) and is not published"),
        "{}",
        run.stderr
    );
    let files = run.files();
    assert!(files.exists("testshi/daiichi/2016/"));
    assert!(!files.exists("testshi/daiichi/2017/"), "the draft's page is published");
    // Nowhere else either: no link, no data row, no sitemap or feed entry.
    for (path, text) in files.text_files() {
        assert!(!text.contains("daiichi/2017") && !text.contains("2017/report"), "{path} mentions the draft");
    }
}

#[test]
fn with_drafts_a_draft_is_built_with_a_banner_and_its_blanks_say_not_filled_in() {
    let site = edited_fixture("minimal", &[add(R2017, DRAFT_2017)]);
    let run = TestSite::at(site.path()).arg("--drafts").run();
    run.assert_success();
    assert!(!run.stderr.contains("is a draft"), "{}", run.stderr);
    let files = run.files();
    let report = files.main("testshi/daiichi/2017/");
    assert!(report.contains("class=\"draft-banner\"") && report.contains("下書き"), "{report}");
    assert!(report.contains("未記入"), "the blank value is not shown as 未記入:\n{report}");
    let goal = files.main("testshi/daiichi/2017/goals/2-5/");
    assert!(goal.contains("class=\"draft-banner\""), "{goal}");
    // The published report's pages carry no banner.
    assert!(!files.main("testshi/daiichi/2016/").contains("draft-banner"));
}

#[test]
fn a_placeholder_outside_a_draft_is_an_error_with_its_place() {
    let site = edited_fixture("minimal", &[replace(R2016, r#"value = "3名""#, r#"value = "未記入""#)]);
    let run = TestSite::at(site.path()).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("content/testshi/daiichi/2016/report.toml:"), "{}", run.stderr);
    assert!(run.stderr.contains("this year's figure or words: 未記入 marks what"), "{}", run.stderr);
    // One error for the one placeholder: the value's own parser does not add a second.
    assert!(run.stderr.contains("1 error"), "{}", run.stderr);
    assert!(!run.out.exists(), "a failed build wrote its output");

    // The draft line removed while a placeholder is left: every one is named.
    let site = edited_fixture("minimal", &[add(R2017, DRAFT_2017)]);
    let text = std::fs::read_to_string(site.path().join(R2017)).unwrap().replace("draft = true\n", "");
    std::fs::write(site.path().join(R2017), text).unwrap();
    let run = TestSite::at(site.path()).run();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("5 errors"), "{}", run.stderr);
    for line in [3, 8, 9, 16, 18] {
        assert!(run.stderr.contains(&format!("2017/report.toml:{line}:")), "line {line}:\n{}", run.stderr);
    }
}

#[test]
fn a_placeholder_in_a_ward_file_is_an_error_even_beside_a_draft() {
    let site = edited_fixture(
        "minimal",
        &[
            add(R2017, DRAFT_2017),
            replace("content/testshi/daiichi/ward.toml", r#"name = "第一区""#, r#"name = "未記入""#),
        ],
    );
    let run = TestSite::at(site.path()).arg("--drafts").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("content/testshi/daiichi/ward.toml:1:8"), "{}", run.stderr);
    assert!(run.stderr.contains("the ward's name or description: 未記入 marks what"), "{}", run.stderr);
}

#[test]
fn check_reports_what_would_be_published_and_writes_nothing() {
    let run = TestSite::fixture("minimal").check().run();
    run.assert_success();
    assert!(run.stderr.contains("would publish 1 report in "), "{}", run.stderr);
    assert!(!run.out.exists(), "check wrote an output folder");

    let site = edited_fixture("minimal", &[replace(R2016, r#"rating = "B""#, r#"rating = "C""#)]);
    let run = TestSite::at(site.path()).check().run();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("2016/report.toml:"), "{}", run.stderr);
    assert!(!run.out.exists(), "check wrote an output folder");
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_deny_warnings_fails_on_a_warning() {
    // An unused file is a warning (beside the fixture's own: a <script> on its home page):
    // check passes, and fails with --deny-warnings.
    let site = edited_fixture("minimal", &[add("assets/logo.svg", "<svg/>")]);
    let run = TestSite::at(site.path()).check().run();
    run.assert_success();
    assert!(run.stderr.contains("with 2 warnings"), "{}", run.stderr);
    let run = TestSite::at(site.path()).check().arg("--deny-warnings").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("assets/logo.svg"), "{}", run.stderr);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}
