//! Test harness shared by the integration tests: a small builder in the style of mdBook's
//! `BookTest` and just's `Test`. Pick a fixture, build it (in memory through the library, into a
//! temporary folder through the library, or with the real binary), then read and assert on pages.
//!
//! ```ignore
//! let site = TestSite::fixture("series").base_url("http://127.0.0.1/kusei/hyoka/").render();
//! site.assert_contains("testshi/ward1/", "値が小さいほどよい");
//! let copy = edited_fixture("invalid/base", &[replace(R2016, r#"rating = "A""#, r#"rating = "C""#)]);
//! let run = TestSite::at(copy.path()).run();
//! assert_eq!(run.code, Some(1));
//! ```

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/fixtures/` of this crate.
pub(crate) fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// A site root to build, and how.
#[derive(Debug, Clone)]
pub(crate) struct TestSite {
    pub root: PathBuf,
    base_url: Option<String>,
    env: Vec<(String, Option<String>)>,
    /// More arguments for `build` (e.g. `--deny-warnings`).
    args: Vec<String>,
    /// `check` instead of `build` (no output folder).
    check: bool,
}

impl TestSite {
    /// `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> TestSite {
        Self::at(fixtures_dir().join(name))
    }

    /// Any site root.
    pub(crate) fn at(root: impl Into<PathBuf>) -> TestSite {
        let root = root.into();
        assert!(root.join("site.toml").is_file(), "no site.toml in {}", root.display());
        TestSite { root, base_url: None, env: Vec::new(), args: Vec::new(), check: false }
    }

    /// Overrides site.toml's `base_url` (as `--base-url` does).
    pub(crate) fn base_url(mut self, url: &str) -> TestSite {
        self.base_url = Some(url.to_string());
        self
    }

    /// One more argument to `build` for [`TestSite::run`].
    pub(crate) fn arg(mut self, arg: &str) -> TestSite {
        self.args.push(arg.to_string());
        self
    }

    /// [`TestSite::run`] runs `mieruka check` (every step but the write) instead of `build`.
    pub(crate) fn check(mut self) -> TestSite {
        self.check = true;
        self
    }

    /// Sets an environment variable for [`TestSite::run`].
    pub(crate) fn env(mut self, key: &str, value: &str) -> TestSite {
        self.env.push((key.to_string(), Some(value.to_string())));
        self
    }

    /// Removes an environment variable for [`TestSite::run`].
    pub(crate) fn env_remove(mut self, key: &str) -> TestSite {
        self.env.push((key.to_string(), None));
        self
    }

    /// Renders the whole site in memory (`mieruka::render_site`).
    pub(crate) fn try_render(&self) -> Result<Files, mieruka::Errors> {
        let outputs = mieruka::render_site(&self.root, self.base_url.as_deref())?;
        let mut files = BTreeMap::new();
        for o in outputs {
            let previous = files.insert(o.path.clone(), o.bytes);
            assert!(previous.is_none(), "two outputs have the path {}", o.path);
        }
        Ok(Files { files })
    }

    /// Renders in memory; panics with the build's own message on failure.
    pub(crate) fn render(&self) -> Files {
        self.try_render().unwrap_or_else(|e| panic!("build of {} failed:\n{e}", self.root.display()))
    }

    /// Builds into a fresh temporary folder through the library (`mieruka::build`).
    pub(crate) fn build(&self) -> Built {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let out = tmp.path().join("public");
        let opts = mieruka::BuildOptions {
            root: self.root.clone(),
            out: out.clone(),
            base_url: self.base_url.clone(),
            deny_warnings: false,
            drafts: false,
        };
        if let Err(e) = mieruka::build(&opts) {
            panic!("build of {} failed:\n{e}", self.root.display());
        }
        Built { _tmp: tmp, out }
    }

    /// Runs the real binary into a fresh temporary folder.
    pub(crate) fn run(&self) -> Run {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let out = tmp.path().join("public");
        let mut run = self.run_into(&out);
        run.tmp = Some(tmp);
        run
    }

    /// Runs `mieruka build --root <root> --out <out> [--base-url …]`; the working directory is
    /// `out`'s parent so nothing lands in the source tree.
    pub(crate) fn run_into(&self, out: &Path) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mieruka"));
        if self.check {
            cmd.arg("check").arg("--root").arg(&self.root);
        } else {
            cmd.arg("build").arg("--root").arg(&self.root).arg("--out").arg(out);
        }
        if let Some(url) = &self.base_url {
            cmd.arg("--base-url").arg(url);
        }
        cmd.args(&self.args);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).expect("output parent");
            cmd.current_dir(parent);
        }
        for (k, v) in &self.env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let output = cmd.output().expect("run the mieruka binary");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
            out: out.to_path_buf(),
            root: self.root.clone(),
            tmp: None,
        }
    }
}

