//! The templates: which there are ([`Template`]), loading them (a site's own `templates/`
//! replaces built-in ones of the same name), rendering them into bytes, and Tera's messages
//! rewritten to name a site's own files.

use super::components::{LegendGroup, legend};
use crate::error::{Error, Errors};
use crate::text;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

/// Every template mieruka renders. Adding a page kind adds a variant here; the compiler then
/// asks for its file name, its built-in source and its legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Template {
    /// The layout every page extends.
    Base,
    /// Shared pieces (the legend, rating badges) used by the others.
    Components,
    /// One indicator card, rendered once and shown on the goal, report and initiative pages.
    Measurement,
    /// The footer, rendered once per data date: sees only site-wide values.
    Footer,
    Home,
    City,
    Ward,
    Report,
    Goal,
    Initiative,
    Series,
    Comparison,
    Method,
    Accessibility,
    /// The 達成基準チェックリスト, when the site has one.
    Checklist,
    /// The search page and the list of every indicator, when search is on.
    Search,
    NotFound,
    Moved,
    /// A series' chart alone, for an `<iframe>`: no layout.
    Embed,
    /// What changed in a report since the ward's previous one.
    Changes,
    /// 進捗状況の一覧 of a city or of the whole site.
    Status,
    /// The indicators in one status or self-rating.
    StatusList,
}

impl Template {
    /// In the order they are loaded (the layout and shared pieces first).
    pub const ALL: [Template; 22] = [
        Template::Base,
        Template::Components,
        Template::Measurement,
        Template::Footer,
        Template::Home,
        Template::City,
        Template::Ward,
        Template::Report,
        Template::Goal,
        Template::Initiative,
        Template::Series,
        Template::Comparison,
        Template::Method,
        Template::Accessibility,
        Template::Checklist,
        Template::Search,
        Template::NotFound,
        Template::Moved,
        Template::Embed,
        Template::Changes,
        Template::Status,
        Template::StatusList,
    ];

    /// The file name, in the built-in `templates/` and in a site's own.
    pub fn file_name(self) -> &'static str {
        match self {
            Template::Base => "base.html",
            Template::Components => "components.html",
            Template::Measurement => "measurement.html",
            Template::Footer => "footer.html",
            Template::Home => "home.html",
            Template::City => "city.html",
            Template::Ward => "ward.html",
            Template::Report => "report.html",
            Template::Goal => "goal.html",
            Template::Initiative => "initiative.html",
            Template::Series => "series.html",
            Template::Comparison => "comparison.html",
            Template::Method => "method.html",
            Template::Accessibility => "accessibility.html",
            Template::Checklist => "accessibility-checklist.html",
            Template::Search => "search.html",
            Template::NotFound => "404.html",
            Template::Moved => "moved.html",
            Template::Embed => "embed.html",
            Template::Changes => "changes.html",
            Template::Status => "status.html",
            Template::StatusList => "status-list.html",
        }
    }

    /// The built-in source, compiled into the binary.
    fn built_in(self) -> &'static str {
        match self {
            Template::Base => include_str!("../../templates/base.html"),
            Template::Components => include_str!("../../templates/components.html"),
            Template::Measurement => include_str!("../../templates/measurement.html"),
            Template::Footer => include_str!("../../templates/footer.html"),
            Template::Home => include_str!("../../templates/home.html"),
            Template::City => include_str!("../../templates/city.html"),
            Template::Ward => include_str!("../../templates/ward.html"),
            Template::Report => include_str!("../../templates/report.html"),
            Template::Goal => include_str!("../../templates/goal.html"),
            Template::Initiative => include_str!("../../templates/initiative.html"),
            Template::Series => include_str!("../../templates/series.html"),
            Template::Comparison => include_str!("../../templates/comparison.html"),
            Template::Method => include_str!("../../templates/method.html"),
            Template::Accessibility => include_str!("../../templates/accessibility.html"),
            Template::Checklist => include_str!("../../templates/accessibility-checklist.html"),
            Template::Search => include_str!("../../templates/search.html"),
            Template::NotFound => include_str!("../../templates/404.html"),
            Template::Moved => include_str!("../../templates/moved.html"),
            Template::Embed => include_str!("../../templates/embed.html"),
            Template::Changes => include_str!("../../templates/changes.html"),
            Template::Status => include_str!("../../templates/status.html"),
            Template::StatusList => include_str!("../../templates/status-list.html"),
        }
    }

    /// The rating scales whose legend a page of this template shows (the scales its codes
    /// come from); `None` for every scale.
    pub fn legend_scales(self) -> Option<&'static [&'static str]> {
        match self {
            Template::Initiative => Some(&["業績目標の達成状況", "戦略に対する取組の有効性"]),
            Template::Series | Template::Comparison | Template::Changes | Template::Status | Template::StatusList => {
                Some(&["アウトカムの達成状況"])
            }
            Template::Base
            | Template::Components
            | Template::Measurement
            | Template::Footer
            | Template::Home
            | Template::City
            | Template::Ward
            | Template::Report
            | Template::Goal
            | Template::Method
            | Template::Accessibility
            | Template::Checklist
            | Template::Search
            | Template::NotFound
            | Template::Moved
            | Template::Embed => None,
        }
    }
}

