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
    /// Preview images (`og:image`): `images = false` turns them off; `[images] font = "…"`
    /// names the Japanese font file to draw them with (src/images).
    #[serde(default)]
    pub images: ImagesSetting,
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
    /// Its name as people read it; a known `id`'s own name when left out.
    #[serde(default)]
    pub name: String,
    /// Its text; a known `id`'s own address when left out.
    #[serde(default)]
    pub url: String,
    /// SPDX-like short id for machine-readable metadata (e.g. `CC-BY-4.0`, `PDL-1.0`).
    #[serde(default)]
    pub id: String,
    /// The short name attributions use after the source (「PDL1.0」「CC BY 4.0」).
    #[serde(skip_deserializing)]
    pub short: String,
    /// Whether reusers must name the source (every known licence but CC0; any licence named
    /// only by its name and address).
    #[serde(skip_deserializing)]
    pub attribution_required: bool,
}

/// A licence `site.toml` may name by its id alone: (id, name, address, short name, whether
/// reusers must name the source).
pub const KNOWN_LICENCES: [(&str, &str, &str, &str, bool); 3] = [
    (
        "PDL-1.0",
        "公共データ利用規約（第1.0版）",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        "PDL1.0",
        true,
    ),
    (
        "CC-BY-4.0",
        "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
        "https://creativecommons.org/licenses/by/4.0/deed.ja",
        "CC BY 4.0",
        true,
    ),
    (
        "CC0-1.0",
        "クリエイティブ・コモンズ CC0 1.0 全世界 パブリック・ドメイン提供（CC0 1.0）",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
        "CC0 1.0",
        false,
    ),
];

impl Licence {
    /// Fills what a known id implies; `Err` says what is missing.
    fn complete(&mut self) -> Result<(), String> {
        let known = KNOWN_LICENCES.iter().find(|k| k.0.eq_ignore_ascii_case(self.id.trim()));
        if let Some(&(id, name, url, short, attribution)) = known {
            self.id = id.to_string();
            if self.name.is_empty() {
                self.name = name.to_string();
            }
            if self.url.is_empty() {
                self.url = url.to_string();
            }
            self.short = short.to_string();
            self.attribution_required = attribution;
        } else {
            self.short.clone_from(if self.id.is_empty() { &self.name } else { &self.id });
            self.attribution_required = true;
        }
        if self.name.is_empty() || self.url.is_empty() {
            let ids: Vec<&str> = KNOWN_LICENCES.iter().map(|k| k.0).collect();
            return Err(format!("`name` and `url`, or the `id` of a licence mieruka knows ({})", ids.join(", ")));
        }
        Ok(())
    }

    /// The attribution a reuser writes (公共データ利用規約 1.1 の出典記載例):
    /// 「出典：区政運営 自己評価の見える化（https://…）、PDL1.0（https://…）」.
    pub fn attribution(&self, title: &str, url: &str) -> String {
        format!("出典：{title}（{url}）、{}（{}）", self.short, self.url)
    }

    /// What a reuser who edited the data writes besides the attribution:
    /// 「「区政運営 自己評価の見える化」（https://…）を加工して作成」.
    pub fn edited(title: &str, url: &str) -> String {
        format!("「{title}」（{url}）を加工して作成")
    }
}

/// The `[images]` setting of site.toml: `images = false`, or a table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImagesSetting {
    /// Preview images are drawn (the default); `images = false` turns them off.
    pub enabled: bool,
    /// A font file (relative to the site root) to draw them with, instead of a system font.
    pub font: Option<String>,
}

impl Default for ImagesSetting {
    fn default() -> Self {
        ImagesSetting { enabled: true, font: None }
    }
}

impl<'de> Deserialize<'de> for ImagesSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            #[serde(default = "yes")]
            enabled: bool,
            font: Option<String>,
        }
        fn yes() -> bool {
            true
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ImagesSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`false` (no preview images) or a table such as `[images] font = \"fonts/ipaexg.ttf\"`")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ImagesSetting, E> {
                Ok(ImagesSetting { enabled: v, font: None })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<ImagesSetting, A::Error> {
                let t: Table = Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(ImagesSetting { enabled: t.enabled, font: t.font })
            }
        }
        d.deserialize_any(Visitor)
    }
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
    licence: Option<toml::Spanned<LicencePlaces>>,
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
        if let Some(l) = &mut config.licence
            && let Err(expected) = l.complete()
        {
            let span = places.licence.as_ref().map_or_else(|| Span::file(shown), |p| Span::new(shown, &text, p.span()));
            errors.push(Error::invalid(span, format!("[licence] {}", l.id), expected));
        }
        if let (Some(l), Some(url)) = (&config.licence, places.licence.and_then(|l| l.into_inner().url))
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

    /// What a reuser of the site's data must do, in sentences (footer, data READMEs,
    /// citations): the licence, the attribution to write and the note for edited data.
    pub fn licence_terms(&self) -> Vec<String> {
        let Some(l) = &self.licence else { return Vec::new() };
        let mut t = vec![format!("このサイトのデータは{}（{}）に従って利用できます。", l.name, l.url)];
        if l.attribution_required {
            t.push(format!(
                "利用するときは出典を記載してください（例：{}）。",
                l.attribution(&self.title, &self.base_url)
            ));
            t.push(format!(
                "編集・加工して利用するときは、出典とは別に、そのことを記載してください（例：{}）。",
                Licence::edited(&self.title, &self.base_url)
            ));
        }
        t
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
    fn images_are_on_by_default_off_with_false_and_may_name_a_font() {
        let parse = |extra: &str| toml::from_str::<SiteConfig>(&format!("title='t'\nbase_url='http://x/'\n{extra}"));
        let on = parse("").unwrap().images;
        assert!(on.enabled && on.font.is_none());
        assert!(!parse("images = false").unwrap().images.enabled);
        let named = parse("[images]\nfont = 'fonts/ipaexg.ttf'").unwrap().images;
        assert!(named.enabled && named.font.as_deref() == Some("fonts/ipaexg.ttf"));
        assert!(!parse("[images]\nenabled = false").unwrap().images.enabled);
        // A wrong type or field says what is expected.
        let e = parse("images = 'no'").unwrap_err().to_string();
        assert!(e.contains("`false` (no preview images) or a table"), "{e}");
        let e = parse("[images]\nfont_file = 'x'").unwrap_err().to_string();
        assert!(e.contains("unknown field `font_file`"), "{e}");
    }

    #[test]
    fn base_url_must_be_absolute() {
        let mut c = config("http://x/");
        assert!(c.set_base_url("/kusei/").is_err());
        assert!(c.set_base_url("http:///").is_err());
    }
}
