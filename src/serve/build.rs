//! The preview's build: the steps of `render_site_into` (lib.rs) with what a change leaves as
//! it was kept from the build before (docs/serve.md, "What a change rebuilds"):
//!
//! - parsed reports whose files did not change ([`LoadCache`]);
//! - checked reports ([`ModelCache`]) and a ward's series ([`LinkCache`]) while nothing
//!   their ward is made of changed (its own files, its city's, site.toml);
//! - the templates and the stylesheet, unless `templates/` or `assets/` changed;
//! - the data files of every ward whose content did not change ([`DataCache`]): a series
//!   and a report are made from their own ward (and city, and site.toml) only;
//! - pages: none is made by the build. A page is made when it is first asked for, with the
//!   pages made together with it, and kept until the next build. Every page is rendered at
//!   once by the first build and after a template change, and, for a site with templates of
//!   its own, in the background once changes settle ([`Site::render_rest`]): that finds the
//!   mistakes only rendering shows (a site's own template failing on some page).
//!
//! What spans wards is made anew each time from the kept parts: the comparison pages of a
//! city-wide indicator (made when asked for), observations.csv and datapackage.json.

use crate::config::SiteConfig;
use crate::data::{self, DataCache, Downloads};
use crate::error::{Error, Errors, Warning};
use crate::link::{self, LinkCache, Linked};
use crate::load::{self, LoadCache};
use crate::model::{self, ModelCache};
use crate::output::Output;
use crate::render::{Cx, Renderer, Templates};
use crate::urls::{self, Urls};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// What one build keeps for the next.
pub(super) struct Builder {
    root: PathBuf,
    load: LoadCache,
    model: ModelCache,
    link: LinkCache,
    data: DataCache,
    templates: Option<Arc<Templates>>,
    css: Option<(String, Arc<[u8]>)>,
    changes: Changes,
    /// The data files of the last good build: a ward's kept files are taken from here.
    last_data: Arc<HashMap<String, Arc<[u8]>>>,
    /// The files of static/ read so far (forgotten when anything in static/ changes).
    statics: HashMap<String, Arc<[u8]>>,
    /// Drafts are shown (`--drafts`).
    drafts: bool,
}

/// Counts the changes site-wide, per city and per ward: a ward's data files are kept while
/// the three counts it depends on stay the same.
#[derive(Default)]
struct Changes {
    site: u64,
    cities: HashMap<String, u64>,
    /// By city, then ward (looked up without allocating: this runs for every series).
    wards: HashMap<String, HashMap<String, u64>>,
}

impl Changes {
    fn note(&mut self, changed: &str) {
        match changed.split('/').collect::<Vec<_>>().as_slice() {
            // Data files do not depend on templates or the stylesheet.
            ["templates" | "assets", ..] => {}
            // ward.toml, a report folder or a file in one.
            ["content", city, ward, _, ..] => {
                *self.wards.entry((*city).to_string()).or_default().entry((*ward).to_string()).or_default() += 1;
            }
            // municipality.toml, policy.toml, or a ward folder made or removed.
            ["content", city, _] => *self.cities.entry((*city).to_string()).or_default() += 1,
            // site.toml, content/index.md, or a file of static/ (a report may name it as its
            // source document: every report is checked again).
            _ => self.site += 1,
        }
    }

    fn fingerprint(&self, city: &str, ward: &str) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        (self.site, self.cities.get(city), self.wards.get(city).and_then(|w| w.get(ward))).hash(&mut h);
        h.finish()
    }
}

/// Files by path.
type Files = HashMap<String, Arc<[u8]>>;

/// One build, its pages made as they are asked for.
pub(super) struct Site {
    parts: Parts,
    /// The data files and the stylesheet, by path.
    data: Arc<HashMap<String, Arc<[u8]>>>,
    /// The file of every page, sorted, when first needed (the sitemap, the page count).
    index: OnceLock<Vec<String>>,
    /// The pages made so far.
    pages: Mutex<HashMap<String, Arc<[u8]>>>,
    /// sitemap.xml, robots.txt and feed.xml, made when first asked for.
    discovery: OnceLock<HashMap<String, Arc<[u8]>>>,
    /// The search index (`pagefind/`), made when first asked for.
    search: OnceLock<Result<Files, String>>,
    /// Where the index is kept between builds, as `build` keeps it.
    search_cache: PathBuf,
}

