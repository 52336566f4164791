//! `robots.txt`, pointing crawlers at the sitemap.

use tera::Context;

use super::render_template;
use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, Templates};

pub fn render(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let mut ctx = Context::new();
    ctx.insert("sitemap_url", &site.config.absolute_url(&site.url("/sitemap.xml")));
    render_template(templates, out, "robots.txt", &ctx, "robots.txt").err().into_iter().collect()
}
