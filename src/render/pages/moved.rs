//! The page at a renamed indicator's old id (`continues`): it points to the current one, so
//! links to the old URL keep working.

use crate::link::Series;
use crate::model::{City, IndicatorId, Ward};
use crate::render::{Cx, Head, Page, Template};
use crate::urls;
use serde::Serialize;

#[derive(Serialize)]
struct MovedPage {
    old_id: IndicatorId,
    new_id: IndicatorId,
    name: String,
    url: String,
}

pub(crate) fn view(cx: &Cx, city: &City, ward: &Ward, old: &IndicatorId, s: &Series) -> Page {
    let path = urls::series(&city.id, &ward.id, old);
    let new = urls::series(&city.id, &ward.id, &s.indicator.id);
    let head = Head {
        title: format!("指標ID {old} は {} に変わりました", s.indicator.id),
        // The permanent URL of the figure is now the new page.
        canonical: Some(cx.urls.absolute(&new)),
        crumbs: cx.crumbs_to(
            &[(&city.name, &urls::city(&city.id)), (&ward.name, &urls::ward(&city.id, &ward.id))],
            &format!("指標ID {old}"),
            &path,
        ),
        ..Head::default()
    };
    let page = MovedPage {
        old_id: old.clone(),
        new_id: s.indicator.id.clone(),
        name: s.indicator.name.clone(),
        url: cx.urls.link(&new),
    };
    Page::lazy(Template::Moved, path, head, page)
}