/// The templates, ready to render, and which of them are the site's own files.
pub struct Templates {
    tera: tera::Tera,
    own: Vec<String>,
    /// SHA-256 of every template's name and source: a kept page is rendered by the same ones.
    digest: [u8; 32],
    /// Whether the layout prints the footer once, as it is, and no other template reads it:
    /// then a kept page is kept without its footer (`Renderer::render`).
    footer_apart: bool,
    /// The legend block for each set of scales (`Template::legend_scales`), rendered once.
    legends: Vec<Legend>,
}

/// A set of rating scales (`Template::legend_scales`) and its legend block, rendered.
type Legend = (Option<&'static [&'static str]>, String);

/// The legend block on its own, rendered once per set of scales.
const LEGEND_ONLY: &str = "legend-only.html";

impl Templates {
    /// Loads the templates: built-in ones, replaced by `root/templates/<name>`.
    pub fn load(root: &Path) -> Result<Templates, Errors> {
        let dir = root.join("templates");
        // The site's own templates, read once: each must replace a built-in one (a misspelt
        // name would be silently ignored otherwise).
        let mut own: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".html"))
                .collect(),
            Err(_) => Vec::new(),
        };
        own.sort();
        let known: Vec<&str> = Template::ALL.iter().map(|t| t.file_name()).collect();
        let unknown: Vec<Error> = own
            .iter()
            .filter(|n| !known.contains(&n.as_str()))
            .map(|n| {
                // A misspelt name is most likely meant as the closest built-in one.
                let nearest = known.iter().min_by_key(|k| strsim::levenshtein(k, n)).filter(|k| strsim::levenshtein(k, n) <= 3);
                let hint = nearest.map(|k| format!("did you mean {k}? ")).unwrap_or_default();
                Error::Template {
                    message: format!(
                        "{}: not a template mieruka renders; {hint}a site's templates replace the built-in ones of the same name: {}",
                        Path::new("templates").join(n).display(),
                        known.join(", ")
                    ),
                }
            })
            .collect();
        if !unknown.is_empty() {
            return Err(Errors(unknown));
        }
        let mut sources = Vec::with_capacity(Template::ALL.len() + 1);
        for t in Template::ALL {
            let name = t.file_name();
            let text = if own.iter().any(|n| n == name) {
                let path = dir.join(name);
                std::fs::read_to_string(&path).map_err(|e| Error::Io { path: path.clone(), message: e.to_string() })?
            } else {
                t.built_in().to_string()
            };
            sources.push((name.to_string(), text));
        }
        sources.push((LEGEND_ONLY.to_string(), "{{<legend groups={groups} />}}".to_string()));
        let digest = {
            use sha2::Digest as _;
            let mut h = sha2::Sha256::new();
            for (name, text) in &sources {
                for part in [name, text] {
                    h.update((part.len() as u64).to_le_bytes());
                    h.update(part.as_bytes());
                }
            }
            h.finalize().into()
        };
        // A site's own copy of a built-in template counts as the built-in one.
        let footer_apart = sources.iter().all(|(name, text)| {
            Template::ALL
                .iter()
                .find(|t| t.file_name() == name)
                .is_none_or(|&t| text == t.built_in() || (t != Template::Base && !text.contains("common.footer")))
        });
        let mut tera = tera::Tera::default();
        // Filters first: Tera checks every template's filters when it is added.
        // `full`: the text a shortened one was cut from, heard by screen readers in its place
        // (`text::phrases_cut`); the cut mark 「…」 of any shortened text is never read out.
        tera.register_filter("phrases", |s: &str, kwargs: tera::Kwargs, _: &tera::State| {
            let full = kwargs.get::<tera::Value>("full").ok().flatten();
            text::phrases_cut(s, full.as_ref().and_then(|v| v.as_str()))
        });
        tera.register_filter("cut_marks", |s: &str, _: tera::Kwargs, _: &tera::State| text::cut_marks(s));
        // A text exactly as content stores it (the source's wording: 「原文：H29年度までに…」),
        // escaped but not rewritten for reading as every other printed text is.
        tera.register_filter("verbatim", |s: &str, _: tera::Kwargs, _: &tera::State| text::escape(s));
        tera.autoescape_on([".html"]);
        // Every text a template prints goes through `display` (half-width digits, H29年度
        // written out) and is escaped; Tera's default escaping also escapes `/`, which makes
        // URLs unreadable.
        tera.set_escape_fn(text::write_escaped_display);
        tera.add_raw_templates(sources)
            .map_err(|e| Error::Template { message: name_own_files(&tera_message(&e), &own) })?;
        let mut templates = Templates { tera, own, digest, footer_apart, legends: Vec::new() };
        templates.legends = templates.render_legends()?;
        Ok(templates)
    }

    /// The legend of every set of scales a template shows, rendered once by the `legend`
    /// component of components.html (every code also carries its meaning beside it).
    fn render_legends(&self) -> Result<Vec<Legend>, Error> {
        let groups = legend();
        let mut legends: Vec<Legend> = Vec::new();
        for t in Template::ALL {
            let scales = t.legend_scales();
            if legends.iter().any(|(s, _)| *s == scales) {
                continue;
            }
            let chosen: Vec<&LegendGroup> =
                groups.iter().filter(|g| scales.is_none_or(|s| s.contains(&g.scale.as_str()))).collect();
            let mut ctx = tera::Context::new();
            ctx.insert("groups", &chosen);
            let html = self.tera.render(LEGEND_ONLY, &ctx).map_err(|e| self.error(&e))?;
            legends.push((scales, html));
        }
        Ok(legends)
    }

    /// The digest of every template's name and source (what a kept page was rendered with).
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// Whether a page may be rendered without its footer and have it put in afterwards: the
    /// layout is the built-in one (or a copy), which prints `common.footer` once as it is, and
    /// no other template reads it.
    pub fn footer_apart(&self) -> bool {
        self.footer_apart
    }

    /// Whether the site replaces any built-in template with its own file.
    pub fn has_own(&self) -> bool {
        !self.own.is_empty()
    }

    /// The legend block a page of `template` shows.
    pub fn legend(&self, template: Template) -> &str {
        let scales = template.legend_scales();
        self.legends.iter().find(|(s, _)| *s == scales).map_or("", |(_, html)| html.as_str())
    }

    /// Renders straight into bytes (`Tera::render` would check the page is UTF-8 once more),
    /// timing it under `MIERUKA_PROFILE`.
    pub fn render(&self, template: Template, ctx: &tera::Context) -> Result<Vec<u8>, Error> {
        let started = PROFILE.then(std::time::Instant::now);
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera.render_to(template.file_name(), ctx, &mut html).map_err(|e| self.error(&e))?;
        // Pages only: a card or footer is printed inside a page and passes with it.
        if !matches!(template, Template::Measurement | Template::Footer) {
            html = text::nowrap_codes_in_page(html);
        }
        if let Some(started) = started {
            let mut times = TEMPLATE_TIMES.lock().expect("no panics while holding it");
            let e = times.entry(template).or_default();
            e.0 += 1;
            e.1 += started.elapsed();
        }
        Ok(html)
    }

    /// A template error; one in the site's own file names it as `templates/<name>`.
    fn error(&self, e: &tera::Error) -> Error {
        Error::Template { message: name_own_files(&tera_message(e), &self.own) }
    }
}

