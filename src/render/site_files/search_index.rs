//! `search-index.json`: titles, descriptions and sections, small enough to fetch on first search.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, Templates, write};

pub const FILE: &str = "search-index.json";

/// One page in the index; short keys keep the file small.
#[derive(Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// URL.
    u: String,
    /// Description.
    d: &'a str,
    /// The section's title.
    s: &'a str,
}

pub fn render(site: &Site, _templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let content = site.content;
    let index: Vec<Entry> = content
        .pages
        .iter()
        .map(|p| Entry {
            t: &p.meta.title,
            u: site.url(&p.path),
            d: &p.meta.description,
            s: &content.sections[p.section].meta.title,
        })
        .collect();
    write(out, FILE, serde_json::to_vec(&index).unwrap_or_default()).err().into_iter().collect()
}
