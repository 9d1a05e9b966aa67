//! 進捗状況の一覧: how many indicators stand in each computed status and each self-rating, by
//! ward and fiscal year, for a city or the whole site, each count a link to the list of exactly
//! those indicators (one list page per status or rating, a section per ward and year, so a
//! reader filters without JavaScript); and the disagreements between rating and status.

use crate::model::{City, ReportIn};
use crate::overview::{Entry, Standing};
use crate::render::components::{CodeView, code_view};
use crate::render::{Cx, Head, Page, Template};
use crate::urls;
use serde::Serialize;

/// The reports a page covers (a city's, or every one), each with its indicators.
fn scope<'c, 'a>(cx: &'c Cx<'a>, city: Option<&City>) -> Vec<&'c (ReportIn<'a>, Vec<Entry<'a>>)> {
    cx.entries().iter().filter(|(at, _)| city.is_none_or(|c| c.id == at.city.id)).collect()
}

/// A count, linked to its list when it is not zero.
#[derive(Serialize)]
struct Count {
    n: usize,
    url: Option<String>,
}

#[derive(Serialize)]
struct Row {
    /// 「北区 平成28年度（2016年度）」, 「大阪市北区 …」 on the site's page.
    name: String,
    report_url: String,
    statuses: Vec<Count>,
    ratings: Vec<Count>,
    total: usize,
}

#[derive(Serialize)]
struct Column {
    label: &'static str,
    /// The list page of every indicator in it.
    url: String,
}

#[derive(Serialize)]
struct Disagreement {
    place: String,
    name: String,
    url: String,
    rating: Option<CodeView>,
    status: &'static str,
}

