//! mieruka (見える化): a static site generator for Japanese ward self-evaluation reports.
//!
//! The pipeline, one module a step: `config` → `load` → `model` → `link` → `render` → `write`;
//! `serve` runs it in memory for a preview.

// Errors carry their span (file, line text) by value: they are made rarely, on the cold path,
// and boxing every one would only add noise.
#![allow(clippy::result_large_err)]

pub mod checklist;
pub mod config;
pub mod data;
pub mod discovery;
pub mod error;
pub mod images;
pub mod ja;
pub mod link;
pub mod load;
pub mod model;
pub mod output;
pub mod overview;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;
pub mod urls;
pub mod web;
pub mod write;

pub use error::{Error, Errors, Warning};
use std::path::{Path, PathBuf};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    /// Fail on any warning (a city's CI), writing nothing.
    pub deny_warnings: bool,
    /// Publish reports marked `draft = true` too (a preview), each page with a 下書き banner.
    pub drafts: bool,
}

/// What rendering the site found, beside the files.
#[derive(Debug, Default)]
pub struct Rendered {
    /// What the build doubts; printed, and counted in the summary line.
    pub warnings: Vec<Warning>,
    /// Reports published (drafts included when asked for).
    pub reports: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Draft reports left out (`draft = true`, built without `--drafts`): said, not silent.
    pub drafts_left_out: Vec<PathBuf>,
    /// Preview images drawn and read back from the cache.
    pub images: images::Stats,
    /// Series and reports whose data files were made, and read back from the cache (`data::kept`).
    pub data_files: (usize, usize),
    /// Pages read back from the cache and rendered (`render::PageCache`).
    pub kept_pages: render::PageStats,
}

/// What a build produced.
#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    /// Files linked from `.mieruka-cache/files/` rather than written.
    pub linked: usize,
    pub rendered: Rendered,
}

/// Prints how long each step took when `MIERUKA_PROFILE` is set (docs/benchmarks.md).
struct Profile {
    on: bool,
    last: std::time::Instant,
    last_cpu: f64,
}

/// CPU seconds (user + system, all threads) this process has used so far (Linux).
fn cpu_seconds() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, after the parenthesised command name.
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

impl Profile {
    fn new() -> Profile {
        let on = std::env::var_os("MIERUKA_PROFILE").is_some();
        Profile { on, last: std::time::Instant::now(), last_cpu: if on { cpu_seconds() } else { 0.0 } }
    }
    fn step(&mut self, name: &str) {
        if self.on {
            // Peak memory so far (Linux), to see which step sets the peak.
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string()))
                .unwrap_or_default();
            let wall = self.last.elapsed().as_secs_f64();
            let cpu = cpu_seconds();
            // CPU time over wall time: how many of the cores the step kept busy.
            eprintln!(
                "profile: {name:<10} {:>7.1} ms  cpu {:>7.1} ms ({:.2} cores)  peak RSS {peak}",
                wall * 1e3,
                (cpu - self.last_cpu) * 1e3,
                (cpu - self.last_cpu) / wall.max(1e-9)
            );
            self.last = std::time::Instant::now();
            self.last_cpu = cpu;
        }
    }
}

