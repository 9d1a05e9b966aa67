//! The data files of each ward kept on disk between builds (`.mieruka-cache/data/`), as the
//! preview keeps them in memory ([`DataCache`]): a ward whose content did not change has its
//! series' and reports' files, rows, package resources and archive entries read back instead of
//! made again. Editing one report makes only its ward's files again.
//!
//! A ward's fingerprint is the SHA-256 of everything its files are made from: the files of its
//! folder and of its city's (municipality.toml, policy.toml), the site's settings as the build
//! uses them (site.toml with `--base-url` applied, `--drafts`), the list of `static/`, and the
//! mieruka program itself (its version, size and modification time): a new mieruka makes every
//! file again.

use super::archive::Piece;
use super::{DataCache, Kept};
use crate::config::SiteConfig;
use crate::error::Error;
use crate::load::{Loaded, SourceFile};
use crate::model::WardFingerprint;
use crate::output::Output;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where the kept files are, relative to the site root (beside the search index's cache).
pub const CACHE_DIR: &str = ".mieruka-cache/data";

/// The cache's index in [`CACHE_DIR`]: each entry with where its files' bytes are in the
/// blob it names (`files-<n>.blob`, a new name each time it is written, so an index never
/// points into a blob written after it).
const INDEX: &str = "wards.kept";

/// The first bytes of an index: its layout (bumped when it changes).
const MAGIC: &[u8] = b"mieruka data cache 2\n";

/// A cache kept on disk: where the files of the entries read are, the files this build made
/// (for the next index), and the kept files this build takes (written from the blob while
/// the pages render: `DataCache::emit_kept`).
#[derive(Default)]
pub(super) struct Disk {
    root: std::path::PathBuf,
    /// The blob the index read names, opened when the index is read (a build that writes
    /// another index meanwhile may remove it), and each kept file's place in it (offset, size).
    blob: Option<(std::path::PathBuf, std::fs::File)>,
    at: HashMap<String, (u64, usize)>,
    made: Mutex<HashMap<String, Arc<[u8]>>>,
    taken: Mutex<Vec<String>>,
}

impl Disk {
    /// A file this build made: kept for the next index (the site-wide files are made every
    /// build and are not kept).
    pub(super) fn made(&self, o: &Output) {
        if !o.path.starts_with("data/") {
            self.made.lock().expect("no panics while holding it").insert(o.path.clone(), o.bytes.as_slice().into());
        }
    }

    /// Kept files this build uses: written from the blob.
    pub(super) fn take<'p>(&self, paths: impl Iterator<Item = &'p String>) {
        self.taken.lock().expect("no panics while holding it").extend(paths.cloned());
    }
}

/// Each ward's fingerprint, by (city, ward) folder name; `None` when the program cannot be
/// identified (then nothing is kept).
pub fn fingerprints(loaded: &Loaded, config: &SiteConfig, drafts: bool) -> Option<Fingerprints> {
    let mut site = Sha256::new();
    site.update(program()?.as_bytes());
    site.update(format!("{config:?}\0{drafts}\0").as_bytes());
    if let Some(intro) = &loaded.home_intro {
        file(&mut site, intro);
    }
    for s in &loaded.statics {
        site.update(format!("{}\0{}\0", s.path, s.size).as_bytes());
    }
    let wards: Vec<_> = loaded.cities.iter().flat_map(|c| c.wards.iter().map(move |w| (c, w))).collect();
    let cities: HashMap<&str, Sha256> = loaded
        .cities
        .iter()
        .map(|c| {
            let mut h = site.clone();
            h.update(format!("{}\0", c.id).as_bytes());
            file(&mut h, &c.file);
            if let Some((policy, _)) = &c.policy {
                file(&mut h, policy);
            }
            (c.id.as_str(), h)
        })
        .collect();
    let by_ward: HashMap<(String, String), u64> = wards
        .par_iter()
        .map(|(c, w)| {
            let mut h = cities[c.id.as_str()].clone();
            h.update(format!("{}\0", w.id).as_bytes());
            file(&mut h, &w.file);
            for r in &w.reports {
                h.update(format!("{}\0", r.folder).as_bytes());
                file(&mut h, &r.file);
                if let Some(intro) = &r.intro {
                    file(&mut h, intro);
                }
            }
            let digest = h.finalize();
            let n = u64::from_le_bytes(digest[..8].try_into().expect("a SHA-256 has 32 bytes"));
            ((c.id.clone(), w.id.clone()), n)
        })
        .collect();
    // All of it: the settings and program, each city's files, each ward's fingerprint.
    let mut all = site;
    for c in &loaded.cities {
        all.update(cities[c.id.as_str()].clone().finalize());
        for w in &c.wards {
            all.update(by_ward[&(c.id.clone(), w.id.clone())].to_le_bytes());
        }
    }
    Some(Fingerprints { wards: by_ward, site: crate::output::hex_name(all) })
}

