//! Next year's report made from a ward's latest one, edited in place with `toml_edit` so that
//! its comments and layout stay: the plan (goals, indicators, targets, initiatives) is carried
//! over, this year's results become the placeholder 「未記入」, and every `previous` is the
//! latest report's `value`, so each indicator's series continues by construction.
//!
//! What happens to each field is one table per kind of table ([`REPORT`], [`GOAL`],
//! [`MEASUREMENT`], [`INITIATIVE`], …); a unit test checks that every field `load` knows is in one.

use super::PLACEHOLDER;
use crate::ja::FiscalYear;
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

/// What becomes of one field of the latest report in the next one.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// Part of the plan: copied as it is.
    Carry,
    /// This year's result: 「未記入」 where the latest report gives it.
    Empty,
    /// This year's result that every entry needs (a measurement's `value`): 「未記入」, written
    /// also where the latest report has none.
    Fill,
    /// This year's wording, often the same as last year's but sometimes dated (「待機児童数：29年4月」):
    /// 「未記入」, with the latest wording in a comment on the line to copy from.
    EmptyNoting,
    /// About this year only, where a placeholder makes no sense (notes, corrections, flags on a
    /// value): removed.
    Drop,
    /// This year's, where the placeholder cannot stand (a number such as a survey's `asked`, a
    /// file or address that must exist): removed, its latest value named in a comment on the
    /// enclosing line.
    DropNoting,
    /// The latest report's value of another field (`previous` ← `value`, `previous_results` ←
    /// `results`); absent when that field is.
    From(&'static str),
    /// A table whose own fields follow these rules (`[source]`, `survey`).
    Table(&'static [Field]),
    /// An array of tables, each following these rules (goals, outcomes, initiatives, indicators).
    Each(&'static [Field]),
    /// `fiscal_year`: the new fiscal year, written as the latest report writes its own.
    Year,
}

use Rule::{Carry, Drop, DropNoting, Each, Empty, EmptyNoting, Fill, From, Year};

/// A field name and its rule. The order is the order of docs/content-format.md: a field that
/// is added goes after the nearest field before it in this order that the entry has.
pub(crate) type Field = (&'static str, Rule);

/// The top level of report.toml. `draft` is set apart: the new report always starts with
/// `draft = true` (see [`next_report`]).
pub(crate) const REPORT: &[Field] = &[
    ("fiscal_year", Year),
    ("draft", Drop),
    ("title", Carry),
    ("updated", Empty),
    ("transcription_notes", Drop),
    ("source", Rule::Table(SOURCE)),
    ("goals", Each(GOAL)),
    ("initiatives", Each(INITIATIVE)),
    ("corrections", Drop),
];

/// `[source]`: the document this year's figures are transcribed from, a new one every year. Its
/// `file` (under static/) and `url` must be real where they are written, so they are left out.
pub(crate) const SOURCE: &[Field] =
    &[("title", Empty), ("file", DropNoting), ("url", DropNoting), ("published", Empty)];

pub(crate) const GOAL: &[Field] = &[
    ("id", Carry),
    ("policy", Carry),
    ("title", Carry),
    ("desired_state", Carry),
    ("strategy", Carry),
    // The 【改定履歴あり】 mark belongs to the strategy's text, which is carried over with it.
    ("strategy_revised", Carry),
    ("outcome_rating", Empty),
    ("strategy_progress", Empty),
    ("effectiveness", Empty),
    ("issues", Empty),
    ("next_steps", Empty),
    ("outcomes", Each(MEASUREMENT)),
    ("notes", Drop),
];

/// An outcome of a goal or an indicator of an initiative.
pub(crate) const MEASUREMENT: &[Field] = &[
    ("indicator", Carry),
    ("name", Carry),
    ("unit", Carry),
    ("target", Carry),
    ("direction", Carry),
    ("measure", EmptyNoting),
    ("value", Fill),
    ("previous", From("value")),
    ("rating", Empty),
    ("notes", Drop),
    ("survey", Rule::Table(SURVEY)),
    // The survey behind `previous`, the latest report's value: the latest report's survey.
    ("previous_survey", From("survey")),
    ("source_ref", Empty),
    // The id is last year's: the series continues without `continues` or `new_indicator`.
    ("series_break", Drop),
    ("continues", Drop),
    ("new_indicator", Drop),
    ("as_printed", Drop),
    // How this year's source prints its ratings and where its layout is ambiguous.
    ("rated_with", Drop),
    ("uncertain", Drop),
];

/// The survey behind a value: this year's. Even its name may be dated (「平成28年度区民アンケート」),
/// so it is written again, like `measure`.
pub(crate) const SURVEY: &[Field] = &[
    ("name", EmptyNoting),
    ("asked", DropNoting),
    ("answered", DropNoting),
    // A share with its unit, checked as such even in a draft.
    ("response_rate", DropNoting),
    ("when", Empty),
];

pub(crate) const INITIATIVE: &[Field] = &[
    ("id", Carry),
    ("label", Carry),
    ("goal", Carry),
    ("title", Carry),
    ("content", Carry),
    ("performance_target", Carry),
    ("withdrawal", Carry),
    ("withdrawals", Carry),
    ("previous_results", From("results")),
    ("results", Empty),
    ("achievement", Empty),
    ("achievement_code", Empty),
    ("effectiveness", Empty),
    ("issues", Empty),
    ("improvements", Empty),
    ("indicators", Each(MEASUREMENT)),
    ("notes", Drop),
];

/// The comment beside `draft = true`.
pub(crate) const DRAFT_COMMENT: &str =
    "# 下書き（draft）：すべて書き終えて確かめたら、この行を消してください。消すまでサイトには出ません。";

/// Next year's report.toml from the latest report's text. `Err` says why the text is not TOML.
pub(crate) fn next_report(latest: &str, from: FiscalYear, year: FiscalYear, from_file: &str) -> Result<String, String> {
    let mut doc: DocumentMut = latest.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let root = doc.as_table_mut();
    apply(&mut Fields::Table(root), REPORT, year);
    root.insert("draft", Item::Value(Value::from(true).decorated(" ", format!("  {DRAFT_COMMENT}"))));
    place(&mut Fields::Table(root), "draft", REPORT);
    let header = format!(
        "# {year}の報告書の下書き：mieruka new report が{from}の {from_file} から作りました。\n\
         # 目標・指標・目標値・取組は{from}のまま写し、前年度の値 previous には{from}の値 value を入れてあります。\n\
         # 計画が変わったところは直し、「{PLACEHOLDER}」はすべて{year}の資料どおりに書いてください（docs/content-format.md）。\n\n",
        year = year.era_label(),
        from = from.era_label(),
    );
    let first = root.iter().next().map(|(k, _)| k.to_string());
    if let Some(mut key) = first.and_then(|k| root.key_mut(&k)) {
        let decor = key.leaf_decor_mut();
        let old = decor.prefix().and_then(|p| p.as_str()).unwrap_or_default().to_string();
        decor.set_prefix(format!("{header}{old}"));
    }
    let text = doc.to_string();
    // toml_edit writes the lines it makes with \n: a file saved with Windows line ends keeps them.
    Ok(if latest.contains("\r\n") { text.replace("\r\n", "\n").replace('\n', "\r\n") } else { text })
}

/// A table of the document, standard (`[[goals]]`) or inline (`{ … }`): the same rules apply.
enum Fields<'a> {
    Table(&'a mut Table),
    Inline(&'a mut InlineTable),
}

impl Fields<'_> {
    fn keys(&self) -> Vec<String> {
        match self {
            Fields::Table(t) => t.iter().map(|(k, _)| k.to_string()).collect(),
            Fields::Inline(t) => t.iter().map(|(k, _)| k.to_string()).collect(),
        }
    }
    fn contains(&self, key: &str) -> bool {
        match self {
            Fields::Table(t) => t.contains_key(key),
            Fields::Inline(t) => t.contains_key(key),
        }
    }
    fn value(&self, key: &str) -> Option<&Value> {
        match self {
            Fields::Table(t) => t.get(key).and_then(Item::as_value),
            Fields::Inline(t) => t.get(key),
        }
    }
    fn value_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Fields::Table(t) => t.get_mut(key).and_then(Item::as_value_mut),
            Fields::Inline(t) => t.get_mut(key),
        }
    }
    fn remove(&mut self, key: &str) {
        match self {
            Fields::Table(t) => drop(t.remove(key)),
            Fields::Inline(t) => {
                let was_last = t.iter().last().is_some_and(|(k, _)| k == key);
                let removed = t.remove(key);
                // The space before `}` is the last value's: it goes to the value now last.
                if let (true, Some(removed), Some((_, last))) = (was_last, removed, t.iter_mut().last()) {
                    let space = removed.decor().suffix().cloned().unwrap_or_default();
                    last.decor_mut().set_suffix(space);
                }
            }
        }
    }
    /// Sets `key` to `value`, keeping the old value's surroundings (a comment after it) when
    /// there is one; a new key goes last (see [`place`]).
    fn set(&mut self, key: &str, mut value: Value) {
        if let Some(old) = self.value_mut(key) {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        } else {
            match self {
                Fields::Table(t) => drop(t.insert(key, Item::Value(value))),
                Fields::Inline(t) => drop(t.insert(key, value)),
            }
        }
    }
    /// Adds `comment` at the end of the line of `key`'s value (a `# …` after it).
    fn note(&mut self, key: &str, comment: &str) {
        let decor = match self {
            Fields::Table(t) => match t.get_mut(key) {
                Some(Item::Value(v)) => v.decor_mut(),
                Some(Item::Table(t)) => t.decor_mut(),
                _ => return,
            },
            Fields::Inline(t) => match t.get_mut(key) {
                Some(v) => v.decor_mut(),
                None => return,
            },
        };
        let old = decor.suffix().and_then(|s| s.as_str()).unwrap_or_default().to_string();
        decor.set_suffix(format!("{old}  # {comment}"));
    }
    /// Reorders the fields as `order` lists them (every key, once).
    fn reorder(&mut self, order: &[String]) {
        let rank = |k: &str| order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        match self {
            Fields::Table(t) => t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get()))),
            Fields::Inline(t) => t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get()))),
        }
    }
    /// The tables of an array of tables `key`, standard (`[[goals]]`) or inline
    /// (`goals = [{ … }]`); none when `key` is neither.
    fn each(&mut self, key: &str) -> Vec<Fields<'_>> {
        match self {
            Fields::Table(t) => match t.get_mut(key) {
                Some(Item::ArrayOfTables(a)) => a.iter_mut().map(Fields::Table).collect(),
                Some(Item::Value(v)) => inline_tables(v),
                _ => Vec::new(),
            },
            Fields::Inline(t) => t.get_mut(key).map_or_else(Vec::new, inline_tables),
        }
    }
    /// The table `key`, standard (`[source]`) or inline (`survey = { … }`).
    fn sub(&mut self, key: &str) -> Option<Fields<'_>> {
        match self {
            Fields::Table(t) => match t.get_mut(key)? {
                Item::Table(t) => Some(Fields::Table(t)),
                Item::Value(Value::InlineTable(t)) => Some(Fields::Inline(t)),
                _ => None,
            },
            Fields::Inline(t) => t.get_mut(key)?.as_inline_table_mut().map(Fields::Inline),
        }
    }
}