/// What pages are made from: the linked site and where things are.
struct Parts {
    config: SiteConfig,
    site: model::Site,
    linked: Linked,
    urls: Urls,
    downloads: Downloads,
    templates: Arc<Templates>,
    css_path: String,
    feed: Option<&'static str>,
    /// Draws the preview images, through the same cache as `build` (docs/serve.md).
    images: Option<crate::images::Painter>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Builder {
    pub(super) fn new(root: PathBuf, drafts: bool) -> Builder {
        Builder {
            drafts,
            statics: HashMap::new(),
            root,
            load: LoadCache::default(),
            model: ModelCache::default(),
            link: LinkCache::default(),
            data: DataCache::default(),
            templates: None,
            css: None,
            changes: Changes::default(),
            last_data: Arc::default(),
        }
    }

    /// Notes files that changed (relative to the site root, with `/`).
    pub(super) fn note_changes(&mut self, changed: &[String]) {
        for c in changed {
            self.changes.note(c);
            if c.starts_with("templates") {
                self.templates = None;
            }
            if c.starts_with("assets") {
                self.css = None;
            }
            if c.starts_with("static") {
                self.statics.clear();
            }
        }
    }

    /// Forgets everything kept (after the watcher may have missed a change).
    pub(super) fn forget(&mut self) {
        *self = Builder::new(self.root.clone(), self.drafts);
    }

    /// Makes the next build load the templates again and render every page at once (after
    /// a page failed to render).
    pub(super) fn recheck_templates(&mut self) {
        self.templates = None;
    }

    /// Whether the next build renders every page at once: templates were (re)loaded, so
    /// their mistakes are found before the site is shown.
    pub(super) fn renders_all(&self) -> bool {
        self.templates.is_none()
    }

    /// Builds the site for `base_url`, as `render_site_into` does (the same errors and
    /// warnings), making no page yet.
    pub(super) fn build(&mut self, base_url: &str) -> Result<(Site, Vec<Warning>), Errors> {
        let mut profile = Profile::new();
        let root = self.root.clone();
        let mut config = SiteConfig::load(&root)?;
        config.set_base_url(base_url).map_err(|expected| Error::Config {
            path: PathBuf::from("--base-url"),
            message: format!("found `{base_url}`, expected {expected}"),
        })?;
        let (kept_templates, kept_css) = (self.templates.clone(), self.css.clone());
        let load_cache = &mut self.load;
        let ((loaded, mut errors), (templates, css)) = rayon::join(
            || load::load_cached(&root, load_cache),
            || {
                let templates = kept_templates.map_or_else(|| Templates::load(&root).map(Arc::new), Ok);
                let css = kept_css
                    .map_or_else(|| crate::write::stylesheet(&root).map(|o| (o.path, Arc::<[u8]>::from(o.bytes))), Ok);
                (templates, css)
            },
        );
        profile.step("load");
        let changes = &self.changes;
        let fingerprint = |c: &str, w: &str| changes.fingerprint(c, w);
        let markup = model::removed_markup(&loaded);
        let built = model::build_cached(&loaded, self.drafts, &self.model, &fingerprint);
        self.load.keep(loaded);
        profile.step("model");
        let (mut site, templates, css) = match (built, templates, css) {
            (Ok(site), Ok(templates), Ok(css)) if errors.is_empty() => (site, templates, css),
            (site, templates, css) => {
                errors.0.extend([site.err(), templates.err(), css.err()].into_iter().flatten().flat_map(|e| e.0));
                return Err(errors);
            }
        };
        self.templates = Some(templates.clone());
        self.css = Some(css.clone());
        let linked = link::link_cached(&site, &mut self.link, &fingerprint)?;
        profile.step("link");
        let mut warnings = load::unused_files(&root);
        warnings.extend(markup);
        warnings.extend(model::proofread(&site));
        warnings.extend(linked.warnings.iter().cloned());
        let site_toml = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
        let (images, image_warnings) = crate::images::painter(&root, &config.images, &site_toml)?;
        warnings.extend(image_warnings);
        let urls = Urls::new(&config);
        profile.step("warnings");

        let made = Mutex::new(HashMap::new());
        let emit = |o: Output| {
            lock(&made).insert(o.path, Arc::<[u8]>::from(o.bytes));
        };
        let downloads = data::build_cached(&config, &site, &linked, &urls, &emit, &self.data, &fingerprint);
        profile.step("data");
        let mut made = made.into_inner().unwrap_or_else(PoisonError::into_inner);
        let mut data: HashMap<String, Arc<[u8]>> = downloads
            .paths()
            .filter_map(|p| {
                let bytes = made.remove(p).or_else(|| self.last_data.get(p).cloned())?;
                Some((p.to_string(), bytes))
            })
            .collect();
        let (css_path, css_bytes) = css;
        data.insert(css_path.clone(), css_bytes);
        self.last_data = Arc::new(data.clone());

        let statics = std::mem::take(&mut site.statics);
        let feed = crate::discovery::has_feed(&site).then_some(urls::FEED);
        let parts = Parts { config, site, linked, urls, downloads, templates, css_path, feed, images };
        let mut site = Site {
            parts,
            data: Arc::default(),
            index: OnceLock::new(),
            pages: Mutex::default(),
            discovery: OnceLock::new(),
            search: OnceLock::new(),
            search_cache: self.root.join(crate::search::CACHE_DIR),
        };
        self.add_statics(&statics, &mut data, &site)?;
        site.data = Arc::new(data);
        profile.step("files");
        Ok((site, warnings))
    }

    /// Puts the files of static/ among the site's files, as `build` copies them (a file at a
    /// path the site makes itself is the same error). Read once, kept until static/ changes.
    fn add_statics(
        &mut self,
        statics: &[load::StaticFile],
        files: &mut HashMap<String, Arc<[u8]>>,
        site: &Site,
    ) -> Result<(), Errors> {
        if statics.is_empty() {
            return Ok(());
        }
        let pages: std::collections::HashSet<&String> = site.page_files().iter().collect();
        let mut errors = Errors::default();
        for f in statics {
            let shown = PathBuf::from("static").join(&f.path);
            if files.contains_key(&f.path) || pages.contains(&f.path) {
                errors.push(crate::static_collision(shown, &f.path));
                continue;
            }
            let bytes = match self.statics.get(&f.path) {
                Some(b) => b.clone(),
                None => match std::fs::read(self.root.join("static").join(&f.path)) {
                    Ok(b) => self.statics.entry(f.path.clone()).or_insert(b.into()).clone(),
                    Err(e) => {
                        errors.push(Error::Io { path: shown, message: e.to_string() });
                        continue;
                    }
                },
            };
            files.insert(f.path.clone(), bytes);
        }
        errors.into_result(())
    }
}

/// With `MIERUKA_PROFILE` set, each rebuild prints how long its steps took (docs/serve.md).
struct Profile(Option<std::time::Instant>);

impl Profile {
    fn new() -> Profile {
        Profile(std::env::var_os("MIERUKA_PROFILE").map(|_| std::time::Instant::now()))
    }

