//! The Japanese font the preview images are drawn with: the file `site.toml` names
//! (`[images] font`), or the first of the usual Japanese families installed on the system.
//! Only that font is loaded into the renderer's database, so an image depends on it alone.

use resvg::usvg::{
    self,
    fontdb::{Database, Family, Query, Source, Weight},
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Japanese families looked for on the system, best first (those a Japanese public body's
/// site is usually set in, then the common free ones of Linux distributions).
pub const SYSTEM_FAMILIES: &[&str] = &[
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "BIZ UDPGothic",
    "BIZ UDGothic",
    "IPAexGothic",
    "IPAPGothic",
    "IPAGothic",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "TakaoPGothic",
    "VL PGothic",
];

/// Characters every Japanese font has: a font without one of them is not Japanese.
const PROBE: &str = "あア漢年度目標区";

/// The font found, ready for the renderer.
pub struct JapaneseFont {
    /// Only the font's own file(s), read into memory on first use ([`JapaneseFont::db`]).
    db: OnceLock<Result<Arc<Database>, String>>,
    /// Its family name, as the images' style sheets name it.
    pub family: String,
    /// What identifies it in the image cache's keys: the family and each file's path, size
    /// and modification time (a changed or replaced font draws the images again).
    pub identity: String,
    /// Its files, for the build's messages.
    pub files: Vec<PathBuf>,
}

impl JapaneseFont {
    /// The font's database. A system font's files are read on first use, so a build whose
    /// images all come from the cache never reads them. Read into memory rather than mapped:
    /// a mapped file is mapped again for every text the renderer lays out.
    pub fn db(&self) -> Result<&Arc<Database>, String> {
        self.db.get_or_init(|| read(&self.files, &self.family).map(Arc::new)).as_ref().map_err(Clone::clone)
    }
}

/// A database of `files` alone, `family` its sans-serif.
fn read(files: &[PathBuf], family: &str) -> Result<Database, String> {
    let mut db = Database::new();
    for f in files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        db.load_font_data(bytes);
    }
    // `sans-serif` (the fallback of every font list) is this font too.
    db.set_sans_serif_family(family);
    Ok(db)
}

/// Why no Japanese font can be used.
#[derive(Debug)]
pub enum NoFont {
    /// None of [`SYSTEM_FAMILIES`] is installed.
    NotInstalled,
    /// The file named in site.toml cannot be read as a font.
    Unreadable(String),
    /// The file is a font, but lacks Japanese characters (the first one missing).
    NotJapanese { family: String, missing: char },
}

/// The first of [`SYSTEM_FAMILIES`] installed on this system.
pub fn system() -> Result<JapaneseFont, NoFont> {
    let mut all = Database::new();
    all.load_system_fonts();
    for name in SYSTEM_FAMILIES {
        let query = Query { families: &[Family::Name(name)], weight: Weight::NORMAL, ..Query::default() };
        let Some(id) = all.query(&query) else { continue };
        if all.face(id).is_none_or(|f| !f.families.iter().any(|(n, _)| n == name)) {
            continue;
        }
        // The files of the family's regular and bold faces (they may be separate files; other
        // weights are not used).
        let mut files: Vec<PathBuf> = all
            .faces()
            .filter(|f| f.families.iter().any(|(n, _)| n == name))
            .filter(|f| f.weight == Weight::NORMAL || f.weight == Weight::BOLD)
            .filter_map(|f| match &f.source {
                Source::File(p) | Source::SharedFile(p, _) => Some(p.clone()),
                Source::Binary(_) => None,
            })
            .collect();
        files.sort();
        files.dedup();
        // Known Japanese families: not read now (a build may need none of its glyphs).
        return Ok(JapaneseFont {
            db: OnceLock::new(),
            family: (*name).to_string(),
            identity: identity(name, &files),
            files,
        });
    }
    Err(NoFont::NotInstalled)
}

/// The font file `path` names (a .ttf, .otf or .ttc; of a collection, the face whose family
/// says JP, else the first).
pub fn file(path: &Path) -> Result<JapaneseFont, NoFont> {
    if !path.is_file() {
        return Err(NoFont::Unreadable("no such file".into()));
    }
    let files = [path.to_path_buf()];
    let db = read(&files, "").map_err(NoFont::Unreadable)?;
    let names: Vec<&str> = db.faces().filter_map(|f| f.families.first().map(|(n, _)| n.as_str())).collect();
    let Some(first) = names.first() else { return Err(NoFont::Unreadable("not a font file".into())) };
    let family = names.iter().find(|n| n.ends_with(" JP")).unwrap_or(first).to_string();
    let mut db = db;
    db.set_sans_serif_family(family.clone());
    let db = Arc::new(db);
    let probe = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>{PROBE}</text></svg>"#);
    let missing = Mutex::new(BTreeSet::new());
    let _ = usvg::Tree::from_str(&probe, &options(&db, &family, &missing));
    if let Some(&missing) = missing.into_inner().expect("no panics while holding it").first() {
        return Err(NoFont::NotJapanese { family, missing });
    }
    let identity = identity(&family, &files);
    Ok(JapaneseFont { db: OnceLock::from(Ok(db)), family, identity, files: files.to_vec() })
}

/// The font's identity in the cache keys: the family and each file's path, size and date.
fn identity(family: &str, files: &[PathBuf]) -> String {
    let mut identity = family.to_string();
    for f in files {
        let meta = std::fs::metadata(f).ok();
        let modified =
            meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        identity.push_str(&format!(
            "\n{} {} {}",
            f.display(),
            meta.map_or(0, |m| m.len()),
            modified.map_or(0, |d| d.as_nanos())
        ));
    }
    identity
}

/// How an SVG is read to be drawn with `family` of `db` alone: a character the font lacks is
/// put in `missing` (it would be drawn as a box: there is no other font to fall back on).
pub fn options<'a>(db: &Arc<Database>, family: &str, missing: &'a Mutex<BTreeSet<char>>) -> usvg::Options<'a> {
    usvg::Options {
        fontdb: db.clone(),
        font_family: family.to_string(),
        languages: vec!["ja".into()],
        font_resolver: usvg::FontResolver {
            select_font: usvg::FontResolver::default_font_selector(),
            select_fallback: Box::new(move |c, _, _| {
                if !c.is_whitespace() && !c.is_control() {
                    missing.lock().expect("no panics while holding it").insert(c);
                }
                None
            }),
        },
        ..usvg::Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_font_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ttf");
        std::fs::write(&path, b"not a font").unwrap();
        assert!(matches!(file(&path), Err(NoFont::Unreadable(_))));
        assert!(matches!(file(&dir.path().join("missing.ttf")), Err(NoFont::Unreadable(_))));
    }
}
