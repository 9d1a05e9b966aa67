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
pub mod json_schema;
mod kept;
mod readme;
mod rows;
pub mod table;

pub use downloads::{DownloadLink, Downloads, size_label};
pub use kept::{CACHE_DIR, Fingerprints, fingerprints, program, unique};

use crate::config::SiteConfig;
use crate::link::{Linked, Series};
use crate::model::{City, Report, ReportIn, Site, Ward, WardFingerprint};
use crate::output::Output;
use crate::text::date_ja;
use crate::urls::{self, Urls};
use columns::{OBSERVATION_FIELDS, OBSERVATION_KEY, REPORT_FIELDS, REPORT_KEY, REPORT_TO_OBSERVATIONS};
use rayon::prelude::*;
use rows::{ReportRows, direction_code, observation_rows};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
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
    build_with(config, site, linked, urls, emit, None)
}

/// The data files of an earlier build, kept for the next one (the preview). A series' files and
/// a report's are made only from what its ward is made of (its city, its ward and their reports,
/// and site.toml): they are made again only when the caller's fingerprint of that ward changed.
/// The site-wide files (observations.csv, datapackage.json) are always made again.
#[derive(Default)]
pub struct DataCache {
    /// By city, ward, indicator (looked up without allocating: this runs for every series).
    series: Mutex<HashMap<String, HashMap<String, WardSeries>>>,
    reports: Mutex<HashMap<(String, String, i32), Kept>>,
    /// Where the kept files' bytes are when the cache is kept on disk between builds
    /// ([`DataCache::read`]); the preview keeps them itself (`None`).
    disk: Option<kept::Disk>,
    /// How many series' and reports' files this build made (not kept): the disk copy is written
    /// again only when some were.
    made: std::sync::atomic::AtomicUsize,
    /// How many entries were read from disk, and how many of them this build took: when some
    /// were not (a ward removed or changed), the disk copy is written again without them.
    read: usize,
    taken: std::sync::atomic::AtomicUsize,
}

/// A ward's kept series, by indicator id.
type WardSeries = HashMap<String, Kept>;

/// A series' rows as CSV (what it adds to observations.csv) and its package resources as
/// datapackage.json prints them.
type CsvRows = (Arc<[u8]>, [Arc<str>; 2]);

/// The package resources of the series' and reports' files: as values, or (with a cache) as
/// datapackage.json prints them, made once per file.
enum Resources {
    Values(Vec<Value>),
    Printed(Vec<Arc<str>>),
}

/// One series' or report's files as an earlier build made them: the fingerprint of its ward
/// then, the rows it adds to observations.csv (as CSV), its package resources, its files'
/// sizes, and its files' entries of the archive of all data (compressed).
struct Kept {
    fingerprint: u64,
    rows: Arc<[u8]>,
    resources: [Arc<str>; 2],
    sizes: Vec<(String, usize)>,
    pieces: Vec<archive::Piece>,
}

/// [`build`], taking from `cache` the files of wards whose fingerprint did not change: those
/// are not emitted again (the caller still has them); their sizes are in the result.
pub fn build_cached(
    config: &SiteConfig,
    site: &Site,
    linked: &Linked,
    urls: &Urls,
    emit: &(dyn Fn(Output) + Sync),
    cache: &DataCache,
    fingerprint: WardFingerprint,
) -> Downloads {
    build_with(config, site, linked, urls, emit, Some((cache, fingerprint)))
}

/// [`build_cached`] with a cache, else [`build`].
pub fn build_kept(
    config: &SiteConfig,
    site: &Site,
    linked: &Linked,
    urls: &Urls,
    emit: &(dyn Fn(Output) + Sync),
    cache: Option<&DataCache>,
    fingerprint: WardFingerprint,
) -> Downloads {
    build_with(config, site, linked, urls, emit, cache.map(|c| (c, fingerprint)))
}

