//! The 達成基準チェックリスト (success-criteria checklist) behind a JIS X 8341-3:2016
//! conformance statement: one entry per success criterion, read from the TOML file that
//! `[accessibility] checklist` of site.toml names, and the conformance wording it supports.
//!
//! The wording follows WAIC's 「ウェブコンテンツの JIS X 8341-3:2016 対応度表記ガイドライン」:
//! 準拠 needs every criterion of the target level tested and met; 一部準拠 needs every one
//! tested (some not met); with any criterion untested, only 配慮 can be said.

use crate::error::{Error, Errors, Span};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The success criteria of JIS X 8341-3:2016 (WCAG 2.0) at level A and AA, in order.
pub const JIS_A_AA: [(&str, &str); 38] = [
    ("1.1.1", "A"),
    ("1.2.1", "A"),
    ("1.2.2", "A"),
    ("1.2.3", "A"),
    ("1.2.4", "AA"),
    ("1.2.5", "AA"),
    ("1.3.1", "A"),
    ("1.3.2", "A"),
    ("1.3.3", "A"),
    ("1.4.1", "A"),
    ("1.4.2", "A"),
    ("1.4.3", "AA"),
    ("1.4.4", "AA"),
    ("1.4.5", "AA"),
    ("2.1.1", "A"),
    ("2.1.2", "A"),
    ("2.2.1", "A"),
    ("2.2.2", "A"),
    ("2.3.1", "A"),
    ("2.4.1", "A"),
    ("2.4.2", "A"),
    ("2.4.3", "A"),
    ("2.4.4", "A"),
    ("2.4.5", "AA"),
    ("2.4.6", "AA"),
    ("2.4.7", "AA"),
    ("3.1.1", "A"),
    ("3.1.2", "AA"),
    ("3.2.1", "A"),
    ("3.2.2", "A"),
    ("3.2.3", "AA"),
    ("3.2.4", "AA"),
    ("3.3.1", "A"),
    ("3.3.2", "A"),
    ("3.3.3", "AA"),
    ("3.3.4", "AA"),
    ("4.1.1", "A"),
    ("4.1.2", "A"),
];

/// The results a criterion may have.
pub const RESULTS: [&str; 3] = ["適合", "不適合", "未試験"];
/// The conformance wordings of WAIC's guideline.
pub const CONFORMANCE: [&str; 3] = ["準拠", "一部準拠", "配慮"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistFile {
    #[serde(default)]
    criterion: Vec<CriterionIn>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionIn {
    number: toml::Spanned<String>,
    name: String,
    level: toml::Spanned<String>,
    /// Absent for JIS X 8341-3:2016's own criteria; "WCAG 2.1" or "WCAG 2.2" for the later
    /// ones a site also aims at (not part of the JIS conformance).
    #[serde(default)]
    since: Option<toml::Spanned<String>>,
    applies: bool,
    /// Why it does not apply (needed when `applies = false`).
    #[serde(default)]
    reason: String,
    /// How the site meets it.
    #[serde(default)]
    how: String,
    /// How it was tested.
    test: String,
    result: toml::Spanned<String>,
}

/// One success criterion as the checklist page shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Criterion {
    pub number: String,
    pub name: String,
    pub level: String,
    /// `None` for JIS X 8341-3:2016's own; e.g. "WCAG 2.1".
    pub since: Option<String>,
    pub applies: bool,
    pub reason: String,
    pub how: String,
    pub test: String,
    /// 適合, 不適合 or 未試験.
    pub result: String,
}

/// A site's checklist, checked.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Checklist {
    pub criteria: Vec<Criterion>,
}

/// Counts of the JIS criteria at the target level (the ones the conformance rests on).
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub applies: usize,
    pub not_applicable: usize,
    pub met: usize,
    pub not_met: usize,
    pub untested: usize,
}

