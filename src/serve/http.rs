//! Just enough HTTP/1.1 for a preview on 127.0.0.1: `GET` and `HEAD`, one request per
//! connection (`Connection: close`, so an idle browser connection never holds a worker), and
//! a Server-Sent Events stream that stays open and is written to on each rebuild.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

/// One request: its method and its path, percent-decoded, without query or fragment.
pub(super) struct Request {
    pub method: String,
    pub path: String,
}

/// Reads a request's head (request line and header lines; a body is not read). A client that
/// sends nothing for 10 s, or a head over 16 KiB, is an error.
pub(super) fn read_request(stream: &TcpStream) -> io::Result<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not an HTTP request"));
    };
    let request =
        Request { method: method.to_string(), path: percent_decode(target.split(['?', '#']).next().unwrap_or("/")) };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    Ok(request)
}

/// `%E5%8C%97` → 北 (a path is bytes; what is not UTF-8 becomes U+FFFD and matches no file).
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A whole response (the event stream is written by [`start_event_stream`] instead).
pub(super) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    /// Where a redirect points.
    pub location: Option<String>,
    pub body: Arc<[u8]>,
}

impl Response {
    pub(super) fn new(status: u16, content_type: &'static str, body: impl Into<Arc<[u8]>>) -> Response {
        Response { status, content_type, location: None, body: body.into() }
    }

    pub(super) fn redirect(status: u16, to: String) -> Response {
        let body = format!("-> {to}\n");
        Response { status, content_type: TEXT, location: Some(to), body: body.into_bytes().into() }
    }

    /// Writes the response and closes the connection (the body is left out for `HEAD`).
    pub(super) fn write_to(&self, mut stream: &TcpStream, head_only: bool) -> io::Result<()> {
        stream.set_write_timeout(Some(Duration::from_secs(30)))?;
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        if let Some(to) = &self.location {
            head.push_str(&format!("Location: {to}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = io::BufWriter::new(&mut stream);
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

/// Starts a Server-Sent Events response: the head, then `first` (events the client gets at
/// once). The caller keeps the stream and writes further events to it.
pub(super) fn start_event_stream(mut stream: &TcpStream, first: &str) -> io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n";
    stream.write_all(format!("{head}retry: 1000\n\n{first}").as_bytes())?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

pub(super) const TEXT: &str = "text/plain; charset=utf-8";
pub(super) const HTML: &str = "text/html; charset=utf-8";

/// The Content-Type of a file of the site, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => TEXT,
        "zip" => "application/zip",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_decoded() {
        assert_eq!(percent_decode("/a%20b/%E5%8C%97/"), "/a b/北/");
        assert_eq!(percent_decode("/100%/%zz"), "/100%/%zz", "a stray % is kept");
    }

    #[test]
    fn content_types_by_extension() {
        for (path, ty) in [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/style.0a1b2c3d.css", "text/css; charset=utf-8"),
            ("chart.svg", "image/svg+xml"),
            ("data/datapackage.json", "application/json"),
            ("data/observations.csv", "text/csv; charset=utf-8"),
            ("sitemap.xml", "application/xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("a.zip", "application/zip"),
            ("a.pdf", "application/pdf"),
            ("a.PNG", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("favicon.ico", "image/x-icon"),
            ("f.woff2", "font/woff2"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), ty, "{path}");
        }
    }
}
