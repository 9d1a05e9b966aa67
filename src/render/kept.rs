//! Pages kept between builds (`.mieruka-cache/pages/`): a page whose template, values and
//! renderer did not change since an earlier build is read back instead of rendered again.
//!
//! A page's key is the 128-bit XXH3 of everything Tera sees when it renders it: the program (its
//! version and executable, as for the data files), every template's source, the template's
//! name and every value of the page's context, each with its kind (a string also with whether
//! it is printed unescaped). Nothing else reaches a template (mieruka gives Tera no global and
//! no function; its filters are part of the program), so the same key gives the same bytes.
//!
//! The indicator cards (measurement.html, rendered once and shown by the report and goal
//! pages) are kept the same way, under the same kind of key: a warm build renders neither.
//!
//! The footer, which shows the size of the archive of all data and so changes with any edit,
//! is left out of the kept page and put in afterwards ([`super::Renderer`]): an edit of one
//! report renders again only the pages that show something of it.
//!
//! On disk: an index (`pages.kept`) naming the blobs that hold the pages and where each page
//! is in them. Each build that renders pages appends them to a new blob; a blob of which less
//! than half is still used is copied into the new one and removed. A page that cannot be read
//! back is rendered; a cache that cannot be written is only slower.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write as _;
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tera::Value;
use tera::value::{Key, ValueKind};
use xxhash_rust::xxh3::Xxh3Default as Hasher;

mod view;

/// Where the kept pages are, relative to the site root.
pub const CACHE_DIR: &str = ".mieruka-cache/pages";

/// The index in [`CACHE_DIR`].
const INDEX: &str = "pages.kept";

/// The first bytes of an index: its layout (bumped when it changes).
const MAGIC: &[u8] = b"mieruka page cache 2\n";

/// A key being made: what every key starts from and the template, then each value of the
/// context by name, as Tera holds it ([`KeyHasher::value`]) or as the view that Tera's values
/// would be made from says it ([`KeyHasher::view`]: a page read back never has them made).
pub struct KeyHasher(Hasher);

impl KeyHasher {
    /// `value`, named `name` in the context. `None` for a kind of value this version does not
    /// know (then the page is not kept).
    pub fn value(&mut self, name: &str, value: &Value) -> Option<()> {
        text(&mut self.0, name);
        self.0.update(&[30]);
        feed(&mut self.0, value)
    }

    /// `view`, which the context's `name` is made from (`tera::Value::from_serializable`).
    /// `None` when it cannot be serialized.
    pub fn view(&mut self, name: &str, view: &(impl serde::Serialize + ?Sized)) -> Option<()> {
        text(&mut self.0, name);
        self.0.update(&[31]);
        let was = KEYING.replace(true);
        let fed = view.serialize(view::Feed(&mut self.0)).ok();
        KEYING.set(was);
        fed
    }

    pub fn finish(self) -> PageKey {
        self.0.digest128().to_le_bytes()
    }
}

thread_local! {
    /// Set while a view is fed to a key ([`KeyHasher::view`]).
    static KEYING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the value being serialized is fed to a page's key rather than made into Tera's
/// values: a value made by a pure function of a smaller input (Markdown made into HTML,
/// [`super::components::Prose`]) then serializes that input, and a page read back from the
/// cache never has it made. Its input must be all its output depends on.
pub(super) fn keying() -> bool {
    KEYING.get()
}

/// A page's key: a 128-bit XXH3 (a cache key, not a signature: the content is the author's
/// own, and XXH3 hashes the ~25 KB of values of each page about ten times faster than SHA-256).
pub(super) type PageKey = [u8; 16];

/// Where a kept page is: which blob, at which offset, how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    blob: usize,
    offset: u64,
    len: u64,
}

/// A blob of pages: its file name in [`CACHE_DIR`], the file and its size.
struct Blob {
    name: String,
    file: File,
    size: u64,
}

/// The pages an earlier build kept, and what this build takes and adds.
pub struct PageCache {
    dir: PathBuf,
    /// What every key starts from: the program and every template's source.
    base: Hasher,
    blobs: Vec<Blob>,
    at: HashMap<PageKey, Place>,
    run: Mutex<Run>,
}

