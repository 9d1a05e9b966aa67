//! Every content mistake fails the build with a message that names the file, line and column,
//! says what was found and what was expected, and writes nothing.
//!
//! Each case below makes one mistake (or, where its name says so, several) in a copy of one
//! base site, `tests/fixtures/invalid/base/` (which builds without errors), then runs the real
//! binary and compares its whole stderr with the text written beside the edit. A change of
//! wording shows up here as a diff, to be reviewed and pasted in. Adding a case is adding one
//! entry to the table; see tests/fixtures/invalid/README.md.

mod common;

use common::{Edit, TestSite, add, delete, edited_fixture, replace};

/// The site every case edits, under tests/fixtures/.
const BASE: &str = "invalid/base";
const R2016: &str = "content/testshi/ward1/2016/report.toml";
const R2017: &str = "content/testshi/ward1/2017/report.toml";
const MUNICIPALITY: &str = "content/testshi/municipality.toml";
const POLICY: &str = "content/testshi/policy.toml";

/// One entry of the table: the edits that make the mistake and the stderr they must give.
struct Case {
    name: &'static str,
    edits: &'static [Edit],
    /// After the newline that opens the literal: exactly what the binary prints.
    stderr: &'static str,
}

impl Case {
    fn expected(&self) -> &'static str {
        self.stderr.strip_prefix('\n').unwrap_or(self.stderr)
    }
}

/// Makes `CASES` and one `#[test]` per case, named after it.
macro_rules! cases {
    ($(
        $(#[$attr:meta])*
        $name:ident {
            edits: [$($edit:expr),+ $(,)?],
            stderr: $stderr:literal $(,)?
        }
    )+) => {
        const CASES: &[Case] = &[$(Case { name: stringify!($name), edits: &[$($edit),+], stderr: $stderr }),+];
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                check(CASES.iter().find(|c| c.name == stringify!($name)).expect("a case of the table"));
            }
        )+
    };
}

