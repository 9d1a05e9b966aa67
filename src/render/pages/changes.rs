//! What changed in a report since the ward's previous report: ratings, values (better or worse
//! by the indicator's good direction), revised targets and deadlines, indicators added and
//! dropped, withdrawal criteria newly breached. Made only for a report that has a previous one
//! (the first report of a ward has no such page and no link to one).

use crate::link::Series;
use crate::model::ReportIn;
use crate::model::rating::OutcomeRating;
use crate::overview::{Changes, changes};
use crate::render::components::{CodeView, code_view, target_words};
use crate::render::{Cx, Head, Page, Template};
use crate::urls;
use serde::Serialize;

/// An indicator, linked to its series page.
#[derive(Serialize)]
struct IndicatorLink {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct RatingChange {
    /// The goal (「【1-1】…」) or the indicator.
    name: String,
    url: String,
    before: Option<CodeView>,
    after: Option<CodeView>,
}

#[derive(Serialize)]
struct ValueRow {
    indicator: IndicatorLink,
    before: String,
    after: String,
    /// 「改善」「悪化」「変化（よい方向の定めなし）」, with its icon and tone.
    verdict: &'static str,
    icon: &'static str,
    tone: &'static str,
}

#[derive(Serialize)]
struct ValueGroup {
    title: &'static str,
    rows: Vec<ValueRow>,
}

#[derive(Serialize)]
struct TargetRow {
    indicator: IndicatorLink,
    before: String,
    after: String,
    before_source: String,
    after_source: String,
}

#[derive(Serialize)]
struct WithdrawalRow {
    indicator: IndicatorLink,
    criterion: String,
    value: String,
}

#[derive(Serialize)]
struct ChangesPage {
    ward: String,
    year: String,
    previous: String,
    report_url: String,
    previous_url: String,
    goal_ratings: Vec<RatingChange>,
    ratings: Vec<RatingChange>,
    /// 改善した指標, 悪化した指標, 変化した指標（よい方向の定めなし）, 系列の断絶があり比べられない指標:
    /// the groups that have one.
    values: Vec<ValueGroup>,
    targets: Vec<TargetRow>,
    added: Vec<IndicatorLink>,
    dropped: Vec<IndicatorLink>,
    withdrawals: Vec<WithdrawalRow>,
    /// Nothing of the above changed.
    none: bool,
}

fn link(cx: &Cx, s: &Series) -> IndicatorLink {
    IndicatorLink {
        name: s.indicator.name.clone(),
        url: cx.urls.link(&urls::series(&s.city, &s.ward, &s.indicator.id)),
    }
}

fn code(r: Option<OutcomeRating>) -> Option<CodeView> {
    r.as_ref().map(code_view)
}

/// The page of `at`, or `None` for a ward's first report.
pub(crate) fn view(cx: &Cx, at: ReportIn) -> Option<Page> {
    let c: Changes = changes(cx.linked, at)?;
    let previous = c.previous?;
    let (ci, wi, fy) = (&at.city.id, &at.ward.id, at.report.fiscal_year);
    let value_row = |v: &crate::overview::ValueChange| {
        let (verdict, icon, tone) = match (v.broken, v.better) {
            (true, _) => ("比べられません（系列の断絶）", "｜", "none"),
            (false, Some(true)) => ("改善", "↗", "good"),
            (false, Some(false)) => ("悪化", "↘", "bad"),
            (false, None) => ("変化（よい方向の定めなし）", "→", "none"),
        };
        ValueRow {
            indicator: link(cx, v.series),
            before: v.before.label(),
            after: v.after.label(),
            verdict,
            icon,
            tone,
        }
    };
    let page = ChangesPage {
        ward: at.ward_full_name(),
        year: fy.label(),
        previous: previous.label(),
        report_url: cx.urls.link(&urls::report(ci, wi, fy)),
        previous_url: cx.urls.link(&urls::report(ci, wi, previous)),
        goal_ratings: c
            .goal_ratings
            .iter()
            .map(|(id, title, before, after)| RatingChange {
                name: format!("【{id}】{title}"),
                url: cx.urls.link(&urls::goal(ci, wi, fy, id)),
                before: code(*before),
                after: code(*after),
            })
            .collect(),
        ratings: c
            .ratings
            .iter()
            .map(|(s, before, after)| {
                let l = link(cx, s);
                RatingChange { name: l.name, url: l.url, before: code(*before), after: code(*after) }
            })
            .collect(),
        values: [
            ("改善した指標", false, Some(true)),
            ("悪化した指標", false, Some(false)),
            ("変化した指標（よい方向の定めなし）", false, None),
            ("系列の断絶があり比べられない指標", true, None),
        ]
        .into_iter()
        .map(|(title, broken, better)| ValueGroup {
            title,
            rows: c
                .values
                .iter()
                .filter(|v| v.broken == broken && (broken || v.better == better))
                .map(value_row)
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect(),
        targets: c
            .targets
            .iter()
            .map(|(s, a, b)| TargetRow {
                indicator: link(cx, s),
                before: target_words(a),
                after: target_words(b),
                before_source: a.text.clone(),
                after_source: b.text.clone(),
            })
            .collect(),
        added: c.added.iter().map(|s| link(cx, s)).collect(),
        dropped: c.dropped.iter().map(|s| link(cx, s)).collect(),
        withdrawals: c
            .withdrawals
            .iter()
            .map(|(s, w, p)| WithdrawalRow { indicator: link(cx, s), criterion: w.text.clone(), value: p.label() })
            .collect(),
        none: c.is_empty(),
    };
    let path = urls::changes(ci, wi, fy);
    let title = format!("{} {}の報告：{}からの変化", at.ward.name, fy.era_label(), previous.era_label());
    let head = Head {
        description: format!(
            "{}の{}の自己評価で、{}の報告から変わったこと：評価、値、目標、指標、撤退基準",
            page.ward,
            fy.label(),
            previous.label()
        )
        .into(),
        crumbs: cx.report_crumbs(at, Some(("前の報告からの変化", &path))),
        title,
        updated: at.report.updated.clone(),
        draft: at.report.draft,
        ..Head::default()
    };
    Some(Page::lazy(Template::Changes, path, head, page))
}
