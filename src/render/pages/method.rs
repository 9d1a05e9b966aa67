//! How progress is assessed (the page every status links to).

use crate::render::{Cx, Head, Page, Template};
use crate::urls;

pub(crate) fn view(cx: &Cx) -> Page {
    let title = "進捗状況の判定方法";
    let head = Head {
        title: title.into(),
        description: "指標の推移から目標の達成見込みを判定する方法の説明".into(),
        crumbs: cx.crumbs(&[(title, urls::METHOD)]),
        ..Head::default()
    };
    Page::new(Template::Method, urls::METHOD.into(), head, &())
}
