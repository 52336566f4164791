//! `atom.xml`: the guides, newest first when dated, else in reading order; the first
//! `[feed] limit` of them.

use serde::Serialize;
use tera::Context;

use super::render_template;
use crate::content::{PageId, PageKind};
use crate::diagnostic::Diagnostic;
use crate::render::{Output, PageSummary, Site, Templates};

#[derive(Serialize)]
struct FeedEntry<'a> {
    #[serde(flatten)]
    summary: PageSummary<'a>,
    absolute_url: String,
    updated: &'a str,
}

pub fn render(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let content = site.content;
    let mut guides: Vec<PageId> = (0..content.pages.len())
        .filter(|&i| matches!(content.pages[i].kind, PageKind::Guide { .. }))
        .collect();
    guides.sort_by(|&a, &b| {
        let (a, b) = (&content.pages[a].meta, &content.pages[b].meta);
        b.updated.as_ref().or(b.date.as_ref()).cmp(&a.updated.as_ref().or(a.date.as_ref()))
    });
    let fallback_date = "1970-01-01T00:00:00Z";
    let limit = match site.config.feed.limit {
        0 => guides.len(),
        n => n,
    };
    let entries: Vec<FeedEntry> = guides
        .iter()
        .take(limit)
        .map(|&id| {
            let p = &content.pages[id];
            FeedEntry {
                summary: site.summary(id),
                absolute_url: site.config.absolute_url(&site.url(&p.path)),
                updated: p.meta.updated.as_deref().or(p.meta.date.as_deref()).unwrap_or(fallback_date),
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("feed_url", &site.config.absolute_url(&site.url("/atom.xml")));
    ctx.insert("home_url", &site.config.absolute_url(&site.url("/")));
    ctx.insert("updated", &entries.iter().map(|e| e.updated).max().unwrap_or(fallback_date));
    ctx.insert("entries", &entries);
    render_template(templates, out, "atom.xml", &ctx, "atom.xml").err().into_iter().collect()
}