fn inline_tables(v: &mut Value) -> Vec<Fields<'_>> {
    match v {
        Value::Array(a) => a.iter_mut().filter_map(Value::as_inline_table_mut).map(Fields::Inline).collect(),
        _ => Vec::new(),
    }
}

fn placeholder() -> Value {
    Value::from(PLACEHOLDER)
}

/// A value as a comment quotes it: text in 「」 on one line, anything else as TOML writes it.
fn shown(v: &Value) -> String {
    match v.as_str() {
        Some(s) => format!("「{}」", s.trim().replace(['\r', '\n'], " ")),
        None => v.to_string().trim().to_string(),
    }
}

/// A latest value that a comment names because it is gone from its line: a [`Rule::DropNoting`]
/// field, or a [`Rule::EmptyNoting`] one inside an inline table (a comment cannot go inside
/// `{ … }`). It goes on the line of the nearest enclosing standard table's key.
struct Noted {
    key: String,
    was: String,
    removed: bool,
}

/// The comment for what `noted` names, on the line of the table that held them.
fn comment(noted: &[Noted]) -> String {
    let was: Vec<String> = noted.iter().map(|n| format!("{} = {}", n.key, n.was)).collect();
    let removed: Vec<&str> = noted.iter().filter(|n| n.removed).map(|n| n.key.as_str()).collect();
    let mut s = format!("前年度：{}", was.join("、"));
    if !removed.is_empty() {
        s.push_str(&format!("。{} は今年度のものを書き足してください", removed.join("・")));
    }
    s
}