/// What this build did with the cache.
#[derive(Default)]
struct Run {
    /// Pages read back.
    taken: Vec<PageKey>,
    /// The blob this build appends the pages it rendered to, opened on the first one.
    new: Option<Blob>,
    /// Pages rendered and appended to `new`: (key, offset, length).
    made: Vec<(PageKey, u64, u64)>,
    /// Appending failed: nothing more is kept (the index must not point at a broken blob).
    broken: Option<std::io::Error>,
    /// Parts of pages read back (indicator cards): kept like pages, not counted as pages.
    taken_parts: Vec<PageKey>,
    /// How many of `made` are parts of pages.
    made_parts: usize,
}

/// How many pages were read back and how many rendered (and kept for the next build).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PageStats {
    pub taken: usize,
    pub made: usize,
}

impl PageCache {
    /// The pages kept in `root`'s cache by an earlier build for this `program` and templates
    /// (the digest of their sources, [`super::Templates::digest`]); none when there is no index or it cannot be read (then every page is
    /// rendered and kept anew).
    pub fn read(root: &Path, program: &str, templates: &[u8; 32]) -> PageCache {
        let mut base = Hasher::new();
        base.update(MAGIC);
        text(&mut base, program);
        base.update(templates);
        let dir = root.join(CACHE_DIR);
        let (blobs, at) =
            std::fs::read(dir.join(INDEX)).ok().and_then(|index| unpack(&index, &dir)).unwrap_or_default();
        PageCache { dir, base, blobs, at, run: Mutex::default() }
    }

    /// [`PageCache::read`] for the running program (`data::program`); `None` when it cannot be
    /// identified (then no page is kept).
    pub fn of_program(root: &Path, templates: &[u8; 32]) -> Option<PageCache> {
        Some(PageCache::read(root, &crate::data::program()?, templates))
    }

    /// The key of a page rendered with `template` and the context `values` (name, value);
    /// `None` when a value is of a kind this version does not know (then it is not kept).
    pub fn key(&self, template: &str, values: &[(&str, &Value)]) -> Option<PageKey> {
        let mut key = self.key_of(template);
        for (name, value) in values {
            key.value(name, value)?;
        }
        Some(key.finish())
    }

    /// The key of a page rendered with `template`, its context values to be fed
    /// ([`KeyHasher`]).
    pub fn key_of(&self, template: &str) -> KeyHasher {
        let mut h = self.base.clone();
        text(&mut h, template);
        KeyHasher(h)
    }

    /// The page kept under `key`, read back; `None` when there is none or it cannot be read.
    pub fn get(&self, key: &PageKey) -> Option<Vec<u8>> {
        self.take(key, false)
    }

    /// Keeps a page this build rendered for the next build.
    pub fn put(&self, key: PageKey, bytes: &[u8]) {
        self.keep(key, bytes, false);
    }

    /// [`PageCache::get`] for a part that pages show (an indicator card rendered once).
    pub fn get_part(&self, key: &PageKey) -> Option<Vec<u8>> {
        self.take(key, true)
    }

    /// [`PageCache::put`] for a part that pages show.
    pub fn put_part(&self, key: PageKey, bytes: &[u8]) {
        self.keep(key, bytes, true);
    }

    fn take(&self, key: &PageKey, part: bool) -> Option<Vec<u8>> {
        let place = *self.at.get(key)?;
        let mut bytes = vec![0; usize::try_from(place.len).ok()?];
        self.blobs[place.blob].file.read_exact_at(&mut bytes, place.offset).ok()?;
        let mut run = self.run.lock().expect("no panics while holding it");
        if part { &mut run.taken_parts } else { &mut run.taken }.push(*key);
        Some(bytes)
    }

    fn keep(&self, key: PageKey, bytes: &[u8], part: bool) {
        let mut run = self.run.lock().expect("no panics while holding it");
        if run.broken.is_some() {
            return;
        }
        if run.new.is_none() {
            match new_blob(&self.dir) {
                Ok(blob) => run.new = Some(blob),
                Err(e) => {
                    run.broken = Some(e);
                    return;
                }
            }
        }
        let blob = run.new.as_mut().expect("opened above");
        let offset = blob.size;
        match blob.file.write_all(bytes) {
            Ok(()) => {
                blob.size += bytes.len() as u64;
                run.made.push((key, offset, bytes.len() as u64));
                run.made_parts += usize::from(part);
            }
            Err(e) => run.broken = Some(e),
        }
    }

