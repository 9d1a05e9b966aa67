//! A ward's page: its reports, newest first, and every indicator it reports.

use crate::link::Point;
use crate::model::{City, RatingCounts, Ward};
use crate::render::{Cx, Head, Page, Template};
use crate::text;
use crate::urls;
use serde::Serialize;

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
struct WardPage {
    name: String,
    city: String,
    description: String,
    reports: Vec<ReportRow>,
    indicators: Vec<IndicatorRow>,
}

pub(crate) fn view(cx: &Cx, city: &City, ward: &Ward) -> Page {
    let reports = ward
        .reports
        .iter()
        .rev()
        .map(|r| ReportRow {
            year: r.fiscal_year.label(),
            url: cx.urls.link(&urls::report(&city.id, &ward.id, r.fiscal_year)),
            title: r.title.clone(),
            goals: r.goals.len(),
            initiatives: r.initiatives.len(),
            counts: r.rating_counts(),
        })
        .collect();
    let indicators = cx
        .linked
        .series
        .values()
        .filter(|s| s.city == city.id && s.ward == ward.id)
        .map(|s| IndicatorRow {
            name: s.indicator.name.clone(),
            url: cx.urls.link(&urls::series(&city.id, &ward.id, &s.indicator.id)),
            years: match (s.points.first(), s.points.last()) {
                (Some(a), Some(b)) if a.year != b.year => format!("{}〜{}年度", a.year.western(), b.year.western()),
                (Some(a), _) => format!("{}年度", a.year.western()),
                _ => String::new(),
            },
            latest: s.latest().map(Point::label),
            progress: s.assessment.status.label().to_string(),
        })
        .collect();
    let path = urls::ward(&city.id, &ward.id);
    let title = format!("{}{}", city.name, ward.name);
    let head = Head {
        description: format!("{title}の区政運営の自己評価：年度ごとの報告と指標の推移"),
        crumbs: cx.crumbs(&[(&city.name, &urls::city(&city.id)), (&ward.name, &path)]),
        title,
        ..Head::default()
    };
    let page = WardPage {
        name: ward.name.clone(),
        city: city.name.clone(),
        description: text::markdown_under(&ward.description, 1),
        reports,
        indicators,
    };
    Page::new(Template::Ward, path, head, &page)
}
