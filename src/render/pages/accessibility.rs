//! The accessibility statement (ウェブアクセシビリティ方針・試験結果) from site.toml, and the
//! 達成基準チェックリスト behind it when the site has one.

use crate::checklist::{Counts, Criterion};
use crate::config::AccessibilityStatement;
use crate::render::{Cx, Head, Page, Template};
use crate::text::date_ja;
use crate::urls;
use serde::Serialize;

/// A date as the page shows it.
#[derive(Serialize)]
struct Date {
    iso: String,
    ja: String,
}

fn ja_date(d: &toml::value::Datetime) -> Date {
    let iso = d.to_string();
    Date { ja: date_ja(&iso), iso }
}

#[derive(Serialize)]
struct AccessibilityPage<'a> {
    statement: Option<&'a AccessibilityStatement>,
    date: Option<String>,
    date_iso: Option<String>,
    /// The test period, first and last day.
    tested_from: Option<Date>,
    tested_until: Option<Date>,
    /// How many pages this build has (all of them are tested).
    pages: usize,
    checklist: Option<ChecklistSummary<'a>>,
}

/// What the statement says of its checklist.
#[derive(Serialize)]
struct ChecklistSummary<'a> {
    url: String,
    counts: Counts,
    /// The JIS criteria of the target level not (yet) met, and those not tested.
    not_met: Vec<&'a Criterion>,
    untested: Vec<&'a Criterion>,
    /// The later (WCAG 2.1/2.2) criteria the site also aims at.
    later: Vec<&'a Criterion>,
}

pub(crate) fn view(cx: &Cx, pages: usize) -> Page {
    let title = "アクセシビリティ";
    let head = Head {
        title: title.into(),
        description: "このサイトのウェブアクセシビリティ方針と試験結果".into(),
        crumbs: cx.crumbs(&[(title, urls::ACCESSIBILITY)]),
        ..Head::default()
    };
    let statement = cx.config.accessibility.as_ref();
    let date_iso = statement.map(|s| s.date.to_string());
    let date = date_iso.as_deref().map(date_ja);
    let checklist = statement.zip(cx.config.checklist.as_ref()).map(|(s, list)| {
        let with = |result: &str| list.jis(&s.level).filter(|c| c.result == result).collect();
        ChecklistSummary {
            url: cx.urls.link(urls::ACCESSIBILITY_CHECKLIST),
            counts: list.counts(&s.level),
            not_met: with("不適合"),
            untested: with("未試験"),
            later: list.criteria.iter().filter(|c| c.since.is_some()).collect(),
        }
    });
    Page::new(
        Template::Accessibility,
        urls::ACCESSIBILITY.into(),
        head,
        &AccessibilityPage {
            statement,
            date,
            date_iso,
            tested_from: statement.and_then(|s| s.tested_from.as_ref()).map(ja_date),
            tested_until: statement.and_then(|s| s.tested_until.as_ref()).map(ja_date),
            pages,
            checklist,
        },
    )
}

#[derive(Serialize)]
struct ChecklistPage<'a> {
    statement: &'a AccessibilityStatement,
    statement_url: String,
    counts: Counts,
    /// JIS X 8341-3:2016's criteria, then the later ones the site also aims at.
    jis: Vec<&'a Criterion>,
    later: Vec<&'a Criterion>,
}

/// The checklist page, when site.toml names a checklist.
pub(crate) fn checklist(cx: &Cx) -> Option<Page> {
    let (statement, list) = (cx.config.accessibility.as_ref()?, cx.config.checklist.as_ref()?);
    let title = "達成基準チェックリスト";
    let head = Head {
        title: title.into(),
        description: format!("{} の達成基準ごとの適用、試験の方法と結果", statement.standard).into(),
        crumbs: cx.crumbs(&[("アクセシビリティ", urls::ACCESSIBILITY), (title, urls::ACCESSIBILITY_CHECKLIST)]),
        ..Head::default()
    };
    let view = ChecklistPage {
        statement,
        statement_url: cx.urls.link(urls::ACCESSIBILITY),
        counts: list.counts(&statement.level),
        jis: list.criteria.iter().filter(|c| c.since.is_none()).collect(),
        later: list.criteria.iter().filter(|c| c.since.is_some()).collect(),
    };
    Some(Page::new(Template::Checklist, urls::ACCESSIBILITY_CHECKLIST.into(), head, &view))
}
