//! `site.toml`: the publisher's settings.

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
    /// Who publishes the site (shown in the footer and the accessibility statement).
    #[serde(default)]
    pub publisher: String,
    pub licence: Option<Licence>,
    pub accessibility: Option<AccessibilityStatement>,
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
}

/// Where the addresses of site.toml stand in it (for errors with a line and column).
#[derive(Deserialize)]
struct Places {
    base_url: Option<toml::Spanned<String>>,
    licence: Option<LicencePlaces>,
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
