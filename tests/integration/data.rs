//! Data for journalists: the downloads read back and compared with content (round trip),
//! the Data Package checked against the files it lists, the feed dated from content only,
//! the sitemap, JSON-LD and embed pages checked against the outputs.

use mieruka::data;
use mieruka::data::columns::{OBSERVATION_FIELDS, REPORT_FIELDS};
use mieruka::data::table::{BOM, Field};
use mieruka::model::quantity::Measured;
use mieruka::urls;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Every fixture site present (the series fixture is checked as soon as it exists).
fn fixtures() -> Vec<PathBuf> {
    ["minimal", "series"].iter().map(|n| fixture(n)).filter(|p| p.join("site.toml").is_file()).collect()
}

struct Site {
    root: PathBuf,
    base: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    fn render(root: &Path, base_url: Option<&str>) -> Site {
        let outputs =
            mieruka::render_site(root, base_url).unwrap_or_else(|e| panic!("{} does not build:\n{e}", root.display()));
        let mut config = mieruka::config::SiteConfig::load(root).unwrap();
        if let Some(u) = base_url {
            config.set_base_url(u).unwrap();
        }
        Site {
            root: root.to_path_buf(),
            base: config.base_url,
            files: outputs.into_iter().map(|o| (o.path, o.bytes)).collect(),
        }
    }
    fn bytes(&self, path: &str) -> &[u8] {
        self.files.get(path).unwrap_or_else(|| panic!("{}: no output {path}", self.root.display()))
    }
    fn text(&self, path: &str) -> String {
        String::from_utf8(self.bytes(path).to_vec()).unwrap()
    }
    fn json(&self, path: &str) -> Value {
        serde_json::from_slice(self.bytes(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
    /// The output file an absolute URL of this site maps to.
    fn file_of_url(&self, url: &str) -> Option<String> {
        let local = url.strip_prefix(&self.base)?;
        let local = local.split('#').next().unwrap();
        Some(urls::file_of(local))
    }
    fn exists_url(&self, url: &str) -> bool {
        self.file_of_url(url).is_some_and(|f| self.files.contains_key(&f))
    }
    fn model(&self) -> (mieruka::model::Site, mieruka::link::Linked) {
        let (loaded, errors) = mieruka::load::load(&self.root);
        assert!(errors.is_empty(), "{errors}");
        let site = mieruka::model::build(&loaded, false).unwrap();
        let linked = mieruka::link::link(&site).unwrap();
        (site, linked)
    }
}

/// A CSV file: header and rows as maps, after checking the BOM.
fn read_csv(bytes: &[u8], path: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    assert!(bytes.starts_with(BOM), "{path}: no UTF-8 BOM");
    let mut r = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len(), "{path}: ragged row");
            header.iter().cloned().zip(rec.iter().map(str::to_string)).collect()
        })
        .collect();
    (header, rows)
}

fn names(fields: &[Field]) -> Vec<String> {
    fields.iter().map(|f| f.name.to_string()).collect()
}

fn find<'a>(rows: &'a [BTreeMap<String, String>], pairs: &[(&str, &str)]) -> &'a BTreeMap<String, String> {
    let found: Vec<_> = rows.iter().filter(|r| pairs.iter().all(|(k, v)| r[*k] == *v)).collect();
    assert_eq!(found.len(), 1, "rows matching {pairs:?}: {found:#?}");
    found[0]
}

#[test]
fn minimal_series_csv_round_trips_the_content_values() {
    let site = Site::render(&fixture("minimal"), None);
    let (header, rows) = read_csv(site.bytes("testshi/daiichi/indicators/jiritsu/data.csv"), "jiritsu");
    assert_eq!(header, names(OBSERVATION_FIELDS));
    assert_eq!(rows.len(), 2);
    // 「８１％」 this year, 「86.0%」 in the 前年度 column.
    let now = find(&rows, &[("fiscal_year", "2016")]);
    assert_eq!(now["value"], "81");
    assert_eq!(now["value"].parse::<f64>().unwrap(), 81.0);
    assert_eq!(now["unit"], "％");
    assert_eq!(now["era_label"], "平成28年度");
    assert_eq!(now["rating"], "A");
    assert_eq!(now["rating_meaning"], "順調");
    assert_eq!(
        (now["survey_asked"].as_str(), now["survey_answered"].as_str(), now["survey_response_rate"].as_str()),
        ("2000", "715", "35.8")
    );
    assert_eq!(
        (now["target_value"].as_str(), now["comparator"].as_str(), now["deadline_fiscal_year"].as_str()),
        ("50", "at_least", "2017")
    );
    assert_eq!(now["local_gov_code"], "271004");
    assert_eq!(now["city_name"], "テスト市");
    assert_eq!(now["ward_name"], "第一区");
    assert_eq!(now["note"], "", "no note on this year's own value");
    let before = find(&rows, &[("fiscal_year", "2015")]);
    assert_eq!(before["value"].parse::<f64>().unwrap(), 86.0);
    assert_eq!(before["era_label"], "平成27年度");
    assert_eq!(before["rating"], "", "the 前年度 column has no rating: empty, not a made-up value");
    assert!(before["note"].contains("「前年度」欄"), "{}", before["note"]);
    for r in &rows {
        assert!(site.exists_url(&r["page_url"]), "{}", r["page_url"]);
        assert!(
            r["page_url"].starts_with("http://127.0.0.1:8357/testshi/daiichi/indicators/jiritsu/#fy"),
            "{}",
            r["page_url"]
        );
        assert!(site.exists_url(&r["report_url"]), "{}", r["report_url"]);
    }

    // 3名, lower is better, target zero.
    let (_, rows) = read_csv(site.bytes("testshi/daiichi/indicators/taiki-jido/data.csv"), "taiki-jido");
    let now = find(&rows, &[("fiscal_year", "2016")]);
    assert_eq!((now["value"].as_str(), now["unit"].as_str(), now["direction"].as_str()), ("3", "名", "lower"));
    assert_eq!((now["comparator"].as_str(), now["target_value"].as_str()), ("zero", "0"));
    assert_eq!(find(&rows, &[("fiscal_year", "2015")])["value"], "14");

    // 「2,750人」: no thousands separator in the number, the printed form beside it.
    let (_, rows) = read_csv(site.bytes("testshi/daiichi/indicators/bosai-sanka/data.csv"), "bosai-sanka");
    let now = find(&rows, &[("fiscal_year", "2016")]);
    assert_eq!((now["value"].as_str(), now["value_text"].as_str(), now["unit"].as_str()), ("2750", "2,750人", "人"));
    assert_eq!(now["comparator"], "increase_on_previous");
    assert_eq!(now["target_value"], "", "a relative target has no number");
    assert_eq!(find(&rows, &[("fiscal_year", "2015")])["value"], "2700");
}

