//! An initiative's page (具体的取組): its content, targets, withdrawal criteria, results and
//! indicator cards.

use crate::data::DownloadLink;
use crate::error::Error;
use crate::model::{Initiative, ReportIn};
use crate::render::cite::{self, Citation};
use crate::render::components::Description;
use crate::render::components::{InitiativeView, initiative_view};
use crate::render::{Cards, Cx, Head, Page, Template};
use crate::text;
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct InitiativePage {
    ward: String,
    year: String,
    report_url: String,
    initiative: InitiativeView,
    downloads: Vec<DownloadLink>,
    citation: Citation,
}

pub(crate) fn view(cx: &Cx, cards: &Cards, at: ReportIn, i: &Initiative) -> Result<Page, Error> {
    let mut view = initiative_view(cx, at, i);
    view.indicators = cards.cards(&view.measurements)?;
    let fy = at.report.fiscal_year;
    let path = urls::initiative(&at.city.id, &at.ward.id, fy, &i.id);
    let head = Head {
        title: format!(
            "取組{}{} {} {}",
            view.summary.label,
            text::summary(&i.title, 40),
            at.ward_full_name(),
            fy.era_label()
        ),
        description: Description::summary(
            format!("{} {} 取組{}：", at.ward_full_name(), fy.era_label(), view.summary.label),
            &i.content,
            100,
        ),
        crumbs: cx.report_crumbs(at, Some((&format!("取組{}", view.summary.label), &path))),
        updated: at.report.updated.clone(),
        draft: at.report.draft,
        source: crate::render::components::source_link(cx.urls, at),
        ..Head::default()
    };
    let citation = cite::item_citation(
        cx,
        at,
        format!("{}-{}-{}-initiative-{}", at.city.id, at.ward.id, fy.western(), i.id),
        &format!("取組{}「{}」", view.summary.label, i.title),
        &path,
    );
    let page = InitiativePage {
        citation,
        ward: at.ward_full_name(),
        year: fy.label(),
        report_url: cx.urls.link(&urls::report(&at.city.id, &at.ward.id, fy)),
        initiative: view,
        downloads: cx.report_downloads(at),
    };
    Ok(Page::lazy(Template::Initiative, path, head, page))
}
