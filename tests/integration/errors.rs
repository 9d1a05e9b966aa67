//! Every content mistake fails the build with a message that names the file, line and column,
//! says what was found and what was expected, and writes nothing.
//!
//! Each case below makes one mistake (or, where its name says so, several) in a copy of one
//! base site, `tests/fixtures/invalid/base/` (which builds without errors), then runs the real
//! binary and compares its whole stderr with the text written beside the edit. A change of
//! wording shows up here as a diff, to be reviewed and pasted in. Adding a case is adding one
//! entry to the table; see tests/fixtures/invalid/README.md.

use crate::common;
use crate::common::{Edit, TestSite, add, delete, edited_fixture, replace};

/// The site every case edits, under tests/fixtures/.
const BASE: &str = "invalid/base";
const R2016: &str = "content/testshi/ward1/2016/report.toml";
const R2017: &str = "content/testshi/ward1/2017/report.toml";
const MUNICIPALITY: &str = "content/testshi/municipality.toml";
const POLICY: &str = "content/testshi/policy.toml";
const SITE: &str = "site.toml";

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
error: found `2017-06-30T10:00:00`, expected a date such as 2017-06-30 or 平成29年6月30日
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

    /// A source address that would run script when clicked.
    source_url_that_runs_script {
        edits: [replace(
            R2016,
            r#"title = "合成データの報告（第一区）""#,
            "title = \"合成データの報告（第一区）\"\n\n[source]\ntitle = \"原資料\"\nurl = \"javascript:alert(document.domain)\"",
        )],
        stderr: r#"
error: found `javascript:alert(document.domain)`, expected an absolute https:, http: or mailto: address (e.g. https://www.city.osaka.lg.jp/)
  --> content/testshi/ward1/2016/report.toml:7:7
  |
7 | url = "javascript:alert(document.domain)"
  |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A licence address that would run script, on every page's footer.
    licence_url_that_runs_script {
        edits: [replace(
            SITE,
            r#"base_url = "http://127.0.0.1:8357/""#,
            "base_url = \"http://127.0.0.1:8357/\"\n\n[licence]\nname = \"CC BY 4.0\"\nurl = \"javascript:alert(1)\"",
        )],
        stderr: r#"
error: found `javascript:alert(1)`, expected an absolute https:, http: or mailto: address (e.g. https://www.city.osaka.lg.jp/)
  --> site.toml:6:7
  |
6 | url = "javascript:alert(1)"
  |       ^^^^^^^^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A line break in the base URL would add lines to robots.txt. The caret marks the first
    /// line of the value (the frame shows one line).
    base_url_with_a_line_break {
        edits: [replace(
            SITE,
            r#"base_url = "http://127.0.0.1:8357/""#,
            "base_url = \"\"\"http://127.0.0.1:8357/\nSitemap: https://evil.example/sitemap.xml\"\"\"",
        )],
        stderr: r#"
error: found `http://127.0.0.1:8357/\nSitemap: https://evil.example/sitemap.xml`, expected an absolute http(s) URL of the folder the site is published in, without query or fragment, e.g. https://www.city.example.jp/kusei/hyoka/
  --> site.toml:2:12
  |
2 | base_url = """http://127.0.0.1:8357/
  |            ^^^^^^^^^^^^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A control character (here the bell, written as a TOML escape) would break the feed.
    control_character_in_content {
        edits: [replace(
            R2016,
            r#"title = "合成データの報告（第一区）""#,
            r#"title = "合成データの報告\u0007（第一区）""#,
        )],
        stderr: r#"
error: found `U+0007`, expected text without control characters (other than tab and line breaks) or the non-characters U+FFFE and U+FFFF: delete it (most editors do not show it; it often comes from copying out of a PDF)
  --> content/testshi/ward1/2016/report.toml:3:18
  |
3 | title = "合成データの報告\u0007（第一区）"
  |                          ^^^^^^

1 error — nothing was written
"#,
    }

    /// A misplaced thousands separator would publish 815％.
    misplaced_thousands_separator {
        edits: [replace(R2017, r#"value = "45％""#, r#"value = "81,5％""#)],
        stderr: r#"
error: found `81,5％`, expected a number such as 「2,750％」 or 「81.5％」: thousands separated by commas in groups of three, digits on both sides of a decimal point
  --> content/testshi/ward1/2017/report.toml:15:9
   |
15 | value = "81,5％"
   |         ^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A blank rating would be published as no rating.
    blank_rating {
        edits: [replace(R2017, r#"rating = "A""#, r#"rating = """#)],
        stderr: r#"
error: found ``, expected A (順調) or B (順調でない); 「―」 where the source prints a dash, or no line where it has none
  --> content/testshi/ward1/2017/report.toml:17:10
   |
17 | rating = ""
   |          ^^

1 error — nothing was written
"#,
    }

    /// A report of only its header would publish an empty page.
    report_without_goals_or_initiatives {
        edits: [add("content/testshi/ward1/2018/report.toml", "fiscal_year = \"平成30年度\"\ntitle = \"合成データの報告（第一区）\"\n")],
        stderr: r#"
error: found `a report without goals or initiatives`, expected its goals ([[goals]]) and initiatives ([[initiatives]]) as the source gives them (docs/content-format.md)
  --> content/testshi/ward1/2018/report.toml:1:15
  |
1 | fiscal_year = "平成30年度"
  |               ^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// Two policy items with one id: a goal's `policy` could mean either.
    duplicate_policy_item {
        edits: [replace(POLICY, r#"id = "1-1""#, r#"id = "1-1-a""#)],
        stderr: r#"
error: policy item `1-1-a` is declared twice
  --> content/testshi/policy.toml:18:6
   |
18 | id = "1-1-a"
   |      ^^^^^^^
  --> content/testshi/policy.toml:13:6 (first declared here)
   |
13 | id = "1-1-a"
   |      ^^^^^^^

1 error — nothing was written
"#,
    }

    /// One report listing an indicator twice with two values (not two reports disagreeing).
    indicator_twice_in_one_report_with_two_values {
        edits: [replace(
            R2017,
            r#"rating = "A""#,
            "rating = \"A\"\n\n[[goals.outcomes]]\nindicator = \"ward1-kouza-sanka\"\nname = \"地域活動講座の参加者数（合成）\"\nunit = \"人\"\nvalue = \"125人\"",
        )],
        stderr: r#"
error: this report gives indicator `ward1-kouza-sanka` two values for 平成29年度（2017年度）: `130人` here, `125人` there; an indicator listed twice in a report (under a goal and an initiative) has the same value in both
  --> content/testshi/ward1/2017/report.toml:38:9
   |
38 | value = "130人"
   |         ^^^^^^^
  --> content/testshi/ward1/2017/report.toml:23:9 (the other value)
   |
23 | value = "125人"
   |         ^^^^^^^

1 error — nothing was written
"#,
    }

    /// A year folder named by era: the folder is what to rename.
    folder_named_by_era {
        edits: [add(
            "content/testshi/ward1/H30/report.toml",
            "fiscal_year = \"平成30年度\"\ntitle = \"合成\"\n\n[[goals]]\nid = \"1-1\"\ndesired_state = \"合成\"\n",
        )],
        stderr: r#"
error: found `H30`, expected a report folder named by its Western fiscal year: rename the folder to `2018` (H30 is FY2018)
  --> content/testshi/ward1/H30/report.toml:1:15
  |
1 | fiscal_year = "平成30年度"
  |               ^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A ward's own indicator repeats its name and unit in every report: the missing field is named.
    ward_indicator_without_unit {
        edits: [delete(R2017, r#"unit = "人""#)],
        stderr: r#"
error: found `ward1-kouza-sanka`, expected a ward's own indicator (one not in policy.toml) to give its `name` and `unit` (and `target`) in every report that lists it: add `unit`
  --> content/testshi/ward1/2017/report.toml:28:13
   |
28 | indicator = "ward1-kouza-sanka"
   |             ^^^^^^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A misspelt template name would be ignored: it is an error that names the nearest one.
    misspelt_template_name {
        edits: [add("templates/foter.html", "<footer>市の独自フッター</footer>\n")],
        stderr: r"
error: template: templates/foter.html: not a template mieruka renders; did you mean footer.html? a site's templates replace the built-in ones of the same name: base.html, components.html, measurement.html, footer.html, home.html, city.html, ward.html, report.html, goal.html, initiative.html, series.html, comparison.html, method.html, accessibility.html, accessibility-checklist.html, search.html, 404.html, moved.html, embed.html, changes.html, status.html, status-list.html

1 error — nothing was written
",
    }

    /// A mistake in a template every page uses is said once, with the number of pages.
    mistake_in_a_shared_template {
        edits: [add("templates/footer.html", "<footer>{{ site.publisher_name }}</footer>\n")],
        stderr: r"
error: template: (the same on 39 pages) Field `publisher_name` is not defined. Available fields: accessibility_url, all_data, base, feed_url, licence, licence_terms, method_url, publisher, site_data, site_title; did you mean `publisher`?
 --> templates/footer.html:1:17
  |
1 | <footer>{{ site.publisher_name }}</footer>
  |                 ^^^^^^^^^^^^^^

1 error — nothing was written
",
    }

    /// A city folder named like one of the site's own top-level folders would hide it.
    reserved_city_folder {
        edits: [add("content/data/municipality.toml", "name = \"データ市\"\ncode = \"271004\"\n")],
        stderr: r"
error: found `data`, expected a city folder name of lowercase ASCII letters, digits and hyphens, other than about, accessibility, assets, data, indicators, pagefind, search, status
  --> content/data/municipality.toml:1:1

1 error — nothing was written
",
    }

    /// A ward folder named `indicators` would hide the city's comparison pages.
    reserved_ward_folder {
        edits: [add("content/testshi/indicators/ward.toml", "name = \"指標区\"\n")],
        stderr: r"
error: found `indicators`, expected a ward folder name of lowercase ASCII letters, digits and hyphens, other than indicators and status
  --> content/testshi/indicators/ward.toml:1:1

1 error — nothing was written
",
    }

    /// A bare number where the source's text goes: the text to write is shown, with the unit.
    value_as_a_bare_number {
        edits: [replace(R2017, r#"value = "45％""#, "value = 45.5")],
        stderr: r#"
error: found `45.5`, expected the value as the source prints it, in quotes with its unit: "45.5％"
  --> content/testshi/ward1/2017/report.toml:15:9
   |
15 | value = 45.5
   |         ^^^^

1 error — nothing was written
"#,
    }

    /// A result in words needs its words.
    value_in_words_without_words {
        edits: [replace(R2017, r#"value = "45％""#, r#"value = { text = " " }"#)],
        stderr: r#"
error: found ``, expected the result as the source prints it, e.g. { text = "4地域中3地域" }
  --> content/testshi/ward1/2017/report.toml:15:9
   |
15 | value = { text = " " }
   |         ^^^^^^^^^^^^^^

1 error — nothing was written
"#,
    }

    /// A date in 和暦 is read; one that does not exist is an error.
    date_that_does_not_exist {
        edits: [replace(
            R2017,
            r#"title = "合成データの報告（第一区）""#,
            "title = \"合成データの報告（第一区）\"\nupdated = \"平成30年2月30日\"",
        )],
        stderr: r#"
error: found `平成30年2月30日`, expected a date such as 2017-06-30 or 平成29年6月30日
  --> content/testshi/ward1/2017/report.toml:4:11
  |
4 | updated = "平成30年2月30日"
  |           ^^^^^^^^^^^^^^^^^

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
        "{case}: {what} differs from the text in tests/integration/errors.rs (- expected, + actual):\n{}\n\
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
    assert_eq!(names, ["README.md", "base"], "add a case as an entry of the table in tests/integration/errors.rs");
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
            // A template file that is not one names itself in the message (it has no line).
            if e.starts_with("error: template: templates/") {
                continue;
            }
            let place = e.lines().nth(1).and_then(|l| l.trim_start().strip_prefix("--> ")).unwrap_or_default();
            assert!(is_place(place), "{}: no file:line:column on the second line of\n{e}", case.name);
            // A mistake in a folder's name has no line to show: the place is the file's start.
            let whole_file = place.ends_with(":1:1") && e.lines().count() == 2;
            assert!(
                whole_file || e.lines().any(|l| l.trim_end().ends_with('^')),
                "{}: no caret line in\n{e}",
                case.name
            );
        }
    }
}

/// `file:line:column`, the file relative to the site root.
fn is_place(at: &str) -> bool {
    let number = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let mut parts = at.rsplitn(3, ':');
    number(parts.next())
        && number(parts.next())
        && parts.next().is_some_and(|f| f.starts_with("content/") || f.starts_with("templates/") || f == "site.toml")
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
    for bad in ["/kusei/hyoka/", "javascript:alert(1)", "https://x.example/?page=1", "https://x.example/\nSitemap: x"] {
        let run = TestSite::fixture("minimal").base_url(bad).run();
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        let shown = bad.replace('\n', "\\n");
        let expected = format!("error: --base-url: found `{shown}`, expected an absolute http(s) URL of the folder");
        assert!(run.stderr.starts_with(&expected), "{bad:?}:\n{}", run.stderr);
        assert!(!run.out.exists());
    }
}

// ---- encodings: a file saved in another encoding is named with it and "save as UTF-8" ----

/// Rewrites the base's 2016 report in `encoding` (with `bom` before it) and builds.
fn build_encoded(encoding: &'static encoding_rs::Encoding, bom: &[u8], crlf: bool) -> common::Run {
    let copy = edited_fixture(BASE, &[]);
    let path = copy.path().join(R2016);
    let mut text = std::fs::read_to_string(&path).unwrap();
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    let bytes: Vec<u8> = if encoding == encoding_rs::UTF_16LE {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    } else {
        encoding.encode(&text).0.into_owned()
    };
    std::fs::write(&path, [bom, &bytes].concat()).unwrap();
    let mut run = TestSite::at(copy.path()).run();
    run.stderr = run.portable_stderr();
    drop(copy);
    run
}

#[test]
fn a_file_in_another_encoding_is_named_with_it_and_how_to_fix_it() {
    for (encoding, bom, name) in [
        (encoding_rs::SHIFT_JIS, &b""[..], "Shift_JIS"),
        (encoding_rs::EUC_JP, &b""[..], "EUC-JP"),
        (encoding_rs::UTF_16LE, &b"\xFF\xFE"[..], "UTF-16LE"),
    ] {
        let run = build_encoded(encoding, bom, false);
        assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!(
                "error: found `text in {name} (not UTF-8)`, expected UTF-8: save the file as UTF-8 (in Windows \
                 メモ帳, 名前を付けて保存 → 文字コード「UTF-8」), then build again"
            ),
            "{name}"
        );
        assert!(run.stderr.contains(&format!("  --> {R2016}:")), "{name}: {}", run.stderr);
        assert!(run.stderr.trim_end().ends_with("1 error — nothing was written"), "{name}: {}", run.stderr);
    }
}

#[test]
fn utf8_with_a_byte_order_mark_and_crlf_line_ends_builds() {
    let run = build_encoded(encoding_rs::UTF_8, b"\xEF\xBB\xBF", true);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
