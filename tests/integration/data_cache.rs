//! The data files of each ward kept between builds (src/data/kept.rs): a second build reads
//! every series' and report's files back, and the site is the same bytes; after an edit, only
//! the edited ward's files are made again and the site is the same as a build with no cache;
//! a damaged cache is not used.

use crate::common;
use crate::common::{TestSite, copy_fixture};
use std::path::Path;

/// An edit of one report of ward1: its title (which its data files name).
const REPORT: &str = "content/testshi/ward1/2016/report.toml";
const TITLE: &str = "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況について（第一区・合成データ）\"";
const NEW_TITLE: &str =
    "fiscal_year = \"平成28年度\"\ntitle = \"区政運営基本方針の成果目標の達成に向けた取組状況（第一区・合成データ）\"";

/// 「data files of N series and reports, M from the cache」 of the summary line: (N, M).
fn counts(stderr: &str) -> (usize, usize) {
    let at = stderr.find("data files of ").unwrap_or_else(|| panic!("no data files count in:\n{stderr}"));
    let words: Vec<&str> = stderr[at..].split([' ', ',', ')', ';']).filter(|w| !w.is_empty()).collect();
    (words[3].parse().unwrap(), words[7].parse().unwrap())
}

fn cache_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join(".mieruka-cache/data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_second_build_reads_the_data_files_back_and_an_edit_makes_only_its_wards_again() {
    let copy = copy_fixture("series");
    let first = TestSite::at(copy.path()).run();
    first.assert_success();
    let (all, kept) = counts(&first.stderr);
    assert!(all > 10 && kept == 0, "{}", first.stderr);
    let files = cache_files(copy.path());
    assert_eq!(files.len(), 2, "an index and one blob: {files:?}");

    let second = TestSite::at(copy.path()).run();
    second.assert_success();
    assert_eq!(counts(&second.stderr), (all, all), "{}", second.stderr);
    assert_eq!(cache_files(copy.path()), files, "nothing changed: not written again");
    assert!(first.files() == second.files(), "{}", first.files().diff(&second.files()));

    // One report of ward1 edited (its title): ward1's files are made again, the
    // other wards' read back, and the site is what a build without any cache makes.
    common::Edit::Replace { file: REPORT, from: TITLE, to: NEW_TITLE }.apply(copy.path());
    // A build stopped while writing the index leaves its unfinished copy: removed with the
    // earlier blob by the next build that writes the cache.
    std::fs::write(copy.path().join(".mieruka-cache/data/wards.kept.1-2.tmp"), "half").unwrap();
    let third = TestSite::at(copy.path()).run();
    third.assert_success();
    let (n, from_cache) = counts(&third.stderr);
    assert_eq!(n, all);
    assert!(from_cache > 0 && from_cache < all, "only ward1 made again: {}", third.stderr);
    let ward1 =
        third.files().files.keys().filter(|p| p.starts_with("testshi/ward1/") && p.ends_with("data.csv")).count();
    assert_eq!(all - from_cache, ward1, "ward1's series and reports, and no other");
    let cold = copy_fixture("series");
    common::Edit::Replace { file: REPORT, from: TITLE, to: NEW_TITLE }.apply(cold.path());
    let fresh = TestSite::at(cold.path()).run();
    fresh.assert_success();
    assert_eq!(counts(&fresh.stderr).1, 0);
    assert!(third.files() == fresh.files(), "{}", third.files().diff(&fresh.files()));
    // The search index too was made again (the same content's index is read back without
    // making its records: an edit must not find the earlier one).
    let index = |b: &common::Run| {
        b.files()
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .map(|(p, v)| (p.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert!(!index(&first).is_empty());
    assert_ne!(index(&first), index(&third), "the edited title is in the index");
    assert!(
        third.files().files["testshi/ward1/2016/data.json"] != first.files().files["testshi/ward1/2016/data.json"],
        "the edit shows in the data"
    );
    let rewritten = cache_files(copy.path());
    assert_eq!(rewritten.len(), 2, "the earlier blob removed: {rewritten:?}");
    assert_ne!(rewritten, files, "a new blob");

    // A damaged index is not used: every file made again, the same site.
    let index = copy.path().join(".mieruka-cache/data/wards.kept");
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
    let fourth = TestSite::at(copy.path()).run();
    fourth.assert_success();
    assert_eq!(counts(&fourth.stderr), (all, 0), "{}", fourth.stderr);
    assert!(third.files() == fourth.files(), "{}", third.files().diff(&fourth.files()));
}

#[test]
fn a_different_base_url_makes_the_data_files_again() {
    // The data files hold absolute URLs: kept files of another base URL are not used.
    let copy = copy_fixture("series");
    let first = TestSite::at(copy.path()).base_url("https://example.jp/a/").run();
    first.assert_success();
    let second = TestSite::at(copy.path()).base_url("https://example.jp/b/").run();
    second.assert_success();
    assert_eq!(counts(&second.stderr).1, 0, "{}", second.stderr);
    let csv = &second.files().files["data/observations.csv"];
    assert!(String::from_utf8_lossy(csv).contains("https://example.jp/b/"));
    assert!(!String::from_utf8_lossy(csv).contains("https://example.jp/a/"));
}