fn build_with(
    config: &SiteConfig,
    site: &Site,
    linked: &Linked,
    urls: &Urls,
    emit: &(dyn Fn(Output) + Sync),
    cache: Option<(&DataCache, WardFingerprint)>,
) -> Downloads {
    let files = Files { config, site, linked, urls, emit, sizes: Mutex::default(), pieces: Mutex::default(), cache };
    // The series' files are many and small (the writer is their bottleneck), the reports' few
    // and large (the CPU is): made at the same time, each fills the other's idle time.
    let ((series_resources, observations), report_resources) =
        rayon::join(|| files.series_files(), || files.report_files());
    // Site-wide files are dated in the archive with the newest data.
    let newest = site.reports().filter_map(|at| at.report.updated.as_deref()).max();
    let obs_schema = table_schema(OBSERVATION_FIELDS, OBSERVATION_KEY, &[]);
    // The two largest site-wide files (each compressed for the archive) made side by side.
    rayon::join(
        || files.put_dated(Output { path: urls::OBSERVATIONS_CSV.into(), bytes: observations }, newest),
        || {
            files.put_dated(Output { path: urls::OBSERVATIONS_SCHEMA.into(), bytes: pretty(&obs_schema) }, newest);
            let report_schema = table_schema(REPORT_FIELDS, REPORT_KEY, &[REPORT_TO_OBSERVATIONS]);
            files.put_dated(Output { path: urls::REPORT_SCHEMA.into(), bytes: pretty(&report_schema) }, newest);
            files.put_dated(Output { path: urls::INDICATORS.into(), bytes: pretty(&files.indicators()) }, newest);
            for (path, schema) in [
                (urls::SERIES_JSON_SCHEMA, json_schema::series(urls, OBSERVATION_FIELDS, OBSERVATION_KEY)),
                (urls::REPORT_JSON_SCHEMA, json_schema::report(urls, REPORT_FIELDS, REPORT_KEY)),
                (urls::INDICATORS_JSON_SCHEMA, json_schema::indicators(urls, ID_PROMISE)),
            ] {
                files.put_dated(Output { path: path.into(), bytes: pretty(&schema) }, newest);
            }
        },
    );
    let resources = match (series_resources, report_resources) {
        (Resources::Values(mut s), Resources::Values(r)) => {
            s.extend(r);
            Resources::Values(s)
        }
        (Resources::Printed(mut s), Resources::Printed(r)) => {
            s.extend(r);
            Resources::Printed(s)
        }
        _ => unreachable!("both made with the cache or both without"),
    };
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
    /// The entries of the archive of all data made so far (each file compressed where it is
    /// made, so in parallel), by path.
    pieces: Mutex<Vec<archive::Piece>>,
    cache: Option<(&'a DataCache, WardFingerprint<'a>)>,
}

