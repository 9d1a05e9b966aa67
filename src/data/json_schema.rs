//! The JSON Schemas (draft 2020-12) of the data files that are JSON documents: each series'
//! `data.json`, each report's `data.json` and `data/indicators.json`. Published beside the
//! Table Schemas (`data/schemas/*.schema.json`) and named by the package's JSON resources
//! (`jsonSchema`), so a reader can check a JSON file with any JSON Schema validator.
//!
//! Made from what makes the documents: a row's keys, types and codes from the same column
//! lists as the CSV header and the Table Schema ([`super::columns`]), the closed sets (a
//! progress status, a direction, a scope) from the types that define them. Every object has a
//! fixed shape: every key required, no other key allowed.

use super::table::{Field, Kind};
use crate::link::Progress;
use crate::model::target::Direction;
use crate::urls::{self, Urls};
use serde_json::{Map, Value, json};

/// The JSON Schema dialect of every schema here.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Ids used in URLs (city, ward, indicator): lowercase ASCII letters, digits and hyphens, not
/// starting or ending with a hyphen (`load::is_valid_id`).
const ID: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/// 全国地方公共団体コード: six digits, a leading zero kept.
const LOCAL_GOV_CODE: &str = "^[0-9]{6}$";
/// An ISO date, as content's dates are written in the data (`ja::parse_date`).
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// Every progress status, in the order of the type.
fn progress_all() -> [Progress; 8] {
    let all = [
        Progress::Achieved,
        Progress::OnTrack,
        Progress::NeedsAcceleration,
        Progress::Limited,
        Progress::Worsening,
        Progress::MissedDeadline,
        Progress::InsufficientData,
        Progress::NotAssessable,
    ];
    // Exhaustive: a new status does not compile here until it is listed in `all` too.
    for p in all {
        match p {
            Progress::Achieved
            | Progress::OnTrack
            | Progress::NeedsAcceleration
            | Progress::Limited
            | Progress::Worsening
            | Progress::MissedDeadline
            | Progress::InsufficientData
            | Progress::NotAssessable => {}
        }
    }
    all
}

/// An object of exactly these properties, every one required.
fn object(properties: Vec<(&str, Value)>) -> Value {
    let required: Vec<&str> = properties.iter().map(|(k, _)| *k).collect();
    let properties: Map<String, Value> = properties.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
}

fn string() -> Value {
    json!({ "type": "string" })
}
fn id() -> Value {
    json!({ "type": "string", "pattern": ID })
}
fn url() -> Value {
    json!({ "type": "string", "format": "uri" })
}
/// The absolute URL of one of the site's own files.
fn url_of(urls: &Urls, path: &str) -> Value {
    json!({ "type": "string", "format": "uri", "const": urls.absolute(path) })
}
fn date_or_null() -> Value {
    json!({ "type": ["string", "null"], "format": "date", "pattern": DATE })
}
fn or_null(schema: Value) -> Value {
    let mut any = Map::new();
    any.insert("anyOf".into(), Value::Array(vec![schema, json!({ "type": "null" })]));
    Value::Object(any)
}
fn reference(def: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{def}") })
}

/// A direction code (`higher`, `lower`) or null when the indicator has none.
fn direction() -> Value {
    let mut codes: Vec<Value> = Direction::ALL.iter().map(|d| json!(d.code())).collect();
    codes.push(Value::Null);
    json!({ "enum": codes })
}

/// The definitions every document shares: its city, its ward and the licence.
fn shared_defs() -> Map<String, Value> {
    let mut defs = Map::new();
    defs.insert(
        "city".into(),
        object(vec![
            ("id", id()),
            ("name", string()),
            ("local_gov_code", json!({ "type": "string", "pattern": LOCAL_GOV_CODE })),
        ]),
    );
    defs.insert("ward".into(), object(vec![("id", id()), ("name", string())]));
    defs.insert(
        "licence".into(),
        or_null(object(vec![("name", string()), ("url", string()), ("id", json!({ "type": ["string", "null"] }))])),
    );
    defs
}

/// One column of a table as a property of its JSON rows: the type of its cells (null for an
/// empty cell, except in a primary key's columns), its codes or pattern, its title and
/// description as in the Table Schema.
fn column(f: &Field, key: &[&str]) -> Value {
    let required = key.contains(&f.name);
    let kind = match f.kind {
        Kind::String | Kind::Uri => "string",
        Kind::Number => "number",
        Kind::Integer | Kind::Year => "integer",
        Kind::Boolean => "boolean",
    };
    let mut o = json!({ "title": f.title, "description": f.description });
    if let Some(codes) = f.codes {
        let mut codes: Vec<Value> = codes().into_iter().map(Value::from).collect();
        if !required {
            codes.push(Value::Null);
        }
        o["enum"] = json!(codes);
    } else {
        o["type"] = if required { json!(kind) } else { json!([kind, "null"]) };
    }
    if let Some(p) = f.pattern {
        o["pattern"] = json!(p);
    }
    if f.kind == Kind::Uri {
        o["format"] = json!("uri");
    }
    o
}

