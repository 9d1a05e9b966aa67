//! Pages to bytes. Each page kind is a module of [`pages`]: a plain function from the linked
//! site ([`Cx`]) to typed views ([`Page`]); this module lists the pages to make ([`Job`]),
//! gives each view the parts every page shares (head, breadcrumbs, footer, legend) and renders
//! it with its [`Template`], in parallel. Nothing here touches the disk.

pub mod cite;
pub mod components;
mod kept;
mod pages;
pub mod sparkline;
pub mod svg;
pub mod template;

use crate::config::SiteConfig;
use crate::data::{DownloadLink, Downloads};
use crate::error::{Error, Errors};
use crate::link::{Linked, Series};
use crate::model::{City, IndicatorId, Initiative, ReportIn, Site, Ward};
use crate::output::Output;
use crate::overview::Standing;
use crate::text::date_ja;
use crate::urls::{self, Urls};
use components::{Card, Crumb, MeasurementView};
use kept::KeyHasher;
pub use kept::{CACHE_DIR, PageCache, PageStats};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
pub use template::{Template, Templates, print_template_times};

/// What every page view reads: the linked site and where things are.
pub struct Cx<'a> {
    pub config: &'a SiteConfig,
    pub site: &'a Site,
    pub linked: &'a Linked,
    pub urls: &'a Urls,
    /// Sizes of the data files (made before the pages), for download links.
    pub downloads: &'a Downloads,
    /// Site-relative path of the Atom feed, when one is written.
    pub feed: Option<&'static str>,
    /// Draws the preview images (`og:image`); `None` when they are off or there is no font.
    pub images: Option<&'a crate::images::Painter>,
    /// Every report's indicators ([`crate::overview::entries`]), made once for the pages that
    /// go through many reports (ward, status: `Cx::entries`).
    pub entries: std::sync::OnceLock<Vec<(ReportIn<'a>, Vec<crate::overview::Entry<'a>>)>>,
}

impl<'a> Cx<'a> {
    /// Every report with its indicators, in the site's order; made on first use.
    pub fn entries(&self) -> &[(ReportIn<'a>, Vec<crate::overview::Entry<'a>>)] {
        let (site, linked): (&'a Site, &'a Linked) = (self.site, self.linked);
        self.entries.get_or_init(|| {
            let reports: Vec<ReportIn<'a>> = site.reports().collect();
            reports.into_par_iter().map(|at| (at, crate::overview::entries(linked, at))).collect()
        })
    }

    /// The indicators of one report (`Cx::entries`).
    pub fn entries_of(&self, at: ReportIn) -> &[crate::overview::Entry<'a>] {
        let found = self.entries().iter().find(|(r, _)| std::ptr::eq(r.report, at.report));
        found.map_or(&[], |(_, list)| list.as_slice())
    }

    /// Breadcrumbs from the home page through `items` (name, site-relative path).
    pub fn crumbs(&self, items: &[(&str, &str)]) -> Vec<Crumb> {
        let mut v = vec![Crumb { name: "ホーム".into(), url: self.urls.link(""), full: None }];
        v.extend(items.iter().map(|(n, p)| Crumb { name: (*n).to_string(), url: self.urls.link(p), full: None }));
        v
    }

    /// Breadcrumbs through `items` to a page named `name`, shortened to 30 characters (a
    /// breadcrumb trail is a line, not a paragraph) with the whole name for screen readers.
    pub fn crumbs_to(&self, items: &[(&str, &str)], name: &str, path: &str) -> Vec<Crumb> {
        let mut v = self.crumbs(items);
        let short = crate::text::summary(name, 30);
        v.push(Crumb { full: (short != name).then(|| name.to_string()), name: short, url: self.urls.link(path) });
        v
    }

    /// The breadcrumbs of a report page and of the pages under it.
    pub fn report_crumbs(&self, at: ReportIn, below: Option<(&str, &str)>) -> Vec<Crumb> {
        let (c, w, fy) = (&at.city.id, &at.ward.id, at.report.fiscal_year);
        let (city, ward, report) = (urls::city(c), urls::ward(c, w), urls::report(c, w, fy));
        let year = fy.label();
        let mut items = vec![(at.city.name.as_str(), city.as_str()), (at.ward.name.as_str(), ward.as_str())];
        items.push((year.as_str(), report.as_str()));
        items.extend(below);
        self.crumbs(&items)
    }

