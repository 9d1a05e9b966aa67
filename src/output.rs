//! One file of the site, as every step that makes files hands it to the writer.

/// One file of the site: where it goes (relative to the output folder) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A finished SHA-256 as 64 lowercase hex digits: how the caches of `.mieruka-cache/` name
/// what they keep by what it is made from.
pub fn hex_name(hash: sha2::Sha256) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    hash.finalize().iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