#[test]
fn minimal_series_json_matches_the_csv() {
    let site = Site::render(&fixture("minimal"), None);
    let json = site.json("testshi/daiichi/indicators/taiki-jido/data.json");
    assert_eq!(json["indicator"]["unit"], "名");
    assert_eq!(json["indicator"]["direction"], "lower");
    assert_eq!(json["city"]["local_gov_code"], "271004");
    assert_eq!(json["updated"], "2017-06-30");
    let obs = json["observations"].as_array().unwrap();
    let now = obs.iter().find(|o| o["fiscal_year"] == 2016).unwrap();
    assert_eq!(now["value"].as_f64(), Some(3.0));
    assert_eq!(now["rating"], "B");
    assert_eq!(now["survey_asked"], Value::Null, "absent is null, never 0");
    assert!(site.exists_url(json["page_url"].as_str().unwrap()));
    assert!(site.exists_url(json["csv_url"].as_str().unwrap()));
    let jiritsu = site.json("testshi/daiichi/indicators/jiritsu/data.json");
    let before = jiritsu["observations"].as_array().unwrap().iter().find(|o| o["fiscal_year"] == 2015).unwrap();
    assert_eq!(before["value"].as_f64(), Some(86.0));
    // Same keys as the CSV header.
    let keys: BTreeSet<String> = before.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, names(OBSERVATION_FIELDS).into_iter().collect::<BTreeSet<String>>());
}

#[test]
fn minimal_report_csv_has_goals_initiatives_and_codes_with_meanings() {
    let site = Site::render(&fixture("minimal"), None);
    let (header, rows) = read_csv(site.bytes("testshi/daiichi/2016/data.csv"), "report");
    assert_eq!(header, names(REPORT_FIELDS));
    let now = find(&rows, &[("indicator_id", "jiritsu"), ("value_column", "this_year")]);
    assert_eq!((now["record_type"].as_str(), now["goal_id"].as_str()), ("outcome", "1-1"));
    assert_eq!((now["goal_outcome_rating"].as_str(), now["goal_outcome_rating_meaning"].as_str()), ("A", "順調"));
    assert_eq!((now["strategy_progress"].as_str(), now["strategy_progress_meaning"].as_str()), ("a", "順調"));
    assert_eq!(
        (now["strategy_effectiveness"].as_str(), now["strategy_effectiveness_meaning"].as_str()),
        ("ア", "有効であり、継続して推進")
    );
    assert_eq!(now["strategy_revised"], "true");
    assert_eq!(
        (now["value"].as_str(), now["fiscal_year"].as_str(), now["report_fiscal_year"].as_str()),
        ("81", "2016", "2016")
    );
    let prev = find(&rows, &[("indicator_id", "jiritsu"), ("value_column", "previous_year")]);
    assert_eq!((prev["value"].parse::<f64>().unwrap(), prev["fiscal_year"].as_str()), (86.0, "2015"));
    let waiting = find(&rows, &[("indicator_id", "taiki-jido"), ("value_column", "this_year")]);
    assert_eq!(
        (
            waiting["value"].as_str(),
            waiting["unit"].as_str(),
            waiting["direction"].as_str(),
            waiting["rating"].as_str()
        ),
        ("3", "名", "lower", "B")
    );
    let init = find(&rows, &[("indicator_id", "bosai-sanka"), ("value_column", "this_year")]);
    assert_eq!(
        (init["record_type"].as_str(), init["initiative_id"].as_str(), init["goal_id"].as_str()),
        ("initiative_indicator", "1-1-1", "1-1")
    );
    assert_eq!(
        (init["achievement_code"].as_str(), init["achievement_meaning"].as_str()),
        ("①(ⅰ)", "目標達成・取組は予定どおり実施")
    );
    assert_eq!(
        (init["initiative_effectiveness"].as_str(), init["initiative_effectiveness_meaning"].as_str()),
        ("○", "有効")
    );
    assert_eq!(
        (init["withdrawal_comparator"].as_str(), init["withdrawal_value"].as_str()),
        ("below_share_of_previous", "80")
    );
    assert_eq!(init["value"], "2750");
    for r in &rows {
        assert!(site.exists_url(&r["page_url"]), "{}", r["page_url"]);
        assert!(site.exists_url(&r["series_url"]), "{}", r["series_url"]);
    }
    // The fragment of an outcome row exists on the report page.
    let report = site.text("testshi/daiichi/2016/index.html");
    assert!(report.contains(r#"id="goal-1-1-jiritsu""#));
    let json = site.json("testshi/daiichi/2016/data.json");
    assert_eq!(json["records"].as_array().unwrap().len(), rows.len());
    assert_eq!(json["fiscal_year"], 2016);
    assert_eq!(json["era_label"], "平成28年度");
}

/// The real site of this repository (Kita ward's FY2016 report).
fn real() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture site, and the real site.
fn sites() -> Vec<PathBuf> {
    let mut all = fixtures();
    all.push(real());
    all
}

/// The rows of `rows` whose cells equal `pairs`.
fn all<'a>(rows: &'a [BTreeMap<String, String>], pairs: &[(&str, &str)]) -> Vec<&'a BTreeMap<String, String>> {
    rows.iter().filter(|r| pairs.iter().all(|(k, v)| r[*k] == *v)).collect()
}

