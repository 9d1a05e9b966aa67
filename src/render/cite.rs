//! What pages say about their data: downloads, the citation to copy (「引用の仕方」),
//! schema.org `Dataset` JSON-LD, and the snippet that embeds a chart.

use super::Cx;
use crate::config::SiteConfig;
use crate::data::DownloadLink;
use crate::ja::FiscalYear;
use crate::link::Series;
use crate::model::{City, GoalId, Report, ReportIn, Ward};
use crate::text::{date_ja, escape};
use crate::urls::{self, Urls};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The source document of a report, as cited.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCite {
    pub year: String,
    pub title: String,
    pub url: Option<String>,
}

/// A 「引用の仕方」 block.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// One line to copy.
    pub text: String,
    /// 「大阪市北区」
    pub ward: String,
    pub report_title: String,
    /// 「平成28年度（2016年度）」 or 「平成27年度〜平成28年度」.
    pub years: String,
    pub indicator: Option<String>,
    /// Permanent absolute URL.
    pub url: String,
    pub sources: Vec<SourceCite>,
    /// ISO date and its Japanese form.
    pub updated_iso: Option<String>,
    pub updated: Option<String>,
    pub licence_name: Option<String>,
    pub licence_url: Option<String>,
}

/// The address a citation gives for a source: the ward's own, else the copy on this site.
fn source_url(urls: &Urls, s: &crate::model::Source) -> Option<String> {
    s.url
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| s.file.as_ref().map(|f| urls.absolute(&urls::static_file(&f.path))))
}

fn source_cite(urls: &Urls, r: &Report) -> Option<SourceCite> {
    let s = r.source.as_ref()?;
    Some(SourceCite { year: r.fiscal_year.label(), title: s.title.clone(), url: source_url(urls, s) })
}

fn citation_text(
    config: &SiteConfig,
    ward_full: &str,
    report_title: &str,
    years: &str,
    subject: &str,
    url: &str,
    updated: Option<&str>,
) -> String {
    let mut t = format!("{ward_full}「{report_title}」（{years}）");
    if !subject.is_empty() {
        t.push_str(&format!("、{subject}"));
    }
    t.push_str(&format!("。{}、{url}", config.title));
    if let Some(d) = updated {
        t.push_str(&format!("（データ更新日：{}）", date_ja(d)));
    }
    t
}

/// What a citation names.
struct Cited<'a> {
    ward_full: String,
    /// The (newest) report the figures come from.
    report: &'a Report,
    years: String,
    indicator: Option<String>,
    /// 「指標「…」の推移」, or empty for a whole report.
    subject: &'a str,
    url: String,
    sources: Vec<SourceCite>,
    updated: Option<&'a str>,
}

fn citation(config: &SiteConfig, c: Cited) -> Citation {
    Citation {
        text: citation_text(config, &c.ward_full, &c.report.title, &c.years, c.subject, &c.url, c.updated),
        ward: c.ward_full,
        report_title: c.report.title.clone(),
        years: c.years,
        indicator: c.indicator,
        url: c.url,
        sources: c.sources,
        updated_iso: c.updated.map(str::to_string),
        updated: c.updated.map(date_ja),
        licence_name: config.licence.as_ref().map(|l| l.name.clone()),
        licence_url: config.licence.as_ref().map(|l| l.url.clone()),
    }
}

/// Downloads, citation and embedding of a series page.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesData {
    pub downloads: Vec<DownloadLink>,
    pub citation: Citation,
    pub embed_url: String,
    /// The `<iframe>` HTML to copy (plain text: the template escapes it).
    pub embed_snippet: String,
    pub datapackage_url: String,
}

/// Downloads and citations of a report page; citations of each goal and outcome row.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub downloads: Vec<DownloadLink>,
    pub citation: Citation,
    /// By goal id.
    pub goals: BTreeMap<GoalId, GoalCitation>,
    pub datapackage_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowCitation {
    pub name: String,
    pub url: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalCitation {
    pub goal: RowCitation,
    pub indicators: Vec<RowCitation>,
}

/// The reports a series took values from, oldest first.
fn series_reports<'w>(ward: &'w Ward, s: &Series) -> Vec<&'w Report> {
    s.reports.iter().filter_map(|fy| ward.reports.iter().find(|r| r.fiscal_year == *fy).map(|r| &**r)).collect()
}

