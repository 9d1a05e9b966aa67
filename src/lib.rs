//! mieruka (見える化): a static site generator for Japanese ward self-evaluation reports.
//!
//! The pipeline, one module a step: `config` → `load` → `model` → `link` → `render` → `write`.

pub mod config;
pub mod error;
pub mod link;
pub mod load;
pub mod model;

pub use error::{Error, Errors};