/// Every observation of every series is in observations.csv once for each place of the report
/// that gives it (a goal's outcome, an initiative's indicator), with the same value.
#[test]
fn observations_csv_holds_every_observation_at_every_place() {
    for root in sites() {
        let site = Site::render(&root, None);
        let (header, rows) = read_csv(site.bytes(urls::OBSERVATIONS_CSV), "observations");
        assert_eq!(header, names(OBSERVATION_FIELDS));
        let (model, linked) = site.model();
        let places: usize = linked.series.values().flat_map(|s| &s.points).map(|p| p.places.len()).sum();
        assert_eq!(rows.len(), places, "{}", root.display());
        let mut keys = BTreeSet::new();
        for s in linked.series.values() {
            let city = model.cities.iter().find(|c| c.id == s.city).unwrap();
            for p in &s.points {
                assert!(
                    !p.places.is_empty() && p.places[0] == p.row,
                    "{} {}: the point's row is its first place",
                    s.indicator.id,
                    p.year
                );
                let fy = p.year.western().to_string();
                for place in &p.places {
                    let (place, goal, initiative) = match place {
                        mieruka::link::Row::Goal { goal, .. } => (format!("goal-{goal}"), Some(goal.to_string()), None),
                        mieruka::link::Row::Initiative { initiative, .. } => {
                            (format!("initiative-{initiative}"), None, Some(initiative.to_string()))
                        }
                    };
                    let row = find(
                        &rows,
                        &[
                            ("city", &s.city),
                            ("ward", &s.ward),
                            ("indicator_id", &s.indicator.id),
                            ("fiscal_year", &fy),
                            ("place", &place),
                        ],
                    );
                    match &p.value {
                        Some(Measured::Value(q)) => {
                            assert_eq!(row["value"], q.plain());
                            assert!((row["value"].parse::<f64>().unwrap() - q.value).abs() < 1e-9);
                        }
                        Some(Measured::NotReported) => {
                            assert_eq!(row["value"], "", "「―」 is an empty cell");
                            assert_eq!(row["value_text"], "―");
                        }
                        Some(Measured::Text(t)) => assert_eq!((row["value"].as_str(), &row["value_text"]), ("", t)),
                        None => assert_eq!((row["value"].as_str(), row["value_text"].as_str()), ("", "記載なし")),
                        Some(Measured::Unfilled) => panic!("a published series holds a value not filled in"),
                    }
                    if let Some(g) = goal {
                        assert_eq!((row["record_type"].as_str(), &row["goal_id"]), ("outcome", &g));
                    }
                    if let Some(i) = initiative {
                        assert_eq!((row["record_type"].as_str(), &row["initiative_id"]), ("initiative_indicator", &i));
                    }
                    let column = if p.from_previous_column { "previous_year" } else { "this_year" };
                    assert_eq!(row["value_column"], column);
                    assert_eq!(row["report_fiscal_year"], p.reported_in.western().to_string());
                    assert_eq!(row["unit"], s.indicator.unit.as_str());
                    assert_eq!(row["local_gov_code"], city.code.as_str());
                    assert_eq!(row["era_label"], p.year.era_label());
                    if let Some(b) = &p.break_before {
                        assert!(row["note"].contains(b.as_str()), "the break is in the note: {}", row["note"]);
                    }
                    if let Some(c) = &p.correction {
                        assert!(row["note"].contains(c.as_str()), "the correction is in the note: {}", row["note"]);
                    }
                    assert!(site.exists_url(&row["page_url"]), "{}", row["page_url"]);
                    assert!(site.exists_url(&row["series_url"]), "{}", row["series_url"]);
                    assert!(keys.insert((s.city.clone(), s.ward.clone(), s.indicator.id.clone(), fy.clone(), place)));
                }
            }
        }
        assert_eq!(keys.len(), rows.len(), "the primary key is unique");
    }
}

/// The Table Schema of a CSV resource (inline, or a path relative to the package).
fn schema_of(site: &Site, resource: &Value) -> Value {
    match &resource["schema"] {
        Value::String(p) => site.json(&format!("data/{p}")),
        inline => inline.clone(),
    }
}

