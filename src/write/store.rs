//! Files kept between builds (`.mieruka-cache/files/`), linked into the new site instead of
//! written again.
//!
//! Each file a build writes is also given a name in this folder: the hex of the 128-bit XXH3 of
//! its bytes. The name is a hard link, so the kept file is the site's file itself and takes no
//! second place on disk. A later build that makes the same bytes links that file into its site
//! instead of writing them: for the kernel a link is a name, a write is an inode, blocks and a
//! copy of every byte (figures in docs/benchmarks.md, "Files linked, not written").
//!
//! A kept file is linked only while it is as it was left (its size and modification time, in
//! the index): a published file edited in place, which is the kept file too, is written afresh
//! and not linked again. Where the folder cannot be written, or is on another file system than
//! the site, files are written as before: only slower, nothing lost.
//!
//! The index (`files.kept`) names the files kept. A build that succeeds replaces it with the
//! files it used and removes every other file of the folder; a build that fails leaves the
//! index as it was (the files it added are removed by the next build that succeeds).

use std::collections::HashMap;
use std::io::Write as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

/// Where the kept files are, relative to the site root.
pub const CACHE_DIR: &str = ".mieruka-cache/files";

/// The index in [`CACHE_DIR`].
const INDEX: &str = "files.kept";

/// The first bytes of an index: its layout (bumped when it changes).
const MAGIC: &[u8] = b"mieruka file cache 1\n";

/// One entry of the index: key (16), length (8), modification seconds (8) and nanoseconds (4).
const ENTRY: usize = 36;

/// What a kept file must still be to be linked: its length and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    secs: i64,
    nanos: u32,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp { len: meta.len(), secs: meta.mtime(), nanos: u32::try_from(meta.mtime_nsec()).unwrap_or(0) }
    }
}

/// The kept files of earlier builds, and what this build links and adds.
pub(super) struct Store {
    dir: PathBuf,
    /// From the index: what earlier builds kept.
    known: HashMap<u128, Stamp>,
    /// What this build linked or added.
    used: HashMap<u128, Stamp>,
    /// Why a file could not be added (another file system, no permission), once one could
    /// not: the rest is written as before, and the build warns (it is only slower).
    trouble: Option<String>,
    /// Files of the site linked rather than written.
    pub linked: usize,
}

/// The file name of `key` in the folder.
fn name(key: u128) -> String {
    format!("{key:032x}")
}

/// The key of a file's bytes.
pub(super) fn key(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

impl Store {
    /// The folder `dir`, made if missing, with what its index names; why not when it cannot be
    /// made (the site is written without it).
    pub(super) fn open(dir: &Path) -> Result<Store, String> {
        if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
            return Err("a file is in its place".to_string());
        }
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let known = std::fs::read(dir.join(INDEX)).ok().and_then(|b| parse(&b)).unwrap_or_default();
        Ok(Store { dir: dir.to_path_buf(), known, used: HashMap::new(), trouble: None, linked: 0 })
    }

    /// Links the kept file of `key` (of `len` bytes) to `dest`, if there is one as it was left.
    pub(super) fn link(&mut self, key: u128, len: usize, dest: &Path) -> bool {
        let Some(&stamp) = self.used.get(&key).or_else(|| self.known.get(&key)) else { return false };
        if stamp.len != len as u64 {
            return false;
        }
        let kept = self.dir.join(name(key));
        // Checked each time: a published copy edited in place is the kept file too.
        match std::fs::symlink_metadata(&kept) {
            Ok(meta) if meta.is_file() && Stamp::of(&meta) == stamp => {}
            _ => return false,
        }
        if std::fs::hard_link(&kept, dest).is_err() {
            return false;
        }
        self.used.insert(key, stamp);
        self.linked += 1;
        true
    }

    /// Keeps `written`, just written with the bytes of `key`, under its key.
    pub(super) fn add(&mut self, key: u128, written: &Path) {
        if self.trouble.is_some() || self.used.contains_key(&key) {
            return;
        }
        let kept = self.dir.join(name(key));
        let mut linked = std::fs::hard_link(written, &kept);
        if matches!(&linked, Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists) {
            // A file of that name that is not as the index says: replaced.
            let _ = std::fs::remove_file(&kept);
            linked = std::fs::hard_link(written, &kept);
        }
        match linked.and_then(|()| std::fs::symlink_metadata(written)) {
            Ok(meta) => {
                self.used.insert(key, Stamp::of(&meta));
            }
            Err(e) => {
                self.trouble = Some(if e.kind() == std::io::ErrorKind::CrossesDevices {
                    format!("{e}: the output folder is on another file system than the site folder")
                } else {
                    e.to_string()
                });
            }
        }
    }

    /// After a build that succeeded: the index names what this build used, and every other
    /// file of the folder is removed. An index that cannot be written is only slower next time:
    /// returned, with any trouble met while adding, for the build to warn.
    pub(super) fn finish(self) -> Option<String> {
        let mut keys: Vec<(&u128, &Stamp)> = self.used.iter().collect();
        keys.sort_unstable_by_key(|(k, _)| **k);
        let mut bytes = Vec::with_capacity(MAGIC.len() + keys.len() * ENTRY);
        bytes.extend_from_slice(MAGIC);
        for (k, s) in keys {
            bytes.extend_from_slice(&k.to_le_bytes());
            bytes.extend_from_slice(&s.len.to_le_bytes());
            bytes.extend_from_slice(&s.secs.to_le_bytes());
            bytes.extend_from_slice(&s.nanos.to_le_bytes());
        }
        let aside = self.dir.join(format!("{INDEX}.tmp-{}", std::process::id()));
        let written = std::fs::File::create(&aside)
            .and_then(|mut f| f.write_all(&bytes))
            .and_then(|()| std::fs::rename(&aside, self.dir.join(INDEX)));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&aside);
            return self.trouble.or(Some(e.to_string()));
        }
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return self.trouble };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            let used = u128::from_str_radix(&file, 16).is_ok_and(|k| file.len() == 32 && self.used.contains_key(&k));
            if !used && file != INDEX {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        self.trouble
    }
}

