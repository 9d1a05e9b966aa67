//! `mieruka serve` through the real binary, on a copy of the minimal fixture: the site under
//! its base path, the reload script in served pages only, an edit served and announced on the
//! event stream, a broken edit shown as an error page until it is fixed, a port in use, and
//! Ctrl-C. Every wait polls with a generous deadline (the machine may be busy), never a fixed
//! sleep that an assertion relies on.

use crate::common;
use crate::common::{TestSite, copy_fixture};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BASE_URL: &str = "https://www.city.example.jp/kusei/hyoka/";
const REPORT: &str = "content/testshi/daiichi/2016/report.toml";
const REPORT_PAGE: &str = "/kusei/hyoka/testshi/daiichi/2016/";
const VALUE: &str = r#"value = "８１％""#;
const DEADLINE: Duration = Duration::from_secs(30);

/// Polls `f` until it gives `Some`, for up to [`DEADLINE`].
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `mieruka serve`, killed when dropped if still running.
struct Server {
    child: Child,
    stderr: Arc<Mutex<String>>,
    port: u16,
}

impl Server {
    fn start(root: &Path, port: u16) -> Server {
        Server::start_with(root, port, &[])
    }

    fn start_with(root: &Path, port: u16, more: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mieruka"))
            .args(["serve", "--port", &port.to_string(), "--base-url", BASE_URL, "--root"])
            .arg(root)
            .args(more)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run mieruka serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut server = Server { child, stderr, port: 0 };
        let line = wait_for("the line with the URL", || {
            let text = server.stderr();
            assert!(server.child.try_wait().unwrap().is_none(), "mieruka serve exited:\n{text}");
            text.lines().find(|l| l.starts_with("serving http://127.0.0.1:")).map(str::to_string)
        });
        let rest = line.trim_start_matches("serving http://127.0.0.1:");
        server.port = rest[..rest.find('/').unwrap()].parse().unwrap();
        assert!(rest.contains("/kusei/hyoka/ ("), "the URL to open is under the base path: {line}");
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Opens the event stream; its text so far is in the returned buffer.
    fn events(&self) -> Arc<Mutex<String>> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /__mieruka/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        let text = Arc::new(Mutex::new(String::new()));
        let sink = text.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        wait_for("the event stream to open", || text.lock().unwrap().contains("event: version").then_some(()));
        text
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }
}

/// One GET with a plain socket (the server closes the connection after the response).
fn get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    // Binary files (zips) are read as text only to check their head.
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
    let (status_line, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    let status = status_line.split_whitespace().nth(1).unwrap().parse().unwrap();
    Response { status, headers: headers.to_string(), body: body.to_string() }
}

fn edit(root: &Path, from: &str, to: &str) {
    let path = root.join(REPORT);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {REPORT}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn serves_the_site_under_its_base_path_with_the_reload_script_in_served_pages_only() {
    let site = copy_fixture("minimal");
    let server = Server::start(site.path(), 0);
    let port = server.port;

    let root = server.get("/");
    assert_eq!((root.status, root.header("Location")), (302, Some("/kusei/hyoka/")));
    let home = server.get("/kusei/hyoka/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("new EventSource(\"/__mieruka/events\")"), "the reload script");
    let report = server.get(REPORT_PAGE);
    assert_eq!(report.status, 200);
    assert!(
        report.body.contains(&format!("http://127.0.0.1:{port}/kusei/hyoka/testshi/daiichi/2016/")),
        "absolute links point at the preview"
    );
    // Every link of the page to the site works, and each file has its type.
    let links: Vec<&str> = common::attribute_values(&report.body, "href")
        .into_iter()
        .chain(common::attribute_values(&report.body, "src"))
        .filter(|l| l.starts_with("/kusei/hyoka/"))
        .map(|l| l.split('#').next().unwrap())
        .collect();
    assert!(links.len() > 10, "{links:?}");
    for link in &links {
        let r = server.get(link);
        assert_eq!(r.status, 200, "{link}");
        let ty = r.header("Content-Type").unwrap();
        let expected = match link.rsplit('.').next().unwrap() {
            "css" => "text/css; charset=utf-8",
            "csv" => "text/csv; charset=utf-8",
            "json" => "application/json",
            "xml" => "application/xml",
            "zip" => "application/zip",
            _ => "text/html; charset=utf-8",
        };
        assert_eq!(ty, expected, "{link}");
    }
    assert_eq!(server.get("/kusei/hyoka/testshi/daiichi").header("Location"), Some("/kusei/hyoka/testshi/daiichi/"));
    let missing = server.get("/kusei/hyoka/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html lang=\"ja\"") && missing.body.contains("EventSource"), "the site's 404.html");
    assert_eq!(server.get("/elsewhere/").status, 404);

    let built = TestSite::at(site.path()).base_url(BASE_URL).run();
    built.assert_success();
    for (path, html) in built.files().html_pages() {
        assert!(!html.contains("EventSource") && !html.contains("__mieruka"), "{path} of a build has the script");
    }
}

