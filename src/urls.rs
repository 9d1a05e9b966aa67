//! The URL scheme (docs/urls.md). Every URL is built from ids in content, never from
//! titles or file order, so it stays the same between builds and when a year is added.

use crate::ja::FiscalYear;
use crate::model::{CityId, GoalId, IndicatorId, InitiativeId, WardId};

#[derive(Debug, Clone)]
pub struct Urls {
    /// e.g. `/kusei/hyoka/`
    pub base_path: String,
    /// e.g. `https://www.city.example.jp/kusei/hyoka/`
    pub base_url: String,
}

impl Urls {
    pub fn new(config: &crate::config::SiteConfig) -> Urls {
        Urls { base_path: config.base_path().to_string(), base_url: config.base_url.clone() }
    }
    /// A site-relative path (`osaka/kita/2016/`) as a link: `/kusei/hyoka/osaka/kita/2016/`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
    /// The absolute URL (canonical links, sitemap, feeds, citations).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

pub fn home() -> String {
    String::new()
}
pub fn city(city: &CityId) -> String {
    format!("{city}/")
}
pub fn ward(city: &CityId, ward: &WardId) -> String {
    format!("{city}/{ward}/")
}
pub fn report(city: &CityId, ward: &WardId, fy: FiscalYear) -> String {
    format!("{city}/{ward}/{}/", fy.western())
}
pub fn goal(city: &CityId, ward: &WardId, fy: FiscalYear, goal: &GoalId) -> String {
    format!("{city}/{ward}/{}/goals/{goal}/", fy.western())
}
pub fn initiative(city: &CityId, ward: &WardId, fy: FiscalYear, id: &InitiativeId) -> String {
    format!("{city}/{ward}/{}/initiatives/{id}/", fy.western())
}
/// One ward's series of one indicator.
pub fn series(city: &CityId, ward: &WardId, indicator: &IndicatorId) -> String {
    format!("{city}/{ward}/indicators/{indicator}/")
}
/// A city-wide indicator compared across wards.
pub fn comparison(city: &CityId, indicator: &IndicatorId) -> String {
    format!("{city}/indicators/{indicator}/")
}
/// What changed in a report since the ward's previous report (only for a report that has one).
pub fn changes(city: &CityId, ward: &WardId, fy: FiscalYear) -> String {
    format!("{city}/{ward}/{}/changes/", fy.western())
}
/// The status summary (進捗状況の一覧) of a city, or of the whole site (`None`).
pub fn status(city: Option<&CityId>) -> String {
    match city {
        Some(c) => format!("{c}/status/"),
        None => "status/".into(),
    }
}
/// The list of the indicators in one status or self-rating (`slug`: `on-track`, `rated-a`…),
/// of a city or of the whole site.
pub fn status_list(city: Option<&CityId>, slug: &str) -> String {
    format!("{}{slug}/", status(city))
}
/// Fragment of a ward's year in a status list: `kita-2016` on a city's, `osaka-kita-2016` on
/// the site's (`site_wide`).
pub fn status_anchor(city: &CityId, ward: &WardId, fy: FiscalYear, site_wide: bool) -> String {
    if site_wide { format!("{city}-{ward}-{}", fy.western()) } else { format!("{ward}-{}", fy.western()) }
}
/// Fragment of an outcome row on a report page.
pub fn outcome_anchor(goal: &GoalId, indicator: &IndicatorId) -> String {
    format!("goal-{goal}-{indicator}")
}
pub fn goal_anchor(goal: &GoalId) -> String {
    format!("goal-{goal}")
}
pub fn initiative_anchor(id: &InitiativeId) -> String {
    format!("initiative-{id}")
}
/// The page that explains how progress is assessed.
pub const METHOD: &str = "about/progress/";
/// The search page, with the list of every indicator (src/search.rs).
pub const SEARCH: &str = "search/";
/// The accessibility statement.
pub const ACCESSIBILITY: &str = "accessibility/";
/// The 達成基準チェックリスト behind the statement.
pub const ACCESSIBILITY_CHECKLIST: &str = "accessibility/checklist/";
/// The page served for a missing URL.
pub const NOT_FOUND: &str = "404.html";

// ---- data files (src/data) ----

/// Site-wide tidy CSV of every observation.
pub const OBSERVATIONS_CSV: &str = "data/observations.csv";
/// The Frictionless Data Package describing every data file.
pub const DATAPACKAGE: &str = "data/datapackage.json";
/// Table Schema shared by every observation CSV (site-wide and per series).
pub const OBSERVATIONS_SCHEMA: &str = "data/schemas/observations.json";
/// Table Schema shared by every report CSV.
pub const REPORT_SCHEMA: &str = "data/schemas/report.json";
/// The index of every indicator of every ward (ids, names, units, years, URLs).
pub const INDICATORS: &str = "data/indicators.json";
/// JSON Schema of every series' `data.json`.
pub const SERIES_JSON_SCHEMA: &str = "data/schemas/series.schema.json";
/// JSON Schema of every report's `data.json`.
pub const REPORT_JSON_SCHEMA: &str = "data/schemas/report.schema.json";
/// JSON Schema of `data/indicators.json`.
pub const INDICATORS_JSON_SCHEMA: &str = "data/schemas/indicators.schema.json";
/// Every data file in one zip, with its README and a data package that works offline.
pub const ALL_DATA_ZIP: &str = "data/mieruka-data.zip";

/// `<series url>data.csv`
pub fn series_csv(city: &CityId, ward: &WardId, indicator: &IndicatorId) -> String {
    format!("{}data.csv", series(city, ward, indicator))
}
/// `<series url>data.json`
pub fn series_json(city: &CityId, ward: &WardId, indicator: &IndicatorId) -> String {
    format!("{}data.json", series(city, ward, indicator))
}
/// `<series url><city>-<ward>-<indicator>.zip`: the series' CSV, its metadata and a README
/// (named so that several saved in one folder do not collide).
pub fn series_zip(city: &CityId, ward: &WardId, indicator: &IndicatorId) -> String {
    format!("{}{city}-{ward}-{indicator}.zip", series(city, ward, indicator))
}
/// `<series url>embed/`: the chart alone, to put in an `<iframe>`.
pub fn series_embed(city: &CityId, ward: &WardId, indicator: &IndicatorId) -> String {
    format!("{}embed/", series(city, ward, indicator))
}
/// `<series url>chart.svg`: the chart as an SVG file of its own.
pub fn series_chart(city: &CityId, ward: &WardId, indicator: &IndicatorId) -> String {
    format!("{}chart.svg", series(city, ward, indicator))
}
/// `<comparison url>chart-2016.svg`: one year's comparison chart as an SVG file.
pub fn comparison_chart(city: &CityId, indicator: &IndicatorId, fy: FiscalYear) -> String {
    format!("{}chart-{}.svg", comparison(city, indicator), fy.western())
}
/// `<page url>preview.png`: the 1200×630 preview image of an indicator or report page (`og:image`).
pub fn preview_image(page: &str) -> String {
    format!("{page}preview.png")
}
/// `<report url>data.csv`
pub fn report_csv(city: &CityId, ward: &WardId, fy: FiscalYear) -> String {
    format!("{}data.csv", report(city, ward, fy))
}
/// `<report url>data.json`
pub fn report_json(city: &CityId, ward: &WardId, fy: FiscalYear) -> String {
    format!("{}data.json", report(city, ward, fy))
}

// ---- discovery files (src/discovery.rs) ----

pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const FEED: &str = "feed.xml";

/// The URL path of a file copied from `static/` (its path there): each segment percent-encoded,
/// so a file named 「北区 平成28年度.pdf」 links correctly.
pub fn static_file(path: &str) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    // RFC 3986 path segment: everything but unreserved characters and sub-delims is encoded.
    const SEGMENT: &AsciiSet =
        &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');
    path.split('/').map(|s| utf8_percent_encode(s, SEGMENT).to_string()).collect::<Vec<_>>().join("/")
}

/// The file a page URL is written to.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() }
}
