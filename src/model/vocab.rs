//! Fixed texts made from a vocabulary at compile time, so a list such as the comparators an
//! error message names, or the codes a data dictionary explains, is spelt once, on its type,
//! and the text cannot drift from it.
//!
//! ```ignore
//! const WORDS: [[&str; 1]; 3] = [["以上"], ["以下"], ["定性"]];
//! pub const EXPECTED: &str = joined!("one of ", WORDS, ", "); // "one of 以上, 以下, 定性"
//! const CODES: [[&str; 4]; 2] = [["at_least", "（", "以上", "）"], ["zero", "（", "ゼロ", "）"]];
//! pub const LEGEND: &str = joined!("", CODES, "、"); // "at_least（以上）、zero（ゼロ）"
//! const TEXT: &str = joined!("目標の形：", [[LEGEND, "。"]], ""); // "目標の形：at_least（以上）、zero（ゼロ）。"
//! ```

/// The length in bytes of `prefix` followed by `entries` (each the concatenation of its
/// pieces) joined by `sep`.
pub(crate) const fn joined_len<const M: usize>(prefix: &str, entries: &[[&str; M]], sep: &str) -> usize {
    let mut len = prefix.len();
    let mut i = 0;
    while i < entries.len() {
        if i > 0 {
            len += sep.len();
        }
        let mut j = 0;
        while j < M {
            len += entries[i][j].len();
            j += 1;
        }
        i += 1;
    }
    len
}

/// `prefix` followed by `entries` joined by `sep`, as the bytes of an array of exactly that
/// length ([`joined_len`]); a wrong `N` fails the build.
pub(crate) const fn join<const N: usize, const M: usize>(prefix: &str, entries: &[[&str; M]], sep: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = copy(&mut out, 0, prefix);
    let mut i = 0;
    while i < entries.len() {
        if i > 0 {
            at = copy(&mut out, at, sep);
        }
        let mut j = 0;
        while j < M {
            at = copy(&mut out, at, entries[i][j]);
            j += 1;
        }
        i += 1;
    }
    assert!(at == N, "the array is longer than the joined words");
    out
}

const fn copy<const N: usize>(out: &mut [u8; N], at: usize, s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        out[at + i] = bytes[i];
        i += 1;
    }
    at + bytes.len()
}

/// The joined bytes as text (they are whole UTF-8 words, so this never fails).
pub(crate) const fn text(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("joined words are not UTF-8"),
    }
}

/// `joined!(prefix, ENTRIES, sep)`: a `&'static str` constant, `prefix` then the entries of
/// the constant array `ENTRIES` (each an array of pieces, concatenated) joined by `sep`.
/// With one entry it concatenates constants: `joined!("目標の形：", [[LEGEND, "。"]], "")`.
macro_rules! joined {
    ($prefix:expr, $entries:expr, $sep:expr) => {{
        const BYTES: [u8; $crate::model::vocab::joined_len($prefix, &$entries, $sep)] =
            $crate::model::vocab::join($prefix, &$entries, $sep);
        $crate::model::vocab::text(&BYTES)
    }};
}
pub(crate) use joined;

#[cfg(test)]
mod tests {
    #[test]
    fn joins_words_with_a_prefix_and_separator() {
        const WORDS: [[&str; 1]; 3] = [["以上"], ["以下"], ["定性"]];
        const ONE_OF: &str = joined!("one of ", WORDS, ", ");
        assert_eq!(ONE_OF, "one of 以上, 以下, 定性");
        const NONE: [[&str; 1]; 0] = [];
        assert_eq!(joined!("x", NONE, ", "), "x");
        const CODES: [[&str; 4]; 2] = [["at_least", "（", "以上", "）"], ["zero", "（", "ゼロ", "）"]];
        assert_eq!(joined!("", CODES, "、"), "at_least（以上）、zero（ゼロ）");
        const LEGEND: &str = joined!("", CODES, "、");
        assert_eq!(joined!("目標の形：", [[LEGEND, "。"]], ""), "目標の形：at_least（以上）、zero（ゼロ）。");
    }
}
