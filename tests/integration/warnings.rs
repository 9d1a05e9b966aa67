//! Warnings: what the build doubts is printed with its place like an error, counted in the
//! summary line, and fails the build (writing nothing) under `--deny-warnings`.

use crate::common;
use crate::common::{TestSite, edited_fixture, replace};

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

// ---- proof-reading: two things a report says that should agree ----

/// Builds the base with `edits` and returns the warnings printed (portable), or panics.
fn warnings_of(edits: &[common::Edit]) -> String {
    let copy = edited_fixture(BASE, edits);
    let run = TestSite::at(copy.path()).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let stderr = run.portable_stderr();
    // The warnings, then a blank line and the summary line `built …`.
    match stderr.rfind("built ") {
        Some(at) => stderr[..at].trim_end_matches('\n').to_string(),
        None => stderr,
    }
}

#[test]
fn an_achievement_code_that_contradicts_the_value_is_doubted() {
    // 20人 against a withdrawal criterion of 30人未満 beside ①(ⅰ).
    let breached = warnings_of(&[replace(R2017, r#"value = "130人""#, r#"value = "20人""#)]);
    assert_eq!(breached, "warning: achievement code ①(ⅰ) (目標達成・取組は予定どおり実施) contradicts indicator `ward1-kouza-sanka`: 20人 breaches the withdrawal criterion 「参加者数が30人未満であった場合、事業を再構築する。」, which is ③; correct the code or the value
  --> content/testshi/ward1/2017/report.toml:24:20
   |
24 | achievement_code = \"①(ⅰ)\"
   |                    ^^^^^^^^
  --> content/testshi/ward1/2017/report.toml:32:9 (the value)
   |
32 | value = \"20人\"
   |         ^^^^^^");
    // 90人 against the target 100人以上 (above the criterion) beside ①(ⅰ).
    let missed = warnings_of(&[replace(R2017, r#"value = "130人""#, r#"value = "90人""#)]);
    assert_eq!(missed, "warning: achievement code ①(ⅰ) (目標達成・取組は予定どおり実施) contradicts indicator `ward1-kouza-sanka`: 90人 misses the target 「100人以上」; correct the code or the value
  --> content/testshi/ward1/2017/report.toml:24:20
   |
24 | achievement_code = \"①(ⅰ)\"
   |                    ^^^^^^^^
  --> content/testshi/ward1/2017/report.toml:32:9 (the value)
   |
32 | value = \"90人\"
   |         ^^^^^^");
    // Recorded as printed (the source's own inconsistency, with a note): no warning.
    let noted = warnings_of(&[replace(R2017, r#"value = "130人""#, "value = \"20人\"\nas_printed = true")]);
    assert_eq!(noted, "");
}

#[test]
fn survey_figures_that_do_not_add_up_are_doubted() {
    let more = warnings_of(&[replace(
        R2017,
        r#"value = "45％""#,
        "value = \"45％\"\nsurvey = { name = \"区民アンケート\", asked = 2000, answered = 2702 }",
    )]);
    assert_eq!(
        more,
        "warning: 2,702 answered, more than the 2,000 asked in survey 「区民アンケート」
  --> content/testshi/ward1/2017/report.toml:16:55
   |
16 | survey = { name = \"区民アンケート\", asked = 2000, answered = 2702 }
   |                                                              ^^^^
  --> content/testshi/ward1/2017/report.toml:16:38 (asked)
   |
16 | survey = { name = \"区民アンケート\", asked = 2000, answered = 2702 }
   |                                             ^^^^"
    );
    let rate = warnings_of(&[replace(
        R2017,
        r#"value = "45％""#,
        "value = \"45％\"\nsurvey = { name = \"区民アンケート\", asked = 2000, answered = 715, response_rate = \"37.5％\" }",
    )]);
    assert_eq!(
        rate,
        "warning: 回収率 37.5％ is not answered ÷ asked: 715 ÷ 2,000 = 35.75％ in survey 「区民アンケート」
  --> content/testshi/ward1/2017/report.toml:16:76
   |
16 | survey = { name = \"区民アンケート\", asked = 2000, answered = 715, response_rate = \"37.5％\" }
   |                                                                                   ^^^^^^^^
  --> content/testshi/ward1/2017/report.toml:16:55 (answered)
   |
16 | survey = { name = \"区民アンケート\", asked = 2000, answered = 715, response_rate = \"37.5％\" }
   |                                                              ^^^"
    );
    let fine = warnings_of(&[replace(
        R2017,
        r#"value = "45％""#,
        "value = \"45％\"\nsurvey = { name = \"区民アンケート\", asked = 2000, answered = 715, response_rate = \"35.8％\" }",
    )]);
    assert_eq!(fine, "", "715 ÷ 2,000 = 35.75％, printed 35.8％");
    // The survey behind the 前年度 value is proof-read the same way.
    let previous = warnings_of(&[replace(
        R2017,
        r#"value = "45％""#,
        "value = \"45％\"\nprevious_survey = { name = \"区民アンケート\", asked = 1500, answered = 553, response_rate = \"63.9％\" }",
    )]);
    assert!(
        previous.starts_with(
            "warning: 回収率 63.9％ is not answered ÷ asked: 553 ÷ 1,500 = 36.87％ in survey 「区民アンケート」\n  \
             --> content/testshi/ward1/2017/report.toml:16:"
        ),
        "{previous}"
    );
}

#[test]
fn a_share_above_100_percent_is_doubted() {
    // 「…区民の割合」 is a share: 415％ is a misplaced figure (41.5％).
    let above = warnings_of(&[replace(R2017, r#"value = "45％""#, r#"value = "415％""#)]);
    assert_eq!(
        above,
        "warning: 415％ is above 100％ for a share (「地域活動に満足している区民の割合（合成）」); check the figure and its decimal point
  --> content/testshi/ward1/2017/report.toml:15:9
   |
15 | value = \"415％\"
   |         ^^^^^^^"
    );
    assert_eq!(warnings_of(&[replace(R2017, r#"value = "45％""#, r#"value = "100.0％""#)]), "");
}

#[test]
fn a_deadline_before_the_first_report_of_its_target_is_doubted() {
    const R2016: &str = "content/testshi/ward1/2016/report.toml";
    let target = r#"target = { text = "100人以上", comparator = "以上", value = "100人" }"#;
    let early = r#"target = { text = "平成27年度までに100人以上", comparator = "以上", value = "100人", deadline = "平成27年度" }"#;
    let warned = warnings_of(&[replace(R2016, target, early)]);
    assert_eq!(
        warned,
        "warning: the target 「平成27年度までに100人以上」 of `ward1-kouza-sanka` has its deadline 平成27年度（2015年度） before 平成28年度（2016年度）, the first report that states it; check the deadline's year
  --> content/testshi/ward1/2016/report.toml:28:13
   |
28 | indicator = \"ward1-kouza-sanka\"
   |             ^^^^^^^^^^^^^^^^^^^"
    );
    // The same deadline when the target is first stated in time: a later report may still give it.
    let in_time = r#"target = { text = "平成29年度までに100人以上", comparator = "以上", value = "100人", deadline = "平成29年度" }"#;
    assert_eq!(warnings_of(&[replace(R2016, target, in_time)]), "");
}

#[test]
fn markup_the_sanitiser_removes_is_named_where_it_stands() {
    let warned = warnings_of(&[
        replace(
            R2017,
            r#"desired_state = "区民が地域活動に満足している状態（合成）""#,
            r#"desired_state = '区民が満足している状態<img src="map.png" alt="地図">（合成）'"#,
        ),
        replace(
            R2017,
            r#"content = "地域活動講座を開催する。（合成）""#,
            "content = '''\n講座を<span style=\"color:red\" title=\"注\">開催</span>する。\n<script>alert(1)</script>\n'''",
        ),
        common::add(
            "content/testshi/ward1/2017/report.md",
            "概要\n\n<table><tr><th scope=\"col\" bgcolor=\"red\">年度</th></tr></table>\n",
        ),
    ]);
    assert_eq!(
        warned,
        "warning: the attribute `bgcolor` of <th> is removed when the site is built (raw HTML is limited to what Markdown makes): write it in Markdown, or leave it out
  --> content/testshi/ward1/2017/report.md:3:12
  |
3 | <table><tr><th scope=\"col\" bgcolor=\"red\">年度</th></tr></table>
  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

warning: the element <img> with its alt text 「地図」 is removed when the site is built (raw HTML is limited to what Markdown makes): write it in Markdown, or leave it out
  --> content/testshi/ward1/2017/report.toml:8:29
  |
8 | desired_state = '区民が満足している状態<img src=\"map.png\" alt=\"地図\">（合成）'
  |                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

warning: the attribute `style` of <span> is removed when the site is built (raw HTML is limited to what Markdown makes): write it in Markdown, or leave it out
  --> content/testshi/ward1/2017/report.toml:23:4
   |
23 | 講座を<span style=\"color:red\" title=\"注\">開催</span>する。
   |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

warning: the element <script> with its content is removed when the site is built (raw HTML is limited to what Markdown makes): write it in Markdown, or leave it out
  --> content/testshi/ward1/2017/report.toml:24:1
   |
24 | <script>alert(1)</script>
   | ^^^^^^^^"
    );
    // Markdown's own output and the tags the sanitiser keeps are not doubted.
    let kept = warnings_of(&[replace(
        R2017,
        r#"content = "地域活動講座を開催する。（合成）""#,
        r#"content = "講座を<strong>開催</strong>する。<br>5 < 10 と [詳細](https://www.example.jp/)""#,
    )]);
    assert_eq!(kept, "");
}

#[test]
fn files_nothing_reads_are_named_not_ignored() {
    let copy = edited_fixture(
        BASE,
        &[
            common::add("content/testshi/ward1/2016/source.pdf", "%PDF-1.4"),
            common::add("assets/logo.svg", "<svg/>"),
            common::add("templates/notes.txt", "memo"),
            common::add("content/.DS_Store", ""),
        ],
    );
    let run = TestSite::at(copy.path()).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let stderr = run.portable_stderr();
    for (file, why) in [
        (
            "content/testshi/ward1/2016/source.pdf",
            "content/ holds only TOML and Markdown files; a file to publish as it is, such as the original PDF, goes in static/",
        ),
        (
            "assets/logo.svg",
            "assets/ is read for style.css only; a file to publish as it is, such as a logo, goes in static/",
        ),
        ("templates/notes.txt", "templates/ holds .html templates only"),
    ] {
        let line = format!("warning: {file} is not used and will not be published ({why})\n  --> {file}:1:1\n");
        assert!(stderr.contains(&line), "{line}\nnot in\n{stderr}");
    }
    assert!(!stderr.contains(".DS_Store"), "hidden files are left alone:\n{stderr}");
    assert!(stderr.trim_end().ends_with("with 3 warnings"), "{stderr}");
}

#[test]
fn a_date_in_era_writing_is_read_as_the_same_date() {
    let copy = edited_fixture(
        BASE,
        &[replace(
            R2017,
            r#"title = "合成データの報告（第一区）""#,
            "title = \"合成データの報告（第一区）\"\nupdated = \"平成30年6月29日\"",
        )],
    );
    let run = TestSite::at(copy.path()).arg("--deny-warnings").run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json = std::fs::read_to_string(run.out.join("testshi/ward1/2017/data.json")).unwrap();
    assert!(json.contains("\"updated\":\"2018-06-29\""), "{json}");
}

#[test]
fn a_rating_far_from_the_trend_is_doubted_at_build() {
    // The series fixture rates ward1's 活動認知度 A in FY2018 after missing its FY2017 deadline.
    let run = TestSite::fixture("series").run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let stderr = run.portable_stderr();
    let expected = "warning: indicator `ward1-katsudo-ninchido` is rated A (順調) in 平成30年度（2018年度）, but its values \
                    say 「期限までに未達成」: check the rating and the values; if both are as the source prints them, say \
                    why in a note and add `as_printed = true`\n  --> content/testshi/ward1/2018/report.toml:45:9\n";
    assert!(stderr.contains(expected), "{stderr}");
    // Ratings that agree with their trend, or only differ from it a little, are not doubted.
    assert_eq!(stderr.matches("is rated").count(), 1, "{stderr}");
}