/// Each ward's fingerprint, and the whole site's ([`fingerprints`]).
pub struct Fingerprints {
    wards: HashMap<(String, String), u64>,
    site: String,
}

impl Fingerprints {
    /// The fingerprint of the ward `ward` of `city` (folder names); 0 for a ward not loaded.
    pub fn of(&self, city: &str, ward: &str) -> u64 {
        self.wards.get(&(city.to_string(), ward.to_string())).copied().unwrap_or(0)
    }

    /// The digest of every content file, the settings as the build uses them, the `static/`
    /// list and the program (hex SHA-256): what the search records are made from.
    pub fn site(&self) -> &str {
        &self.site
    }
}

fn file(h: &mut Sha256, f: &SourceFile) {
    h.update(f.path.to_string_lossy().as_bytes());
    h.update([0]);
    h.update((f.text.len() as u64).to_le_bytes());
    h.update(f.text.as_bytes());
}

/// The running program, as far as the files it makes may differ: its version, and the size
/// and modification time of its executable (a rebuilt or upgraded mieruka is another program).
pub fn program() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {} {}\0", env!("CARGO_PKG_VERSION"), exe.display(), meta.len(), modified.as_nanos()))
}

impl DataCache {
    /// The entries kept in `root`'s cache folder by an earlier build, or an empty cache (none
    /// kept, or an index this version cannot read: everything is made again).
    pub fn read(root: &Path) -> DataCache {
        let empty =
            || DataCache { disk: Some(Disk { root: root.to_path_buf(), ..Disk::default() }), ..DataCache::default() };
        let dir = root.join(CACHE_DIR);
        let Ok(file) = std::fs::File::open(dir.join(INDEX)) else { return empty() };
        let Ok(size) = file.metadata().map(|m| m.len()) else { return empty() };
        let mut cache = empty();
        // A damaged index is not used in part either.
        match cache.unpack(Reader::new(std::io::BufReader::with_capacity(1 << 16, file), size), &dir) {
            Some(read) => {
                cache.read = read;
                cache
            }
            None => empty(),
        }
    }

    /// Whether the disk copy is out of date: this build made some series' or report's files,
    /// or did not take every entry read (a ward changed or was removed).
    pub fn changed(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.made.load(Relaxed) > 0 || self.taken.load(Relaxed) < self.read
    }