/// Renders the whole site, handing each file to `emit` as soon as it is made: every step
/// but the write. Returns the warnings once all is rendered; a failure is reported at the end.
/// With `deny_warnings`, a warning fails the build before anything is rendered.
pub fn render_site_into(opts: &BuildOptions, emit: &(dyn Fn(output::Output) + Sync)) -> Result<Rendered, Errors> {
    let (root, base_url) = (opts.root.as_path(), opts.base_url.as_deref());
    let mut profile = Profile::new();
    let mut config = config::SiteConfig::load(root)?;
    if let Some(url) = base_url {
        config.set_base_url(url).map_err(|expected| Error::Config {
            path: PathBuf::from("--base-url"),
            message: format!("found `{}`, expected {expected}", error::visible(url)),
        })?;
    }
    // Templates and the stylesheet do not depend on content: prepared while it loads.
    let ((loaded, mut errors), (templates, css)) =
        rayon::join(|| load::load(root), || (render::Templates::load(root), write::stylesheet(root)));
    profile.step("load");
    // A file that does not parse is left out; the others are still checked, so one run
    // reports every mistake (a template's and the stylesheet's too).
    let markup = model::removed_markup(&loaded);
    let (mut site, templates, css) = match (model::build(&loaded, opts.drafts), templates, css) {
        (Ok(site), Ok(templates), Ok(css)) if errors.is_empty() => (site, templates, css),
        (site, templates, css) => {
            errors.0.extend([site.err(), templates.err(), css.err()].into_iter().flatten().flat_map(|e| e.0));
            return Err(errors);
        }
    };
    // What each ward's data files are made from, for the files kept between builds.
    let fingerprints = data::fingerprints(&loaded, &config, opts.drafts);
    // The parsed files are not needed any more: freed now (off the critical path) so that
    // rendering reuses their memory instead of growing the process.
    rayon::spawn(move || drop(loaded));
    profile.step("model");
    let linked = link::link(&site)?;
    profile.step("link");
    let mut warnings = [load::unused_files(root), markup, model::proofread(&site), linked.warnings.clone()].concat();
    let site_toml = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let (painter, image_warnings) = images::painter(root, &config.images, &site_toml)?;
    warnings.extend(image_warnings);
    if opts.deny_warnings && !warnings.is_empty() {
        return Err(Errors(warnings.into_iter().map(Error::Denied).collect()));
    }
    let urls = urls::Urls::new(&config);
    let statics = std::mem::take(&mut site.statics);
    // Every path the site makes, so that a file of static/ cannot silently replace one (noted
    // only when there is a static/ to copy: it costs a lock per file on the hot path).
    let made = std::sync::Mutex::new(std::collections::HashSet::new());
    let note = |o: output::Output| {
        made.lock().expect("no panics while holding it").insert(o.path.clone());
        emit(o);
    };
    let emit: &(dyn Fn(output::Output) + Sync) = if statics.is_empty() { emit } else { &note };
    let css_path = css.path.clone();
    emit(css);
    // What earlier builds kept: each ward's data files (data::kept), the index of the same content.
    let fingerprint = |c: &str, w: &str| fingerprints.as_ref().map_or(0, |f| f.of(c, w));
    let kept_data = fingerprints.as_ref().map(|_| data::DataCache::read(root));
    let content = fingerprints.as_ref().map(data::Fingerprints::site);
    let kept_pages = fingerprints.as_ref().and_then(|_| render::PageCache::of_program(root, templates.digest()));
    let (pages, index, kept) = std::thread::scope(|scope| {
        // Data files before the pages: pages link them with their exact sizes. Written at
        // once, so they are not held while pages render. A ward's files are read back from
        // the cache when nothing they are made from changed (data::kept).
        let downloads = data::build_kept(&config, &site, &linked, &urls, emit, kept_data.as_ref(), &fingerprint);
        // The kept files written, and the cache written again when this build changed it,
        // while the pages render.
        let keeping = kept_data.as_ref().map(|cache| {
            let fingerprint = &fingerprint;
            cache.release();
            scope.spawn(move || cache.finish(emit, fingerprint))
        });
        profile.step("data");
        // The search index on its own thread while the pages are made, from the linked site; after
        // the data files (both at once hold more memory), its files written as soon as they are ready.
        let index =
            config.search.enabled.then(|| scope.spawn(|| search::index_into(&site, &linked, root, content, emit)));
        let cx = render::Cx {
            config: &config,
            site: &site,
            linked: &linked,
            urls: &urls,
            downloads: &downloads,
            feed: discovery::has_feed(&site).then_some(urls::FEED),
            images: painter.as_ref(),
            entries: std::sync::OnceLock::new(),
        };
        let pages = render::Renderer::new(cx, &templates, css_path).keeping(kept_pages.as_ref()).render_each(emit);
        let kept = keeping.map(|h| h.join().expect("writing the cache does not panic"));
        (pages, index.map(|h| h.join().expect("the indexer does not panic")), kept)
    });
    warnings.extend(kept_data_outcome(kept)?);
    let kept_pages = kept_pages_outcome(kept_pages, &mut warnings);
    let pages = pages?;
    if let Some(index) = index {
        let index = index.map_err(|message| Errors::from(Error::Search { message }))?;
        warnings.extend(index.warning());
    }
    let (image_stats, image_warnings) = painter.as_ref().map(images::Painter::finish).unwrap_or_default();
    // A character the font lacks is found while drawing: denied here, after rendering.
    if opts.deny_warnings && !image_warnings.is_empty() {
        return Err(Errors(image_warnings.into_iter().map(Error::Denied).collect()));
    }
    warnings.extend(image_warnings);
    let rendered = Rendered {
        warnings,
        reports: site.reports().count(),
        pages: pages.len(),
        drafts_left_out: site.drafts_left_out.clone(),
        images: image_stats,
        data_files: kept_data.as_ref().map(data::DataCache::counts).unwrap_or_default(),
        kept_pages,
    };
    profile.step("render");
    render::print_template_times();
    // Discovery last: the sitemap lists the pages actually rendered.
    for o in discovery::build(&config, &site, &linked, &urls, &pages) {
        emit(o);
    }
    profile.step("discovery");
    let made = std::mem::take(&mut *made.lock().expect("no panics while holding it"));
    copy_static(root, &statics, &made, emit)?;
    Ok(rendered)
}

