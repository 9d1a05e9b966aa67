//! The output folder is the build's own (src/write/folder.rs), driven through the real binary on
//! `tests/fixtures/minimal`: foreign files refused and kept, earlier builds replaced, the swap
//! in one step, SIGKILL at any moment leaving the previous site whole, SIGINT/SIGTERM cleaning
//! up, two builds at once, a symbolic link followed, a read-only folder refused.

#![cfg(unix)]

use crate::common;
use crate::common::{Files, TestSite};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MANIFEST: &str = mieruka::write::MANIFEST;
const PAUSE: &str = "MIERUKA_TEST_PAUSE_BEFORE_SWAP_MS";

fn minimal() -> TestSite {
    TestSite::fixture("minimal")
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Staging, aside and lock files of builds beside `out`.
fn leftovers(parent: &Path) -> Vec<String> {
    names(parent).into_iter().filter(|n| n.contains(".tmp-") || n.contains(".old-") || n.ends_with(".lock")).collect()
}

/// `mieruka build` on the minimal fixture into `out`, not waited for.
fn spawn(out: &Path, base_url: &str, pause_ms: Option<u64>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mieruka"));
    cmd.arg("build")
        .arg("--root")
        .arg(&minimal().root)
        .arg("--out")
        .arg(out)
        .arg("--base-url")
        .arg(base_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match pause_ms {
        Some(ms) => cmd.env(PAUSE, ms.to_string()),
        None => cmd.env_remove(PAUSE),
    };
    cmd.spawn().expect("run the mieruka binary")
}

fn finish(child: Child) -> (Option<i32>, String) {
    let o = child.wait_with_output().unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Waits until the build `pid` has its complete site in its staging folder (the manifest is
/// written last), paused before the swap.
fn wait_for_staged(parent: &Path, name: &str, pid: u32) -> PathBuf {
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    let started = Instant::now();
    while !staging.join(MANIFEST).exists() {
        assert!(started.elapsed() < Duration::from_mins(1), "the build never staged its site");
        std::thread::sleep(Duration::from_millis(5));
    }
    staging
}

fn signal(child: &Child, sig: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, sig).unwrap();
}

/// The site the minimal fixture makes for a base URL, as a build writes it (manifest included).
fn expected(base_url: &str) -> Files {
    let tmp = tempfile::tempdir().unwrap();
    let run = minimal().base_url(base_url).run_into(&tmp.path().join("public"));
    run.assert_success();
    run.files()
}

fn manifest_files(out: &Path) -> Vec<String> {
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join(MANIFEST)).unwrap()).unwrap();
    m["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect()
}

// ---- what may be replaced ----------------------------------------------------------------------

#[test]
fn a_folder_with_foreign_files_is_refused_and_nothing_is_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    // The case: an earlier build, and two files of someone else's.
    minimal().run_into(&out).assert_success();
    std::fs::write(out.join("keep.txt"), "議事録のメモ").unwrap();
    std::fs::create_dir_all(out.join("other-dept")).unwrap();
    std::fs::write(out.join("other-dept/page.html"), "<p>他部署のページ</p>").unwrap();
    let before = Files::read(&out);
    let run = minimal().run_into(&out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for needle in ["keep.txt", "other-dept/page.html", "Nothing was deleted", "choose another --out"] {
        assert!(run.stderr.contains(needle), "lacks {needle:?}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("index.html"), "names only the foreign files: {}", run.stderr);
    let after = Files::read(&out);
    assert!(before == after, "the folder changed:\n{}", before.diff(&after));
    assert_eq!(names(tmp.path()), ["public"], "nothing left beside it");
    // An empty folder of someone else's is named too.
    std::fs::remove_file(out.join("keep.txt")).unwrap();
    std::fs::remove_file(out.join("other-dept/page.html")).unwrap();
    let run = minimal().run_into(&out);
    assert!(run.code == Some(1) && run.stderr.contains("other-dept/"), "{}", run.stderr);
    std::fs::remove_dir(out.join("other-dept")).unwrap();
    minimal().run_into(&out).assert_success();
}

#[test]
fn at_most_ten_foreign_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    for i in 0..13 {
        std::fs::write(out.join(format!("note{i:02}.txt")), "x").unwrap();
    }
    let run = minimal().run_into(&out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("note00.txt, note01.txt"), "{}", run.stderr);
    assert!(run.stderr.contains("note09.txt and 3 more"), "{}", run.stderr);
    assert!(!run.stderr.contains("note10.txt"), "{}", run.stderr);
    assert_eq!(names(&out).len(), 13);
}

#[test]
fn an_earlier_build_is_replaced_and_a_second_build_over_it_works() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let a = minimal().base_url("https://a.example.jp/hyoka/").run_into(&out);
    a.assert_success();
    let manifest = manifest_files(&out);
    let on_disk: Vec<String> = a.files().files.into_keys().collect();
    assert_eq!(manifest, on_disk, "the manifest lists exactly the files written, sorted");
    // Over an earlier build with other content, twice: the result is exactly a fresh build.
    for _ in 0..2 {
        let b = minimal().base_url("https://b.example.jp/").run_into(&out);
        b.assert_success();
        let fresh = expected("https://b.example.jp/");
        assert!(b.files() == fresh, "not the same as a fresh build:\n{}", b.files().diff(&fresh));
    }
    assert_eq!(names(tmp.path()), ["public"]);
}

#[test]
fn the_manifest_is_the_same_in_two_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    minimal().run_into(&one).assert_success();
    minimal().env("RAYON_NUM_THREADS", "1").run_into(&two).assert_success();
    assert_eq!(std::fs::read(one.join(MANIFEST)).unwrap(), std::fs::read(two.join(MANIFEST)).unwrap());
}

#[test]
fn a_build_from_before_manifests_is_refused_with_a_way_forward() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minimal().run_into(&out).assert_success();
    std::fs::remove_file(out.join(MANIFEST)).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let before = Files::read(&out);
    let run = minimal().run_into(&out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for needle in ["older version of mieruka", "Nothing was deleted", "delete it yourself", "choose another --out"] {
        assert!(run.stderr.contains(needle), "lacks {needle:?}: {}", run.stderr);
    }
    assert!(before == Files::read(&out));
    assert_eq!(names(tmp.path()), ["public"]);
}

#[test]
fn an_unreadable_manifest_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minimal().run_into(&out).assert_success();
    std::fs::write(out.join(MANIFEST), "{ not json").unwrap();
    let before = Files::read(&out);
    let run = minimal().run_into(&out);
    assert!(run.code == Some(1) && run.stderr.contains("cannot be read"), "{}", run.stderr);
    assert!(before == Files::read(&out));
}

