//! What pages say about their data: downloads, the citation to copy (「引用の仕方」),
//! schema.org `Dataset` JSON-LD, and the snippet that embeds a chart.

use super::Cx;
use crate::config::SiteConfig;
pub use crate::data::with_access_date;
use crate::data::{DownloadLink, citation_text};
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
    /// When the ward published it: (ISO date, Japanese date).
    pub published: Option<(String, String)>,
}

/// A 「引用の仕方」 block.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// One line to copy.
    pub text: String,
    /// The same with its 閲覧日 to fill in.
    pub text_to_fill: String,
    /// 「大阪市北区」
    pub ward: String,
    pub report_title: String,
    /// 「平成28年度（2016年度）」 or 「平成27年度（2015年度）〜平成28年度（2016年度）」.
    pub years: String,
    pub indicator: Option<String>,
    /// What is cited within the report: 「目標【1-1】…」, 「指標「…」の推移」; empty for a report.
    pub subject: String,
    /// Permanent absolute URL.
    pub url: String,
    pub sources: Vec<SourceCite>,
    /// ISO date and its Japanese form.
    pub updated_iso: Option<String>,
    pub updated: Option<String>,
    pub licence_name: Option<String>,
    pub licence_url: Option<String>,
    /// The attribution a reuser writes and the note for edited data (from the licence).
    pub terms: Vec<String>,
    /// The same citation as BibTeX and as CSL-JSON, to copy.
    pub bibtex: String,
    pub csl_json: String,
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
    Some(SourceCite {
        year: r.fiscal_year.label(),
        title: s.title.clone(),
        url: source_url(urls, s),
        published: s.published.as_ref().map(|d| (d.clone(), date_ja(d))),
    })
}

/// What a citation names.
struct Cited<'a> {
    /// The key of its BibTeX entry and the id of its CSL-JSON item (ASCII, from ids).
    key: String,
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
    let title = if c.subject.is_empty() {
        format!("{}「{}」（{}）", c.ward_full, c.report.title, c.years)
    } else {
        format!("{}「{}」（{}）、{}", c.ward_full, c.report.title, c.years, c.subject)
    };
    let text = citation_text(config, &c.ward_full, &c.report.title, &c.years, c.subject, &c.url, c.updated);
    Citation {
        text_to_fill: with_access_date(&text),
        text,
        bibtex: bibtex(config, &c, &title),
        csl_json: csl_json(config, &c, &title),
        ward: c.ward_full,
        report_title: c.report.title.clone(),
        years: c.years,
        indicator: c.indicator,
        subject: c.subject.to_string(),
        url: c.url,
        sources: c.sources,
        updated_iso: c.updated.map(str::to_string),
        updated: c.updated.map(date_ja),
        licence_name: config.licence.as_ref().map(|l| l.name.clone()),
        licence_url: config.licence.as_ref().map(|l| l.url.clone()),
        terms: config.licence_terms().into_iter().skip(1).collect(),
    }
}

/// Text for a BibTeX field: its special characters escaped, so content cannot end the field.
fn bibtex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The data date (else the report's fiscal year end) as (year, month, day).
fn issued(c: &Cited) -> Vec<i64> {
    let parts: Vec<i64> = c.updated.map(|d| d.split('-').filter_map(|p| p.parse().ok()).collect()).unwrap_or_default();
    if parts.len() == 3 { parts } else { vec![i64::from(c.report.fiscal_year.western())] }
}

fn source_note(c: &Cited) -> String {
    let mut note = Vec::new();
    for s in &c.sources {
        let mut n = format!("原資料：{}「{}」（{}）", c.ward_full, s.title, s.year);
        if let Some(u) = &s.url {
            n.push_str(&format!(" {u}"));
        }
        note.push(n);
    }
    if let Some(d) = c.updated {
        note.push(format!("データ更新日：{}", date_ja(d)));
    }
    note.join("。")
}

/// The citation as a BibTeX `@misc` entry (biblatex reads `urldate`; fill in the 閲覧日).
fn bibtex(config: &SiteConfig, c: &Cited, title: &str) -> String {
    let date = issued(c);
    let mut fields = vec![
        ("author", format!("{{{}}}", bibtex_escape(&c.ward_full))),
        ("title", format!("{{{}}}", bibtex_escape(title))),
        ("howpublished", format!("\\url{{{}}}", c.url)),
        ("url", c.url.clone()),
        ("organization", bibtex_escape(&config.title)),
        ("year", date[0].to_string()),
    ];
    if date.len() == 3 {
        fields.push(("date", format!("{:04}-{:02}-{:02}", date[0], date[1], date[2])));
    }
    fields.push(("urldate", "YYYY-MM-DD".to_string()));
    let note = source_note(c);
    if !note.is_empty() {
        fields.push(("note", bibtex_escape(&note)));
    }
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("  {k} = {{{v}}}")).collect();
    format!("@misc{{{},\n{}\n}}", c.key, body.join(",\n"))
}

