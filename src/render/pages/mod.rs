//! One module per page kind, each a plain function from the linked site ([`super::Cx`]) to
//! the typed views of its pages ([`super::Page`]). To add a page kind: a module here, a
//! [`super::Template`] variant (with its file in `templates/`), and a `Job` variant in
//! `render/mod.rs` listed by `Renderer::jobs`; the compiler finds each match to extend.

pub(super) mod accessibility;
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
pub(super) mod series;
pub(super) mod ward;
