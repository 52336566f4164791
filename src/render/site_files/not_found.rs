//! `404.html`, which static hosts serve for a path that has no file.

use super::render_template;
use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, Templates, base_context};

pub fn render(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let mut ctx = base_context(site, "/404.html", 0);
    ctx.insert("current_url", &site.url("/404.html"));
    render_template(templates, out, "404.html", &ctx, "404.html").err().into_iter().collect()
}
