//! Zip archives of the data files (`zip` crate), byte-identical between builds: entries in
//! name order, every entry dated with the data's own date (or 1980-01-01 without one), the same
//! permissions and compression level, and nothing from the machine (no clock, no owner).

use std::io::{Cursor, Write};
use std::sync::Arc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// One entry of an archive, compressed where its file is made (so entries are compressed in
/// parallel, and kept between builds of the preview): a zip holding that entry alone.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Its name in the archive.
    pub path: String,
    zip: Arc<[u8]>,
}

impl Piece {
    /// A piece as [`Piece::zip`] gave it (read back from the build cache).
    pub(super) fn from_zip(path: String, zip: Arc<[u8]>) -> Piece {
        Piece { path, zip }
    }

    /// The zip holding this entry alone.
    pub(super) fn zip(&self) -> &[u8] {
        &self.zip
    }
}

/// The entry `path` holding `bytes`, dated `date` (ISO), compressed.
pub fn piece(path: &str, bytes: &[u8], date: Option<&str>) -> Piece {
    let zip = zip(&mut [(path.to_string(), bytes.to_vec())], date);
    Piece { path: path.to_string(), zip: zip.into() }
}

/// The archive of `pieces`, in name order; their compressed data is copied, not compressed again.
pub fn join(pieces: &mut [Piece]) -> Vec<u8> {
    pieces.sort_by(|a, b| a.path.cmp(&b.path));
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for p in pieces.iter() {
        let mut one = ZipArchive::new(Cursor::new(&p.zip[..])).expect("a piece is a zip made here");
        let entry = one.by_index_raw(0).expect("a piece holds one entry");
        w.raw_copy_file(entry).expect("copying into memory");
    }
    w.finish().expect("an archive finishes in memory").into_inner()
}

/// A zip of `entries` (name in the archive, bytes), written in name order. `date` is an ISO
/// date (`2017-06-30`) that every entry is dated with.
pub fn zip(entries: &mut [(String, Vec<u8>)], date: Option<&str>) -> Vec<u8> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // Level 1: a build compresses every data file twice (its series' zip, the archive of all
    // data); the fastest level keeps that cost small (about a third larger than level 6).
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(date_time(date))
        .unix_permissions(0o644);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries.iter() {
        // Writing into memory cannot fail; names are the build's own (UTF-8, flagged as such).
        w.start_file(name.as_str(), options).expect("an entry starts in memory");
        w.write_all(bytes).expect("writing into memory");
    }
    w.finish().expect("an archive finishes in memory").into_inner()
}

/// The entries' date: the data's (noon, so no time zone moves it to another day), else the
/// zip format's first day.
fn date_time(date: Option<&str>) -> DateTime {
    let parse = |d: &str| -> Option<DateTime> {
        let mut parts = d.get(..10)?.split('-').map(str::parse::<u16>);
        let (y, m, day) = (parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?);
        DateTime::from_date_and_time(y, m as u8, day as u8, 12, 0, 0).ok()
    };
    date.and_then(parse).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn same_entries_same_bytes_in_any_order() {
        let a =
            zip(&mut [("b.csv".into(), b"1,2".to_vec()), ("a/README.md".into(), "説明".into())], Some("2017-06-30"));
        let b =
            zip(&mut [("a/README.md".into(), "説明".into()), ("b.csv".into(), b"1,2".to_vec())], Some("2017-06-30"));
        assert_eq!(a, b);
        let mut archive = ZipArchive::new(Cursor::new(a)).unwrap();
        let names: Vec<String> = archive.file_names().map(|n| n.unwrap().to_string()).collect();
        assert_eq!(names, ["a/README.md", "b.csv"]);
        let mut readme = archive.by_name("a/README.md").unwrap();
        assert_eq!(readme.last_modified().unwrap().year(), 2017);
        let mut text = String::new();
        readme.read_to_string(&mut text).unwrap();
        assert_eq!(text, "説明");
    }

    #[test]
    fn joined_pieces_are_the_archive_of_their_entries() {
        let mut pieces = vec![
            piece("b.csv", b"1,2", Some("2017-06-30")),
            piece("a/README.md", "説明".as_bytes(), Some("2017-06-30")),
        ];
        let whole =
            zip(&mut [("b.csv".into(), b"1,2".to_vec()), ("a/README.md".into(), "説明".into())], Some("2017-06-30"));
        assert_eq!(join(&mut pieces), whole);
    }

    #[test]
    fn a_date_that_is_not_one_gives_the_first_day() {
        assert_eq!(date_time(Some("someday")), DateTime::default());
        assert_eq!(date_time(None), DateTime::default());
    }
}
