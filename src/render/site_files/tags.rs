//! `tags/`: a listing of every tag, and one page per tag with the pages that carry it.

use rayon::prelude::*;
use serde::Serialize;

use super::render_template;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::render::{Output, Site, Templates, base_context, output_file, tag_link};

#[derive(Serialize)]
struct TagSummary<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Tag<'a> {
    name: &'a str,
    url: String,
}

pub fn render(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let content = site.content;
    if content.tags.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let tags: Vec<TagSummary> = content
        .tags
        .iter()
        .map(|(name, pages)| TagSummary { name, url: tag_link(site, name).url, count: pages.len() })
        .collect();
    let mut ctx = base_context(site, "/tags/", 0);
    ctx.insert("tags", &tags);
    problems.extend(render_template(templates, out, "tags.html", &ctx, "tags/index.html").err());
    let tag_pages: Vec<Option<Diagnostic>> = content
        .tags
        .par_iter()
        .map(|(name, pages)| {
            let path = format!("/tags/{}/", markdown::slugify(name));
            let mut ctx = base_context(site, &path, 0);
            ctx.insert("tag", &Tag { name, url: site.url(&path) });
            ctx.insert("pages", &pages.iter().map(|&p| site.summary(p)).collect::<Vec<_>>());
            render_template(templates, out, "tag.html", &ctx, &output_file(&path)).err()
        })
        .collect();
    problems.extend(tag_pages.into_iter().flatten());
    problems
}
