//! The output folder is the build's own: what may be replaced, how it is replaced, and what is
//! left when a build dies.
//!
//! - A manifest in the output lists every file the build wrote. Only a folder that is absent,
//!   empty, or holds exactly an earlier build (its manifest's files, and the folders they need)
//!   is replaced; anything else is refused, and nothing is deleted.
//! - The new site takes the old one's place in one step (`renameat2(RENAME_EXCHANGE)` on
//!   Linux; two renames elsewhere), so there is no moment without a site.
//! - A lock file beside the output (`.NAME.lock`, with an OS file lock) keeps two builds from
//!   writing the same folder at once.
//! - Staging folders of builds that died (`.NAME.tmp-PID`, `.NAME.old-PID`) are removed by the
//!   next build; SIGINT and SIGTERM remove the build's own before it exits.

use crate::error::Error;
use std::collections::{BTreeSet, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

/// The manifest's name inside the output folder.
pub const MANIFEST: &str = ".mieruka-manifest.json";

/// How many unexpected files a refusal names.
const SHOWN: usize = 10;

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), message: e.to_string() }
}

/// A refusal about the output folder, in words for whoever runs the build.
fn refuse(out: &Path, message: impl Into<String>) -> Error {
    Error::Config { path: out.to_path_buf(), message: message.into() }
}

/// What a build wrote: the manifest's content.
#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    generator: String,
    format: u32,
    /// Every file written, relative to the output folder with `/`, sorted; not itself.
    files: Vec<String>,
}

/// The manifest of a build that wrote `paths` (in any order): deterministic bytes.
pub(super) fn manifest(paths: Vec<String>) -> Vec<u8> {
    let files: BTreeSet<String> = paths.into_iter().collect();
    let m = Manifest { generator: "mieruka".into(), format: 1, files: files.into_iter().collect() };
    let mut bytes = serde_json::to_vec_pretty(&m).expect("a manifest serialises");
    bytes.push(b'\n');
    bytes
}

/// Where the site goes: `--out` with symbolic links followed (the link stays a link, its target
/// is replaced).
pub(super) struct Target {
    /// The folder replaced.
    pub dir: PathBuf,
    /// Its parent, where the staging folder and the lock file go (the same file system).
    pub parent: PathBuf,
    /// Its name.
    pub name: String,
}

/// `public/.` or `public/..` would name another folder than it seems.
fn named(path: &Path) -> Option<String> {
    match path.file_name() {
        Some(n) if !path.ends_with(".") && !path.ends_with("..") => Some(n.to_string_lossy().into_owned()),
        _ => None,
    }
}

/// Resolves `out` (absolute) to the folder to replace.
pub(super) fn target(out: &Path) -> Result<Target, Error> {
    let unnamed = |p: &Path| io(p, &std::io::Error::other("the output must be a named folder (e.g. public)"));
    named(out).ok_or_else(|| unnamed(out))?;
    let mut dir = out.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&dir).map_err(|e| io(&dir, &e))?;
                let from = dir.parent().map(Path::to_path_buf).unwrap_or_default();
                dir = from.join(to);
            }
            _ => {
                let name = named(&dir).ok_or_else(|| unnamed(&dir))?;
                let parent = dir
                    .parent()
                    .ok_or_else(|| io(&dir, &std::io::Error::other("output folder has no parent")))?
                    .to_path_buf();
                return Ok(Target { dir, parent, name });
            }
        }
    }
    Err(io(out, &std::io::Error::other("too many levels of symbolic links")))
}

