//! One module per page kind, each a plain function from the linked site ([`super::Cx`]) to
//! the typed views of its pages ([`super::Page`]). To add a page kind: a module here and a
//! [`super::Template`] variant (with its file in `templates/`); the compiler then asks for
//! every match on `Template` to handle it, among them `Renderer::jobs_of` (which pages to
//! make, as `Job`s) and so `Renderer::views` (which function makes them). README: "Adding a
//! page kind".

pub(super) mod accessibility;
pub(super) mod changes;
pub(super) mod city;
pub(super) mod comparison;
pub(super) mod embed;
pub(super) mod goal;
pub(super) mod home;
pub(super) mod initiative;
pub(super) mod method;
pub(super) mod moved;
pub(super) mod not_found;
pub(super) mod report;
pub(super) mod search;
pub(super) mod series;
pub(super) mod status;
pub(super) mod ward;
