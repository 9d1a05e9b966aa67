//! `mieruka init` (a new site that builds at once) and `mieruka new report` (a ward's report of
//! a new fiscal year: its latest report carried over with this year's results left to fill in,
//! or a commented skeleton). Files are only ever created: nothing that exists is overwritten.
//!
//! Not a step of the build: it writes content for the clerk, who then fills in every
//! 「未記入」 ([`PLACEHOLDER`]) and deletes `draft = true`.

mod next;
mod skeleton;

use crate::error::{Error, Span};
use crate::ja::{FiscalYear, normalize_width};
use crate::load::{self, RawReport, SourceFile};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the clerk has still to write (`load::PLACEHOLDER`): a report with `draft = true` may
/// hold it; anywhere else the model reports it as not filled in.
pub use crate::load::PLACEHOLDER;

/// Top-level folder names the site uses itself (docs/content-format.md): not a city's id.
const RESERVED_CITY_IDS: [&str; 5] = ["about", "accessibility", "assets", "data", "indicators"];

/// Why nothing was written.
#[derive(Debug)]
pub enum ScaffoldError {
    /// `init` into a folder that holds something (named, a few).
    NotEmpty {
        dir: PathBuf,
        entries: Vec<String>,
        more: usize,
    },
    /// `init` into a path that is a file.
    NotAFolder {
        path: PathBuf,
    },
    /// `new report` with no site at `--root`.
    NoSite {
        root: PathBuf,
    },
    /// Not `<city>/<ward>/<fiscal-year>`.
    BadTarget {
        given: String,
    },
    /// A city or ward id that cannot be a folder of content/.
    BadId {
        kind: &'static str,
        id: String,
        reserved: bool,
    },
    /// A fiscal year that is not one; `calendar` when it reads as a calendar year (`2017年`).
    BadYear {
        given: String,
        calendar: bool,
    },
    /// The report (or another file to create) is there already.
    Exists {
        path: PathBuf,
    },
    /// The latest report, which the new one is made from, does not load.
    Latest {
        error: Error,
    },
    Io {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const YEARS: &str = "2017、2017年度、平成29年度、H29、令和元年度、R2";
        match self {
            ScaffoldError::NotEmpty { dir, entries, more } => {
                let more = if *more > 0 { format!(" ほか{more}件") } else { String::new() };
                write!(
                    f,
                    "error: {} は空のフォルダではありません（not empty: {}{more}）。\n\
                     mieruka init は、空のフォルダか、まだないフォルダにだけサイトを作ります。何も書いていません。",
                    dir.display(),
                    entries.join(", ")
                )
            }
            ScaffoldError::NotAFolder { path } => {
                write!(
                    f,
                    "error: {} はフォルダではなくファイルです（not a folder）。何も書いていません。",
                    path.display()
                )
            }
            ScaffoldError::NoSite { root } => write!(
                f,
                "error: {} にサイトがありません（no site.toml and content/）。\n\
                 サイトのフォルダを --root で指定するか、mieruka init で新しいサイトを作ってください。",
                root.display()
            ),
            ScaffoldError::BadTarget { given } => write!(
                f,
                "error: `{given}` は <city>/<ward>/<fiscal-year>（市/区/年度）の形ではありません。\n\
                 例：mieruka new report osaka/kita/平成29年度"
            ),
            ScaffoldError::BadId { kind, id, reserved: false } => write!(
                f,
                "error: {kind}の id `{id}` はフォルダ名にできません。英小文字・数字・ハイフン（a-z, 0-9, -）だけで、\
                 ハイフンで始まらず終わらない名前にしてください（ページのアドレスになります）。"
            ),
            ScaffoldError::BadId { kind, id, reserved: true } => write!(
                f,
                "error: {kind}の id `{id}` はサイト自身が使う名前です（reserved）。別の名前にしてください\
                 （市には {} を、区には indicators を使えません）。",
                RESERVED_CITY_IDS.join(", ")
            ),
            ScaffoldError::BadYear { given, calendar: true } => write!(
                f,
                "error: `{given}` は暦年（calendar year）です。年度（fiscal year、4月から翌年3月まで）で書いてください：{YEARS}"
            ),
            ScaffoldError::BadYear { given, calendar: false } => {
                write!(f, "error: `{given}` は年度（fiscal year）として読めません。書き方：{YEARS}")
            }
            ScaffoldError::Exists { path } => write!(
                f,
                "error: {} はすでにあります（already exists）。上書きはしません。何も書いていません。\n\
                 作り直すときは、そのファイルを消してから、もう一度実行してください。",
                path.display()
            ),
            ScaffoldError::Latest { error } => write!(
                f,
                "{error}\nerror: 前年度までの最新の報告書が読めないため、新しい報告書を作れません。\
                 上の誤りを直してから、もう一度実行してください。何も書いていません。"
            ),
            ScaffoldError::Io { path, message } => {
                write!(f, "error: {} を読み書きできません（cannot read or write）：{message}", path.display())
            }
        }
    }
}