    fn step(&mut self, name: &str) {
        if let Some(last) = self.0 {
            eprintln!("profile: serve {name:<9} {:>7.1} ms", last.elapsed().as_secs_f64() * 1e3);
            self.0 = Some(std::time::Instant::now());
        }
    }
}

impl Parts {
    fn renderer(&self) -> Renderer<'_> {
        let cx = Cx {
            config: &self.config,
            site: &self.site,
            linked: &self.linked,
            urls: &self.urls,
            downloads: &self.downloads,
            feed: self.feed,
            images: self.images.as_ref(),
            entries: OnceLock::new(),
        };
        Renderer::new(cx, &self.templates, self.css_path.clone())
    }
}

impl Site {
    /// Whether pages not asked for are worth rendering in the background: only a site's own
    /// template may fail on some page of valid content (the built-in ones are rendered on every
    /// fixture by the test suite).
    pub(super) fn has_own_templates(&self) -> bool {
        self.parts.templates.has_own()
    }

    /// How many pages the site has.
    pub(super) fn page_count(&self) -> usize {
        self.page_files().len()
    }

    fn page_files(&self) -> &[String] {
        self.index.get_or_init(|| self.parts.renderer().page_files())
    }

    /// A file of the site by its path (`osaka/kita/2016/index.html`), a page made now if it
    /// was not yet; `Ok(None)` when the site has no such file. A page that fails to render
    /// gives its error.
    pub(super) fn file(&self, path: &str) -> Result<Option<Arc<[u8]>>, Errors> {
        if let Some(bytes) = self.data.get(path) {
            return Ok(Some(bytes.clone()));
        }
        if let Some(bytes) = lock(&self.pages).get(path) {
            return Ok(Some(bytes.clone()));
        }
        if let Some(outputs) = self.parts.renderer().render_file(path) {
            let outputs = outputs?;
            let mut pages = lock(&self.pages);
            let mut found = None;
            for o in outputs {
                let bytes: Arc<[u8]> = o.bytes.into();
                if o.path == path {
                    found = Some(bytes.clone());
                }
                pages.entry(o.path).or_insert(bytes);
            }
            return Ok(found);
        }
        if path.starts_with(crate::search::FOLDER) {
            return self.search().map(|files| files.get(path).cloned());
        }
        Ok(self.discovery().get(path).cloned())
    }