    /// A chart as an SVG file of its own (`path`, site-relative) and the link to it:
    /// 「グラフをSVG形式で保存（4KB）」, after `what` (e.g. the year) when given. `desc` says
    /// what a chart without `<desc>` shows.
    pub fn chart_file(&self, path: String, chart: &str, what: &str, desc: Option<&str>) -> (ChartFile, Output) {
        let bytes = crate::images::standalone::document(chart, desc).into_bytes();
        let link = ChartFile {
            url: self.urls.link(&path),
            text: format!("{what}グラフをSVG形式で保存（{}）", crate::data::size_label(bytes.len())),
        };
        (link, Output { path, bytes })
    }

    /// The preview image of the page at `page` (`card`): its file and how the head names it,
    /// or `None` without a painter (images off, no font) or when it cannot be drawn.
    pub fn preview(&self, page: &str, card: &crate::images::card::Card, alt: String) -> Option<(PreviewImage, Output)> {
        let painter = self.images?;
        let bytes = painter.png(page, card)?;
        let path = urls::preview_image(page);
        let (width, height) = (crate::images::card::WIDTH, crate::images::card::HEIGHT);
        Some((PreviewImage { url: self.urls.absolute(&path), width, height, alt }, Output { path, bytes }))
    }

    /// The report's data files (its goals' and initiatives' pages offer them too).
    pub fn report_downloads(&self, at: ReportIn) -> Vec<DownloadLink> {
        let (c, w, fy) = (&at.city.id, &at.ward.id, at.report.fiscal_year);
        self.downloads.links(self.urls, &[urls::report_csv(c, w, fy), urls::report_json(c, w, fy)])
    }
}

/// The `<head>` and header of a page: what its layout needs besides the page's own view.
#[derive(Debug, Default)]
pub struct Head {
    /// The page's own title (the site's is added after it, except on the home page).
    pub title: String,
    /// The meta description; the site's description when empty.
    pub description: components::Description,
    pub crumbs: Vec<Crumb>,
    /// The date the page's data was published or updated (ISO).
    pub updated: Option<String>,
    /// schema.org JSON-LD, ready for its script element.
    pub json_ld: Option<String>,
    /// The permanent URL when it is not the page's own (a moved page points to the new one).
    pub canonical: Option<String>,
    /// A page of a draft report (shown only with `--drafts`): a 下書き banner says so.
    pub draft: bool,
    /// The report's source document, named at the foot of each of its goal and initiative pages.
    pub source: Option<components::SourceLink>,
    /// The page's preview image (`og:image`), when one was drawn.
    pub image: Option<PreviewImage>,
}

/// The link to a chart's SVG file.
#[derive(Debug, Clone, Serialize)]
pub struct ChartFile {
    pub url: String,
    /// 「グラフをSVG形式で保存（4KB）」
    pub text: String,
}

/// A preview image as the page's head names it.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewImage {
    /// Absolute URL (as Open Graph asks).
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// What the image shows, in words (`og:image:alt`).
    pub alt: String,
}

/// One page's view: its template, where it goes, its head (`None` for a page without the
/// layout, such as an embed) and what its template reads as `page`.
pub struct Page {
    pub template: Template,
    /// Site-relative URL path (`osaka/kita/2016/`), or a file name (`404.html`).
    pub path: String,
    pub head: Option<Head>,
    view: Box<dyn View>,
    /// Values made once and shared by several pages, added to the view's ([`Page::with_field`]).
    fields: Vec<(&'static str, tera::Value)>,
    /// Files made with the page (its chart as SVG, its preview image), written beside it.
    pub files: Vec<Output>,
}

/// What a template reads as `page`: fed to a page's key as it is, made into Tera's values only
/// when the page is rendered (a page read back from the cache never has them made).
trait View {
    fn key(&self, key: &mut KeyHasher, name: &str) -> Option<()>;
    fn value(&self) -> tera::Value;
}

/// A view kept as it is until the page is rendered.
struct Lazy<T>(T);

impl<T: Serialize> View for Lazy<T> {
    fn key(&self, key: &mut KeyHasher, name: &str) -> Option<()> {
        key.view(name, &self.0)
    }
    fn value(&self) -> tera::Value {
        tera::Value::from_serializable(&self.0)
    }
}

/// A view made into Tera's values at once (one that borrows what it shows).
struct Made(tera::Value);

impl View for Made {
    fn key(&self, key: &mut KeyHasher, name: &str) -> Option<()> {
        key.value(name, &self.0)
    }
    fn value(&self) -> tera::Value {
        self.0.clone()
    }
}

impl Page {
    /// A page whose view is made into Tera's values at once.
    pub fn new(template: Template, path: String, head: Head, body: &impl Serialize) -> Page {
        Page::of_value(template, path, Some(head), tera::Value::from_serializable(body))
    }