/// Whether `dir` may be replaced by a new build; `out` is the folder as given (for messages).
pub(super) fn check_replaceable(out: &Path, dir: &Path) -> Result<(), Error> {
    let meta = match std::fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir, &e)),
    };
    let keep = "Nothing was deleted. Choose another --out (the output folder is replaced whole on every build).";
    if !meta.is_dir() {
        return Err(refuse(out, format!("it is a file, not a folder. {keep}")));
    }
    if dir.join("site.toml").exists() || dir.join("content").exists() {
        return Err(refuse(out, format!("it holds a site (site.toml or content/), not a build of one. {keep}")));
    }
    let listed = read_manifest(out, dir)?;
    if listed.is_none() && dir.join("index.html").exists() {
        return Err(refuse(
            out,
            format!(
                "it looks like a site built by an older version of mieruka (it has index.html but no \
                 {MANIFEST}, the list of files a build wrote), so mieruka cannot tell whether it also holds \
                 files of yours. Nothing was deleted. If the folder holds only the old site, delete it yourself \
                 and build again; otherwise choose another --out."
            ),
        ));
    }
    let (mut foreign, read_only) = survey(dir, &listed.unwrap_or_default())?;
    if !foreign.is_empty() {
        foreign.sort();
        let mut shown = foreign.iter().take(SHOWN).map(String::as_str).collect::<Vec<_>>().join(", ");
        if foreign.len() > SHOWN {
            shown += &format!(" and {} more", foreign.len() - SHOWN);
        }
        let what = if dir.join(MANIFEST).exists() {
            "it holds files that an earlier mieruka build did not write"
        } else {
            "it is not empty and holds no earlier build"
        };
        return Err(refuse(
            out,
            format!(
                "{what}: {shown}. Nothing was deleted. Move them elsewhere, or choose another --out (the output \
                 folder is replaced whole on every build)."
            ),
        ));
    }
    if let Some(d) = read_only.first() {
        return Err(refuse(
            out,
            format!(
                "the earlier build in it cannot be removed: the folder {} is read-only. Nothing was written. Make \
                 it writable (e.g. chmod -R u+w) or choose another --out.",
                d.display()
            ),
        ));
    }
    Ok(())
}

/// The files an earlier build in `dir` wrote, if it has a manifest.
fn read_manifest(out: &Path, dir: &Path) -> Result<Option<HashSet<String>>, Error> {
    let manifest_path = dir.join(MANIFEST);
    match std::fs::read(&manifest_path) {
        Ok(bytes) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) if m.generator == "mieruka" => Ok(Some(m.files.into_iter().collect())),
            _ => Err(refuse(
                out,
                format!(
                    "its {MANIFEST} (the list of files an earlier build wrote) cannot be read, so mieruka \
                     cannot tell its own files from others. Nothing was deleted. Delete the folder yourself if it \
                     holds nothing you need, or choose another --out."
                ),
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&manifest_path, &e)),
    }
}

/// What in `dir` is not among the `listed` files and the folders they need (relative paths, a
/// folder with a final `/`), and the folders this process may not change.
fn survey(dir: &Path, listed: &HashSet<String>) -> Result<(Vec<String>, Vec<PathBuf>), Error> {
    // The folders the listed files need: every ancestor of each.
    let mut needed: HashSet<&str> = HashSet::new();
    for f in listed {
        let mut at = f.as_str();
        while let Some((up, _)) = at.rsplit_once('/') {
            needed.insert(up);
            at = up;
        }
    }
    let mut foreign = Vec::new();
    let mut read_only = Vec::new();
    if !writable(dir) {
        read_only.push(dir.to_path_buf());
    }
    let mut unneeded_dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|e| io(dir, &std::io::Error::other(e.to_string())))?;
        let rel = entry.path().strip_prefix(dir).expect("under the folder walked");
        let rel: String = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if entry.file_type().is_dir() {
            if !writable(entry.path()) {
                read_only.push(entry.path().to_path_buf());
            }
            if !needed.contains(rel.as_str()) {
                unneeded_dirs.push(rel);
            }
        } else if rel != MANIFEST && !listed.contains(&rel) {
            foreign.push(rel);
        }
    }
    // A folder the build does not need is named only when nothing under it is.
    for d in unneeded_dirs {
        let prefix = format!("{d}/");
        if !foreign.iter().any(|f| f.starts_with(&prefix)) {
            foreign.push(prefix);
        }
    }
    Ok((foreign, read_only))
}