// ---- the swap, and builds that die --------------------------------------------------------------

/// A small xorshift: random delays without a dependency, seeded from the clock (printed).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn sigkill_at_any_moment_leaves_a_complete_site_and_the_next_build_cleans_up() {
    const URLS: [&str; 2] = ["https://a.example.jp/", "https://b.example.jp/kusei/"];
    let sites = [expected(URLS[0]), expected(URLS[1])];
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let started = Instant::now();
    minimal().base_url(URLS[0]).run_into(&out).assert_success();
    let build_ms = started.elapsed().as_millis() as u64;
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    let (mut old, mut new, mut left) = (0, 0, 0);
    // 20 rounds killed after a random delay over the whole build, 5 with the site staged and the
    // build about to swap.
    for round in 0..25 {
        let url = URLS[round % 2];
        let child = if round < 20 {
            let child = spawn(&out, url, None);
            std::thread::sleep(Duration::from_millis(rng.below(build_ms * 3 / 2)));
            child
        } else {
            let child = spawn(&out, url, Some(2_000));
            wait_for_staged(tmp.path(), "public", child.id());
            child
        };
        let mut child = child;
        let _ = child.kill();
        child.wait().unwrap();
        // The manifest is written last: its presence shows a completed build is in place.
        assert!(out.join(MANIFEST).is_file(), "round {round} (seed {seed}): no manifest");
        let now = Files::read(&out);
        if now == sites[round % 2] {
            new += 1;
        } else if now == sites[1 - round % 2] {
            old += 1;
        } else {
            panic!("round {round} (seed {seed}): the site is neither the previous nor the new one");
        }
        left += usize::from(!leftovers(tmp.path()).is_empty());
    }
    eprintln!(
        "25 SIGKILLs (seed {seed}, build {build_ms} ms): previous site {old}, new site {new}, leftovers after {left}"
    );
    minimal().base_url(URLS[0]).run_into(&out).assert_success();
    assert_eq!(names(tmp.path()), ["public"], "the next build removes what the killed ones left");
    assert!(Files::read(&out) == sites[0]);
}

