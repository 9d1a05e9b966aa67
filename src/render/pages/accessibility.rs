//! The accessibility statement (ウェブアクセシビリティ方針・試験結果) from site.toml.

use crate::config::AccessibilityStatement;
use crate::render::{Cx, Head, Page, Template};
use crate::text::date_ja;
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct AccessibilityPage<'a> {
    statement: Option<&'a AccessibilityStatement>,
    date: Option<String>,
    date_iso: Option<String>,
}

pub(crate) fn view(cx: &Cx) -> Page {
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
    Page::new(
        Template::Accessibility,
        urls::ACCESSIBILITY.into(),
        head,
        &AccessibilityPage { statement, date, date_iso },
    )
}