pub fn series_data(cx: &Cx, city: &City, ward: &Ward, s: &Series) -> Option<SeriesData> {
    let (config, urls) = (cx.config, cx.urls);
    let reports = series_reports(ward, s);
    let latest = reports.last()?;
    let (c, w, id) = (&city.id, &ward.id, &s.indicator.id);
    let ward_full = format!("{}{}", city.name, ward.name);
    let url = urls.absolute(&urls::series(c, w, id));
    let embed_abs = urls.absolute(&urls::series_embed(c, w, id));
    let title = format!("{} {}の推移（グラフ）", ward_full, s.indicator.name);
    let embed_snippet = format!(
        r#"<iframe src="{}" title="{}" width="640" height="460" style="border:0;max-width:100%" loading="lazy"></iframe>"#,
        escape(&embed_abs),
        escape(&title)
    );
    let subject = format!("指標「{}」の推移", s.indicator.name);
    let citation = citation(
        config,
        Cited {
            ward_full,
            report: latest,
            years: s.years_label(),
            indicator: Some(s.indicator.name.clone()),
            subject: &subject,
            url,
            sources: reports.iter().filter_map(|r| source_cite(cx.urls, r)).collect(),
            updated: s.updated.as_deref(),
        },
    );
    Some(SeriesData {
        downloads: cx.downloads.links(urls, &[urls::series_csv(c, w, id), urls::series_json(c, w, id)]),
        citation,
        embed_url: urls.link(&urls::series_embed(c, w, id)),
        embed_snippet,
        datapackage_url: urls.link(urls::DATAPACKAGE),
    })
}

pub fn report_data(cx: &Cx, at: ReportIn) -> ReportData {
    let (config, urls) = (cx.config, cx.urls);
    let ReportIn { city, ward, report } = at;
    let (c, w, fy) = (&city.id, &ward.id, report.fiscal_year);
    let ward_full = format!("{}{}", city.name, ward.name);
    let url = urls.absolute(&urls::report(c, w, fy));
    let updated = report.updated.as_deref();
    let goals = report
        .goals
        .iter()
        .map(|g| {
            let name = format!("目標【{}】{}", g.id, g.title);
            let goal_url = format!("{url}#{}", urls::goal_anchor(&g.id));
            let goal = RowCitation {
                text: citation_text(config, &ward_full, &report.title, &fy.era_label(), &name, &goal_url, updated),
                name,
                url: goal_url,
            };
            let indicators = g
                .outcomes
                .iter()
                .map(|m| {
                    let url = format!("{url}#{}", urls::outcome_anchor(&g.id, &m.indicator.id));
                    let subject = format!("目標【{}】の指標「{}」", g.id, m.indicator.name);
                    RowCitation {
                        text: citation_text(
                            config,
                            &ward_full,
                            &report.title,
                            &fy.era_label(),
                            &subject,
                            &url,
                            updated,
                        ),
                        name: m.indicator.name.clone(),
                        url,
                    }
                })
                .collect();
            (g.id.clone(), GoalCitation { goal, indicators })
        })
        .collect();
    ReportData {
        downloads: cx.report_downloads(at),
        citation: citation(
            config,
            Cited {
                ward_full,
                report,
                years: fy.label(),
                indicator: None,
                subject: "",
                url,
                sources: source_cite(cx.urls, report).into_iter().collect(),
                updated,
            },
        ),
        goals,
        datapackage_url: urls.link(urls::DATAPACKAGE),
    }
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are written
/// as `\u003c`, `\u003e`, `\u0026`, so no content can close the element or open a comment.
pub fn script_json(value: &Value) -> String {
    serde_json::to_string(value)
        .expect("JSON values always serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// ISO 8601 interval of fiscal years: 2015-04-01/2017-03-31.
fn temporal(first: FiscalYear, last: FiscalYear) -> String {
    format!("{}-04-01/{}-03-31", first.western(), last.western() + 1)
}

/// What a schema.org Dataset describes.
struct DatasetOf<'a> {
    name: String,
    description: String,
    /// Site-relative page path.
    page: String,
    city: &'a City,
    ward: &'a Ward,
    years: Option<(FiscalYear, FiscalYear)>,
    updated: Option<&'a str>,
    files: &'a [DownloadLink],
    sources: &'a [&'a Report],
}

fn dataset(config: &SiteConfig, urls: &Urls, of: DatasetOf) -> Value {
    let DatasetOf { name, description, page, city, ward, years, updated, files, sources } = of;
    let page = page.as_str();
    let ward_full = format!("{}{}", city.name, ward.name);
    let mut d = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": urls.absolute(page),
        "identifier": urls.absolute(page),
        "inLanguage": "ja",
        "isAccessibleForFree": true,
        "creator": { "@type": "GovernmentOrganization", "name": ward_full },
        "publisher": { "@type": "Organization", "name": if config.publisher.is_empty() { &config.title } else { &config.publisher }, "url": config.base_url },
        "spatialCoverage": { "@type": "Place", "name": ward_full },
        "includedInDataCatalog": { "@type": "DataCatalog", "name": config.title, "url": config.base_url },
        "distribution": files.iter().map(|f| json!({ "@type": "DataDownload", "encodingFormat": f.mediatype, "contentUrl": f.absolute, "contentSize": f.bytes.to_string() })).collect::<Vec<_>>(),
    });
    if let Some(l) = &config.licence {
        d["license"] = json!(l.url);
    }
    if let Some((a, b)) = years {
        d["temporalCoverage"] = json!(temporal(a, b));
    }
    if let Some(u) = updated {
        d["dateModified"] = json!(u);
    }
    let based_on: Vec<Value> = sources
        .iter()
        .filter_map(|r| {
            let s = r.source.as_ref()?;
            let mut v = json!({ "@type": "CreativeWork", "name": s.title });
            if let Some(u) = source_url(urls, s) {
                v["url"] = json!(u);
            }
            if let Some(d) = &s.published {
                v["datePublished"] = json!(d);
            }
            Some(v)
        })
        .collect();
    if !based_on.is_empty() {
        d["isBasedOn"] = json!(based_on);
    }
    d
}

