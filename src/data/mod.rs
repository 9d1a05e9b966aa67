//! Data for journalists: every figure of the site as files to download and cite.
//!
//! - per series (one indicator of one ward): `<series url>data.csv` and `data.json`;
//! - per report (one ward, one fiscal year): `<report url>data.csv` and `data.json`;
//! - per series also `<series url><city>-<ward>-<indicator>.zip`: its CSV, a metadata JSON and
//!   a README in Japanese (what the columns mean, the source, the licence, how to cite);
//! - site-wide: `data/observations.csv` (one row per observation and place of the report that
//!   gives it: a goal's outcome, an initiative's indicator), `data/indicators.json` (the index
//!   of every indicator: ids, names, units, years, URLs), `data/datapackage.json`
//!   (Frictionless Data Package describing every data file) and `data/mieruka-data.zip` (every
//!   data file, a README and a data package whose paths work offline).
//!
//! CSV files are UTF-8 with a BOM (so spreadsheet software reads the Japanese text), one
//! header row of English `snake_case` names, numbers as plain numbers (`81`, `2750`, `86.0`:
//! the decimals the source printed, no separators, no unit), the unit in its own column and an
//! empty cell where there is no value (never 0). Each table's columns are declared once
//! ([`columns`]): the CSV header, the JSON keys and the Table Schema come from the same list,
//! so they cannot disagree.
//!
//! Generated before the pages: pages link their downloads with the exact size of these bytes.
//! Pure and deterministic: no clock, ordered maps only.

pub mod archive;
pub mod columns;
mod downloads;
mod readme;
mod rows;
pub mod table;

pub use downloads::{DownloadLink, Downloads, size_label};

use crate::config::SiteConfig;
use crate::link::{Linked, Series};
use crate::model::{Report, ReportIn, Site};
use crate::output::Output;
use crate::text::date_ja;
use crate::urls::{self, Urls};
use columns::{OBSERVATION_FIELDS, OBSERVATION_KEY, REPORT_FIELDS, REPORT_KEY, REPORT_TO_OBSERVATIONS};
use rayon::prelude::*;
use rows::{ReportRows, direction_code, observation_rows};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;
use table::{Row, Table, document_with_records, pretty, table_schema};

/// Builds every data file and hands each to `emit` as soon as it is made (so they are not
/// all held at once). Called before the pages are rendered; returns their sizes for links.
pub fn build(
    config: &SiteConfig,
    site: &Site,
    linked: &Linked,
    urls: &Urls,
    emit: &(dyn Fn(Output) + Sync),
) -> Downloads {
    let files = Files { config, site, linked, urls, emit, sizes: Mutex::default(), kept: Mutex::default() };
    // The series' files are many and small (the writer is their bottleneck), the reports' few
    // and large (the CPU is): made at the same time, each fills the other's idle time.
    let ((series_resources, observations), report_resources) =
        rayon::join(|| files.series_files(), || files.report_files());
    files.put(Output { path: urls::OBSERVATIONS_CSV.into(), bytes: observations.csv() });
    let obs_schema = table_schema(OBSERVATION_FIELDS, OBSERVATION_KEY, &[]);
    files.put(Output { path: urls::OBSERVATIONS_SCHEMA.into(), bytes: pretty(&obs_schema) });
    let report_schema = table_schema(REPORT_FIELDS, REPORT_KEY, &[REPORT_TO_OBSERVATIONS]);
    files.put(Output { path: urls::REPORT_SCHEMA.into(), bytes: pretty(&report_schema) });
    files.put(Output { path: urls::INDICATORS.into(), bytes: pretty(&files.indicators()) });
    let mut resources = vec![json!({
        "name": "indicators",
        "title": "指標の一覧（ID・名前・単位・対象年度・URL）",
        "description": "全市・全区の指標ごとに1件：指標ID、名前、単位、望ましい方向、区の指標か全市共通の指標か、値のある年度、ページ・CSV・JSON・ZIPのURL。IDとURLは変わりません。",
        "path": "indicators.json",
    })];
    resources.extend(series_resources);
    resources.extend(report_resources);
    let package = files.package(&obs_schema, resources);
    files.archive(&package);
    Downloads::new(files.sizes.into_inner().expect("no panics while holding it"))
}

