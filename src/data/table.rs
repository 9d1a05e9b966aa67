//! The table engine of the data files: typed columns declared once, rows of typed cells,
//! written as CSV (UTF-8 with BOM), as JSON records and as a Frictionless Table Schema, so the
//! three cannot disagree.

use crate::ja::FiscalYear;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The byte order mark written at the start of every CSV file (spreadsheet software then
/// reads the Japanese text).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    pub fn schema_type(self) -> &'static str {
        match self {
            Kind::String | Kind::Uri => "string",
            Kind::Number => "number",
            Kind::Integer => "integer",
            Kind::Year => "year",
            Kind::Boolean => "boolean",
        }
    }
}

/// One column: its name (CSV header, JSON key), type, Japanese title and description, and
/// the values it may hold.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    pub description: &'static str,
    /// Every value the column may hold (Table Schema `enum`), listed by the types that define
    /// the codes, so the schema cannot drift from them.
    pub codes: Option<fn() -> Vec<String>>,
    /// A regular expression every value matches (Table Schema `pattern`).
    pub pattern: Option<&'static str>,
}

impl Field {
    pub const fn new(name: &'static str, kind: Kind, title: &'static str, description: &'static str) -> Field {
        Field { name, kind, title, description, codes: None, pattern: None }
    }
    /// The column holds only these codes.
    #[must_use]
    pub const fn codes(self, codes: fn() -> Vec<String>) -> Field {
        Field { codes: Some(codes), ..self }
    }
    /// Every value of the column matches `pattern`.
    #[must_use]
    pub const fn pattern(self, pattern: &'static str) -> Field {
        Field { pattern: Some(pattern), ..self }
    }
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// What the schemas say about it (`Cell::csv`).
pub const FORMULA_NOTE: &str = "CSVでは、=・+・-・@・タブ・CR で始まる文字列の値の前に ' を付けています（表計算ソフトが式として実行しないため。OWASP の推奨）。数値の列はそのままです。JSONでは値をそのまま記載しています。";

/// How to read the codes of the CSV files as text in pandas (which would read a code of digits
/// as a number and drop a leading zero).
pub const PANDAS_NOTE: &str = "pandas で読むときは、コードを文字列として読むよう pd.read_csv(url, dtype={\"local_gov_code\": str}) と指定してください。";

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
    pub(super) fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
    }
    pub(super) fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }
    pub(super) fn year(fy: Option<FiscalYear>) -> Cell {
        fy.map_or(Cell::Empty, |y| Cell::Integer(i64::from(y.western())))
    }
    /// The cell as CSV text. Text that a spreadsheet would run as a formula (starting with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'` (OWASP's advice
    /// against CSV injection); numbers are written as they are.
    pub(super) fn csv(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty => "".into(),
            Cell::Text(s) if s.starts_with(FORMULA_STARTS) => format!("'{s}").into(),
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
pub(super) struct Row {
    fields: &'static [Field],
    cells: Vec<Cell>,
}

impl Row {
    pub(super) fn new(fields: &'static [Field]) -> Row {
        Row { fields, cells: vec![Cell::Empty; fields.len()] }
    }

    /// Sets the cell of column `name` (a column of the row's table: the field lists are
    /// constants, and tests/integration/data.rs writes every kind of row).
    pub(super) fn insert(&mut self, name: &'static str, cell: Cell) {
        let i =
            self.fields.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no column {name} in this table"));
        self.cells[i] = cell;
    }

    /// The cell of column `name`, if the row's table has it.
    pub(super) fn cell(&self, name: &str) -> Option<&Cell> {
        self.fields.iter().position(|f| f.name == name).map(|i| &self.cells[i])
    }
}

/// Rows under a fixed list of columns.
pub(super) struct Table {
    fields: &'static [Field],
    pub(super) rows: Vec<Row>,
}

impl Table {
    pub(super) fn new(fields: &'static [Field]) -> Table {
        Table { fields, rows: Vec::new() }
    }

    pub(super) fn push(&mut self, row: Row) {
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

    /// What [`Table::csv`] writes before the rows: the byte order mark and the header row.
    /// The CSV of several tables' rows is this, then each one's [`Table::csv_rows`].
    pub(super) fn csv_header(&self) -> Vec<u8> {
        const INFALLIBLE: &str = "writing CSV records into a Vec";
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.to_vec());
        w.write_record(self.fields.iter().map(|f| f.name)).expect(INFALLIBLE);
        w.into_inner().expect(INFALLIBLE)
    }

    /// What [`Table::csv`] writes after the header: the rows (each field is quoted on its own,
    /// so rows written apart are the same bytes as rows written together).
    pub(super) fn csv_rows(&self) -> Vec<u8> {
        const INFALLIBLE: &str = "writing CSV records into a Vec";
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        for row in &self.rows {
            for (_, c) in self.cells(row) {
                w.write_field(c.csv().as_bytes()).expect(INFALLIBLE);
            }
            w.write_record(None::<&[u8]>).expect(INFALLIBLE);
        }
        w.into_inner().expect(INFALLIBLE)
    }

    /// UTF-8 with BOM, one header row, CRLF line ends (RFC 4180).
    pub(super) fn csv(&self) -> Vec<u8> {
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
    pub(super) fn records(&self) -> Records<'_> {
        Records(self)
    }
}

/// A table's rows, serialised straight from the cells (no `Value` tree per file).
pub(super) struct Records<'t>(&'t Table);

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
pub(super) fn document_with_records(head: Value, key: &'static str, records: Records) -> Vec<u8> {
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

/// A foreign key of a Table Schema: `fields` of this table refer to `reference_fields` of
/// the package's resource `resource`.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub resource: &'static str,
    pub reference_fields: &'static [&'static str],
}

