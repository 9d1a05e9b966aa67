//! The home page: every city, its wards and their reports.

use crate::render::components::{YearLink, year_link};
use crate::render::{Cx, Head, Page, Template};
use crate::text;
use crate::urls;
use serde::Serialize;

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
struct HomePage {
    intro: String,
    cities: Vec<CityRow>,
}

pub(crate) fn view(cx: &Cx) -> Page {
    let cities = cx
        .site
        .cities
        .iter()
        .map(|c| CityRow {
            name: c.name.clone(),
            url: cx.urls.link(&urls::city(&c.id)),
            wards: c
                .wards
                .iter()
                .map(|w| WardRow {
                    name: w.name.clone(),
                    url: cx.urls.link(&urls::ward(&c.id, &w.id)),
                    reports: w.reports.iter().rev().map(|r| year_link(cx.urls, &c.id, &w.id, r.fiscal_year)).collect(),
                })
                .collect(),
        })
        .collect();
    let intro = cx.site.home_intro.as_deref().unwrap_or("");
    let head = Head { title: cx.config.title.clone(), description: cx.config.description.clone(), ..Head::default() };
    Page::new(Template::Home, urls::home(), head, &HomePage { intro: text::markdown_under(intro, 1), cities })
}
