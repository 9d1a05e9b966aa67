//! Errors of a build. Every content mistake carries a [`Span`] so it prints as
//! `file:line:column`, the line itself and a caret under the offending text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A place in a content file, resolved to line and column when the error is made
/// (so an error needs no access to the file when it is printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of that line, for the code frame.
    pub line_text: String,
    /// How many characters to underline (at least 1).
    pub width: usize,
}

impl Span {
    /// Resolves a byte range of `text` (the whole file) to a span.
    pub fn new(file: &Path, text: &str, range: Range<usize>) -> Span {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(text, range.end.min(line_end).max(start));
        let width = text[start..end].chars().count().max(1);
        Span {
            file: file.to_path_buf(),
            line,
            column,
            line_text: text[line_start..line_end].trim_end_matches('\r').to_string(),
            width,
        }
    }

    /// A span within one line (`line_text` may end with its newline), `range` relative to it.
    pub fn in_line(file: &Path, line_text: &str, line: usize, range: Range<usize>) -> Span {
        let text = line_text.trim_end_matches(['\n', '\r']);
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.min(text.len()).max(start));
        Span {
            file: file.to_path_buf(),
            line,
            column: text[..start].chars().count() + 1,
            line_text: text.to_string(),
            width: text[start..end].chars().count().max(1),
        }
    }

    /// A span for a whole file (no particular place in it).
    pub fn file(file: &Path) -> Span {
        Span { file: file.to_path_buf(), line: 1, column: 1, line_text: String::new(), width: 1 }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One thing that went wrong. Content errors name what was expected.
#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        message: String,
    },
    /// Malformed TOML, a missing or unknown field, a wrong type.
    Toml {
        span: Span,
        message: String,
    },
    /// A value that is present but not acceptable (a rating code, a number, a fiscal year…).
    Invalid {
        span: Span,
        found: String,
        expected: String,
    },
    /// A reference to an id that is not declared.
    UnknownReference {
        span: Span,
        kind: &'static str,
        id: String,
        known: Vec<String>,
    },
    /// The same id declared twice where it must be unique.
    Duplicate {
        span: Span,
        kind: &'static str,
        id: String,
        first: Span,
    },
    /// Two reports give different values for the same indicator and fiscal year, or
    /// (`same_report`) one report gives two.
    Conflict {
        span: Span,
        other: Span,
        indicator: String,
        fiscal_year: String,
        values: (String, String),
        same_report: bool,
    },
    Config {
        path: PathBuf,
        message: String,
    },
    Template {
        message: String,
    },
    /// The search index could not be made (Pagefind's own failure; not a content mistake).
    Search {
        message: String,
    },
    /// A warning made an error by `--deny-warnings`.
    Denied(Warning),
}

/// Something the build doubts (a likely typo, a value that contradicts another): printed
/// like an error with its place, counted in the summary, and an error under `--deny-warnings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub span: Span,
    pub message: String,
    /// A second place the warning names, with what it is (e.g. "the earlier id").
    pub other: Option<(Span, &'static str)>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "warning: {}", self.message)?;
        write_frame(f, &self.span, "")?;
        if let Some((other, label)) = &self.other {
            write_frame(f, other, &format!(" ({label})"))?;
        }
        Ok(())
    }
}

impl Error {
    pub fn invalid(span: Span, found: impl Into<String>, expected: impl Into<String>) -> Error {
        Error::Invalid { span, found: found.into(), expected: expected.into() }
    }

    fn span(&self) -> Option<&Span> {
        match self {
            Error::Toml { span, .. }
            | Error::Invalid { span, .. }
            | Error::UnknownReference { span, .. }
            | Error::Duplicate { span, .. }
            | Error::Conflict { span, .. } => Some(span),
            Error::Denied(w) => Some(&w.span),
            _ => None,
        }
    }