    /// The search index, as `build` makes it (from the linked site, not from the pages), on
    /// the first request for one of its files: a page that searches asks for it.
    fn search(&self) -> Result<&Files, Errors> {
        let made = self.search.get_or_init(|| {
            let p = &self.parts;
            if !p.config.search.enabled {
                return Ok(HashMap::new());
            }
            let records = crate::search::records(&p.site, &p.linked);
            let index = crate::search::index(&records, Some(&self.search_cache))?;
            Ok(index.files.into_iter().map(|o| (o.path, Arc::from(o.bytes))).collect())
        });
        made.as_ref().map_err(|message| Errors::from(Error::Search { message: message.clone() }))
    }

    fn discovery(&self) -> &HashMap<String, Arc<[u8]>> {
        self.discovery.get_or_init(|| {
            let p = &self.parts;
            crate::discovery::build(&p.config, &p.site, &p.linked, &p.urls, self.page_files())
                .into_iter()
                .map(|o| (o.path, Arc::from(o.bytes)))
                .collect()
        })
    }

    /// Makes every page not made yet, as `build` does (in parallel), until `stop` says so.
    pub(super) fn render_rest(&self, stop: &(dyn Fn() -> bool + Sync)) -> Result<(), Errors> {
        let emit = |o: Output| {
            lock(&self.pages).entry(o.path).or_insert_with(|| o.bytes.into());
        };
        self.parts.renderer().render_each_until(&emit, stop).map(drop)
    }