/// Applies `rules` to one table. Returns what must be noted on the line that holds it (see
/// [`Noted`]).
fn apply(fields: &mut Fields, rules: &[Field], year: FiscalYear) -> Vec<Noted> {
    let rule_of = |key: &str| rules.iter().find(|(k, _)| *k == key).map(|(_, r)| *r);
    // The latest values the new ones are made from, before anything changes.
    let sources: Vec<(&str, Option<Value>)> = rules
        .iter()
        .filter_map(|(k, r)| match r {
            From(source) => Some((*k, fields.value(source).cloned())),
            _ => None,
        })
        .collect();
    let inline = matches!(fields, Fields::Inline(_));
    let mut noted = Vec::new();
    for key in fields.keys() {
        // A field `load` does not know is left as it is: the build names it.
        let Some(rule) = rule_of(&key) else { continue };
        match rule {
            Carry | From(_) => {}
            Empty | Fill => fields.set(&key, placeholder()),
            EmptyNoting => {
                let was = fields.value(&key).map(shown);
                fields.set(&key, placeholder());
                match was {
                    Some(was) if inline => noted.push(Noted { key: key.clone(), was, removed: false }),
                    Some(was) => fields.note(&key, &format!("前年度：{was}")),
                    None => {}
                }
            }
            Drop => fields.remove(&key),
            DropNoting => {
                if let Some(was) = fields.value(&key).map(shown) {
                    noted.push(Noted { key: key.clone(), was, removed: true });
                }
                fields.remove(&key);
            }
            Rule::Table(own) => {
                let inner = fields.sub(&key).map(|mut t| apply(&mut t, own, year)).unwrap_or_default();
                if inline {
                    noted.extend(inner);
                } else if !inner.is_empty() {
                    fields.note(&key, &comment(&inner));
                }
            }
            Each(own) => {
                let mut inner = Vec::new();
                for mut entry in fields.each(&key) {
                    inner.extend(apply(&mut entry, own, year));
                }
                if inline {
                    noted.extend(inner);
                } else if !inner.is_empty() {
                    fields.note(&key, &comment(&inner));
                }
            }
            Year => {
                let new = match fields.value(&key) {
                    Some(Value::Integer(_)) => Value::from(i64::from(year.western())),
                    _ => Value::from(year.era_label()),
                };
                fields.set(&key, new);
            }
        }
    }
    for (key, source) in sources {
        match source {
            Some(mut value) => {
                // Only the value: a comment after the source field stays on its own line.
                *value.decor_mut() = toml_edit::Decor::default();
                let new = !fields.contains(key);
                fields.set(key, value);
                if new {
                    place(fields, key, rules);
                }
            }
            None => fields.remove(key),
        }
    }
    for (key, rule) in rules {
        if matches!(rule, Fill) && !fields.contains(key) {
            fields.set(key, placeholder());
            place(fields, key, rules);
        }
    }
    noted
}

