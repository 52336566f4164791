//! `sitemap.xml`: every section and page, with its last change where one is known.

use serde::Serialize;
use tera::Context;

use super::render_template;
use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, Templates};

#[derive(Serialize)]
struct Entry<'a> {
    url: String,
    updated: Option<&'a str>,
}

pub fn render(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let content = site.content;
    let absolute = |path: &str| site.config.absolute_url(&site.url(path));
    let mut entries: Vec<Entry> =
        content.sections.iter().map(|s| Entry { url: absolute(&s.path), updated: None }).collect();
    entries.extend(content.pages.iter().map(|p| Entry {
        url: absolute(&p.path),
        updated: p.meta.updated.as_deref().or(p.meta.date.as_deref()),
    }));
    entries.sort_by(|a, b| (&a.url, a.updated).cmp(&(&b.url, b.updated)));
    let mut ctx = Context::new();
    ctx.insert("entries", &entries);
    render_template(templates, out, "sitemap.xml", &ctx, "sitemap.xml").err().into_iter().collect()
}