    /// How many series and reports had their files made by this build, and how many read back.
    pub fn counts(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.made.load(Relaxed), self.taken.load(Relaxed))
    }

    /// Forgets the entries (their rows, resources and archive entries) once the data files
    /// are made, when the index will not be written again: not held while the pages render.
    pub fn release(&self) {
        if !self.changed() {
            self.series.lock().expect("no panics while holding it").clear();
            self.reports.lock().expect("no panics while holding it").clear();
        }
    }

    /// After the data files are made: the kept files handed to `emit` ([`DataCache::emit_kept`]),
    /// and the cache written again when this build changed it ([`DataCache::write`]).
    pub fn finish(
        &self,
        emit: &(dyn Fn(Output) + Sync),
        fingerprint: WardFingerprint,
    ) -> (Result<(), Error>, std::io::Result<()>) {
        let emitted = self.emit_kept(emit);
        let written = if self.changed() { self.write(fingerprint) } else { Ok(()) };
        (emitted, written)
    }

    /// Hands the kept files this build took to `emit`, read from the blob (in the blob's order).
    pub fn emit_kept(&self, emit: &(dyn Fn(Output) + Sync)) -> Result<(), Error> {
        let Some(disk) = &self.disk else { return Ok(()) };
        let mut taken = std::mem::take(&mut *disk.taken.lock().expect("no panics while holding it"));
        let Some((blob, file)) = &disk.blob else { return Ok(()) };
        let io = |e: std::io::Error| {
            // Not used again: the next build makes every file anew.
            let _ = std::fs::remove_file(disk.root.join(CACHE_DIR).join(INDEX));
            Error::Io {
                path: blob.clone(),
                message: format!("{e} (a file of the build cache, now set aside: build again)"),
            }
        };
        taken.sort_by_key(|path| disk.at.get(path).map(|(offset, _)| *offset));
        for path in taken {
            let Some(&(offset, size)) = disk.at.get(&path) else { continue };
            let mut bytes = vec![0; size];
            std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, offset).map_err(io)?;
            emit(Output { path, bytes });
        }
        Ok(())
    }

    /// Writes the index and blob of every entry that is current (`fingerprint`) into the cache
    /// folder: the blob under a new name, then the index (written aside and renamed); then the
    /// earlier blob is removed.
    pub fn write(&self, fingerprint: WardFingerprint) -> std::io::Result<()> {
        let Some(disk) = &self.disk else { return Ok(()) };
        let dir = disk.root.join(CACHE_DIR);
        std::fs::create_dir_all(&dir)?;
        let made = disk.made.lock().expect("no panics while holding it");
        let old = disk.blob.as_ref().map(|(_, file)| file);
        // Only a current entry whose files are all at hand is kept.
        let current = |key: &[&str; 3], k: &Kept| {
            fingerprint(key[0], key[1]) == k.fingerprint
                && k.sizes.iter().all(|(path, _)| {
                    made.contains_key(path.as_str()) || (old.is_some() && disk.at.contains_key(path.as_str()))
                })
        };
        let series = self.series.lock().expect("no panics while holding it");
        let mut series: Vec<([&str; 3], &Kept)> = series
            .iter()
            .flat_map(|(c, wards)| {
                wards
                    .iter()
                    .flat_map(move |(w, s)| s.iter().map(move |(i, k)| ([c.as_str(), w.as_str(), i.as_str()], k)))
            })
            .filter(|(key, k)| current(key, k))
            .collect();
        let reports = self.reports.lock().expect("no panics while holding it");
        let years: Vec<String> = reports.keys().map(|(_, _, y)| y.to_string()).collect();
        let mut reports: Vec<([&str; 3], &Kept)> = reports
            .iter()
            .zip(&years)
            .map(|((key, k), y)| ([key.0.as_str(), key.1.as_str(), y.as_str()], k))
            .filter(|(key, k)| current(key, k))
            .collect();
        let name = format!("files-{}-{}.blob", std::process::id(), unique());
        let blob_path = dir.join(&name);
        let result = (|| {
            let mut blob = std::io::BufWriter::new(std::fs::File::create(&blob_path)?);
            let mut offset = 0u64;
            let mut index = Writer(MAGIC.to_vec());
            index.text(&name);
            for list in [&mut series, &mut reports] {
                // Sorted, so the same entries give the same index.
                list.sort_by(|a, b| a.0.cmp(&b.0));
                index.u64(list.len() as u64);
                for (key, k) in list.iter() {
                    for part in key {
                        index.text(part);
                    }
                    index.u64(k.fingerprint);
                    index.bytes(&k.rows);
                    for r in &k.resources {
                        index.text(r);
                    }
                    index.u64(k.sizes.len() as u64);
                    for (path, size) in &k.sizes {
                        let bytes: Arc<[u8]> = if let Some(b) = made.get(path.as_str()) {
                            b.clone()
                        } else {
                            let (at, n) = disk.at[path.as_str()];
                            let mut b = vec![0; n];
                            let old = old.expect("checked by `current`");
                            std::os::unix::fs::FileExt::read_exact_at(old, &mut b, at)?;
                            b.into()
                        };
                        if bytes.len() != *size {
                            return Err(std::io::Error::other(format!("{path}: {} bytes, not {size}", bytes.len())));
                        }
                        std::io::Write::write_all(&mut blob, &bytes)?;
                        index.text(path);
                        index.u64(offset);
                        index.u64(*size as u64);
                        offset += *size as u64;
                    }
                    index.u64(k.pieces.len() as u64);
                    for p in &k.pieces {
                        index.text(&p.path);
                        index.bytes(p.zip());
                    }
                }
            }
            index.u64(offset);
            std::io::Write::flush(&mut blob)?;
            let tmp = dir.join(format!("{INDEX}.{}-{}.tmp", std::process::id(), unique()));
            std::fs::write(&tmp, &index.0).and_then(|()| std::fs::rename(&tmp, dir.join(INDEX))).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&blob_path);
            return Err(e);
        }
        // Earlier blobs, and the index of a build stopped while writing it: only mieruka
        // writes them (an index names one blob only).
        for e in std::fs::read_dir(&dir)?.flatten() {
            let (path, name) = (e.path(), e.file_name().to_string_lossy().into_owned());
            let blob = name.starts_with("files-") && name.ends_with(".blob");
            let unfinished = name.starts_with(&format!("{INDEX}.")) && name.ends_with(".tmp");
            if (blob && path != blob_path) || unfinished {
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(())
    }

    /// Fills this cache from an index and says how many entries it held, or `None` if it is
    /// not one [`DataCache::write`] wrote whole, or its blob is not the size it says (then the
    /// caller uses none of it).
    fn unpack(&mut self, mut r: Reader<impl std::io::Read>, dir: &Path) -> Option<usize> {
        let mut magic = [0; MAGIC.len()];
        r.exact(&mut magic)?;
        if magic != MAGIC {
            return None;
        }
        let disk = self.disk.as_mut()?;
        let name = r.text()?;
        if name.contains('/') || !name.ends_with(".blob") {
            return None;
        }
        let blob = dir.join(name);
        let series = self.series.get_mut().expect("no panics while holding it");
        let reports = self.reports.get_mut().expect("no panics while holding it");
        let mut read = 0;
        for section in [1, 2] {
            for _ in 0..r.u64()? {
                read += 1;
                let [c, w, x] = [r.text()?, r.text()?, r.text()?];
                let fingerprint = r.u64()?;
                let rows: Arc<[u8]> = r.bytes()?.into();
                let resources = [r.text()?.into(), r.text()?.into()];
                let mut sizes = Vec::new();
                for _ in 0..r.u64()? {
                    let (path, offset, size) = (r.text()?, r.u64()?, usize::try_from(r.u64()?).ok()?);
                    disk.at.insert(path.clone(), (offset, size));
                    sizes.push((path, size));
                }
                let mut pieces = Vec::new();
                for _ in 0..r.u64()? {
                    pieces.push(Piece::from_zip(r.text()?, r.bytes()?.into()));
                }
                let kept = Kept { fingerprint, rows, resources, sizes, pieces };
                if section == 1 {
                    series.entry(c).or_default().entry(w).or_default().insert(x, kept);
                } else {
                    reports.insert((c, w, x.parse().ok()?), kept);
                }
            }
        }
        let length = r.u64()?;
        let file = std::fs::File::open(&blob).ok()?;
        if !r.at_end() || file.metadata().ok()?.len() != length {
            return None;
        }
        disk.blob = Some((blob, file));
        Some(read)
    }
}

/// A number for a cache file's name that no other build of this process has used (the
/// data files' blobs, the kept pages' blobs and indexes).
pub fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    now ^ NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A cache file being written: numbers as 8 bytes (little-endian), texts and byte strings
/// after their length.
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, n: u64) {
        self.0.extend(n.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend(b);
    }

    fn text(&mut self, t: &str) {
        self.bytes(t.as_bytes());
    }
}

