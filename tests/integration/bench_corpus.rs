//! The benchmark's small corpus builds, and its output is byte-identical across runs and
//! thread counts (issue: deterministic output whatever the parallelism).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            files.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap());
        }
    }
    files
}

fn build(root: &Path, out: &Path, threads: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_mieruka"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .status()
        .unwrap();
    assert!(status.success(), "build with {threads} thread(s) failed");
}

#[test]
fn small_corpus_is_byte_identical_across_runs_and_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen-corpus");
    let status =
        Command::new("python3").arg(&generator).args(["--wards", "2", "--years", "2", "--out"]).arg(&corpus).status();
    let status = status.expect("python3 runs bench/gen-corpus (it is on every machine this project supports)");
    assert!(status.success(), "bench/gen-corpus failed");

    let (one, two, again) = (tmp.path().join("one"), tmp.path().join("two"), tmp.path().join("again"));
    build(&corpus, &one, "1");
    build(&corpus, &two, "2");
    build(&corpus, &again, "2");
    let (a, b, c) = (tree(&one), tree(&two), tree(&again));
    assert!(a.len() > 300, "the small corpus makes hundreds of files, got {}", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "same files whatever the thread count");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between 1 and 2 threads", path.display());
        assert!(bytes == &c[path], "{} differs between two runs", path.display());
    }
}
