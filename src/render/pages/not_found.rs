//! The page served for a URL that does not exist.

use crate::render::{Cx, Head, Page, Template};
use crate::urls;

pub(crate) fn view(_cx: &Cx) -> Page {
    let head = Head { title: "ページが見つかりません".into(), ..Head::default() };
    Page::lazy(Template::NotFound, urls::NOT_FOUND.into(), head, ())
}