/// Tera names a template by its name alone (`--> goal.html:3:18`); a site's own template
/// is shown by its path in the site (`--> templates/goal.html:3:18`).
fn name_own_files(message: &str, own: &[String]) -> String {
    match own.iter().find(|n| message.contains(&format!("--> {n}:"))) {
        Some(n) => message.replace(&format!("--> {n}:"), &format!("--> {}:", Path::new("templates").join(n).display())),
        None => message.to_string(),
    }
}

/// Tera's message with the chain of its causes (where the real reason usually is), and for
/// a misspelt field the nearest one there is.
fn tera_message(e: &tera::Error) -> String {
    // Tera's report starts like ours ("error: …"); the kind is said once, by `Error::Template`.
    let report = e.to_string();
    let mut message = report.strip_prefix("error: ").unwrap_or(&report).to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    if let Some(hint) = nearest_field(&message) {
        let end = message.find('\n').unwrap_or(message.len());
        message.insert_str(end, &format!("; did you mean `{hint}`?"));
    }
    message
}

/// For Tera's "Field `publisher_name` is not defined. Available fields: …, publisher, …", the
/// available field closest to the one written (at most 3 edits away, or the start of it).
fn nearest_field(message: &str) -> Option<&str> {
    let first = message.lines().next()?;
    let written = first.split("Field `").nth(1)?.split('`').next()?;
    let available = first.split("Available fields: ").nth(1)?;
    available
        .split(", ")
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .filter(|f| strsim::levenshtein(f, written) <= 3 || written.starts_with(*f) || f.starts_with(written))
        .min_by_key(|f| strsim::levenshtein(f, written))
}

