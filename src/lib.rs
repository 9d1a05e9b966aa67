//! mieruka (見える化): a static site generator for Japanese ward self-evaluation reports.
//!
//! The pipeline, one module a step: `config` → `load` → `model` → `link` → `render` → `write`.

pub mod config;
pub mod error;
pub mod link;
pub mod load;
pub mod model;
pub mod render;
pub mod write;

pub use error::{Error, Errors};
use std::path::{Path, PathBuf};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
}

/// What a build produced.
#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
}

/// Renders the whole site into memory: every step but the write.
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<Vec<render::Output>, Errors> {
    let mut config = config::SiteConfig::load(root)?;
    if let Some(url) = base_url {
        config.set_base_url(url).map_err(|message| Error::Config { path: PathBuf::from("--base-url"), message })?;
    }
    let loaded = load::load(root)?;
    let site = model::build(&loaded)?;
    let linked = link::link(&site)?;
    let tera = render::load_templates(root)?;
    let css = write::stylesheet(root)?;
    let renderer = render::Renderer {
        config: &config,
        site: &site,
        linked: &linked,
        tera: &tera,
        urls: render::urls::Urls { base_path: config.base_path().to_string(), base_url: config.base_url.clone() },
        css_path: css.path.clone(),
    };
    let mut outputs = renderer.render_all()?;
    outputs.push(css);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outputs)
}

/// Builds the site and swaps it into `out`.
pub fn build(opts: &BuildOptions) -> Result<Summary, Errors> {
    let outputs = render_site(&opts.root, opts.base_url.as_deref())?;
    write::write_site(&opts.out, &outputs)?;
    Ok(Summary {
        pages: outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
        files: outputs.len(),
        bytes: outputs.iter().map(|o| o.bytes.len()).sum(),
    })
}
