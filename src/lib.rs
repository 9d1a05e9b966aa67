//! mieruka (見える化): a static site generator for Japanese ward self-evaluation reports.
//!
//! The pipeline, one module a step: `config` → `load` → `model` → `link` → `render` → `write`.

pub mod config;
pub mod data;
pub mod discovery;
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

/// Prints how long each step took when `MIERUKA_PROFILE` is set (docs/benchmarks.md).
struct Profile {
    on: bool,
    last: std::time::Instant,
}

impl Profile {
    fn new() -> Profile {
        Profile { on: std::env::var_os("MIERUKA_PROFILE").is_some(), last: std::time::Instant::now() }
    }
    fn step(&mut self, name: &str) {
        if self.on {
            eprintln!("profile: {name:<10} {:>7.1} ms", self.last.elapsed().as_secs_f64() * 1000.0);
            self.last = std::time::Instant::now();
        }
    }
}

/// Renders the whole site into memory: every step but the write.
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<Vec<render::Output>, Errors> {
    let mut profile = Profile::new();
    let mut config = config::SiteConfig::load(root)?;
    if let Some(url) = base_url {
        config.set_base_url(url).map_err(|message| Error::Config { path: PathBuf::from("--base-url"), message })?;
    }
    // A file that does not parse is left out; the others are still checked, so one run
    // reports every mistake.
    let (loaded, mut errors) = load::load(root);
    profile.step("load");
    let site = match model::build(&loaded) {
        Ok(site) if errors.is_empty() => site,
        Ok(_) => return Err(errors),
        Err(more) => {
            errors.0.extend(more.0);
            return Err(errors);
        }
    };
    profile.step("model");
    let linked = link::link(&site)?;
    profile.step("link");
    let tera = render::load_templates(root)?;
    let css = write::stylesheet(root)?;
    let urls = render::urls::Urls { base_path: config.base_path().to_string(), base_url: config.base_url.clone() };
    // Data files first: pages link them with their exact sizes.
    let data = data::build(&config, &site, &linked, &urls)?;
    profile.step("data");
    let renderer = render::Renderer {
        config: &config,
        site: &site,
        linked: &linked,
        tera: &tera,
        urls: urls.clone(),
        css_path: css.path.clone(),
        downloads: &data.downloads,
        feed: discovery::has_feed(&site).then(|| discovery::FEED.to_string()),
    };
    let mut outputs = renderer.render_all()?;
    profile.step("render");
    outputs.push(css);
    outputs.extend(data.outputs);
    // Discovery last: the sitemap lists the pages actually rendered.
    let found = discovery::build(&config, &site, &linked, &urls, &outputs);
    outputs.extend(found);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    profile.step("discovery");
    Ok(outputs)
}

/// Builds the site and swaps it into `out`.
pub fn build(opts: &BuildOptions) -> Result<Summary, Errors> {
    let outputs = render_site(&opts.root, opts.base_url.as_deref())?;
    let mut profile = Profile::new();
    write::write_site(&opts.out, &outputs)?;
    profile.step("write");
    Ok(Summary {
        pages: outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
        files: outputs.len(),
        bytes: outputs.iter().map(|o| o.bytes.len()).sum(),
    })
}
