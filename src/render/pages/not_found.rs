//! The page served for a URL that does not exist.

use crate::render::{Cx, Head, Page, Template};
use crate::urls;

pub(crate) fn view(cx: &Cx) -> Page {
    let title = "ページが見つかりません";
    let head = Head { title: title.into(), crumbs: cx.crumbs_to(&[], title, urls::NOT_FOUND), ..Head::default() };
    Page::lazy(Template::NotFound, urls::NOT_FOUND.into(), head, ())
}
