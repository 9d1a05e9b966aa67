//! Data for journalists: every figure of the site as files to download and cite.
//!
//! - per series (one indicator of one ward): `<series url>data.csv` and `data.json`;
//! - per report (one ward, one fiscal year): `<report url>data.csv` and `data.json`;
//! - site-wide: `data/observations.csv` (one tidy row per observation) and
//!   `data/datapackage.json` (Frictionless Data Package describing every data file).
//!
//! CSV files are UTF-8 with a BOM (so spreadsheet software reads the Japanese text), one
//! header row of English `snake_case` names, numbers as plain numbers (`81`, `2750`, `86.0`:
//! the decimals the source printed, no separators, no unit), the unit in its own column and an
//! empty cell where there is no value (never 0). Each table's columns are declared once
//! ([`OBSERVATION_FIELDS`], [`REPORT_FIELDS`]): the CSV header, the JSON keys and the Table
//! Schema come from the same list, so they cannot disagree.
//!
//! Generated before the pages: pages link their downloads with the exact size of these bytes.
//! Pure and deterministic: no clock, ordered maps only.

use crate::config::SiteConfig;
use crate::error::Errors;
use crate::link::{Linked, Point, Series};
use crate::model::quantity::{Measured, format_number};
use crate::model::rating::Code;
use crate::model::target::{Comparator, Direction, Target, WithdrawalCriterion, WithdrawalRule};
use crate::model::year::FiscalYear;
use crate::model::{City, Goal, Initiative, Measurement, Report, Site, Survey, Ward};
use crate::render::Output;
use crate::render::text::escape;
use crate::render::urls::{self, Urls};
use crate::render::views::{goal_title, initiative_title};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The byte order mark written at the start of every CSV file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Site-wide tidy CSV of every observation.
pub const OBSERVATIONS_CSV: &str = "data/observations.csv";
/// The Frictionless Data Package describing every data file.
pub const DATAPACKAGE: &str = "data/datapackage.json";
/// Table Schema shared by every observation CSV (site-wide and per series).
pub const OBSERVATIONS_SCHEMA: &str = "data/schemas/observations.json";
/// Table Schema shared by every report CSV.
pub const REPORT_SCHEMA: &str = "data/schemas/report.json";

/// `<series url>data.csv`
pub fn series_csv(city: &str, ward: &str, indicator: &str) -> String {
    format!("{}data.csv", urls::series(city, ward, indicator))
}
/// `<series url>data.json`
pub fn series_json(city: &str, ward: &str, indicator: &str) -> String {
    format!("{}data.json", urls::series(city, ward, indicator))
}
/// `<series url>embed/`: the chart alone, to put in an `<iframe>`.
pub fn series_embed(city: &str, ward: &str, indicator: &str) -> String {
    format!("{}embed/", urls::series(city, ward, indicator))
}
/// `<report url>data.csv`
pub fn report_csv(city: &str, ward: &str, fy: FiscalYear) -> String {
    format!("{}data.csv", urls::report(city, ward, fy))
}
/// `<report url>data.json`
pub fn report_json(city: &str, ward: &str, fy: FiscalYear) -> String {
    format!("{}data.json", urls::report(city, ward, fy))
}

// ---------------------------------------------------------------------------------------
// Tables: columns declared once
// ---------------------------------------------------------------------------------------

/// Table Schema field types used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Integer,
    Year,
    Boolean,
    /// A string holding an absolute URL (Table Schema `string` with format `uri`).
    Uri,
}

impl Kind {
    fn schema_type(self) -> &'static str {
        match self {
            Kind::String | Kind::Uri => "string",
            Kind::Number => "number",
            Kind::Integer => "integer",
            Kind::Year => "year",
            Kind::Boolean => "boolean",
        }
    }
}

/// One column: its name (CSV header, JSON key), type, Japanese title and description.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    pub description: &'static str,
}

const fn f(name: &'static str, kind: Kind, title: &'static str, description: &'static str) -> Field {
    Field { name, kind, title, description }
}

const NOTE_DESCRIPTION: &str = "値についての注記を「／」で区切って記載：系列の断絶（前年度までの値と比較できない理由）、訂正（報告間で値が訂正された理由）、前年度欄からとった値であること、報告の注記、出典箇所。";
const COMPARATOR_DESCRIPTION: &str = "目標の形：at_least（以上）、reach（目標値に達すること。原資料が「100％」のように値だけを示すもの）、more_than（超）、at_most（以下）、below（未満）、zero（ゼロ）、increase_on_previous（前年度より増）、decrease_on_previous（前年度より減）、reduction_from_base（基準年度比削減。値は削減率％）、qualitative（定性的な目標）。空欄は目標の記載なし。";
const VALUE_DESCRIPTION: &str = "単位を除いた数値（桁区切りなし、小数点は「.」、原資料に印刷された小数の桁数のまま）。空欄は値がないこと（報告が「―」としたもの）で、0とは異なる。";