/// A site built on disk; the temporary folder lives as long as this.
pub(crate) struct Built {
    _tmp: tempfile::TempDir,
    pub out: PathBuf,
}

impl Built {
    pub(crate) fn files(&self) -> Files {
        Files::read(&self.out)
    }
}

/// One run of the binary.
pub(crate) struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub out: PathBuf,
    pub root: PathBuf,
    tmp: Option<tempfile::TempDir>,
}

impl Run {
    pub(crate) fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Panics with stderr unless the build succeeded.
    pub(crate) fn assert_success(&self) -> &Run {
        assert!(self.success(), "mieruka failed ({:?}):\n{}", self.code, self.stderr);
        self
    }

    /// The output folder as written.
    pub(crate) fn files(&self) -> Files {
        Files::read(&self.out)
    }

    /// stderr with machine-specific parts replaced: the site root becomes `[ROOT]`, the output
    /// folder `[OUT]`, and Windows separators become `/`.
    pub(crate) fn portable_stderr(&self) -> String {
        portable(&self.stderr, &[(&self.root, "[ROOT]"), (&self.out, "[OUT]")])
    }
}

/// Replaces each path (as given, and canonicalised) with its placeholder, and on Windows `\`
/// with `/` (elsewhere a backslash is text, such as a TOML escape in a code frame).
pub(crate) fn portable(text: &str, paths: &[(&Path, &str)]) -> String {
    let mut s = text.to_string();
    for (p, placeholder) in paths {
        let mut forms = vec![p.display().to_string()];
        if let Ok(c) = p.canonicalize() {
            forms.push(c.display().to_string());
        }
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        for f in forms {
            if !f.is_empty() {
                s = s.replace(&f, placeholder);
            }
        }
    }
    if cfg!(windows) { s.replace('\\', "/") } else { s }
}

/// Every file of a built site, by path relative to the output folder (always with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Files {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Files {
    /// Reads a folder recursively. A build's manifest (the list of files it wrote, at the top of
    /// the folder) is left out: a site built on disk compares equal to the same site rendered in
    /// memory. `tests/integration/output_folder.rs` reads the manifest itself.
    pub(crate) fn read(dir: &Path) -> Files {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.unwrap_or_else(|e| panic!("walk {}: {e}", dir.display()));
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap();
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if rel == mieruka::write::MANIFEST {
                    continue;
                }
                files.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
        Files { files }
    }

    /// The file a page URL path is written to: `a/b/` → `a/b/index.html`, the empty path → `index.html`.
    pub(crate) fn file_of(path: &str) -> String {
        let path = path.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() }
    }

    pub(crate) fn exists(&self, path: &str) -> bool {
        self.files.contains_key(&Self::file_of(path))
    }

    /// A page's HTML (`path` as a URL path or a file path).
    pub(crate) fn page(&self, path: &str) -> String {
        let file = Self::file_of(path);
        let bytes = self.files.get(&file).unwrap_or_else(|| {
            let near: Vec<&String> =
                self.files.keys().filter(|k| k.starts_with(file.split('/').next().unwrap_or(""))).take(40).collect();
            panic!("no page {file}; some that exist: {near:#?}")
        });
        String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{file} is not UTF-8"))
    }

    /// The `<main>` of a page (without header, footer and legend noise).
    pub(crate) fn main(&self, path: &str) -> String {
        let html = self.page(path);
        let start = html.find("<main").unwrap_or(0);
        let end = html.find("</main>").map_or(html.len(), |e| e + "</main>".len());
        html[start..end].to_string()
    }

    pub(crate) fn assert_contains(&self, path: &str, needle: &str) {
        let html = self.page(path);
        assert!(html.contains(needle), "{} does not contain {needle:?}", Self::file_of(path));
    }

    pub(crate) fn assert_not_contains(&self, path: &str, needle: &str) {
        let html = self.page(path);
        assert!(!html.contains(needle), "{} contains {needle:?}", Self::file_of(path));
    }

    /// Paths of every HTML file.
    pub(crate) fn html_paths(&self) -> Vec<&str> {
        self.files.keys().filter(|k| k.ends_with(".html")).map(String::as_str).collect()
    }

    /// Every HTML page as (path, text).
    pub(crate) fn html_pages(&self) -> impl Iterator<Item = (&str, String)> {
        self.files
            .iter()
            .filter(|(k, _)| k.ends_with(".html"))
            .map(|(k, v)| (k.as_str(), String::from_utf8(v.clone()).expect("UTF-8 page")))
    }

    /// Every file that is text (pages, CSV, JSON, XML…) as (path, text); zips and images left out.
    pub(crate) fn text_files(&self) -> impl Iterator<Item = (&str, String)> {
        self.files.iter().filter_map(|(k, v)| Some((k.as_str(), String::from_utf8(v.clone()).ok()?)))
    }

    /// A short description of where two trees differ (for assertion messages).
    pub(crate) fn diff(&self, other: &Files) -> String {
        let mut out = Vec::new();
        for (k, v) in &self.files {
            match other.files.get(k) {
                None => out.push(format!("only in first: {k}")),
                Some(w) if w != v => out.push(format!("differs: {k}")),
                _ => {}
            }
        }
        for k in other.files.keys() {
            if !self.files.contains_key(k) {
                out.push(format!("only in second: {k}"));
            }
        }
        out.truncate(20);
        out.join("\n")
    }
}

