//! A ward's page: its reports, newest first, with what changed in each; then its goals in the
//! report's order, each with its indicators: a sparkline of every year, the latest value, the
//! ward's rating and the computed status; an indicator a later report no longer gives says so.

use crate::link::Series;
use crate::model::{City, GoalId, RatingCounts, ReportIn, Ward};
use crate::overview::{disagree, previous_report};
use crate::render::components::{CodeView, code_view};
use crate::render::{Cx, Head, Page, Template, sparkline};
use crate::text;
use crate::urls;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
struct ReportRow {
    year: String,
    url: String,
    title: String,
    goals: usize,
    initiatives: usize,
    counts: RatingCounts,
}

/// A report's "what changed" page, for a report that has a previous one.
#[derive(Serialize)]
struct ChangesLink {
    year: String,
    previous: String,
    url: String,
}

#[derive(Serialize)]
struct IndicatorRow {
    name: String,
    url: String,
    /// The sparkline, `aria-hidden` (**HTML**), and its words.
    sparkline: String,
    sparkline_text: String,
    /// 「平成30年度（2018年度）」 and the value as printed.
    latest_year: String,
    latest: String,
    rating: Option<CodeView>,
    /// The computed status as of the latest year (the series page's words).
    status: &'static str,
    disagrees: bool,
    /// An outcome of the goal (else an initiative's indicator).
    outcome: bool,
    /// 「平成29年度は報告なし」 when later reports of the ward no longer give it.
    not_reported: Option<String>,
}

#[derive(Serialize)]
struct GoalRow {
    /// 「【1-1】」; empty for the indicators of initiatives without a goal.
    label: String,
    title: String,
    /// The goal page of the newest report that has the goal.
    url: Option<String>,
    /// The newest report with it, when older than the ward's newest: 「平成28年度の報告まで」.
    until: Option<String>,
    indicators: Vec<IndicatorRow>,
}

#[derive(Serialize)]
struct WardPage {
    name: String,
    city: String,
    description: String,
    reports: Vec<ReportRow>,
    changes: Vec<ChangesLink>,
    goals: Vec<GoalRow>,
}

/// One indicator row of the ward page.
fn indicator_row(cx: &Cx, ward: &Ward, s: &Series, outcome: bool) -> IndicatorRow {
    let latest = s.latest().expect("a series has a point");
    let given: BTreeSet<_> =
        ward.reports.iter().map(|r| r.fiscal_year).filter(|&fy| s.reported(fy).is_some()).collect();
    let last_given = given.iter().next_back().copied();
    let missing: Vec<String> = ward
        .reports
        .iter()
        .map(|r| r.fiscal_year)
        .filter(|&fy| last_given.is_some_and(|l| fy > l))
        .map(crate::ja::FiscalYear::era_label)
        .collect();
    let (svg, words) = sparkline::sparkline(s);
    let status = s.assessment_at(latest.year).status;
    IndicatorRow {
        name: s.indicator.name.clone(),
        url: cx.urls.link(&urls::series(&s.city, &s.ward, &s.indicator.id)),
        sparkline: svg,
        sparkline_text: words,
        latest_year: latest.year.label(),
        latest: latest.label(),
        rating: latest.rating.as_ref().map(code_view),
        status: status.label(),
        disagrees: disagree(latest.rating, status),
        outcome,
        not_reported: (!missing.is_empty()).then(|| format!("{}は報告なし", missing.join("・"))),
    }
}

/// The ward's goals, in the order of its newest report, then those only older reports have;
/// under each, every indicator any report gives for it (outcomes first), each once.
fn goals(cx: &Cx, city: &City, ward: &Ward) -> Vec<GoalRow> {
    let newest = ward.reports.last().map(|r| r.fiscal_year);
    let mut order: Vec<&GoalId> = Vec::new();
    for r in ward.reports.iter().rev() {
        for g in &r.goals {
            if !order.contains(&&g.id) {
                order.push(&g.id);
            }
        }
    }
    let mut seen: BTreeSet<&crate::model::IndicatorId> = BTreeSet::new();
    let mut rows: Vec<GoalRow> = Vec::new();
    let mut no_goal: Vec<IndicatorRow> = Vec::new();
    let per_report: Vec<_> =
        ward.reports.iter().rev().map(|report| (report, cx.entries_of(ReportIn { city, ward, report }))).collect();
    for id in order {
        let (report, goal) =
            ward.reports.iter().rev().find_map(|r| r.goal(id).map(|g| (r, g))).expect("the goal is in a report");
        let mut indicators = Vec::new();
        for (_, list) in &per_report {
            for e in list.iter().filter(|e| e.goal == Some(id)) {
                if seen.insert(&e.series.indicator.id) {
                    indicators.push(indicator_row(cx, ward, e.series, e.outcome));
                }
            }
        }
        indicators.sort_by_key(|i| !i.outcome);
        rows.push(GoalRow {
            label: format!("【{id}】"),
            title: goal.title.clone(),
            url: Some(cx.urls.link(&urls::goal(&city.id, &ward.id, report.fiscal_year, id))),
            until: (Some(report.fiscal_year) != newest)
                .then(|| format!("{}の報告まで", report.fiscal_year.era_label())),
            indicators,
        });
    }
    for (_, list) in &per_report {
        for e in *list {
            if seen.insert(&e.series.indicator.id) {
                no_goal.push(indicator_row(cx, ward, e.series, e.outcome));
            }
        }
    }
    if !no_goal.is_empty() {
        rows.push(GoalRow {
            label: String::new(),
            title: "目標に属さない取組の指標".into(),
            url: None,
            until: None,
            indicators: no_goal,
        });
    }
    rows
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
    let changes = ward
        .reports
        .iter()
        .rev()
        .filter_map(|r| {
            let before = previous_report(ward, r)?;
            Some(ChangesLink {
                year: r.fiscal_year.label(),
                previous: before.fiscal_year.era_label(),
                url: cx.urls.link(&urls::changes(&city.id, &ward.id, r.fiscal_year)),
            })
        })
        .collect();
    let path = urls::ward(&city.id, &ward.id);
    let title = format!("{}{}", city.name, ward.name);
    let head = Head {
        description: format!("{title}の区政運営の自己評価：年度ごとの報告、目標ごとの指標の推移と進捗状況").into(),
        crumbs: cx.crumbs(&[(&city.name, &urls::city(&city.id)), (&ward.name, &path)]),
        title,
        ..Head::default()
    };
    let page = WardPage {
        name: ward.name.clone(),
        city: city.name.clone(),
        description: text::markdown_under(&ward.description, 1),
        reports,
        changes,
        goals: goals(cx, city, ward),
    };
    Page::lazy(Template::Ward, path, head, page)
}