/// schema.org Dataset of a series page, ready for the script element.
pub fn series_json_ld(cx: &Cx, city: &City, ward: &Ward, s: &Series, data: &SeriesData) -> String {
    let (config, urls) = (cx.config, cx.urls);
    let reports = series_reports(ward, s);
    let name = format!("{}{} {}の推移", city.name, ward.name, s.indicator.name);
    let description = format!(
        "{}{}の区政運営の自己評価（{}）から、指標「{}」（単位：{}）の{}の値を年度ごとにまとめたデータ。目標、区の評価、調査の規模と注記を含む。",
        city.name, ward.name, data.citation.report_title, s.indicator.name, s.indicator.unit, data.citation.years
    );
    let years = s.points.first().zip(s.points.last()).map(|(a, b)| (a.year, b.year));
    let page = urls::series(&city.id, &ward.id, &s.indicator.id);
    let of = DatasetOf {
        name,
        description,
        page,
        city,
        ward,
        years,
        updated: s.updated.as_deref(),
        files: &data.downloads,
        sources: &reports,
    };
    let mut d = dataset(config, urls, of);
    d["variableMeasured"] = json!({ "@type": "PropertyValue", "name": s.indicator.name, "unitText": s.indicator.unit });
    script_json(&d)
}

/// schema.org Dataset of a report page, ready for the script element.
pub fn report_json_ld(cx: &Cx, at: ReportIn, data: &ReportData) -> String {
    let (config, urls) = (cx.config, cx.urls);
    let ReportIn { city, ward, report } = at;
    let fy = report.fiscal_year;
    let name = format!("{}{} {}の自己評価", city.name, ward.name, fy.label());
    let description = format!(
        "{}{}の「{}」（{}）の目標・指標・取組ごとの値と自己評価（アウトカムの達成状況、戦略の進捗状況と有効性、業績目標の達成状況）。",
        city.name,
        ward.name,
        report.title,
        fy.label()
    );
    let page = urls::report(&city.id, &ward.id, fy);
    let of = DatasetOf {
        name,
        description,
        page,
        city,
        ward,
        years: Some((fy, fy)),
        updated: report.updated.as_deref(),
        files: &data.downloads,
        sources: &[report],
    };
    let d = dataset(config, urls, of);
    script_json(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = script_json(&json!({ "name": "</script><!-- & x" }));
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><!-- & x");
    }
}