// ---- copies of a fixture, edited (tests/integration/errors.rs) ---------------------------------------

/// A copy of `tests/fixtures/<name>` in a temporary folder (removed when dropped), without the
/// build's cache: a copy starts cold, and tests that build the fixture in place write to that
/// cache (a file renamed there while it is copied) at the same time.
pub(crate) fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&fixtures_dir().join(name), dir.path());
    dir
}

/// Copies the folder `from` into `to` (made if missing), recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_name() == ".mieruka-cache" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A copy of `tests/fixtures/<name>` with `edits` applied in order.
pub(crate) fn edited_fixture(name: &str, edits: &[Edit]) -> tempfile::TempDir {
    let dir = copy_fixture(name);
    for e in edits {
        e.apply(dir.path());
    }
    dir
}

/// One change to a copy of a fixture; `file` is relative to the site root, with `/`.
///
/// `Replace` and `Delete` work on whole lines and panic unless the lines are found exactly
/// once, so a base fixture that drifts makes the case fail loudly instead of testing nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Edit {
    /// Replaces the whole line(s) `from` with `to` (one line or several, without the final newline).
    Replace { file: &'static str, from: &'static str, to: &'static str },
    /// Deletes the whole line(s) `lines`.
    Delete { file: &'static str, lines: &'static str },
    /// Adds a file the fixture does not have.
    Add { file: &'static str, text: &'static str },
}

/// [`Edit::Replace`].
pub(crate) const fn replace(file: &'static str, from: &'static str, to: &'static str) -> Edit {
    Edit::Replace { file, from, to }
}

/// [`Edit::Delete`].
pub(crate) const fn delete(file: &'static str, lines: &'static str) -> Edit {
    Edit::Delete { file, lines }
}

/// [`Edit::Add`].
pub(crate) const fn add(file: &'static str, text: &'static str) -> Edit {
    Edit::Add { file, text }
}

impl Edit {
    /// Applies the edit to the site at `root`.
    pub(crate) fn apply(&self, root: &Path) {
        match *self {
            Edit::Replace { file, from, to } => {
                assert_ne!(from, to, "{file}: replacing {from:?} with itself changes nothing");
                edit_lines(root, file, from, Some(to));
            }
            Edit::Delete { file, lines } => edit_lines(root, file, lines, None),
            Edit::Add { file, text } => {
                let path = root.join(file);
                assert!(!path.exists(), "{file} is already in the fixture: replace lines in it instead");
                std::fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
                std::fs::write(&path, text).unwrap();
            }
        }
    }
}