impl std::error::Error for ScaffoldError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |e| ScaffoldError::Io { path: path.to_path_buf(), message: e.to_string() }
}

/// Files to create, relative to a folder, with their text.
type Files = Vec<(PathBuf, String)>;

/// Creates every file (and the folders they go in), each only if it does not exist. They are
/// all checked first, so that either every file is written or none is.
fn create_all(base: &Path, files: &Files) -> Result<(), ScaffoldError> {
    for (rel, _) in files {
        let path = base.join(rel);
        if path.exists() {
            return Err(ScaffoldError::Exists { path: rel.clone() });
        }
    }
    for (rel, text) in files {
        let path = base.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // create_new: a file that appeared since the check above is not overwritten either.
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ScaffoldError::Exists { path: rel.clone() }
            } else {
                io(&path)(e)
            }
        })?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io(&path))?;
    }
    Ok(())
}

/// How a command names the site folder to the clerk: nothing for the current folder.
fn root_arg(root: &Path) -> String {
    if root == Path::new(".") { String::new() } else { format!(" --root {}", root.display()) }
}

// ---- mieruka init ----------------------------------------------------------------------

/// A new site, written.
#[derive(Debug)]
pub struct Initialised {
    pub dir: PathBuf,
    /// Relative to `dir`.
    pub files: Vec<PathBuf>,
}

/// Makes a new site in `dir` (created when missing): `site.toml`, `content/index.md` and a
/// `.gitignore`. `dir` must be empty: anything in it, a hidden file too, and nothing is written.
pub fn init(dir: &Path) -> Result<Initialised, ScaffoldError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(ScaffoldError::NotAFolder { path: dir.to_path_buf() });
        }
        let mut entries: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        if !entries.is_empty() {
            entries.sort();
            let more = entries.len().saturating_sub(5);
            entries.truncate(5);
            return Err(ScaffoldError::NotEmpty { dir: dir.to_path_buf(), entries, more });
        }
    }
    let files: Files = vec![
        (PathBuf::from("site.toml"), skeleton::SITE_TOML.to_string()),
        (PathBuf::from("content/index.md"), skeleton::INDEX_MD.to_string()),
        (PathBuf::from(".gitignore"), skeleton::GITIGNORE.to_string()),
    ];
    create_all(dir, &files)?;
    Ok(Initialised { dir: dir.to_path_buf(), files: files.into_iter().map(|(p, _)| p).collect() })
}

impl fmt::Display for Initialised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "新しいサイトを作りました（new site）：{}", self.dir.display())?;
        for file in &self.files {
            writeln!(f, "  {}", file.display())?;
        }
        writeln!(f, "次にすること（next steps）：")?;
        if self.dir != Path::new(".") {
            // The commands below run in the site's folder (the build writes public/ where it runs).
            writeln!(f, "  まず、サイトのフォルダに移ります：cd {}", self.dir.display())?;
        }
        let steps = [
            "site.toml の title と base_url を、このサイトに合わせて書き換えてください（各項目の説明はコメントにあります）。",
            "content/index.md のトップページの紹介文を書き換えてください。",
            "報告書の下書きを作ります：mieruka new report <city>/<ward>/<fiscal-year>（例 osaka/kita/平成29年度）",
            "mieruka build で、サイトが public/ にできます。",
        ];
        for (i, step) in steps.iter().enumerate() {
            write!(f, "{}  {}. {step}", if i == 0 { "" } else { "\n" }, i + 1)?;
        }
        Ok(())
    }
}

