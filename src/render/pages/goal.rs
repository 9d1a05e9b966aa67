//! A goal's page: its narrative, indicators and initiatives (made with its report's page,
//! which shows the same goal view without the narrative).

use crate::data::DownloadLink;
use crate::model::{Goal, ReportIn};
use crate::render::cite::{self, Citation};
use crate::render::components::Description;
use crate::render::components::GoalView;
use crate::render::{Cx, Head, Page, Template};
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct GoalPage {
    ward: String,
    year: String,
    report_url: String,
    downloads: Vec<DownloadLink>,
    citation: Citation,
}

/// `view` is the goal's view as the report page shows it; `value` is the same as a template
/// value, made once for both pages.
pub(crate) fn view(cx: &Cx, at: ReportIn, g: &Goal, view: &GoalView, value: tera::Value) -> Page {
    let fy = at.report.fiscal_year;
    let path = urls::goal(&at.city.id, &at.ward.id, fy, &g.id);
    let head = Head {
        title: format!("{}{} {} {}", view.label, view.title, at.ward_full_name(), fy.era_label()),
        description: Description::summary(
            format!("{} {} 目標{}：", at.ward_full_name(), fy.era_label(), view.label),
            &g.desired_state,
            100,
        ),
        crumbs: cx.report_crumbs(at, Some((&format!("目標{}", view.label), &path))),
        updated: at.report.updated.clone(),
        draft: at.report.draft,
        source: crate::render::components::source_link(cx.urls, at),
        ..Head::default()
    };
    let page = GoalPage {
        ward: at.ward_full_name(),
        year: fy.label(),
        report_url: cx.urls.link(&urls::report(&at.city.id, &at.ward.id, fy)),
        downloads: cx.report_downloads(at),
        citation: cite::item_citation(
            cx,
            at,
            format!("{}-{}-{}-goal-{}", at.city.id, at.ward.id, fy.western(), g.id),
            &format!("目標{}「{}」", view.label, g.title),
            &path,
        ),
    };
    Page::lazy(Template::Goal, path, head, page).with_field("goal", value)
}
