//! The integration tests: whole fixture sites built through the library and the real binary,
//! asserted on their pages, data files and error text. One test binary, one module per
//! subject (docs/testing.md): one link instead of twenty, and a fraction of the disk.
//!
//! `cargo test --test integration errors::` runs one module; `… errors::undefined_indicator`
//! one case.

mod common;

mod accessibility;
mod bench_corpus;
mod build;
mod data;
mod data_cache;
mod docs;
mod downloads;
mod drafts;
mod errors;
mod images;
mod kita;
mod layers;
mod output_folder;
mod overview;
mod page_cache;
mod scaffold;
mod search;
mod serve;
mod static_files;
mod warnings;
mod xml;
