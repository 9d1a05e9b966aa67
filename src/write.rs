//! Assets through lightningcss, and the site written to a temporary folder beside the output,
//! swapped in only when complete: a failed build never leaves a half-written site nor
//! destroys the previous one.

use crate::error::{Error, Errors};
use crate::output::Output;
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const STYLE: &str = include_str!("../assets/style.css");

/// FNV-1a, for a short content hash in asset file names (cache busting).
fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
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
    let targets = Targets::from(Browsers {
        safari: Some(12 << 16),
        chrome: Some(90 << 16),
        firefox: Some(90 << 16),
        ios_saf: Some(12 << 16),
        ..Browsers::default()
    });
    sheet.minify(MinifyOptions { targets, ..MinifyOptions::default() }).map_err(|e| css_error(e.to_string()))?;
    let css = sheet
        .to_css(PrinterOptions { minify: true, targets, ..PrinterOptions::default() })
        .map_err(|e| css_error(e.to_string()))?;
    let bytes = css.code.into_bytes();
    Ok(Output { path: format!("assets/style.{}.css", content_hash(&bytes)), bytes })
}

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), message: e.to_string() }
}

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
}

/// The output folder is replaced whole: only an empty folder or an earlier build may be.
fn check_replaceable(out: &Path) -> Result<(), Errors> {
    if !out.exists() {
        return Ok(());
    }
    let refuse = |why: &str| -> Result<(), Errors> {
        Err(io(
            out,
            &std::io::Error::other(format!(
                "{why}; choose another --out (the output folder is replaced on every build)"
            )),
        )
        .into())
    };
    if !out.is_dir() {
        return refuse("it is a file, not a folder");
    }
    if out.join("site.toml").exists() || out.join("content").exists() {
        return refuse("it holds a site (site.toml or content/)");
    }
    let mut entries = std::fs::read_dir(out).map_err(|e| io(out, &e))?;
    let empty = entries.next().is_none();
    if !empty && !out.join("index.html").is_file() {
        return refuse("it is not empty and holds no earlier build (no index.html)");
    }
    Ok(())
}

/// Writes every output into `out`, atomically with respect to failure.
pub fn write_site(out: &Path, outputs: &[Output]) -> Result<Written, Errors> {
    write_site_with(out, |emit| {
        for o in outputs {
            emit(o.clone());
        }
        Ok(())
    })
}

/// Runs `produce`, writing each output it emits into a staging folder beside `out` on one
/// writer thread (file creation does not scale with threads on common file systems, and
/// rendering goes on meanwhile). When `produce` and every write succeed, the staging folder
/// replaces `out`; otherwise it is removed and `out` is untouched.
pub fn write_site_with<F>(out: &Path, produce: F) -> Result<Written, Errors>
where
    F: FnOnce(&(dyn Fn(Output) + Sync)) -> Result<(), Errors>,
{
    let out =
        if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir().map_err(|e| io(out, &e))?.join(out) };
    // `public/.` or `public/..` would name another folder than it seems: refuse them.
    let name = match out.file_name() {
        Some(n) if !out.ends_with(".") && !out.ends_with("..") => n.to_string_lossy().into_owned(),
        _ => return Err(io(&out, &std::io::Error::other("the output must be a named folder (e.g. public)")).into()),
    };
    check_replaceable(&out)?;
    let parent = out.parent().ok_or_else(|| io(&out, &std::io::Error::other("output folder has no parent")))?;
    std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| io(&staging, &e))?;

    let (tx, rx) = std::sync::mpsc::sync_channel::<Output>(64);
    let writer = {
        let staging = staging.clone();
        std::thread::spawn(move || {
            let mut errors = Vec::new();
            let mut written = Written::default();
            let mut made: HashSet<PathBuf> = HashSet::new();
            for o in rx {
                let p = staging.join(&o.path);
                if let Some(d) = p.parent()
                    && !made.contains(d)
                {
                    if let Err(e) = std::fs::create_dir_all(d) {
                        errors.push(io(d, &e));
                        continue;
                    }
                    made.insert(d.to_path_buf());
                }
                match std::fs::write(&p, &o.bytes) {
                    Ok(()) => {
                        written.files += 1;
                        written.bytes += o.bytes.len();
                        written.pages += usize::from(o.path.ends_with(".html"));
                    }
                    Err(e) => errors.push(io(&p, &e)),
                }
            }
            (written, errors)
        })
    };
    let produced = produce(&move |o| {
        // The writer only stops early by panicking; its error is reported below.
        let _ = tx.send(o);
    });
    let (written, write_errors) = writer
        .join()
        .unwrap_or_else(|_| (Written::default(), vec![io(&staging, &std::io::Error::other("writer thread panicked"))]));
    let failed = match produced {
        Err(mut e) => {
            e.0.extend(write_errors);
            Some(e)
        }
        Ok(()) if !write_errors.is_empty() => Some(Errors(write_errors)),
        Ok(()) => None,
    };
    if let Some(e) = failed {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap: the previous site is moved aside (not deleted) until the new one is in place.
    let had_previous = out.exists();
    if had_previous {
        std::fs::rename(&out, &previous).map_err(|e| io(&out, &e))?;
    }
    if let Err(e) = std::fs::rename(&staging, &out) {
        if had_previous {
            let _ = std::fs::rename(&previous, &out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io(&out, &e).into());
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(&previous);
    }
    Ok(written)
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
        let bad = [
            Output { path: "a".into(), bytes: b"x".to_vec() },
            Output { path: "a/b.html".into(), bytes: b"y".to_vec() },
        ];
        assert!(write_site(&out, &bad).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn never_replaces_a_folder_that_is_not_a_build() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::write(site.join("site.toml"), "").unwrap();
        let page = [Output { path: "index.html".into(), bytes: b"x".to_vec() }];
        assert!(write_site(&site, &page).is_err(), "the site root itself");
        assert!(site.join("site.toml").exists());
        let docs = tmp.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("notes.txt"), "mine").unwrap();
        assert!(write_site(&docs, &page).is_err(), "a folder of other files");
        assert!(docs.join("notes.txt").exists());
        assert!(write_site(&site.join("."), &page).is_err(), "a path ending in .");
        assert!(write_site(&tmp.path().join("public"), &page).is_ok(), "a new folder");
        assert!(write_site(&tmp.path().join("public"), &page).is_ok(), "an earlier build");
    }

    #[test]
    fn css_is_minified_and_hashed() {
        let o = stylesheet(Path::new("/nonexistent")).unwrap();
        assert!(o.path.starts_with("assets/style.") && o.path.ends_with(".css"));
        assert!(!String::from_utf8(o.bytes).unwrap().contains("\n\n"));
    }
}