/// The columns of `data/observations.csv` and of every series' `data.csv`.
pub const OBSERVATION_FIELDS: &[Field] = &[
    f("city", Kind::String, "市（ID）", "市のID（URLに使う英小文字）。例：osaka"),
    f("city_name", Kind::String, "市名", "例：大阪市"),
    f(
        "local_gov_code",
        Kind::String,
        "全国地方公共団体コード",
        "市の全国地方公共団体コード（検査数字を含む6桁。先頭の0を保つため文字列）。例：271004",
    ),
    f("ward", Kind::String, "区（ID）", "区のID（URLに使う英小文字）。例：kita"),
    f("ward_name", Kind::String, "区名", "例：北区"),
    f(
        "fiscal_year",
        Kind::Year,
        "年度（西暦）",
        "値の年度。年度が始まる西暦年（4月から翌年3月まで）。例：2016 は平成28年度",
    ),
    f("era_label", Kind::String, "年度（和暦）", "例：平成28年度、令和元年度"),
    f("indicator_id", Kind::String, "指標ID", "年度をまたいで変わらない指標のID（URLに使う）"),
    f("indicator_name", Kind::String, "指標名", "指標の名称（最新の報告での名称）"),
    f("value", Kind::Number, "値", VALUE_DESCRIPTION),
    f("value_text", Kind::String, "値（表記）", "サイトでの表記。例：81％、2,750人、―（記載なし）"),
    f("unit", Kind::String, "単位", "例：％、点、人、名、件"),
    f(
        "direction",
        Kind::String,
        "よい方向",
        "higher（値が大きいほどよい）または lower（値が小さいほどよい）。空欄は定めなし",
    ),
    f(
        "target_value",
        Kind::Number,
        "目標値",
        "目標の数値（単位は unit。reduction_from_base では削減率％、zero では0）。空欄は数値の目標なし",
    ),
    f("comparator", Kind::String, "目標の比較方法", COMPARATOR_DESCRIPTION),
    f("target_text", Kind::String, "目標（原文）", "原資料での目標の記載"),
    f("target_base_fiscal_year", Kind::Year, "基準年度（西暦）", "reduction_from_base の目標の基準年度"),
    f("deadline_fiscal_year", Kind::Year, "目標の期限（年度、西暦）", "目標を達成する期限の年度"),
    f("rating", Kind::String, "区の評価", "アウトカムの達成状況（個別）：A または B"),
    f("rating_meaning", Kind::String, "区の評価の意味", "A：順調、B：順調でない"),
    f("survey_name", Kind::String, "調査名", "値のもとになった調査。例：区民アンケート"),
    f("survey_asked", Kind::Integer, "調査対象者数", "調査の対象人数"),
    f("survey_answered", Kind::Integer, "回答者数", "調査の回答人数"),
    f("survey_response_rate", Kind::Number, "回収率（％）", "調査の回収率（％）"),
    f("note", Kind::String, "注記", NOTE_DESCRIPTION),
    f("page_url", Kind::Uri, "掲載ページのURL", "この値を掲載している指標の推移のページ（年度の行への恒久的なリンク）"),
    f("report_url", Kind::Uri, "報告のURL", "この値をとった年度の報告のページ"),
];

/// The columns of every report's `data.csv`.
pub const REPORT_FIELDS: &[Field] = &[
    f("city", Kind::String, "市（ID）", "市のID（URLに使う英小文字）。例：osaka"),
    f("city_name", Kind::String, "市名", "例：大阪市"),
    f("local_gov_code", Kind::String, "全国地方公共団体コード", "市の全国地方公共団体コード（検査数字を含む6桁）"),
    f("ward", Kind::String, "区（ID）", "区のID（URLに使う英小文字）"),
    f("ward_name", Kind::String, "区名", "例：北区"),
    f("report_fiscal_year", Kind::Year, "報告の年度（西暦）", "自己評価の対象年度"),
    f("report_era_label", Kind::String, "報告の年度（和暦）", "例：平成28年度"),
    f(
        "record_type",
        Kind::String,
        "行の種類",
        "outcome（目標のアウトカム指標の値）、initiative_indicator（取組の業績目標の指標の値）、goal（指標のない目標）、initiative（指標のない取組）",
    ),
    f("goal_id", Kind::String, "目標ID", "区の目標の番号。例：1-1 は【1-1】"),
    f("goal_title", Kind::String, "目標", "目標の名称（なければ区政運営基本方針の項目名）"),
    f("goal_outcome_rating", Kind::String, "アウトカムの達成状況（目標全体）", "A または B"),
    f("goal_outcome_rating_meaning", Kind::String, "アウトカムの達成状況（目標全体）の意味", "A：順調、B：順調でない"),
    f("strategy_progress", Kind::String, "戦略の進捗状況", "a または b"),
    f("strategy_progress_meaning", Kind::String, "戦略の進捗状況の意味", "a：順調、b：順調でない"),
    f("strategy_effectiveness", Kind::String, "戦略のアウトカムに対する有効性", "ア または イ"),
    f(
        "strategy_effectiveness_meaning",
        Kind::String,
        "戦略の有効性の意味",
        "ア：有効であり、継続して推進、イ：有効でないため、戦略を見直す",
    ),
    f("strategy_revised", Kind::Boolean, "改定履歴あり", "true は計画期間中に戦略が改定されたこと（【改定履歴あり】）"),
    f(
        "initiative_id",
        Kind::String,
        "取組ID",
        "具体的取組の番号。例：1-1-1 は【1-1-1】、yoshiki3-1 は【様式3 取組項目1】",
    ),
    f("initiative_label", Kind::String, "取組の番号（表記）", "例：1-1-1、様式3 取組項目1"),
    f("initiative_title", Kind::String, "取組", "取組の名称（なければ取組内容の冒頭）"),
    f(
        "achievement_code",
        Kind::String,
        "業績目標の達成状況",
        "①目標達成・②目標未達成・③撤退基準未達成 と (ⅰ)取組は予定どおり実施・(ⅱ)取組を予定どおり実施しなかった の組み合わせ。例：①(ⅰ)",
    ),
    f("achievement_meaning", Kind::String, "業績目標の達成状況の意味", "例：目標達成・取組は予定どおり実施"),
    f("initiative_effectiveness", Kind::String, "戦略に対する取組の有効性", "○ または ×（― は記載なし）"),
    f("initiative_effectiveness_meaning", Kind::String, "取組の有効性の意味", "○：有効、×：有効でないため見直す"),
    f(
        "withdrawal_text",
        Kind::String,
        "撤退基準（原文）",
        "取組を再構築・撤退する基準の原文（その指標にかかるもの。複数あれば「／」で区切る）",
    ),
    f(
        "withdrawal_comparator",
        Kind::String,
        "撤退基準の形",
        "最初の撤退基準の形：below（未満）、at_most（以下）、above（超）、at_least（以上）、below_share_of_previous（前年度の値の withdrawal_value ％未満）、no_decrease（前年度より減少せず）、qualitative（定性）",
    ),
    f(
        "withdrawal_value",
        Kind::Number,
        "撤退基準の値",
        "撤退基準の数値（単位は unit。below_share_of_previous では前年度の値に対する％）",
    ),
    f("indicator_id", Kind::String, "指標ID", "年度をまたいで変わらない指標のID"),
    f("indicator_name", Kind::String, "指標名", "指標の名称"),
    f("measure", Kind::String, "報告上の指標名", "達成状況の欄で値が報告されている名称（指標名と異なるときのみ）"),
    f(
        "value_column",
        Kind::String,
        "値の欄",
        "this_year（当該年度の値）または previous_year（報告の「前年度」欄の値）",
    ),
    f("fiscal_year", Kind::Year, "値の年度（西暦）", "値の年度。previous_year の行では報告の前年度"),
    f("era_label", Kind::String, "値の年度（和暦）", "例：平成27年度"),
    f("value", Kind::Number, "値", VALUE_DESCRIPTION),
    f("value_text", Kind::String, "値（表記）", "報告での表記（全角・半角を統一）。例：81％、―"),
    f("unit", Kind::String, "単位", "例：％、点、人"),
    f("direction", Kind::String, "よい方向", "higher（値が大きいほどよい）または lower（値が小さいほどよい）"),
    f("target_value", Kind::Number, "目標値", "目標の数値（単位は unit）。空欄は数値の目標なし"),
    f("comparator", Kind::String, "目標の比較方法", COMPARATOR_DESCRIPTION),
    f("target_text", Kind::String, "目標（原文）", "原資料での目標の記載"),
    f("target_base_fiscal_year", Kind::Year, "基準年度（西暦）", "reduction_from_base の目標の基準年度"),
    f("deadline_fiscal_year", Kind::Year, "目標の期限（年度、西暦）", "目標を達成する期限の年度"),
    f("rating", Kind::String, "区の評価（個別）", "アウトカムの達成状況（個別）：A または B。this_year の行のみ"),
    f("rating_meaning", Kind::String, "区の評価の意味", "A：順調、B：順調でない"),
    f("survey_name", Kind::String, "調査名", "値のもとになった調査（this_year の行のみ）"),
    f("survey_asked", Kind::Integer, "調査対象者数", "調査の対象人数"),
    f("survey_answered", Kind::Integer, "回答者数", "調査の回答人数"),
    f("survey_response_rate", Kind::Number, "回収率（％）", "調査の回収率（％）"),
    f("note", Kind::String, "注記", NOTE_DESCRIPTION),
    f("page_url", Kind::Uri, "掲載ページのURL", "この行を掲載しているページの恒久的なURL（ページ内の位置を含む）"),
    f("series_url", Kind::Uri, "指標の推移のURL", "この指標の年度ごとの推移のページ"),
];