/// Replaces (`Some`) or deletes (`None`) the whole line(s) `from` of `root/file`, which must
/// occur exactly once as whole lines.
fn edit_lines(root: &Path, file: &str, from: &str, to: Option<&str>) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    // With a newline added at each end, whole lines are the matches of "\n{from}\n".
    let padded = format!("\n{text}\n");
    let needle = format!("\n{from}\n");
    let mut found = Vec::new();
    let mut start = 0;
    while let Some(at) = padded[start..].find(&needle) {
        found.push(start + at);
        start += at + 1; // lines may repeat back to back: matches can share their newline
    }
    assert!(
        found.len() == 1,
        "{file}: the line(s) {from:?} occur {} times as whole lines; an edit needs them exactly once \
         (has the base fixture changed?)",
        found.len()
    );
    let at = found[0];
    let with = to.map_or_else(|| "\n".to_string(), |to| format!("\n{to}\n"));
    let edited = format!("{}{with}{}", &padded[..at], &padded[at + needle.len()..]);
    std::fs::write(&path, &edited[1..edited.len() - 1]).unwrap();
}

// ---- tiny HTML helpers (the output is ours and regular: no parser needed) ----

/// The element whose `id` attribute is `id`, from its start tag to its matching end tag.
pub(crate) fn element_by_id(html: &str, id: &str) -> Option<String> {
    let attr = format!(" id=\"{id}\"");
    let at = html.find(&attr)?;
    let start = html[..at].rfind('<')?;
    let name: String = html[start + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut i = start;
    loop {
        let next_open = html[i..].find(&open).map(|p| p + i);
        let next_close = html[i..].find(&close).map(|p| p + i)?;
        match next_open {
            Some(o) if o < next_close && is_tag_boundary(html, o + open.len()) => {
                depth += 1;
                i = o + open.len();
            }
            Some(o) if o < next_close => i = o + open.len(),
            _ => {
                depth -= 1;
                i = next_close + close.len();
                if depth == 0 {
                    return Some(html[start..i].to_string());
                }
            }
        }
    }
}

fn is_tag_boundary(html: &str, at: usize) -> bool {
    html[at..].starts_with([' ', '>', '/', '\n'])
}

/// Text without tags, whitespace collapsed. Block-level tags (p, dt, dd, td, li, br…) separate
/// words with a space; inline ones (span, a, strong, code, wbr…) do not.
pub(crate) fn text(html: &str) -> String {
    const INLINE: [&str; 12] = ["span", "a", "strong", "em", "b", "i", "code", "wbr", "abbr", "time", "small", "sup"];
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag = &rest[lt + 1..];
        let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if !INLINE.contains(&name.to_ascii_lowercase().as_str()) {
            out.push(' ');
        }
        rest = tag.find('>').map_or("", |gt| &tag[gt + 1..]);
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of each `<th>`/`<td>` cell of one table row.
pub(crate) fn cells(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(start) = rest.find(['<']) {
        let tag = &rest[start..];
        let is_cell = tag.starts_with("<td") || tag.starts_with("<th");
        if !is_cell || !is_tag_boundary(tag, 3) {
            rest = &rest[start + 1..];
            continue;
        }
        let close = if tag.starts_with("<td") { "</td>" } else { "</th>" };
        let end = tag.find(close).expect("closed cell");
        out.push(text(&tag[..end]));
        rest = &tag[end + close.len()..];
    }
    out
}

/// The values of every `attr="…"` in `html`.
pub(crate) fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find(&needle) {
        let v = &rest[p + needle.len()..];
        let end = v.find('"').expect("closed attribute");
        out.push(&v[..end]);
        rest = &v[end..];
    }
    out
}

/// The rows of a CSV file of the site (UTF-8 with or without a byte order mark), each as
/// column → cell.
pub(crate) fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("a CSV record").iter().map(str::to_string)).collect())
        .collect()
}

impl Files {
    /// The rows of a CSV file of the site.
    pub(crate) fn csv(&self, path: &str) -> Vec<BTreeMap<String, String>> {
        csv_rows(self.files.get(path).unwrap_or_else(|| panic!("no file {path}")))
    }
}

/// Next year's report as `mieruka new report` leaves it: a draft, values not yet filled in.
pub(crate) const DRAFT_2017: &str = r#"fiscal_year = "平成29年度"
draft = true
title = "区政運営基本方針の成果目標の達成に向けた取組状況について（第一区）"
updated = "未記入"

[[goals]]
id = "2-5"
desired_state = "待機児童が解消された状態"
outcome_rating = "未記入"
issues = "未記入"

[[goals.outcomes]]
indicator = "taiki-jido"
name = "保育所待機児童数"
unit = "名"
target = { text = "保育所待機児童数ゼロ", comparator = "ゼロ" }
value = "未記入"
previous = "3名"
rating = "未記入"
"#;
