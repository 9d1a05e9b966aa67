//! Raw HTML in Markdown that the sanitiser removes (an image with its alt text, a `style`,
//! a table's header attributes) is a warning at its place, not a silent loss.

use crate::error::Warning;
use crate::load::{Loaded, SourceFile};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The TOML keys whose strings are Markdown (docs/content-format.md, fields marked *md*).
const MARKDOWN_KEYS: [&str; 13] = [
    "description",
    "transcription_notes",
    "desired_state",
    "strategy",
    "issues",
    "next_steps",
    "content",
    "performance_target",
    "previous_results",
    "results",
    "achievement",
    "improvements",
    "notes",
];

/// Every removal the sanitiser would make, as warnings in file order.
pub fn removed_markup(loaded: &Loaded) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut markdown_file = |f: &SourceFile| {
        for (range, what) in crate::text::removed_markup(&f.text) {
            warnings.push(warning(f, range, &what));
        }
    };
    if let Some(f) = &loaded.home_intro {
        markdown_file(f);
    }
    for city in &loaded.cities {
        for ward in &city.wards {
            for r in &ward.reports {
                if let Some(f) = &r.intro {
                    markdown_file(f);
                }
            }
        }
    }
    for city in &loaded.cities {
        let files = std::iter::once(&city.file)
            .chain(city.policy.as_ref().map(|(f, _)| f))
            .chain(city.wards.iter().flat_map(|w| std::iter::once(&w.file).chain(w.reports.iter().map(|r| &r.file))));
        for f in files {
            warnings.extend(in_toml(f));
        }
    }
    warnings
}

fn warning(file: &SourceFile, range: Range<usize>, what: &str) -> Warning {
    Warning {
        span: file.span(range),
        message: format!(
            "{what} is removed when the site is built (raw HTML is limited to what Markdown makes): \
             write it in Markdown, or leave it out"
        ),
        other: None,
    }
}

/// The removals in the Markdown strings of one TOML file. Only a file with a tag in it is
/// parsed a second time.
fn in_toml(file: &SourceFile) -> Vec<Warning> {
    let mut out = Vec::new();
    let has_tag = memchr::memchr_iter(b'<', file.text.as_bytes())
        .any(|i| file.text.as_bytes().get(i + 1).is_some_and(u8::is_ascii_alphabetic));
    if !has_tag {
        return out;
    }
    let Ok(table) = DeTable::parse(&file.text) else { return out };
    walk_table(file, table.get_ref(), None, &mut out);
    out
}

fn walk_table(file: &SourceFile, table: &DeTable<'_>, parent: Option<&str>, out: &mut Vec<Warning>) {
    for (key, value) in table {
        let key: &str = key.get_ref();
        // A withdrawal criterion's text is Markdown; a target's text is not.
        let markdown = MARKDOWN_KEYS.contains(&key) || (key == "text" && parent == Some("withdrawal"));
        walk(file, value, key, markdown, out);
    }
}

fn walk(file: &SourceFile, value: &Spanned<DeValue<'_>>, key: &str, markdown: bool, out: &mut Vec<Warning>) {
    match value.get_ref() {
        DeValue::String(text) if markdown => {
            for (range, what) in crate::text::removed_markup(text) {
                out.push(warning(file, place(file, value.span(), &text[range]), &what));
            }
        }
        DeValue::Array(items) => items.iter().for_each(|v| walk(file, v, key, markdown, out)),
        DeValue::Table(t) => walk_table(file, t, Some(key), out),
        _ => {}
    }
}

/// Where `snippet` stands inside the string literal at `literal` (the whole literal when an
/// escape sequence makes the text differ from the file).
fn place(file: &SourceFile, literal: Range<usize>, snippet: &str) -> Range<usize> {
    file.text
        .get(literal.clone())
        .and_then(|l| l.find(snippet))
        .map_or(literal.clone(), |at| literal.start + at..literal.start + at + snippet.len())
}