fn field_names(schema: &Value) -> Vec<String> {
    schema["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_string()).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

/// A CSV resource's schema and rows.
type Table = (Value, Vec<BTreeMap<String, String>>);

/// One CSV resource of the package read against its schema: header, types, codes, primary key.
fn checked_table(site: &Site, name: &str, r: &Value, bytes: &[u8], file: &str) -> Table {
    assert_eq!(r["profile"], "tabular-data-resource", "{name}");
    assert_eq!(r["mediatype"], "text/csv");
    assert_eq!(r["encoding"], "utf-8-sig");
    let (header, rows) = read_csv(bytes, file);
    let schema = schema_of(site, r);
    assert_eq!(field_names(&schema), header, "{name}: schema fields and CSV header");
    for f in schema["fields"].as_array().unwrap() {
        assert!(["string", "number", "integer", "year", "boolean"].contains(&f["type"].as_str().unwrap()), "{f}");
        assert!(!f["title"].as_str().unwrap().is_empty() && !f["description"].as_str().unwrap().is_empty(), "{f}");
        let field = f["name"].as_str().unwrap();
        if field.ends_with("_code") || field.ends_with("_id") {
            assert_eq!(f["type"], "string", "{name}: codes and ids are text (a leading zero stays)");
        }
        let codes = strings(&f["constraints"]["enum"]);
        let is_code = [
            "rating",
            "direction",
            "comparator",
            "record_type",
            "value_column",
            "achievement_code",
            "goal_outcome_rating",
            "strategy_progress",
            "strategy_effectiveness",
            "initiative_effectiveness",
            "withdrawal_comparator",
        ]
        .contains(&field);
        assert!(!is_code || !codes.is_empty(), "{name}: {field} lists its codes");
        for row in rows.iter().filter(|row| !row[field].is_empty() && !codes.is_empty()) {
            assert!(codes.contains(&row[field]), "{name}: {field} = {} is not one of {codes:?}", row[field]);
        }
    }
    assert_eq!(
        schema["fields"].as_array().unwrap().iter().find(|f| f["name"] == "local_gov_code").unwrap()["constraints"]["pattern"],
        "^[0-9]{6}$"
    );
    // The primary key: existing fields, filled and unique.
    let key = strings(&schema["primaryKey"]);
    assert!(!key.is_empty(), "{name}: a primary key");
    let mut seen = BTreeSet::new();
    for row in &rows {
        let cells: Vec<&String> = key.iter().map(|k| &row[k]).collect();
        assert!(cells.iter().all(|c| !c.is_empty()), "{name}: an empty key cell in {row:?}");
        assert!(seen.insert(cells), "{name}: duplicate key {row:?}");
    }
    (schema, rows)
}

/// Checks the foreign keys of every table (their fields, and every value found in the
/// referenced table); the number of rows checked.
fn foreign_keys_hold(tables: &BTreeMap<String, Table>) -> usize {
    let mut checked = 0;
    for (name, (schema, rows)) in tables {
        for fk in schema["foreignKeys"].as_array().into_iter().flatten() {
            let fields = strings(&fk["fields"]);
            let (target, reference) =
                (fk["reference"]["resource"].as_str().unwrap(), strings(&fk["reference"]["fields"]));
            let (target_schema, target_rows) = &tables[target];
            assert!(fields.iter().all(|f| field_names(schema).contains(f)), "{name}: {fields:?}");
            assert!(reference.iter().all(|f| field_names(target_schema).contains(f)), "{target}: {reference:?}");
            let known: BTreeSet<Vec<&String>> =
                target_rows.iter().map(|r| reference.iter().map(|k| &r[k]).collect()).collect();
            for row in rows {
                let cells: Vec<&String> = fields.iter().map(|k| &row[k]).collect();
                if cells.iter().all(|c| c.is_empty()) {
                    continue;
                }
                assert!(known.contains(&cells), "{name}: {fields:?} = {cells:?} is not in {target}");
                checked += 1;
            }
        }
    }
    checked
}

/// Our own reading of the package (frictionless-py checks it too: tests/frictionless/run.sh,
/// run by tests/all.sh): a data package (its JSON files are not tables) whose CSV resources are
/// tabular data resources; each CSV's header is its schema's fields; code columns list their
/// codes and hold only those; keys name existing fields, primary keys are unique and filled,
/// and every value row of a report is an observation of observations.csv.
#[test]
fn datapackage_lists_every_data_file_with_a_matching_schema() {
    for root in sites() {
        let site = Site::render(&root, None);
        let package = site.json(urls::DATAPACKAGE);
        assert_eq!(package["profile"], "data-package", "JSON resources are not tabular: not a tabular-data-package");
        let resources = package["resources"].as_array().unwrap();
        let by_name: BTreeMap<&str, &Value> = resources.iter().map(|r| (r["name"].as_str().unwrap(), r)).collect();
        assert_eq!(by_name.len(), resources.len(), "resource names are unique");
        let mut listed = BTreeSet::new();
        // (resource, its rows) of every CSV resource, for the keys.
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        for r in resources {
            let name = r["name"].as_str().unwrap();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c)), "{name}");
            let path = r["path"].as_str().unwrap();
            assert!(!path.contains(".."), "{path}");
            let file = site.file_of_url(path).unwrap_or_else(|| format!("data/{path}"));
            let bytes = site.files.get(&file).unwrap_or_else(|| panic!("resource {name}: {path} is not an output"));
            assert_eq!(r["bytes"].as_u64(), Some(bytes.len() as u64), "{name}: bytes");
            listed.insert(file.clone());
            match r["format"].as_str().unwrap() {
                "csv" => {
                    tables.insert(name.to_string(), checked_table(&site, name, r, bytes, &file));
                }
                "json" => {
                    assert_eq!(r["profile"], "data-resource", "{name}");
                    assert_eq!(r["mediatype"], "application/json");
                    serde_json::from_slice::<Value>(bytes).unwrap();
                    // Checked against it by json_resources_match_their_json_schemas.
                    let schema = r["jsonSchema"].as_str().unwrap_or_else(|| panic!("{name}: no jsonSchema"));
                    assert!(site.files.contains_key(&format!("data/{schema}")), "{name}: {schema} is not an output");
                }
                other => panic!("{name}: format {other}"),
            }
        }
        let checked = foreign_keys_hold(&tables);
        let report_values: usize = tables
            .iter()
            .filter(|(n, _)| n.starts_with("report-"))
            .flat_map(|(_, (_, rows))| rows)
            .filter(|r| !r["value_column"].is_empty())
            .count();
        assert_eq!(checked, report_values, "{}: every value row of a report refers to an observation", root.display());
        // Every data file is listed (schemas and the package itself are metadata).
        for path in site
            .files
            .keys()
            .filter(|p| p.ends_with("data.csv") || p.ends_with("data.json") || p.as_str() == urls::OBSERVATIONS_CSV)
        {
            assert!(listed.contains(path), "{path} is not in the data package");
        }
    }
}

