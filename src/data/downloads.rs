//! The sizes of the data files, and their download links as pages print them.

use crate::model::quantity::format_number;
use crate::urls::{self, Urls};
use serde::Serialize;
use std::collections::BTreeMap;

/// The data files' sizes, by site-relative path: what pages need to link them.
#[derive(Debug, Default, Clone)]
pub struct Downloads {
    sizes: BTreeMap<String, usize>,
}

/// A download link, ready to print: 「CSV形式（2KB）」.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadLink {
    /// Link (with the base path).
    pub url: String,
    /// Absolute URL.
    pub absolute: String,
    /// 「CSV」「JSON」
    pub format: &'static str,
    pub mediatype: &'static str,
    pub bytes: usize,
    /// 「2KB」
    pub size: String,
    /// 「CSV形式（2KB）」
    pub text: String,
    /// What the file holds, for links outside its page (empty for per-page files).
    pub name: &'static str,
}

/// A size for people: 「850バイト」「2KB」「1.4MB」 (rounded from the exact byte count).
pub fn size_label(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes}バイト")
    } else if bytes < 1024 * 1024 {
        format!("{}KB", (bytes + 512) / 1024)
    } else {
        format!("{}MB", format_number(bytes as f64 / (1024.0 * 1024.0), 1))
    }
}

pub(super) fn format_of(path: &str) -> (&'static str, &'static str) {
    if path.ends_with(".csv") { ("CSV", "text/csv") } else { ("JSON", "application/json") }
}

impl Downloads {
    pub(super) fn new(sizes: BTreeMap<String, usize>) -> Downloads {
        Downloads { sizes }
    }

    /// The paths of every data file, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.sizes.keys().map(String::as_str)
    }

    pub fn size(&self, path: &str) -> Option<usize> {
        self.sizes.get(path).copied()
    }

    /// The link of one data file; `None` when no such file was generated.
    pub fn link(&self, urls: &Urls, path: &str) -> Option<DownloadLink> {
        let bytes = self.size(path)?;
        let (format, mediatype) = format_of(path);
        let size = size_label(bytes);
        let name = match path {
            urls::OBSERVATIONS_CSV => "すべての指標の値",
            urls::DATAPACKAGE => "データパッケージ（全ファイルと列の説明）",
            _ => "",
        };
        Some(DownloadLink {
            url: urls.link(path),
            absolute: urls.absolute(path),
            format,
            mediatype,
            bytes,
            text: format!("{format}形式（{size}）"),
            size,
            name,
        })
    }

    /// The links of several files, those that exist, in the order given.
    pub fn links(&self, urls: &Urls, paths: &[String]) -> Vec<DownloadLink> {
        paths.iter().filter_map(|p| self.link(urls, p)).collect()
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(size_label(850), "850バイト");
        assert_eq!(size_label(2048), "2KB");
        assert_eq!(size_label(2600), "3KB");
        assert_eq!(size_label(1_468_006), "1.4MB");
    }
}