/// Whether this process may add and remove entries of `dir`.
fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use rustix::fs::Access;
        rustix::fs::access(dir, Access::WRITE_OK | Access::EXEC_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
    }
}

// ---- the lock ------------------------------------------------------------------------------

/// `.NAME.lock` beside the output, held with an OS file lock for the whole build. Removed when
/// released (while still held, so a build that opened it meanwhile sees it is gone and locks a
/// new one); a build killed with SIGKILL leaves the file, unlocked, and the next one reuses it.
pub(super) struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes the lock of `target`, or says which build holds it.
pub(super) fn lock(target: &Target, out: &Path) -> Result<Lock, Error> {
    let path = target.parent.join(format!(".{}.lock", target.name));
    loop {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io(&path, &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let pid = std::fs::read_to_string(&path).unwrap_or_default();
                let pid = pid.trim();
                let who = if pid.is_empty() { String::new() } else { format!(" (PID {pid})") };
                return Err(refuse(
                    out,
                    format!("another mieruka build is writing {}{who}; wait for it to finish", out.display()),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&path, &e)),
        }
        if same_file(&file, &path) {
            file.set_len(0).map_err(|e| io(&path, &e))?;
            writeln!(file, "{}", std::process::id()).map_err(|e| io(&path, &e))?;
            return Ok(Lock { path, _file: file });
        }
    }
}

/// Whether the open `file` is still the one at `path` (not removed by the build that held it).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

// ---- leftovers of dead builds ----------------------------------------------------------------

/// The staging folder of this build.
pub(super) fn staging(target: &Target) -> PathBuf {
    target.parent.join(format!(".{}.tmp-{}", target.name, std::process::id()))
}

/// Where the previous site goes aside when it cannot be exchanged in one step.
fn aside(target: &Target) -> PathBuf {
    target.parent.join(format!(".{}.old-{}", target.name, std::process::id()))
}

/// Removes `.NAME.tmp-PID` and `.NAME.old-PID` folders of builds no longer running.
pub(super) fn clean_leftovers(target: &Target) {
    let Ok(entries) = std::fs::read_dir(&target.parent) else { return };
    let prefix = format!(".{}.", target.name);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let Some(pid) = rest.strip_prefix("tmp-").or_else(|| rest.strip_prefix("old-")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || alive(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if let Err(e) = std::fs::remove_dir_all(entry.path()) {
            eprintln!(
                "warning: could not remove {}, left by a build that stopped: {e}; delete it yourself",
                entry.path().display()
            );
        }
    }
}

/// Whether a process `pid` runs (any that does, not only a build: such a folder is kept).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(raw) = i32::try_from(pid) else { return true };
        let Some(pid) = rustix::process::Pid::from_raw(raw) else { return true };
        // EPERM: it runs, as another user.
        !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

// ---- the swap --------------------------------------------------------------------------------

/// Puts `staging` in `target`'s place. Returns where the previous site now is (to remove), if
/// there was one.
pub(super) fn swap(staging: &Path, target: &Target) -> Result<Option<PathBuf>, Error> {
    let dir = &target.dir;
    if std::fs::symlink_metadata(dir).is_err() {
        std::fs::rename(staging, dir).map_err(|e| io(dir, &e))?;
        return Ok(None);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Some(staging.to_path_buf())),
            // The file system cannot exchange: two renames.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(io(dir, &e.into())),
        }
    }
    swap_by_renames(staging, target)
}