// ---- mieruka new report ----------------------------------------------------------------

/// A new report, written.
#[derive(Debug)]
pub struct NewReport {
    pub root: PathBuf,
    pub fiscal_year: FiscalYear,
    /// Relative to `root`, the report first.
    pub files: Vec<PathBuf>,
    /// The report it was made from (relative to `root`) and its fiscal year; `None` for a skeleton.
    pub from: Option<(PathBuf, FiscalYear)>,
    /// Whether that report is itself still a draft.
    pub from_draft: bool,
}

/// Reads `<city>/<ward>/<fiscal-year>`: the two ids and the fiscal year.
fn parse_target(target: &str) -> Result<(String, String, FiscalYear), ScaffoldError> {
    let parts: Vec<&str> = target.trim().trim_matches('/').split('/').collect();
    let [city, ward, year] = parts.as_slice() else {
        return Err(ScaffoldError::BadTarget { given: target.to_string() });
    };
    if [city, ward, year].iter().any(|p| p.trim().is_empty()) {
        return Err(ScaffoldError::BadTarget { given: target.to_string() });
    }
    for (kind, id, reserved) in
        [("市（city）", *city, RESERVED_CITY_IDS.contains(city)), ("区（ward）", *ward, *ward == "indicators")]
    {
        if !load::is_valid_id(id) || reserved {
            return Err(ScaffoldError::BadId { kind, id: id.to_string(), reserved: load::is_valid_id(id) });
        }
    }
    Ok(((*city).to_string(), (*ward).to_string(), parse_year(year)?))
}

/// A fiscal year as content writes it (`ja::FiscalYear::parse`), but not a calendar year:
/// 「2017年」 runs January to December and could mean FY2016 or FY2017.
fn parse_year(text: &str) -> Result<FiscalYear, ScaffoldError> {
    let folded = normalize_width(text.trim());
    let calendar = folded.strip_suffix('年').is_some_and(|y| FiscalYear::parse(y).is_some());
    match FiscalYear::parse(text) {
        Some(year) if !calendar => Ok(year),
        _ => Err(ScaffoldError::BadYear { given: text.to_string(), calendar }),
    }
}

/// The ward's latest report before `year`: the highest year folder below it that holds a
/// report.toml.
fn latest_before(ward_dir: &Path, year: FiscalYear) -> Option<(PathBuf, FiscalYear)> {
    let entries = std::fs::read_dir(ward_dir).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let western: i32 = name.bytes().all(|b| b.is_ascii_digit()).then(|| name.parse().ok())??;
            let report = e.path().join("report.toml");
            (western < year.western() && report.is_file()).then_some((report, FiscalYear(western)))
        })
        .max_by_key(|(_, y)| *y)
}

/// Parses a report as `load` does; a mistake is an error with its place.
fn load_report(rel: &Path, text: &str) -> Result<RawReport, Error> {
    toml::from_str(text).map_err(|e| {
        let file = SourceFile::new(rel.to_path_buf(), text.to_string());
        Error::Toml {
            span: e.span().map_or_else(|| Span::file(rel), |r| file.span(r)),
            message: e.message().to_string(),
        }
    })
}

