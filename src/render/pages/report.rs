//! A report's page (one ward, one fiscal year), made with its goal pages: each goal's view
//! and indicator cards are made once and shown on both.

use super::goal;
use crate::error::Error;
use crate::images::card;
use crate::model::{RatingCounts, ReportIn};
use crate::render::cite::{self, ReportData};
use crate::render::components::Description;
use crate::render::components::{
    InitiativeSummary, SourceLink, YearLink, goal_view, initiative_summary, source_link, year_link,
};
use crate::render::{Cards, Cx, Head, Page, Template};
use crate::text;
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct ReportPage {
    city: String,
    ward: String,
    year: String,
    title: String,
    intro: String,
    source: Option<SourceLink>,
    notes: Vec<String>,
    counts: RatingCounts,
    other_initiatives: Vec<InitiativeSummary>,
    previous: Option<YearLink>,
    next: Option<YearLink>,
    /// What changed since the previous report (only when there is one).
    changes_url: Option<String>,
    data: ReportData,
}

/// The report page and its goal pages.
pub(crate) fn views(cx: &Cx, cards: &Cards, at: ReportIn) -> Result<Vec<Page>, Error> {
    let ReportIn { city, ward, report } = at;
    let mut goals = Vec::with_capacity(report.goals.len());
    for g in &report.goals {
        let mut view = goal_view(cx, at, g);
        view.outcomes = cards.cards(&view.measurements)?;
        goals.push((g, view));
    }
    // Each goal's template value is made once, for its own page and the report page.
    let values: Vec<tera::Value> = goals.iter().map(|(_, view)| tera::Value::from_serializable(view)).collect();
    let mut pages = Vec::with_capacity(goals.len() + 1);
    for ((g, view), value) in goals.iter().zip(&values) {
        pages.push(goal::view(cx, at, g, view, value.clone()));
    }
    let fy = report.fiscal_year;
    let path = urls::report(&city.id, &ward.id, fy);
    let index = ward.reports.iter().position(|r| r.fiscal_year == fy).expect("a report of its ward");
    let page = ReportPage {
        city: city.name.clone(),
        ward: ward.name.clone(),
        year: fy.label(),
        title: report.title.clone(),
        intro: report.intro.as_deref().map(|t| text::markdown_under(t, 1)).unwrap_or_default(),
        source: source_link(cx.urls, at),
        notes: report.transcription_notes.iter().map(|n| text::markdown(n)).collect(),
        counts: report.rating_counts(),
        other_initiatives: report
            .initiatives
            .iter()
            .filter(|i| i.goal.is_none())
            .map(|i| initiative_summary(cx, at, i))
            .collect(),
        previous: index.checked_sub(1).map(|p| year_link(cx.urls, &city.id, &ward.id, ward.reports[p].fiscal_year)),
        next: ward.reports.get(index + 1).map(|n| year_link(cx.urls, &city.id, &ward.id, n.fiscal_year)),
        changes_url: crate::overview::previous_report(ward, report)
            .map(|_| cx.urls.link(&urls::changes(&city.id, &ward.id, fy))),
        data: cite::report_data(cx, at),
    };
    let preview = preview(cx, at, &path, &page.counts);
    let head = Head {
        title: format!("{}{} {}の自己評価", city.name, ward.name, fy.label()),
        description: Description::summary(
            "",
            &format!("{}{} {}：{}", city.name, ward.name, fy.label(), report.title),
            120,
        ),
        crumbs: cx.report_crumbs(at, None),
        updated: report.updated.clone(),
        json_ld: Some(cite::report_json_ld(cx, at, &page.data)),
        canonical: None,
        draft: report.draft,
        source: None,
        image: preview.as_ref().map(|(image, _)| image.clone()),
    };
    let mut page = Page::lazy(Template::Report, path, head, page).with_field("goals", tera::Value::from(values));
    page.files.extend(preview.map(|(_, file)| file));
    pages.push(page);
    Ok(pages)
}

/// The report's preview image: its ward, year and title, and its rating counts (as the page
/// gives them).
fn preview(
    cx: &Cx,
    at: ReportIn,
    path: &str,
    counts: &RatingCounts,
) -> Option<(crate::render::PreviewImage, crate::output::Output)> {
    let ReportIn { city, ward, report } = at;
    let kicker = format!("{}{}・{}", city.name, ward.name, report.fiscal_year.label());
    let rows =
        vec![("目標全体", counts.goals_a, counts.goals_b), ("指標ごと", counts.indicators_a, counts.indicators_b)];
    let mut alt = format!("{kicker}「{}」", report.title);
    let said: Vec<String> = rows
        .iter()
        .filter(|(_, a, b)| a + b > 0)
        .map(|(l, a, b)| format!("{l} A（順調）{a}件・B（順調でない）{b}件"))
        .collect();
    if !said.is_empty() {
        alt.push_str(&format!("。アウトカムの達成状況：{}", said.join("、")));
    }
    let card = card::Card::Report {
        site: &cx.config.title,
        kicker: &kicker,
        title: &report.title,
        counts: card::Counts { rows },
    };
    cx.preview(path, &card, alt)
}
