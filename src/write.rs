//! Assets through lightningcss, and the site written to a temporary folder beside the output,
//! swapped in only when complete: a failed build never leaves a half-written site nor
//! destroys the previous one.

use crate::error::{Error, Errors};
use crate::output::Output;
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

mod folder;
mod store;

pub use folder::MANIFEST;
pub use store::CACHE_DIR as KEPT_FILES;

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
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    /// Files linked from the files kept by earlier builds rather than written ([`store`]).
    pub linked: usize,
    /// Why the files could not be kept for the next build, if they could not: the site is
    /// whole, the next build only slower (the build warns).
    pub kept_files_trouble: Option<String>,
}

/// Writes every output into `out`, atomically with respect to failure.
pub fn write_site(out: &Path, outputs: &[Output]) -> Result<Written, Errors> {
    write_site_keeping(out, None, outputs)
}

/// [`write_site`], keeping the files in `keep` ([`store`]) and linking those kept before.
pub fn write_site_keeping(out: &Path, keep: Option<&Path>, outputs: &[Output]) -> Result<Written, Errors> {
    write_site_with(out, keep, |emit| {
        for o in outputs {
            emit(o.clone());
        }
        Ok(())
    })
}

/// Runs `produce`, writing each output it emits into a staging folder beside `out` on one
/// writer thread (file creation does not scale with threads on common file systems, and
/// rendering goes on meanwhile). When `produce` and every write succeed, the staging folder
/// (with a manifest of what was written) takes `out`'s place in one step; otherwise it is
/// removed and `out` is untouched. `out` is replaced only when it is absent, empty or an
/// earlier build ([`folder`]); a symbolic link is followed, and its target replaced. With
/// `keep`, each file is kept there (a hard link) and a later build links the same bytes
/// instead of writing them ([`store`]).
pub fn write_site_with<F>(out: &Path, keep: Option<&Path>, produce: F) -> Result<Written, Errors>
where
    F: FnOnce(&(dyn Fn(Output) + Sync)) -> Result<(), Errors>,
{
    let shown = out;
    let out =
        if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir().map_err(|e| io(out, &e))?.join(out) };
    let target = folder::target(&out)?;
    std::fs::create_dir_all(&target.parent).map_err(|e| io(&target.parent, &e))?;
    let lock = folder::lock(&target, shown)?;
    let build = folder::Registration::new(&lock);
    folder::clean_leftovers(&target);
    folder::check_replaceable(shown, &target.dir)?;
    let staging = folder::staging(&target);
    {
        let mut held = build.staging();
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(|e| io(&staging, &e))?;
        *held = Some(staging.clone());
    }

    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Output>>(Batches::QUEUED);
    let (mut store, open_trouble) = match keep.map(store::Store::open) {
        None => (None, None),
        Some(Ok(s)) => (Some(s), None),
        Some(Err(e)) => (None, Some(e)),
    };
    let (mut written, write_errors, paths) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| write_files(rx, &staging, &build, store.as_mut()));
        let batches = Batches { tx, batch: std::sync::Mutex::new(Vec::with_capacity(Batches::SIZE)) };
        let produced = produce(&|o| batches.push(o));
        batches.finish();
        let (written, mut write_errors, paths) = writer.join().unwrap_or_else(|_| {
            (Written::default(), vec![io(&staging, &std::io::Error::other("writer thread panicked"))], Vec::new())
        });
        match produced {
            Err(mut e) => {
                e.0.append(&mut write_errors);
                Err(e)
            }
            Ok(()) if !write_errors.is_empty() => Err(Errors(write_errors)),
            Ok(()) => Ok((written, write_errors, paths)),
        }
    })?;
    debug_assert!(write_errors.is_empty());
    let manifest = staging.join(MANIFEST);
    std::fs::write(&manifest, folder::manifest(paths)).map_err(|e| io(&manifest, &e))?;
    // Test only (tests/integration/output_folder.rs): a pause with the site complete in the staging folder,
    // so a test can stop the build at that moment. Not part of the interface.
    if let Some(ms) = std::env::var("MIERUKA_TEST_PAUSE_BEFORE_SWAP_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    // Checked again: a file put into `out` during the build is not lost either.
    folder::check_replaceable(shown, &target.dir)?;
    let mut held = build.staging();
    let previous = folder::swap(&staging, &target)?;
    held.clone_from(&previous);
    if let Some(previous) = previous {
        if let Err(e) = std::fs::remove_dir_all(&previous) {
            eprintln!(
                "warning: the new site is in place, but the previous one could not be removed from {}: {e}; \
                 delete that folder yourself (the next build tries again)",
                previous.display()
            );
        }
        *held = None;
    }
    drop(held);
    written.kept_files_trouble = open_trouble.or_else(|| store.and_then(store::Store::finish));
    drop(build);
    drop(lock);
    Ok(written)
}

