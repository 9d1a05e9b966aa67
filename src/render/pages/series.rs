//! An indicator of one ward across every fiscal year: its chart, its table of values with
//! targets and ratings, its progress, downloads and citation (made with its embed page).

use super::embed;
use crate::images::card;
use crate::link::{Row, Series};
use crate::model::quantity::Unit;
use crate::model::target::Direction;
use crate::model::{City, IndicatorId, Ward};
use crate::render::cite::{self, SeriesData};
use crate::render::components::Description;
use crate::render::components::{CodeView, ProgressView, code_view, progress_view, target_words};
use crate::render::{ChartFile, Cx, Head, Page, Template, svg};
use crate::text;
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct YearRow {
    year: String,
    value: String,
    target: Option<String>,
    rating: Option<CodeView>,
    /// The computed status as of the year (the same words as the goal and ward pages).
    status: &'static str,
    notes: Vec<String>,
    report_url: String,
    anchor: String,
}

#[derive(Serialize)]
struct SeriesPage {
    ward: String,
    name: String,
    id: IndicatorId,
    unit: Unit,
    direction: Option<&'static str>,
    city_wide: bool,
    comparison_url: Option<String>,
    description: String,
    targets: Vec<String>,
    chart: String,
    /// The target the chart draws, in full: 「平成29年度（2017年度）までに50％以上」.
    chart_target: Option<String>,
    /// The chart as an SVG file.
    chart_file: ChartFile,
    rows: Vec<YearRow>,
    progress: ProgressView,
    base: Option<String>,
    latest: Option<String>,
    former_ids: Vec<IndicatorId>,
    data: Option<SeriesData>,
}

/// The series page and its embed page: they share the chart and the citation.
pub(crate) fn views(cx: &Cx, city: &City, ward: &Ward, s: &Series) -> Vec<Page> {
    let path = urls::series(&city.id, &ward.id, &s.indicator.id);
    let def = &s.indicator;
    let mut rows = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    for p in &s.points {
        let target = p.target.as_ref().map(target_words);
        if let Some(t) = &target
            && !targets.contains(t)
        {
            targets.push(t.clone());
        }
        // Back to the very row of the report the value stands in.
        let anchor = match &p.row {
            Row::Goal { goal, indicator } => urls::outcome_anchor(goal, indicator),
            Row::Initiative { initiative, .. } => urls::initiative_anchor(initiative),
        };
        let report_url = format!("{}#{anchor}", cx.urls.link(&urls::report(&city.id, &ward.id, p.reported_in)));
        rows.push(YearRow {
            year: p.year.label(),
            value: p.label(),
            target,
            rating: p.rating.as_ref().map(code_view),
            status: s.assessment_at(p.year).status.label(),
            notes: p.notes(true),
            report_url,
            anchor: format!("fy{}", p.year.western()),
        });
    }
    let description = description(ward, s);
    let chart = chart(ward, s);
    let (chart_file, svg_file) = cx.chart_file(urls::series_chart(&city.id, &ward.id, &def.id), &chart, "", None);
    let kicker = format!("{}{}・指標の推移", city.name, ward.name);
    let card = card::Card::Series { site: &cx.config.title, kicker: &kicker, name: &def.name, chart: &chart };
    let preview = cx.preview(&path, &card, format!("グラフ：{description}"));
    let data = cite::series_data(cx, city, ward, s);
    let embed = embed::view(cx, city, ward, s, &chart, &chart_file, data.as_ref());
    // The latest year's status and rating (a series without points has neither).
    let (latest_year, rating) = s.latest().map_or((crate::ja::FiscalYear(i32::MAX), None), |p| (p.year, p.rating));
    let page = SeriesPage {
        ward: format!("{}{}", city.name, ward.name),
        name: def.name.clone(),
        id: def.id.clone(),
        unit: def.unit.clone(),
        direction: def.direction.map(Direction::label),
        city_wide: def.city_wide,
        comparison_url: def.city_wide.then(|| cx.urls.link(&urls::comparison(&city.id, &def.id))),
        description: text::markdown(&def.description),
        targets,
        chart,
        chart_target: target_caption(s),
        chart_file,
        rows,
        progress: progress_view(s, latest_year, rating),
        // As the source printed them (its decimals), not re-formatted.
        base: s.assessment.base.and_then(|(y, _)| s.point(y)).map(|p| format!("{} {}", p.year.label(), p.label())),
        latest: s.assessment.latest.and_then(|(y, _)| s.point(y)).map(|p| format!("{} {}", p.year.label(), p.label())),
        former_ids: s.former_ids.clone(),
        data,
    };
    let head = Head {
        title: crate::data::series_title(city, ward, &def.name),
        description: Description::summary("", &format!("{}{description}", city.name), 150),
        crumbs: cx.crumbs_to(
            &[(&city.name, &urls::city(&city.id)), (&ward.name, &urls::ward(&city.id, &ward.id))],
            &format!("指標：{}", def.name),
            &path,
        ),
        updated: s.updated.clone(),
        json_ld: page.data.as_ref().map(|d| cite::series_json_ld(cx, city, ward, s, d)),
        image: preview.as_ref().map(|(image, _)| image.clone()),
        ..Head::default()
    };
    let mut page = Page::lazy(Template::Series, path, head, page);
    page.files.push(svg_file);
    page.files.extend(preview.map(|(_, file)| file));
    vec![page, embed]
}