/// The swap where the file system cannot exchange two folders: the old site is renamed aside,
/// then the new one takes its place. If the second rename fails, the old site goes back.
fn swap_by_renames(staging: &Path, target: &Target) -> Result<Option<PathBuf>, Error> {
    let dir = &target.dir;
    let previous = aside(target);
    std::fs::rename(dir, &previous).map_err(|e| io(dir, &e))?;
    if let Err(e) = std::fs::rename(staging, dir) {
        let _ = std::fs::rename(&previous, dir);
        return Err(io(dir, &e));
    }
    Ok(Some(previous))
}

// ---- SIGINT and SIGTERM --------------------------------------------------------------------

/// One running build, as the signal handler sees it.
pub(super) struct Active {
    /// The staging folder while it exists; held while a file is written into it or it is
    /// swapped, so the handler never removes it halfway through.
    staging: Mutex<Option<PathBuf>>,
    lock_file: PathBuf,
}

static ACTIVE: Mutex<Vec<Arc<Active>>> = Mutex::new(Vec::new());

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registered for the signal handler while it lives; removes the staging folder if still
/// there when dropped (a failed build).
pub(super) struct Registration(Arc<Active>);

impl Registration {
    /// Registers a build holding `lock`; installs the handler on first use.
    pub(super) fn new(lock: &Lock) -> Registration {
        static HANDLER: OnceLock<()> = OnceLock::new();
        HANDLER.get_or_init(install_handler);
        let active = Arc::new(Active { staging: Mutex::new(None), lock_file: lock.path().to_path_buf() });
        locked(&ACTIVE).push(active.clone());
        Registration(active)
    }

    /// The staging folder, held against the signal handler.
    pub(super) fn staging(&self) -> MutexGuard<'_, Option<PathBuf>> {
        locked(&self.0.staging)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(p) = self.staging().take() {
            let _ = std::fs::remove_dir_all(p);
        }
        locked(&ACTIVE).retain(|a| !Arc::ptr_eq(a, &self.0));
    }
}

/// On SIGINT or SIGTERM: removes every running build's staging folder and lock file, then
/// exits with 128 + the signal's number (130, 143), as a shell reports a process it stopped.
fn install_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warning: cannot handle SIGINT and SIGTERM ({e}); a stopped build may leave its staging folder");
            return;
        }
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let active = locked(&ACTIVE);
            // Held until the process exits: no build writes or swaps meanwhile.
            let mut held = Vec::new();
            for a in active.iter() {
                let staging = locked(&a.staging);
                if let Some(p) = staging.as_ref() {
                    let _ = std::fs::remove_dir_all(p);
                }
                let _ = std::fs::remove_file(&a.lock_file);
                held.push(staging);
            }
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, page: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("index.html"), page).unwrap();
    }

    #[test]
    fn the_two_rename_fallback_puts_the_new_site_in_place_and_the_old_aside() {
        let tmp = tempfile::tempdir().unwrap();
        let target = Target { dir: tmp.path().join("public"), parent: tmp.path().to_path_buf(), name: "public".into() };
        let staging = tmp.path().join(".public.tmp-1");
        site(&target.dir, "old");
        site(&staging, "new");
        let previous = swap_by_renames(&staging, &target).unwrap().expect("the old site, set aside");
        assert_eq!(std::fs::read_to_string(target.dir.join("index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(previous.join("index.html")).unwrap(), "old");
        assert!(!staging.exists());
    }

    #[test]
    fn the_two_rename_fallback_restores_the_old_site_when_the_new_one_cannot_move() {
        let tmp = tempfile::tempdir().unwrap();
        let target = Target { dir: tmp.path().join("public"), parent: tmp.path().to_path_buf(), name: "public".into() };
        site(&target.dir, "old");
        // No staging folder: the second rename fails.
        let error = swap_by_renames(&tmp.path().join(".public.tmp-1"), &target).unwrap_err();
        assert!(error.to_string().contains("public"), "{error}");
        assert_eq!(std::fs::read_to_string(target.dir.join("index.html")).unwrap(), "old");
        assert!(!aside(&target).exists(), "the old site is back in place, not left aside");
    }
}