/// An index being read: what [`Writer`] wrote, `None` where it is cut short or not UTF-8.
/// Read as a stream, so the whole index is never held besides what is made of it.
struct Reader<R> {
    stream: R,
    /// What is left of the index: no length read from it may be longer (a damaged length is
    /// not something to allocate).
    left: u64,
}

impl<R: std::io::Read> Reader<R> {
    fn new(stream: R, size: u64) -> Reader<R> {
        Reader { stream, left: size }
    }

    fn exact(&mut self, b: &mut [u8]) -> Option<()> {
        self.left = self.left.checked_sub(b.len() as u64)?;
        self.stream.read_exact(b).ok()
    }

    fn u64(&mut self) -> Option<u64> {
        let mut b = [0; 8];
        self.exact(&mut b)?;
        Some(u64::from_le_bytes(b))
    }

    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.u64()?;
        if n > self.left {
            return None;
        }
        let mut b = vec![0; usize::try_from(n).ok()?];
        self.exact(&mut b)?;
        Some(b)
    }

    fn text(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?).ok()
    }

    /// Whether the stream has ended.
    fn at_end(&mut self) -> bool {
        let mut b = [0; 1];
        matches!(self.stream.read(&mut b), Ok(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    #[test]
    fn a_length_longer_than_what_is_left_of_the_index_is_damage() {
        let good = stream(&[&3u64.to_le_bytes(), b"abc"]);
        assert_eq!(Reader::new(&good[..], good.len() as u64).bytes().as_deref(), Some(&b"abc"[..]));
        // One byte short: the length is refused before anything is allocated or read.
        let short = &good[..good.len() - 1];
        assert_eq!(Reader::new(short, short.len() as u64).bytes(), None);
        let huge = stream(&[&(u64::MAX / 2).to_le_bytes(), b"abc"]);
        assert_eq!(Reader::new(&huge[..], huge.len() as u64).bytes(), None);
        // A reader reads no further than the index's size, even where the stream goes on.
        assert_eq!(Reader::new(&good[..], 8).bytes(), None);
        assert_eq!(Reader::new(&good[..], 4).u64(), None);
    }
}