/// The chart of a series, as its page and its embed page draw it.
fn chart(ward: &Ward, s: &Series) -> String {
    let def = &s.indicator;
    let chart_points: Vec<svg::ChartPoint> = s
        .points
        .iter()
        .map(|p| svg::ChartPoint {
            year: p.year.western(),
            label: p.label(),
            value: p.number(),
            break_before: p.break_before.is_some(),
        })
        .collect();
    svg::chart(&svg::Chart {
        id: "chart",
        title: &format!("{}の推移", subject(ward, &def.name)),
        description: &description(ward, s),
        unit: &def.unit,
        points: &chart_points,
        target: target_line(s),
        withdrawal: None,
        scale_max: Some(s.scale_max),
    })
}

/// The target line of a series chart: the latest target with a numeric level, labelled short
/// (「目標 50％以上」: a label with its deadline would not fit a narrow chart); the caption under
/// the chart gives it in full (`target_caption`).
fn target_line(s: &Series) -> Option<(f64, String)> {
    let latest = latest_target(s)?;
    Some((latest.level(None)?, format!("目標 {}", latest.short())))
}

fn latest_target(s: &Series) -> Option<&crate::model::target::Target> {
    s.points.last().and_then(|p| p.target.as_ref()).or(s.indicator.target.as_ref())
}

/// The chart's target line in words, with its deadline, for the caption.
pub(crate) fn target_caption(s: &Series) -> Option<String> {
    target_line(s).and(latest_target(s)).map(target_words)
}

/// The indicator named with its ward (「北区の保育所待機児童数」), once: a name that already starts
/// with the ward's (「北区の魅力を…」) is not prefixed again.
fn subject(ward: &Ward, name: &str) -> String {
    if name.starts_with(&ward.name) { name.to_string() } else { format!("{}の{name}", ward.name) }
}

/// The chart's description in words (its `<desc>`, and the page's meta description).
fn description(ward: &Ward, s: &Series) -> String {
    let values: Vec<String> = s.points.iter().map(|p| format!("{} {}", p.year.era_label(), p.label())).collect();
    let mut d = format!("{}の推移：{}。", subject(ward, &s.indicator.name), values.join("、"));
    if let Some(t) = target_caption(s) {
        d.push_str(&format!("目標 {t}。"));
    }
    if s.points.iter().any(|p| p.break_before.is_some()) {
        d.push_str("系列の断絶があり、断絶の前後は線で結んでいません。");
    }
    d
}
