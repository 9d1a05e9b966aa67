//! Discovery: `sitemap.xml`, `robots.txt` and the Atom feed `feed.xml` of published reports.
//!
//! Dates come from content only (`updated` in report.toml), never from the build clock, so
//! two builds of the same content are byte-identical. A report without `updated` is left out
//! of the feed (an Atom entry must carry a date, and none is invented); the feed's own
//! `<updated>` is the newest entry's date. With no dated report at all, no feed is written
//! and no page links one.

use crate::config::SiteConfig;
use crate::link::Linked;
use crate::model::{ReportIn, Site};
use crate::output::Output;
use crate::text::escape;
use crate::urls::{self, FEED, ROBOTS, SITEMAP, Urls};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// A date of content (`2017-06-30`) as an RFC 3339 timestamp: midnight, Japan time.
pub fn atom_date(iso: &str) -> String {
    format!("{iso}T00:00:00+09:00")
}

/// The reports in the feed: those with an `updated` date, newest first (then by city,
/// ward and fiscal year, newest year first).
pub fn feed_reports(site: &Site) -> Vec<(ReportIn<'_>, &str)> {
    let mut list: Vec<(ReportIn, &str)> =
        site.reports().filter_map(|at| Some((at, at.report.updated.as_deref()?))).collect();
    list.sort_by(|(a, a_date), (b, b_date)| {
        b_date
            .cmp(a_date)
            .then_with(|| a.city.id.cmp(&b.city.id))
            .then_with(|| a.ward.id.cmp(&b.ward.id))
            .then_with(|| b.report.fiscal_year.cmp(&a.report.fiscal_year))
    });
    list
}

/// Whether a feed is written (at least one report has a date).
pub fn has_feed(site: &Site) -> bool {
    !feed_reports(site).is_empty()
}

/// The page URL path of an HTML output that belongs in the sitemap: every page but the
/// 404 page and the chart-only embed pages.
pub fn sitemap_path(output: &str) -> Option<String> {
    if !output.ends_with(".html")
        || output == "404.html"
        || output == "embed/index.html"
        || output.ends_with("/embed/index.html")
    {
        return None;
    }
    Some(output.strip_suffix("index.html").map_or_else(|| output.to_string(), str::to_string))
}

/// `lastmod` of the pages whose content has a date: reports, their goals and initiatives,
/// and series (the newest report that gave them a value).
fn lastmod(site: &Site, linked: &Linked) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for ReportIn { city: c, ward: w, report: r } in site.reports() {
        let Some(d) = &r.updated else { continue };
        let fy = r.fiscal_year;
        map.insert(urls::report(&c.id, &w.id, fy), d.clone());
        for g in &r.goals {
            map.insert(urls::goal(&c.id, &w.id, fy, &g.id), d.clone());
        }
        for i in &r.initiatives {
            map.insert(urls::initiative(&c.id, &w.id, fy, &i.id), d.clone());
        }
    }
    for s in linked.series.values() {
        if let Some(d) = &s.updated {
            map.insert(urls::series(&s.city, &s.ward, &s.indicator.id), d.clone());
        }
    }
    map
}

/// Pages of renamed indicators' old ids: they only point to the new page, so are not listed.
fn moved_pages(linked: &Linked) -> BTreeSet<String> {
    linked.renamed.keys().map(|old| urls::series(&old.city, &old.ward, &old.indicator)).collect()
}