/// One cell, typed: written as text in CSV and as the matching JSON type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A plain number as text (`81`, `86.0`, `2750`).
    Number(String),
    Integer(i64),
    Bool(bool),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
    }
    fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }
    fn year(fy: Option<FiscalYear>) -> Cell {
        fy.map_or(Cell::Empty, |y| Cell::Integer(i64::from(y.western())))
    }
    fn csv(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty => "".into(),
            Cell::Text(s) | Cell::Number(s) => s.as_str().into(),
            Cell::Integer(i) => i.to_string().into(),
            Cell::Bool(b) => if *b { "true" } else { "false" }.into(),
        }
    }
}

/// A cell as its JSON type (null when empty), written without building a `Value`.
impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Empty => s.serialize_none(),
            Cell::Text(t) => s.serialize_str(t),
            Cell::Number(t) => match serde_json::from_str::<serde_json::Number>(t) {
                Ok(n) => n.serialize(s),
                Err(_) => s.serialize_str(t),
            },
            Cell::Integer(i) => s.serialize_i64(*i),
            Cell::Bool(b) => s.serialize_bool(*b),
        }
    }
}

/// One row: a cell per column of its table, in column order (an unset cell is empty).
#[derive(Debug, Clone)]
struct Row {
    fields: &'static [Field],
    cells: Vec<Cell>,
}

impl Row {
    fn new(fields: &'static [Field]) -> Row {
        Row { fields, cells: vec![Cell::Empty; fields.len()] }
    }

    /// Sets the cell of column `name` (a column of the row's table: the field lists are
    /// constants, and tests/data.rs writes every kind of row).
    fn insert(&mut self, name: &'static str, cell: Cell) {
        let i =
            self.fields.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no column {name} in this table"));
        self.cells[i] = cell;
    }
}

/// Rows under a fixed list of columns.
struct Table {
    fields: &'static [Field],
    rows: Vec<Row>,
}

impl Table {
    fn new(fields: &'static [Field]) -> Table {
        Table { fields, rows: Vec::new() }
    }

    fn push(&mut self, row: Row) {
        // Compared by column names: two uses of one `const` list need not share an address.
        debug_assert!(
            row.fields.iter().map(|f| f.name).eq(self.fields.iter().map(|f| f.name)),
            "a row of another table"
        );
        self.rows.push(row);
    }

    fn cells<'r>(&self, row: &'r Row) -> impl Iterator<Item = (&'static str, &'r Cell)> {
        self.fields.iter().zip(&row.cells).map(|(f, c)| (f.name, c))
    }

    /// UTF-8 with BOM, one header row, CRLF line ends (RFC 4180).
    fn csv(&self) -> Vec<u8> {
        // Writing text records into memory cannot fail (no I/O, no serde).
        const INFALLIBLE: &str = "writing CSV records into a Vec";
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.to_vec());
        w.write_record(self.fields.iter().map(|f| f.name)).expect(INFALLIBLE);
        for row in &self.rows {
            for (_, c) in self.cells(row) {
                w.write_field(c.csv().as_bytes()).expect(INFALLIBLE);
            }
            w.write_record(None::<&[u8]>).expect(INFALLIBLE);
        }
        w.into_inner().expect(INFALLIBLE)
    }

    /// The rows as JSON objects keyed by column name, in column order (null for an empty cell).
    fn records(&self) -> Records<'_> {
        Records(self)
    }
}

/// A table's rows, serialised straight from the cells (no `Value` tree per file).
struct Records<'t>(&'t Table);

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Record<'t>(&'t Table, &'t Row);
        impl Serialize for Record<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.fields.len()))?;
                for (k, c) in self.0.cells(self.1) {
                    map.serialize_entry(k, c)?;
                }
                map.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&Record(self.0, row))?;
        }
        seq.end()
    }
}

