//! Pages to bytes: Tera loaded once, each page given a small precomputed context,
//! rendered in parallel. Nothing here touches the disk.

// Temporary, until the page views move into one module per page kind (issue 12).
#![allow(clippy::needless_pass_by_value, clippy::unused_self, clippy::too_many_lines)]

pub mod svg;
pub mod text;
pub mod urls;
pub mod views;

use crate::config::SiteConfig;
use crate::error::{Error, Errors};
use crate::link::{Linked, Series};
use crate::model::year::FiscalYear;
use crate::model::{City, Report, Site, Ward};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use urls::Urls;
use views::{
    Card, CodeView, Crumb, Ctx, GoalView, InitiativeSummary, InitiativeView, LegendGroup, MeasurementView,
    ProgressView, RatingCounts, YearLink, code_view, goal_view, initiative_summary, initiative_view, legend,
    point_notes, progress_view, rating_counts, target_words, year_link,
};

/// One file of the site: where it goes (relative to the output folder) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Templates compiled into the binary; a site may override any of them in `templates/`.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("components.html", include_str!("../../templates/components.html")),
    ("measurement.html", include_str!("../../templates/measurement.html")),
    ("footer.html", include_str!("../../templates/footer.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("city.html", include_str!("../../templates/city.html")),
    ("ward.html", include_str!("../../templates/ward.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("goal.html", include_str!("../../templates/goal.html")),
    ("initiative.html", include_str!("../../templates/initiative.html")),
    ("series.html", include_str!("../../templates/series.html")),
    ("comparison.html", include_str!("../../templates/comparison.html")),
    ("method.html", include_str!("../../templates/method.html")),
    ("accessibility.html", include_str!("../../templates/accessibility.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("moved.html", include_str!("../../templates/moved.html")),
    ("embed.html", include_str!("../../templates/embed.html")),
];

/// The templates, ready to render, and which of them are the site's own files.
pub struct Templates {
    tera: tera::Tera,
    own: Vec<String>,
}

impl Templates {
    /// A template error; one in the site's own file names it as `templates/<name>`.
    fn error(&self, e: tera::Error) -> Error {
        Error::Template { message: name_own_files(tera_message(e), &self.own) }
    }
}

/// Tera names a template by its name alone (`--> goal.html:3:18`); a site's own template
/// is shown by its path in the site (`--> templates/goal.html:3:18`).
fn name_own_files(message: String, own: &[String]) -> String {
    match own.iter().find(|n| message.contains(&format!("--> {n}:"))) {
        Some(n) => message.replace(&format!("--> {n}:"), &format!("--> {}:", Path::new("templates").join(n).display())),
        None => message,
    }
}

/// Tera's message with the chain of its causes (where the real reason usually is).
fn tera_message(e: tera::Error) -> String {
    // Tera's report starts like ours ("error: …"); the kind is said once, by `Error::Template`.
    let report = e.to_string();
    let mut message = report.strip_prefix("error: ").unwrap_or(&report).to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}

/// Loads the templates: built-in ones, overridden by `root/templates/*.html`.
pub fn load_templates(root: &Path) -> Result<Templates, Errors> {
    let mut tera = tera::Tera::default();
    let dir = root.join("templates");
    // The site's own templates, read once: each must replace a built-in one (a misspelt name
    // would be silently ignored otherwise).
    let mut own: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html"))
            .collect(),
        Err(_) => Vec::new(),
    };
    own.sort();
    let known: Vec<&str> = TEMPLATES.iter().map(|(t, _)| *t).collect();
    let unknown: Vec<Error> = own
        .iter()
        .filter(|n| !known.contains(&n.as_str()))
        .map(|n| Error::Template {
            message: format!(
                "{}: not a template mieruka renders; a site's templates replace the built-in ones of the same name: {}",
                Path::new("templates").join(n).display(),
                known.join(", ")
            ),
        })
        .collect();
    if !unknown.is_empty() {
        return Err(Errors(unknown));
    }
    let mut sources = Vec::with_capacity(TEMPLATES.len());
    for (name, built_in) in TEMPLATES {
        let text = if own.iter().any(|n| n == name) {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| Error::Io { path: path.clone(), message: e.to_string() })?
        } else {
            built_in.to_string()
        };
        sources.push((name.to_string(), text));
    }
    // Filters first: Tera checks every template's filters when it is added.
    tera.register_filter("phrases", |s: &str, _: tera::Kwargs, _: &tera::State| text::phrases(s));
    tera.autoescape_on([".html"]);
    // Every text a template prints goes through `display` (half-width digits, H29年度 written
    // out) and is escaped; Tera's default escaping also escapes `/`, which makes URLs unreadable.
    tera.set_escape_fn(text::write_escaped_display);
    // The legend block on its own, rendered once per set of scales (`Legends`).
    sources.push(("legend-only.html".to_string(), "{{<legend groups={groups} />}}".to_string()));
    tera.add_raw_templates(sources).map_err(|e| Error::Template { message: name_own_files(tera_message(e), &own) })?;
    Ok(Templates { tera, own })
}

/// The legend block of each template, rendered once (by the `legend` component of
/// components.html) with the scales its pages' codes come from (every code also carries its
/// meaning beside it).
pub struct Legends(Vec<(&'static str, String)>);

impl Legends {
    pub fn new(templates: &Templates) -> Result<Legends, Errors> {
        let groups = legend();
        let render = |scales: &[&str]| -> Result<String, Error> {
            let chosen: Vec<&LegendGroup> =
                groups.iter().filter(|g| scales.is_empty() || scales.contains(&g.scale.as_str())).collect();
            let mut ctx = tera::Context::new();
            ctx.insert("groups", &chosen);
            templates.tera.render("legend-only.html", &ctx).map_err(|e| templates.error(e))
        };
        Ok(Legends(vec![
            ("initiative.html", render(&["業績目標の達成状況", "戦略に対する取組の有効性"])?),
            ("series.html", render(&["アウトカムの達成状況"])?),
            ("comparison.html", render(&["アウトカムの達成状況"])?),
            ("", render(&[])?),
        ]))
    }

    fn for_template(&self, template: &str) -> &str {
        self.0.iter().find(|(t, _)| *t == template || t.is_empty()).map_or("", |(_, html)| html.as_str())
    }
}

/// `MIERUKA_PROFILE`: time spent per template (renders, Tera time).
static PROFILE: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| std::env::var_os("MIERUKA_PROFILE").is_some());
type TemplateTimes = std::collections::BTreeMap<String, (usize, std::time::Duration)>;
static TEMPLATE_TIMES: std::sync::Mutex<TemplateTimes> = std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Prints the per-template times gathered under `MIERUKA_PROFILE` (CPU time summed over threads).
pub fn print_template_times() {
    if !*PROFILE {
        return;
    }
    for (name, (n, tera)) in TEMPLATE_TIMES.lock().expect("no panics while holding it").iter() {
        eprintln!("profile:   {name:<18} {n:>6} renders  tera {:>7.1} ms", tera.as_secs_f64() * 1e3);
    }
}

/// What every page shares (head, header, breadcrumbs) and its footer, made once. Site-wide
/// footer values (licence, publisher, links) are footer.html's (`SiteFooter`).
#[derive(Debug, Serialize)]
struct Common<'a> {
    site_title: &'a str,
    base: &'a str,
    lang: &'static str,
    title: String,
    description: String,
    canonical: String,
    path: String,
    breadcrumbs: Vec<Crumb>,
    css: String,
    /// (ISO date, Japanese date).
    updated: Option<(String, String)>,
    method_url: String,
    json_ld: Option<String>,
    /// The Atom feed (`<link rel="alternate">`), when there is one.
    feed_url: Option<String>,
    /// footer.html rendered for this page's `updated` date (see `Renderer::footer`).
    footer: std::sync::Arc<str>,
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
    /// Site-wide data files: observations.csv and datapackage.json.
    site_data: Vec<crate::data::DownloadLink>,
}

/// 2017-06-30 → 2017年6月30日 (no slashes: screen readers read it as a date).
pub fn date_ja(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{}年{}月{}日", y, m.trim_start_matches('0'), d.trim_start_matches('0')),
        _ => iso.to_string(),
    }
}

enum Job<'a> {
    Home,
    City(&'a City),
    Ward(&'a City, &'a Ward),
    Report(&'a City, &'a Ward, usize),
    Initiative(&'a City, &'a Ward, &'a Report, usize),
    /// A series' page and its chart alone (for an `<iframe>`).
    Series(&'a City, &'a Ward, &'a Series),
    /// The page at a renamed indicator's old id: points to the current one.
    Moved(&'a City, &'a Ward, &'a str, &'a Series),
    Comparison(&'a City, &'a str),
    Method,
    Accessibility,
    NotFound,
}

pub struct Renderer<'a> {
    pub config: &'a SiteConfig,
    pub site: &'a Site,
    pub linked: &'a Linked,
    pub templates: &'a Templates,
    pub urls: Urls,
    pub legends: Legends,
    /// Site-relative path of the stylesheet (content-hashed by `write`).
    pub css_path: String,
    /// Sizes of the data files (generated before the pages), for download links.
    pub downloads: &'a crate::data::Downloads,
    /// Site-relative path of the Atom feed, when one is written.
    pub feed: Option<String>,
    /// footer.html by data-updated date: the footer is the same on every page with that date.
    pub footers: std::sync::Mutex<HashMap<Option<String>, std::sync::Arc<str>>>,
}

impl<'a> Renderer<'a> {
    fn common(
        &self,
        path: &str,
        title: String,
        description: String,
        breadcrumbs: Vec<Crumb>,
        updated: Option<&str>,
    ) -> Result<Common<'_>, Error> {
        let full_title =
            if path.is_empty() { self.config.title.clone() } else { format!("{title} | {}", self.config.title) };
        let description = if description.is_empty() { self.config.description.clone() } else { description };
        Ok(Common {
            site_title: &self.config.title,
            base: self.urls.base_path.as_str(),
            lang: "ja",
            title: full_title,
            description,
            canonical: self.urls.absolute(path),
            path: path.to_string(),
            breadcrumbs,
            css: self.urls.link(&self.css_path),
            updated: updated.map(|d| (d.to_string(), date_ja(d))),
            method_url: self.urls.link("about/progress/"),
            json_ld: None,
            feed_url: self.feed.as_deref().map(|f| self.urls.link(f)),
            footer: self.footer(updated)?,
        })
    }

    /// The footer for pages whose data was updated on `updated`, rendered on first use.
    fn footer(&self, updated: Option<&str>) -> Result<std::sync::Arc<str>, Error> {
        let key = updated.map(str::to_string);
        if let Some(html) = self.footers.lock().expect("no panics while holding it").get(&key) {
            return Ok(html.clone());
        }
        let site = SiteFooter {
            site_title: &self.config.title,
            base: self.urls.base_path.as_str(),
            licence: self.config.licence.as_ref(),
            publisher: &self.config.publisher,
            accessibility_url: self.urls.link("accessibility/"),
            method_url: self.urls.link("about/progress/"),
            feed_url: self.feed.as_deref().map(|f| self.urls.link(f)),
            site_data: self
                .downloads
                .links(&self.urls, &[crate::data::OBSERVATIONS_CSV.to_string(), crate::data::DATAPACKAGE.to_string()]),
        };
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site);
        ctx.insert("updated", &updated.map(|d| (d.to_string(), date_ja(d))));
        // Two threads may both render it first: the same bytes, whichever is kept.
        let html = String::from_utf8(self.render_template("footer.html", &ctx)?).expect("Tera writes UTF-8");
        let html: std::sync::Arc<str> = html.trim().into();
        self.footers.lock().expect("no panics while holding it").insert(key, html.clone());
        Ok(html)
    }

    fn crumbs(&self, items: &[(&str, String)]) -> Vec<Crumb> {
        let mut v = vec![Crumb { name: "ホーム".into(), url: self.urls.link("") }];
        v.extend(items.iter().map(|(n, p)| Crumb { name: n.to_string(), url: self.urls.link(p) }));
        v
    }

    fn page(&self, template: &str, path: &str, common: Common, page: impl Serialize) -> Result<Output, Error> {
        self.page_value(template, path, common, tera::Value::from_serializable(&page))
    }

    /// A page whose context is partly made already (values shared by several pages).
    fn page_value(&self, template: &str, path: &str, common: Common, page: tera::Value) -> Result<Output, Error> {
        let mut ctx = tera::Context::new();
        ctx.insert("common", &common);
        ctx.insert_value("page", page);
        ctx.insert("legend", self.legends.for_template(template));
        Ok(Output { path: urls::file_of(path), bytes: self.render_template(template, &ctx)? })
    }

    /// Renders straight into bytes (`Tera::render` would check the page is UTF-8 once more),
    /// timing it under `MIERUKA_PROFILE` (the context was built just before).
    fn render_template(&self, template: &str, ctx: &tera::Context) -> Result<Vec<u8>, Error> {
        let started = PROFILE.then(std::time::Instant::now);
        let mut html = Vec::with_capacity(16 * 1024);
        self.templates.tera.render_to(template, ctx, &mut html).map_err(|e| self.templates.error(e))?;
        if let Some(started) = started {
            let mut t = TEMPLATE_TIMES.lock().expect("no panics while holding it");
            let e = t.entry(template.to_string()).or_default();
            e.0 += 1;
            e.1 += started.elapsed();
        }
        Ok(html)
    }

    /// An indicator's card (measurement.html), made once for every page that shows it.
    fn card(&self, m: &MeasurementView) -> Result<Card, Error> {
        let mut ctx = tera::Context::new();
        ctx.insert("m", m);
        let html = self.render_template("measurement.html", &ctx)?;
        // Tera writes only what it was given as text, so its output is UTF-8.
        Ok(Card { anchor: m.anchor.clone(), html: String::from_utf8(html).expect("Tera writes UTF-8") })
    }

    fn cards(&self, views: &[MeasurementView]) -> Result<Vec<Card>, Error> {
        views.iter().map(|m| self.card(m)).collect()
    }

    fn jobs(&self) -> Vec<Job<'a>> {
        let mut jobs = vec![Job::Home, Job::Method, Job::Accessibility, Job::NotFound];
        for city in &self.site.cities {
            jobs.push(Job::City(city));
            for id in city.indicators.keys() {
                jobs.push(Job::Comparison(city, id));
            }
            for ward in &city.wards {
                jobs.push(Job::Ward(city, ward));
                for (ri, report) in ward.reports.iter().enumerate() {
                    // The report page and its goal pages: they share the goals' views and cards.
                    jobs.push(Job::Report(city, ward, ri));
                    jobs.extend((0..report.initiatives.len()).map(|ii| Job::Initiative(city, ward, report, ii)));
                }
            }
        }
        for s in self.linked.series.values() {
            let city = self.site.cities.iter().find(|c| c.id == s.city).expect("series of a known city");
            let ward = city.wards.iter().find(|w| w.id == s.ward).expect("series of a known ward");
            jobs.push(Job::Series(city, ward, s));
            for old in &s.former_ids {
                jobs.push(Job::Moved(city, ward, old, s));
            }
        }
        jobs
    }

    /// Renders every page in parallel, handing each to `emit` as soon as it is made (so the
    /// whole site is never held in memory). Returns the paths of the pages, sorted.
    pub fn render_each(&self, emit: &(dyn Fn(Output) + Sync)) -> Result<Vec<String>, Errors> {
        let results: Vec<Result<Vec<String>, Error>> = self
            .jobs()
            .par_iter()
            .map(|job| {
                let outputs = self.render(job)?;
                Ok(outputs
                    .into_iter()
                    .map(|o| {
                        let path = o.path.clone();
                        emit(o);
                        path
                    })
                    .collect())
            })
            .collect();
        let mut errors = Errors::default();
        let mut paths = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.extend(p),
                Err(e) => errors.push(e),
            }
        }
        paths.sort();
        errors.into_result(paths)
    }

    fn render(&self, job: &Job) -> Result<Vec<Output>, Error> {
        Ok(match *job {
            Job::Home => vec![self.home()?],
            Job::City(c) => vec![self.city(c)?],
            Job::Ward(c, w) => vec![self.ward(c, w)?],
            Job::Report(c, w, ri) => self.report(c, w, ri)?,
            Job::Initiative(c, w, r, ii) => vec![self.initiative(c, w, r, ii)?],
            Job::Series(c, w, s) => self.series(c, w, s)?,
            Job::Moved(c, w, old, s) => vec![self.moved(c, w, old, s)?],
            Job::Comparison(c, id) => vec![self.comparison(c, id)?],
            Job::Method => vec![self.method()?],
            Job::Accessibility => vec![self.accessibility()?],
            Job::NotFound => vec![self.not_found()?],
        })
    }

    fn home(&self) -> Result<Output, Error> {
        #[derive(Serialize)]
        struct WardRow {
            name: String,
            url: String,
            reports: Vec<YearLink>,
        }
        #[derive(Serialize)]
        struct CityRow {
            name: String,
            url: String,
            wards: Vec<WardRow>,
        }
        #[derive(Serialize)]
        struct Page {
            intro: String,
            cities: Vec<CityRow>,
        }
        let cities = self
            .site
            .cities
            .iter()
            .map(|c| CityRow {
                name: c.name.clone(),
                url: self.urls.link(&urls::city(&c.id)),
                wards: c
                    .wards
                    .iter()
                    .map(|w| WardRow {
                        name: w.name.clone(),
                        url: self.urls.link(&urls::ward(&c.id, &w.id)),
                        reports: w
                            .reports
                            .iter()
                            .rev()
                            .map(|r| year_link(&self.urls, &c.id, &w.id, r.fiscal_year))
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let intro = self.site.home_intro.as_deref().unwrap_or("");
        let common = self.common("", self.config.title.clone(), self.config.description.clone(), vec![], None)?;
        self.page("home.html", "", common, Page { intro: text::markdown_under(intro, 1), cities })
    }

    fn city(&self, city: &City) -> Result<Output, Error> {
        #[derive(Serialize)]
        struct IndicatorRow {
            name: String,
            url: String,
            target: Option<String>,
        }
        #[derive(Serialize)]
        struct NodeRow {
            label: String,
            title: String,
            depth: usize,
            indicators: Vec<IndicatorRow>,
        }
        #[derive(Serialize)]
        struct PillarRow {
            title: String,
            nodes: Vec<NodeRow>,
        }
        #[derive(Serialize)]
        struct WardRow {
            name: String,
            url: String,
            years: usize,
        }
        #[derive(Serialize)]
        struct Page {
            name: String,
            code: String,
            policy_title: Option<String>,
            pillars: Vec<PillarRow>,
            wards: Vec<WardRow>,
        }
        fn nodes(out: &mut Vec<NodeRow>, list: &[crate::model::PolicyNode], depth: usize, city: &City, urls: &Urls) {
            for n in list {
                out.push(NodeRow {
                    label: n.label.clone(),
                    title: n.title.clone(),
                    depth,
                    indicators: n
                        .indicators
                        .iter()
                        .filter_map(|id| city.indicators.get(id))
                        .map(|d| IndicatorRow {
                            name: d.name.clone(),
                            url: urls.link(&urls::comparison(&city.id, &d.id)),
                            target: d.target.as_ref().map(target_words),
                        })
                        .collect(),
                });
                nodes(out, &n.children, depth + 1, city, urls);
            }
        }
        let pillars = city
            .policy
            .iter()
            .flat_map(|p| &p.pillars)
            .map(|p| {
                let mut rows = Vec::new();
                nodes(&mut rows, &p.areas, 0, city, &self.urls);
                PillarRow { title: p.title.clone(), nodes: rows }
            })
            .collect();
        let path = urls::city(&city.id);
        let common = self.common(
            &path,
            city.name.clone(),
            format!("{}の区の自己評価と区政運営基本方針の成果指標", city.name),
            self.crumbs(&[(&city.name, path.clone())]),
            None,
        )?;
        let page = Page {
            name: city.name.clone(),
            code: city.code.as_str().to_string(),
            policy_title: city.policy.as_ref().map(|p| p.title.clone()),
            pillars,
            wards: city
                .wards
                .iter()
                .map(|w| WardRow {
                    name: w.name.clone(),
                    url: self.urls.link(&urls::ward(&city.id, &w.id)),
                    years: w.reports.len(),
                })
                .collect(),
        };
        self.page("city.html", &path, common, page)
    }

    fn ward(&self, city: &City, ward: &Ward) -> Result<Output, Error> {
        #[derive(Serialize)]
        struct ReportRow {
            year: String,
            url: String,
            title: String,
            goals: usize,
            initiatives: usize,
            counts: RatingCounts,
        }
        #[derive(Serialize)]
        struct IndicatorRow {
            name: String,
            url: String,
            years: String,
            latest: Option<String>,
            progress: String,
        }
        #[derive(Serialize)]
        struct Page {
            name: String,
            city: String,
            description: String,
            reports: Vec<ReportRow>,
            indicators: Vec<IndicatorRow>,
        }
        let reports = ward
            .reports
            .iter()
            .rev()
            .map(|r| ReportRow {
                year: r.fiscal_year.label(),
                url: self.urls.link(&urls::report(&city.id, &ward.id, r.fiscal_year)),
                title: r.title.clone(),
                goals: r.goals.len(),
                initiatives: r.initiatives.len(),
                counts: rating_counts(r),
            })
            .collect();
        let indicators = self
            .linked
            .series
            .values()
            .filter(|s| s.city == city.id && s.ward == ward.id)
            .map(|s| IndicatorRow {
                name: s.indicator.name.clone(),
                url: self.urls.link(&urls::series(&city.id, &ward.id, &s.indicator.id)),
                years: match (s.points.first(), s.points.last()) {
                    (Some(a), Some(b)) if a.year != b.year => format!("{}〜{}年度", a.year.western(), b.year.western()),
                    (Some(a), _) => format!("{}年度", a.year.western()),
                    _ => String::new(),
                },
                latest: s.latest().map(|p| p.value.to_string()),
                progress: s.assessment.status.label().to_string(),
            })
            .collect();
        let path = urls::ward(&city.id, &ward.id);
        let title = format!("{}{}", city.name, ward.name);
        let common = self.common(
            &path,
            title.clone(),
            format!("{title}の区政運営の自己評価：年度ごとの報告と指標の推移"),
            self.crumbs(&[(&city.name, urls::city(&city.id)), (&ward.name, path.clone())]),
            None,
        )?;
        let page = Page {
            name: ward.name.clone(),
            city: city.name.clone(),
            description: text::markdown_under(&ward.description, 1),
            reports,
            indicators,
        };
        self.page("ward.html", &path, common, page)
    }

    fn report_crumbs(&self, city: &City, ward: &Ward, fy: FiscalYear) -> Vec<(String, String)> {
        vec![
            (city.name.clone(), urls::city(&city.id)),
            (ward.name.clone(), urls::ward(&city.id, &ward.id)),
            (fy.label(), urls::report(&city.id, &ward.id, fy)),
        ]
    }

    fn crumbs_owned(&self, items: Vec<(String, String)>) -> Vec<Crumb> {
        let borrowed: Vec<(&str, String)> = items.iter().map(|(n, p)| (n.as_str(), p.clone())).collect();
        self.crumbs(&borrowed)
    }

    /// The report page and its goal pages: each goal's view and indicator cards are made once
    /// and shown on both.
    fn report(&self, city: &City, ward: &Ward, ri: usize) -> Result<Vec<Output>, Error> {
        let report = &ward.reports[ri];
        let ctx = Ctx { urls: &self.urls, linked: self.linked, city, ward, report };
        let mut goals = Vec::with_capacity(report.goals.len());
        for g in &report.goals {
            let mut view = goal_view(&ctx, g);
            view.outcomes = self.cards(&view.measurements)?;
            goals.push((g, view));
        }
        // Each goal's template value is made once, for its own page and the report page.
        let values: Vec<tera::Value> = goals.iter().map(|(_, view)| tera::Value::from_serializable(view)).collect();
        let mut outputs = Vec::with_capacity(goals.len() + 1);
        for ((g, view), value) in goals.iter().zip(&values) {
            outputs.push(self.goal(city, ward, report, g, view, value.clone())?);
        }
        #[derive(Serialize)]
        struct Page {
            city: String,
            ward: String,
            year: String,
            title: String,
            intro: String,
            source: Option<SourceView>,
            notes: Vec<String>,
            counts: RatingCounts,
            other_initiatives: Vec<InitiativeSummary>,
            previous: Option<YearLink>,
            next: Option<YearLink>,
            data: crate::data::ReportData,
        }
        let fy = report.fiscal_year;
        let path = urls::report(&city.id, &ward.id, fy);
        let page = Page {
            city: city.name.clone(),
            ward: ward.name.clone(),
            year: fy.label(),
            title: report.title.clone(),
            intro: report.intro.as_deref().map(|t| text::markdown_under(t, 1)).unwrap_or_default(),
            source: source_view(report),
            notes: report.transcription_notes.iter().map(|n| text::markdown(n)).collect(),
            counts: rating_counts(report),
            other_initiatives: report
                .initiatives
                .iter()
                .filter(|i| i.goal.is_none())
                .map(|i| initiative_summary(&ctx, i))
                .collect(),
            previous: ri.checked_sub(1).map(|p| year_link(&self.urls, &city.id, &ward.id, ward.reports[p].fiscal_year)),
            next: ward.reports.get(ri + 1).map(|n| year_link(&self.urls, &city.id, &ward.id, n.fiscal_year)),
            data: crate::data::report_data(self.config, &self.urls, self.downloads, city, ward, report),
        };
        let title = format!("{}{} {}の自己評価", city.name, ward.name, fy.label());
        let mut common = self.common(
            &path,
            title,
            text::summary(&report.title, 120),
            self.crumbs_owned(self.report_crumbs(city, ward, fy)),
            report.updated.as_deref(),
        )?;
        common.json_ld = Some(crate::data::report_json_ld(self.config, &self.urls, city, ward, report, &page.data));
        outputs.push(self.page_value(
            "report.html",
            &path,
            common,
            with_field(&page, "goals", tera::Value::from(values)),
        )?);
        Ok(outputs)
    }

    fn goal(
        &self,
        city: &City,
        ward: &Ward,
        report: &Report,
        g: &crate::model::Goal,
        view: &GoalView,
        value: tera::Value,
    ) -> Result<Output, Error> {
        let fy = report.fiscal_year;
        let path = urls::goal(&city.id, &ward.id, fy, &g.id);
        let mut crumbs = self.report_crumbs(city, ward, fy);
        crumbs.push((format!("目標{}", view.label), path.clone()));
        #[derive(Serialize)]
        struct Page {
            ward: String,
            year: String,
            report_url: String,
            downloads: Vec<crate::data::DownloadLink>,
        }
        let title = format!("{}{} {}", view.label, view.title, fy.era_label());
        let common = self.common(
            &path,
            title,
            text::summary(&g.desired_state, 120),
            self.crumbs_owned(crumbs),
            report.updated.as_deref(),
        )?;
        let downloads = self.report_downloads(city, ward, fy);
        let page = Page {
            ward: format!("{}{}", city.name, ward.name),
            year: fy.label(),
            report_url: self.urls.link(&urls::report(&city.id, &ward.id, fy)),
            downloads,
        };
        self.page_value("goal.html", &path, common, with_field(&page, "goal", value))
    }

    fn initiative(&self, city: &City, ward: &Ward, report: &Report, ii: usize) -> Result<Output, Error> {
        let ctx = Ctx { urls: &self.urls, linked: self.linked, city, ward, report };
        let i = &report.initiatives[ii];
        let mut view = initiative_view(&ctx, i);
        view.indicators = self.cards(&view.measurements)?;
        let fy = report.fiscal_year;
        let path = urls::initiative(&city.id, &ward.id, fy, &i.id);
        let mut crumbs = self.report_crumbs(city, ward, fy);
        crumbs.push((format!("取組{}", view.summary.label), path.clone()));
        #[derive(Serialize)]
        struct Page {
            ward: String,
            year: String,
            report_url: String,
            initiative: InitiativeView,
            downloads: Vec<crate::data::DownloadLink>,
        }
        let title = format!("取組{} {}", view.summary.label, fy.era_label());
        let common = self.common(
            &path,
            title,
            text::summary(&i.content, 120),
            self.crumbs_owned(crumbs),
            report.updated.as_deref(),
        )?;
        let downloads = self.report_downloads(city, ward, fy);
        let page = Page {
            ward: format!("{}{}", city.name, ward.name),
            year: fy.label(),
            report_url: self.urls.link(&urls::report(&city.id, &ward.id, fy)),
            initiative: view,
            downloads,
        };
        self.page("initiative.html", &path, common, page)
    }

    /// A series' page and its chart-only embed page: they share the chart and the citation.
    fn series(&self, city: &City, ward: &Ward, s: &Series) -> Result<Vec<Output>, Error> {
        #[derive(Serialize)]
        struct Row {
            year: String,
            value: String,
            target: Option<String>,
            rating: Option<CodeView>,
            notes: Vec<String>,
            report_url: String,
            anchor: String,
        }
        #[derive(Serialize)]
        struct Page {
            ward: String,
            name: String,
            id: String,
            unit: String,
            direction: Option<&'static str>,
            city_wide: bool,
            comparison_url: Option<String>,
            description: String,
            targets: Vec<String>,
            chart: String,
            rows: Vec<Row>,
            progress: ProgressView,
            base: Option<String>,
            latest: Option<String>,
            former_ids: Vec<String>,
            data: Option<crate::data::SeriesData>,
        }
        let path = urls::series(&city.id, &ward.id, &s.indicator.id);
        let def = &s.indicator;
        let mut rows = Vec::new();
        let mut targets: Vec<String> = Vec::new();
        for p in &s.points {
            let notes = point_notes(p, true);
            let target = p.target.as_ref().map(target_words);
            if let Some(t) = &target
                && !targets.contains(t)
            {
                targets.push(t.clone());
            }
            // Back to the very row of the report the value stands in.
            let anchor = match &p.row {
                crate::link::Row::Goal { goal, indicator } => urls::outcome_anchor(goal, indicator),
                crate::link::Row::Initiative(i) => urls::initiative_anchor(i),
            };
            let report_url = format!("{}#{anchor}", self.urls.link(&urls::report(&city.id, &ward.id, p.reported_in)));
            rows.push(Row {
                year: p.year.label(),
                value: p.value.to_string(),
                target,
                rating: p.rating.as_ref().map(code_view),
                notes,
                report_url,
                anchor: format!("fy{}", p.year.western()),
            });
        }
        let description = series_description(ward, s);
        let chart = self.series_chart(ward, s);
        let data = crate::data::series_data(self.config, &self.urls, self.downloads, city, ward, s);
        let embed = self.embed(city, ward, s, &chart, data.as_ref())?;
        let rating = s.latest().and_then(|p| p.rating);
        let page = Page {
            ward: format!("{}{}", city.name, ward.name),
            name: def.name.clone(),
            id: def.id.clone(),
            unit: def.unit.clone(),
            direction: def.direction.map(super::model::target::Direction::label),
            city_wide: def.city_wide,
            comparison_url: def.city_wide.then(|| self.urls.link(&urls::comparison(&city.id, &def.id))),
            description: text::markdown(&def.description),
            targets,
            chart,
            rows,
            progress: progress_view(s, rating),
            // As the source printed them (its decimals), not re-formatted.
            base: s.assessment.base.and_then(|(y, _)| s.point(y)).map(|p| format!("{} {}", p.year.label(), p.value)),
            latest: s
                .assessment
                .latest
                .and_then(|(y, _)| s.point(y))
                .map(|p| format!("{} {}", p.year.label(), p.value)),
            former_ids: s.former_ids.clone(),
            data,
        };
        let crumbs = vec![
            (city.name.clone(), urls::city(&city.id)),
            (ward.name.clone(), urls::ward(&city.id, &ward.id)),
            (format!("指標：{}", text::summary(&def.name, 24)), path.clone()),
        ];
        let title = format!("{} {}の推移", ward.name, def.name);
        let updated = ward.reports.iter().filter_map(|r| r.updated.as_deref()).max();
        let mut common =
            self.common(&path, title, text::summary(&description, 150), self.crumbs_owned(crumbs), updated)?;
        common.json_ld =
            page.data.as_ref().map(|d| crate::data::series_json_ld(self.config, &self.urls, city, ward, s, d));
        Ok(vec![self.page("series.html", &path, common, page)?, embed])
    }

    fn comparison(&self, city: &City, id: &str) -> Result<Output, Error> {
        let def = &city.indicators[id];
        #[derive(Serialize)]
        struct Row {
            ward: String,
            value: String,
            met: Option<String>,
            rating: Option<CodeView>,
            series_url: String,
        }
        #[derive(Serialize)]
        struct Year {
            label: String,
            anchor: String,
            rows: Vec<Row>,
            chart: String,
        }
        #[derive(Serialize)]
        struct Page {
            city: String,
            name: String,
            unit: String,
            target: Option<String>,
            direction: Option<&'static str>,
            years: Vec<Year>,
        }
        let mut years: std::collections::BTreeMap<FiscalYear, Vec<(&Ward, &crate::link::Point)>> =
            std::collections::BTreeMap::new();
        for ward in &city.wards {
            if let Some(s) = self.linked.series(&city.id, &ward.id, id) {
                for p in &s.points {
                    years.entry(p.year).or_default().push((ward, p));
                }
            }
        }
        let higher = def.direction != Some(crate::model::target::Direction::Lower);
        let years = years
            .into_iter()
            .rev()
            .map(|(fy, mut list)| {
                // Best first, in the indicator's good direction; 「―」 last.
                list.sort_by(|a, b| {
                    let (x, y) = (a.1.value.number(), b.1.value.number());
                    match (x, y) {
                        (Some(x), Some(y)) => {
                            if higher {
                                y.total_cmp(&x)
                            } else {
                                x.total_cmp(&y)
                            }
                        }
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    }
                    .then_with(|| a.0.id.cmp(&b.0.id))
                });
                let target = def.target.as_ref();
                let bars: Vec<(String, f64, String)> = list
                    .iter()
                    .filter_map(|(w, p)| Some((w.name.clone(), p.value.number()?, p.value.to_string())))
                    .collect();
                let chart = svg::ranking(
                    &format!("rank-{}", fy.western()),
                    &format!("{} {}の区別比較", fy.label(), def.name),
                    &def.unit,
                    &bars,
                    target.and_then(|t| Some((t.level(None)?, format!("目標 {}", t.short())))),
                );
                Year {
                    label: fy.label(),
                    anchor: format!("fy{}", fy.western()),
                    rows: list
                        .iter()
                        .map(|(w, p)| Row {
                            ward: w.name.clone(),
                            value: p.value.to_string(),
                            met: p
                                .value
                                .number()
                                .and_then(|v| target?.is_met(v, None))
                                .map(|m| if m { "達成" } else { "未達成" }.to_string()),
                            rating: p.rating.as_ref().map(code_view),
                            series_url: self.urls.link(&urls::series(&city.id, &w.id, id)),
                        })
                        .collect(),
                    chart,
                }
            })
            .collect();
        let path = urls::comparison(&city.id, id);
        let crumbs = vec![
            (city.name.clone(), urls::city(&city.id)),
            (format!("区別比較：{}", text::summary(&def.name, 24)), path.clone()),
        ];
        let title = format!("{}の区別比較", def.name);
        let common = self.common(
            &path,
            title,
            format!("{}の{}を区ごとに比較", city.name, def.name),
            self.crumbs_owned(crumbs),
            None,
        )?;
        let page = Page {
            city: city.name.clone(),
            name: def.name.clone(),
            unit: def.unit.clone(),
            target: def.target.as_ref().map(target_words),
            direction: def.direction.map(super::model::target::Direction::label),
            years,
        };
        self.page("comparison.html", &path, common, page)
    }

    fn method(&self) -> Result<Output, Error> {
        let path = "about/progress/";
        let common = self.common(
            path,
            "進捗状況の判定方法".into(),
            "指標の推移から目標の達成見込みを判定する方法の説明".into(),
            self.crumbs(&[("進捗状況の判定方法", path.into())]),
            None,
        )?;
        self.page("method.html", path, common, ())
    }

    fn accessibility(&self) -> Result<Output, Error> {
        #[derive(Serialize)]
        struct Page<'b> {
            statement: Option<&'b crate::config::AccessibilityStatement>,
            date: Option<String>,
            date_iso: Option<String>,
        }
        let path = "accessibility/";
        let common = self.common(
            path,
            "アクセシビリティ".into(),
            "このサイトのウェブアクセシビリティ方針と試験結果".into(),
            self.crumbs(&[("アクセシビリティ", path.into())]),
            None,
        )?;
        let statement = self.config.accessibility.as_ref();
        let date_iso = statement.map(|s| s.date.to_string());
        let date = date_iso.as_deref().map(date_ja);
        self.page("accessibility.html", path, common, Page { statement, date, date_iso })
    }

    fn moved(&self, city: &City, ward: &Ward, old: &str, s: &Series) -> Result<Output, Error> {
        #[derive(Serialize)]
        struct Page {
            old_id: String,
            new_id: String,
            name: String,
            url: String,
        }
        let path = urls::series(&city.id, &ward.id, old);
        let new = urls::series(&city.id, &ward.id, &s.indicator.id);
        let mut common = self.common(
            &path,
            format!("指標ID {old} は {} に変わりました", s.indicator.id),
            String::new(),
            vec![],
            None,
        )?;
        // The permanent URL of the figure is now the new page.
        common.canonical = self.urls.absolute(&new);
        let page = Page {
            old_id: old.to_string(),
            new_id: s.indicator.id.clone(),
            name: s.indicator.name.clone(),
            url: self.urls.link(&new),
        };
        self.page("moved.html", &path, common, page)
    }

    fn not_found(&self) -> Result<Output, Error> {
        let common = self.common("404.html", "ページが見つかりません".into(), String::new(), vec![], None)?;
        self.page("404.html", "404.html", common, ())
    }

    // ---- data for journalists: the chart-only embed page (see src/data.rs) ----

    /// The report's data files (its goals' and initiatives' pages offer them too).
    fn report_downloads(&self, city: &City, ward: &Ward, fy: FiscalYear) -> Vec<crate::data::DownloadLink> {
        self.downloads.links(
            &self.urls,
            &[crate::data::report_csv(&city.id, &ward.id, fy), crate::data::report_json(&city.id, &ward.id, fy)],
        )
    }

    /// The chart of a series, as its page and its embed page draw it.
    fn series_chart(&self, ward: &Ward, s: &Series) -> String {
        let def = &s.indicator;
        let chart_points: Vec<svg::ChartPoint> = s
            .points
            .iter()
            .map(|p| svg::ChartPoint {
                year: p.year.western(),
                label: p.value.to_string(),
                value: p.value.number(),
                break_before: p.break_before.is_some(),
            })
            .collect();
        svg::chart(&svg::Chart {
            id: "chart",
            title: &format!("{} {}の推移", ward.name, def.name),
            description: &series_description(ward, s),
            unit: &def.unit,
            points: &chart_points,
            target: series_target_line(s),
            withdrawal: None,
        })
    }

    /// `<series url>embed/`: a minimal page with the chart alone, for an `<iframe>`.
    fn embed(
        &self,
        city: &City,
        ward: &Ward,
        s: &Series,
        chart: &str,
        data: Option<&crate::data::SeriesData>,
    ) -> Result<Output, Error> {
        #[derive(Serialize)]
        struct Embed<'b> {
            lang: &'static str,
            title: String,
            heading: String,
            chart: String,
            page_url: String,
            site_title: &'b str,
            source: Option<String>,
            updated: Option<String>,
            updated_iso: Option<String>,
            licence: Option<&'b crate::config::Licence>,
        }
        let path = crate::data::series_embed(&city.id, &ward.id, &s.indicator.id);
        let heading = format!("{}{} {}の推移", city.name, ward.name, s.indicator.name);
        let page = Embed {
            lang: "ja",
            title: format!("{heading}（グラフ） | {}", self.config.title),
            chart: chart.to_string(),
            heading,
            page_url: self.urls.absolute(&urls::series(&city.id, &ward.id, &s.indicator.id)),
            site_title: &self.config.title,
            source: data.map(|d| format!("{}「{}」（{}）", d.citation.ward, d.citation.report_title, d.citation.years)),
            updated: data.and_then(|d| d.citation.updated.clone()),
            updated_iso: data.and_then(|d| d.citation.updated_iso.clone()),
            licence: self.config.licence.as_ref(),
        };
        let mut ctx = tera::Context::new();
        ctx.insert("page", &page);
        Ok(Output { path: urls::file_of(&path), bytes: self.render_template("embed.html", &ctx)? })
    }
}

/// `page` as a template value with one more field, `name` = `value` (a value made once and
/// shared by several pages: Tera's values are reference-counted).
fn with_field(page: &impl Serialize, name: &'static str, value: tera::Value) -> tera::Value {
    let mut map = tera::Value::from_serializable(page).into_map().expect("a page is a struct");
    map.insert(name.into(), value);
    tera::Value::from(map)
}

/// The target line of a series chart: the latest target with a numeric level.
fn series_target_line(s: &Series) -> Option<(f64, String)> {
    let latest = s.points.last().and_then(|p| p.target.as_ref()).or(s.indicator.target.as_ref())?;
    Some((latest.level(None)?, format!("目標 {}", target_words(latest))))
}

/// The chart's description in words (its `<desc>`, and the page's meta description).
fn series_description(ward: &Ward, s: &Series) -> String {
    let values: Vec<String> = s.points.iter().map(|p| format!("{} {}", p.year.era_label(), p.value)).collect();
    let mut d = format!("{}の{}の推移：{}。", ward.name, s.indicator.name, values.join("、"));
    if let Some((_, t)) = series_target_line(s) {
        d.push_str(&format!("{t}。"));
    }
    if s.points.iter().any(|p| p.break_before.is_some()) {
        d.push_str("系列の断絶があり、断絶の前後は線で結んでいません。");
    }
    d
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub title: String,
    pub file: String,
    pub url: Option<String>,
    pub published: Option<String>,
}

fn source_view(r: &Report) -> Option<SourceView> {
    r.source.as_ref().map(|s| SourceView {
        title: s.title.clone(),
        file: s.file.clone(),
        url: s.url.clone(),
        published: s.published.clone(),
    })
}
