//! Assets through lightningcss, and the site written to a temporary folder beside the output,
//! swapped in only when complete: a failed build never leaves a half-written site nor
//! destroys the previous one.

use crate::error::{Error, Errors};
use crate::render::Output;
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

const STYLE: &str = include_str!("../assets/style.css");

/// FNV-1a, for a short content hash in asset file names (cache busting).
fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}

/// The site stylesheet (a site's own `assets/style.css` replaces the built-in one),
/// minified and prefixed for the browsers a city must support.
pub fn stylesheet(root: &Path) -> Result<Output, Errors> {
    let own = root.join("assets/style.css");
    let source = if own.is_file() {
        std::fs::read_to_string(&own).map_err(|e| Error::Io { path: own.clone(), message: e.to_string() })?
    } else {
        STYLE.to_string()
    };
    let css_error = |m: String| Error::Config { path: PathBuf::from("assets/style.css"), message: m };
    let mut sheet = StyleSheet::parse(&source, ParserOptions::default()).map_err(|e| css_error(e.to_string()))?;
    // Safari 12 and Chrome/Edge/Firefox of the last years: what Japanese public-sector sites target.
    let targets = Targets::from(Browsers { safari: Some(12 << 16), chrome: Some(90 << 16), firefox: Some(90 << 16), ios_saf: Some(12 << 16), ..Browsers::default() });
    sheet.minify(MinifyOptions { targets, ..MinifyOptions::default() }).map_err(|e| css_error(e.to_string()))?;
    let css = sheet.to_css(PrinterOptions { minify: true, targets, ..PrinterOptions::default() }).map_err(|e| css_error(e.to_string()))?;
    let bytes = css.code.into_bytes();
    Ok(Output { path: format!("assets/style.{}.css", content_hash(&bytes)), bytes })
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), message: e.to_string() }
}

/// Writes every output into `out`, atomically with respect to failure.
pub fn write_site(out: &Path, outputs: &[Output]) -> Result<(), Errors> {
    let out = if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir().map_err(|e| io(out, e))?.join(out) };
    let parent = out.parent().ok_or_else(|| io(&out, std::io::Error::other("output folder has no parent")))?;
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = write_all(&staging, outputs);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap: the previous site is moved aside (not deleted) until the new one is in place.
    let had_previous = out.exists();
    if had_previous {
        std::fs::rename(&out, &previous).map_err(|e| io(&out, e))?;
    }
    if let Err(e) = std::fs::rename(&staging, &out) {
        if had_previous {
            let _ = std::fs::rename(&previous, &out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io(&out, e).into());
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(&previous);
    }
    Ok(())
}

fn write_all(dir: &Path, outputs: &[Output]) -> Result<(), Errors> {
    let mut dirs: Vec<PathBuf> = outputs.iter().filter_map(|o| dir.join(&o.path).parent().map(Path::to_path_buf)).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
    }
    let errors: Vec<Error> = outputs
        .par_iter()
        .filter_map(|o| {
            let p = dir.join(&o.path);
            std::fs::write(&p, &o.bytes).err().map(|e| io(&p, e))
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(Errors(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[Output { path: "index.html".into(), bytes: b"old".to_vec() }]).unwrap();
        // A path that cannot be created (a file where a folder must go) fails the write.
        let bad = [Output { path: "a".into(), bytes: b"x".to_vec() }, Output { path: "a/b.html".into(), bytes: b"y".to_vec() }];
        assert!(write_site(&out, &bad).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn css_is_minified_and_hashed() {
        let o = stylesheet(Path::new("/nonexistent")).unwrap();
        assert!(o.path.starts_with("assets/style.") && o.path.ends_with(".css"));
        assert!(!String::from_utf8(o.bytes).unwrap().contains("\n\n"));
    }
}
