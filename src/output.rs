//! One file of the site, as every step that makes files hands it to the writer.

/// One file of the site: where it goes (relative to the output folder) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}