    /// A page whose view is kept until it is rendered: a page read back from the cache never
    /// has its values made.
    pub fn lazy(template: Template, path: String, head: Head, body: impl Serialize + 'static) -> Page {
        Page { template, path, head: Some(head), view: Box::new(Lazy(body)), fields: Vec::new(), files: Vec::new() }
    }

    pub fn of_value(template: Template, path: String, head: Option<Head>, body: tera::Value) -> Page {
        Page { template, path, head, view: Box::new(Made(body)), fields: Vec::new(), files: Vec::new() }
    }

    /// The view with one more field, `name` = `value`: a value made once and shared by
    /// several pages (Tera's values are reference-counted).
    #[must_use]
    pub fn with_field(mut self, name: &'static str, value: tera::Value) -> Page {
        self.fields.push((name, value));
        self
    }

    /// What the template reads as `page`.
    fn value(&self) -> tera::Value {
        let value = self.view.value();
        if self.fields.is_empty() {
            return value;
        }
        let mut map = value.into_map().expect("a page view is a struct");
        for (name, field) in &self.fields {
            map.insert((*name).into(), field.clone());
        }
        tera::Value::from(map)
    }

    /// Feeds what the template reads as `page` to `key`.
    fn key(&self, key: &mut KeyHasher) -> Option<()> {
        self.view.key(key, "page")?;
        for (name, field) in &self.fields {
            key.value(name, field)?;
        }
        Some(())
    }
}

/// `page` with its footer where [`FOOTER_MARK`] is, the footer's codes kept on one line as the
/// page's are; `None` unless the mark is there exactly once.
fn with_footer(page: &[u8], footer: &str) -> Option<Vec<u8>> {
    let mut marks = memchr::memmem::find_iter(page, FOOTER_MARK.as_bytes());
    let at = marks.next()?;
    if marks.next().is_some() {
        return None;
    }
    let footer = crate::text::nowrap_codes_in_page(footer.as_bytes().to_vec());
    let mut bytes = Vec::with_capacity(page.len() + footer.len());
    bytes.extend_from_slice(&page[..at]);
    bytes.extend_from_slice(&footer);
    bytes.extend_from_slice(&page[at + FOOTER_MARK.len()..]);
    Some(bytes)
}

/// The indicator cards (measurement.html), rendered once and shown on every page that lists
/// the indicator; read back from the page cache when an earlier build rendered the same card.
pub struct Cards<'a> {
    templates: &'a Templates,
    kept: Option<&'a PageCache>,
}

impl Cards<'_> {
    pub fn card(&self, m: &MeasurementView) -> Result<Card, Error> {
        let template = Template::Measurement;
        let key = self.kept.and_then(|kept| {
            let mut key = kept.key_of(template.file_name());
            key.view("m", m)?;
            Some((kept, key.finish()))
        });
        // A kept card is what Tera wrote: UTF-8 unless the cache was damaged (then rendered).
        if let Some(html) = key.and_then(|(kept, key)| String::from_utf8(kept.get_part(&key)?).ok()) {
            return Ok(Card { anchor: m.anchor.clone(), html });
        }
        let mut ctx = tera::Context::new();
        ctx.insert("m", m);
        let html = self.templates.render(template, &ctx)?;
        if let Some((kept, key)) = key {
            kept.put_part(key, &html);
        }
        // Tera writes only what it was given as text, so its output is UTF-8.
        Ok(Card { anchor: m.anchor.clone(), html: String::from_utf8(html).expect("Tera writes UTF-8") })
    }

    pub fn cards(&self, views: &[MeasurementView]) -> Result<Vec<Card>, Error> {
        views.iter().map(|m| self.card(m)).collect()
    }
}