    fn headline(&self) -> String {
        match self {
            Error::Io { path, message } => format!("cannot read or write {}: {message}", path.display()),
            Error::Toml { message, .. } => message.trim().to_string(),
            Error::Invalid { found, expected, .. } => format!("found `{}`, expected {expected}", visible(found)),
            Error::UnknownReference { kind, id, known, .. } => {
                let mut s = format!("unknown {kind} `{id}`");
                if !known.is_empty() {
                    let shown: Vec<&str> = known.iter().take(12).map(String::as_str).collect();
                    s.push_str(&format!(" (known: {}{})", shown.join(", "), if known.len() > 12 { ", …" } else { "" }));
                }
                s
            }
            Error::Duplicate { kind, id, .. } => format!("{kind} `{id}` is declared twice"),
            Error::Conflict { indicator, fiscal_year, values, same_report: false, .. } => format!(
                "two reports disagree on indicator `{indicator}` for {fiscal_year}: `{}` here, `{}` there; \
                 declare which one stands with a [[corrections]] entry",
                values.0, values.1
            ),
            Error::Conflict { indicator, fiscal_year, values, same_report: true, .. } => format!(
                "this report gives indicator `{indicator}` two values for {fiscal_year}: `{}` here, `{}` there; \
                 an indicator listed twice in a report (under a goal and an initiative) has the same value in both",
                values.0, values.1
            ),
            Error::Config { path, message } => format!("{}: {message}", path.display()),
            Error::Template { message } => format!("template: {message}"),
            Error::Search { message } => format!("search index: {message}"),
            Error::Denied(w) => format!("{} (a warning, made an error by --deny-warnings)", w.message),
        }
    }
}

/// `text` with control characters written as escapes (`\n`), so a message stays on its line
/// and shows what is there.
pub fn visible(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

fn write_frame(f: &mut fmt::Formatter<'_>, span: &Span, label: &str) -> fmt::Result {
    writeln!(f, "  --> {span}{label}")?;
    if span.line_text.is_empty() {
        return Ok(());
    }
    let gutter = span.line.to_string().len();
    writeln!(f, "{:gutter$} |", "")?;
    // A control character would act on the terminal instead of showing: shown as �.
    let shown: String =
        span.line_text.chars().map(|c| if c.is_control() && c != '\t' { '\u{FFFD}' } else { c }).collect();
    writeln!(f, "{} | {shown}", span.line)?;
    // Wide (CJK) characters take two columns in a terminal: pad accordingly.
    let pad: usize = span.line_text.chars().take(span.column - 1).map(display_width).sum();
    let carets: usize = span.line_text.chars().skip(span.column - 1).take(span.width).map(display_width).sum();
    writeln!(f, "{:gutter$} | {}{}", "", " ".repeat(pad), "^".repeat(carets.clamp(1, 60)))
}

fn display_width(c: char) -> usize {
    if c == '\t' {
        1
    } else if (c as u32) >= 0x1100 && !matches!(c as u32, 0xFF61..=0xFFDC) {
        2
    } else {
        1
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.headline())?;
        if let Some(span) = self.span() {
            write_frame(f, span, "")?;
        }
        match self {
            Error::Duplicate { first, .. } => write_frame(f, first, " (first declared here)")?,
            Error::Conflict { other, .. } => write_frame(f, other, " (the other value)")?,
            Error::Denied(Warning { other: Some((other, label)), .. }) => {
                write_frame(f, other, &format!(" ({label})"))?;
            }
            _ => {}
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// All the errors of a build: a build reports every mistake at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    pub fn push(&mut self, e: Error) {
        self.0.push(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// `Ok(value)` when nothing went wrong.
    pub fn into_result<T>(self, value: T) -> Result<T, Errors> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Errors {
        Errors(vec![e])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In file order, so a reader can fix them top to bottom.
        let mut sorted: Vec<&Error> = self.0.iter().collect();
        sorted.sort_by_key(|e| e.span().map(|s| (s.file.clone(), s.line, s.column)));
        for e in sorted {
            writeln!(f, "{e}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} — nothing was written", if n == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_counts_lines_and_characters() {
        let text = "a = 1\nrating = \"Ｃ\"\n";
        let start = text.find('"').unwrap();
        let s = Span::new(Path::new("r.toml"), text, start..start + 5);
        assert_eq!((s.line, s.column, s.width), (2, 10, 3));
        assert_eq!(s.line_text, "rating = \"Ｃ\"");
        assert_eq!(s.to_string(), "r.toml:2:10");
    }

    #[test]
    fn frame_underlines_wide_characters() {
        let text = "rating = \"Ｃ\"";
        let e = Error::invalid(Span::new(Path::new("r.toml"), text, 9..14), "Ｃ", "A or B");
        let out = e.to_string();
        assert!(out.contains("r.toml:1:10"), "{out}");
        assert!(out.contains("  |          ^^^^"), "{out}");
    }
}
