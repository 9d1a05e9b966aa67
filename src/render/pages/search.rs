//! The search page: a form that searches the Pagefind index in the browser, and, for every
//! reader (with or without JavaScript), the index of every indicator grouped by ward and goal.

use crate::link::Series;
use crate::model::{City, IndicatorId, SeriesKey, Ward};
use crate::render::{Cx, Head, Page, Template};
use crate::search;
use crate::urls;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
struct Filter {
    /// The filter's name in the index (市, 区, 年度, 状況), also its label.
    name: &'static str,
    /// The `name` of its select element.
    key: &'static str,
    options: Vec<String>,
}

#[derive(Serialize)]
struct IndicatorLink {
    name: String,
    url: String,
    latest: String,
    status: &'static str,
}

#[derive(Serialize)]
struct GoalGroup {
    title: String,
    url: String,
    indicators: Vec<IndicatorLink>,
}

#[derive(Serialize)]
struct WardGroup {
    name: String,
    url: String,
    /// The fiscal year of the report whose goals group the indicators.
    year: String,
    goals: Vec<GoalGroup>,
    /// Indicators the latest report no longer gives (earlier reports only).
    earlier: Vec<IndicatorLink>,
}

#[derive(Serialize)]
struct SearchPage {
    /// Where Pagefind's files are, for the script.
    pagefind: String,
    base: String,
    filters: Vec<Filter>,
    wards: Vec<WardGroup>,
    indicator_count: usize,
}

fn link(cx: &Cx, city: &City, ward: &Ward, s: &Series) -> IndicatorLink {
    IndicatorLink {
        name: s.indicator.name.clone(),
        url: cx.urls.link(&urls::series(&city.id, &ward.id, &s.indicator.id)),
        latest: s.latest().map(|p| format!("{} {}", p.year.era_label(), p.label())).unwrap_or_default(),
        status: s.assessment.status.label(),
    }
}

fn ward_group(cx: &Cx, city: &City, ward: &Ward) -> Option<WardGroup> {
    let latest = ward.reports.last()?;
    let series = |id: &IndicatorId| {
        cx.linked.series.get(&SeriesKey { city: city.id.clone(), ward: ward.id.clone(), indicator: id.clone() })
    };
    let mut listed = BTreeSet::new();
    let goals = latest
        .goals
        .iter()
        .map(|g| {
            // The goal's outcome indicators, then those of the initiatives serving it.
            let ids = g.outcomes.iter().map(|m| &m.indicator.id).chain(
                latest
                    .initiatives
                    .iter()
                    .filter(|i| i.goal.as_ref() == Some(&g.id))
                    .flat_map(|i| i.indicators.iter().map(|m| &m.indicator.id)),
            );
            let indicators = ids
                .filter(|id| listed.insert((*id).clone()))
                .filter_map(|id| series(id).map(|s| link(cx, city, ward, s)))
                .collect();
            GoalGroup {
                title: format!("【{}】{}", g.id, g.title),
                url: cx.urls.link(&urls::goal(&city.id, &ward.id, latest.fiscal_year, &g.id)),
                indicators,
            }
        })
        .collect();
    let earlier = cx
        .linked
        .series
        .values()
        .filter(|s| s.city == city.id && s.ward == ward.id && !listed.contains(&s.indicator.id))
        .map(|s| link(cx, city, ward, s))
        .collect();
    Some(WardGroup {
        name: format!("{}{}", city.name, ward.name),
        url: cx.urls.link(&urls::ward(&city.id, &ward.id)),
        year: latest.fiscal_year.label(),
        goals,
        earlier,
    })
}

pub(crate) fn view(cx: &Cx) -> Page {
    let site = cx.site;
    let mut years: Vec<_> = site.reports().map(|at| at.report.fiscal_year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let statuses = search::statuses(site, cx.linked);
    let options = [
        site.cities.iter().map(|c| c.name.clone()).collect(),
        site.cities
            .iter()
            .flat_map(|c| c.wards.iter().map(|w| w.name.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        years.iter().map(|y| y.label()).collect(),
        statuses.iter().map(|s| s.label().to_string()).collect(),
    ];
    let keys = ["city", "ward", "year", "status"];
    let filters = search::FILTERS
        .iter()
        .zip(keys)
        .zip(options)
        .map(|((name, key), options)| Filter { name, key, options })
        .collect();
    let wards: Vec<WardGroup> =
        site.cities.iter().flat_map(|c| c.wards.iter().filter_map(move |w| ward_group(cx, c, w))).collect();
    let title = "サイト内検索と指標の一覧";
    let head = Head {
        title: title.into(),
        description: "報告・目標・取組・指標をことばで探す検索と、区・目標ごとのすべての指標の一覧".into(),
        crumbs: cx.crumbs(&[(title, urls::SEARCH)]),
        ..Head::default()
    };
    let body = SearchPage {
        pagefind: cx.urls.link(&format!("{}pagefind.js", search::FOLDER)),
        base: cx.urls.base_path.clone(),
        filters,
        indicator_count: cx.linked.series.len(),
        wards,
    };
    Page::lazy(Template::Search, urls::SEARCH.into(), head, body)
}
