//! `<series url>embed/`: a minimal page with a series' chart alone, for an `<iframe>` (no
//! layout; made with the series page).

use crate::config::Licence;
use crate::link::Series;
use crate::model::{City, Ward};
use crate::render::cite::SeriesData;
use crate::render::{ChartFile, Cx, Page, Template};
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct EmbedPage<'a> {
    lang: &'static str,
    title: String,
    heading: String,
    chart: String,
    /// The chart's target line in words with its deadline, as the series page's caption
    /// gives it: an embedded chart is read without that page.
    chart_target: Option<String>,
    chart_file: &'a ChartFile,
    page_url: String,
    site_title: &'a str,
    source: Option<String>,
    updated: Option<String>,
    updated_iso: Option<String>,
    licence: Option<&'a Licence>,
    /// schema.org `BreadcrumbList`: the series page's trail, then this page.
    breadcrumbs_json_ld: String,
}

pub(crate) fn view<'a>(
    cx: &'a Cx,
    city: &City,
    ward: &Ward,
    s: &Series,
    chart: &str,
    chart_file: &'a ChartFile,
    data: Option<&SeriesData>,
) -> Page {
    let path = urls::series_embed(&city.id, &ward.id, &s.indicator.id);
    let heading = crate::data::series_title(city, ward, &s.indicator.name);
    let series = urls::series(&city.id, &ward.id, &s.indicator.id);
    let crumbs = cx.crumbs(&[
        (&city.name, &urls::city(&city.id)),
        (&ward.name, &urls::ward(&city.id, &ward.id)),
        (&format!("指標：{}", s.indicator.name), &series),
        ("グラフ（埋め込み用）", &path),
    ]);
    let page = EmbedPage {
        lang: "ja",
        title: format!("{heading}（グラフ） | {}", cx.config.title),
        chart: chart.to_string(),
        chart_target: super::series::target_caption(s),
        chart_file,
        heading,
        page_url: cx.urls.absolute(&urls::series(&city.id, &ward.id, &s.indicator.id)),
        site_title: &cx.config.title,
        source: data.map(|d| format!("{}「{}」（{}）", d.citation.ward, d.citation.report_title, d.citation.years)),
        updated: data.and_then(|d| d.citation.updated.clone()),
        updated_iso: data.and_then(|d| d.citation.updated_iso.clone()),
        licence: cx.config.licence.as_ref(),
        breadcrumbs_json_ld: crate::render::cite::breadcrumbs_json_ld(cx.urls, &crumbs),
    };
    Page::of_value(Template::Embed, path, None, tera::Value::from_serializable(&page))
}