/// sitemap.xml of the given outputs' pages, absolute URLs, sorted.
pub fn sitemap(urls: &Urls, pages: &[String], lastmod: &BTreeMap<String, String>, moved: &BTreeSet<String>) -> String {
    let paths: BTreeSet<String> = pages.iter().filter_map(|p| sitemap_path(p)).filter(|p| !moved.contains(p)).collect();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in &paths {
        let _ = write!(s, "<url><loc>{}</loc>", escape(&urls.absolute(p)));
        if let Some(d) = lastmod.get(p) {
            let _ = write!(s, "<lastmod>{}</lastmod>", escape(d));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// robots.txt: everything allowed, and where the sitemap is.
pub fn robots(urls: &Urls) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.absolute(SITEMAP))
}

/// The Atom feed, or `None` when no report has a date.
pub fn feed(config: &SiteConfig, site: &Site, urls: &Urls) -> Option<String> {
    let entries = feed_reports(site);
    let newest = entries.first()?.1;
    let author = if config.publisher.is_empty() { &config.title } else { &config.publisher };
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n",
    );
    let _ = writeln!(s, "<id>{}</id>", escape(&urls.absolute(FEED)));
    let _ = writeln!(s, "<title>{}：報告の公開・更新</title>", escape(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(s, "<subtitle>{}</subtitle>", escape(&config.description));
    }
    let _ = writeln!(s, "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", escape(&urls.absolute(FEED)));
    let _ = writeln!(s, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(&urls.absolute("")));
    let _ = writeln!(s, "<updated>{}</updated>", atom_date(newest));
    let _ = writeln!(s, "<author><name>{}</name></author>", escape(author));
    if let Some(l) = &config.licence {
        let _ = writeln!(s, "<rights>{}</rights>", escape(&l.name));
    }
    s.push_str("<generator>mieruka</generator>\n");
    for (ReportIn { city: c, ward: w, report: r }, date) in entries {
        let fy = r.fiscal_year;
        let page = urls.absolute(&urls::report(&c.id, &w.id, fy));
        let counts = r.rating_counts();
        let summary = format!(
            "{}。目標{}件（アウトカムの達成状況 A：順調 {}件・B：順調でない {}件）、取組{}件。",
            r.title,
            r.goals.len(),
            counts.goals_a,
            counts.goals_b,
            r.initiatives.len()
        );
        s.push_str("<entry>\n");
        let _ = writeln!(s, "<id>{}</id>", escape(&page));
        let _ = writeln!(s, "<title>{}{} {}の自己評価</title>", escape(&c.name), escape(&w.name), escape(&fy.label()));
        let _ = writeln!(s, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(&page));
        let _ = writeln!(
            s,
            "<link rel=\"related\" type=\"text/csv\" title=\"CSV\" href=\"{}\"/>",
            escape(&urls.absolute(&urls::report_csv(&c.id, &w.id, fy)))
        );
        let _ = writeln!(s, "<published>{}</published>", atom_date(date));
        let _ = writeln!(s, "<updated>{}</updated>", atom_date(date));
        let _ = writeln!(s, "<summary type=\"text\">{}</summary>", escape(&summary));
        s.push_str("</entry>\n");
    }
    s.push_str("</feed>\n");
    Some(s)
}

/// sitemap.xml, robots.txt and feed.xml for the site whose files are `pages` (paths).
pub fn build(config: &SiteConfig, site: &Site, linked: &Linked, urls: &Urls, pages: &[String]) -> Vec<Output> {
    let mut files = vec![
        Output {
            path: SITEMAP.into(),
            bytes: sitemap(urls, pages, &lastmod(site, linked), &moved_pages(linked)).into_bytes(),
        },
        Output { path: ROBOTS.into(), bytes: robots(urls).into_bytes() },
    ];
    if let Some(f) = feed(config, site, urls) {
        files.push(Output { path: FEED.into(), bytes: f.into_bytes() });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_leaves_out_404_and_embeds() {
        assert_eq!(sitemap_path("index.html").as_deref(), Some(""));
        assert_eq!(sitemap_path("osaka/kita/2016/index.html").as_deref(), Some("osaka/kita/2016/"));
        assert_eq!(sitemap_path("404.html"), None);
        assert_eq!(sitemap_path("osaka/kita/indicators/x/embed/index.html"), None);
        assert_eq!(sitemap_path("osaka/kita/indicators/x/data.csv"), None);
    }

    #[test]
    fn dates_are_japan_midnight() {
        assert_eq!(atom_date("2017-06-30"), "2017-06-30T00:00:00+09:00");
    }
}