/// Moves `key` (just added, last) after the fields that come before it in `rules`, or, when
/// the table has none of those, before the first field after it.
fn place(fields: &mut Fields, key: &str, rules: &[Field]) {
    let mut order: Vec<String> = fields.keys().into_iter().filter(|k| k != key).collect();
    let at = rules.iter().position(|(k, _)| *k == key).unwrap_or(rules.len());
    let position = |names: &[Field]| -> Vec<usize> {
        names.iter().filter_map(|(k, _)| order.iter().position(|o| o == k)).collect()
    };
    let index = match position(&rules[..at]).into_iter().max() {
        Some(i) => i + 1,
        None => position(rules.get(at + 1..).unwrap_or_default()).into_iter().min().unwrap_or(order.len()),
    };
    order.insert(index, key.to_string());
    fields.reorder(&order);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::RawReport;
    use serde::de::DeserializeOwned;

    /// The fields a raw shape of `load` accepts, read from serde's error for an unknown one.
    fn fields_of<T: DeserializeOwned>() -> Vec<String> {
        let message = toml::from_str::<T>("not-a-field = 1").err().expect("an unknown field is refused").to_string();
        let expected = message.split("expected").nth(1).unwrap_or_else(|| panic!("no list in {message}"));
        expected.split('`').skip(1).step_by(2).map(str::to_string).collect()
    }

    fn names(rules: &[Field]) -> Vec<String> {
        let mut names: Vec<String> = rules.iter().map(|(k, _)| (*k).to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn every_field_load_knows_has_a_rule() {
        use crate::load::{RawGoal, RawInitiative, RawMeasurement, RawSource, RawSurvey};
        let shapes: [(&str, Vec<String>, &[Field]); 6] = [
            ("RawReport", fields_of::<RawReport>(), REPORT),
            ("RawSource", fields_of::<RawSource>(), SOURCE),
            ("RawGoal", fields_of::<RawGoal>(), GOAL),
            ("RawMeasurement", fields_of::<RawMeasurement>(), MEASUREMENT),
            ("RawSurvey", fields_of::<RawSurvey>(), SURVEY),
            ("RawInitiative", fields_of::<RawInitiative>(), INITIATIVE),
        ];
        for (shape, mut fields, rules) in shapes {
            fields.sort();
            assert_eq!(names(rules), fields, "{shape}: a field without a rule, or a rule for no field");
        }
    }

    const LATEST: &str = r#"# the ward's report
fiscal_year = "平成28年度"
title = "取組状況について（第一区）"
updated = 2017-06-30  # when it was published
transcription_notes = ["read with care"]

[source]
title = "原資料"
url = "https://www.city.example.jp/r.pdf"

# ---- goals ----
[[goals]]
id = "1-1"
policy = "1-2-a"
desired_state = "- 地域が自律的に運営されている状態"
strategy = "- 支援する。"
strategy_revised = true
outcome_rating = "A"
strategy_progress = "a"
effectiveness = "ア"
issues = '''
認知度が低い。
'''
next_steps = "周知に努める。"
notes = ["a note"]

[[goals.outcomes]]
indicator = "jiritsu"
measure = "待機児童数：29年4月"
value = "81％"   # as printed
previous = "86.0%"
rating = "A"
notes = ["n"]
survey = { name = "区民アンケート", asked = 2000, answered = 715, response_rate = "35.8％" }
previous_survey = { name = "区民アンケート", asked = 1500, answered = 553 }
rated_with = "other"
uncertain = "the layout is ambiguous"
source_ref = "p.3"
series_break = "the question changed"
continues = "old-id"
new_indicator = true
as_printed = true

[[initiatives]]
id = "1-1-1"
goal = "1-1"
content = "勉強会（年10回）を開催する。"
performance_target = "増やす。"
withdrawal = { text = "80％を下回った場合", comparator = "前年度比未満", value = "80％" }
previous_results = "old results"
results = '''
- 防災訓練を16地域で実施
'''
achievement = "2,750人"
achievement_code = "①(ⅰ)"
effectiveness = "○"
issues = "―"
improvements = "―"

[[initiatives.indicators]]
indicator = "bosai-sanka"
name = "防災訓練の参加者数"
unit = "人"
target = { text = "増やす", comparator = "前年度より増" }
value = "2,750人"

[[corrections]]
indicator = "jiritsu"
fiscal_year = "平成27年度"
value = "85.0％"
note = "訂正"
"#;

    fn next(latest: &str) -> (String, toml::Table) {
        let text = next_report(latest, FiscalYear(2016), FiscalYear(2017), "content/c/w/2016/report.toml").unwrap();
        let raw: Result<RawReport, _> = toml::from_str(&text);
        assert!(raw.is_ok(), "{:?}\n{text}", raw.err());
        let table = toml::from_str(&text).unwrap();
        (text, table)
    }

    fn at<'t>(t: &'t toml::Table, path: &str) -> Option<&'t toml::Value> {
        let mut v: Option<&toml::Value> = None;
        for part in path.split('.') {
            v = match (v, part.parse::<usize>()) {
                (None, _) => t.get(part),
                (Some(toml::Value::Array(a)), Ok(i)) => a.get(i),
                (Some(toml::Value::Table(t)), _) => t.get(part),
                _ => None,
            };
        }
        v
    }

    fn str_at<'t>(t: &'t toml::Table, path: &str) -> Option<&'t str> {
        at(t, path).and_then(toml::Value::as_str)
    }

    #[test]
    fn the_plan_carries_over() {
        let (_, t) = next(LATEST);
        for (path, expected) in [
            ("title", "取組状況について（第一区）"),
            ("goals.0.id", "1-1"),
            ("goals.0.policy", "1-2-a"),
            ("goals.0.desired_state", "- 地域が自律的に運営されている状態"),
            ("goals.0.strategy", "- 支援する。"),
            ("goals.0.outcomes.0.indicator", "jiritsu"),
            ("initiatives.0.id", "1-1-1"),
            ("initiatives.0.goal", "1-1"),
            ("initiatives.0.content", "勉強会（年10回）を開催する。"),
            ("initiatives.0.performance_target", "増やす。"),
            ("initiatives.0.withdrawal.text", "80％を下回った場合"),
            ("initiatives.0.withdrawal.comparator", "前年度比未満"),
            ("initiatives.0.indicators.0.indicator", "bosai-sanka"),
            ("initiatives.0.indicators.0.name", "防災訓練の参加者数"),
            ("initiatives.0.indicators.0.unit", "人"),
            ("initiatives.0.indicators.0.target.comparator", "前年度より増"),
        ] {
            assert_eq!(str_at(&t, path), Some(expected), "{path}");
        }
        assert_eq!(at(&t, "goals.0.strategy_revised").and_then(toml::Value::as_bool), Some(true));
    }

    #[test]
    fn this_years_results_are_placeholders() {
        let (_, t) = next(LATEST);
        for path in [
            "updated",
            "source.title",
            "goals.0.outcome_rating",
            "goals.0.strategy_progress",
            "goals.0.effectiveness",
            "goals.0.issues",
            "goals.0.next_steps",
            "goals.0.outcomes.0.measure",
            "goals.0.outcomes.0.value",
            "goals.0.outcomes.0.rating",
            "goals.0.outcomes.0.source_ref",
            "goals.0.outcomes.0.survey.name",
            "initiatives.0.results",
            "initiatives.0.achievement",
            "initiatives.0.achievement_code",
            "initiatives.0.effectiveness",
            "initiatives.0.issues",
            "initiatives.0.improvements",
            "initiatives.0.indicators.0.value",
        ] {
            assert_eq!(str_at(&t, path), Some(PLACEHOLDER), "{path}");
        }
    }

    #[test]
    fn what_a_placeholder_cannot_stand_for_is_dropped() {
        let (_, t) = next(LATEST);
        for path in [
            "transcription_notes",
            "corrections",
            "goals.0.notes",
            "goals.0.outcomes.0.notes",
            "goals.0.outcomes.0.series_break",
            "goals.0.outcomes.0.continues",
            "goals.0.outcomes.0.new_indicator",
            "goals.0.outcomes.0.as_printed",
            "goals.0.outcomes.0.rated_with",
            "goals.0.outcomes.0.uncertain",
            "goals.0.outcomes.0.survey.asked",
            "goals.0.outcomes.0.survey.answered",
            "goals.0.outcomes.0.survey.response_rate",
            "source.url",
        ] {
            assert!(at(&t, path).is_none(), "{path} is still there");
        }
    }

    #[test]
    fn previous_is_the_latest_value_and_previous_results_the_latest_results() {
        let (text, t) = next(LATEST);
        assert_eq!(str_at(&t, "goals.0.outcomes.0.previous"), Some("81％"));
        // The survey behind it comes with it: the latest report's own.
        assert_eq!(str_at(&t, "goals.0.outcomes.0.previous_survey.name"), Some("区民アンケート"));
        assert_eq!(at_int(&t, "goals.0.outcomes.0.previous_survey.asked"), Some(2000));
        assert_eq!(str_at(&t, "goals.0.outcomes.0.previous_survey.response_rate"), Some("35.8％"));
        assert_eq!(str_at(&t, "initiatives.0.previous_results"), Some("- 防災訓練を16地域で実施\n"));
        // Added where the latest report had none, right after the value.
        assert_eq!(str_at(&t, "initiatives.0.indicators.0.previous"), Some("2,750人"));
        assert!(text.contains("value = \"未記入\"\nprevious = \"2,750人\"\n"), "{text}");
    }

    #[test]
    fn comments_stay_and_the_dropped_numbers_are_named() {
        let (text, _) = next(LATEST);
        for comment in ["# the ward's report", "# when it was published", "# ---- goals ----", "# as printed"] {
            assert!(text.contains(comment), "{comment} is lost:\n{text}");
        }
        assert!(
            text.contains("[source]  # 前年度：url = 「https://www.city.example.jp/r.pdf」。url は今年度のものを書き足してください\n"),
            "{text}"
        );
        assert!(text.contains("measure = \"未記入\"  # 前年度：「待機児童数：29年4月」\n"), "{text}");
        assert!(
            text.contains(
                "survey = { name = \"未記入\" }  # 前年度：name = 「区民アンケート」、asked = 2000、answered = 715、\
                 response_rate = 「35.8％」。asked・answered・response_rate は今年度のものを書き足してください"
            ),
            "{text}"
        );
    }

    #[test]
    fn draft_true_follows_fiscal_year_written_as_the_latest_writes_it() {
        let (text, t) = next(LATEST);
        assert_eq!(str_at(&t, "fiscal_year"), Some("平成29年度"));
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| l.starts_with("fiscal_year")).unwrap();
        assert!(lines[at + 1].starts_with("draft = true  # "), "{}", lines[at + 1]);
        // A bare Western year stays one; an era is written in full; a draft flag is not doubled.
        let latest = LATEST.replace("fiscal_year = \"平成28年度\"", "fiscal_year = 2016\ndraft = false");
        let (text, t) = next(&latest);
        assert_eq!(at_int(&t, "fiscal_year"), Some(2017));
        assert_eq!(text.matches("draft =").count(), 1, "{text}");
        let text = next_report(LATEST, FiscalYear(2018), FiscalYear(2019), "r.toml").unwrap();
        assert!(text.contains("fiscal_year = \"令和元年度\""), "{text}");
    }

    fn at_int(t: &toml::Table, path: &str) -> Option<i64> {
        at(t, path).and_then(toml::Value::as_integer)
    }

    #[test]
    fn a_survey_written_as_its_own_table_is_noted_on_its_header() {
        let latest = LATEST
            .replace(
                "survey = { name = \"区民アンケート\", asked = 2000, answered = 715, response_rate = \"35.8％\" }\n",
                "",
            )
            .replace(
                "as_printed = true\n",
                "as_printed = true\n\n[goals.outcomes.survey]\nname = \"区民アンケート\"\nasked = 2000\n",
            );
        let (text, t) = next(&latest);
        assert_eq!(str_at(&t, "goals.0.outcomes.0.survey.name"), Some(PLACEHOLDER));
        assert!(at(&t, "goals.0.outcomes.0.survey.asked").is_none(), "{text}");
        assert!(text.contains("name = \"未記入\"  # 前年度：「区民アンケート」"), "{text}");
        assert!(text.contains("[goals.outcomes.survey]  # 前年度：asked = 2000。"), "{text}");
    }

    #[test]
    fn windows_line_ends_stay_windows_line_ends() {
        let (text, t) = next(&LATEST.replace('\n', "\r\n"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "a line ends with \\n alone");
        assert_eq!(str_at(&t, "goals.0.outcomes.0.previous"), Some("81％"));
    }

    #[test]
    fn a_measurement_without_value_gets_one_and_no_previous() {
        let latest = LATEST.replace("value = \"2,750人\"\n", "previous = \"―\"\n");
        let (text, t) = next(&latest);
        assert_eq!(str_at(&t, "initiatives.0.indicators.0.value"), Some(PLACEHOLDER));
        assert!(at(&t, "initiatives.0.indicators.0.previous").is_none(), "{text}");
        assert!(
            text.contains("target = { text = \"増やす\", comparator = \"前年度より増\" }\nvalue = \"未記入\"\n"),
            "{text}"
        );
    }

    #[test]
    fn inline_tables_follow_the_same_rules() {
        let latest = r#"fiscal_year = "H28"
title = "t"
goals = [
  { id = "1-1", desired_state = "d", outcome_rating = "A", outcomes = [
    { indicator = "x", value = "3名", survey = { name = "s", asked = 10 } },
  ] },
]
"#;
        let (text, t) = next(latest);
        assert_eq!(str_at(&t, "fiscal_year"), Some("平成29年度"));
        assert_eq!(str_at(&t, "goals.0.outcome_rating"), Some(PLACEHOLDER));
        assert_eq!(str_at(&t, "goals.0.outcomes.0.value"), Some(PLACEHOLDER));
        assert_eq!(str_at(&t, "goals.0.outcomes.0.previous"), Some("3名"));
        assert!(at(&t, "goals.0.outcomes.0.survey.asked").is_none());
        // The comment goes after the whole array, never inside `{ … }`.
        assert!(text.contains("]  # 前年度：name = 「s」、asked = 10。"), "{text}");
    }
}