    /// Every file, made now (tests).
    #[cfg(test)]
    pub(super) fn all_files(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        // The pages with the files made with them (chart SVGs, preview images).
        self.render_rest(&|| false).unwrap();
        let made: Vec<String> = lock(&self.pages).keys().cloned().collect();
        let mut paths: Vec<String> = self.data.keys().chain(self.page_files()).chain(&made).cloned().collect();
        paths.extend(self.discovery().keys().cloned());
        paths.extend(self.search().unwrap().keys().cloned());
        paths.into_iter().map(|p| (p.clone(), self.file(&p).unwrap().unwrap().to_vec())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const BASE: &str = "http://127.0.0.1:1111/kusei/hyoka/";

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    /// The site as `render_site` makes it (what `build` writes).
    fn expected(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        crate::render_site(root, Some(BASE)).unwrap().into_iter().map(|o| (o.path, o.bytes)).collect()
    }

    fn assert_same(builder: &mut Builder, root: &Path, what: &str) {
        let (site, _) = builder.build(BASE).unwrap();
        let got = site.all_files();
        let want = expected(root);
        let differ: Vec<&String> =
            want.keys().chain(got.keys()).filter(|k| got.get(*k) != want.get(*k)).take(10).collect();
        assert!(differ.is_empty(), "{what}: the preview differs from a build in {differ:?}");
    }

    fn edit(root: &Path, file: &str, from: &str, to: &str, builder: &mut Builder) {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        builder.note_changes(&[file.to_string()]);
    }

    #[test]
    fn a_path_no_page_has_is_none() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series");
        let (site, _) = Builder::new(root, false).build(BASE).unwrap();
        for path in [
            "testshi/ward1/2099/index.html",
            "testshi/ward9/index.html",
            "testshi/ward1/2018/goals/9-9/index.html",
            "testshi/ward1/2018/initiatives/none/index.html",
            "testshi/ward1/indicators/none/index.html",
            "testshi/ward1/indicators/none/embed/index.html",
            "testshi/indicators/none/index.html",
            "testshi/ward1/2018/goals/index.html",
            // A ward's first report has no what-changed page; no status has these slugs.
            "testshi/ward1/2016/changes/index.html",
            "testshi/status/none/index.html",
            "status/index/index.html",
            "nowhere/status/index.html",
            "index.htm",
            "a/b/c/d/e/f/index.html",
            "testshi/ward1/indicators/none/chart.svg",
            "testshi/ward1/2018/chart.svg",
            "testshi/indicators/chiiki-manzoku/chart-2099.svg",
            "testshi/indicators/chiiki-manzoku/chart-x.svg",
        ] {
            assert!(site.file(path).unwrap().is_none(), "{path}");
        }
        for path in [
            "testshi/ward1/2018/index.html",
            "testshi/ward1/2017/changes/index.html",
            "status/index.html",
            "status/rated-a/index.html",
            "testshi/status/index.html",
            "testshi/status/on-track/index.html",
        ] {
            assert!(site.file(path).unwrap().is_some(), "{path}");
        }
    }

    /// A page's own files asked for before the page (a link preview fetching `og:image`): made
    /// with their page, the same bytes as `build` writes.
    #[test]
    fn a_chart_file_or_preview_image_is_made_with_its_page_when_asked_for() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series");
        let want = expected(&root);
        let (site, _) = Builder::new(root, false).build(BASE).unwrap();
        for path in [
            "testshi/ward1/2018/preview.png",
            "testshi/ward1/indicators/chiiki-manzoku/preview.png",
            "testshi/ward1/indicators/chiiki-manzoku/chart.svg",
            "testshi/indicators/chiiki-manzoku/chart-2016.svg",
        ] {
            let got = site.file(path).unwrap().unwrap_or_else(|| panic!("{path}: none"));
            assert_eq!(Some(&got.to_vec()), want.get(path), "{path}");
        }
    }