impl Files<'_> {
    /// Hands a file to the writer (from any worker), keeping its size for the package and the
    /// pages' download links.
    /// The file also goes into the archive of all data, its entry dated `date` (the data's
    /// own date).
    fn put_dated(&self, o: Output, date: Option<&str>) {
        let piece = archive::piece(&o.path, &o.bytes, date);
        self.pieces.lock().expect("no panics while holding it").push(piece);
        self.put_apart(o);
    }

    /// Hands a file to the writer without putting it in the archive of all data (a zip, the
    /// package itself).
    fn put_apart(&self, o: Output) {
        self.sizes.lock().expect("no panics while holding it").insert(o.path.clone(), o.bytes.len());
        if let Some((DataCache { disk: Some(disk), .. }, _)) = self.cache {
            disk.made(&o);
        }
        (self.emit)(o);
    }

    /// Each series' CSV and JSON, in key order (city, ward, indicator), with their package
    /// resources; their rows together make `observations.csv`.
    /// Returns the package resources and observations.csv.
    fn series_files(&self) -> (Resources, Vec<u8>) {
        let series: Vec<&Series> = self.linked.series.values().map(|s| &**s).collect();
        if let Some((cache, fingerprint)) = self.cache {
            // observations.csv from each series' rows as CSV, kept with its files.
            let built: Vec<Option<CsvRows>> =
                series.par_iter().map(|s| self.series_file_cached(s, cache, fingerprint)).collect();
            let mut observations = Table::new(OBSERVATION_FIELDS).csv_header();
            let mut resources = Vec::new();
            for (rows, res) in built.into_iter().flatten() {
                observations.extend_from_slice(&rows);
                resources.extend(res);
            }
            return (Resources::Printed(resources), observations);
        }
        let built: Vec<Option<(Vec<Row>, [Value; 2])>> = series.par_iter().map(|s| self.series_file(s)).collect();
        let mut observations = Table::new(OBSERVATION_FIELDS);
        let mut resources = Vec::new();
        for (rows, res) in built.into_iter().flatten() {
            for row in rows {
                observations.push(row);
            }
            resources.extend(res);
        }
        (Resources::Values(resources), observations.csv())
    }

    /// A kept series' or report's rows (as CSV) and resources, when its ward has not changed;
    /// its files' sizes are noted as if they had been made.
    fn kept<K: std::hash::Hash + Eq>(
        &self,
        kept: &Mutex<HashMap<K, Kept>>,
        key: &K,
        fingerprint: u64,
    ) -> Option<CsvRows> {
        let kept = kept.lock().expect("no panics while holding it");
        kept.get(key).filter(|k| k.fingerprint == fingerprint).map(|k| self.take(k))
    }

    /// A kept series' or report's rows and resources; its files' sizes noted as if made (and,
    /// with a cache on disk, its files noted to be written from there: `DataCache::emit_kept`).
    fn take(&self, k: &Kept) -> CsvRows {
        let mut sizes = self.sizes.lock().expect("no panics while holding it");
        for (path, size) in &k.sizes {
            sizes.insert(path.clone(), *size);
        }
        drop(sizes);
        if let Some((cache, _)) = self.cache {
            cache.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.pieces.lock().expect("no panics while holding it").extend(k.pieces.iter().cloned());
        if let Some((DataCache { disk: Some(disk), .. }, _)) = self.cache {
            disk.take(k.sizes.iter().map(|(path, _)| path));
        }
        (k.rows.clone(), k.resources.clone())
    }

    fn series_file(&self, s: &Series) -> Option<(Vec<Row>, [Value; 2])> {
        let (city, ward) = self.site.ward(&s.city, &s.ward)?;
        Some(self.make_series_file(city, ward, s))
    }

    fn series_file_cached(&self, s: &Series, cache: &DataCache, fingerprint: WardFingerprint) -> Option<CsvRows> {
        let (city, ward) = self.site.ward(&s.city, &s.ward)?;
        let fingerprint = fingerprint(city.id.as_str(), ward.id.as_str());
        {
            let series = cache.series.lock().expect("no panics while holding it");
            let kept = series.get(city.id.as_str()).and_then(|w| w.get(ward.id.as_str())?.get(s.indicator.id.as_str()));
            if let Some(k) = kept.filter(|k| k.fingerprint == fingerprint) {
                return Some(self.take(k));
            }
        }
        cache.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (rows, resources) = self.make_series_file(city, ward, s);
        let mut table = Table::new(OBSERVATION_FIELDS);
        table.rows = rows;
        let rows: Arc<[u8]> = table.csv_rows().into();
        let paths = vec![
            urls::series_csv(&city.id, &ward.id, &s.indicator.id),
            urls::series_json(&city.id, &ward.id, &s.indicator.id),
            urls::series_zip(&city.id, &ward.id, &s.indicator.id),
        ];
        let resources = self.printed(resources);
        let pieces = self.pieces_of(&paths);
        let kept =
            Kept { fingerprint, rows: rows.clone(), resources: resources.clone(), sizes: self.sizes_of(paths), pieces };
        let mut series = cache.series.lock().expect("no panics while holding it");
        let ward_series = series.entry(city.id.to_string()).or_default().entry(ward.id.to_string()).or_default();
        ward_series.insert(s.indicator.id.to_string(), kept);
        Some((rows, resources))
    }

    /// Two resources as datapackage.json prints them (their files are made: their sizes known).
    fn printed(&self, resources: [Value; 2]) -> [Arc<str>; 2] {
        let sizes = self.sizes.lock().expect("no panics while holding it");
        resources.map(|mut r| {
            finish_resource(self.config, &mut r, &sizes);
            print_resource(&r).into()
        })
    }

    /// The sizes of files made so far.
    fn sizes_of(&self, paths: Vec<String>) -> Vec<(String, usize)> {
        let sizes = self.sizes.lock().expect("no panics while holding it");
        paths
            .into_iter()
            .map(|p| {
                let size = sizes.get(&p).copied().unwrap_or_default();
                (p, size)
            })
            .collect()
    }

    /// The archive entries of files made so far (those that go into the archive).
    fn pieces_of(&self, paths: &[String]) -> Vec<archive::Piece> {
        let pieces = self.pieces.lock().expect("no panics while holding it");
        pieces.iter().filter(|p| paths.contains(&p.path)).cloned().collect()
    }

    fn make_series_file(&self, city: &City, ward: &Ward, s: &Series) -> (Vec<Row>, [Value; 2]) {
        let (config, urls) = (self.config, self.urls);
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
        let date = s.updated.as_deref();
        let mut entries = vec![
            (format!("{}.csv", s.indicator.id), csv.clone()),
            (format!("{}.metadata.json", s.indicator.id), pretty(&self.series_metadata(json.clone(), s))),
            ("README.md".to_string(), readme::series(config, urls, city, ward, s).into_bytes()),
        ];
        self.put_apart(Output {
            path: urls::series_zip(&city.id, &ward.id, &s.indicator.id),
            bytes: archive::zip(&mut entries, date),
        });
        self.put_dated(
            Output { path: json_path.clone(), bytes: document_with_records(json, "observations", table.records()) },
            date,
        );
        self.put_dated(Output { path: csv_path.clone(), bytes: csv }, date);
        let resources = [
            json!({ "name": format!("{name}-csv"), "title": format!("{title}（CSV）"), "path": urls.absolute(&csv_path), "schema": "schemas/observations.json" }),
            json!({ "name": format!("{name}-json"), "title": format!("{title}（JSON）"), "path": urls.absolute(&json_path), JSON_SCHEMA: schema_path(urls::SERIES_JSON_SCHEMA) }),
        ];
        // The rows go on into observations.csv.
        (table.rows, resources)
    }

    /// Each report's CSV and JSON, in content order (city, ward, fiscal year), with their
    /// package resources.
    fn report_files(&self) -> Resources {
        let reports: Vec<ReportIn> = self.site.reports().collect();
        if let Some((cache, fingerprint)) = self.cache {
            let built: Vec<[Arc<str>; 2]> =
                reports.par_iter().map(|at| self.report_file_cached(*at, cache, fingerprint)).collect();
            return Resources::Printed(built.into_iter().flatten().collect());
        }
        let built: Vec<[Value; 2]> = reports.par_iter().map(|at| self.make_report_file(*at)).collect();
        Resources::Values(built.into_iter().flatten().collect())
    }

    fn report_file_cached(&self, at: ReportIn, cache: &DataCache, fingerprint: WardFingerprint) -> [Arc<str>; 2] {
        let fingerprint = fingerprint(at.city.id.as_str(), at.ward.id.as_str());
        let fy = at.report.fiscal_year;
        let key = (at.city.id.to_string(), at.ward.id.to_string(), fy.western());
        if let Some((_, resources)) = self.kept(&cache.reports, &key, fingerprint) {
            return resources;
        }
        cache.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let resources = self.printed(self.make_report_file(at));
        let paths =
            vec![urls::report_csv(&at.city.id, &at.ward.id, fy), urls::report_json(&at.city.id, &at.ward.id, fy)];
        let pieces = self.pieces_of(&paths);
        let kept = Kept {
            fingerprint,
            rows: Arc::from(&[][..]),
            resources: resources.clone(),
            sizes: self.sizes_of(paths),
            pieces,
        };
        cache.reports.lock().expect("no panics while holding it").insert(key, kept);
        resources
    }

    fn make_report_file(&self, at: ReportIn) -> [Value; 2] {
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
        let date = report.updated.as_deref();
        self.put_dated(
            Output { path: json_path.clone(), bytes: document_with_records(json, "records", table.records()) },
            date,
        );
        self.put_dated(Output { path: csv_path.clone(), bytes: table.csv() }, date);
        [
            json!({ "name": format!("{name}-csv"), "title": format!("{title}（CSV）"), "path": urls.absolute(&csv_path), "schema": "schemas/report.json" }),
            json!({ "name": format!("{name}-json"), "title": format!("{title}（JSON）"), "path": urls.absolute(&json_path), JSON_SCHEMA: schema_path(urls::REPORT_JSON_SCHEMA) }),
        ]
    }

    /// `datapackage.json`: every file made so far, with its size, and the package's metadata.
    fn package(&self, obs_schema: &Value, resources: Resources) -> Value {
        let (config, urls) = (self.config, self.urls);
        let sizes_so_far = self.sizes.lock().expect("no panics while holding it").clone();
        let mut observations = json!({
            "name": "observations",
            "title": "すべての指標の値（1行に1つの値と掲載箇所）",
            "description": format!("全市・全区・全年度の指標の値。1行は、1つの値（指標・区・年度）とそれを示している報告の箇所（目標のアウトカム、取組の業績目標）の組で、その箇所の目標・評価・達成状況を持ちます。年度をまたいで同じ指標IDでつながり、報告間の訂正を反映しています。{}", table::PANDAS_NOTE),
            "path": "observations.csv",
            "schema": obs_schema,
        });
        let mut indicators = json!({
            "name": "indicators",
            "title": "指標の一覧（ID・名前・単位・対象年度・URL）",
            "description": "全市・全区の指標ごとに1件：指標ID、名前、単位、望ましい方向、区の指標か全市共通の指標か、値のある年度、ページ・CSV・JSON・ZIPのURL。IDとURLは変わりません。",
            "path": "indicators.json",
            JSON_SCHEMA: schema_path(urls::INDICATORS_JSON_SCHEMA),
        });
        finish_resource(config, &mut observations, &sizes_so_far);
        finish_resource(config, &mut indicators, &sizes_so_far);
        let (all, printed) = match resources {
            Resources::Values(resources) => {
                let mut all = vec![observations, indicators];
                for mut r in resources {
                    finish_resource(config, &mut r, &sizes_so_far);
                    all.push(r);
                }
                (all, None)
            }
            Resources::Printed(printed) => {
                let first = [print_resource(&observations), print_resource(&indicators)];
                (Vec::new(), Some((first, printed)))
            }
        };
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
        let bytes = match printed {
            None => pretty(&package),
            Some((first, rest)) => {
                // The package printed with no resources, then the printed ones put in their place:
                // the same bytes as printing it whole (tested against `build`'s in src/serve).
                let text = String::from_utf8(pretty(&package)).expect("JSON is UTF-8");
                let mut list = format!("[\n    {}", first.join(",\n    "));
                for r in &rest {
                    list.push_str(",\n    ");
                    list.push_str(r);
                }
                list.push_str("\n  ]");
                text.replacen("\n  \"resources\": []", &format!("\n  \"resources\": {list}"), 1).into_bytes()
            }
        };
        // The package as a value again (with its resources, however they were printed).
        let package: Value = serde_json::from_slice(&bytes).expect("the package is JSON");
        self.put_apart(Output { path: urls::DATAPACKAGE.into(), bytes });
        package
    }
}