/// A JSON object: the entries of `head` with `records` under `key`, keys in sorted order
/// as in every other object of the data files.
fn document_with_records(head: Value, key: &'static str, records: Records) -> Vec<u8> {
    struct Doc<'a>(&'a Map<String, Value>, &'static str, Records<'a>);
    impl Serialize for Doc<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(self.0.len() + 1))?;
            let mut pending = Some(&self.2);
            for (k, v) in self.0 {
                if let Some(r) = pending.filter(|_| k.as_str() > self.1) {
                    map.serialize_entry(self.1, r)?;
                    pending = None;
                }
                map.serialize_entry(k, v)?;
            }
            if let Some(r) = pending {
                map.serialize_entry(self.1, r)?;
            }
            map.end()
        }
    }
    let Value::Object(head) = head else { unreachable!("data file heads are JSON objects") };
    let mut bytes = serde_json::to_vec(&Doc(&head, key, records)).expect("data files always serialise");
    bytes.push(b'\n');
    bytes
}

/// A Table Schema (Frictionless) for a list of columns.
pub fn table_schema(fields: &[Field], primary_key: &[&str]) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|f| {
            let mut o =
                json!({ "name": f.name, "type": f.kind.schema_type(), "title": f.title, "description": f.description });
            if f.kind == Kind::Uri {
                o["format"] = json!("uri");
            }
            o
        })
        .collect();
    let mut schema = json!({ "fields": fields, "missingValues": [""] });
    if !primary_key.is_empty() {
        schema["primaryKey"] = json!(primary_key);
    }
    schema
}

/// The package and its schemas (read by people): indented.
fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values always serialise");
    bytes.push(b'\n');
    bytes
}

// ---------------------------------------------------------------------------------------
// Shared cell helpers
// ---------------------------------------------------------------------------------------

fn direction_code(d: Option<Direction>) -> Cell {
    Cell::opt(d.map(|d| match d {
        Direction::Higher => "higher",
        Direction::Lower => "lower",
    }))
}

fn measured(value: &Measured) -> (Cell, Cell) {
    let number = match value {
        Measured::Value(q) => Cell::Number(q.plain()),
        Measured::NotReported => Cell::Empty,
    };
    (number, Cell::Text(value.to_string()))
}

fn target_cells(row: &mut Row, t: Option<&Target>) {
    let Some(t) = t else { return };
    let value = match &t.comparator {
        Comparator::AtLeast(q)
        | Comparator::Reach(q)
        | Comparator::MoreThan(q)
        | Comparator::AtMost(q)
        | Comparator::Below(q) => Cell::Number(q.plain()),
        Comparator::ReductionFromBase { percent, .. } => Cell::Number(percent.plain()),
        Comparator::Zero => Cell::Number("0".into()),
        Comparator::IncreaseOnPrevious | Comparator::DecreaseOnPrevious | Comparator::Qualitative => Cell::Empty,
    };
    row.insert("target_value", value);
    row.insert("comparator", Cell::text(t.comparator_code()));
    row.insert("target_text", Cell::text(t.text.clone()));
    if let Comparator::ReductionFromBase { base, .. } = &t.comparator {
        row.insert("target_base_fiscal_year", Cell::year(Some(*base)));
    }
    row.insert("deadline_fiscal_year", Cell::year(t.deadline));
}

fn survey_cells(row: &mut Row, s: Option<&Survey>) {
    let Some(s) = s else { return };
    row.insert("survey_name", Cell::text(s.name.clone()));
    row.insert("survey_asked", s.asked.map_or(Cell::Empty, |n| Cell::Integer(i64::from(n))));
    row.insert("survey_answered", s.answered.map_or(Cell::Empty, |n| Cell::Integer(i64::from(n))));
    row.insert("survey_response_rate", s.response_rate.as_ref().map_or(Cell::Empty, |q| Cell::Number(q.plain())));
}

fn code_cells(row: &mut Row, key: &'static str, meaning_key: &'static str, c: Option<&impl Code>) {
    if let Some(c) = c {
        row.insert(key, Cell::text(c.code()));
        row.insert(meaning_key, Cell::text(c.meaning()));
    }
}

fn place_cells(row: &mut Row, city: &City, ward: &Ward) {
    row.insert("city", Cell::text(city.id.clone()));
    row.insert("city_name", Cell::text(city.name.clone()));
    row.insert("local_gov_code", Cell::text(city.code.as_str()));
    row.insert("ward", Cell::text(ward.id.clone()));
    row.insert("ward_name", Cell::text(ward.name.clone()));
}

fn join_notes(notes: Vec<String>) -> Cell {
    Cell::text(notes.into_iter().filter(|n| !n.trim().is_empty()).collect::<Vec<_>>().join(" ／ "))
}

// ---------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------

fn observation_row(urls: &Urls, city: &City, ward: &Ward, s: &Series, p: &Point) -> Row {
    let mut row = Row::new(OBSERVATION_FIELDS);
    place_cells(&mut row, city, ward);
    row.insert("fiscal_year", Cell::year(Some(p.year)));
    row.insert("era_label", Cell::text(p.year.era_label()));
    row.insert("indicator_id", Cell::text(s.indicator.id.clone()));
    row.insert("indicator_name", Cell::text(s.indicator.name.clone()));
    let (value, text) = measured(&p.value);
    row.insert("value", value);
    row.insert("value_text", text);
    row.insert("unit", Cell::text(s.indicator.unit.clone()));
    row.insert("direction", direction_code(s.indicator.direction));
    target_cells(&mut row, p.target.as_ref());
    code_cells(&mut row, "rating", "rating_meaning", p.rating.as_ref());
    survey_cells(&mut row, p.survey.as_ref());
    row.insert("note", join_notes(crate::render::views::point_notes(p, false)));
    row.insert(
        "page_url",
        Cell::text(format!(
            "{}#fy{}",
            urls.absolute(&urls::series(&city.id, &ward.id, &s.indicator.id)),
            p.year.western()
        )),
    );
    row.insert("report_url", Cell::text(urls.absolute(&urls::report(&city.id, &ward.id, p.reported_in))));
    row
}