/// One unit of work: the pages made together because they share views.
enum Job<'a> {
    Home,
    City(&'a City),
    Ward(&'a City, &'a Ward),
    /// A report page with its goal pages (they share the goals' views and cards).
    Report(ReportIn<'a>),
    Initiative(ReportIn<'a>, &'a Initiative),
    /// A series' page and its chart alone (for an `<iframe>`).
    Series(&'a City, &'a Ward, &'a Series),
    /// The page at a renamed indicator's old id: points to the current one.
    Moved(&'a City, &'a Ward, &'a IndicatorId, &'a Series),
    Comparison(&'a City, &'a IndicatorId),
    /// What changed in a report since the ward's previous one (a report that has one).
    Changes(ReportIn<'a>),
    /// 進捗状況の一覧 of a city, or of the whole site (`None`).
    Status(Option<&'a City>),
    /// The list of the indicators in one status or rating, of a city or of the whole site.
    StatusList(Option<&'a City>, Standing),
    Method,
    /// The statement, made last: it counts the pages made before it (`render_each`).
    Accessibility(usize),
    Checklist,
    Search,
    NotFound,
}

/// Renders page views with their templates.
pub struct Renderer<'a> {
    pub cx: Cx<'a>,
    pub templates: &'a Templates,
    /// Site-relative path of the stylesheet (content-hashed by `write`).
    pub css_path: String,
    /// footer.html by data-updated date: the footer is the same on every page with that date.
    footers: Mutex<HashMap<Option<String>, Arc<str>>>,
    /// Pages kept between builds, when the build keeps them.
    kept: Option<&'a PageCache>,
}

/// Where a kept page's footer goes: printed by base.html in its place, replaced after rendering.
const FOOTER_MARK: &str = "<!-- mieruka: footer -->";

/// What every page shares (head, header, breadcrumbs) and its footer, made once. Site-wide
/// footer values (licence, publisher, links) are footer.html's (`SiteFooter`).
#[derive(Debug, Serialize)]
struct Common<'a> {
    site_title: &'a str,
    base: &'a str,
    lang: &'static str,
    title: String,
    description: components::Description,
    canonical: String,
    path: &'a str,
    breadcrumbs: Vec<Crumb>,
    css: String,
    /// (ISO date, Japanese date).
    updated: Option<(String, String)>,
    method_url: String,
    json_ld: Option<String>,
    /// schema.org `BreadcrumbList` of the breadcrumbs shown (every page that shows some).
    breadcrumbs_json_ld: String,
    /// The Atom feed (`<link rel="alternate">`), when there is one.
    feed_url: Option<String>,
    /// The search page, where the header's search form leads (when search is on).
    search_url: Option<String>,
    /// footer.html rendered for this page's `updated` date (see `Renderer::footer`).
    footer: Arc<str>,
    /// A page of a draft report: base.html shows the 下書き banner.
    draft: bool,
    source: Option<components::SourceLink>,
    /// The preview image (`og:image`), when the page has one.
    image: Option<PreviewImage>,
}

/// What footer.html may show: site-wide values only (it is shared by many pages).
#[derive(Debug, Serialize)]
struct SiteFooter<'a> {
    site_title: &'a str,
    base: &'a str,
    licence: Option<&'a crate::config::Licence>,
    publisher: &'a str,
    accessibility_url: String,
    method_url: String,
    feed_url: Option<String>,
    /// Site-wide data files: observations.csv, indicators.json and datapackage.json.
    site_data: Vec<DownloadLink>,
    /// Every data file in one zip (「すべてのデータ（ZIP、123KB）」).
    all_data: Option<DownloadLink>,
    /// The attribution a reuser writes and the note for edited data (from the licence).
    licence_terms: Vec<String>,
}

impl<'a> Renderer<'a> {
    pub fn new(cx: Cx<'a>, templates: &'a Templates, css_path: String) -> Renderer<'a> {
        Renderer { cx, templates, css_path, footers: Mutex::default(), kept: None }
    }

    /// The renderer reading pages back from `kept` and keeping those it renders.
    #[must_use]
    pub fn keeping(self, kept: Option<&'a PageCache>) -> Renderer<'a> {
        Renderer { kept, ..self }
    }

    /// Every page to make, in no particular order (outputs are sorted by path later).
    fn jobs(&self) -> Vec<Job<'a>> {
        Template::ALL.into_iter().flat_map(|t| self.jobs_of(t)).collect()
    }

    /// The jobs that make the pages of one template. A new template must say here which
    /// pages it makes (the match has no catch-all).
    fn jobs_of(&self, template: Template) -> Vec<Job<'a>> {
        let site = self.cx.site;
        let reports = || site.reports();
        let series = || {
            self.cx.linked.series.values().map(move |s| {
                let (city, ward) = site.ward(&s.city, &s.ward).expect("a series of a known ward");
                (city, ward, s)
            })
        };
        match template {
            Template::Home => vec![Job::Home],
            Template::City => site.cities.iter().map(Job::City).collect(),
            Template::Ward => site.cities.iter().flat_map(|c| c.wards.iter().map(move |w| Job::Ward(c, w))).collect(),
            // A report's goal pages are made with it: they share the goals' views and cards.
            Template::Report => reports().map(Job::Report).collect(),
            Template::Initiative => {
                reports().flat_map(|at| at.report.initiatives.iter().map(move |i| Job::Initiative(at, i))).collect()
            }
            // A series' embed page is made with it: they share the chart and the citation.
            Template::Series => series().map(|(c, w, s)| Job::Series(c, w, s)).collect(),
            Template::Moved => {
                series().flat_map(|(c, w, s)| s.former_ids.iter().map(move |old| Job::Moved(c, w, old, s))).collect()
            }
            Template::Comparison => {
                site.cities.iter().flat_map(|c| c.indicators.keys().map(move |id| Job::Comparison(c, id))).collect()
            }
            Template::Changes => reports()
                .filter(|at| crate::overview::previous_report(at.ward, at.report).is_some())
                .map(Job::Changes)
                .collect(),
            Template::Status => std::iter::once(None).chain(site.cities.iter().map(Some)).map(Job::Status).collect(),
            Template::StatusList => std::iter::once(None)
                .chain(site.cities.iter().map(Some))
                .flat_map(|c| Standing::ALL.into_iter().map(move |s| Job::StatusList(c, s)))
                .collect(),
            Template::Method => vec![Job::Method],
            // The checklist is published with the statement it backs.
            Template::Checklist => {
                let cfg = self.cx.config;
                cfg.checklist.iter().filter(|_| cfg.accessibility.is_some()).map(|_| Job::Checklist).collect()
            }
            Template::Search => self.cx.config.search.enabled.then_some(Job::Search).into_iter().collect(),
            Template::NotFound => vec![Job::NotFound],
            // Pages made by another template's job (goal, embed), the statement (made by
            // `render_each` once the others are made: it says how many there are), and parts of pages.
            Template::Accessibility
            | Template::Goal
            | Template::Embed
            | Template::Base
            | Template::Components
            | Template::Measurement
            | Template::Footer => Vec::new(),
        }
    }

    /// The views of one job's pages.
    fn views(&self, job: &Job) -> Result<Vec<Page>, Error> {
        let cx = &self.cx;
        let cards = Cards { templates: self.templates, kept: self.kept };
        Ok(match *job {
            Job::Home => vec![pages::home::view(cx)],
            Job::City(c) => vec![pages::city::view(cx, c)],
            Job::Ward(c, w) => vec![pages::ward::view(cx, c, w)],
            Job::Report(at) => pages::report::views(cx, &cards, at)?,
            Job::Initiative(at, i) => vec![pages::initiative::view(cx, &cards, at, i)?],
            Job::Series(c, w, s) => pages::series::views(cx, c, w, s),
            Job::Moved(c, w, old, s) => vec![pages::moved::view(cx, c, w, old, s)],
            Job::Comparison(c, id) => vec![pages::comparison::view(cx, c, id)],
            Job::Changes(at) => pages::changes::view(cx, at).into_iter().collect(),
            Job::Status(c) => vec![pages::status::summary(cx, c)],
            Job::StatusList(c, s) => vec![pages::status::list(cx, c, s)],
            Job::Method => vec![pages::method::view(cx)],
            Job::Accessibility(count) => vec![pages::accessibility::view(cx, count)],
            Job::Checklist => pages::accessibility::checklist(cx).into_iter().collect(),
            Job::Search => vec![pages::search::view(cx)],
            Job::NotFound => vec![pages::not_found::view(cx)],
        })
    }

    /// The URL paths of a job's pages, as [`Renderer::views`] gives them, without making them.
    fn job_paths(job: &Job) -> Vec<String> {
        match *job {
            Job::Home => vec![urls::home()],
            Job::City(c) => vec![urls::city(&c.id)],
            Job::Ward(c, w) => vec![urls::ward(&c.id, &w.id)],
            Job::Report(at) => {
                let (c, w, fy) = (&at.city.id, &at.ward.id, at.report.fiscal_year);
                let mut paths: Vec<String> = at.report.goals.iter().map(|g| urls::goal(c, w, fy, &g.id)).collect();
                paths.push(urls::report(c, w, fy));
                paths
            }
            Job::Initiative(at, i) => vec![urls::initiative(&at.city.id, &at.ward.id, at.report.fiscal_year, &i.id)],
            Job::Series(c, w, s) => {
                vec![urls::series(&c.id, &w.id, &s.indicator.id), urls::series_embed(&c.id, &w.id, &s.indicator.id)]
            }
            Job::Moved(c, w, old, _) => vec![urls::series(&c.id, &w.id, old)],
            Job::Comparison(c, id) => vec![urls::comparison(&c.id, id)],
            // Only a report with a previous one has the page.
            Job::Changes(at) => crate::overview::previous_report(at.ward, at.report)
                .map(|_| urls::changes(&at.city.id, &at.ward.id, at.report.fiscal_year))
                .into_iter()
                .collect(),
            Job::Status(c) => vec![urls::status(c.map(|c| &c.id))],
            Job::StatusList(c, s) => vec![urls::status_list(c.map(|c| &c.id), s.slug())],
            Job::Method => vec![urls::METHOD.into()],
            Job::Accessibility(_) => vec![urls::ACCESSIBILITY.into()],
            Job::Checklist => vec![urls::ACCESSIBILITY_CHECKLIST.into()],
            Job::Search => vec![urls::SEARCH.into()],
            Job::NotFound => vec![urls::NOT_FOUND.into()],
        }
    }

    /// The file of every page (`osaka/kita/2016/index.html`, `404.html`), sorted, without
    /// making any.
    pub fn page_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .jobs()
            .par_iter()
            .flat_map_iter(|job| Self::job_paths(job).into_iter().map(|p| urls::file_of(&p)))
            .collect();
        // The statement, made after the others by `render_each`.
        files.push(urls::file_of(urls::ACCESSIBILITY));
        files.sort();
        files
    }

    /// The job that makes the page written to `file` (`osaka/kita/2016/goals/1-1/index.html`),
    /// found from the URL scheme without listing every job. Checked against
    /// [`Renderer::job_paths`], so it is never a job that does not make that page.
    fn job_of_file(&self, file: &str) -> Option<Job<'a>> {
        let (site, linked) = (self.cx.site, self.cx.linked);
        if file == urls::NOT_FOUND {
            return Some(Job::NotFound);
        }
        // A page's own files (its chart as SVG, its preview image) are made with it.
        let dir = file.strip_suffix("index.html").or_else(|| {
            let (dir, name) = file.rsplit_once('/')?;
            let year = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit());
            let own = name == "chart.svg"
                || name == "preview.png"
                || name.strip_prefix("chart-").and_then(|n| n.strip_suffix(".svg")).is_some_and(year);
            own.then(|| &file[..=dir.len()])
        })?;
        let page = format!("{dir}index.html");
        let report = |c: &str, w: &str, y: &str| {
            let (city, ward) = site.ward(c, w)?;
            let report = ward.reports.iter().find(|r| r.fiscal_year.western().to_string() == y)?;
            Some(ReportIn { city, ward, report })
        };
        let parts: Vec<&str> = dir.strip_suffix('/').map(|d| d.split('/').collect()).unwrap_or_default();
        let job = match (dir, parts.as_slice()) {
            ("", _) => Job::Home,
            (urls::METHOD, _) => Job::Method,
            // It says how many pages the site has, itself included.
            (urls::ACCESSIBILITY, _) => Job::Accessibility(self.page_files().len()),
            (urls::ACCESSIBILITY_CHECKLIST, _) => self.jobs_of(Template::Checklist).pop()?,
            (urls::SEARCH, _) => self.jobs_of(Template::Search).pop()?,
            // `status` is no city's nor ward's id (model::check reserves it).
            (_, ["status"]) => Job::Status(None),
            (_, ["status", slug]) => Job::StatusList(None, Standing::from_slug(slug)?),
            (_, [c, "status"]) => Job::Status(Some(site.city(c)?)),
            (_, [c, "status", slug]) => Job::StatusList(Some(site.city(c)?), Standing::from_slug(slug)?),
            (_, [c]) => Job::City(site.city(c)?),
            (_, [c, "indicators", id]) => {
                let city = site.city(c)?;
                Job::Comparison(city, city.indicators.get_key_value(*id)?.0)
            }
            (_, [c, w]) => {
                let (city, ward) = site.ward(c, w)?;
                Job::Ward(city, ward)
            }
            (_, [c, w, "indicators", id] | [c, w, "indicators", id, "embed"]) => {
                let (city, ward) = site.ward(c, w)?;
                let key = |indicator: &str| crate::model::SeriesKey {
                    city: city.id.clone(),
                    ward: ward.id.clone(),
                    indicator: IndicatorId::new(indicator),
                };
                if let Some(s) = linked.series.get(&key(id)) {
                    Job::Series(city, ward, s)
                } else {
                    let s = linked.series.get(&key(linked.renamed.get(&key(id))?.as_str()))?;
                    Job::Moved(city, ward, s.former_ids.iter().find(|old| old.as_str() == *id)?, s)
                }
            }
            (_, [c, w, y] | [c, w, y, "goals", _]) => Job::Report(report(c, w, y)?),
            (_, [c, w, y, "changes"]) => Job::Changes(report(c, w, y)?),
            (_, [c, w, y, "initiatives", i]) => {
                let at = report(c, w, y)?;
                Job::Initiative(at, at.report.initiatives.iter().find(|x| x.id.as_str() == *i)?)
            }
            _ => return None,
        };
        Self::job_paths(&job).iter().any(|p| urls::file_of(p) == page).then_some(job)
    }

    /// The page written to `file` (or one of its own files: `chart.svg`, `preview.png`) and the
    /// pages and files made with it (a report's goal pages, a series' embed page), made now;
    /// `None` when the site has no such page. (The preview makes pages when they are asked for.)
    pub fn render_file(&self, file: &str) -> Option<Result<Vec<Output>, Error>> {
        let job = self.job_of_file(file)?;
        Some(self.views(&job).and_then(|pages| {
            let mut outputs = Vec::new();
            for mut page in pages {
                outputs.append(&mut page.files);
                outputs.push(self.render(page)?);
            }
            Ok(outputs)
        }))
    }

    /// Renders every page in parallel, handing each to `emit` as soon as it is made (so the
    /// whole site is never held in memory). Returns the paths of the pages, sorted.
    pub fn render_each(&self, emit: &(dyn Fn(Output) + Sync)) -> Result<Vec<String>, Errors> {
        self.render_each_until(emit, &|| false)
    }

    /// [`Renderer::render_each`], giving up (and returning the pages made so far) as soon as
    /// `stop` says so: the preview renders the rest of the site while nothing changes.
    pub fn render_each_until(
        &self,
        emit: &(dyn Fn(Output) + Sync),
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Vec<String>, Errors> {
        let make = |job: &Job| -> Result<Vec<String>, Error> {
            let mut paths = Vec::new();
            if stop() {
                return Ok(paths);
            }
            let views = self.views(job)?;
            // What the preview relies on to find a page's job without making it.
            debug_assert_eq!(
                views.iter().map(|p| p.path.clone()).collect::<Vec<_>>(),
                Self::job_paths(job),
                "Renderer::job_paths disagrees with the views of a job"
            );
            for mut page in views {
                for file in std::mem::take(&mut page.files) {
                    emit(file);
                }
                let output = self.render(page)?;
                paths.push(output.path.clone());
                emit(output);
            }
            Ok(paths)
        };
        // One job per split: a worker that runs out of jobs takes one from the other until
        // the last (in chunks, one worker was left alone with a chunk of reports at the end).
        let mut results: Vec<Result<Vec<String>, Error>> = self.jobs().par_iter().with_max_len(1).map(make).collect();
        // The statement, last, counts every page of the build, itself included.
        let made: usize = results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum();
        results.push(make(&Job::Accessibility(made + 1)));
        let mut paths = Vec::new();
        // A mistake in a shared template fails every page that uses it: said once, with how many.
        let mut failed: Vec<(String, usize, Error)> = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.extend(p),
                Err(e) => {
                    let key = e.to_string();
                    match failed.iter_mut().find(|(k, _, _)| *k == key) {
                        Some((_, n, _)) => *n += 1,
                        None => failed.push((key, 1, e)),
                    }
                }
            }
        }
        let errors = Errors(
            failed
                .into_iter()
                .map(|(_, n, e)| match e {
                    Error::Template { message } if n > 1 => {
                        Error::Template { message: format!("(the same on {n} pages) {message}") }
                    }
                    e => e,
                })
                .collect(),
        );
        paths.sort();
        errors.into_result(paths)
    }

    /// One page to bytes: its view, the shared parts and its legend, through its template.
    fn render(&self, mut page: Page) -> Result<Output, Error> {
        let path = urls::file_of(&page.path);
        let head = page.head.take();
        let mut common = head.map(|head| self.common(&page.path, head)).transpose()?;
        // A kept page leaves its footer out (with the built-in layout, which prints it once):
        // the footer shows the size of the archive of all data, which any edit changes.
        let footer = match (&mut common, self.kept) {
            (Some(common), Some(_)) if self.templates.footer_apart() => {
                Some(std::mem::replace(&mut common.footer, FOOTER_MARK.into()))
            }
            _ => None,
        };
        let legend = self.templates.legend(page.template);
        let Some(kept) = self.kept else {
            return Ok(Output { path, bytes: self.render_page(&page, common.as_ref(), legend)? });
        };
        let bytes = self.kept_or_rendered(kept, &page, common.as_ref(), legend)?;
        let Some(footer) = footer else { return Ok(Output { path, bytes }) };
        if let Some(bytes) = with_footer(&bytes, &footer) {
            return Ok(Output { path, bytes });
        }
        // The mark is printed by content as well (or not at all): rendered with its footer.
        let mut common = common.expect("a page with a footer has a head");
        common.footer = footer;
        Ok(Output { path, bytes: self.render_page(&page, Some(&common), legend)? })
    }

    /// `page` rendered by its template, with what every page shares when it has a head.
    fn render_page(&self, page: &Page, common: Option<&Common>, legend: &str) -> Result<Vec<u8>, Error> {
        let mut ctx = tera::Context::new();
        if let Some(common) = common {
            ctx.insert("common", common);
            ctx.insert("legend", legend);
        }
        ctx.insert_value("page", page.value());
        self.templates.render(page.template, &ctx)
    }

    /// `page` read back from `kept`, or rendered and kept. Its key is fed the views, not the
    /// values Tera would be given: a page read back never has them made.
    fn kept_or_rendered(
        &self,
        kept: &PageCache,
        page: &Page,
        common: Option<&Common>,
        legend: &str,
    ) -> Result<Vec<u8>, Error> {
        let key = (|| {
            let mut key = kept.key_of(page.template.file_name());
            if let Some(common) = common {
                key.view("common", common)?;
                key.view("legend", legend)?;
            }
            page.key(&mut key)?;
            Some(key.finish())
        })();
        if let Some(bytes) = key.and_then(|k| kept.get(&k)) {
            return Ok(bytes);
        }
        let bytes = self.render_page(page, common, legend)?;
        if let Some(k) = key {
            kept.put(k, &bytes);
        }
        Ok(bytes)
    }

    fn common<'p>(&'p self, path: &'p str, head: Head) -> Result<Common<'p>, Error> {
        let (config, urls) = (self.cx.config, self.cx.urls);
        let title = if path.is_empty() { config.title.clone() } else { format!("{} | {}", head.title, config.title) };
        let description =
            if head.description.is_empty() { config.description.as_str().into() } else { head.description };
        let updated = head.updated.as_deref();
        Ok(Common {
            site_title: &config.title,
            base: urls.base_path.as_str(),
            lang: "ja",
            title,
            description,
            canonical: head.canonical.unwrap_or_else(|| urls.absolute(path)),
            path,
            breadcrumbs_json_ld: cite::breadcrumbs_json_ld(urls, &head.crumbs),
            breadcrumbs: head.crumbs,
            css: urls.link(&self.css_path),
            updated: updated.map(|d| (d.to_string(), date_ja(d))),
            method_url: urls.link(urls::METHOD),
            json_ld: head.json_ld,
            feed_url: self.cx.feed.map(|f| urls.link(f)),
            search_url: config.search.enabled.then(|| urls.link(urls::SEARCH)),
            footer: self.footer(updated)?,
            draft: head.draft,
            source: head.source,
            image: head.image,
        })
    }

    /// The footer for pages whose data was updated on `updated`, rendered on first use.
    fn footer(&self, updated: Option<&str>) -> Result<Arc<str>, Error> {
        let key = updated.map(str::to_string);
        if let Some(html) = self.footers.lock().expect("no panics while holding it").get(&key) {
            return Ok(html.clone());
        }
        let (config, urls) = (self.cx.config, self.cx.urls);
        let site = SiteFooter {
            site_title: &config.title,
            base: urls.base_path.as_str(),
            licence: config.licence.as_ref(),
            publisher: &config.publisher,
            accessibility_url: urls.link(urls::ACCESSIBILITY),
            method_url: urls.link(urls::METHOD),
            feed_url: self.cx.feed.map(|f| urls.link(f)),
            site_data: self.cx.downloads.links(
                urls,
                &[urls::OBSERVATIONS_CSV.to_string(), urls::INDICATORS.to_string(), urls::DATAPACKAGE.to_string()],
            ),
            all_data: self.cx.downloads.link(urls, urls::ALL_DATA_ZIP),
            licence_terms: config.licence_terms().into_iter().skip(1).collect(),
        };
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site);
        ctx.insert("updated", &updated.map(|d| (d.to_string(), date_ja(d))));
        // Two threads may both render it first: the same bytes, whichever is kept.
        let html = String::from_utf8(self.templates.render(Template::Footer, &ctx)?).expect("Tera writes UTF-8");
        let html: Arc<str> = html.trim().into();
        self.footers.lock().expect("no panics while holding it").insert(key, html.clone());
        Ok(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_goes_where_its_mark_is_once_with_its_codes_on_one_line() {
        let page = format!("<main>a</main>{FOOTER_MARK}<p>z</p>");
        let done = with_footer(page.as_bytes(), "<footer>2-5-1</footer>").unwrap();
        assert_eq!(
            String::from_utf8(done).unwrap(),
            "<main>a</main><footer><span class=\"nobr\">2-5-1</span></footer><p>z</p>"
        );
        assert_eq!(with_footer(b"<main>no mark</main>", "<footer></footer>"), None);
        let twice = format!("{FOOTER_MARK}<p>{FOOTER_MARK}</p>");
        assert_eq!(with_footer(twice.as_bytes(), "<footer></footer>"), None, "printed by content too");
    }
}
