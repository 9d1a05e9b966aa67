//! `site.toml`: the publisher's settings.

use crate::checklist::{self, Checklist};
use crate::error::{Error, Errors, Span};
use crate::web::WebUrl;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in every page's header and `<title>`.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at, e.g. `https://www.city.example.jp/kusei/hyoka/`.
    pub base_url: String,
    /// Who publishes the site (shown in the footer, the feed, the structured data and the data package).
    #[serde(default)]
    pub publisher: String,
    pub licence: Option<Licence>,
    pub accessibility: Option<AccessibilityStatement>,
    /// The 達成基準チェックリスト that `[accessibility] checklist` names, read and checked.
    #[serde(skip)]
    pub checklist: Option<Checklist>,
    /// Site search (`[search]`): on unless `enabled = false`.
    #[serde(default)]
    pub search: SearchConfig,
}

/// `[search]` of site.toml.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Whether the site has a search index (`pagefind/`) and a search form on every page.
    #[serde(default = "on")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> SearchConfig {
        SearchConfig { enabled: true }
    }
}

fn on() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    pub url: String,
    /// SPDX-like short id for machine-readable metadata (e.g. `CC-BY-4.0`).
    #[serde(default)]
    pub id: String,
}

/// JIS X 8341-3:2016 conformance statement (ウェブアクセシビリティ方針・試験結果) fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityStatement {
    /// e.g. "JIS X 8341-3:2016"
    pub standard: String,
    /// 目標とする適合レベル, e.g. "AA"
    pub level: String,
    /// 適合レベルの表記: 準拠 / 一部準拠 / 配慮.
    pub conformance: String,
    /// 対象範囲.
    pub scope: String,
    /// 依存したウェブコンテンツ技術.
    pub technologies: Vec<String>,
    /// 試験実施日 / 表明日 (TOML date).
    pub date: toml::value::Datetime,
    /// How it was tested (shown as is).
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub contact: String,
    /// The 達成基準チェックリスト: a TOML file, relative to the site root. Without it only
    /// 配慮 can be stated (WAIC's guideline asks a published checklist for 準拠 and 一部準拠).
    #[serde(default)]
    pub checklist: Option<String>,
    /// The test period (試験期間), first and last day (TOML dates).
    #[serde(default)]
    pub tested_from: Option<toml::value::Datetime>,
    #[serde(default)]
    pub tested_until: Option<toml::value::Datetime>,
    /// The tools the tests used, with their versions (shown as a list).
    #[serde(default)]
    pub tools: Vec<String>,
}

/// The error when the statement claims more than its checklist supports, naming the
/// criteria that stand in the way.
fn overclaim(a: &AccessibilityStatement, list: &Checklist, file: &str, conformance_at: Span) -> Option<Error> {
    let supported = list.supported_conformance(&a.level);
    if checklist::strength(&a.conformance) <= checklist::strength(supported) {
        return None;
    }
    let named = |result: &str| -> Vec<&str> {
        list.jis(&a.level).filter(|c| c.result == result).map(|c| c.number.as_str()).collect()
    };
    let (untested, not_met) = (named("未試験"), named("不適合"));
    let mut why = Vec::new();
    if !untested.is_empty() {
        why.push(format!("未試験 {}", untested.join(", ")));
    }
    if !not_met.is_empty() {
        why.push(format!("不適合 {}", not_met.join(", ")));
    }
    Some(Error::invalid(
        conformance_at,
        &a.conformance,
        format!(
            "{supported} or weaker: {file} has {} (WAIC's guideline: 準拠 needs every success criterion of level {} \
             tested and met, 一部準拠 every one tested)",
            why.join("; "),
            a.level
        ),
    ))
}

/// Where the addresses of site.toml stand in it (for errors with a line and column).
#[derive(Deserialize)]
struct Places {
    base_url: Option<toml::Spanned<String>>,
    licence: Option<LicencePlaces>,
    accessibility: Option<AccessibilityPlaces>,
}

#[derive(Deserialize)]
struct AccessibilityPlaces {
    conformance: Option<toml::Spanned<String>>,
    checklist: Option<toml::Spanned<String>>,
    tested_until: Option<toml::Spanned<toml::value::Datetime>>,
}

#[derive(Deserialize)]
struct LicencePlaces {
    url: Option<toml::Spanned<String>>,
}