/// The JSON Schema a JSON resource of the package names (a path relative to the package), as a
/// validator (draft 2020-12, formats checked too), after checking it against its meta-schema.
fn json_schema_validator(site: &Site, path: &str) -> jsonschema::Validator {
    let schema = site.json(&format!("data/{path}"));
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{path}");
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("{path} is not a valid JSON Schema: {e} at {}", e.instance_path());
    }
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What `validator` finds wrong in `doc` (empty when it matches).
fn schema_errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator.iter_errors(doc).take(10).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// Every JSON resource of the package (indicators.json, each series' and each report's
/// data.json) names a JSON Schema published with the site, and matches it by a real validator
/// (the `jsonschema` crate, not our own reader). The schemas are exact: a document changed
/// from what the build writes (a key missing or added, a wrong type, a code outside its list,
/// an empty key cell, a date in another form) is rejected.
#[test]
fn json_resources_match_their_json_schemas() {
    for root in sites() {
        let site = Site::render(&root, None);
        let package = site.json(urls::DATAPACKAGE);
        let mut validators: BTreeMap<String, jsonschema::Validator> = BTreeMap::new();
        // A document of each schema, to alter.
        let mut examples: BTreeMap<String, Value> = BTreeMap::new();
        for r in package["resources"].as_array().unwrap().iter().filter(|r| r["format"] == "json") {
            let name = r["name"].as_str().unwrap();
            let schema = r["jsonSchema"].as_str().unwrap_or_else(|| panic!("{name}: no jsonSchema"));
            let validator =
                validators.entry(schema.to_string()).or_insert_with(|| json_schema_validator(&site, schema));
            let path = r["path"].as_str().unwrap();
            let file = site.file_of_url(path).unwrap_or_else(|| format!("data/{path}"));
            let doc = site.json(&file);
            let errors = schema_errors(validator, &doc);
            assert!(errors.is_empty(), "{name}: {file} does not match {schema}:\n{}", errors.join("\n"));
            let rows = ["observations", "records", "indicators"].iter().find_map(|k| doc[*k].as_array());
            if rows.is_some_and(|rows| !rows.is_empty()) {
                examples.entry(schema.to_string()).or_insert(doc);
            }
        }
        let schemas: Vec<&str> = validators.keys().map(String::as_str).collect();
        assert_eq!(
            schemas,
            ["schemas/indicators.schema.json", "schemas/report.schema.json", "schemas/series.schema.json"],
            "{}: one schema per kind of JSON file",
            root.display()
        );
        // Altered documents are rejected.
        type Edit = fn(&mut Value);
        let common: [(&str, Edit); 3] = [
            ("the title removed", |d| drop(d.as_object_mut().unwrap().remove("title"))),
            ("a key added", |d| d["extra"] = Value::Bool(true)),
            ("a licence without its url", |d| d["licence"] = serde_json::json!({ "name": "x", "id": null })),
        ];
        let series: [(&str, Edit); 10] = [
            ("a local_gov_code of 5 digits", |d| d["city"]["local_gov_code"] = "27100".into()),
            ("a ward without its name", |d| drop(d["ward"].as_object_mut().unwrap().remove("name"))),
            ("a value as text", |d| d["observations"][0]["value"] = "81".into()),
            ("a rating outside its codes", |d| d["observations"][0]["rating"] = "C".into()),
            ("an empty key cell", |d| d["observations"][0]["city"] = Value::Null),
            ("a row without its note", |d| drop(d["observations"][0].as_object_mut().unwrap().remove("note"))),
            ("a row with a key added", |d| d["observations"][0]["extra"] = 1.into()),
            ("a status with another's label", |d| {
                d["assessment"] = serde_json::json!({ "status": "achieved", "label": "悪化" });
            }),
            ("a direction outside its codes", |d| d["indicator"]["direction"] = "up".into()),
            ("a date in another form", |d| d["updated"] = "2017/06/30".into()),
        ];
        let report: [(&str, Edit); 6] = [
            ("a city id in capitals", |d| d["city"]["id"] = "Osaka".into()),
            ("a source without its title", |d| {
                d["source"] = serde_json::json!({ "url": null, "file": null, "published": null });
            }),
            ("a record type outside its codes", |d| d["records"][0]["record_type"] = "other".into()),
            ("the fiscal year as text", |d| d["fiscal_year"] = "2016".into()),
            ("a place not matching its pattern", |d| d["records"][0]["place"] = "outcome-1".into()),
            ("another Table Schema", |d| d["schema"] = "https://example.com/schema.json".into()),
        ];
        let indicators: [(&str, Edit); 5] = [
            ("a local_gov_code as a number", |d| d["indicators"][0]["city"]["local_gov_code"] = 271_004.into()),
            ("an entry without its zip_url", |d| drop(d["indicators"][0].as_object_mut().unwrap().remove("zip_url"))),
            ("a scope outside its codes", |d| d["indicators"][0]["scope"] = "national".into()),
            ("a year as text", |d| d["indicators"][0]["years"] = serde_json::json!(["2016"])),
            ("another promise", |d| d["promise"] = "IDは変わることがあります。".into()),
        ];
        let edits: [(&str, &[(&str, Edit)]); 3] = [
            ("schemas/series.schema.json", &series),
            ("schemas/report.schema.json", &report),
            ("schemas/indicators.schema.json", &indicators),
        ];
        for (schema, own) in edits {
            let doc =
                examples.get(schema).unwrap_or_else(|| panic!("{}: no {schema} document with rows", root.display()));
            for (what, edit) in common.iter().chain(own) {
                let mut altered = doc.clone();
                edit(&mut altered);
                assert_ne!(&altered, doc, "{schema}: {what} changes the document");
                assert!(!validators[schema].is_valid(&altered), "{}: {schema} accepts {what}", root.display());
            }
        }
    }
}