#[test]
fn an_edit_is_served_on_the_next_request_and_announced() {
    let site = copy_fixture("minimal");
    let server = Server::start(site.path(), 0);
    assert!(!server.get(REPORT_PAGE).body.contains("93.7"));
    let events = server.events();
    edit(site.path(), VALUE, r#"value = "93.7％""#);
    wait_for("the new value on the page", || server.get(REPORT_PAGE).body.contains("93.7").then_some(()));
    wait_for("a reload event", || events.lock().unwrap().contains("event: reload").then_some(()));
    let log = server.stderr();
    assert!(log.contains(&format!("{REPORT} changed: rebuilt in ")), "one line per rebuild:\n{log}");
}

#[test]
fn a_broken_edit_shows_the_error_page_until_it_is_fixed() {
    let site = copy_fixture("minimal");
    let server = Server::start(site.path(), 0);
    let events = server.events();
    edit(site.path(), VALUE, r#"value = "X８１％""#);
    let page = wait_for("the error page", || Some(server.get(REPORT_PAGE)).filter(|r| r.status == 500));
    assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("<html lang=\"ja\">") && page.body.contains("<h1>ビルドできませんでした</h1>"));
    assert!(page.body.contains(&format!("{REPORT}:19:9")), "file, line and column:\n{}", page.body);
    assert!(page.body.contains("value = &quot;X８１％&quot;"), "the line, escaped:\n{}", page.body);
    assert!(page.body.contains("EventSource"), "the error page reloads too");
    assert_eq!(server.get("/kusei/hyoka/").status, 500, "in place of every page");
    wait_for("a reload event for the error", || events.lock().unwrap().contains("event: reload").then_some(()));

    // The terminal shows what `build` prints for the same mistake.
    let build = TestSite::at(site.path()).base_url(BASE_URL).run();
    assert_eq!(build.code, Some(1));
    let printed = build.stderr.trim_end().to_string();
    assert!(printed.contains(&format!("{REPORT}:19:9")), "{printed}");
    wait_for("the build's error text in the terminal", || server.stderr().contains(&printed).then_some(()));

    edit(site.path(), r#"value = "X８１％""#, r#"value = "64.2％""#);
    let fixed = wait_for("the site back", || Some(server.get(REPORT_PAGE)).filter(|r| r.status == 200));
    assert!(fixed.body.contains("64.2"), "the fixed value");
    wait_for("a second reload event", || (events.lock().unwrap().matches("event: reload").count() >= 2).then_some(()));
}

#[test]
fn a_port_in_use_gives_the_next_free_one() {
    let site = copy_fixture("minimal");
    let first = Server::start(site.path(), 0);
    let second = Server::start(site.path(), first.port);
    assert_ne!(second.port, first.port);
    let log = second.stderr();
    assert!(log.contains(&format!("port {} is in use; serving on port {} instead", first.port, second.port)), "{log}");
    assert_eq!(second.get("/kusei/hyoka/").status, 200);
    assert_eq!(first.get("/kusei/hyoka/").status, 200);
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = copy_fixture("minimal");
    let mut server = Server::start(site.path(), 0);
    let _events = server.events();
    let pid = rustix::process::Pid::from_raw(server.child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let status = wait_for("mieruka serve to stop", || server.child.try_wait().unwrap());
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
}

#[test]
fn drafts_are_previewed_with_their_banner_only_with_drafts() {
    let site = copy_fixture("minimal");
    let draft = common::DRAFT_2017;
    let path = site.path().join("content/testshi/daiichi/2017/report.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, draft).unwrap();
    let page = "/kusei/hyoka/testshi/daiichi/2017/";
    {
        let server = Server::start(site.path(), 0);
        assert_eq!(server.get(page).status, 404, "a draft is not previewed without --drafts");
    }
    let server = Server::start_with(site.path(), 0, &["--drafts"]);
    let shown = server.get(page);
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("class=\"draft-banner\"") && shown.body.contains("未記入"), "{}", shown.body);
    assert!(!server.get(REPORT_PAGE).body.contains("draft-banner"), "the published report has no banner");
}
