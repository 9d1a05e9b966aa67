//! A city-wide indicator compared across wards, year by year, best first.

use crate::ja::FiscalYear;
use crate::link::Point;
use crate::model::quantity::Unit;
use crate::model::target::Direction;
use crate::model::{City, IndicatorId, Ward};
use crate::render::components::{CodeView, code_view, target_words};
use crate::render::{ChartFile, Cx, Head, Page, Template, svg};
use crate::urls;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct WardRow {
    ward: String,
    value: String,
    met: Option<String>,
    rating: Option<CodeView>,
    series_url: String,
}

#[derive(Serialize)]
struct YearRows {
    label: String,
    anchor: String,
    rows: Vec<WardRow>,
    chart: String,
    /// The chart as an SVG file.
    chart_file: ChartFile,
}

/// One ward's files of the indicator.
#[derive(Serialize)]
struct WardFiles {
    ward: String,
    files: Vec<crate::data::DownloadLink>,
}

#[derive(Serialize)]
struct ComparisonPage {
    /// Each ward's CSV, JSON and zip of the indicator (the Dataset's distribution).
    downloads: Vec<WardFiles>,
    city: String,
    name: String,
    unit: Unit,
    target: Option<String>,
    direction: Option<&'static str>,
    years: Vec<YearRows>,
}

// One page of several parts (years, downloads, files, structured data), built in reading order.
#[allow(clippy::too_many_lines)]
pub(crate) fn view(cx: &Cx, city: &City, id: &IndicatorId) -> Page {
    let def = &city.indicators[id];
    let mut years: BTreeMap<FiscalYear, Vec<(&Ward, &Point)>> = BTreeMap::new();
    for ward in &city.wards {
        if let Some(s) = cx.linked.series(&city.id, &ward.id, id) {
            for p in &s.points {
                years.entry(p.year).or_default().push((ward, p));
            }
        }
    }
    let higher = def.direction != Some(Direction::Lower);
    let target = def.target.as_ref();
    let mut files = Vec::new();
    let years = years
        .into_iter()
        .rev()
        .map(|(fy, mut list)| {
            // Best first, in the indicator's good direction; 「―」 last.
            list.sort_by(|a, b| {
                match (a.1.number(), b.1.number()) {
                    (Some(x), Some(y)) => {
                        if higher {
                            y.total_cmp(&x)
                        } else {
                            x.total_cmp(&y)
                        }
                    }
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
                .then_with(|| a.0.id.cmp(&b.0.id))
            });
            let bars: Vec<(String, f64, String)> =
                list.iter().filter_map(|(w, p)| Some((w.name.clone(), p.number()?, p.label()))).collect();
            let chart = svg::ranking(
                &format!("rank-{}", fy.western()),
                &format!("{} {}の区別比較", fy.label(), def.name),
                &def.unit,
                &bars,
                target.and_then(|t| Some((t.level(None)?, format!("目標 {}", t.short())))),
            );
            let desc = bars.iter().map(|(w, _, label)| format!("{w} {label}")).collect::<Vec<_>>().join("、");
            let (chart_file, file) = cx.chart_file(
                urls::comparison_chart(&city.id, id, fy),
                &chart,
                &format!("{}の", fy.label()),
                Some(&format!("{}の区別の値（よい順）：{desc}。", def.name)),
            );
            files.push(file);
            YearRows {
                label: fy.label(),
                anchor: format!("fy{}", fy.western()),
                rows: list
                    .iter()
                    .map(|(w, p)| WardRow {
                        ward: w.name.clone(),
                        value: p.label(),
                        met: p
                            .number()
                            .and_then(|v| target?.is_met(v, None))
                            .map(|m| if m { "達成" } else { "未達成" }.to_string()),
                        rating: p.rating.as_ref().map(code_view),
                        series_url: cx.urls.link(&urls::series(&city.id, &w.id, id)),
                    })
                    .collect(),
                chart,
                chart_file,
            }
        })
        .collect();
    let path = urls::comparison(&city.id, id);
    let head = Head {
        title: format!("{} {}の区別比較", city.name, def.name),
        description: format!("{}の{}を区ごとに比較", city.name, def.name).into(),
        crumbs: cx.crumbs_to(&[(&city.name, &urls::city(&city.id))], &format!("区別比較：{}", def.name), &path),
        json_ld: Some(crate::render::cite::comparison_json_ld(cx, city, def)),
        ..Head::default()
    };
    let downloads = city
        .wards
        .iter()
        .filter(|w| cx.linked.series(&city.id, &w.id, id).is_some())
        .map(|w| WardFiles {
            ward: w.name.clone(),
            files: cx.downloads.links(
                cx.urls,
                &[
                    urls::series_csv(&city.id, &w.id, id),
                    urls::series_json(&city.id, &w.id, id),
                    urls::series_zip(&city.id, &w.id, id),
                ],
            ),
        })
        .collect();
    let page = ComparisonPage {
        downloads,
        city: city.name.clone(),
        name: def.name.clone(),
        unit: def.unit.clone(),
        target: def.target.as_ref().map(target_words),
        direction: def.direction.map(Direction::label),
        years,
    };
    let mut page = Page::lazy(Template::Comparison, path, head, page);
    page.files = files;
    page
}