cases! {
    /// `value = 40％`: a TOML syntax error (an unquoted string).
    toml_syntax {
        edits: [replace(R2016, r#"value = "40％""#, "value = 40％")],
        stderr: r"
error: string values must be quoted, expected literal string
  --> content/testshi/ward1/2016/report.toml:15:9
   |
15 | value = 40％
   |         ^^^^

1 error — nothing was written
",
    }

    /// A goal without `desired_state`: the error points at the goal's table header.
    missing_field {
        edits: [delete(R2016, r#"desired_state = "区民が地域活動に満足している状態（合成）""#)],
        stderr: r"
error: missing field `desired_state`
  --> content/testshi/ward1/2016/report.toml:5:1
  |
5 | [[goals]]
  | ^^^^^^^^^

1 error — nothing was written
",
    }

    /// `rating = "C"`: only A and B exist.
    unknown_rating {
        edits: [replace(R2016, r#"rating = "A""#, r#"rating = "C""#)],
        stderr: r#"
error: found `C`, expected A (順調) or B (順調でない)
  --> content/testshi/ward1/2016/report.toml:17:10
   |
17 | rating = "C"
   |          ^^^

1 error — nothing was written
"#,
    }

    /// A typo in a city-wide indicator's id (it has no `name` and `unit` of its own).
    undefined_indicator {
        edits: [replace(R2017, r#"indicator = "chiiki-manzoku""#, r#"indicator = "chiiki-manzokudo""#)],
        stderr: r#"
error: unknown indicator (not in policy.toml; a ward-own indicator needs `name` and `unit`) `chiiki-manzokudo` (known: chiiki-manzoku)
  --> content/testshi/ward1/2017/report.toml:14:13
   |
14 | indicator = "chiiki-manzokudo"
   |             ^^^^^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// `value = "40人"` for an indicator in ％.
    wrong_unit {
        edits: [replace(R2016, r#"value = "40％""#, r#"value = "40人""#)],
        stderr: r#"
error: found `40人`, expected a number followed by the indicator's unit 「％」
  --> content/testshi/ward1/2016/report.toml:15:9
   |
15 | value = "40人"
   |         ^^^^^^

1 error — nothing was written
"#,
    }

    /// `value = "120件"` for an initiative's indicator in 人: one mistake, one error.
    one_mistake_in_an_initiative_gives_one_error {
        edits: [replace(R2016, r#"value = "120人""#, r#"value = "120件""#)],
        stderr: r#"
error: found `120件`, expected a number followed by the indicator's unit 「人」
  --> content/testshi/ward1/2016/report.toml:32:9
   |
32 | value = "120件"
   |         ^^^^^^^

1 error — nothing was written
"#,
    }

    /// Two goals of one report with the same id: the second is reported.
    duplicate_goal_id {
        edits: [replace(
            R2016,
            "[[initiatives]]",
            "[[goals]]\nid = \"1-1\"\npolicy = \"1-1-a\"\ndesired_state = \"重複（合成）\"\n\n[[initiatives]]",
        )],
        stderr: r#"
error: goal `1-1` is declared twice
  --> content/testshi/ward1/2016/report.toml:20:6
   |
20 | id = "1-1"
   |      ^^^^^
  --> content/testshi/ward1/2016/report.toml:6:6 (first declared here)
  |
6 | id = "1-1"
  |      ^^^^^

1 error — nothing was written
"#,
    }

    /// `updated` with a time of day: only a date is accepted.
    updated_with_a_time {
        edits: [replace(R2016, r#"title = "合成データの報告（第一区）""#, "title = \"合成データの報告（第一区）\"\nupdated = 2017-06-30T10:00:00")],
        stderr: r"
error: found `2017-06-30T10:00:00`, expected a date such as 2017-06-30
  --> content/testshi/ward1/2016/report.toml:4:11
  |
4 | updated = 2017-06-30T10:00:00
  |           ^^^^^^^^^^^^^^^^^^^

1 error — nothing was written
",
    }

    /// A withdrawal rule naming an indicator whose value is wrong: one error, not a second
    /// one saying the rule names an unknown indicator.
    withdrawal_naming_a_failed_indicator_gives_one_error {
        edits: [
            replace(R2016, r#"value = "120人""#, r#"value = "120件""#),
            replace(
                R2016,
                r#"withdrawal = { text = "参加者数が30人未満であった場合、事業を再構築する。", comparator = "未満", value = "30人" }"#,
                r#"withdrawal = { text = "参加者数が30人未満であった場合、事業を再構築する。", comparator = "未満", value = "30人", indicator = "ward1-kouza-sanka" }"#,
            ),
        ],
        stderr: r#"
error: found `120件`, expected a number followed by the indicator's unit 「人」
  --> content/testshi/ward1/2016/report.toml:32:9
   |
32 | value = "120件"
   |         ^^^^^^^

1 error — nothing was written
"#,
    }

    /// A direction that contradicts the comparator of the target beside it.
    direction_against_target {
        edits: [replace(
            R2016,
            r#"target = { text = "100人以上", comparator = "以上", value = "100人" }"#,
            "target = { text = \"100人以上\", comparator = \"以上\", value = \"100人\" }\ndirection = \"lower\"",
        )],
        stderr: r#"
error: found `lower`, expected `higher` (the target 「100人以上」 is met by higher values), or no `direction`
  --> content/testshi/ward1/2016/report.toml:32:13
   |
32 | direction = "lower"
   |             ^^^^^^^

1 error — nothing was written
"#,
    }

    /// A report restating a city-wide indicator's target with a comparator that goes the
    /// other way from the indicator's direction in policy.toml.
    restated_target_against_direction {
        edits: [replace(
            R2016,
            r#"value = "40％""#,
            "target = { text = \"H30年度までに30％以下\", comparator = \"以下\", value = \"30％\", deadline = \"平成30年度\" }\nvalue = \"40％\"",
        )],
        stderr: r#"
error: found `以下`, expected a comparator met by higher values, the direction of city-wide indicator `chiiki-manzoku` in policy.toml: one of 以上, 到達, 超, 前年度より増, 基準年度比削減, 定性
  --> content/testshi/ward1/2016/report.toml:15:49
   |
15 | target = { text = "H30年度までに30％以下", comparator = "以下", value = "30％", deadline = "平成30年度" }
   |                                                         ^^^^^^

1 error — nothing was written
"#,
    }

    /// An initiative of a goal the report does not have.
    unknown_goal {
        edits: [replace(R2017, r#"goal = "1-1""#, r#"goal = "1-2""#)],
        stderr: r#"
error: unknown goal `1-2` (known: 1-1)
  --> content/testshi/ward1/2017/report.toml:21:8
   |
21 | goal = "1-2"
   |        ^^^^^

1 error — nothing was written
"#,
    }

    /// 平成40年度 does not exist (平成 ended in its 31st year).
    bad_fiscal_year {
        edits: [replace(R2016, r#"fiscal_year = "平成28年度""#, r#"fiscal_year = "平成40年度""#)],
        stderr: r#"
error: found `平成40年度`, expected a fiscal year such as 平成28年度, H28, 令和元年度 or 2016
  --> content/testshi/ward1/2016/report.toml:2:15
  |
2 | fiscal_year = "平成40年度"
  |               ^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A ward-own indicator in 人 in 2016 is declared in 件 in 2017 (one series, one unit).
    unit_change_within_a_series {
        edits: [
            replace(
                R2017,
                r#"withdrawal = { text = "参加者数が30人未満であった場合、事業を再構築する。", comparator = "未満", value = "30人" }"#,
                r#"withdrawal = { text = "参加者数が30人未満であった場合、事業を再構築する。", comparator = "未満", value = "30件" }"#,
            ),
            replace(
                R2017,
                r#"unit = "人"
target = { text = "100人以上", comparator = "以上", value = "100人" }
value = "130人"
previous = "120人""#,
                r#"unit = "件"
target = { text = "100件以上", comparator = "以上", value = "100件" }
value = "130件""#,
            ),
        ],
        stderr: r#"
error: found `unit 「件」`, expected the unit 「人」 that indicator `ward1-kouza-sanka` has in 平成28年度（2016年度）
  --> content/testshi/ward1/2017/report.toml:32:9
   |
32 | value = "130件"
   |         ^^^^^^^

1 error — nothing was written
"#,
    }

    /// A new id that `continues` an old one misspelt (no such id in this ward).
    misspelt_continues {
        edits: [
            replace(
                R2017,
                r#"indicator = "ward1-kouza-sanka""#,
                r#"indicator = "ward1-kouza-sankasha"
continues = "ward1-kouza-sanak""#,
            ),
            delete(R2017, r#"previous = "120人""#),
        ],
        stderr: r#"
error: unknown indicator to continue (no report of this ward has it) `ward1-kouza-sanak` (known: chiiki-manzoku, ward1-kouza-sanka, ward1-kouza-sankasha)
  --> content/testshi/ward1/2017/report.toml:29:13
   |
29 | continues = "ward1-kouza-sanak"
   |             ^^^^^^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// 2017's 前年度 column says 39％ where 2016's report says 40％, and no `[[corrections]]`
    /// entry says which stands: the message points at both values.
    undeclared_disagreement_names_both_places {
        edits: [replace(R2017, r#"previous = "40％""#, r#"previous = "39％""#)],
        stderr: r#"
error: two reports disagree on indicator `chiiki-manzoku` for 平成28年度（2016年度）: `39％` here, `40％` there; declare which one stands with a [[corrections]] entry
  --> content/testshi/ward1/2017/report.toml:16:12
   |
16 | previous = "39％"
   |            ^^^^^^
  --> content/testshi/ward1/2016/report.toml:15:9 (the other value)
   |
15 | value = "40％"
   |         ^^^^^^

1 error — nothing was written
"#,
    }

    /// Five mistakes in four files: a wrong check digit, a deadline in 平成99年度, rating C
    /// (2016), 45点 for ％ and an unknown goal (2017). All are reported, in file order.
    several_mistakes_across_files_are_all_reported_at_once {
        edits: [
            replace(MUNICIPALITY, r#"code = "999997""#, r#"code = "999990""#),
            replace(
                POLICY,
                r#"target = { text = "H30年度までに50％以上", comparator = "以上", value = "50％", deadline = "平成30年度" }"#,
                r#"target = { text = "H30年度までに50％以上", comparator = "以上", value = "50％", deadline = "平成99年度" }"#,
            ),
            replace(R2016, r#"rating = "A""#, r#"rating = "C""#),
            replace(R2017, r#"value = "45％""#, r#"value = "45点""#),
            replace(R2017, r#"goal = "1-1""#, r#"goal = "9-9""#),
        ],
        stderr: r#"
error: found `999990`, expected a 6-digit 全国地方公共団体コード whose last digit is its check digit (e.g. 271004)
  --> content/testshi/municipality.toml:2:8
  |
2 | code = "999990"
  |        ^^^^^^^^

error: found `平成99年度`, expected a fiscal year such as 平成28年度, H28, 令和元年度 or 2016
  --> content/testshi/policy.toml:26:81
   |
26 | target = { text = "H30年度までに50％以上", comparator = "以上", value = "50％", deadline = "平成99年度" }
   |                                                                                            ^^^^^^^^^^^^

error: found `C`, expected A (順調) or B (順調でない)
  --> content/testshi/ward1/2016/report.toml:17:10
   |
17 | rating = "C"
   |          ^^^

error: found `45点`, expected a number followed by the indicator's unit 「％」
  --> content/testshi/ward1/2017/report.toml:15:9
   |
15 | value = "45点"
   |         ^^^^^^

error: unknown goal `9-9` (known: 1-1)
  --> content/testshi/ward1/2017/report.toml:21:8
   |
21 | goal = "9-9"
   |        ^^^^^

5 errors — nothing was written
"#,
    }

    /// Templates are parsed while content loads: the site's own goal.html that does not parse
    /// must not hide a content mistake (`rating = "C"`), and both are reported.
    template_mistake_and_content_mistake_are_reported_together {
        edits: [
            add(
                "templates/goal.html",
                "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.goal.title </h1>\n{% endblock main %}\n",
            ),
            replace(R2016, r#"rating = "A""#, r#"rating = "C""#),
        ],
        stderr: r#"
error: template: Found `</` but expected }}.
 --> templates/goal.html:3:24
  |
3 | <h1>{{ page.goal.title </h1>
  |                        ^^

error: found `C`, expected A (順調) or B (順調でない)
  --> content/testshi/ward1/2016/report.toml:17:10
   |
17 | rating = "C"
   |          ^^^

2 errors — nothing was written
"#,
    }
}

/// Runs the binary on the base with the case's edits: exit code 1, no output folder, and
/// stderr (machine paths made portable) exactly as the table says.
fn check(case: &Case) {
    let copy = edited_fixture(BASE, case.edits);
    let run = TestSite::at(copy.path()).run();
    assert_eq!(run.code, Some(1), "{}: expected exit code 1\n{}", case.name, run.stderr);
    assert!(!run.out.exists(), "{}: a failed build created the output folder", case.name);
    assert_same(case.name, "the binary's stderr", case.expected(), &run.portable_stderr());
}

/// Panics with a line diff unless `actual` is `expected`.
fn assert_same(case: &str, what: &str, expected: &str, actual: &str) {
    assert!(
        expected == actual,
        "{case}: {what} differs from the text in tests/errors.rs (- expected, + actual):\n{}\n\
         actual, to paste into the table if the change is intended:\n{actual}",
        diff(expected, actual)
    );
}

/// A line diff: `-` only in `a`, `+` only in `b`, two spaces in both. The last line is empty
/// when the text ends with a newline, so a missing final newline shows too.
fn diff(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('\n').collect(), b.split('\n').collect());
    // common[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
}

/// The base really is free of mistakes: each case's error comes from its own edit.
#[test]
fn the_base_builds_without_errors() {
    let run = TestSite::fixture(BASE).run();
    run.assert_success();
    let files = run.files();
    for page in ["testshi/ward1/2016/", "testshi/ward1/2017/", "testshi/ward1/2017/goals/1-1/"] {
        assert!(files.exists(page), "the base has no page {page}");
    }
    assert!(files == TestSite::fixture(BASE).render(), "the library renders the base differently");
}

/// Cases live in the table, not in copied folders: tests/fixtures/invalid/ holds the base only.
#[test]
fn the_invalid_folder_holds_only_the_base_and_its_readme() {
    let mut names: Vec<String> = std::fs::read_dir(common::fixtures_dir().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["README.md", "base"], "add a case as an entry of the table in tests/errors.rs");
}

/// The library API (`mieruka::render_site`) fails on every case with the same errors the
/// binary prints (the binary adds only the final newline).
#[test]
fn every_case_fails_the_same_way_through_the_library() {
    for case in CASES {
        let copy = edited_fixture(BASE, case.edits);
        let err = TestSite::at(copy.path())
            .try_render()
            .err()
            .unwrap_or_else(|| panic!("{}: the library built the site", case.name));
        assert!(!err.is_empty(), "{}", case.name);
        let text = common::portable(&format!("{err}\n"), &[(copy.path(), "[ROOT]")]);
        assert_same(case.name, "the library's errors", case.expected(), &text);
    }
}

/// What every message must keep, whatever its wording: each error names `file:line:column`
/// on its second line and marks the place with carets, and the last line counts the errors.
#[test]
fn every_expected_message_names_its_place_and_counts_its_errors() {
    for case in CASES {
        let text = case.expected();
        let blocks: Vec<&str> = text.split("\n\n").collect();
        let (summary, errors) = blocks.split_last().expect("at least the summary");
        let n = errors.len();
        assert_eq!(
            *summary,
            format!("{n} error{} — nothing was written\n", if n == 1 { "" } else { "s" }),
            "{}",
            case.name
        );
        for e in errors {
            assert!(e.starts_with("error: "), "{}: {e}", case.name);
            let place = e.lines().nth(1).and_then(|l| l.trim_start().strip_prefix("--> ")).unwrap_or_default();
            assert!(is_place(place), "{}: no file:line:column on the second line of\n{e}", case.name);
            assert!(e.lines().any(|l| l.trim_end().ends_with('^')), "{}: no caret line in\n{e}", case.name);
        }
    }
}

/// `file:line:column`, the file relative to the site root.
fn is_place(at: &str) -> bool {
    let number = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let mut parts = at.rsplitn(3, ':');
    number(parts.next())
        && number(parts.next())
        && parts.next().is_some_and(|f| f.starts_with("content/") || f.starts_with("templates/"))
}

// ---- the harness itself: an edit that does not find its lines exactly once fails ----------

#[test]
fn edits_replace_and_delete_whole_lines() {
    let copy = edited_fixture(
        BASE,
        &[add("scratch.txt", "a\nb\nc\n"), replace("scratch.txt", "b", "x\ny"), delete("scratch.txt", "a")],
    );
    assert_eq!(std::fs::read_to_string(copy.path().join("scratch.txt")).unwrap(), "x\ny\nc\n");
}

#[test]
#[should_panic(expected = "occur 0 times")]
fn an_edit_of_part_of_a_line_fails() {
    // `rating = "A"` is the end of a line here, not a whole line.
    edited_fixture(
        BASE,
        &[add("scratch.txt", "outcome_rating = \"A\"\n"), replace("scratch.txt", r#"rating = "A""#, "x")],
    );
}

#[test]
#[should_panic(expected = "occur 2 times")]
fn an_edit_of_lines_found_twice_fails() {
    edited_fixture(BASE, &[add("scratch.txt", "a\nb\na\n"), delete("scratch.txt", "a")]);
}

#[test]
#[should_panic(expected = "already in the fixture")]
fn adding_a_file_the_base_has_fails() {
    edited_fixture(BASE, &[add(R2016, "")]);
}

#[test]
fn bad_base_url_is_rejected() {
    let run = TestSite::fixture("minimal").base_url("/kusei/hyoka/").run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("must be an absolute http(s) URL"), "{}", run.stderr);
    assert!(!run.out.exists());
}