    /// After the build: the index written again when this build rendered pages or left some
    /// kept ones unused (the pages it used, in the blobs they are in; a blob less than half
    /// used copied into this build's blob), and the blobs no longer used removed. Says how
    /// many pages were read back and made, or why the cache could not be written.
    pub fn finish(self) -> (PageStats, std::io::Result<()>) {
        let PageCache { dir, blobs, at, run, .. } = self;
        let Run { mut taken, new, made, broken, taken_parts, made_parts } =
            run.into_inner().expect("no panics while holding it");
        taken.sort_unstable();
        taken.dedup();
        let stats = PageStats { taken: taken.len(), made: made.len() - made_parts };
        taken.extend(taken_parts);
        taken.sort_unstable();
        taken.dedup();
        if let Some(e) = broken {
            if let Some(new) = new {
                let _ = std::fs::remove_file(dir.join(&new.name));
            }
            return (stats, Err(e));
        }
        if made.is_empty() && taken.len() == at.len() {
            return (stats, Ok(()));
        }
        let new_name = new.as_ref().map(|b| b.name.clone());
        match write_index(&dir, &blobs, &at, &taken, new, made) {
            Ok(named) => {
                // Blobs the index does not name (its earlier blobs, and those of a damaged index
                // or an older layout) and unfinished indexes: only mieruka writes them.
                for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let blob = name.starts_with("pages-") && name.ends_with(".blob") && !named.contains(&name);
                    let unfinished = name.starts_with(&format!("{INDEX}.")) && name.ends_with(".tmp");
                    if blob || unfinished {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
                (stats, Ok(()))
            }
            Err(e) => {
                // The old index stands; this build's blob is not named by it.
                if let Some(name) = new_name {
                    let _ = std::fs::remove_file(dir.join(name));
                }
                (stats, Err(e))
            }
        }
    }
}

/// Writes the index of the pages `taken` (kept in `blobs`) and `made` (in `new`): a blob less
/// than half of which is taken has its taken pages copied into `new` (opened if this build made
/// none). Written aside, then renamed over the old index. Returns the blobs it names.
fn write_index(
    dir: &Path,
    blobs: &[Blob],
    at: &HashMap<PageKey, Place>,
    taken: &[PageKey],
    mut new: Option<Blob>,
    made: Vec<(PageKey, u64, u64)>,
) -> std::io::Result<Vec<String>> {
    let mut live = vec![0u64; blobs.len()];
    for key in taken {
        live[at[key].blob] += at[key].len;
    }
    let moved = |b: usize| live[b] * 2 < blobs[b].size;
    let mut entries: Vec<(PageKey, String, u64, u64)> = Vec::with_capacity(taken.len() + made.len());
    for key in taken {
        let place = at[key];
        if moved(place.blob) {
            if new.is_none() {
                new = Some(new_blob(dir)?);
            }
            let blob = new.as_mut().expect("opened above");
            let mut bytes = vec![0; usize::try_from(place.len).map_err(std::io::Error::other)?];
            blobs[place.blob].file.read_exact_at(&mut bytes, place.offset)?;
            blob.file.write_all(&bytes)?;
            entries.push((*key, blob.name.clone(), blob.size, place.len));
            blob.size += place.len;
        } else {
            entries.push((*key, blobs[place.blob].name.clone(), place.offset, place.len));
        }
    }
    if let Some(blob) = &new {
        entries.extend(made.into_iter().map(|(key, offset, len)| (key, blob.name.clone(), offset, len)));
        blob.file.sync_data()?;
    }
    let mut names: Vec<&str> = entries.iter().map(|e| e.1.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut index = MAGIC.to_vec();
    index.extend((names.len() as u64).to_le_bytes());
    for name in &names {
        index.extend((name.len() as u64).to_le_bytes());
        index.extend(name.as_bytes());
    }
    index.extend((entries.len() as u64).to_le_bytes());
    for (key, name, offset, len) in &entries {
        index.extend(key);
        let blob = names.binary_search(&name.as_str()).expect("every entry's blob is listed");
        index.extend((blob as u64).to_le_bytes());
        index.extend(offset.to_le_bytes());
        index.extend(len.to_le_bytes());
    }
    let aside = dir.join(format!("{INDEX}.{:x}.tmp", crate::data::unique()));
    std::fs::write(&aside, &index)?;
    std::fs::rename(&aside, dir.join(INDEX)).inspect_err(|_| {
        let _ = std::fs::remove_file(&aside);
    })?;
    Ok(names.into_iter().map(str::to_string).collect())
}

/// A new blob in `dir`, under a name no other build uses.
fn new_blob(dir: &Path) -> std::io::Result<Blob> {
    std::fs::create_dir_all(dir)?;
    let name = format!("pages-{:x}.blob", crate::data::unique());
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(dir.join(&name))?;
    Ok(Blob { name, file, size: 0 })
}

/// The blobs an index names (opened) and where each page is; `None` when the index is damaged,
/// of another layout, or names a blob that is gone or shorter than its pages.
fn unpack(index: &[u8], dir: &Path) -> Option<(Vec<Blob>, HashMap<PageKey, Place>)> {
    let mut r = index.strip_prefix(MAGIC)?;
    let mut blobs = Vec::new();
    for _ in 0..take_u64(&mut r)? {
        let len = usize::try_from(take_u64(&mut r)?).ok()?;
        let name = std::str::from_utf8(take(&mut r, len)?).ok()?;
        // Only names this module gives: an index cannot point outside the cache folder.
        if !(name.starts_with("pages-") && name.ends_with(".blob") && !name.contains('/')) {
            return None;
        }
        let file = File::open(dir.join(name)).ok()?;
        let size = file.metadata().ok()?.len();
        blobs.push(Blob { name: name.to_string(), file, size });
    }
    let count = usize::try_from(take_u64(&mut r)?).ok()?;
    // Each entry takes a key and three u64: a count larger than what is left is damage.
    if count > r.len() / (size_of::<PageKey>() + 24) {
        return None;
    }
    let mut at = HashMap::with_capacity(count);
    for _ in 0..count {
        let key: PageKey = take(&mut r, size_of::<PageKey>())?.try_into().ok()?;
        let blob = usize::try_from(take_u64(&mut r)?).ok()?;
        let (offset, len) = (take_u64(&mut r)?, take_u64(&mut r)?);
        if blob >= blobs.len() || offset.checked_add(len)? > blobs[blob].size {
            return None;
        }
        at.insert(key, Place { blob, offset, len });
    }
    r.is_empty().then_some((blobs, at))
}

fn take<'a>(r: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if r.len() < n {
        return None;
    }
    let (head, rest) = r.split_at(n);
    *r = rest;
    Some(head)
}