/// Writes `content/<city>/<ward>/<year>/report.toml` under `root` for `target`
/// (`<city>/<ward>/<fiscal-year>`): from the ward's latest earlier report, or a skeleton (with
/// municipality.toml and ward.toml when missing). Refuses a report that exists.
pub fn new_report(root: &Path, target: &str) -> Result<NewReport, ScaffoldError> {
    let (city, ward, year) = parse_target(target)?;
    if !root.join("site.toml").is_file() || !root.join("content").is_dir() {
        return Err(ScaffoldError::NoSite { root: root.to_path_buf() });
    }
    let city_rel = Path::new("content").join(&city);
    let ward_rel = city_rel.join(&ward);
    let report_rel = ward_rel.join(year.western().to_string()).join("report.toml");
    if root.join(&report_rel).exists() {
        return Err(ScaffoldError::Exists { path: report_rel });
    }
    let mut files: Files = Vec::new();
    let mut from = None;
    let mut from_draft = false;
    if let Some((latest, latest_year)) = latest_before(&root.join(&ward_rel), year) {
        let latest_rel = latest.strip_prefix(root).unwrap_or(&latest).to_path_buf();
        let bytes = std::fs::read(&latest).map_err(io(&latest))?;
        let text = String::from_utf8(bytes).map_err(|_| ScaffoldError::Io {
            path: latest_rel.clone(),
            message: "UTF-8 ではありません（not UTF-8）。mieruka build で、どう直すかがわかります".into(),
        })?;
        // A byte order mark is accepted by the build (some Windows editors write one).
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        let raw = load_report(&latest_rel, text).map_err(|error| ScaffoldError::Latest { error })?;
        from_draft = raw.draft;
        let shown = latest_rel.to_string_lossy().replace('\\', "/");
        let next = next::next_report(text, latest_year, year, &shown)
            .map_err(|message| ScaffoldError::Io { path: latest_rel.clone(), message })?;
        // What is written must load: a report that does not would be a bug here, not the clerk's.
        if let Err(error) = load_report(&report_rel, &next) {
            panic!("the report made from {shown} does not load:\n{error}\n{next}");
        }
        files.push((report_rel, next));
        from = Some((latest_rel, latest_year));
    } else {
        files.push((report_rel, skeleton::report(year, &ward)));
        for (rel, text) in [
            (city_rel.join("municipality.toml"), skeleton::municipality()),
            (ward_rel.join("ward.toml"), skeleton::ward()),
        ] {
            if !root.join(&rel).exists() {
                files.push((rel, text));
            }
        }
    }
    create_all(root, &files)?;
    Ok(NewReport {
        root: root.to_path_buf(),
        fiscal_year: year,
        files: files.into_iter().map(|(p, _)| p).collect(),
        from,
        from_draft,
    })
}

