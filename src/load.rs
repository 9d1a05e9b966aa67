//! Walks `content/` and parses every file into raw structs that keep source spans.
//! Nothing here judges meaning (ratings, numbers, references): that is `model`'s job.

use crate::error::{Error, Errors, Span};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A content file's path (relative to the site root, for messages) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Byte offset of each line's start: spans resolve by binary search, not by rescanning.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceFile { path, text, line_starts }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        let line = self.line_starts.partition_point(|&s| s <= range.start.min(self.text.len()));
        let start = self.line_starts[line - 1];
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        Span::in_line(
            &self.path,
            &self.text[start..end],
            line,
            range.start.saturating_sub(start)..range.end.saturating_sub(start),
        )
    }
    pub fn span_of<T>(&self, s: &Spanned<T>) -> Span {
        self.span(s.span())
    }
}

/// Everything read from `content/`, in a deterministic order.
#[derive(Debug)]
pub struct Loaded {
    pub home_intro: Option<SourceFile>,
    pub cities: Vec<LoadedCity>,
    /// Files under `static/`, copied into the site as they are.
    pub statics: Vec<StaticFile>,
}

/// A file under `static/` (an original PDF, an image, a logo, `favicon.ico`): published at the
/// same path in the site, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Relative to `static/`, with `/` separators: also its path in the site.
    pub path: String,
    pub size: u64,
}

/// Every file under `root/static`, sorted; hidden files and folders (`.DS_Store`, `.git`) are
/// left out, as Hugo and Zola do.
pub fn static_files(root: &Path) -> Vec<StaticFile> {
    let dir = root.join("static");
    let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !hidden(e))
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&dir).ok()?;
            let path = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            Some(StaticFile { path, size: e.metadata().ok()?.len() })
        })
        .collect()
}

#[derive(Debug)]
pub struct LoadedCity {
    pub id: String,
    pub file: SourceFile,
    pub municipality: RawMunicipality,
    pub policy: Option<(SourceFile, RawPolicy)>,
    pub wards: Vec<LoadedWard>,
}

#[derive(Debug)]
pub struct LoadedWard {
    pub id: String,
    pub file: SourceFile,
    pub ward: RawWard,
    pub reports: Vec<LoadedReport>,
}

#[derive(Debug)]
pub struct LoadedReport {
    /// The folder name (the Western fiscal year).
    pub folder: String,
    pub file: SourceFile,
    pub report: RawReport,
    pub intro: Option<SourceFile>,
}

// ---- raw TOML shapes (see docs/content-format.md) ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMunicipality {
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub code: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub title: String,
    #[serde(default)]
    pub pillars: Vec<RawPillar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPillar {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub areas: Vec<RawPolicyNode>,
}

/// An area, item or sub-item of the policy: the same shape at every level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicyNode {
    pub id: Spanned<String>,
    #[serde(default)]
    pub label: String,
    /// Some policy rows print no title.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub indicators: Vec<RawIndicatorDef>,
    #[serde(default, alias = "subitems")]
    pub items: Vec<RawPolicyNode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicatorDef {
    pub id: Spanned<String>,
    pub name: String,
    /// Absent for a qualitative indicator.
    pub unit: Option<Spanned<String>>,
    pub target: Option<RawTarget>,
    pub direction: Option<Spanned<String>>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWard {
    pub name: String,
    #[serde(default)]
    pub name_kana: String,
    #[serde(default)]
    pub description: String,
}

/// A measured value as content writes it: text as the source prints it (「83.2％」), a result
/// the source prints in words (`{ text = "4地域中3地域" }`), or, by mistake, a bare TOML number
/// (checked and explained in `model`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawValue {
    Text(String),
    Number(f64),
    Words(RawWords),
}

/// `{ text = "…" }`: a result printed in words or in another measure than the indicator's unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWords {
    pub text: String,
}

