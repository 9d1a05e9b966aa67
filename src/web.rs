//! Addresses from content and settings that the site puts in a link (`href`): only `https:`,
//! `http:` and `mailto:` are accepted, so nothing a content file says can run script when a
//! reader clicks it (`javascript:`, `data:` and the like are errors at load).

use crate::error::{Error, Span};
use std::fmt;
use std::path::Path;

/// A checked absolute address, kept exactly as written (the site prints what content says).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct WebUrl(String);

/// What a link may be, for error messages.
pub const EXPECTED: &str = "an absolute https:, http: or mailto: address (e.g. https://www.city.osaka.lg.jp/)";

impl WebUrl {
    /// Accepts an absolute `https:`/`http:` address with a host, or a `mailto:` address.
    /// Spaces and control characters are refused rather than silently dropped (a URL parser
    /// removes tabs and newlines, which would hide what the file really says).
    pub fn parse(text: &str) -> Result<WebUrl, String> {
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(format!("{EXPECTED}, without spaces or control characters"));
        }
        let url = url::Url::parse(text).map_err(|_| EXPECTED.to_string())?;
        let ok = match url.scheme() {
            "https" | "http" => url.host_str().is_some_and(|h| !h.is_empty()),
            "mailto" => !url.path().is_empty(),
            _ => false,
        };
        if ok { Ok(WebUrl(text.to_string())) } else { Err(EXPECTED.to_string()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether no file of the site may hold `c`: a control character other than tab, line feed
/// and carriage return, or a non-character (U+FFFE, U+FFFF). They are invisible in an
/// editor, break XML (the sitemap and feed) and have no place in a report.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The first forbidden character of a file, as written or, in TOML, as an escape (`\b`, `\f`,
/// `\e`, `\u0007`, `\x07`…): where it stands (byte range) and the character.
pub fn forbidden_char(text: &str, toml: bool) -> Option<(std::ops::Range<usize>, char)> {
    let bytes = text.as_bytes();
    // Every content file passes here: a byte scan first, the character scan only where a
    // byte could start a forbidden character (almost never).
    if !may_hold_forbidden(bytes, toml) {
        return None;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_forbidden(c) {
            return Some((at..at + c.len_utf8(), c));
        }
        if c != '\\' || !toml {
            continue;
        }
        // An escape: `\\` is a backslash, the others may stand for a control character.
        let Some(&(_, e)) = chars.peek() else { break };
        chars.next();
        let hex = |len: usize| -> Option<char> {
            let digits = text.get(at + 2..at + 2 + len)?;
            u32::from_str_radix(digits, 16).ok().and_then(char::from_u32)
        };
        let (decoded, len) = match e {
            'b' => (Some('\u{8}'), 2),
            'f' => (Some('\u{c}'), 2),
            'e' => (Some('\u{1b}'), 2),
            'x' => (hex(2), 4),
            'u' => (hex(4), 6),
            'U' => (hex(8), 10),
            _ => (None, 2),
        };
        if let Some(d) = decoded.filter(|d| is_forbidden(*d)) {
            return Some((at..(at + len).min(bytes.len()), d));
        }
    }
    None
}

/// Whether `bytes` (UTF-8) may hold a forbidden character: a C0 control other than tab and
/// line breaks, DEL, a C1 control (lead byte 0xC2), U+FFxx from the last block (0xEF 0xBF, where
/// U+FFFE/U+FFFF are), or in TOML a backslash that may start an escape.
fn may_hold_forbidden(bytes: &[u8], toml: bool) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1F | 0x7F | 0xC2 => true,
        0xEF => bytes.get(i + 1) == Some(&0xBF),
        b'\\' => toml,
        _ => false,
    })
}

/// The error for a character no file may hold ([`forbidden_char`]), at its place.
pub fn forbidden_char_error(path: &Path, text: &str) -> Option<Error> {
    let toml = path.extension().is_some_and(|e| e == "toml");
    let (range, c) = forbidden_char(text, toml)?;
    Some(Error::invalid(
        Span::new(path, text, range),
        format!("U+{:04X}", u32::from(c)),
        "text without control characters (other than tab and line breaks) or the non-characters U+FFFE and \
         U+FFFF: delete it (most editors do not show it; it often comes from copying out of a PDF)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_addresses_are_links() {
        for ok in [
            "https://www.city.osaka.lg.jp/kita/page/0000373.html",
            "http://127.0.0.1:8000/",
            "mailto:kita@city.example.jp",
        ] {
            assert_eq!(WebUrl::parse(ok).unwrap().as_str(), ok, "kept as written");
        }
        for bad in [
            "javascript:alert(document.domain)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "/kita/page.html",
            "www.city.osaka.lg.jp",
            "https://",
            "https://exa mple.jp/",
            "https://example.jp/\nSitemap: https://evil.example/",
            "java\tscript:alert(1)",
            "",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn control_characters_and_non_characters_are_found() {
        assert_eq!(forbidden_char("北区\t\r\n", true), None);
        assert_eq!(forbidden_char("北\u{0}区", true), Some((3..4, '\u{0}')));
        assert_eq!(forbidden_char("a\u{7f}", true), Some((1..2, '\u{7f}')));
        assert_eq!(forbidden_char("a\u{FFFE}", true), Some((1..4, '\u{FFFE}')));
        assert_eq!(forbidden_char("a\u{85}", true), Some((1..3, '\u{85}')), "C1 controls too");
    }

    #[test]
    fn escapes_that_make_control_characters_are_found() {
        assert_eq!(forbidden_char(r#"t = "a\u0007b""#, true), Some((6..12, '\u{7}')));
        assert_eq!(forbidden_char(r#"t = "a\U0000001Bb""#, true), Some((6..16, '\u{1b}')));
        assert_eq!(forbidden_char(r#"t = "a\x00""#, true), Some((6..10, '\u{0}')));
        assert_eq!(forbidden_char(r#"t = "a\bc""#, true), Some((6..8, '\u{8}')));
        assert_eq!(forbidden_char(r#"t = "\uFFFF""#, true), Some((5..11, '\u{FFFF}')));
        assert_eq!(forbidden_char(r"Markdown \u0007 is text", false), None, "no escapes in Markdown");
        for fine in [r#"t = "a\nb\tc\"d\\e""#, r#"t = "\u3042""#, r"t = 'C:\\back'", r#"t = "a\\bc""#] {
            assert_eq!(forbidden_char(fine, true), None, "{fine}");
        }
    }
}
