//! How progress is assessed (the page every status links to), and what the site promises
//! about its data: ids and URLs that do not change, and where the machine-readable files are.

use crate::data::DownloadLink;
use crate::render::{Cx, Head, Page, Template};
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct MethodPage {
    /// 「指標・目標・取組のIDと…URLは変わりません。…」
    promise: &'static str,
    /// indicators.json, datapackage.json and the archive of all data, those made.
    data_files: Vec<DownloadLink>,
}

pub(crate) fn view(cx: &Cx) -> Page {
    let title = "進捗状況の判定方法";
    let head = Head {
        title: title.into(),
        description: "指標の推移から目標の達成見込みを判定する方法と、データのIDとURLについての説明".into(),
        crumbs: cx.crumbs(&[(title, urls::METHOD)]),
        ..Head::default()
    };
    let page = MethodPage {
        promise: crate::data::ID_PROMISE,
        data_files: cx.downloads.links(
            cx.urls,
            &[urls::INDICATORS.to_string(), urls::DATAPACKAGE.to_string(), urls::ALL_DATA_ZIP.to_string()],
        ),
    };
    Page::lazy(Template::Method, urls::METHOD.into(), head, page)
}
