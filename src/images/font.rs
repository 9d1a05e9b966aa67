//! The Japanese font the preview images are drawn with: the file `site.toml` names
//! (`[images] font`), or the first of the usual Japanese families installed on the system.
//! Only that font is loaded into the renderer's database, so an image depends on it alone.

use resvg::usvg::{
    self,
    fontdb::{Database, Family, Query, Source, Weight},
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
#[derive(Clone)]
pub struct JapaneseFont {
    /// Only the font's own file(s).
    pub db: Arc<Database>,
    /// Its family name, as the images' style sheets name it.
    pub family: String,
    /// What identifies it in the image cache's keys: the family and each file's path, size
    /// and modification time (a changed or replaced font draws the images again).
    pub identity: String,
    /// Its files, for the build's messages.
    pub files: Vec<PathBuf>,
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
        // The files of the family's faces (regular and bold may be separate files).
        let mut files: Vec<PathBuf> = all
            .faces()
            .filter(|f| f.families.iter().any(|(n, _)| n == name))
            .filter_map(|f| match &f.source {
                Source::File(p) | Source::SharedFile(p, _) => Some(p.clone()),
                Source::Binary(_) => None,
            })
            .collect();
        files.sort();
        files.dedup();
        return load(&files, Some(name));
    }
    Err(NoFont::NotInstalled)
}

/// The font file `path` names (a .ttf, .otf or .ttc; of a collection, the face whose family
/// says JP, else the first).
pub fn file(path: &Path) -> Result<JapaneseFont, NoFont> {
    if !path.is_file() {
        return Err(NoFont::Unreadable("no such file".into()));
    }
    load(&[path.to_path_buf()], None)
}

fn load(files: &[PathBuf], family: Option<&str>) -> Result<JapaneseFont, NoFont> {
    let mut db = Database::new();
    for f in files {
        db.load_font_file(f).map_err(|e| NoFont::Unreadable(e.to_string()))?;
    }
    let family = if let Some(f) = family {
        f.to_string()
    } else {
        let names: Vec<&str> = db.faces().filter_map(|f| f.families.first().map(|(n, _)| n.as_str())).collect();
        let Some(first) = names.first() else { return Err(NoFont::Unreadable("not a font file".into())) };
        names.iter().find(|n| n.ends_with(" JP")).unwrap_or(first).to_string()
    };
    // The family is in the file (a collection's first face may name another).
    db.query(&Query { families: &[Family::Name(&family)], weight: Weight::NORMAL, ..Query::default() })
        .ok_or_else(|| NoFont::Unreadable("not a font file".into()))?;
    // `sans-serif` (the fallback of every font list) is this font too.
    db.set_sans_serif_family(family.clone());
    let db = Arc::new(db);
    let probe = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>{PROBE}</text></svg>"#);
    let missing = Mutex::new(BTreeSet::new());
    let _ = usvg::Tree::from_str(&probe, &options(&db, &family, &missing));
    if let Some(&missing) = missing.into_inner().expect("no panics while holding it").first() {
        return Err(NoFont::NotJapanese { family, missing });
    }
    let mut identity = family.clone();
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
    Ok(JapaneseFont { db, family, identity, files: files.to_vec() })
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