/// What became of the kept data files (`data::kept`): an error when one could not be read back
/// (the build is incomplete), a warning when the cache could not be written (only slower).
fn kept_data_outcome(kept: Option<(Result<(), Error>, std::io::Result<()>)>) -> Result<Option<Warning>, Errors> {
    let Some((emitted, written)) = kept else { return Ok(None) };
    emitted?;
    Ok(written.err().map(|e| {
        cache_warning(format!(
            "the data files cannot be kept in {} ({e}): they are made again on each build",
            data::CACHE_DIR
        ))
    }))
}

/// What became of the kept pages (`render::PageCache`): how many were read back and rendered;
/// a warning when the cache could not be written (the next build is only slower).
fn kept_pages_outcome(cache: Option<render::PageCache>, warnings: &mut Vec<Warning>) -> render::PageStats {
    let Some(cache) = cache else { return render::PageStats::default() };
    let (stats, written) = cache.finish();
    warnings.extend(written.err().map(|e| {
        cache_warning(format!(
            "the pages cannot be kept in {} ({e}): they are rendered again on each build",
            render::CACHE_DIR
        ))
    }));
    stats
}

/// A cache of `.mieruka-cache/` that cannot be used: said against site.toml (no line of content
/// is at fault), the build whole and only slower.
fn cache_warning(message: String) -> Warning {
    Warning { span: error::Span::file(Path::new("site.toml")), message, other: None }
}

/// Copies `static/` into the site byte for byte. A file at a path the site makes itself (a page,
/// a data file) is an error naming both, not a silent replacement.
fn copy_static(
    root: &Path,
    statics: &[load::StaticFile],
    made: &std::collections::HashSet<String>,
    emit: &(dyn Fn(output::Output) + Sync),
) -> Result<(), Errors> {
    let mut errors = Errors::default();
    for f in statics {
        let path = root.join("static").join(&f.path);
        let shown = PathBuf::from("static").join(&f.path);
        if made.contains(&f.path) {
            errors.push(static_collision(shown, &f.path));
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => emit(output::Output { path: f.path.clone(), bytes }),
            Err(e) => errors.push(Error::Io { path: shown, message: e.to_string() }),
        }
    }
    errors.into_result(())
}

/// A file of static/ at a path the site makes itself.
pub(crate) fn static_collision(shown: PathBuf, path: &str) -> Error {
    Error::Config {
        path: shown,
        message: format!("the site makes `{path}` itself (a page or a data file): rename or move this file"),
    }
}

/// Renders the whole site into memory, sorted by path (tests, tools).
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<Vec<output::Output>, Errors> {
    let outputs = std::sync::Mutex::new(Vec::new());
    let opts = BuildOptions {
        root: root.to_path_buf(),
        out: PathBuf::new(),
        base_url: base_url.map(str::to_string),
        deny_warnings: false,
        drafts: false,
    };
    render_site_into(&opts, &|o| outputs.lock().expect("no panics while holding it").push(o))?;
    let mut outputs = outputs.into_inner().expect("no panics while holding it");
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outputs)
}

/// Builds the site and swaps it into `out`. Files are written while pages are still being
/// rendered, by one writer thread, into a folder beside `out`.
pub fn build(opts: &BuildOptions) -> Result<Summary, Errors> {
    let mut profile = Profile::new();
    let mut rendered = Rendered::default();
    let keep = opts.root.join(write::KEPT_FILES);
    let written = write::write_site_with(&opts.out, Some(&keep), |emit| {
        rendered = render_site_into(opts, emit)?;
        Ok(())
    })?;
    profile.step("total");
    // Known only once the files are written; the site is whole, the next build only slower.
    rendered.warnings.extend(written.kept_files_trouble.map(|e| {
        cache_warning(format!(
            "the written files cannot be kept in {} ({e}): each build writes every file again",
            write::KEPT_FILES
        ))
    }));
    Ok(Summary { pages: written.pages, files: written.files, bytes: written.bytes, linked: written.linked, rendered })
}

/// Every step of a build but the write (`mieruka check`): the same errors and warnings, and
/// what would be published. Nothing is written.
pub fn check(opts: &BuildOptions) -> Result<Rendered, Errors> {
    render_site_into(opts, &|_| {})
}
