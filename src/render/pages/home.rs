//! The home page: for each city, a ward × fiscal-year matrix of how the goals stand (by the
//! ward's own rating and by the computed status of their outcome indicators), each cell a link
//! to that report; the most recent year first.

use crate::model::ReportIn;
use crate::overview::{GoalStanding, goal_standing};
use crate::render::{Cx, Head, Page, Template};
use crate::text;
use crate::urls;
use serde::Serialize;

/// One cell: a ward's year, and its report (`None` without one) with how its goals stand.
#[derive(Serialize)]
struct Cell {
    /// 「平成28年度（2016年度）」: the column's year (narrow screens print it in the cell).
    year: String,
    report: Option<CellReport>,
}

#[derive(Serialize)]
struct CellReport {
    url: String,
    #[serde(flatten)]
    standing: GoalStanding,
}

#[derive(Serialize)]
struct WardRow {
    name: String,
    url: String,
    /// One per year of `CityRow::years`.
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct CityRow {
    name: String,
    url: String,
    status_url: String,
    /// The fiscal years any ward of the city reports, newest first (the matrix's columns).
    years: Vec<String>,
    wards: Vec<WardRow>,
}

#[derive(Serialize)]
struct HomePage {
    intro: String,
    cities: Vec<CityRow>,
    /// The status summary of the whole site.
    status_url: String,
}

pub(crate) fn view(cx: &Cx) -> Page {
    let cities = cx
        .site
        .cities
        .iter()
        .map(|c| {
            let mut years: Vec<_> = c.wards.iter().flat_map(|w| w.reports.iter().map(|r| r.fiscal_year)).collect();
            years.sort_unstable_by(|a, b| b.cmp(a));
            years.dedup();
            CityRow {
                name: c.name.clone(),
                url: cx.urls.link(&urls::city(&c.id)),
                status_url: cx.urls.link(&urls::status(Some(&c.id))),
                years: years.iter().map(|y| y.label()).collect(),
                wards: c
                    .wards
                    .iter()
                    .map(|w| WardRow {
                        name: w.name.clone(),
                        url: cx.urls.link(&urls::ward(&c.id, &w.id)),
                        cells: years
                            .iter()
                            .map(|&fy| Cell {
                                year: fy.label(),
                                report: w.reports.iter().find(|r| r.fiscal_year == fy).map(|report| CellReport {
                                    url: cx.urls.link(&urls::report(&c.id, &w.id, fy)),
                                    standing: goal_standing(cx.linked, ReportIn { city: c, ward: w, report }),
                                }),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let intro = cx.site.home_intro.as_deref().unwrap_or("");
    let head =
        Head { title: cx.config.title.clone(), description: cx.config.description.as_str().into(), ..Head::default() };
    let page =
        HomePage { intro: text::markdown_under(intro, 1), cities, status_url: cx.urls.link(&urls::status(None)) };
    Page::lazy(Template::Home, urls::home(), head, page)
}