impl Files<'_> {
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
    /// copy of the data package whose paths are relative to the archive (valid offline). Each
    /// file was compressed where it was made; here the entries are only put in order.
    fn archive(&self, package: &Value) {
        let mut pieces = std::mem::take(&mut *self.pieces.lock().expect("no panics while holding it"));
        let base = &self.config.base_url;
        let mut offline = package.clone();
        for r in offline["resources"].as_array_mut().into_iter().flatten() {
            let path = r["path"].as_str().unwrap_or_default();
            let local = path.strip_prefix(base.as_str()).map_or_else(|| format!("data/{path}"), str::to_string);
            r["path"] = json!(local);
            for key in ["schema", JSON_SCHEMA] {
                if let Some(schema) = r[key].as_str() {
                    r[key] = json!(format!("data/{schema}"));
                }
            }
        }
        let newest = self.site.reports().filter_map(|at| at.report.updated.as_deref()).max();
        let paths: Vec<&str> = pieces.iter().map(|p| p.path.as_str()).collect();
        let readme = readme::all(self.config, self.urls, self.site, self.linked, &paths);
        pieces.push(archive::piece("datapackage.json", &pretty(&offline), newest));
        pieces.push(archive::piece("README.md", readme.as_bytes(), newest));
        self.put_apart(Output { path: urls::ALL_DATA_ZIP.into(), bytes: archive::join(&mut pieces) });
    }
}