/// The entries of an index; `None` for one this version cannot read (then nothing is linked).
fn parse(bytes: &[u8]) -> Option<HashMap<u128, Stamp>> {
    let body = bytes.strip_prefix(MAGIC)?;
    if body.len() % ENTRY != 0 {
        return None;
    }
    let field = |e: &[u8], at: usize, n: usize| e[at..at + n].to_vec();
    Some(
        body.chunks_exact(ENTRY)
            .map(|e| {
                let key = u128::from_le_bytes(field(e, 0, 16).try_into().expect("16 bytes"));
                let len = u64::from_le_bytes(field(e, 16, 8).try_into().expect("8 bytes"));
                let secs = i64::from_le_bytes(field(e, 24, 8).try_into().expect("8 bytes"));
                let nanos = u32::from_le_bytes(field(e, 32, 4).try_into().expect("4 bytes"));
                (key, Stamp { len, secs, nanos })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use crate::write::write_site_keeping;

    fn site(n: usize, tag: &str) -> Vec<Output> {
        (0..n)
            .map(|i| Output { path: format!("d{}/f{i}.html", i % 3), bytes: format!("{tag} {i}").into_bytes() })
            .collect()
    }

    fn kept_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_second_build_links_the_files_the_first_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join(CACHE_DIR);
        let first = write_site_keeping(&tmp.path().join("a"), Some(&keep), &site(7, "x")).unwrap();
        assert_eq!(first.linked, 0);
        let second = write_site_keeping(&tmp.path().join("b"), Some(&keep), &site(7, "x")).unwrap();
        assert_eq!((second.linked, second.files), (7, 7));
        for o in site(7, "x") {
            let meta = std::fs::metadata(tmp.path().join("b").join(&o.path)).unwrap();
            let kept = std::fs::metadata(keep.join(name(key(&o.bytes)))).unwrap();
            assert_eq!((meta.ino(), meta.nlink()), (kept.ino(), 3), "{}: one file, in a, b and the cache", o.path);
            assert_eq!(std::fs::read(tmp.path().join("b").join(&o.path)).unwrap(), o.bytes);
        }
        // Files no build uses any more leave the folder with the next build that succeeds.
        write_site_keeping(&tmp.path().join("c"), Some(&keep), &site(2, "y")).unwrap();
        let expected: Vec<String> =
            site(2, "y").iter().map(|o| name(key(&o.bytes))).chain([INDEX.to_string()]).collect();
        let mut expected = expected;
        expected.sort();
        assert_eq!(kept_files(&keep), expected);
    }

    #[test]
    fn a_published_file_edited_in_place_is_written_again_not_linked() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join(CACHE_DIR);
        let out = tmp.path().join("public");
        let pages = site(3, "x");
        write_site_keeping(&out, Some(&keep), &pages).unwrap();
        // Same length, other bytes: an editor writing into the published file.
        let edited = out.join(&pages[1].path);
        let mut f = std::fs::OpenOptions::new().write(true).open(&edited).unwrap();
        f.write_all(b"X").unwrap();
        f.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1)).unwrap();
        drop(f);
        let again = write_site_keeping(&out, Some(&keep), &pages).unwrap();
        assert_eq!(again.linked, 2, "the two untouched files are linked");
        for o in &pages {
            assert_eq!(std::fs::read(out.join(&o.path)).unwrap(), o.bytes, "{}", o.path);
        }
    }

    #[test]
    fn duplicates_within_a_build_are_one_file_and_a_damaged_index_links_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join(CACHE_DIR);
        let same = |p: &str| Output { path: p.into(), bytes: b"same".to_vec() };
        let w = write_site_keeping(&tmp.path().join("a"), Some(&keep), &[same("a.txt"), same("b/c.txt")]).unwrap();
        assert_eq!(w.linked, 1);
        std::fs::write(keep.join(INDEX), b"mieruka file cache 1\nshort").unwrap();
        let w = write_site_keeping(&tmp.path().join("b"), Some(&keep), &[same("a.txt")]).unwrap();
        assert_eq!(w.linked, 0);
        assert_eq!(std::fs::read(tmp.path().join("b/a.txt")).unwrap(), b"same");
    }

    #[test]
    fn a_folder_that_cannot_be_made_only_writes() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("file"), "").unwrap();
        let keep = tmp.path().join("file/files");
        let w = write_site_keeping(&tmp.path().join("a"), Some(&keep), &site(3, "x")).unwrap();
        assert_eq!((w.files, w.linked), (3, 0));
        assert_eq!(std::fs::read(tmp.path().join("a/d1/f1.html")).unwrap(), b"x 1");
        // Said, not silent: the build warns (src/lib.rs).
        assert!(w.kept_files_trouble.as_deref().is_some_and(|t| t.contains("Not a directory")), "{w:?}");
    }

    #[test]
    fn files_that_cannot_be_added_are_written_and_the_reason_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join(CACHE_DIR);
        std::fs::create_dir_all(&keep).unwrap();
        let mut store = Store::open(&keep).unwrap();
        // A written file that is gone: linking it fails as another file system would.
        store.add(7, &tmp.path().join("missing.html"));
        store.add(8, &tmp.path().join("missing-too.html"));
        let trouble = store.finish().expect("the reason is returned");
        assert!(trouble.contains("No such file"), "{trouble}");
        // Without trouble, nothing to say.
        assert_eq!(Store::open(&keep).unwrap().finish(), None);
    }
}