/// A row of a table as a JSON object: one key per column, in column order.
fn record(fields: &[Field], key: &[&str]) -> Value {
    object(fields.iter().map(|f| (f.name, column(f, key))).collect())
}

/// The head of a schema: dialect, its own address, title and description.
fn schema(urls: &Urls, path: &str, title: &str, description: &str, body: Value, defs: Map<String, Value>) -> Value {
    let mut s = json!({ "$schema": DIALECT, "$id": urls.absolute(path), "title": title, "description": description });
    let Value::Object(body) = body else { unreachable!("a schema body is an object") };
    let Value::Object(head) = &mut s else { unreachable!() };
    head.extend(body);
    head.insert("$defs".into(), Value::Object(defs));
    s
}

/// The schema of each series' `data.json`.
pub fn series(urls: &Urls, fields: &[Field], key: &[&str]) -> Value {
    let mut defs = shared_defs();
    defs.insert("observation".into(), record(fields, key));
    let statuses: Vec<Value> = progress_all()
        .iter()
        .map(|p| object(vec![("status", json!({ "const": p })), ("label", json!({ "const": p.label() }))]))
        .collect();
    let body = object(vec![
        ("title", string()),
        ("city", reference("city")),
        ("ward", reference("ward")),
        (
            "indicator",
            object(vec![
                ("id", id()),
                ("former_ids", json!({ "type": "array", "items": id(), "uniqueItems": true })),
                ("name", string()),
                ("unit", string()),
                ("direction", direction()),
                ("city_wide", json!({ "type": "boolean" })),
            ]),
        ),
        ("assessment", json!({ "oneOf": statuses })),
        ("page_url", url()),
        ("csv_url", url()),
        ("zip_url", url()),
        ("updated", date_or_null()),
        ("licence", reference("licence")),
        ("schema", url_of(urls, urls::OBSERVATIONS_SCHEMA)),
        ("observations", json!({ "type": "array", "items": reference("observation") })),
    ]);
    schema(
        urls,
        urls::SERIES_JSON_SCHEMA,
        "指標の推移（data.json）",
        "区ごとの指標の data.json：指標・区・評価と、年度ごとの値（observations。各行の列は data.csv と同じで、空欄は null）。",
        body,
        defs,
    )
}

/// The schema of each report's `data.json`.
pub fn report(urls: &Urls, fields: &[Field], key: &[&str]) -> Value {
    let mut defs = shared_defs();
    defs.insert("record".into(), record(fields, key));
    let source = object(vec![
        ("title", string()),
        ("url", json!({ "type": ["string", "null"] })),
        ("file", json!({ "type": ["string", "null"] })),
        ("published", date_or_null()),
    ]);
    let body = object(vec![
        ("title", string()),
        ("city", reference("city")),
        ("ward", reference("ward")),
        ("fiscal_year", json!({ "type": "integer" })),
        ("era_label", string()),
        ("updated", date_or_null()),
        ("source", or_null(source)),
        ("page_url", url()),
        ("csv_url", url()),
        ("licence", reference("licence")),
        ("schema", url_of(urls, urls::REPORT_SCHEMA)),
        ("records", json!({ "type": "array", "items": reference("record") })),
    ]);
    schema(
        urls,
        urls::REPORT_JSON_SCHEMA,
        "報告（data.json）",
        "1つの報告（区・年度）の data.json：報告の名前・日付・出典と、すべての行（records。各行の列は data.csv と同じで、空欄は null）。",
        body,
        defs,
    )
}

/// The schema of `data/indicators.json`.
pub fn indicators(urls: &Urls, promise: &str) -> Value {
    let mut defs = shared_defs();
    let year = json!({ "type": "integer" });
    defs.insert(
        "indicator".into(),
        object(vec![
            ("id", id()),
            ("former_ids", json!({ "type": "array", "items": id(), "uniqueItems": true })),
            ("name", string()),
            ("unit", string()),
            ("direction", direction()),
            ("scope", json!({ "enum": ["city_wide", "ward"] })),
            ("city", reference("city")),
            ("ward", reference("ward")),
            ("years", json!({ "type": "array", "items": year, "uniqueItems": true })),
            ("first_year", json!({ "type": ["integer", "null"] })),
            ("last_year", json!({ "type": ["integer", "null"] })),
            ("updated", date_or_null()),
            ("page_url", url()),
            ("csv_url", url()),
            ("json_url", url()),
            ("zip_url", url()),
            ("comparison_url", json!({ "type": ["string", "null"], "format": "uri" })),
        ]),
    );
    let body = object(vec![
        ("title", string()),
        ("description", string()),
        ("promise", json!({ "const": promise })),
        ("homepage", url()),
        ("datapackage_url", url_of(urls, urls::DATAPACKAGE)),
        ("licence", reference("licence")),
        ("indicators", json!({ "type": "array", "items": reference("indicator") })),
    ]);
    schema(
        urls,
        urls::INDICATORS_JSON_SCHEMA,
        "指標の一覧（indicators.json）",
        "全市・全区の指標ごとに1件：指標ID、名前、単位、望ましい方向、区の指標か全市共通の指標か、値のある年度、URL。",
        body,
        defs,
    )
}