    /// A site's own template that fails on a page: the build (which makes no page) succeeds,
    /// and the failure shows where pages are made, as `build` would report it.
    #[test]
    fn a_failing_template_of_the_site_fails_where_pages_are_made() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"), root);
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("templates/initiative.html"), "{{ page.no_such_field }}").unwrap();
        let (site, _) = Builder::new(root.to_path_buf(), false).build(BASE).unwrap();
        assert!(site.has_own_templates());
        let error = site.render_rest(&|| false).unwrap_err().to_string();
        assert!(error.contains("templates/initiative.html"), "{error}");
        let page = site.file("testshi/daiichi/2016/initiatives/1-1-1/index.html");
        assert!(page.is_err(), "the page asked for shows the error");
        assert!(site.file("testshi/daiichi/2016/index.html").unwrap().is_some(), "other pages are made");
    }

    /// Every file of the preview, after each kind of change, is byte for byte what a build
    /// makes of the same content: the kept parts are exactly those a change leaves alone.
    #[test]
    fn the_preview_after_each_change_is_what_a_build_makes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/series"), root);
        let mut builder = Builder::new(root.to_path_buf(), false);
        assert_same(&mut builder, root, "first build");
        // The latest report of ward1: a value of a city-wide indicator (its comparison page
        // spans the wards), then a ward's name, the city's, the site's title, a template.
        let report = "content/testshi/ward1/2018/report.toml";
        edit(root, report, "value = \"30.0％\"", "value = \"32.5％\"", &mut builder);
        assert_same(&mut builder, root, "a value in one report");
        assert_eq!(builder.load.parsed(), 1, "only the changed report is parsed again");
        edit(root, "content/testshi/ward2/ward.toml", "name = \"第二区\"", "name = \"第二新区\"", &mut builder);
        assert_same(&mut builder, root, "a ward's name");
        edit(root, "content/testshi/municipality.toml", "name = \"テスト市\"", "name = \"新テスト市\"", &mut builder);
        assert_same(&mut builder, root, "the city's name");
        edit(root, "site.toml", "title = \"", "title = \"新", &mut builder);
        assert_same(&mut builder, root, "the site title");
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let footer =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/footer.html")).unwrap();
        std::fs::write(root.join("templates/footer.html"), format!("{footer}<!-- own footer -->")).unwrap();
        builder.note_changes(&["templates/footer.html".to_string()]);
        assert!(builder.renders_all(), "templates changed: every page is rendered at once");
        assert_same(&mut builder, root, "a template of the site's own");
        let source = "static/sources/synthetic-ward1-2018.txt";
        std::fs::write(root.join(source), "改訂した原本\n").unwrap();
        builder.note_changes(&[source.to_string()]);
        assert_same(&mut builder, root, "a file of static/");
        std::fs::remove_file(root.join(source)).unwrap();
        builder.note_changes(&[source.to_string()]);
        let error = builder.build(BASE).map(drop).unwrap_err().to_string();
        assert!(error.contains("synthetic-ward1-2018.txt"), "a report's source gone from static/: {error}");
    }

    /// The real site: its statement, checklist and published source document as `build` makes them.
    #[test]
    fn the_preview_of_the_real_site_is_what_a_build_makes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut builder = Builder::new(root.to_path_buf(), false);
        assert_same(&mut builder, root, "the real site");
        let (site, _) = builder.build(BASE).unwrap();
        for file in ["accessibility/index.html", "accessibility/checklist/index.html"] {
            assert!(site.file(file).unwrap().is_some(), "{file}");
        }
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// Rebuild times after one-value edits of one report, in process (no server, no watcher):
    /// `MIERUKA_BENCH_ROOT=/tmp/corpus MIERUKA_PROFILE=1 cargo test --release --lib -- --ignored
    /// --nocapture rebuild_times` (docs/serve.md).
    #[test]
    #[ignore = "a measurement on a benchmark corpus, not a test"]
    fn rebuild_times() {
        let root = PathBuf::from(std::env::var("MIERUKA_BENCH_ROOT").expect("MIERUKA_BENCH_ROOT"));
        let ward = root.join("content/bench/ku01");
        let mut years: Vec<_> = std::fs::read_dir(&ward).unwrap().map(|e| e.unwrap().file_name()).collect();
        years.sort();
        let year = years.iter().rev().find(|y| ward.join(y).is_dir()).unwrap().to_string_lossy().into_owned();
        let file = format!("content/bench/ku01/{year}/report.toml");
        let original = std::fs::read_to_string(root.join(&file)).unwrap();
        let line = original.lines().find(|l| l.starts_with("value = \"") && l.ends_with("％\"")).unwrap();
        let mut builder = Builder::new(root.clone(), false);
        builder.build("http://127.0.0.1:1111/").unwrap();
        for i in 0..10 {
            std::fs::write(root.join(&file), original.replacen(line, &format!("value = \"{i}.5％\""), 1)).unwrap();
            builder.note_changes(std::slice::from_ref(&file));
            let started = std::time::Instant::now();
            let (site, _) = builder.build("http://127.0.0.1:1111/").unwrap();
            let built = started.elapsed();
            site.file(&format!("bench/ku01/{year}/index.html")).unwrap().unwrap();
            eprintln!(
                "rebuild {:.1} ms, + page {:.1} ms",
                built.as_secs_f64() * 1e3,
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        std::fs::write(root.join(&file), original).unwrap();
    }
}