#[test]
fn there_is_no_moment_without_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minimal().run_into(&out).assert_success();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (looks, misses) = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let (mut looks, mut misses) = (0u64, 0u64);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                misses += u64::from(!out.join("index.html").is_file());
            }
            (looks, misses)
        });
        for _ in 0..8 {
            minimal().run_into(&out).assert_success();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        watcher.join().unwrap()
    });
    eprintln!("index.html looked for {looks} times during 8 builds, missing {misses} times");
    assert_eq!(misses, 0);
}

#[test]
fn sigint_and_sigterm_remove_the_staging_folder() {
    use rustix::process::Signal;
    for (sig, code) in [(Signal::INT, 130), (Signal::TERM, 143)] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        minimal().run_into(&out).assert_success();
        let before = Files::read(&out);
        let child = spawn(&out, "https://c.example.jp/", Some(10_000));
        let staging = wait_for_staged(tmp.path(), "public", child.id());
        signal(&child, sig);
        let (status, stderr) = finish(child);
        assert_eq!(status, Some(code), "{sig:?}: {stderr}");
        assert!(!staging.exists(), "{sig:?}");
        assert_eq!(names(tmp.path()), ["public"], "{sig:?}: staging folder and lock file removed");
        assert!(before == Files::read(&out), "{sig:?}: the previous site is untouched");
    }
}

#[test]
fn a_second_build_into_the_same_folder_fails_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let first = spawn(&out, "https://a.example.jp/", Some(1_500));
    let pid = first.id();
    wait_for_staged(tmp.path(), "public", pid);
    let started = Instant::now();
    let second = minimal().base_url("https://b.example.jp/").run_into(&out);
    assert!(started.elapsed() < Duration::from_secs(1), "it does not wait");
    assert_eq!(second.code, Some(1), "{}", second.stderr);
    let message = format!("another mieruka build is writing {} (PID {pid}); wait for it to finish", out.display());
    assert!(second.stderr.contains(&message), "{}", second.stderr);
    assert!(tmp.path().join(format!(".public.tmp-{pid}")).exists(), "the first build's staging is left alone");
    let (code, stderr) = finish(first);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(Files::read(&out) == expected("https://a.example.jp/"), "the first build's site, complete");
    assert_eq!(names(tmp.path()), ["public"], "the lock file is removed at the end");
}

#[test]
fn builds_started_together_never_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let urls = ["https://a.example.jp/", "https://b.example.jp/"];
    let sites = [expected(urls[0]), expected(urls[1])];
    for _ in 0..5 {
        let children: Vec<Child> = urls.iter().map(|u| spawn(&out, u, None)).collect();
        let results: Vec<(Option<i32>, String)> = children.into_iter().map(finish).collect();
        for (code, stderr) in &results {
            assert!(
                *code == Some(0) || (*code == Some(1) && stderr.contains("another mieruka build is writing")),
                "{code:?}: {stderr}"
            );
        }
        assert!(results.iter().any(|r| r.0 == Some(0)));
        let now = Files::read(&out);
        assert!(now == sites[0] || now == sites[1], "a complete site of one build");
        assert_eq!(names(tmp.path()), ["public"]);
    }
}