/// What making the data files needs, and the sizes of those made so far.
struct Files<'a> {
    config: &'a SiteConfig,
    site: &'a Site,
    linked: &'a Linked,
    urls: &'a Urls,
    emit: &'a (dyn Fn(Output) + Sync),
    sizes: Mutex<BTreeMap<String, usize>>,
    /// Every data file made so far, for the archive of all data (`archive`).
    kept: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Files<'_> {
    /// Hands a file to the writer (from any worker), keeping its size for the package and the
    /// pages' download links.
    fn put(&self, o: Output) {
        self.sizes.lock().expect("no panics while holding it").insert(o.path.clone(), o.bytes.len());
        self.kept.lock().expect("no panics while holding it").push((o.path.clone(), o.bytes.clone()));
        (self.emit)(o);
    }

    /// Hands a file to the writer without keeping it for the archive of all data (a zip).
    fn put_apart(&self, o: Output) {
        self.sizes.lock().expect("no panics while holding it").insert(o.path.clone(), o.bytes.len());
        (self.emit)(o);
    }

    /// Each series' CSV and JSON, in key order (city, ward, indicator), with their package
    /// resources; their rows together make `observations.csv`.
    fn series_files(&self) -> (Vec<Value>, Table) {
        let built: Vec<Option<(Vec<Row>, [Value; 2])>> =
            self.linked.series.values().collect::<Vec<_>>().par_iter().map(|s| self.series_file(s)).collect();
        let mut observations = Table::new(OBSERVATION_FIELDS);
        let mut resources = Vec::new();
        for (rows, res) in built.into_iter().flatten() {
            for row in rows {
                observations.push(row);
            }
            resources.extend(res);
        }
        (resources, observations)
    }

    fn series_file(&self, s: &Series) -> Option<(Vec<Row>, [Value; 2])> {
        let (config, urls) = (self.config, self.urls);
        let (city, ward) = self.site.ward(&s.city, &s.ward)?;
        let mut table = Table::new(OBSERVATION_FIELDS);
        for p in &s.points {
            for row in observation_rows(urls, city, ward, s, p) {
                table.push(row);
            }
        }
        let csv_path = urls::series_csv(&city.id, &ward.id, &s.indicator.id);
        let json_path = urls::series_json(&city.id, &ward.id, &s.indicator.id);
        let page = urls::series(&city.id, &ward.id, &s.indicator.id);
        let json = json!({
            "title": series_title(city, ward, &s.indicator.name),
            "city": { "id": city.id, "name": city.name, "local_gov_code": city.code.as_str() },
            "ward": { "id": ward.id, "name": ward.name },
            "indicator": {
                "id": s.indicator.id,
                "former_ids": s.former_ids,
                "name": s.indicator.name,
                "unit": s.indicator.unit,
                "direction": direction_code(s.indicator.direction),
                "city_wide": s.indicator.city_wide,
            },
            "assessment": { "status": s.assessment.status, "label": s.assessment.status.label() },
            "page_url": urls.absolute(&page),
            "csv_url": urls.absolute(&csv_path),
            "zip_url": urls.absolute(&urls::series_zip(&city.id, &ward.id, &s.indicator.id)),
            "updated": s.updated,
            "licence": licence_json(config),
            "schema": urls.absolute(urls::OBSERVATIONS_SCHEMA),
        });
        let title = series_title(city, ward, &s.indicator.name);
        let name = format!("series-{}-{}-{}", city.id, ward.id, s.indicator.id);
        let csv = table.csv();
        let mut entries = vec![
            (format!("{}.csv", s.indicator.id), csv.clone()),
            (format!("{}.metadata.json", s.indicator.id), pretty(&self.series_metadata(json.clone(), s))),
            ("README.md".to_string(), readme::series(config, urls, city, ward, s).into_bytes()),
        ];
        self.put_apart(Output {
            path: urls::series_zip(&city.id, &ward.id, &s.indicator.id),
            bytes: archive::zip(&mut entries, s.updated.as_deref()),
        });
        self.put(Output {
            path: json_path.clone(),
            bytes: document_with_records(json, "observations", table.records()),
        });
        self.put(Output { path: csv_path.clone(), bytes: csv });
        let resources = [
            json!({ "name": format!("{name}-csv"), "title": format!("{title}（CSV）"), "path": urls.absolute(&csv_path), "schema": "schemas/observations.json" }),
            json!({ "name": format!("{name}-json"), "title": format!("{title}（JSON）"), "path": urls.absolute(&json_path) }),
        ];
        // The rows go on into observations.csv.
        Some((table.rows, resources))
    }

    /// Each report's CSV and JSON, in content order (city, ward, fiscal year), with their
    /// package resources.
    fn report_files(&self) -> Vec<Value> {
        let reports: Vec<ReportIn> = self.site.reports().collect();
        let built: Vec<[Value; 2]> = reports.par_iter().map(|at| self.report_file(*at)).collect();
        built.into_iter().flatten().collect()
    }

    fn report_file(&self, at: ReportIn) -> [Value; 2] {
        let (config, urls) = (self.config, self.urls);
        let ReportIn { city, ward, report } = at;
        let fy = report.fiscal_year;
        let table = ReportRows { urls, linked: self.linked, at }.table();
        let csv_path = urls::report_csv(&city.id, &ward.id, fy);
        let json_path = urls::report_json(&city.id, &ward.id, fy);
        let json = json!({
            "title": report.title,
            "city": { "id": city.id, "name": city.name, "local_gov_code": city.code.as_str() },
            "ward": { "id": ward.id, "name": ward.name },
            "fiscal_year": fy.western(),
            "era_label": fy.era_label(),
            "updated": report.updated,
            "source": source_json(report, urls),
            "page_url": urls.absolute(&urls::report(&city.id, &ward.id, fy)),
            "csv_url": urls.absolute(&csv_path),
            "licence": licence_json(config),
            "schema": urls.absolute(urls::REPORT_SCHEMA),
        });
        let title = format!("{}{} {}の自己評価", city.name, ward.name, fy.label());
        let name = format!("report-{}-{}-{}", city.id, ward.id, fy.western());
        self.put(Output { path: json_path.clone(), bytes: document_with_records(json, "records", table.records()) });
        self.put(Output { path: csv_path.clone(), bytes: table.csv() });
        [
            json!({ "name": format!("{name}-csv"), "title": format!("{title}（CSV）"), "path": urls.absolute(&csv_path), "schema": "schemas/report.json" }),
            json!({ "name": format!("{name}-json"), "title": format!("{title}（JSON）"), "path": urls.absolute(&json_path) }),
        ]
    }

    /// `datapackage.json`: every file made so far, with its size, and the package's metadata.
    fn package(&self, obs_schema: &Value, resources: Vec<Value>) -> Value {
        let (config, urls) = (self.config, self.urls);
        let sizes_so_far = self.sizes.lock().expect("no panics while holding it").clone();
        let mut all = vec![json!({
            "name": "observations",
            "title": "すべての指標の値（1行に1つの値と掲載箇所）",
            "description": format!("全市・全区・全年度の指標の値。1行は、1つの値（指標・区・年度）とそれを示している報告の箇所（目標のアウトカム、取組の業績目標）の組で、その箇所の目標・評価・達成状況を持ちます。年度をまたいで同じ指標IDでつながり、報告間の訂正を反映しています。{}", table::PANDAS_NOTE),
            "path": "observations.csv",
            "schema": obs_schema,
        })];
        all.extend(resources);
        for r in &mut all {
            let path = r["path"].as_str().unwrap_or_default().to_string();
            let site_path = path.strip_prefix(&config.base_url).map_or_else(|| format!("data/{path}"), str::to_string);
            let (format, mediatype) = downloads::format_of(&path);
            let csv = format == "CSV";
            r["profile"] = json!(if csv { "tabular-data-resource" } else { "data-resource" });
            r["format"] = json!(format.to_lowercase());
            r["mediatype"] = json!(mediatype);
            r["encoding"] = json!(if csv { "utf-8-sig" } else { "utf-8" });
            if let Some(bytes) = sizes_so_far.get(&site_path) {
                r["bytes"] = json!(bytes);
            }
            if csv {
                r["dialect"] = json!({ "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true });
            }
        }
        // A data package, not a tabular one: the JSON files are listed too, and they are not
        // tables. Each CSV file is a tabular data resource with its Table Schema.
        let mut package = json!({
            "profile": "data-package",
            "name": "mieruka",
            "id": urls.absolute(urls::DATAPACKAGE),
            "title": config.title,
            "description": config.description,
            "homepage": config.base_url,
            "resources": all,
        });
        if let Some(l) = &config.licence {
            package["licenses"] = json!([{ "name": if l.id.is_empty() { l.name.clone() } else { l.id.clone() }, "path": l.url, "title": l.name }]);
        }
        if !config.publisher.is_empty() {
            package["contributors"] = json!([{ "title": config.publisher, "role": "publisher" }]);
        }
        let sources: Vec<Value> = self
            .site
            .reports()
            .filter_map(|at| {
                let s = at.report.source.as_ref()?;
                let mut v = json!({ "title": format!("{}「{}」（{}）", at.ward_full_name(), s.title, at.report.fiscal_year.era_label()) });
                if let Some(u) = &s.url {
                    v["path"] = json!(u);
                }
                Some(v)
            })
            .collect();
        if !sources.is_empty() {
            package["sources"] = json!(sources);
        }
        self.put_apart(Output { path: urls::DATAPACKAGE.into(), bytes: pretty(&package) });
        package
    }

    /// The series' metadata for its zip: its JSON document without the values, with the
    /// columns explained and where the values come from.
    fn series_metadata(&self, mut json: Value, s: &Series) -> Value {
        let columns: Vec<Value> = OBSERVATION_FIELDS
            .iter()
            .map(|f| json!({ "name": f.name, "type": f.kind.schema_type(), "title": f.title, "description": f.description }))
            .collect();
        json["columns"] = json!(columns);
        let sources: Vec<Value> = s
            .reports
            .iter()
            .filter_map(|fy| {
                let (_, ward) = self.site.ward(&s.city, &s.ward)?;
                let r = ward.reports.iter().find(|r| r.fiscal_year == *fy)?;
                Some(json!({ "fiscal_year": fy.western(), "era_label": fy.era_label(), "report": r.title, "source": source_json(r, self.urls) }))
            })
            .collect();
        json["sources"] = json!(sources);
        json
    }

    /// `indicators.json`: one entry per indicator of each ward, in key order (city, ward,
    /// indicator). Its ids and URLs are promised not to change (docs/urls.md).
    fn indicators(&self) -> Value {
        let urls = self.urls;
        let list: Vec<Value> = self
            .linked
            .series
            .values()
            .filter_map(|s| {
                let (city, ward) = self.site.ward(&s.city, &s.ward)?;
                let (c, w, id) = (&city.id, &ward.id, &s.indicator.id);
                let years: Vec<i32> = s
                    .points
                    .iter()
                    .map(|p| p.year.western())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                Some(json!({
                    "id": id,
                    "former_ids": s.former_ids,
                    "name": s.indicator.name,
                    "unit": s.indicator.unit,
                    "direction": direction_code(s.indicator.direction),
                    "scope": if s.indicator.city_wide { "city_wide" } else { "ward" },
                    "city": { "id": c, "name": city.name, "local_gov_code": city.code.as_str() },
                    "ward": { "id": w, "name": ward.name },
                    "years": years,
                    "first_year": years.first(),
                    "last_year": years.last(),
                    "updated": s.updated,
                    "page_url": urls.absolute(&urls::series(c, w, id)),
                    "csv_url": urls.absolute(&urls::series_csv(c, w, id)),
                    "json_url": urls.absolute(&urls::series_json(c, w, id)),
                    "zip_url": urls.absolute(&urls::series_zip(c, w, id)),
                    "comparison_url": s.indicator.city_wide.then(|| urls.absolute(&urls::comparison(c, id))),
                }))
            })
            .collect();
        json!({
            "title": format!("{}：指標の一覧", self.config.title),
            "description": "全市・全区の指標ごとに1件。指標ID（id）と各URLは変わりません。指標の名前が変わっても同じIDのままで、IDが変わったときは以前のID（former_ids）を残し、以前のURLは新しいURLへ案内します。",
            "promise": ID_PROMISE,
            "homepage": self.config.base_url,
            "datapackage_url": urls.absolute(urls::DATAPACKAGE),
            "licence": licence_json(self.config),
            "indicators": list,
        })
    }

    /// `mieruka-data.zip`: every data file at its path on the site, a README in Japanese, and a
    /// copy of the data package whose paths are relative to the archive (valid offline).
    fn archive(&self, package: &Value) {
        let mut entries = std::mem::take(&mut *self.kept.lock().expect("no panics while holding it"));
        let base = &self.config.base_url;
        let mut offline = package.clone();
        for r in offline["resources"].as_array_mut().into_iter().flatten() {
            let path = r["path"].as_str().unwrap_or_default();
            let local = path.strip_prefix(base.as_str()).map_or_else(|| format!("data/{path}"), str::to_string);
            r["path"] = json!(local);
            if let Some(schema) = r["schema"].as_str() {
                r["schema"] = json!(format!("data/{schema}"));
            }
        }
        let readme = readme::all(self.config, self.urls, self.site, self.linked, &entries);
        entries.push(("datapackage.json".into(), pretty(&offline)));
        entries.push(("README.md".into(), readme.into_bytes()));
        let newest = self.site.reports().filter_map(|at| at.report.updated.as_deref()).max();
        let bytes = archive::zip(&mut entries, newest);
        self.put_apart(Output { path: urls::ALL_DATA_ZIP.into(), bytes });
    }
}

/// What the site promises about its ids and addresses (indicators.json, the method page,
/// docs/urls.md).
pub const ID_PROMISE: &str = "指標・目標・取組のIDと、ページ・データファイルのURLは変わりません。年度が加わっても同じURLのまま値が増え、指標のIDが変わったときは以前のURLから新しいURLへ案内します。";

/// 「大阪市北区 保育所待機児童数の推移」, the ward named once: 「大阪市北区の魅力が…の推移」 for an
/// indicator whose name starts with the ward's.
pub fn series_title(city: &crate::model::City, ward: &crate::model::Ward, name: &str) -> String {
    match name.strip_prefix(ward.name.as_str()) {
        Some(rest) => format!("{}{}{rest}の推移", city.name, ward.name),
        None => format!("{}{} {name}の推移", city.name, ward.name),
    }
}

fn licence_json(config: &SiteConfig) -> Value {
    config.licence.as_ref().map_or(
        Value::Null,
        |l| json!({ "name": l.name, "url": l.url, "id": if l.id.is_empty() { Value::Null } else { json!(l.id) } }),
    )
}

/// The source document: its title, its address, the original published with the site (absolute
/// URL) and when the ward published it.
fn source_json(r: &Report, urls: &Urls) -> Value {
    r.source.as_ref().map_or(Value::Null, |s| {
        let file = s.file.as_ref().map(|f| urls.absolute(&urls::static_file(&f.path)));
        json!({ "title": s.title, "url": s.url, "file": file, "published": s.published })
    })
}

/// The line a citation gives: 「大阪市北区「…」（平成28年度（2016年度））、指標「…」の推移。サイト名、URL（データ更新日：…）」.
pub fn citation_text(
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

/// A citation with its 閲覧日 to fill in: 「…（データ更新日：2017年6月30日、閲覧日：　　年　　月　　日）」.
pub fn with_access_date(text: &str) -> String {
    const BLANK: &str = "閲覧日：　　年　　月　　日";
    match text.strip_suffix('）').filter(|_| text.contains("（データ更新日：")) {
        Some(t) => format!("{t}、{BLANK}）"),
        None => format!("{text}（{BLANK}）"),
    }
}