/// A Table Schema (Frictionless) for a list of columns. The primary key's columns are
/// `required` (a key is never empty).
pub fn table_schema(fields: &[Field], primary_key: &[&str], foreign_keys: &[ForeignKey]) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|f| {
            let mut o =
                json!({ "name": f.name, "type": f.kind.schema_type(), "title": f.title, "description": f.description });
            if f.kind == Kind::Uri {
                o["format"] = json!("uri");
            }
            let mut constraints = Map::new();
            if primary_key.contains(&f.name) {
                constraints.insert("required".into(), json!(true));
            }
            if let Some(codes) = f.codes {
                constraints.insert("enum".into(), json!(codes()));
            }
            if let Some(p) = f.pattern {
                constraints.insert("pattern".into(), json!(p));
            }
            if !constraints.is_empty() {
                o["constraints"] = Value::Object(constraints);
            }
            o
        })
        .collect();
    let mut schema =
        json!({ "fields": fields, "missingValues": [""], "description": format!("{FORMULA_NOTE}{PANDAS_NOTE}") });
    if !primary_key.is_empty() {
        schema["primaryKey"] = json!(primary_key);
    }
    if !foreign_keys.is_empty() {
        schema["foreignKeys"] = foreign_keys
            .iter()
            .map(|k| json!({ "fields": k.fields, "reference": { "resource": k.resource, "fields": k.reference_fields } }))
            .collect();
    }
    schema
}

/// The package and its schemas (read by people): indented.
pub(super) fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values always serialise");
    bytes.push(b'\n');
    bytes
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_a_spreadsheet_would_run_is_quoted_in_csv_only() {
        for (text, csv) in [
            ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
            ("+cmd", "'+cmd"),
            ("-2+3+cmd", "'-2+3+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("北区", "北区"),
            ("81％", "81％"),
        ] {
            assert_eq!(Cell::Text(text.into()).csv(), csv);
            assert_eq!(serde_json::to_string(&Cell::Text(text.into())).unwrap(), serde_json::to_string(text).unwrap());
        }
        assert_eq!(Cell::Number("-3.5".into()).csv(), "-3.5", "numbers untouched");
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
}