/// The withdrawal criteria of an initiative that apply: all texts, and the first one's rule.
fn withdrawal_cells(row: &mut Row, criteria: &[&WithdrawalCriterion]) {
    let Some(w) = criteria.first() else { return };
    row.insert("withdrawal_text", join_notes(criteria.iter().map(|w| w.text.trim().to_string()).collect()));
    let (code, value) = match &w.rule {
        WithdrawalRule::Below(q) => ("below", Some(q)),
        WithdrawalRule::AtMost(q) => ("at_most", Some(q)),
        WithdrawalRule::Above(q) => ("above", Some(q)),
        WithdrawalRule::AtLeast(q) => ("at_least", Some(q)),
        WithdrawalRule::BelowShareOfPrevious(q) => ("below_share_of_previous", Some(q)),
        WithdrawalRule::NoDecrease => ("no_decrease", None),
        WithdrawalRule::Qualitative => ("qualitative", None),
    };
    row.insert("withdrawal_comparator", Cell::text(code));
    if let Some(q) = value {
        row.insert("withdrawal_value", Cell::Number(q.plain()));
    }
}

struct ReportCtx<'a> {
    urls: &'a Urls,
    linked: &'a Linked,
    city: &'a City,
    ward: &'a Ward,
    report: &'a Report,
}

impl ReportCtx<'_> {
    fn base(&self, record_type: &str) -> Row {
        let mut row = Row::new(REPORT_FIELDS);
        place_cells(&mut row, self.city, self.ward);
        let fy = self.report.fiscal_year;
        row.insert("report_fiscal_year", Cell::year(Some(fy)));
        row.insert("report_era_label", Cell::text(fy.era_label()));
        row.insert("record_type", Cell::text(record_type));
        row
    }

    fn goal_cells(&self, row: &mut Row, g: &Goal, ratings: bool) {
        row.insert("goal_id", Cell::text(g.id.clone()));
        row.insert("goal_title", Cell::text(goal_title(self.city, self.report, g)));
        if ratings {
            code_cells(row, "goal_outcome_rating", "goal_outcome_rating_meaning", g.outcome_rating.as_ref());
            code_cells(row, "strategy_progress", "strategy_progress_meaning", g.strategy_progress.as_ref());
            code_cells(row, "strategy_effectiveness", "strategy_effectiveness_meaning", g.effectiveness.as_ref());
            row.insert("strategy_revised", Cell::Bool(g.strategy_revised));
        }
    }

    fn initiative_cells(&self, row: &mut Row, i: &Initiative) {
        if let Some(g) = i.goal.as_ref().and_then(|g| self.report.goals.iter().find(|x| &x.id == g)) {
            self.goal_cells(row, g, false);
        }
        row.insert("initiative_id", Cell::text(i.id.clone()));
        row.insert("initiative_label", Cell::text(i.label.clone()));
        row.insert("initiative_title", Cell::text(initiative_title(i)));
        code_cells(row, "achievement_code", "achievement_meaning", i.achievement_code.as_ref());
        code_cells(row, "initiative_effectiveness", "initiative_effectiveness_meaning", i.effectiveness.as_ref());
    }

    /// The value rows (this year, and the 前年度 column when given) of one measurement.
    fn measurement_rows(
        &self,
        base: &Row,
        m: &Measurement,
        page_url: String,
        withdrawals: &[WithdrawalCriterion],
    ) -> Vec<Row> {
        let (c, w, fy) = (&self.city.id, &self.ward.id, self.report.fiscal_year);
        let series = self.linked.series(c, w, &m.indicator.id);
        let mut base = base.clone();
        let applicable: Vec<&WithdrawalCriterion> =
            withdrawals.iter().filter(|w| w.indicator.as_deref().is_none_or(|i| i == m.indicator.id)).collect();
        withdrawal_cells(&mut base, &applicable);
        base.insert("indicator_id", Cell::text(m.indicator.id.clone()));
        base.insert("indicator_name", Cell::text(m.indicator.name.clone()));
        base.insert("measure", Cell::opt(m.measure.clone().filter(|x| x != &m.indicator.name)));
        base.insert("unit", Cell::text(m.indicator.unit.clone()));
        base.insert("direction", direction_code(m.indicator.direction));
        target_cells(&mut base, m.indicator.target.as_ref());
        base.insert("page_url", Cell::text(page_url));
        if let Some(s) = series {
            base.insert("series_url", Cell::text(self.urls.absolute(&urls::series(c, w, &s.indicator.id))));
        }
        // A correction declared anywhere for this indicator and year is noted beside the printed value.
        let correction = |year: FiscalYear, printed: &Measured| -> Option<String> {
            let p = series?.point(year)?;
            let note = p.correction.as_ref()?;
            Some(if p.value == *printed {
                format!("訂正：{note}")
            } else {
                format!("訂正：{note}（訂正後の値：{}）", p.value)
            })
        };
        let mut rows = Vec::new();
        let mut this_year = base.clone();
        this_year.insert("value_column", Cell::text("this_year"));
        this_year.insert("fiscal_year", Cell::year(Some(fy)));
        this_year.insert("era_label", Cell::text(fy.era_label()));
        if let Some(v) = &m.value {
            let (value, text) = measured(v);
            this_year.insert("value", value);
            this_year.insert("value_text", text);
        }
        code_cells(&mut this_year, "rating", "rating_meaning", m.rating.as_ref());
        survey_cells(&mut this_year, m.survey.as_ref());
        let mut notes = Vec::new();
        if let Some(b) = &m.series_break {
            notes.push(format!("系列の断絶：{b}"));
        }
        notes.extend(m.value.as_ref().and_then(|v| correction(fy, v)));
        notes.extend(m.notes.iter().cloned());
        if let Some(r) = &m.source_ref {
            notes.push(format!("出典箇所：{r}"));
        }
        this_year.insert("note", join_notes(notes));
        rows.push(this_year);
        if let Some(v) = &m.previous {
            let py = fy.previous();
            let mut prev = base;
            prev.insert("value_column", Cell::text("previous_year"));
            prev.insert("fiscal_year", Cell::year(Some(py)));
            prev.insert("era_label", Cell::text(py.era_label()));
            let (value, text) = measured(v);
            prev.insert("value", value);
            prev.insert("value_text", text);
            let mut notes = vec![format!("{}の報告の「前年度」欄の値", fy.label())];
            notes.extend(correction(py, v));
            prev.insert("note", join_notes(notes));
            rows.push(prev);
        }
        rows
    }

    fn table(&self) -> Table {
        let (c, w, fy) = (&self.city.id, &self.ward.id, self.report.fiscal_year);
        let report_url = self.urls.absolute(&urls::report(c, w, fy));
        let mut table = Table::new(REPORT_FIELDS);
        for g in &self.report.goals {
            if g.outcomes.is_empty() {
                let mut row = self.base("goal");
                self.goal_cells(&mut row, g, true);
                row.insert("page_url", Cell::text(format!("{report_url}#{}", urls::goal_anchor(&g.id))));
                table.push(row);
            }
            for m in &g.outcomes {
                let mut base = self.base("outcome");
                self.goal_cells(&mut base, g, true);
                let page_url = format!("{report_url}#{}", urls::outcome_anchor(&g.id, &m.indicator.id));
                for row in self.measurement_rows(&base, m, page_url, &[]) {
                    table.push(row);
                }
            }
        }
        for i in &self.report.initiatives {
            let initiative_url = self.urls.absolute(&urls::initiative(c, w, fy, &i.id));
            if i.indicators.is_empty() {
                let mut row = self.base("initiative");
                self.initiative_cells(&mut row, i);
                withdrawal_cells(&mut row, &i.withdrawals.iter().collect::<Vec<_>>());
                row.insert("page_url", Cell::text(initiative_url.clone()));
                table.push(row);
            }
            for m in &i.indicators {
                let mut base = self.base("initiative_indicator");
                self.initiative_cells(&mut base, i);
                let page_url = format!("{initiative_url}#indicator-{}", m.indicator.id);
                for row in self.measurement_rows(&base, m, page_url, &i.withdrawals) {
                    table.push(row);
                }
            }
        }
        table
    }
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