#[test]
fn leftovers_of_dead_builds_are_removed_and_those_of_running_ones_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    // Above any pid_max: no such process runs.
    let dead = [".public.tmp-2147483600", ".public.old-2147483601"];
    // This test process runs.
    let running = format!(".public.tmp-{}", std::process::id());
    for name in dead.iter().copied().chain([running.as_str()]) {
        std::fs::create_dir_all(tmp.path().join(name).join("sub")).unwrap();
        std::fs::write(tmp.path().join(name).join("sub/index.html"), "half").unwrap();
    }
    // Another output's folders are not this build's business.
    std::fs::create_dir_all(tmp.path().join(".other.tmp-2147483600")).unwrap();
    minimal().run_into(&out).assert_success();
    let mut want = vec![".other.tmp-2147483600".to_string(), running, "public".to_string()];
    want.sort();
    assert_eq!(names(tmp.path()), want);
}

// ---- where the site goes --------------------------------------------------------------------

#[test]
fn a_symlinked_out_updates_its_target_and_stays_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let www = tmp.path().join("var/www/html");
    std::fs::create_dir_all(&www).unwrap();
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let link = project.join("public");
    std::os::unix::fs::symlink(www.join("hyoka"), &link).unwrap();
    for url in ["https://a.example.jp/", "https://b.example.jp/"] {
        let run = minimal().base_url(url).run_into(&link);
        run.assert_success();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read_link(&link).unwrap(), www.join("hyoka"));
        let target = Files::read(&www.join("hyoka"));
        assert!(target == expected(url), "the target holds the new site:\n{}", target.diff(&expected(url)));
        assert_eq!(names(&www), ["hyoka"], "nothing left beside the target");
        assert_eq!(names(&project), ["public"], "nothing written beside the link");
    }
}

/// Runs the build as an unprivileged user when the tests run as root (root may change any
/// folder, so "read-only" means nothing to it): its exit code and stderr.
fn run_unprivileged(out: &Path) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mieruka"));
    cmd.arg("build").arg("--root").arg(&minimal().root).arg("--out").arg(out).current_dir("/");
    if rustix::process::geteuid().is_root() {
        use std::os::unix::process::CommandExt;
        cmd.uid(65534).gid(65534);
    }
    let o = cmd.output().unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_read_only_out_in_a_writable_parent_fails_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    minimal().run_into(&out).assert_success();
    let before = Files::read(&out);
    // The parent is writable by whoever builds (also the unprivileged user).
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    let (code, stderr) = run_unprivileged(&out);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("read-only") && stderr.contains("Nothing was written"), "{stderr}");
    assert_eq!(names(tmp.path()), ["public"], "no staging, aside or lock file left");
    assert!(before == Files::read(&out));
}

#[test]
fn files_that_cannot_be_kept_for_the_next_build_are_said_and_the_site_is_whole() {
    let root = common::copy_fixture("minimal");
    let cache = root.path().join(".mieruka-cache");
    std::fs::create_dir_all(&cache).unwrap();
    // Where the kept files go, a file: the folder cannot be made.
    std::fs::write(cache.join("files"), "").unwrap();
    let run = TestSite::at(root.path()).run();
    run.assert_success();
    assert!(
        run.stderr
            .contains("warning: the written files cannot be kept in .mieruka-cache/files (a file is in its place)")
            && run.stderr.contains("each build writes every file again"),
        "{}",
        run.stderr
    );
    // The fixture's own warning (a <script> removed), and this one.
    assert!(run.stderr.contains(" with 2 warnings"), "{}", run.stderr);
    let clean = minimal_built_from_a_copy();
    assert_eq!(run.files(), clean, "the site is the same as with the cache");
}

/// The minimal fixture built from a fresh copy (its caches usable).
fn minimal_built_from_a_copy() -> Files {
    let root = common::copy_fixture("minimal");
    let run = TestSite::at(root.path()).run();
    run.assert_success();
    assert!(!run.stderr.contains("cannot be kept") && run.stderr.contains(" with 1 warning"), "{}", run.stderr);
    run.files()
}