impl fmt::Display for NewReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let root = root_arg(&self.root);
        let fy = self.fiscal_year.label();
        writeln!(f, "{fy}の報告書の下書きを作りました（new draft report）：")?;
        for (i, file) in self.files.iter().enumerate() {
            let how = match (&self.from, i) {
                (Some((latest, year)), 0) => format!("（{}の {} から）", year.era_label(), latest.display()),
                (None, 0) => "（雛形 skeleton）".to_string(),
                _ => "（新規）".to_string(),
            };
            writeln!(f, "  {}{how}", file.display())?;
        }
        writeln!(f, "次にすること（next steps）：")?;
        if let Some((_, year)) = &self.from {
            let from = year.era_label();
            writeln!(
                f,
                "  1. 目標・指標・目標値・取組は{from}のまま、前年度の値 previous は{from}の値 value です。\n     \
                     計画が変わったところを直し、「{PLACEHOLDER}」をすべて{}の資料どおりに書き換えてください。",
                self.fiscal_year.era_label()
            )?;
            if self.from_draft {
                writeln!(
                    f,
                    "     {from}の報告書もまだ下書き（draft）です。その「{PLACEHOLDER}」を書いたら、この報告書の previous も合わせてください。"
                )?;
            }
        } else {
            let others: Vec<String> = self.files.iter().skip(1).map(|p| p.display().to_string()).collect();
            if !others.is_empty() {
                writeln!(
                    f,
                    "  まず {} の「{PLACEHOLDER}」を書き換えてください。報告書と違って下書きにできないため、\n  \
                         書き換えるまでビルドは通りません。",
                    others.join(" と ")
                )?;
            }
            writeln!(
                f,
                "  1. 報告書の「{PLACEHOLDER}」をすべて資料どおりに書き換えてください（各項目の説明はコメントに、\
                     書き方は docs/content-format.md にあります）。"
            )?;
        }
        writeln!(f, "  2. mieruka serve --drafts{root} で、下書きを含めたサイトを見ながら確かめてください。")?;
        writeln!(f, "  3. mieruka check{root} で、誤りがないか確かめてください。")?;
        write!(
            f,
            "  4. 書き終えたら report.toml の `draft = true` の行を消してください。消すまで、この報告書はサイトに出ません。"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_as_content_writes_them_but_not_calendar_years() {
        for (text, year) in [
            ("2017", 2017),
            ("2017年度", 2017),
            ("平成29年度", 2017),
            ("H29", 2017),
            ("令和元年度", 2019),
            ("R2", 2020),
        ] {
            assert_eq!(parse_year(text).ok(), Some(FiscalYear(year)), "{text}");
        }
        for text in ["2017年", "平成29年", "２０１７年"] {
            assert!(matches!(parse_year(text), Err(ScaffoldError::BadYear { calendar: true, .. })), "{text}");
        }
        for text in ["来年度", "来年", "H40", "17"] {
            assert!(matches!(parse_year(text), Err(ScaffoldError::BadYear { calendar: false, .. })), "{text}");
        }
    }

    #[test]
    fn a_target_is_city_ward_and_year() {
        let (city, ward, year) = parse_target("osaka/kita/平成29年度").unwrap();
        assert_eq!((city.as_str(), ward.as_str(), year), ("osaka", "kita", FiscalYear(2017)));
        assert!(parse_target("/osaka/kita/2017/").is_ok(), "surrounding slashes are fine");
        for bad in ["osaka/kita", "osaka/kita/2017/x", "osaka//2017", ""] {
            assert!(matches!(parse_target(bad), Err(ScaffoldError::BadTarget { .. })), "{bad}");
        }
        assert!(matches!(parse_target("Osaka/kita/2017"), Err(ScaffoldError::BadId { reserved: false, .. })));
        assert!(matches!(parse_target("osaka/北区/2017"), Err(ScaffoldError::BadId { reserved: false, .. })));
        assert!(matches!(parse_target("data/kita/2017"), Err(ScaffoldError::BadId { reserved: true, .. })));
        assert!(matches!(parse_target("osaka/indicators/2017"), Err(ScaffoldError::BadId { reserved: true, .. })));
    }

    #[test]
    fn the_latest_report_is_the_highest_year_below_with_a_report() {
        let tmp = tempfile::tempdir().unwrap();
        for (folder, report) in [("2014", true), ("2015", true), ("2016", false), ("2018", true), ("notes", true)] {
            std::fs::create_dir_all(tmp.path().join(folder)).unwrap();
            if report {
                std::fs::write(tmp.path().join(folder).join("report.toml"), "").unwrap();
            }
        }
        let latest = |y| latest_before(tmp.path(), FiscalYear(y)).map(|(_, y)| y.western());
        assert_eq!(latest(2017), Some(2015), "2016 has no report.toml");
        assert_eq!(latest(2019), Some(2018));
        assert_eq!(latest(2014), None);
        assert_eq!(latest_before(&tmp.path().join("missing"), FiscalYear(2017)), None);
    }

    #[test]
    fn the_skeletons_load() {
        let report: RawReport = toml::from_str(&skeleton::report(FiscalYear(2017), "kita")).unwrap();
        assert!(report.draft);
        assert_eq!(report.goals.len(), 1);
        assert_eq!(report.goals[0].outcomes.len(), 1);
        assert_eq!(report.initiatives.len(), 1);
        let m: load::RawMunicipality = toml::from_str(&skeleton::municipality()).unwrap();
        assert_eq!(m.code.get_ref(), PLACEHOLDER);
        let w: load::RawWard = toml::from_str(&skeleton::ward()).unwrap();
        assert_eq!(w.name, PLACEHOLDER);
        let _: crate::config::SiteConfig = toml::from_str(skeleton::SITE_TOML).unwrap();
        // The commented `images = false` is a top-level field where it stands.
        let off: crate::config::SiteConfig =
            toml::from_str(&skeleton::SITE_TOML.replace("# images = false", "images = false")).unwrap();
        assert!(!off.images.enabled);
    }
}