/// The citation as CSL-JSON (Zotero, Pandoc): one `dataset` item; replace the `accessed`
/// placeholder with the 閲覧日.
fn csl_json(config: &SiteConfig, c: &Cited, title: &str) -> String {
    let mut item = json!({
        "id": c.key,
        "type": "dataset",
        "title": title,
        "author": [{ "literal": c.ward_full }],
        "publisher": if config.publisher.is_empty() { &config.title } else { &config.publisher },
        "container-title": config.title,
        "URL": c.url,
        "language": "ja",
        "issued": { "date-parts": [issued(c)] },
        "accessed": { "raw": "YYYY-MM-DD" },
    });
    let note = source_note(c);
    if !note.is_empty() {
        item["note"] = json!(note);
    }
    if let Some(l) = &config.licence {
        item["license"] = json!(l.url);
    }
    serde_json::to_string_pretty(&json!([item])).expect("JSON values always serialise")
}

/// 「平成27年度（2015年度）〜平成28年度（2016年度）」: the era and the Western years.
fn years_both(first: FiscalYear, last: FiscalYear) -> String {
    if first == last { first.label() } else { format!("{}〜{}", first.label(), last.label()) }
}

/// The citation of a goal's or an initiative's page (`path`): what it is within its report.
pub fn item_citation(cx: &Cx, at: ReportIn, key: String, subject: &str, path: &str) -> Citation {
    citation(
        cx.config,
        Cited {
            key,
            ward_full: at.ward_full_name(),
            report: at.report,
            years: at.report.fiscal_year.label(),
            indicator: None,
            subject,
            url: cx.urls.absolute(path),
            sources: source_cite(cx.urls, at.report).into_iter().collect(),
            updated: at.report.updated.as_deref(),
        },
    )
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
    let title = format!("{}（グラフ）", crate::data::series_title(city, ward, &s.indicator.name));
    let embed_snippet = format!(
        r#"<iframe src="{}" title="{}" width="640" height="500" style="border:0;max-width:100%" loading="lazy"></iframe>"#,
        escape(&embed_abs),
        escape(&title)
    );
    let subject = format!("指標「{}」の推移", s.indicator.name);
    let years = s.points.first().zip(s.points.last()).map(|(a, b)| years_both(a.year, b.year)).unwrap_or_default();
    let citation = citation(
        config,
        Cited {
            key: format!("{c}-{w}-{id}"),
            ward_full,
            report: latest,
            years,
            indicator: Some(s.indicator.name.clone()),
            subject: &subject,
            url,
            sources: reports.iter().filter_map(|r| source_cite(cx.urls, r)).collect(),
            updated: s.updated.as_deref(),
        },
    );
    Some(SeriesData {
        downloads: cx
            .downloads
            .links(urls, &[urls::series_csv(c, w, id), urls::series_json(c, w, id), urls::series_zip(c, w, id)]),
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
                text: citation_text(config, &ward_full, &report.title, &fy.label(), &name, &goal_url, updated),
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
                        text: citation_text(config, &ward_full, &report.title, &fy.label(), &subject, &url, updated),
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
                key: format!("{c}-{w}-{}", fy.western()),
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
    /// `None` for a city-wide comparison.
    ward: Option<&'a Ward>,
    years: Option<(FiscalYear, FiscalYear)>,
    updated: Option<&'a str>,
    distribution: Vec<Value>,
    sources: &'a [&'a Report],
}

/// A file as a schema.org `DataDownload`, named when `name` is given.
fn data_download(f: &DownloadLink, name: Option<String>) -> Value {
    let mut v = json!({ "@type": "DataDownload", "encodingFormat": f.mediatype, "contentUrl": f.absolute, "contentSize": f.bytes.to_string() });
    if let Some(n) = name {
        v["name"] = json!(n);
    }
    v
}

fn distribution(files: &[DownloadLink]) -> Vec<Value> {
    files.iter().map(|f| data_download(f, None)).collect()
}

fn dataset(config: &SiteConfig, urls: &Urls, of: DatasetOf) -> Value {
    let DatasetOf { name, description, page, city, ward, years, updated, distribution, sources } = of;
    let page = page.as_str();
    let ward_full = ward.map_or_else(|| city.name.clone(), |w| format!("{}{}", city.name, w.name));
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
        "distribution": distribution,
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
    let name = crate::data::series_title(city, ward, &s.indicator.name);
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
        ward: Some(ward),
        years,
        updated: s.updated.as_deref(),
        distribution: distribution(&data.downloads),
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
        ward: Some(ward),
        years: Some((fy, fy)),
        updated: report.updated.as_deref(),
        distribution: distribution(&data.downloads),
        sources: &[report],
    };
    let d = dataset(config, urls, of);
    script_json(&d)
}