/// A date as content writes it: a TOML date (2018-06-29) or text (「平成30年6月29日」).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    Date(toml::value::Datetime),
    Text(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawYear {
    Text(String),
    Number(i64),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub fiscal_year: Spanned<RawYear>,
    /// Not yet published: left out of a build unless drafts are asked for (`--drafts`).
    #[serde(default)]
    pub draft: bool,
    pub title: String,
    pub updated: Option<Spanned<RawDate>>,
    #[serde(default)]
    pub transcription_notes: Vec<String>,
    pub source: Option<RawSource>,
    #[serde(default)]
    pub goals: Vec<RawGoal>,
    #[serde(default)]
    pub initiatives: Vec<RawInitiative>,
    #[serde(default)]
    pub corrections: Vec<RawCorrection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: String,
    /// The original document as a file under `static/` (e.g. `sources/kita-2016.pdf`).
    pub file: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    /// When the ward published it: a date (2017-06-30) or 和暦 (平成29年6月30日).
    pub published: Option<Spanned<RawDate>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGoal {
    pub id: Spanned<String>,
    pub policy: Option<Spanned<String>>,
    pub title: Option<String>,
    pub desired_state: String,
    #[serde(default)]
    pub strategy: String,
    #[serde(default)]
    pub strategy_revised: bool,
    pub outcome_rating: Option<Spanned<String>>,
    pub strategy_progress: Option<Spanned<String>>,
    pub effectiveness: Option<Spanned<String>>,
    #[serde(default)]
    pub issues: String,
    #[serde(default)]
    pub next_steps: String,
    #[serde(default)]
    pub outcomes: Vec<RawMeasurement>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasurement {
    pub indicator: Spanned<String>,
    pub name: Option<String>,
    pub unit: Option<Spanned<String>>,
    pub target: Option<RawTarget>,
    pub direction: Option<Spanned<String>>,
    pub measure: Option<String>,
    pub value: Option<Spanned<RawValue>>,
    pub previous: Option<Spanned<RawValue>>,
    pub rating: Option<Spanned<String>>,
    #[serde(default)]
    pub notes: Vec<String>,
    pub survey: Option<RawSurvey>,
    /// The survey behind the `previous` (前年度) value, where the source gives it.
    pub previous_survey: Option<Spanned<RawSurvey>>,
    pub source_ref: Option<String>,
    pub series_break: Option<String>,
    pub continues: Option<Spanned<String>>,
    /// Declares an id that is new in this report although an earlier one has a similar id
    /// or the same name (silences the "did you mean" warning).
    #[serde(default)]
    pub new_indicator: bool,
    /// The source itself prints this value with figures or codes that contradict it, and a
    /// note says so: recorded as printed (silences the proof-reading warnings).
    #[serde(default)]
    pub as_printed: bool,
    /// The source prints one rating (個別) for this outcome and another outcome of the same
    /// goal (the id of that outcome): the rating is counted once.
    pub rated_with: Option<Spanned<String>>,
    /// Why the place of this row's value, rating or code in the source is ambiguous: the
    /// reading is marked uncertain on the page and in the data.
    pub uncertain: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSurvey {
    pub name: String,
    pub asked: Option<Spanned<u32>>,
    pub answered: Option<Spanned<u32>>,
    pub response_rate: Option<Spanned<String>>,
    pub when: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub text: String,
    pub comparator: Spanned<String>,
    pub value: Option<Spanned<String>>,
    pub deadline: Option<Spanned<RawYear>>,
    pub base: Option<Spanned<RawYear>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWithdrawal {
    pub text: String,
    pub comparator: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub indicator: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitiative {
    pub id: Spanned<String>,
    pub label: Option<String>,
    pub goal: Option<Spanned<String>>,
    pub title: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub performance_target: String,
    pub withdrawal: Option<RawWithdrawal>,
    /// When an initiative states several criteria (one per indicator).
    #[serde(default)]
    pub withdrawals: Vec<RawWithdrawal>,
    #[serde(default)]
    pub previous_results: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub achievement: String,
    pub achievement_code: Option<Spanned<String>>,
    pub effectiveness: Option<Spanned<String>>,
    #[serde(default)]
    pub issues: String,
    #[serde(default)]
    pub improvements: String,
    #[serde(default)]
    pub indicators: Vec<RawMeasurement>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Declares which value stands when two reports disagree about one fiscal year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub indicator: Spanned<String>,
    pub fiscal_year: Spanned<RawYear>,
    pub value: Spanned<String>,
    pub note: String,
}

// ---- walking ----

fn read(root: &Path, path: &Path, errors: &mut Errors) -> Option<SourceFile> {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    match std::fs::read(path).map(decode) {
        Ok(Err(bytes)) => {
            errors.push(not_utf8(&rel, &bytes));
            None
        }
        Ok(Ok(text)) => {
            let file = SourceFile::new(rel, text);
            if let Some(e) = crate::web::forbidden_char_error(&file.path, &file.text) {
                errors.push(e);
            }
            Some(file)
        }
        Err(e) => {
            errors.push(Error::Io { path: rel, message: e.to_string() });
            None
        }
    }
}

/// A file's bytes as text: UTF-8, with or without a byte order mark (which some Windows
/// editors write). Anything else is handed back for [`not_utf8`].
fn decode(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(std::string::FromUtf8Error::into_bytes)
}

/// The error for a file that is not UTF-8: the encoding it most likely is (`Shift_JIS` and
/// EUC-JP are common in city offices, UTF-16 from some Windows tools), where the first byte
/// that is not UTF-8 stands, and what to do.
fn not_utf8(path: &Path, bytes: &[u8]) -> Error {
    let encoding = match bytes {
        [0xFF, 0xFE, ..] => encoding_rs::UTF_16LE,
        [0xFE, 0xFF, ..] => encoding_rs::UTF_16BE,
        _ => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(Some(b"jp"), true)
        }
    };
    let at = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
    let (shown, _, _) = encoding.decode(bytes);
    // The place in the file as the detected encoding reads it.
    let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
    let line_text = shown.lines().nth(line - 1).unwrap_or_default();
    let column = String::from_utf8_lossy(&bytes[..at]).rsplit('\n').next().unwrap_or_default().chars().count();
    Error::invalid(
        Span::in_line(path, line_text, line, column..column + 1),
        format!("text in {} (not UTF-8)", encoding.name()),
        "UTF-8: save the file as UTF-8 (in Windows メモ帳, 名前を付けて保存 → 文字コード「UTF-8」), then build again",
    )
}

fn parse<T: serde::de::DeserializeOwned>(file: &SourceFile, errors: &mut Errors) -> Option<T> {
    match toml::from_str(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e.span().map_or_else(|| Span::file(&file.path), |r| file.span(r));
            errors.push(Error::Toml { span, message: e.message().to_string() });
            None
        }
    }
}

fn read_optional(root: &Path, path: &Path, errors: &mut Errors) -> Option<SourceFile> {
    path.is_file().then(|| read(root, path, errors)).flatten()
}

/// Sorted sub-folders of `dir` (hidden ones skipped).
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(walkdir::DirEntry::into_path)
        .collect();
    dirs.sort();
    dirs
}

fn folder_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads `root/content`. Every parse error of every file is collected; the files that did
/// parse are returned beside them, so later checks can report their mistakes in the same run.
pub fn load(root: &Path) -> (Loaded, Errors) {
    load_with(root, None)
}

/// Reports parsed by an earlier [`load_cached`] (the preview keeps them between builds): a
/// report whose `report.toml` and `report.md` have the size and modification time they had
/// when it was parsed is not read again.
#[derive(Debug, Default)]
pub struct LoadCache {
    /// By the path of `report.toml` (relative to the site root): the report and its stamp.
    reports: HashMap<PathBuf, (Stamp, LoadedReport)>,
    /// The stamps of the reports of the last load that may be cached (taken before reading them).
    stamps: HashMap<PathBuf, Stamp>,
    /// How many reports the last load parsed.
    parsed: usize,
}

/// Size and modification time of a report's `report.toml` and `report.md` (`None`: absent).
type Stamp = [Option<(u64, std::time::SystemTime)>; 2];

fn stamp(report_dir: &Path) -> Stamp {
    let of = |name: &str| {
        let m = std::fs::metadata(report_dir.join(name)).ok()?;
        Some((m.len(), m.modified().ok()?))
    };
    [of("report.toml"), of("report.md")]
}

impl LoadCache {
    /// Keeps the parsed reports of `loaded` for the next [`load_cached`] (once the model has
    /// been built from it).
    pub fn keep(&mut self, loaded: Loaded) {
        let mut stamps = std::mem::take(&mut self.stamps);
        for report in loaded.cities.into_iter().flat_map(|c| c.wards).flat_map(|w| w.reports) {
            if let Some(stamp) = stamps.remove(&report.file.path) {
                self.reports.insert(report.file.path.clone(), (stamp, report));
            }
        }
    }

    /// How many reports the last load parsed (the others came from the cache).
    pub fn parsed(&self) -> usize {
        self.parsed
    }
}

/// [`load`], taking unchanged reports from `cache` instead of parsing them again. Reports
/// that had an error are never cached: their errors are reported again on every load.
pub fn load_cached(root: &Path, cache: &mut LoadCache) -> (Loaded, Errors) {
    load_with(root, Some(cache))
}

fn load_with(root: &Path, mut cache: Option<&mut LoadCache>) -> (Loaded, Errors) {
    let content = root.join("content");
    let mut errors = Errors::default();
    if !content.is_dir() {
        errors.push(Error::Io { path: content, message: "no content/ folder".into() });
        return (Loaded { home_intro: None, cities: Vec::new(), statics: static_files(root) }, errors);
    }
    let mut kept = cache.as_deref_mut().map(|c| std::mem::take(&mut c.reports)).unwrap_or_default();
    let mut stamps = HashMap::new();
    let mut parsed_reports = 0;
    let home_intro = read_optional(root, &content.join("index.md"), &mut errors);
    let mut cities = Vec::new();
    for city_dir in subdirs(&content) {
        let Some(file) = read(root, &city_dir.join("municipality.toml"), &mut errors) else { continue };
        let Some(municipality) = parse::<RawMunicipality>(&file, &mut errors) else { continue };
        let policy_path = city_dir.join("policy.toml");
        let policy = if policy_path.is_file() {
            read(root, &policy_path, &mut errors).and_then(|f| parse::<RawPolicy>(&f, &mut errors).map(|p| (f, p)))
        } else {
            None
        };
        let mut wards = Vec::new();
        for ward_dir in subdirs(&city_dir) {
            let Some(file) = read(root, &ward_dir.join("ward.toml"), &mut errors) else { continue };
            // A broken ward.toml still lets its reports be checked (the error fails the build).
            let ward = parse::<RawWard>(&file, &mut errors).unwrap_or_else(|| RawWard {
                name: folder_name(&ward_dir),
                name_kana: String::new(),
                description: String::new(),
            });
            // An unchanged report from the cache; the others are read below.
            // A report folder, its report when the cache has it unchanged, and its key and stamp.
            type Dir = (PathBuf, Option<LoadedReport>, Option<(PathBuf, Stamp)>);
            let dirs: Vec<Dir> = subdirs(&ward_dir)
                .into_iter()
                .map(|dir| {
                    if cache.is_none() {
                        return (dir, None, None);
                    }
                    let key = dir.join("report.toml").strip_prefix(root).map(Path::to_path_buf).unwrap_or_default();
                    let now = stamp(&dir);
                    match kept.remove(&key) {
                        Some((then, report)) if then == now && now[0].is_some() => {
                            (dir, Some(report), Some((key, now)))
                        }
                        _ => (dir, None, Some((key, now))),
                    }
                })
                .collect();
            // Reports are the bulk of the content: parsed in parallel, kept in folder order.
            // The report, its errors, its stamp (when it may be cached), whether it was read.
            type Parsed = (Option<LoadedReport>, Errors, Option<(PathBuf, Stamp)>, bool);
            let parsed: Vec<Parsed> = dirs
                .into_par_iter()
                .map(|(report_dir, cached, stamp)| {
                    if let Some(report) = cached {
                        return (Some(report), Errors::default(), stamp, false);
                    }
                    let mut errors = Errors::default();
                    let report = read(root, &report_dir.join("report.toml"), &mut errors).and_then(|file| {
                        let intro = read_optional(root, &report_dir.join("report.md"), &mut errors);
                        let report = parse::<RawReport>(&file, &mut errors)?;
                        Some(LoadedReport { folder: folder_name(&report_dir), file, report, intro })
                    });
                    // Only a report read without an error may be taken from the cache next time.
                    let stamp = stamp.filter(|_| errors.is_empty() && report.is_some());
                    (report, errors, stamp, true)
                })
                .collect();
            let mut reports = Vec::new();
            for (report, more, stamp, read) in parsed {
                parsed_reports += usize::from(read);
                errors.0.extend(more.0);
                reports.extend(report);
                stamps.extend(stamp);
            }
            wards.push(LoadedWard { id: folder_name(&ward_dir), file, ward, reports });
        }
        cities.push(LoadedCity { id: folder_name(&city_dir), file, municipality, policy, wards });
    }
    stray_files(root, &content, &mut errors);
    if let Some(cache) = cache {
        cache.stamps = stamps;
        cache.parsed = parsed_reports;
    }
    (Loaded { home_intro, cities, statics: static_files(root) }, errors)
}

/// A `.toml` or `.md` file where mieruka reads none would otherwise be ignored without a
/// word (e.g. `goals.toml` beside `report.toml`): it is an error naming where such files go.
fn stray_files(root: &Path, content: &Path, errors: &mut Errors) {
    for entry in walkdir::WalkDir::new(content).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(content) else { continue };
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !entry.file_type().is_file() || !(name.ends_with(".toml") || name.ends_with(".md")) || name.starts_with('.')
        {
            continue;
        }
        let depth = rel.components().count();
        let expected = matches!(
            (depth, name.as_str()),
            (1, "index.md")
                | (2, "municipality.toml" | "policy.toml")
                | (3, "ward.toml")
                | (4, "report.toml" | "report.md")
        );
        if !expected {
            let file = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            errors.push(Error::invalid(
                Span::file(&file),
                name,
                "content files only as content/index.md, <city>/municipality.toml, <city>/policy.toml, \
                 <city>/<ward>/ward.toml and <city>/<ward>/<year>/report.toml or report.md (docs/content-format.md)",
            ));
        }
    }
}

/// Files of a site root that nothing reads, so nothing publishes: anything in `content/` that
/// is not TOML or Markdown (a PDF, an image), anything in `assets/` but `style.css`, anything in
/// `templates/` that is not a template. Each is a warning, not silence. Hidden files (`.git`,
/// `.DS_Store`) are left alone.
pub fn unused_files(root: &Path) -> Vec<crate::error::Warning> {
    let mut warnings = Vec::new();
    // (folder, whether a file in it is read, what the folder is for)
    type Folder = (&'static str, fn(&Path) -> bool, &'static str);
    let folders: [Folder; 3] = [
        (
            "content",
            |p| p.extension().is_some_and(|e| e == "toml" || e == "md"),
            "content/ holds only TOML and Markdown files; a file to publish as it is, such as the original PDF, goes in static/",
        ),
        (
            "assets",
            |p| p.file_name().is_some_and(|n| n == "style.css"),
            "assets/ is read for style.css only; a file to publish as it is, such as a logo, goes in static/",
        ),
        ("templates", |p| p.extension().is_some_and(|e| e == "html"), "templates/ holds .html templates only"),
    ];
    for (folder, used, why) in folders {
        let dir = root.join(folder);
        let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_entry(|e| !hidden(e)).flatten()
        {
            let path = entry.path();
            if entry.file_type().is_file() && !used(path) {
                let rel = path.strip_prefix(root).unwrap_or(path);
                warnings.push(crate::error::Warning {
                    span: Span::file(rel),
                    message: format!("{} is not used and will not be published ({why})", rel.display()),
                    other: None,
                });
            }
        }
    }
    warnings
}

/// What `mieruka new report` writes where this year's figures and words go: 「未記入」 (not
/// filled in). A draft shows it as it is; anywhere else it is an error, so it is never published.
pub const PLACEHOLDER: &str = "未記入";

/// Where a file holds the placeholder as a whole string value (`value = "未記入"`), in file
/// order. Files without the text (nearly all) are not parsed a second time.
pub fn placeholders(file: &SourceFile) -> Vec<Span> {
    use toml::de::{DeTable, DeValue};
    fn walk(v: &Spanned<DeValue<'_>>, out: &mut Vec<Range<usize>>) {
        match v.get_ref() {
            DeValue::String(s) if s.trim() == PLACEHOLDER => out.push(v.span()),
            DeValue::Array(items) => items.iter().for_each(|i| walk(i, out)),
            DeValue::Table(t) => t.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    if memchr::memmem::find(file.text.as_bytes(), PLACEHOLDER.as_bytes()).is_none() {
        return Vec::new();
    }
    let Ok(table) = DeTable::parse(&file.text) else { return Vec::new() };
    let mut ranges = Vec::new();
    table.get_ref().values().for_each(|v| walk(v, &mut ranges));
    ranges.sort_by_key(|r| r.start);
    ranges.into_iter().map(|r| file.span(r)).collect()
}

/// Ids used in URLs: lowercase ASCII letters, digits and hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Keeps insertion-independent order for maps keyed by id.
pub type IdMap<T> = BTreeMap<String, T>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_stray_content_file_is_an_error_not_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let report = tmp.path().join("content/city/ward/2016");
        std::fs::create_dir_all(&report).unwrap();
        std::fs::write(tmp.path().join("content/index.md"), "x").unwrap();
        std::fs::write(report.join("report.md"), "x").unwrap();
        std::fs::write(report.join("goals.toml"), "x").unwrap();
        std::fs::write(report.join("photo.png"), "x").unwrap();
        let mut errors = Errors::default();
        stray_files(tmp.path(), &tmp.path().join("content"), &mut errors);
        let messages: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("content/city/ward/2016/goals.toml") && messages[0].contains("found `goals.toml`"),
            "{}",
            messages[0]
        );
    }

    #[test]
    fn line_index_spans_match_scanning() {
        let text = "a = 1\n\nrating = \"Ｃ\"\nx = [\n  \"y\",\n]\n";
        let file = SourceFile::new(PathBuf::from("r.toml"), text.to_string());
        for start in [0, 4, 7, 16, 24, text.len()] {
            let start = (0..=start).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            assert_eq!(
                file.span(start..start + 1),
                Span::new(Path::new("r.toml"), text, start..start + 1),
                "at {start}"
            );
        }
    }
}
