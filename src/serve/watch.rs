//! Which files of a site root are watched, and the watcher: `content/`, `templates/`,
//! `assets/` and `static/` (each recursively, when it exists) and `site.toml`. Changes are
//! gathered until the files have been quiet for [`DEBOUNCE`], so that one save (which an
//! editor may do in several steps) is one rebuild; editors' temporary files are left out.
//!
//! notify's own debouncers were tried: notify-debouncer-mini drops the kind of each event, and
//! inotify reports every *opening* of a file, so each build (which opens every content file)
//! looked like a change and started the next. Here reads are left out by kind.

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long the watched files must be quiet before a change counts. An editor's save (write a
/// test file, rename the old one, write the new one, delete the backup) takes a few
/// milliseconds; this wait is part of every edit's time to the page, which no faster rebuild
/// removes: 30 ms keeps that time under 100 ms on the medium benchmark corpus, where 50 ms
/// did not (docs/benchmarks.md, "mieruka serve: edit to page").
pub(super) const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders of a site root whose files make the site.
const FOLDERS: [&str; 4] = ["content", "templates", "assets", "static"];

/// What the watcher tells the serving loop.
pub(super) enum Changed {
    /// Files that changed, relative to the site root with `/`, sorted.
    Files(Vec<String>),
    /// The watcher failed (it goes on).
    Error(String),
}

/// The running watcher; stops when dropped.
pub(super) struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
}

impl Watcher {
    /// Watches `root` (canonical), sending each batch of relevant changes to `tx` as `to(…)`.
    /// `activity` counts every relevant event at once (before the batch settles).
    pub(super) fn start<M: Send + 'static>(
        root: &Path,
        tx: Sender<M>,
        to: fn(Changed) -> M,
        activity: Arc<AtomicU64>,
    ) -> Result<Watcher, String> {
        let cannot = |e: notify::Error| format!("cannot watch {} for changes: {e}", root.display());
        let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
        let base = root.to_path_buf();
        // Gathers relevant events until DEBOUNCE passes without one, then sends them as one batch.
        std::thread::spawn(move || {
            // Each changed path, and whether it was made during the batch.
            let mut pending: BTreeMap<String, bool> = BTreeMap::new();
            // When the files will have been quiet for DEBOUNCE (none pending: no deadline).
            let mut quiet_at: Option<Instant> = None;
            loop {
                let next = match quiet_at {
                    None => raw_rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    Some(at) => raw_rx.recv_timeout(at.saturating_duration_since(Instant::now())),
                };
                match next {
                    Ok(Ok(event)) if !matches!(event.kind, EventKind::Access(_)) => {
                        let made = matches!(event.kind, EventKind::Create(_));
                        for path in event.paths.iter().filter_map(|p| relevant(&base, p)) {
                            *pending.entry(path).or_default() |= made;
                            quiet_at = Some(Instant::now() + DEBOUNCE);
                            activity.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        if tx.send(to(Changed::Error(e.to_string()))).is_err() {
                            return;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        quiet_at = None;
                        // A file made and removed again within the batch (`sed -i`'s, an editor's
                        // temporary file under another name) changed nothing.
                        let files: Vec<String> = std::mem::take(&mut pending)
                            .into_iter()
                            .filter(|(path, made)| !made || base.join(path).exists())
                            .map(|(path, _)| path)
                            .collect();
                        if files.is_empty() {
                            continue;
                        }
                        if tx.send(to(Changed::Files(files))).is_err() {
                            return;
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        let watcher = notify::recommended_watcher(move |e| {
            let _ = raw_tx.send(e);
        })
        .map_err(cannot)?;
        let mut watcher = Watcher { root: root.to_path_buf(), watcher };
        // The root itself, not recursively: site.toml, and a watched folder made later.
        watcher.watcher.watch(root, RecursiveMode::NonRecursive).map_err(cannot)?;
        watcher.watch_folders(&FOLDERS);
        Ok(watcher)
    }

    /// Watches again those of the site's folders that `changed` names themselves (one made,
    /// or removed and made again, while serving).
    pub(super) fn rewatch(&mut self, changed: &[String]) {
        let folders: Vec<&str> = FOLDERS.into_iter().filter(|f| changed.iter().any(|c| c == f)).collect();
        self.watch_folders(&folders);
    }

    fn watch_folders(&mut self, folders: &[&str]) {
        for folder in folders {
            let dir = self.root.join(folder);
            if dir.is_dir()
                && let Err(e) = self.watcher.watch(&dir, RecursiveMode::Recursive)
            {
                eprintln!("warning: cannot watch {} for changes: {e}", dir.display());
            }
        }
    }
}

/// A changed path as the site root names it (`content/osaka/kita/2016/report.toml`), when it
/// can change the site: under a watched folder or `site.toml`, and not an editor's
/// temporary file.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let first = parts.first()?;
    let watched = FOLDERS.contains(&first.as_str()) || (parts.len() == 1 && first == "site.toml");
    (watched && !parts.iter().any(|p| is_temporary(p))).then(|| parts.join("/"))
}

/// An editor's swap, backup, lock or test file (vim's `.x.swp`, `x~` and `4913`, Emacs's
/// `.#x` and `#x#`, an IDE's safe-write copies), or another hidden file (the build skips them).
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", "___jb_tmp___", "___jb_old___"].iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_that_make_the_site_count() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, &root.join(p));
        assert_eq!(rel("content/osaka/kita/2016/report.toml").as_deref(), Some("content/osaka/kita/2016/report.toml"));
        assert_eq!(rel("site.toml").as_deref(), Some("site.toml"));
        assert_eq!(rel("templates/report.html").as_deref(), Some("templates/report.html"));
        assert_eq!(rel("assets/style.css").as_deref(), Some("assets/style.css"));
        assert_eq!(rel("static/logo.png").as_deref(), Some("static/logo.png"));
        assert_eq!(rel("content").as_deref(), Some("content"));
        for ignored in [
            "public/index.html",
            "README.md",
            "content/osaka/kita/2016/.report.toml.swp",
            "content/osaka/kita/2016/report.toml~",
            "content/osaka/kita/2016/4913",
            "content/osaka/kita/2016/.#report.toml",
            "content/osaka/kita/2016/#report.toml#",
            "templates/report.html___jb_tmp___",
            "content/.git/index",
            "sub/site.toml",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
        assert_eq!(relevant(root, Path::new("/elsewhere/site.toml")), None);
    }
}