/// The property of a JSON resource of datapackage.json that names its JSON Schema (a path
/// relative to the package). Neither Data Package v2 nor frictionless-py 5 defines one (the
/// latter plans `jsonSchema` for it): a custom property, which the spec allows.
pub const JSON_SCHEMA: &str = "jsonSchema";

/// A path of the site under `data/` as a path relative to the package.
fn schema_path(path: &str) -> &str {
    path.strip_prefix("data/").expect("schemas are under data/")
}

/// A resource of datapackage.json completed from its path: profile, format, media type,
/// encoding, size (of a file made), CSV dialect.
fn finish_resource(config: &SiteConfig, r: &mut Value, sizes: &BTreeMap<String, usize>) {
    let path = r["path"].as_str().unwrap_or_default().to_string();
    let site_path = path.strip_prefix(&config.base_url).map_or_else(|| format!("data/{path}"), str::to_string);
    let (format, mediatype) = downloads::format_of(&path);
    let csv = format == "CSV";
    r["profile"] = json!(if csv { "tabular-data-resource" } else { "data-resource" });
    r["format"] = json!(format.to_lowercase());
    r["mediatype"] = json!(mediatype);
    r["encoding"] = json!(if csv { "utf-8-sig" } else { "utf-8" });
    if let Some(bytes) = sizes.get(&site_path) {
        r["bytes"] = json!(bytes);
    }
    if csv {
        r["dialect"] = json!({ "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true });
    }
}

/// A resource as datapackage.json prints it in its list (pretty, indented one level more).
fn print_resource(r: &Value) -> String {
    let text = serde_json::to_string_pretty(r).expect("JSON values always serialise");
    text.replace('\n', "\n    ")
}

/// What the site promises about its ids and addresses (indicators.json, the method page,
/// docs/urls.md).
pub const ID_PROMISE: &str = "指標・目標・取組のIDと、ページ・データファイルのURLは変わりません。年度が加わっても同じURLのまま値が増え、指標のIDが変わったときは以前のURLから新しいURLへ案内します。";

/// 「大阪市北区 保育所待機児童数の推移」, the ward named once: 「大阪市北区の魅力が…の推移」 for an
/// indicator whose name starts with the ward's.
pub fn series_title(city: &City, ward: &Ward, name: &str) -> String {
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