#[derive(Serialize)]
struct CityLink {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct StatusPage {
    /// 「大阪市」, or empty for the whole site.
    city: String,
    status_columns: Vec<Column>,
    rating_columns: Vec<Column>,
    rows: Vec<Row>,
    totals: Row,
    disagreements: Vec<Disagreement>,
    /// The cities' own summaries (on the site's page): each `{name, url}`.
    cities: Vec<CityLink>,
}

fn place(at: ReportIn, site_wide: bool) -> String {
    let ward = if site_wide { at.ward_full_name() } else { at.ward.name.clone() };
    format!("{ward} {}", at.report.fiscal_year.label())
}

pub(crate) fn summary(cx: &Cx, city: Option<&City>) -> Page {
    let site_wide = city.is_none();
    let cid = city.map(|c| &c.id);
    let reports = scope(cx, city);
    let list_url = |s: Standing| cx.urls.link(&urls::status_list(cid, s.slug()));
    let columns = |statuses: bool| {
        Standing::ALL
            .into_iter()
            .filter(|s| matches!(s, Standing::Status(_)) == statuses)
            .map(|s| Column { label: s.label(), url: list_url(s) })
            .collect::<Vec<_>>()
    };
    let count = |s: Standing, n: usize, anchor: Option<String>| Count {
        n,
        url: (n > 0).then(|| match &anchor {
            Some(a) => format!("{}#{a}", list_url(s)),
            None => list_url(s),
        }),
    };
    let counts = |list: &[&Entry], anchor: Option<String>, statuses: bool| {
        Standing::ALL
            .into_iter()
            .filter(|s| matches!(s, Standing::Status(_)) == statuses)
            .map(|s| count(s, list.iter().filter(|e| s.holds(e)).count(), anchor.clone()))
            .collect::<Vec<_>>()
    };
    let mut rows = Vec::new();
    let mut all: Vec<&Entry> = Vec::new();
    let mut disagreements = Vec::new();
    // Ward by ward, the newest year first.
    let mut ordered = reports;
    ordered.sort_by(|a, b| {
        (a.0.city.id.as_str(), a.0.ward.id.as_str(), std::cmp::Reverse(a.0.report.fiscal_year)).cmp(&(
            b.0.city.id.as_str(),
            b.0.ward.id.as_str(),
            std::cmp::Reverse(b.0.report.fiscal_year),
        ))
    });
    for (at, list) in ordered {
        let refs: Vec<&Entry> = list.iter().collect();
        let anchor = urls::status_anchor(&at.city.id, &at.ward.id, at.report.fiscal_year, site_wide);
        rows.push(Row {
            name: place(*at, site_wide),
            report_url: cx.urls.link(&urls::report(&at.city.id, &at.ward.id, at.report.fiscal_year)),
            statuses: counts(&refs, Some(anchor.clone()), true),
            ratings: counts(&refs, Some(anchor), false),
            total: refs.len(),
        });
        for e in list.iter().filter(|e| e.disagrees()) {
            disagreements.push(Disagreement {
                place: place(*at, site_wide),
                name: e.series.indicator.name.clone(),
                url: format!(
                    "{}#fy{}",
                    cx.urls.link(&urls::series(&e.series.city, &e.series.ward, &e.series.indicator.id)),
                    e.point.year.western()
                ),
                rating: e.rating.as_ref().map(code_view),
                status: e.status.label(),
            });
        }
        all.extend(refs);
    }
    let totals = Row {
        name: "合計".into(),
        report_url: String::new(),
        statuses: counts(&all, None, true),
        ratings: counts(&all, None, false),
        total: all.len(),
    };
    let path = urls::status(cid);
    let title = match city {
        Some(c) => format!("{}の指標の進捗状況の一覧", c.name),
        None => "指標の進捗状況の一覧".to_string(),
    };
    let mut crumbs: Vec<(&str, String)> = Vec::new();
    if let Some(c) = city {
        crumbs.push((&c.name, urls::city(&c.id)));
    }
    crumbs.push(("進捗状況の一覧", path.clone()));
    let crumbs: Vec<(&str, &str)> = crumbs.iter().map(|(n, p)| (*n, p.as_str())).collect();
    let head = Head {
        description: format!("{title}：区・年度ごとに、推移からの判定と区の評価ごとの指標の数").into(),
        crumbs: cx.crumbs(&crumbs),
        title,
        ..Head::default()
    };
    let page = StatusPage {
        city: city.map(|c| c.name.clone()).unwrap_or_default(),
        status_columns: columns(true),
        rating_columns: columns(false),
        rows,
        totals,
        disagreements,
        cities: if site_wide {
            let link = |c: &City| CityLink { name: c.name.clone(), url: cx.urls.link(&urls::status(Some(&c.id))) };
            cx.site.cities.iter().map(link).collect()
        } else {
            Vec::new()
        },
    };
    Page::lazy(Template::Status, path, head, page)
}

#[derive(Serialize)]
struct ListItem {
    name: String,
    url: String,
    value: String,
    rating: Option<CodeView>,
    status: &'static str,
}

#[derive(Serialize)]
struct ListSection {
    anchor: String,
    name: String,
    report_url: String,
    items: Vec<ListItem>,
}

#[derive(Serialize)]
struct ListPage {
    city: String,
    label: &'static str,
    /// Whether it lists a computed status (else a self-rating).
    computed: bool,
    summary_url: String,
    sections: Vec<ListSection>,
    total: usize,
}

pub(crate) fn list(cx: &Cx, city: Option<&City>, standing: Standing) -> Page {
    let site_wide = city.is_none();
    let cid = city.map(|c| &c.id);
    let mut sections = Vec::new();
    let mut reports = scope(cx, city);
    reports.sort_by(|a, b| {
        (a.0.city.id.as_str(), a.0.ward.id.as_str(), std::cmp::Reverse(a.0.report.fiscal_year)).cmp(&(
            b.0.city.id.as_str(),
            b.0.ward.id.as_str(),
            std::cmp::Reverse(b.0.report.fiscal_year),
        ))
    });
    for (at, list) in &reports {
        let fy = at.report.fiscal_year;
        let items: Vec<ListItem> = list
            .iter()
            .filter(|e| standing.holds(e))
            .map(|e| ListItem {
                name: e.series.indicator.name.clone(),
                url: format!(
                    "{}#fy{}",
                    cx.urls.link(&urls::series(&e.series.city, &e.series.ward, &e.series.indicator.id)),
                    fy.western()
                ),
                value: e.point.label(),
                rating: e.rating.as_ref().map(code_view),
                status: e.status.label(),
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        sections.push(ListSection {
            anchor: urls::status_anchor(&at.city.id, &at.ward.id, fy, site_wide),
            name: place(*at, site_wide),
            report_url: cx.urls.link(&urls::report(&at.city.id, &at.ward.id, fy)),
            items,
        });
    }
    let total = sections.iter().map(|s| s.items.len()).sum();
    let path = urls::status_list(cid, standing.slug());
    let summary_path = urls::status(cid);
    let whose = city.map_or_else(String::new, |c| c.name.clone());
    let title = format!("{whose}「{}」の指標", standing.label());
    let mut crumbs: Vec<(&str, String)> = Vec::new();
    if let Some(c) = city {
        crumbs.push((&c.name, urls::city(&c.id)));
    }
    crumbs.push(("進捗状況の一覧", summary_path.clone()));
    crumbs.push((standing.label(), path.clone()));
    let crumbs: Vec<(&str, &str)> = crumbs.iter().map(|(n, p)| (*n, p.as_str())).collect();
    let head = Head {
        description: format!("{title}の一覧（区・年度ごと）").into(),
        crumbs: cx.crumbs(&crumbs),
        title,
        ..Head::default()
    };
    let page = ListPage {
        city: whose,
        label: standing.label(),
        computed: matches!(standing, Standing::Status(_)),
        summary_url: cx.urls.link(&summary_path),
        sections,
        total,
    };
    Page::lazy(Template::StatusList, path, head, page)
}