/// The data files' sizes, by site-relative path: what pages need to link them.
#[derive(Debug, Default, Clone)]
pub struct Downloads {
    sizes: BTreeMap<String, usize>,
}

/// A download link, ready to print: 「CSV形式（2KB）」.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadLink {
    /// Link (with the base path).
    pub url: String,
    /// Absolute URL.
    pub absolute: String,
    /// 「CSV」「JSON」
    pub format: &'static str,
    pub mediatype: &'static str,
    pub bytes: usize,
    /// 「2KB」
    pub size: String,
    /// 「CSV形式（2KB）」
    pub text: String,
    /// What the file holds, for links outside its page (empty for per-page files).
    pub name: &'static str,
}

/// A size for people: 「850バイト」「2KB」「1.4MB」 (rounded from the exact byte count).
pub fn size_label(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes}バイト")
    } else if bytes < 1024 * 1024 {
        format!("{}KB", (bytes + 512) / 1024)
    } else {
        format!("{}MB", format_number(bytes as f64 / (1024.0 * 1024.0), 1))
    }
}

fn format_of(path: &str) -> (&'static str, &'static str) {
    if path.ends_with(".csv") { ("CSV", "text/csv") } else { ("JSON", "application/json") }
}

impl Downloads {
    pub fn size(&self, path: &str) -> Option<usize> {
        self.sizes.get(path).copied()
    }

    /// The link of one data file; `None` when no such file was generated.
    pub fn link(&self, urls: &Urls, path: &str) -> Option<DownloadLink> {
        let bytes = self.size(path)?;
        let (format, mediatype) = format_of(path);
        let size = size_label(bytes);
        let name = match path {
            OBSERVATIONS_CSV => "すべての指標の値",
            DATAPACKAGE => "データパッケージ（全ファイルと列の説明）",
            _ => "",
        };
        Some(DownloadLink {
            url: urls.link(path),
            absolute: urls.absolute(path),
            format,
            mediatype,
            bytes,
            text: format!("{format}形式（{size}）"),
            size,
            name,
        })
    }

    /// The links of several files, those that exist, in the order given.
    pub fn links(&self, urls: &Urls, paths: &[String]) -> Vec<DownloadLink> {
        paths.iter().filter_map(|p| self.link(urls, p)).collect()
    }
}

fn licence_json(config: &SiteConfig) -> Value {
    config.licence.as_ref().map_or(
        Value::Null,
        |l| json!({ "name": l.name, "url": l.url, "id": if l.id.is_empty() { Value::Null } else { json!(l.id) } }),
    )
}

fn source_json(r: &Report) -> Value {
    r.source
        .as_ref()
        .map_or(Value::Null, |s| json!({ "title": s.title, "url": s.url, "file": s.file, "published": s.published }))
}

/// The newest `updated` date of a ward's reports that gave values to a series.
fn series_updated<'a>(ward: &'a Ward, s: &Series) -> Option<&'a str> {
    let years: BTreeSet<FiscalYear> = s.points.iter().map(|p| p.reported_in).collect();
    ward.reports.iter().filter(|r| years.contains(&r.fiscal_year)).filter_map(|r| r.updated.as_deref()).max()
}

fn find<'s>(site: &'s Site, city: &str, ward: &str) -> Option<(&'s City, &'s Ward)> {
    let c = site.cities.iter().find(|c| c.id == city)?;
    Some((c, c.wards.iter().find(|w| w.id == ward)?))
}