/// `MIERUKA_PROFILE`: time spent per template (renders, Tera time).
static PROFILE: LazyLock<bool> = LazyLock::new(|| std::env::var_os("MIERUKA_PROFILE").is_some());
type TemplateTimes = std::collections::BTreeMap<Template, (usize, std::time::Duration)>;
static TEMPLATE_TIMES: Mutex<TemplateTimes> = Mutex::new(std::collections::BTreeMap::new());

/// Prints the per-template times gathered under `MIERUKA_PROFILE` (CPU time summed over threads).
pub fn print_template_times() {
    if !*PROFILE {
        return;
    }
    for (t, (n, tera)) in TEMPLATE_TIMES.lock().expect("no panics while holding it").iter() {
        eprintln!("profile:   {:<18} {n:>6} renders  tera {:>7.1} ms", t.file_name(), tera.as_secs_f64() * 1e3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_is_put_in_apart_only_with_the_built_in_layout_or_a_copy_of_it() {
        let apart = |files: &[(&str, &str)]| {
            let tmp = tempfile::tempdir().unwrap();
            std::fs::create_dir(tmp.path().join("templates")).unwrap();
            for (name, text) in files {
                std::fs::write(tmp.path().join("templates").join(name), text).unwrap();
            }
            Templates::load(tmp.path()).map_err(|e| e.to_string()).unwrap().footer_apart()
        };
        let base = Template::Base.built_in();
        assert!(apart(&[]));
        assert!(apart(&[("base.html", base)]), "a copy of the built-in layout");
        let wrapped = base.replace("{{ common.footer | safe }}", "<div>{{ common.footer | safe }}</div>");
        assert!(!apart(&[("base.html", &wrapped)]), "the site's own layout");
        let goal =
            Template::Goal.built_in().replace("{% block main %}", "{% block main %}{{ common.footer | length }}");
        assert_ne!(goal, Template::Goal.built_in());
        assert!(!apart(&[("goal.html", &goal)]), "another template reads the footer");
        let other = Template::Goal.built_in().replace("{% block main %}", "{% block main %}<p>own</p>");
        assert!(apart(&[("goal.html", &other)]), "another template of its own that does not read it");
    }

    #[test]
    fn every_template_is_listed_once_and_every_built_in_file_is_one() {
        let names: std::collections::BTreeSet<&str> = Template::ALL.iter().map(|t| t.file_name()).collect();
        assert_eq!(names.len(), Template::ALL.len());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut files: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        files.sort();
        let mut listed: Vec<String> = names.iter().map(|n| (*n).to_string()).collect();
        listed.sort();
        assert_eq!(files, listed, "templates/ and Template::ALL differ");
    }
}