fn take_u64(r: &mut &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(take(r, 8)?.try_into().ok()?))
}

fn text(h: &mut Hasher, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Feeds `v` to `h`, every value with its kind and every string with its length and whether
/// it is marked safe (printed unescaped), so that two different values never feed the same
/// bytes. `None` for a kind this version of Tera added and mieruka does not know.
fn feed(h: &mut Hasher, v: &Value) -> Option<()> {
    match v.kind() {
        ValueKind::Undefined => h.update(&[0]),
        ValueKind::None => h.update(&[1]),
        ValueKind::Bool => h.update(&[2, u8::from(v.as_bool()?)]),
        ValueKind::U64 => number(h, 3, &v.as_u64()?.to_le_bytes()),
        ValueKind::I64 => number(h, 4, &v.as_i64()?.to_le_bytes()),
        ValueKind::F64 => number(h, 5, &v.as_f64()?.to_bits().to_le_bytes()),
        ValueKind::U128 => number(h, 6, &v.as_u128()?.to_le_bytes()),
        ValueKind::I128 => number(h, 7, &v.as_i128()?.to_le_bytes()),
        ValueKind::String => {
            h.update(&[if v.is_safe() { 8 } else { 9 }]);
            text(h, v.as_str()?);
        }
        ValueKind::Bytes => {
            let b = v.as_bytes()?;
            h.update(&[10]);
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        }
        ValueKind::Array => {
            let items = v.as_array()?;
            h.update(&[11]);
            h.update(&(items.len() as u64).to_le_bytes());
            for item in items {
                feed(h, item)?;
            }
        }
        ValueKind::Map => {
            let map = v.as_map()?;
            h.update(&[12]);
            h.update(&(map.len() as u64).to_le_bytes());
            for (k, item) in map {
                key(h, k)?;
                feed(h, item)?;
            }
        }
        _ => return None,
    }
    Some(())
}

fn number(h: &mut Hasher, kind: u8, bytes: &[u8]) {
    h.update(&[kind]);
    h.update(bytes);
}

fn key(h: &mut Hasher, k: &Key) -> Option<()> {
    match k {
        Key::String(s) => {
            h.update(&[20]);
            text(h, s);
        }
        Key::Str(s) => {
            h.update(&[20]);
            text(h, s);
        }
        Key::Bool(b) => h.update(&[21, u8::from(*b)]),
        Key::U64(n) => number(h, 22, &n.to_le_bytes()),
        Key::I64(n) => number(h, 23, &n.to_le_bytes()),
        Key::U128(n) => number(h, 24, &n.to_le_bytes()),
        Key::I128(n) => number(h, 25, &n.to_le_bytes()),
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(root: &Path) -> PageCache {
        PageCache::read(root, "mieruka test", &[7; 32])
    }

    #[test]
    fn a_description_feeds_its_text_and_renders_its_summary() {
        use crate::render::components::Description;
        let key = |d: &Description| {
            let mut k = KeyHasher(Hasher::new());
            k.view("description", d).unwrap();
            k.finish()
        };
        let long = "地域活動協議会を核とした自律した地域運営の支援".repeat(8);
        let keys = [
            key(&Description::summary("北区：", &long, 100)),
            key(&Description::summary("北区：", &long, 50)),
            key(&Description::summary("北区：", &format!("{long}。"), 100)),
            key(&Description::summary("北区", &long, 100)),
            key(&Description::from(format!("北区：{long}"))),
        ];
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "two descriptions fed the same bytes");
        // Outside a key, the words and the summary (cut between phrases, with 「…」).
        let shown = serde_json::to_value(Description::summary("北区：", &long, 100)).unwrap();
        assert_eq!(shown, serde_json::Value::from(format!("北区：{}", crate::text::summary(&long, 100))));
        assert!(shown.as_str().unwrap().ends_with('…'));
    }

    #[test]
    fn different_values_never_make_the_same_key() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path());
        let key = |v: Value| c.key("goal.html", &[("page", &v)]).unwrap();
        let s = |t: &str| Value::from(t);
        let keys = [
            key(s("1")),
            key(Value::from(1u64)),
            key(Value::from(1i64)),
            key(Value::from(1.0f64)),
            key(Value::safe_string("1")),
            key(Value::from(vec![s("ab"), s("c")])),
            key(Value::from(vec![s("a"), s("bc")])),
            key(Value::none()),
            key(Value::from(true)),
        ];
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "two values gave the same key");
        assert_eq!(key(s("1")), key(s("1")), "the same value, the same key");
        // The template, the values' names and the program are part of it too.
        let v = s("x");
        assert_ne!(c.key("goal.html", &[("page", &v)]), c.key("report.html", &[("page", &v)]));
        assert_ne!(c.key("goal.html", &[("page", &v)]), c.key("goal.html", &[("common", &v)]));
        let other = PageCache::read(tmp.path(), "mieruka other", &[7; 32]);
        assert_ne!(c.key("goal.html", &[("page", &v)]), other.key("goal.html", &[("page", &v)]));
        let templates = PageCache::read(tmp.path(), "mieruka test", &[8; 32]);
        assert_ne!(c.key("goal.html", &[("page", &v)]), templates.key("goal.html", &[("page", &v)]));
    }

    fn blobs(root: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(root.join(CACHE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".blob"))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn pages_kept_are_read_back_and_a_blob_mostly_unused_is_copied_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let (a, b, c) = ([1; 16], [2; 16], [3; 16]);
        let first = cache(root);
        assert_eq!(first.get(&a), None);
        first.put(a, b"page a");
        first.put(b, b"page b, longer than the others");
        let (stats, written) = first.finish();
        written.unwrap();
        assert_eq!(stats, PageStats { taken: 0, made: 2 });
        let old = blobs(root);
        assert_eq!(old.len(), 1);

        // Only `a` used (less than half the blob) and `c` new: `a` moves to the new blob.
        let second = cache(root);
        assert_eq!(second.get(&a).as_deref(), Some(&b"page a"[..]));
        assert_eq!(second.get(&c), None);
        second.put(c, b"page c");
        let (stats, written) = second.finish();
        written.unwrap();
        assert_eq!(stats, PageStats { taken: 1, made: 1 });
        let new = blobs(root);
        assert_eq!(new.len(), 1, "{new:?}");
        assert_ne!(new, old, "the old blob removed");

        let third = cache(root);
        assert_eq!(third.get(&a).as_deref(), Some(&b"page a"[..]));
        assert_eq!(third.get(&c).as_deref(), Some(&b"page c"[..]));
        assert_eq!(third.get(&b), None, "not used by the build before: forgotten");
        let (stats, written) = third.finish();
        written.unwrap();
        assert_eq!(stats, PageStats { taken: 2, made: 0 });
        assert_eq!(blobs(root), new, "nothing changed, nothing written");
    }

    #[test]
    fn parts_of_pages_are_kept_like_pages_and_not_counted_as_pages() {
        let tmp = tempfile::tempdir().unwrap();
        let (page, card) = ([1; 16], [2; 16]);
        let first = cache(tmp.path());
        first.put(page, b"<html>a page</html>");
        first.put_part(card, b"<article>a card</article>");
        let (stats, written) = first.finish();
        written.unwrap();
        assert_eq!(stats, PageStats { taken: 0, made: 1 });
        let second = cache(tmp.path());
        assert_eq!(second.get_part(&card).as_deref(), Some(&b"<article>a card</article>"[..]));
        assert_eq!(second.get(&page).as_deref(), Some(&b"<html>a page</html>"[..]));
        let (stats, written) = second.finish();
        written.unwrap();
        assert_eq!(stats, PageStats { taken: 1, made: 0 });
        // Only the card used: the page is forgotten, the card stays.
        let third = cache(tmp.path());
        assert!(third.get_part(&card).is_some());
        third.finish().1.unwrap();
        let fourth = cache(tmp.path());
        assert!(fourth.get_part(&card).is_some() && fourth.get(&page).is_none());
    }

    #[test]
    fn blobs_the_index_does_not_name_and_unfinished_indexes_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(CACHE_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        // An older layout's index (not read), its blob, an index a stopped build left.
        std::fs::write(dir.join(INDEX), b"mieruka page cache 1\n...").unwrap();
        std::fs::write(dir.join("pages-old.blob"), b"old pages").unwrap();
        std::fs::write(dir.join(format!("{INDEX}.1.tmp")), b"half").unwrap();
        std::fs::write(dir.join("notes.txt"), b"not ours").unwrap();
        let build = cache(tmp.path());
        build.put([1; 16], b"page");
        build.finish().1.unwrap();
        let mut left: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        // Sorted: notes.txt, this build's blob, the index.
        assert_eq!(left.len(), 3, "{left:?}");
        assert_eq!((left[0].as_str(), left[2].as_str()), ("notes.txt", INDEX));
        assert!(left[1].starts_with("pages-") && left[1] != "pages-old.blob", "{left:?}");
        assert_eq!(cache(tmp.path()).get(&[1; 16]).as_deref(), Some(&b"page"[..]));
    }

    #[test]
    fn an_index_pointing_outside_its_folder_or_past_a_blob_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(CACHE_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("pages-x.blob"), b"12345").unwrap();
        let index = |name: &str, len: u64| {
            let mut i = MAGIC.to_vec();
            i.extend(1u64.to_le_bytes());
            i.extend((name.len() as u64).to_le_bytes());
            i.extend(name.as_bytes());
            i.extend(1u64.to_le_bytes());
            i.extend([9; 16]);
            i.extend([0u64, 0, len].iter().flat_map(|n| n.to_le_bytes()));
            i
        };
        assert!(unpack(&index("pages-x.blob", 5), &dir).is_some());
        assert!(unpack(&index("pages-x.blob", 6), &dir).is_none(), "past the blob's end");
        assert!(unpack(&index("../pages-x.blob", 5), &dir).is_none(), "outside the folder");
        let mut longer = index("pages-x.blob", 5);
        longer.push(0);
        assert!(unpack(&longer, &dir).is_none(), "bytes after the last entry");
    }
}