/// Builds every data file and hands each to `emit` as soon as it is made (so they are not
/// all held at once). Called before the pages are rendered; returns their sizes for links.
#[allow(clippy::too_many_lines)] // to be split (issue 12)
pub fn build(
    config: &SiteConfig,
    site: &Site,
    linked: &Linked,
    urls: &Urls,
    emit: &(dyn Fn(Output) + Sync),
) -> Result<Downloads, Errors> {
    // Files go to `emit` as soon as they are made (from any worker), so they are never all
    // held at once; their sizes are kept for the package and the pages' download links.
    let sizes: std::sync::Mutex<BTreeMap<String, usize>> = std::sync::Mutex::default();
    let put = |o: Output| {
        sizes.lock().expect("no panics while holding it").insert(o.path.clone(), o.bytes.len());
        emit(o);
    };
    let mut resources: Vec<Value> = Vec::new();
    let obs_schema_url = urls.absolute(OBSERVATIONS_SCHEMA);
    let report_schema_url = urls.absolute(REPORT_SCHEMA);

    // Per series, in key order (city, ward, indicator): built in parallel, listed in order.
    struct Built {
        rows: Vec<Row>,
        resources: [Value; 2],
    }
    let series: Vec<&Series> = linked.series.values().collect();
    let series_files = || -> (Vec<Value>, Vec<u8>) {
        let built: Vec<Option<Built>> = series
            .par_iter()
            .map(|s| {
                let (city, ward) = find(site, &s.city, &s.ward)?;
                let mut table = Table::new(OBSERVATION_FIELDS);
                for p in &s.points {
                    table.push(observation_row(urls, city, ward, s, p));
                }
                let csv_path = series_csv(&city.id, &ward.id, &s.indicator.id);
                let json_path = series_json(&city.id, &ward.id, &s.indicator.id);
                let page = urls::series(&city.id, &ward.id, &s.indicator.id);
                let json = json!({
                    "title": format!("{}{} {}の推移", city.name, ward.name, s.indicator.name),
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
                    "updated": series_updated(ward, s),
                    "licence": licence_json(config),
                    "schema": obs_schema_url,
                });
                let title = format!("{}{} {}の推移", city.name, ward.name, s.indicator.name);
                let name = format!("series-{}-{}-{}", city.id, ward.id, s.indicator.id);
                put(Output { path: json_path.clone(), bytes: document_with_records(json, "observations", table.records()) });
                put(Output { path: csv_path.clone(), bytes: table.csv() });
                Some(Built {
                    resources: [
                        json!({ "name": format!("{name}-csv"), "title": format!("{title}（CSV）"), "path": urls.absolute(&csv_path), "schema": "schemas/observations.json" }),
                        json!({ "name": format!("{name}-json"), "title": format!("{title}（JSON）"), "path": urls.absolute(&json_path) }),
                    ],
                    // The rows go on into observations.csv.
                    rows: table.rows,
                })
            })
            .collect();
        // The series' rows make observations.csv.
        let mut observations = Table::new(OBSERVATION_FIELDS);
        let mut resources = Vec::new();
        for b in built.into_iter().flatten() {
            for row in b.rows {
                observations.push(row);
            }
            resources.extend(b.resources);
        }
        (resources, observations.csv())
    };

    // Per report, in content order (city, ward, fiscal year).
    let reports: Vec<(&City, &Ward, &Report)> = site
        .cities
        .iter()
        .flat_map(|c| c.wards.iter().flat_map(move |w| w.reports.iter().map(move |r| (c, w, r))))
        .collect();
    // The series' files are many and small (the writer is their bottleneck), the reports' few
    // and large (the CPU is): made at the same time, each fills the other's idle time.
    let ((series_resources, observations_csv), built) = rayon::join(series_files, || {
        reports
        .par_iter()
        .map(|&(city, ward, report)| {
            let fy = report.fiscal_year;
            let ctx = ReportCtx { urls, linked, city, ward, report };
            let table = ctx.table();
            let csv_path = report_csv(&city.id, &ward.id, fy);
            let json_path = report_json(&city.id, &ward.id, fy);
            let json = json!({
                "title": report.title,
                "city": { "id": city.id, "name": city.name, "local_gov_code": city.code.as_str() },
                "ward": { "id": ward.id, "name": ward.name },
                "fiscal_year": fy.western(),
                "era_label": fy.era_label(),
                "updated": report.updated,
                "source": source_json(report),
                "page_url": urls.absolute(&urls::report(&city.id, &ward.id, fy)),
                "csv_url": urls.absolute(&csv_path),
                "licence": licence_json(config),
                "schema": report_schema_url,
            });
            let title = format!("{}{} {}の自己評価", city.name, ward.name, fy.label());
            let name = format!("report-{}-{}-{}", city.id, ward.id, fy.western());
            put(Output { path: json_path.clone(), bytes: document_with_records(json, "records", table.records()) });
            put(Output { path: csv_path.clone(), bytes: table.csv() });
            Built {
                resources: [
                    json!({ "name": format!("{name}-csv"), "title": format!("{title}（CSV）"), "path": urls.absolute(&csv_path), "schema": "schemas/report.json" }),
                    json!({ "name": format!("{name}-json"), "title": format!("{title}（JSON）"), "path": urls.absolute(&json_path) }),
                ],
                rows: Vec::new(),
            }
        })
        .collect::<Vec<Built>>()
    });
    resources.extend(series_resources);
    for b in built {
        resources.extend(b.resources);
    }

    put(Output { path: OBSERVATIONS_CSV.into(), bytes: observations_csv });
    let obs_schema = table_schema(OBSERVATION_FIELDS, &["city", "ward", "indicator_id", "fiscal_year"]);
    put(Output { path: OBSERVATIONS_SCHEMA.into(), bytes: pretty(&obs_schema) });
    put(Output { path: REPORT_SCHEMA.into(), bytes: pretty(&table_schema(REPORT_FIELDS, &[])) });

    // Sizes of everything so far (the package lists them), then the package itself.
    let sizes_so_far = sizes.lock().expect("no panics while holding it").clone();
    let mut all = vec![json!({
        "name": "observations",
        "title": "すべての指標の値（1行に1つの値）",
        "description": "全市・全区・全年度の指標の値。年度をまたいで同じ指標IDでつながり、報告間の訂正を反映しています。",
        "path": "observations.csv",
        "schema": obs_schema,
    })];
    all.extend(resources);
    for r in &mut all {
        let path = r["path"].as_str().unwrap_or_default().to_string();
        let site_path = path.strip_prefix(&config.base_url).map_or_else(|| format!("data/{path}"), str::to_string);
        let (format, mediatype) = format_of(&path);
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
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": "mieruka",
        "id": urls.absolute(DATAPACKAGE),
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
    let sources: Vec<Value> = site
        .cities
        .iter()
        .flat_map(|c| c.wards.iter().flat_map(move |w| w.reports.iter().map(move |r| (c, w, r))))
        .filter_map(|(c, w, r)| {
            let s = r.source.as_ref()?;
            let mut v =
                json!({ "title": format!("{}{}「{}」（{}）", c.name, w.name, s.title, r.fiscal_year.era_label()) });
            if let Some(u) = &s.url {
                v["path"] = json!(u);
            }
            Some(v)
        })
        .collect();
    if !sources.is_empty() {
        package["sources"] = json!(sources);
    }
    put(Output { path: DATAPACKAGE.into(), bytes: pretty(&package) });

    Ok(Downloads { sizes: sizes.into_inner().expect("no panics while holding it") })
}

// ---------------------------------------------------------------------------------------
// What pages show: downloads, citation, JSON-LD, embed snippet
// ---------------------------------------------------------------------------------------

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

fn source_cite(r: &Report) -> Option<SourceCite> {
    let s = r.source.as_ref()?;
    Some(SourceCite { year: r.fiscal_year.label(), title: s.title.clone(), url: s.url.clone() })
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
        t.push_str(&format!("（データ更新日：{}）", crate::render::date_ja(d)));
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
        updated: c.updated.map(crate::render::date_ja),
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
    pub goals: BTreeMap<String, GoalCitation>,
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

/// Years a series covers, in words: 「平成27年度〜平成28年度」.
fn years_span(s: &Series) -> String {
    match (s.points.first(), s.points.last()) {
        (Some(a), Some(b)) if a.year != b.year => format!("{}〜{}", a.year.era_label(), b.year.era_label()),
        (Some(a), _) => a.year.label(),
        _ => String::new(),
    }
}

/// The reports a series took values from, oldest first.
fn series_reports<'w>(ward: &'w Ward, s: &Series) -> Vec<&'w Report> {
    let years: BTreeSet<FiscalYear> = s.points.iter().map(|p| p.reported_in).collect();
    ward.reports.iter().filter(|r| years.contains(&r.fiscal_year)).collect()
}

