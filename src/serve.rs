//! `mieruka serve`: the site built in memory and served on 127.0.0.1 under its base path,
//! rebuilt when a file of the site root changes, with open pages reloaded (docs/serve.md).
//!
//! Only in serve mode does a page carry a script: a few lines, put into each HTML response
//! (never into the built site), that listen to [`EVENTS`] and reload the page on a `reload`
//! event. A content mistake shows an error page in place of the site, and the terminal prints
//! what `build` prints; the last good build is kept meanwhile, so assets still load.

mod build;
mod http;
mod watch;

use crate::error::{Errors, Warning};
use build::{Builder, Site};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// The port tried first.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the one asked for are tried when it is in use.
const PORT_TRIES: u16 = 20;
/// The Server-Sent Events endpoint of the reload script (outside any base path).
pub const EVENTS: &str = "/__mieruka/events";
/// Worker threads answering requests (an event stream holds none).
const WORKERS: usize = 4;
/// Event streams kept open at most; the oldest is closed beyond that.
const MAX_EVENT_STREAMS: usize = 64;
/// How long after a rebuild without a further change the pages not asked for are rendered
/// (in the background, on one thread; a change stops it).
const SETTLE: Duration = Duration::from_millis(500);

/// What `mieruka serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    /// Where the site will be published; only its path is used (the preview is on 127.0.0.1).
    pub base_url: Option<String>,
    /// Show draft reports too.
    pub drafts: bool,
}

/// Builds, serves and watches until SIGINT or SIGTERM (then returns `Ok`). Fails before
/// serving when the site root, the port or the watcher cannot be had.
pub fn serve(opts: &ServeOptions) -> Result<(), String> {
    let root =
        opts.root.canonicalize().map_err(|e| format!("cannot open the site root {}: {e}", opts.root.display()))?;
    let base_path_arg =
        match &opts.base_url {
            Some(url) => Some(crate::config::base_path_of(url).map_err(|expected| {
                format!("--base-url: found `{}`, expected {expected}", crate::error::visible(url))
            })?),
            None => None,
        };
    let (listener, port) = bind(opts.port)?;
    let (tx, rx) = mpsc::channel();
    stop_on_signals(tx.clone())?;
    let activity = Arc::new(AtomicU64::new(0));
    let mut watcher = watch::Watcher::start(&root, tx, Message::Changed, activity.clone())?;
    let preview = Arc::new(Preview {
        root,
        port,
        base_path_arg,
        drafts: opts.drafts,
        state: RwLock::new(Arc::new(State::default())),
        streams: Mutex::default(),
        activity,
    });

    let mut builder = Builder::new(preview.root.clone(), preview.drafts);
    let started = Instant::now();
    let outcome = preview.rebuild(&mut builder);
    let url = format!("http://127.0.0.1:{port}{}", preview.state().base_path);
    let mut printed_warnings = Vec::new();
    let built = match &outcome {
        Ok((site, warnings)) => {
            print_warnings(warnings, &mut printed_warnings);
            let ms = started.elapsed().as_millis();
            format!("{} pages built in {ms} ms{}", site.page_count(), warned(warnings.len()))
        }
        Err(errors) => {
            eprintln!("{errors}");
            "the build failed: the browser shows why".to_string()
        }
    };
    // The state holds the site from now on (a new build frees this one).
    drop(outcome);
    start_server(listener, &preview);
    eprintln!("serving {url} ({built}; Ctrl-C stops)");

    while let Ok(message) = rx.recv() {
        let mut changed = match message {
            Message::Stop => return Ok(()),
            Message::Changed(watch::Changed::Error(e)) => {
                // Events may have been lost: the next build keeps nothing.
                eprintln!("warning: watching for changes: {e}");
                builder.forget();
                continue;
            }
            Message::Changed(watch::Changed::Files(files)) => files,
        };
        // Changes that came while the last rebuild ran: one rebuild for them all.
        let mut stop = false;
        for more in rx.try_iter() {
            match more {
                Message::Stop => stop = true,
                Message::Changed(watch::Changed::Files(files)) => changed.extend(files),
                Message::Changed(watch::Changed::Error(e)) => {
                    eprintln!("warning: watching for changes: {e}");
                    builder.forget();
                }
            }
        }
        if stop {
            return Ok(());
        }
        changed.sort();
        changed.dedup();
        watcher.rewatch(&changed);
        builder.note_changes(&changed);
        let started = Instant::now();
        let outcome = preview.rebuild(&mut builder);
        let ms = started.elapsed().as_millis();
        let what = describe(&changed);
        match outcome {
            Ok((_, warnings)) => {
                print_warnings(&warnings, &mut printed_warnings);
                eprintln!("{what} changed: rebuilt in {ms} ms{}", warned(warnings.len()));
            }
            Err(errors) => {
                eprintln!("{errors}");
                printed_warnings.clear();
                eprintln!("{what} changed: the build failed in {ms} ms; the browser shows why");
            }
        }
        preview.announce_reload();
    }
    Ok(())
}

