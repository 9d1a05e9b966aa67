//! A city's page: its policy (区政運営基本方針) with the city-wide indicators, and its wards.

use crate::model::{City, PolicyNode};
use crate::render::components::target_words;
use crate::render::{Cx, Head, Page, Template};
use crate::urls::{self, Urls};
use serde::Serialize;

#[derive(Serialize)]
struct IndicatorRow {
    name: String,
    url: String,
    target: Option<String>,
}

#[derive(Serialize)]
struct NodeRow {
    label: String,
    title: String,
    depth: usize,
    indicators: Vec<IndicatorRow>,
}

#[derive(Serialize)]
struct PillarRow {
    title: String,
    nodes: Vec<NodeRow>,
}

#[derive(Serialize)]
struct WardRow {
    name: String,
    url: String,
    years: usize,
}

#[derive(Serialize)]
struct CityPage {
    name: String,
    code: String,
    policy_title: Option<String>,
    pillars: Vec<PillarRow>,
    wards: Vec<WardRow>,
}

/// The policy tree as rows, depth first.
fn nodes(out: &mut Vec<NodeRow>, list: &[PolicyNode], depth: usize, city: &City, urls: &Urls) {
    for n in list {
        out.push(NodeRow {
            label: n.label.clone(),
            title: n.title.clone(),
            depth,
            indicators: n
                .indicators
                .iter()
                .filter_map(|id| city.indicators.get(id))
                .map(|d| IndicatorRow {
                    name: d.name.clone(),
                    url: urls.link(&urls::comparison(&city.id, &d.id)),
                    target: d.target.as_ref().map(target_words),
                })
                .collect(),
        });
        nodes(out, &n.children, depth + 1, city, urls);
    }
}

pub(crate) fn view(cx: &Cx, city: &City) -> Page {
    let pillars = city
        .policy
        .iter()
        .flat_map(|p| &p.pillars)
        .map(|p| {
            let mut rows = Vec::new();
            nodes(&mut rows, &p.areas, 0, city, cx.urls);
            PillarRow { title: p.title.clone(), nodes: rows }
        })
        .collect();
    let path = urls::city(&city.id);
    let head = Head {
        title: city.name.clone(),
        description: format!("{}の区の自己評価と区政運営基本方針の成果指標", city.name).into(),
        crumbs: cx.crumbs(&[(&city.name, &path)]),
        ..Head::default()
    };
    let page = CityPage {
        name: city.name.clone(),
        code: city.code.as_str().to_string(),
        policy_title: city.policy.as_ref().map(|p| p.title.clone()),
        pillars,
        wards: city
            .wards
            .iter()
            .map(|w| WardRow {
                name: w.name.clone(),
                url: cx.urls.link(&urls::ward(&city.id, &w.id)),
                years: w.reports.len(),
            })
            .collect(),
    };
    Page::lazy(Template::City, path, head, page)
}