pub fn series_data(
    config: &SiteConfig,
    urls: &Urls,
    downloads: &Downloads,
    city: &City,
    ward: &Ward,
    s: &Series,
) -> Option<SeriesData> {
    let reports = series_reports(ward, s);
    let latest = reports.last()?;
    let (c, w, id) = (&city.id, &ward.id, &s.indicator.id);
    let ward_full = format!("{}{}", city.name, ward.name);
    let url = urls.absolute(&urls::series(c, w, id));
    let embed_abs = urls.absolute(&series_embed(c, w, id));
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
            years: years_span(s),
            indicator: Some(s.indicator.name.clone()),
            subject: &subject,
            url,
            sources: reports.iter().filter_map(|r| source_cite(r)).collect(),
            updated: series_updated(ward, s),
        },
    );
    Some(SeriesData {
        downloads: downloads.links(urls, &[series_csv(c, w, id), series_json(c, w, id)]),
        citation,
        embed_url: urls.link(&series_embed(c, w, id)),
        embed_snippet,
        datapackage_url: urls.link(DATAPACKAGE),
    })
}

pub fn report_data(
    config: &SiteConfig,
    urls: &Urls,
    downloads: &Downloads,
    city: &City,
    ward: &Ward,
    report: &Report,
) -> ReportData {
    let (c, w, fy) = (&city.id, &ward.id, report.fiscal_year);
    let ward_full = format!("{}{}", city.name, ward.name);
    let url = urls.absolute(&urls::report(c, w, fy));
    let updated = report.updated.as_deref();
    let goals = report
        .goals
        .iter()
        .map(|g| {
            let name = format!("目標【{}】{}", g.id, goal_title(city, report, g));
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
        downloads: downloads.links(urls, &[report_csv(c, w, fy), report_json(c, w, fy)]),
        citation: citation(
            config,
            Cited {
                ward_full,
                report,
                years: fy.label(),
                indicator: None,
                subject: "",
                url,
                sources: source_cite(report).into_iter().collect(),
                updated,
            },
        ),
        goals,
        datapackage_url: urls.link(DATAPACKAGE),
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
            if let Some(u) = &s.url {
                v["url"] = json!(u);
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
pub fn series_json_ld(
    config: &SiteConfig,
    urls: &Urls,
    city: &City,
    ward: &Ward,
    s: &Series,
    data: &SeriesData,
) -> String {
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
        updated: series_updated(ward, s),
        files: &data.downloads,
        sources: &reports,
    };
    let mut d = dataset(config, urls, of);
    d["variableMeasured"] = json!({ "@type": "PropertyValue", "name": s.indicator.name, "unitText": s.indicator.unit });
    script_json(&d)
}

/// schema.org Dataset of a report page, ready for the script element.
pub fn report_json_ld(
    config: &SiteConfig,
    urls: &Urls,
    city: &City,
    ward: &Ward,
    report: &Report,
    data: &ReportData,
) -> String {
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
    fn sizes_for_people() {
        assert_eq!(size_label(850), "850バイト");
        assert_eq!(size_label(2048), "2KB");
        assert_eq!(size_label(2600), "3KB");
        assert_eq!(size_label(1_468_006), "1.4MB");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = script_json(&json!({ "name": "</script><!-- & x" }));
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><!-- & x");
    }

    #[test]
    fn cells_keep_empty_apart_from_zero() {
        assert_eq!(Cell::Empty.csv(), "");
        assert_eq!(Cell::Number("0".into()).csv(), "0");
        let json = |c: Cell| serde_json::to_string(&c).unwrap();
        assert_eq!(json(Cell::Empty), "null");
        assert_eq!(json(Cell::Number("86.0".into())), "86.0");
        assert_eq!(json(Cell::Number("2750".into())), "2750");
        assert_eq!(json(Cell::Number("12.5%".into())), "\"12.5%\"");
    }

    #[test]
    fn schema_fields_have_unique_names() {
        for fields in [OBSERVATION_FIELDS, REPORT_FIELDS] {
            let names: BTreeSet<&str> = fields.iter().map(|f| f.name).collect();
            assert_eq!(names.len(), fields.len());
            assert!(fields.iter().all(|f| f.name.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        }
    }
}