impl Checklist {
    /// Reads and checks the checklist at `path` (`shown` is how errors name it).
    pub fn load(path: &Path, shown: &Path) -> Result<Checklist, Errors> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Io { path: shown.to_path_buf(), message: e.to_string() })?;
        Checklist::parse(shown, &text)
    }

    /// Parses and checks the text of a checklist file.
    pub fn parse(shown: &Path, text: &str) -> Result<Checklist, Errors> {
        if let Some(e) = crate::web::forbidden_char_error(shown, text) {
            return Err(e.into());
        }
        let file: ChecklistFile = toml::from_str(text).map_err(|e| Error::Toml {
            span: e.span().map_or_else(|| Span::file(shown), |r| Span::new(shown, text, r)),
            message: e.message().to_string(),
        })?;
        let mut errors = Errors::default();
        let mut criteria: Vec<Criterion> = Vec::new();
        let mut firsts: Vec<(String, Span)> = Vec::new();
        for c in file.criterion {
            let span = |s: &toml::Spanned<String>| Span::new(shown, text, s.span());
            if !RESULTS.contains(&c.result.get_ref().as_str()) {
                errors.push(Error::invalid(span(&c.result), c.result.get_ref(), "適合, 不適合 or 未試験"));
            }
            if !["A", "AA", "AAA"].contains(&c.level.get_ref().as_str()) {
                errors.push(Error::invalid(span(&c.level), c.level.get_ref(), "A, AA or AAA"));
            }
            let since = c.since.as_ref().map(|s| s.get_ref().clone());
            if let Some(s) = &c.since
                && !["WCAG 2.1", "WCAG 2.2"].contains(&s.get_ref().as_str())
            {
                errors.push(Error::invalid(
                    span(s),
                    s.get_ref(),
                    "WCAG 2.1 or WCAG 2.2 (or no `since` for a criterion of JIS X 8341-3:2016)",
                ));
            }
            let number = c.number.get_ref().clone();
            if since.is_none() {
                match JIS_A_AA.iter().find(|(n, _)| *n == number) {
                    None => errors.push(Error::invalid(
                        span(&c.number),
                        &number,
                        "a success criterion of JIS X 8341-3:2016 at level A or AA (1.1.1 … 4.1.2), or `since = \"WCAG 2.1\"` for a later one",
                    )),
                    Some((_, level)) if level != c.level.get_ref() => {
                        errors.push(Error::invalid(span(&c.level), c.level.get_ref(), format!("{level} (the level of {number})")));
                    }
                    Some(_) => {}
                }
            }
            if !c.applies && c.reason.trim().is_empty() {
                errors.push(Error::invalid(
                    span(&c.number),
                    &number,
                    "a `reason` (why the criterion does not apply) beside `applies = false`",
                ));
            }
            if let Some((_, first)) = firsts.iter().find(|(n, _)| *n == number) {
                errors.push(Error::Duplicate {
                    span: span(&c.number),
                    kind: "success criterion",
                    id: number.clone(),
                    first: first.clone(),
                });
            } else {
                firsts.push((number.clone(), span(&c.number)));
            }
            criteria.push(Criterion {
                number,
                name: c.name,
                level: c.level.into_inner(),
                since,
                applies: c.applies,
                reason: c.reason,
                how: c.how,
                test: c.test,
                result: c.result.into_inner(),
            });
        }
        let missing: Vec<&str> = JIS_A_AA
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !criteria.iter().any(|c| c.since.is_none() && c.number == *n))
            .collect();
        if !missing.is_empty() {
            errors.push(Error::Invalid {
                span: Span::file(shown),
                found: format!("no entry for {}", missing.join(", ")),
                expected:
                    "one `[[criterion]]` for each of the 38 success criteria of JIS X 8341-3:2016 at level A and AA"
                        .into(),
            });
        }
        errors.into_result(Checklist { criteria })
    }

    /// The JIS X 8341-3:2016 criteria up to `level` ("A" or "AA"; anything else is "AA").
    pub fn jis(&self, level: &str) -> impl Iterator<Item = &Criterion> {
        let only_a = level == "A";
        self.criteria.iter().filter(move |c| c.since.is_none() && (!only_a || c.level == "A"))
    }

    /// The counts of the JIS criteria up to `level`.
    pub fn counts(&self, level: &str) -> Counts {
        let mut n = Counts::default();
        for c in self.jis(level) {
            n.total += 1;
            if c.applies {
                n.applies += 1;
            } else {
                n.not_applicable += 1;
            }
            match c.result.as_str() {
                "適合" => n.met += 1,
                "不適合" => n.not_met += 1,
                _ => n.untested += 1,
            }
        }
        n
    }

    /// The strongest wording the results up to `level` support (WAIC's definitions).
    pub fn supported_conformance(&self, level: &str) -> &'static str {
        let n = self.counts(level);
        if n.untested > 0 {
            "配慮"
        } else if n.not_met > 0 {
            "一部準拠"
        } else {
            "準拠"
        }
    }
}

/// How strong each wording is (準拠 > 一部準拠 > 配慮).
pub fn strength(conformance: &str) -> usize {
    CONFORMANCE.iter().position(|c| *c == conformance).map_or(0, |i| CONFORMANCE.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    fn full(result_of: impl Fn(&str) -> &'static str) -> String {
        let mut text = String::new();
        for (n, l) in JIS_A_AA {
            let result = result_of(n);
            writeln!(
                text,
                "[[criterion]]\nnumber = \"{n}\"\nname = \"x\"\nlevel = \"{l}\"\napplies = true\ntest = \"t\"\nresult = \"{result}\""
            )
            .unwrap();
        }
        text
    }

    #[test]
    fn the_wording_follows_the_results() {
        let p = Path::new("c.toml");
        let all = Checklist::parse(p, &full(|_| "適合")).unwrap();
        assert_eq!(all.supported_conformance("AA"), "準拠");
        assert_eq!(all.counts("AA").total, 38);
        assert_eq!(all.counts("A").total, 25);
        let failed = Checklist::parse(p, &full(|n| if n == "1.4.3" { "不適合" } else { "適合" })).unwrap();
        assert_eq!(failed.supported_conformance("AA"), "一部準拠");
        // 1.4.3 is AA: a level-A statement does not rest on it.
        assert_eq!(failed.supported_conformance("A"), "準拠");
        let untested = Checklist::parse(p, &full(|n| if n == "2.4.6" { "未試験" } else { "不適合" })).unwrap();
        assert_eq!(untested.supported_conformance("AA"), "配慮");
        assert!(strength("準拠") > strength("一部準拠") && strength("一部準拠") > strength("配慮"));
    }

    #[test]
    fn a_missing_criterion_or_an_unknown_result_is_an_error() {
        let p = Path::new("c.toml");
        let text = full(|_| "適合").replacen("number = \"2.4.5\"", "number = \"2.4.9\"", 1);
        let e = Checklist::parse(p, &text).unwrap_err().to_string();
        assert!(e.contains("no entry for 2.4.5") && e.contains("found `2.4.9`"), "{e}");
        let text = full(|_| "適合").replacen("result = \"適合\"", "result = \"OK\"", 1);
        let e = Checklist::parse(p, &text).unwrap_err().to_string();
        assert!(e.contains("c.toml:7:10") && e.contains("found `OK`, expected 適合, 不適合 or 未試験"), "{e}");
    }
}