impl SiteConfig {
    pub fn load(root: &Path) -> Result<SiteConfig, Errors> {
        let path = root.join("site.toml");
        let text =
            std::fs::read_to_string(&path).map_err(|e| Error::Io { path: path.clone(), message: e.to_string() })?;
        if let Some(e) = crate::web::forbidden_char_error(Path::new("site.toml"), &text) {
            return Err(e.into());
        }
        // Shown as content files are: relative to the site root.
        let shown = Path::new("site.toml");
        let toml_error = |e: toml::de::Error| Error::Toml {
            span: e.span().map_or_else(|| Span::file(shown), |r| Span::new(shown, &text, r)),
            message: e.message().to_string(),
        };
        let mut config: SiteConfig = toml::from_str(&text).map_err(toml_error)?;
        // The addresses again, with their places, for errors that point at the line.
        let places: Places = toml::from_str(&text).map_err(toml_error)?;
        let mut errors = Errors::default();
        if let Err(expected) = config.set_base_url(&config.base_url.clone()) {
            let span = places.base_url.map_or_else(|| Span::file(shown), |s| Span::new(shown, &text, s.span()));
            errors.push(Error::invalid(span, &config.base_url, expected));
        }
        if let (Some(l), Some(url)) = (&config.licence, places.licence.and_then(|l| l.url))
            && let Err(expected) = WebUrl::parse(&l.url)
        {
            errors.push(Error::invalid(Span::new(shown, &text, url.span()), &l.url, expected));
        }
        if let (Some(a), Some(places)) = (&config.accessibility, places.accessibility) {
            let at =
                |s: Option<std::ops::Range<usize>>| s.map_or_else(|| Span::file(shown), |r| Span::new(shown, &text, r));
            let conformance_at = at(places.conformance.as_ref().map(toml::Spanned::span));
            match &a.checklist {
                Some(file) => match Checklist::load(&root.join(file), Path::new(file)) {
                    Ok(list) => {
                        if let Some(e) = overclaim(a, &list, file, conformance_at.clone()) {
                            errors.push(e);
                        }
                        config.checklist = Some(list);
                    }
                    Err(Errors(es)) => {
                        for e in es {
                            // A checklist that cannot be read is named where site.toml names it.
                            errors.push(match e {
                                Error::Io { message, .. } => Error::invalid(
                                    at(places.checklist.as_ref().map(toml::Spanned::span)),
                                    file,
                                    format!("a checklist file relative to the site root ({message})"),
                                ),
                                e => e,
                            });
                        }
                    }
                },
                None if a.conformance != "配慮" && checklist::CONFORMANCE.contains(&a.conformance.as_str()) => {
                    errors.push(Error::invalid(
                        conformance_at.clone(),
                        &a.conformance,
                        "配慮, or a `checklist` (the 達成基準チェックリスト): WAIC's guideline asks a published \
                         checklist of every success criterion for 準拠 and 一部準拠",
                    ));
                }
                None => {}
            }
            if !checklist::CONFORMANCE.contains(&a.conformance.as_str()) {
                errors.push(Error::invalid(conformance_at, &a.conformance, "準拠, 一部準拠 or 配慮"));
            }
            if let (Some(from), Some(until)) = (&a.tested_from, &a.tested_until)
                && from.to_string() > until.to_string()
            {
                let span = at(places.tested_until.as_ref().map(toml::Spanned::span));
                errors.push(Error::invalid(
                    span,
                    until.to_string(),
                    format!("a date on or after tested_from ({from})"),
                ));
            }
        }
        errors.into_result(config)
    }

    /// Sets the base URL (from site.toml or `--base-url`), normalised to end with `/`. On
    /// failure, says what is expected.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = normalise_base_url(url)?;
        Ok(())
    }

    /// The path part of the base URL, e.g. `/kusei/hyoka/`: every internal link starts with it.
    pub fn base_path(&self) -> &str {
        path_of(&self.base_url)
    }
}

/// A base URL as the site uses it (ending with `/`), or what is expected instead.
fn normalise_base_url(url: &str) -> Result<String, String> {
    const EXPECTED: &str = "an absolute http(s) URL of the folder the site is published in, without query or \
                            fragment, e.g. https://www.city.example.jp/kusei/hyoka/";
    let parsed = WebUrl::parse(url).ok().and_then(|_| url::Url::parse(url).ok());
    let ok =
        parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.query().is_none() && u.fragment().is_none());
    if !ok {
        return Err(EXPECTED.to_string());
    }
    Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

fn path_of(base_url: &str) -> &str {
    let rest = base_url.split("://").nth(1).unwrap_or("");
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// The base path (`/kusei/hyoka/`) of a base URL given as `--base-url` is, or what is expected
/// instead (`mieruka serve` previews the site under it on 127.0.0.1).
pub fn base_path_of(url: &str) -> Result<String, String> {
    normalise_base_url(url).map(|u| path_of(&u).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> SiteConfig {
        let mut c: SiteConfig = toml::from_str("title='t'\nbase_url='http://x/'").unwrap();
        c.set_base_url(url).unwrap();
        c
    }

    #[test]
    fn base_path_keeps_the_sub_folder() {
        assert_eq!(config("https://www.city.example.jp/kusei/hyoka").base_path(), "/kusei/hyoka/");
        assert_eq!(config("http://127.0.0.1:8000/").base_path(), "/");
        assert_eq!(config("http://127.0.0.1:8000").base_url, "http://127.0.0.1:8000/");
    }

    #[test]
    fn base_url_must_be_absolute() {
        let mut c = config("http://x/");
        assert!(c.set_base_url("/kusei/").is_err());
        assert!(c.set_base_url("http:///").is_err());
    }
}