/// Outputs handed to the writer in batches: one hand-over (and one wake-up of a thread waiting
/// on the other) per [`Batches::SIZE`] files instead of per file, which on two cores cost a
/// context switch per file. At most `SIZE × (QUEUED + 1)` files are held.
struct Batches {
    tx: std::sync::mpsc::SyncSender<Vec<Output>>,
    batch: std::sync::Mutex<Vec<Output>>,
}

impl Batches {
    const SIZE: usize = 32;
    const QUEUED: usize = 2;

    fn push(&self, o: Output) {
        let full = {
            let mut b = self.batch.lock().expect("no panics while holding it");
            b.push(o);
            (b.len() >= Self::SIZE).then(|| std::mem::replace(&mut *b, Vec::with_capacity(Self::SIZE)))
        };
        // The writer only stops early by panicking; its error is reported by the caller.
        if let Some(full) = full {
            let _ = self.tx.send(full);
        }
    }

    /// The last, partial batch; the writer stops once it has written it.
    fn finish(self) {
        let rest = self.batch.into_inner().expect("no panics while holding it");
        let _ = self.tx.send(rest);
    }
}

/// The writer: each output received written under `staging`, its folders made once. Returns
/// what was written, the errors met and the paths written.
fn write_files(
    rx: std::sync::mpsc::Receiver<Vec<Output>>,
    staging: &Path,
    build: &folder::Registration,
    mut store: Option<&mut store::Store>,
) -> (Written, Vec<Error>, Vec<String>) {
    let mut errors = Vec::new();
    let mut written = Written::default();
    let mut paths = Vec::new();
    let mut made: HashSet<PathBuf> = HashSet::new();
    for o in rx.into_iter().flatten() {
        // Held while the file is written: SIGINT waits for it, then removes the folder.
        let held = build.staging();
        if held.is_none() {
            break;
        }
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
        let key = store.as_ref().map(|_| store::key(&o.bytes));
        let linked = match (store.as_deref_mut(), key) {
            (Some(s), Some(k)) => s.link(k, o.bytes.len(), &p),
            _ => false,
        };
        let done = if linked {
            Ok(())
        } else {
            std::fs::write(&p, &o.bytes).inspect(|()| {
                if let (Some(s), Some(k)) = (store.as_deref_mut(), key) {
                    s.add(k, &p);
                }
            })
        };
        match done {
            Ok(()) => {
                written.files += 1;
                written.bytes += o.bytes.len();
                written.pages += usize::from(o.path.ends_with(".html"));
                paths.push(o.path);
            }
            Err(e) => errors.push(io(&p, &e)),
        }
    }
    written.linked = store.map_or(0, |s| s.linked);
    (written, errors, paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_is_written_whole_batches_and_the_last_partial_one() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let n = Batches::SIZE * 3 + 5;
        let outputs: Vec<Output> = (0..n)
            .map(|i| Output { path: format!("d{}/f{i}.txt", i % 7), bytes: i.to_string().into_bytes() })
            .collect();
        let written = write_site(&out, &outputs).unwrap();
        assert_eq!(written.files, n);
        for o in &outputs {
            assert_eq!(std::fs::read(out.join(&o.path)).unwrap(), o.bytes, "{}", o.path);
        }
    }

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
    fn the_manifest_lists_what_was_written_sorted_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let page = |p: &str| Output { path: p.into(), bytes: b"x".to_vec() };
        write_site(&out, &[page("b/index.html"), page("index.html"), page("a.css")]).unwrap();
        let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert_eq!(
            manifest,
            "{\n  \"generator\": \"mieruka\",\n  \"format\": 1,\n  \"files\": [\n    \"a.css\",\n    \"b/index.html\",\n    \"index.html\"\n  ]\n}\n"
        );
        // A file the build did not write, and an empty folder it does not need, stop the next one.
        std::fs::write(out.join("b/notes.txt"), "mine").unwrap();
        std::fs::create_dir(out.join("c")).unwrap();
        let err = write_site(&out, &[page("index.html")]).unwrap_err().to_string();
        assert!(err.contains("did not write: b/notes.txt, c/. Nothing was deleted"), "{err}");
        assert!(out.join("b/notes.txt").exists() && out.join("c").is_dir());
        std::fs::remove_file(out.join("b/notes.txt")).unwrap();
        std::fs::remove_dir(out.join("c")).unwrap();
        write_site(&out, &[page("index.html")]).unwrap();
        assert!(!out.join("b").exists(), "the earlier build is replaced whole");
    }

    #[test]
    fn css_is_minified_and_hashed() {
        let o = stylesheet(Path::new("/nonexistent")).unwrap();
        assert!(o.path.starts_with("assets/style.") && o.path.ends_with(".css"));
        assert!(!String::from_utf8(o.bytes).unwrap().contains("\n\n"));
    }
}