/// schema.org Dataset of a comparison page (a city-wide indicator across wards): each ward's
/// files of the indicator, and the archive of all data.
pub fn comparison_json_ld(cx: &Cx, city: &City, def: &crate::model::IndicatorDef) -> String {
    let (config, urls) = (cx.config, cx.urls);
    let mut files = Vec::new();
    let mut reports: Vec<&Report> = Vec::new();
    let (mut first, mut last): (Option<FiscalYear>, Option<FiscalYear>) = (None, None);
    let mut updated: Option<&str> = None;
    for ward in &city.wards {
        let Some(s) = cx.linked.series(&city.id, &ward.id, &def.id) else { continue };
        let (c, w, id) = (&city.id, &ward.id, &def.id);
        for f in cx
            .downloads
            .links(urls, &[urls::series_csv(c, w, id), urls::series_json(c, w, id), urls::series_zip(c, w, id)])
        {
            let name = format!("{}{}（{}）", city.name, ward.name, f.format);
            files.push(data_download(&f, Some(name)));
        }
        reports.extend(series_reports(ward, s));
        if let (Some(a), Some(b)) = (s.points.first(), s.points.last()) {
            first = Some(first.map_or(a.year, |f| f.min(a.year)));
            last = Some(last.map_or(b.year, |l| l.max(b.year)));
        }
        updated = updated.max(s.updated.as_deref());
    }
    if let Some(f) = cx.downloads.link(urls, urls::ALL_DATA_ZIP) {
        files.push(data_download(&f, Some("すべてのデータ（ZIP）".into())));
    }
    let of = DatasetOf {
        name: format!("{} {}の区別比較", city.name, def.name),
        description: format!(
            "{}の各区が区政運営の自己評価で報告した、全市共通の指標「{}」（単位：{}）の値を、年度ごと・区ごとに比較できるようにまとめたデータ。区ごとのCSV・JSON・ZIPがあります。",
            city.name, def.name, def.unit
        ),
        page: urls::comparison(&city.id, &def.id),
        city,
        ward: None,
        years: first.zip(last),
        updated,
        distribution: files,
        sources: &reports,
    };
    let mut d = dataset(config, urls, of);
    d["variableMeasured"] = json!({ "@type": "PropertyValue", "name": def.name, "unitText": def.unit });
    script_json(&d)
}

/// schema.org `BreadcrumbList` of a page: the breadcrumbs it shows, with absolute URLs.
/// A page without breadcrumbs (the home page) is the one item of its own list.
pub fn breadcrumbs_json_ld(urls: &Urls, crumbs: &[super::components::Crumb]) -> String {
    let home = [super::components::Crumb { name: "ホーム".into(), url: urls.link(""), full: None }];
    let crumbs = if crumbs.is_empty() { &home[..] } else { crumbs };
    let items: Vec<Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = c.url.strip_prefix(urls.base_path.as_str()).unwrap_or(&c.url);
            json!({ "@type": "ListItem", "position": i + 1, "name": c.name, "item": urls.absolute(path) })
        })
        .collect();
    script_json(&json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items }))
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