enum Message {
    Changed(watch::Changed),
    Stop,
}

/// SIGINT (Ctrl-C) and SIGTERM stop serving: the loop returns and the process exits 0.
fn stop_on_signals(tx: Sender<Message>) -> Result<(), String> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Message::Stop);
        }
    });
    Ok(())
}

/// A listener on 127.0.0.1 at `port`, or at the next free one (saying so).
fn bind(port: u16) -> Result<(TcpListener, u16), String> {
    let mut tried = port;
    loop {
        match TcpListener::bind(("127.0.0.1", tried)) {
            Ok(listener) => {
                let got = listener.local_addr().map_err(|e| e.to_string())?.port();
                if tried != port {
                    eprintln!("port {port} is in use; serving on port {got} instead");
                }
                return Ok((listener, got));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 && tried - port < PORT_TRIES => {
                match tried.checked_add(1) {
                    Some(next) => tried = next,
                    None => return Err(format!("port {port} is in use, and so is every port up to {tried}")),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return Err(format!(
                    "port {port} is in use, and so is every port up to {tried}; choose another with --port"
                ));
            }
            Err(e) => return Err(format!("cannot listen on 127.0.0.1:{tried}: {e}")),
        }
    }
}

/// `content/a.toml`, `content/a.toml and content/b.md`, `content/a.toml and 3 more files`.
fn describe(changed: &[String]) -> String {
    match changed {
        [] => "nothing".into(),
        [one] => one.clone(),
        [one, two] => format!("{one} and {two}"),
        [one, rest @ ..] => format!("{one} and {} more files", rest.len()),
    }
}

fn warned(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " with 1 warning".into(),
        _ => format!(" with {n} warnings"),
    }
}

/// Prints the warnings as `build` does, unless they are the ones printed last time.
fn print_warnings(warnings: &[Warning], printed: &mut Vec<String>) {
    let texts: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    if texts != *printed {
        for t in &texts {
            eprintln!("{t}");
        }
        *printed = texts;
    }
}

/// The site being previewed, the state of its last build, and the open event streams.
struct Preview {
    root: PathBuf,
    port: u16,
    /// The base path `--base-url` gives (else site.toml's is read at each build).
    base_path_arg: Option<String>,
    /// Show drafts (`--drafts`), each page with its 下書き banner.
    drafts: bool,
    state: RwLock<Arc<State>>,
    streams: Mutex<Vec<TcpStream>>,
    /// Counts changes seen (by the watcher, before they settle) and rebuilds started: rendering
    /// in the background stops as soon as either happens.
    activity: Arc<AtomicU64>,
}

/// What requests are answered from; replaced whole by each build.
#[derive(Default)]
struct State {
    /// e.g. `/kusei/hyoka/`.
    base_path: String,
    /// Counts builds; pages carry it, so a page that missed a reload sees it is old.
    generation: u64,
    /// The last good build (none when the first failed, or a page of this one).
    site: Option<Arc<Site>>,
    /// The last build's errors as `build` prints them, while they stand.
    error: Option<String>,
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

impl Preview {
    fn state(&self) -> Arc<State> {
        read(&self.state).clone()
    }

    /// The base path of the preview: `--base-url`'s, else site.toml's (`/` while site.toml
    /// cannot be read: the build then says why).
    fn base_path(&self) -> String {
        if let Some(p) = &self.base_path_arg {
            return p.clone();
        }
        crate::config::SiteConfig::load(&self.root).map_or_else(|_| "/".to_string(), |c| c.base_path().to_string())
    }

    /// Builds the site and puts it (or its errors, keeping the last good site) in place.
    /// Returns the site and the warnings. Pages are made when asked for; with
    /// templates of the site's own, the rest in the background once changes settle; after a
    /// change of templates, every page at once (so their mistakes show now).
    fn rebuild(self: &Arc<Self>, builder: &mut Builder) -> Result<(Arc<Site>, Vec<Warning>), Errors> {
        self.activity.fetch_add(1, Ordering::SeqCst);
        let base_path = self.base_path();
        let base_url = format!("http://127.0.0.1:{}{base_path}", self.port);
        let render_all = builder.renders_all();
        let built = builder.build(&base_url).and_then(|(site, warnings)| {
            if render_all && let Err(errors) = site.render_rest(&|| false) {
                // Rendered every page again next time, whatever changes.
                builder.recheck_templates();
                return Err(errors);
            }
            Ok((site, warnings))
        });
        let previous = self.state();
        let generation = previous.generation + 1;
        let previous_site = previous.site.clone();
        drop(previous);
        match built {
            Ok((site, warnings)) => {
                // The old site is freed with the old state, off this thread.
                drop(previous_site);
                let site = Arc::new(site);
                let state = State { base_path, generation, site: Some(site.clone()), error: None };
                self.replace_state(state);
                if !render_all && site.has_own_templates() {
                    self.render_in_background(site.clone(), generation);
                }
                Ok((site, warnings))
            }
            Err(errors) => {
                let state = State { base_path, generation, site: previous_site, error: Some(errors.to_string()) };
                self.replace_state(state);
                Err(errors)
            }
        }
    }

    /// Puts `state` in place. The one before is dropped on another thread: a site with every
    /// page made holds some hundred megabytes, and freeing them is not the next page's wait.
    fn replace_state(&self, state: State) {
        let old = std::mem::replace(&mut *self.state.write().unwrap_or_else(PoisonError::into_inner), Arc::new(state));
        std::thread::spawn(move || drop(old));
    }

    /// Once nothing has changed for [`SETTLE`], renders the pages of build `generation` that
    /// no one asked for, on one thread (stopping at the next change). A page that fails (a site's own
    /// template) fails the build as `build` would: the error is printed and shown.
    fn render_in_background(self: &Arc<Self>, site: Arc<Site>, generation: u64) {
        let preview = self.clone();
        std::thread::spawn(move || {
            let started = preview.activity.load(Ordering::SeqCst);
            let current = || preview.activity.load(Ordering::SeqCst) == started;
            let settled = Instant::now() + SETTLE;
            while Instant::now() < settled {
                if !current() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            // On one thread: the other cores stay free for the next rebuild and for requests.
            let one = rayon::ThreadPoolBuilder::new().num_threads(1).build();
            let rendered = match one {
                Ok(pool) => pool.install(|| site.render_rest(&|| !current())),
                Err(_) => site.render_rest(&|| !current()),
            };
            let Err(errors) = rendered else { return };
            let mut state = preview.state.write().unwrap_or_else(PoisonError::into_inner);
            if state.generation != generation {
                return;
            }
            let failed = State {
                base_path: state.base_path.clone(),
                generation: generation + 1,
                site: state.site.clone(),
                error: Some(errors.to_string()),
            };
            let old = std::mem::replace(&mut *state, Arc::new(failed));
            drop(state);
            drop(old);
            eprintln!("{errors}");
            eprintln!("rendering every page: the build failed; the browser shows why");
            preview.announce_reload();
        });
    }

    /// Tells every open page to reload.
    fn announce_reload(&self) {
        let event = format!("event: reload\ndata: {}\n\n", self.state().generation);
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams.retain(|mut s| std::io::Write::write_all(&mut s, event.as_bytes()).is_ok());
    }

    /// Answers one connection.
    fn handle(&self, stream: TcpStream) {
        let Ok(request) = http::read_request(&stream) else {
            let _ = http::Response::new(400, http::TEXT, &b"bad request\n"[..]).write_to(&stream, false);
            return;
        };
        let head_only = request.method == "HEAD";
        if request.method != "GET" && !head_only {
            let _ = http::Response::new(405, http::TEXT, &b"only GET and HEAD\n"[..]).write_to(&stream, false);
            return;
        }
        let state = self.state();
        if request.path == EVENTS {
            // The build the client's page came from is compared with this one by the script.
            let first = format!("event: version\ndata: {}\n\n", state.generation);
            if http::start_event_stream(&stream, &first).is_ok() {
                let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
                if streams.len() >= MAX_EVENT_STREAMS {
                    streams.remove(0);
                }
                streams.push(stream);
            }
            return;
        }
        let _ = respond(&state, &request.path).write_to(&stream, head_only);
    }
}

/// The answer to a `GET` of `path` from the state of the last build.
fn respond(state: &State, path: &str) -> http::Response {
    let base = state.base_path.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        // `/` and the base path without its final slash lead to the site.
        if path == "/" || format!("{path}/") == base {
            return http::Response::redirect(302, base.to_string());
        }
        return not_found(state, path);
    };
    let file = crate::urls::file_of(rel);
    let is_page = file.ends_with(".html") || !file.rsplit('/').next().unwrap_or("").contains('.');
    if let Some(error) = &state.error
        && is_page
    {
        return http::Response::new(500, http::HTML, page_with_script(error_page(error).as_bytes(), state.generation));
    }
    let Some(site) = &state.site else { return not_found(state, path) };
    let found = match site.file(&file) {
        Ok(found) => found,
        Err(errors) => {
            let page = page_with_script(error_page(&errors.to_string()).as_bytes(), state.generation);
            return http::Response::new(500, http::HTML, page);
        }
    };
    match found {
        Some(bytes) if file.ends_with(".html") => {
            http::Response::new(200, http::HTML, page_with_script(&bytes, state.generation))
        }
        Some(bytes) => {
            http::Response { status: 200, content_type: http::content_type(&file), location: None, body: bytes }
        }
        // A folder's URL without its final slash: where its index.html is.
        None if site.file(&format!("{file}/index.html")).is_ok_and(|f| f.is_some()) => {
            http::Response::redirect(301, format!("{path}/"))
        }
        None => not_found(state, path),
    }
}

/// The site's 404.html with status 404 (plain text when there is none yet).
fn not_found(state: &State, path: &str) -> http::Response {
    match state.site.as_ref().and_then(|s| s.file(crate::urls::NOT_FOUND).ok().flatten()) {
        Some(page) => http::Response::new(404, http::HTML, page_with_script(&page, state.generation)),
        None => http::Response::new(404, http::TEXT, format!("not found: {path}\n").into_bytes()),
    }
}

/// The reload script: reloads the page on a `reload` event, and when the stream says the
/// build is newer than the one the page came from (a change while the page was loading).
fn reload_script(generation: u64) -> String {
    format!(
        "<script>/* mieruka serve: reloads this page when the site is rebuilt (not in built sites) */\n\
         (()=>{{const g=\"{generation}\",s=new EventSource(\"{EVENTS}\");\
         s.addEventListener(\"reload\",()=>location.reload());\
         s.addEventListener(\"version\",e=>{{if(e.data!==g)location.reload()}});}})();</script>\n"
    )
}

/// `html` with the reload script put before `</body>` (at the end when there is none).
fn page_with_script(html: &[u8], generation: u64) -> Vec<u8> {
    let script = reload_script(generation);
    let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page shown in place of the site while a build fails: the errors as the terminal
/// prints them.
fn error_page(errors: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>ビルドできませんでした | mieruka serve</title>\n\
         <style>body{{font-family:sans-serif;margin:2rem;line-height:1.6;color:#1a1a1a}}\
         pre{{white-space:pre-wrap;background:#f4f4f4;border-left:4px solid #b00020;padding:1rem;overflow-x:auto}}</style>\n\
         </head>\n<body>\n<main>\n<h1>ビルドできませんでした</h1>\n\
         <p>内容のファイルを直して保存すると、このページは自動で更新されます。（Fix the file and save it: this page reloads by itself.）</p>\n\
         <pre>{}</pre>\n</main>\n</body>\n</html>\n",
        crate::text::escape(errors)
    )
}

/// Accepts connections on one thread and answers them on [`WORKERS`] others.
fn start_server(listener: TcpListener, preview: &Arc<Preview>) {
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(256);
    let rx: Arc<Mutex<Receiver<TcpStream>>> = Arc::new(Mutex::new(rx));
    for _ in 0..WORKERS {
        let (rx, preview) = (rx.clone(), preview.clone());
        std::thread::spawn(move || {
            loop {
                let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                match next {
                    Ok(stream) => preview.handle(stream),
                    Err(_) => return,
                }
            }
        });
    }
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if tx.send(stream).is_err() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimal fixture built for the preview under `/kusei/hyoka/`.
    fn state(error: Option<&str>) -> State {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let (site, _) = Builder::new(root, false).build("http://127.0.0.1:1/kusei/hyoka/").unwrap();
        State {
            base_path: "/kusei/hyoka/".into(),
            generation: 3,
            site: Some(Arc::new(site)),
            error: error.map(str::to_string),
        }
    }

    #[test]
    fn requests_are_answered_under_the_base_path() {
        let s = state(None);
        let r = respond(&s, "/kusei/hyoka/");
        assert_eq!((r.status, r.content_type), (200, http::HTML));
        let body = String::from_utf8(r.body.to_vec()).unwrap();
        assert!(body.ends_with("})();</script>\n</body>\n</html>\n"), "the script before </body>: {body}");
        assert!(body.contains(EVENTS) && body.contains("const g=\"3\""));
        let r = respond(&s, "/");
        assert_eq!((r.status, r.location.as_deref()), (302, Some("/kusei/hyoka/")));
        assert_eq!(respond(&s, "/kusei/hyoka").location.as_deref(), Some("/kusei/hyoka/"));
        assert_eq!(respond(&s, "/kusei/hyoka/testshi").location.as_deref(), Some("/kusei/hyoka/testshi/"));
        let r = respond(&s, "/kusei/hyoka/robots.txt");
        assert_eq!((r.status, r.content_type), (200, "text/plain; charset=utf-8"));
        assert!(String::from_utf8(r.body.to_vec()).unwrap().contains("http://127.0.0.1:1/kusei/hyoka/sitemap.xml"));
        for missing in ["/kusei/hyoka/nothing/", "/other/", "/kusei/hyoka/x.png"] {
            let r = respond(&s, missing);
            assert_eq!(r.status, 404, "{missing}");
            assert!(String::from_utf8(r.body.to_vec()).unwrap().contains("EventSource"), "the site's 404.html");
        }
    }

    #[test]
    fn a_failed_build_shows_its_errors_on_pages_only() {
        let s = state(Some("content/a/report.toml:3:1: <bad> & \"worse\"\n1 error — nothing was written"));
        let r = respond(&s, "/kusei/hyoka/testshi/");
        assert_eq!((r.status, r.content_type), (500, http::HTML));
        let body = String::from_utf8(r.body.to_vec()).unwrap();
        assert!(body.contains("<html lang=\"ja\">") && body.contains("<h1>ビルドできませんでした</h1>"));
        assert!(
            body.contains("<pre>content/a/report.toml:3:1: &lt;bad&gt; &amp; &quot;worse&quot;\n1 error"),
            "{body}"
        );
        assert!(body.contains(EVENTS), "the error page reloads too");
        assert_eq!(respond(&s, "/kusei/hyoka/robots.txt").status, 200, "files of the last good build");
    }

    #[test]
    fn changes_are_described_briefly() {
        assert_eq!(describe(&["a".into()]), "a");
        assert_eq!(describe(&["a".into(), "b".into()]), "a and b");
        assert_eq!(describe(&["a".into(), "b".into(), "c".into()]), "a and 2 more files");
    }
}