/// A row the report gives with a rating, a note or a printed text but no number is still an
/// observation, in every file and on the series page: the FY2016 result of
/// 「小地域福祉プランシンポジウム」… (「4地域中3地域」, rated Ａ).
#[test]
fn an_observation_without_a_number_is_still_an_observation() {
    let site = Site::render(&real(), None);
    let series = "osaka/kita/indicators/kita-shochiiki-fukushi-jissen/";
    let (_, obs) = read_csv(site.bytes(urls::OBSERVATIONS_CSV), "observations");
    let (_, own) = read_csv(site.bytes(&format!("{series}data.csv")), "series");
    for rows in [&obs, &own] {
        let r = find(rows, &[("indicator_id", "kita-shochiiki-fukushi-jissen"), ("fiscal_year", "2016")]);
        assert_eq!(
            (r["value"].as_str(), r["value_text"].as_str(), r["rating"].as_str(), r["goal_id"].as_str()),
            ("", "4地域中3地域", "A", "2-4")
        );
    }
    let json = site.json(&format!("{series}data.json"));
    let o =
        json["observations"].as_array().unwrap().iter().find(|o| o["fiscal_year"] == 2016).expect("FY2016 in the JSON");
    assert_eq!((o["value"].clone(), o["value_text"].as_str()), (Value::Null, Some("4地域中3地域")));
    let page = site.text(&format!("{series}index.html"));
    let row = &page[page.find(r#"<tr id="fy2016">"#).expect("a FY2016 row")..];
    assert!(row[..row.find("</tr>").unwrap()].contains("4地域中3地域"));
    let ward = site.text("osaka/kita/index.html");
    let item = &ward[ward.find(&format!("/{series}\"")).unwrap()..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(item.contains(r#"<dd class="number">4地域中3地域</dd>"#), "not 「最新 ―」: {item}");

    // A row with a rating and no value at all: an observation with value_text 「記載なし」.
    let tmp = minimal_copy();
    let report = tmp.path().join("content/testshi/daiichi/2016/report.toml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replace("value = \"3名\"\n", "")).unwrap();
    let site = Site::render(tmp.path(), None);
    let (_, rows) = read_csv(site.bytes("testshi/daiichi/indicators/taiki-jido/data.csv"), "taiki-jido");
    let now = find(&rows, &[("fiscal_year", "2016")]);
    assert_eq!((now["value"].as_str(), now["value_text"].as_str(), now["rating"].as_str()), ("", "記載なし", "B"));
    let page = site.text("testshi/daiichi/indicators/taiki-jido/index.html");
    assert!(page.contains(r#"<tr id="fy2016">"#) && page.contains("記載なし"));
}

/// Each observation row carries the target, codes and ids of its own place: a goal's outcome
/// and an initiative's indicator may state different targets for the same value.
#[test]
fn each_place_of_an_observation_has_its_own_target_and_codes() {
    let site = Site::render(&real(), None);
    let (_, obs) = read_csv(site.bytes(urls::OBSERVATIONS_CSV), "observations");
    let series = "osaka/kita/indicators/kita-shochiiki-fukushi-keikaku-sakutei/";
    let (_, own) = read_csv(site.bytes(&format!("{series}data.csv")), "series");
    for rows in [&obs, &own] {
        let sakutei = all(rows, &[("indicator_id", "kita-shochiiki-fukushi-keikaku-sakutei"), ("fiscal_year", "2016")]);
        assert_eq!(sakutei.len(), 2, "a goal's outcome and an initiative's indicator");
        let goal = find(
            rows,
            &[
                ("indicator_id", "kita-shochiiki-fukushi-keikaku-sakutei"),
                ("fiscal_year", "2016"),
                ("place", "goal-2-4"),
            ],
        );
        assert_eq!(
            (goal["record_type"].as_str(), goal["target_text"].as_str(), goal["rating"].as_str()),
            ("outcome", "", "A")
        );
        let init = find(
            rows,
            &[
                ("indicator_id", "kita-shochiiki-fukushi-keikaku-sakutei"),
                ("fiscal_year", "2016"),
                ("place", "initiative-2-4-1"),
            ],
        );
        assert_eq!(
            (
                init["initiative_id"].as_str(),
                init["goal_id"].as_str(),
                init["target_value"].as_str(),
                init["comparator"].as_str()
            ),
            ("2-4-1", "2-4", "10", "at_least")
        );
        assert_eq!(init["target_text"], "区内10地域以上で「小地域福祉活動計画」を策定する。");
        assert_eq!(
            (init["achievement_code"].as_str(), init["achievement_meaning"].as_str()),
            ("①(ⅰ)", "目標達成・取組は予定どおり実施")
        );
        assert_eq!(
            (init["uncertain"].as_str(), goal["uncertain"].as_str()),
            ("true", "false"),
            "each place's own flag"
        );
        assert!(init["note"].contains("読み取りに不確かさがあります："), "{}", init["note"]);
    }
    let page = site.text(&format!("{series}index.html"));
    let row = &page[page.find(r#"<tr id="fy2016">"#).unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("10地域以上"), "the series page shows the target");
    // Two targets for one value: 【2-3】 「平成29年度末までに各地域平均60件」, 【2-3-1】 「各地域平均1年間で50件以上」.
    let csw: BTreeSet<&str> = all(&obs, &[("indicator_id", "kita-csw-shien-kensu"), ("fiscal_year", "2016")])
        .iter()
        .map(|r| r["target_text"].as_str())
        .collect();
    assert_eq!(csw, BTreeSet::from(["平成29年度末までに各地域平均60件", "各地域平均1年間で50件以上"]));
}

/// The survey behind a value and the flag of an uncertain reading are in the all-years file
/// wherever the report gives them, the 前年度 column's survey too.
#[test]
fn observations_carry_the_survey_and_the_uncertain_flag() {
    let site = Site::render(&real(), None);
    let (_, obs) = read_csv(site.bytes(urls::OBSERVATIONS_CSV), "observations");
    let (_, report) = read_csv(site.bytes("osaka/kita/2016/data.csv"), "report");
    // Every value row of the report with a survey or the flag has an observation row, at its place, with the same.
    for r in report.iter().filter(|r| !r["value_column"].is_empty()) {
        let found =
            all(&obs, &[("series_url", &r["series_url"]), ("fiscal_year", &r["fiscal_year"]), ("place", &r["place"])]);
        let Some(o) = found.first() else { continue };
        for column in ["survey_name", "survey_asked", "survey_answered", "survey_response_rate", "uncertain"] {
            assert_eq!(o[column], r[column], "{} {} {}: {column}", r["indicator_id"], r["fiscal_year"], r["place"]);
        }
    }
    let before = find(&obs, &[("indicator_id", "jiritsu-chiiki-unei"), ("fiscal_year", "2015")]);
    assert_eq!(
        (before["survey_asked"].as_str(), before["survey_answered"].as_str(), before["survey_response_rate"].as_str()),
        ("1500", "553", "36.9")
    );
    let flagged = all(&obs, &[("uncertain", "true")]);
    assert!(
        flagged.len() >= 3 && flagged.iter().all(|r| r["note"].contains("読み取りに不確かさがあります：")),
        "{flagged:#?}"
    );
}

#[test]
fn pages_link_their_downloads_with_exact_sizes() {
    let site = Site::render(&fixture("minimal"), None);
    let page = site.text("testshi/daiichi/indicators/jiritsu/index.html");
    for file in ["data.csv", "data.json"] {
        let path = format!("testshi/daiichi/indicators/jiritsu/{file}");
        let format = if file.ends_with("csv") { "CSV" } else { "JSON" };
        let link = format!(
            r#"<a href="/{path}" type="{}">{format}形式（{}）</a>"#,
            if format == "CSV" { "text/csv" } else { "application/json" },
            data::size_label(site.bytes(&path).len())
        );
        assert!(page.contains(&link), "no {link}");
    }
    let report = site.text("testshi/daiichi/2016/index.html");
    let size = data::size_label(site.bytes("testshi/daiichi/2016/data.csv").len());
    assert!(report.contains(&format!("CSV形式（{size}）")), "report page: CSV形式（{size}）");
    // Site-wide files in every page's footer.
    let home = site.text("index.html");
    assert!(home.contains(&format!("CSV形式（{}）", data::size_label(site.bytes(urls::OBSERVATIONS_CSV).len()))));
    assert!(home.contains(r#"href="/data/datapackage.json""#));
}

#[test]
fn citation_block_on_series_and_report_pages() {
    let site = Site::render(&fixture("minimal"), None);
    let page = site.text("testshi/daiichi/indicators/jiritsu/index.html");
    assert!(page.contains("引用の仕方"));
    assert!(page.contains(
        "http://127.0.0.1:8357/testshi/daiichi/indicators/jiritsu/（データ更新日：2017年6月30日、閲覧日：　　年　　月　　日）"
    ));
    assert!(page.contains("テスト市第一区「区政運営基本方針の成果目標の達成に向けた取組状況について（第一区）」"));
    assert!(page.contains(r#"<time datetime="2017-06-30">2017年6月30日</time>"#));
    let report = site.text("testshi/daiichi/2016/index.html");
    assert!(report.contains(r#"目標【<span class="nobr">1-1</span>】と指標の引用の仕方"#));
    assert!(report.contains("http://127.0.0.1:8357/testshi/daiichi/2016/#goal-1-1-jiritsu"), "indicator row permalink");
}

/// The JSON inside `<script type="application/ld+json">`.
fn json_ld(html: &str) -> Option<String> {
    let start = html.find(r#"<script type="application/ld+json">"#)? + r#"<script type="application/ld+json">"#.len();
    let end = start + html[start..].find("</script>").expect("closed script");
    Some(html[start..end].to_string())
}

#[test]
fn json_ld_dataset_is_valid_and_points_at_real_files() {
    for root in fixtures() {
        let site = Site::render(&root, None);
        let (model, linked) = site.model();
        for s in linked.series.values() {
            let page = urls::file_of(&urls::series(&s.city, &s.ward, &s.indicator.id));
            let raw = json_ld(&site.text(&page)).unwrap_or_else(|| panic!("{page}: no JSON-LD"));
            assert!(!raw.contains('<'), "{page}: unescaped < in JSON-LD");
            let d: Value = serde_json::from_str(&raw).unwrap();
            assert_eq!(d["@type"], "Dataset");
            assert_eq!(
                d["url"].as_str().unwrap(),
                format!("{}{}", site.base, urls::series(&s.city, &s.ward, &s.indicator.id))
            );
            assert!(
                !d["name"].as_str().unwrap().is_empty() && d["description"].as_str().unwrap().chars().count() >= 50
            );
            assert!(d["temporalCoverage"].as_str().unwrap().contains('/'));
            let dist = d["distribution"].as_array().unwrap();
            assert_eq!(dist.len(), 3, "CSV, JSON and ZIP");
            for f in dist {
                assert!(site.exists_url(f["contentUrl"].as_str().unwrap()), "{f}");
            }
            assert!(d["creator"]["name"].is_string() && d["publisher"]["name"].is_string());
        }
        let c = &model.cities[0];
        let w = &c.wards[0];
        let r = &w.reports[0];
        let d: Value = serde_json::from_str(
            &json_ld(&site.text(&urls::file_of(&urls::report(&c.id, &w.id, r.fiscal_year)))).unwrap(),
        )
        .unwrap();
        assert_eq!(d["@type"], "Dataset");
    }
}

/// A copy of the minimal fixture to alter.
fn minimal_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("minimal");
    for entry in walkdir(&src) {
        let rel = entry.strip_prefix(&src).unwrap();
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    tmp
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walkdir(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn json_ld_cannot_be_broken_out_of_by_content() {
    let tmp = minimal_copy();
    let report = tmp.path().join("content/testshi/daiichi/2016/report.toml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replace("title = \"区政運営基本方針", "title = \"</script><script>alert(1)</script><!-- 区政運営基本方針"),
    )
    .unwrap();
    let site = Site::render(tmp.path(), None);
    for path in ["testshi/daiichi/2016/index.html", "testshi/daiichi/indicators/jiritsu/index.html"] {
        let html = site.text(path);
        assert!(!html.contains("<script>alert"), "{path}");
        let raw = json_ld(&html).unwrap();
        let d: Value = serde_json::from_str(&raw).unwrap();
        assert!(
            d["description"].as_str().unwrap().contains("</script><script>alert(1)</script><!--"),
            "the text survives, escaped"
        );
    }
}

/// `<tag>` … `</tag>` contents of every element named `tag`.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open).skip(1).map(|s| s[..s.find(&close).expect("closed")].to_string()).collect()
}

#[test]
fn feed_entries_are_dated_from_content() {
    for root in fixtures() {
        let site = Site::render(&root, None);
        let (model, _) = site.model();
        let feed = site.text("feed.xml");
        assert!(feed.starts_with("<?xml") && feed.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom""#));
        let mut dated: BTreeMap<String, String> = BTreeMap::new();
        for c in &model.cities {
            for w in &c.wards {
                for r in &w.reports {
                    if let Some(d) = &r.updated {
                        dated.insert(format!("{}{}", site.base, urls::report(&c.id, &w.id, r.fiscal_year)), d.clone());
                    }
                }
            }
        }
        let entries = elements(&feed, "entry");
        assert_eq!(entries.len(), dated.len(), "one entry per dated report");
        for e in &entries {
            let id = &elements(e, "id")[0];
            let date = dated.get(id).unwrap_or_else(|| panic!("entry {id} is not a dated report"));
            assert_eq!(elements(e, "updated")[0], format!("{date}T00:00:00+09:00"));
            assert_eq!(elements(e, "published")[0], format!("{date}T00:00:00+09:00"));
            assert!(site.exists_url(id));
        }
        let newest = dated.values().max().unwrap();
        let head = &feed[..feed.find("<entry>").unwrap()];
        assert_eq!(
            elements(head, "updated")[0],
            format!("{newest}T00:00:00+09:00"),
            "feed date is the newest report's"
        );
        // Linked from every page's head.
        assert!(site.text("index.html").contains(r#"<link rel="alternate" type="application/atom+xml""#));
    }
}

#[test]
fn reports_without_a_date_stay_out_of_the_feed() {
    let tmp = minimal_copy();
    let dir = tmp.path().join("content/testshi/daiichi");
    let text = std::fs::read_to_string(dir.join("2016/report.toml")).unwrap();
    std::fs::create_dir_all(dir.join("2017")).unwrap();
    let undated = text
        .replace("fiscal_year = \"平成28年度\"", "fiscal_year = \"平成29年度\"")
        .replace("updated = 2017-06-30\n", "")
        .replace("previous = \"86.0%\"", "previous = \"８１％\"")
        .replace("previous = \"14名\"", "previous = \"3名\"")
        .replace("previous = \"2,700人\"", "previous = \"2,750人\"");
    std::fs::write(dir.join("2017/report.toml"), undated).unwrap();
    let site = Site::render(tmp.path(), None);
    let feed = site.text("feed.xml");
    assert_eq!(elements(&feed, "entry").len(), 1, "{feed}");
    assert!(feed.contains("/testshi/daiichi/2016/</id>") && !feed.contains("/testshi/daiichi/2017/</id>"));
    // And with no dated report at all: no feed, no link to one.
    let p = dir.join("2016/report.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, t.replace("updated = 2017-06-30\n", "")).unwrap();
    let site = Site::render(tmp.path(), None);
    assert!(!site.files.contains_key("feed.xml"));
    assert!(!site.text("index.html").contains("application/atom+xml"));
}

#[test]
fn sitemap_lists_every_page_by_absolute_url() {
    for (root, base) in
        fixtures().into_iter().flat_map(|r| [(r.clone(), None), (r, Some("https://www.city.example.jp/kusei/hyoka/"))])
    {
        let site = Site::render(&root, base);
        let sitemap = site.text("sitemap.xml");
        let locs = elements(&sitemap, "loc");
        let mut files = BTreeSet::new();
        for loc in &locs {
            assert!(loc.starts_with(&site.base), "{loc} is not absolute under {}", site.base);
            let file = site.file_of_url(loc).unwrap();
            assert!(site.files.contains_key(&file), "{loc} maps to no output");
            assert!(!file.ends_with("embed/index.html") && file != "404.html", "{loc}");
            files.insert(file);
        }
        // Every page but 404, embeds, and the pages of renamed indicators' old ids (they redirect).
        let moved = |p: &str| String::from_utf8_lossy(&site.files[p]).contains("http-equiv=\"refresh\"");
        let pages: BTreeSet<String> = site
            .files
            .keys()
            .filter(|p| {
                p.ends_with(".html") && p.as_str() != "404.html" && !p.ends_with("/embed/index.html") && !moved(p)
            })
            .cloned()
            .collect();
        assert_eq!(files, pages, "every page and only pages");
        let robots = site.text("robots.txt");
        assert!(
            robots.contains("User-agent: *") && robots.contains(&format!("Sitemap: {}sitemap.xml", site.base)),
            "{robots}"
        );
    }
}

#[test]
fn embed_page_is_the_chart_alone() {
    let mut with_target = 0;
    for root in fixtures() {
        let site = Site::render(&root, None);
        let (_, linked) = site.model();
        for s in linked.series.values() {
            let page_path = urls::series(&s.city, &s.ward, &s.indicator.id);
            let page = site.text(&urls::file_of(&page_path));
            let embed = site.text(&urls::file_of(&urls::series_embed(&s.city, &s.ward, &s.indicator.id)));
            assert!(embed.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
            assert!(embed.contains("<title>") && embed.contains(r#"<meta charset="utf-8">"#));
            // No JavaScript: the one script element is data (its BreadcrumbList), never run.
            let scripts: Vec<&str> = embed.split("<script").skip(1).collect();
            assert_eq!(embed.to_lowercase().matches("<script").count(), 1, "{page_path}");
            assert!(scripts[0].starts_with(r#" type="application/ld+json">"#), "{page_path}");
            assert!(!embed.contains("<link rel=\"stylesheet\""), "self-contained");
            // The same chart as the full page.
            let chart = |html: &str| {
                html[html.find("<svg class=\"chart\"").unwrap()..].split_once("</svg>").unwrap().0.to_string()
            };
            assert_eq!(chart(&embed), chart(&page), "{page_path}");
            // With the same caption: the target line in words, read without the full page.
            let caption =
                |html: &str| html.split("<figcaption>").nth(1).unwrap().split_once('。').unwrap().0.to_string();
            assert_eq!(caption(&embed), caption(&page), "{page_path}");
            with_target += usize::from(caption(&embed).contains("目標（◆と実線："));
            assert!(embed.contains(&format!(r#"href="{}{page_path}""#, site.base)), "links back to the full page");
            // The series page shows the iframe snippet, escaped, in <pre><code>.
            let snippet = format!(
                "<pre class=\"snippet\"><code>&lt;iframe src=&quot;{}{}&quot;",
                site.base,
                urls::series_embed(&s.city, &s.ward, &s.indicator.id)
            );
            assert!(page.contains(&snippet), "{page_path}: no escaped snippet");
        }
    }
    assert!(with_target > 0, "no embedded chart with a target line to caption");
}

#[test]
fn data_is_deterministic() {
    for root in fixtures() {
        let a = Site::render(&root, None);
        let b = Site::render(&root, None);
        assert_eq!(a.files.keys().collect::<Vec<_>>(), b.files.keys().collect::<Vec<_>>());
        for (path, bytes) in &a.files {
            assert!(b.files[path] == *bytes, "{path} differs between two builds");
        }
    }
}

#[test]
fn data_urls_follow_the_base_url() {
    let site = Site::render(&fixture("minimal"), Some("https://www.city.example.jp/kusei/hyoka/"));
    let (_, rows) = read_csv(site.bytes(urls::OBSERVATIONS_CSV), "observations");
    assert!(rows.iter().all(|r| r["page_url"].starts_with("https://www.city.example.jp/kusei/hyoka/testshi/")));
    let page = site.text("testshi/daiichi/indicators/jiritsu/index.html");
    assert!(page.contains(r#"href="/kusei/hyoka/testshi/daiichi/indicators/jiritsu/data.csv""#));
    assert!(site.text("robots.txt").contains("Sitemap: https://www.city.example.jp/kusei/hyoka/sitemap.xml"));
}
