//! `search/`: the full-text index the search box reads (docs/search.md), made by [`crate::search`]
//! from the text of every page as it was just rendered.
//!
//! Unlike the other site files it needs the rendered pages, so the rendering writes it once
//! every page is rendered (and again, in part, after the dev server re-renders one page) instead
//! of [`super::render_all`]; its manifest is reserved all the same.

use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::content::DocId;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::render::{Output, Site, write as write_file};
use crate::search;

/// The index's manifest; the other files sit beside it under `search/`.
pub const FILE: &str = "search/index.json";

/// The folders whose every file is the index's (shards and fragments): no other output may go there.
pub const FOLDERS: &[&str] = &["search/s", "search/f"];

/// A guide or section page as search knows it: its title, its description as the first text, and
/// its rendered Markdown split at its headings.
pub fn page(site: &Site, doc: DocId, md: Option<&Rendered>) -> search::Page {
    let (title, description, path) = match doc {
        DocId::Page(id) => {
            let p = &site.content.pages[id];
            (&p.meta.title, &p.meta.description, &p.path)
        }
        DocId::Section(id) => {
            let s = &site.content.sections[id];
            (&s.meta.title, &s.meta.description, &s.path)
        }
    };
    let mut sections = md.map(|md| search::extract::sections(&md.html)).unwrap_or_default();
    if !description.is_empty() {
        sections.insert(0, search::Section { text: description.clone(), ..search::Section::default() });
    }
    search::Page { url: site.url(path), title: title.clone(), sections }
}

/// Indexes `pages` (search page id = position) and writes the index's files as they are made;
/// gives the index and the problems met writing it.
pub fn build(site: &Site, pages: Vec<search::Page>, out: &dyn Output) -> (search::Index, Vec<Diagnostic>) {
    let errors = Mutex::new(Vec::new());
    let write = |(path, bytes): search::File| {
        if let Err(d) = write_file(out, &path, bytes) {
            errors.lock().unwrap_or_else(PoisonError::into_inner).push(d);
        }
    };
    let index = search::Index::new(pages, &site.config.language, &write);
    (index, errors.into_inner().unwrap_or_else(PoisonError::into_inner))
}

/// Replaces page `id` of the index with `page`, and writes and deletes the files that changed;
/// returns the problems met.
pub fn replace_page(
    index: &mut search::Index,
    id: usize,
    page: &search::Page,
    out: &dyn Output,
) -> Vec<Diagnostic> {
    let group_path = search::index::group_path(id / search::index::PAGES_PER_FRAGMENT);
    let group = out.read(&group_path);
    let changes = match index.replace_page(id, page, group.as_deref()) {
        Ok(changes) => changes,
        Err(why) => return vec![Diagnostic::error(&group_path, why)],
    };
    let mut errors: Vec<Diagnostic> = changes
        .write
        .into_par_iter()
        .filter_map(|(path, bytes)| write_file(out, &path, bytes).err())
        .collect();
    for path in changes.remove {
        if let Err(e) = out.remove(&path) {
            errors.push(Diagnostic::error(&path, format!("could not delete {path} from the output: {e}")));
        }
    }
    errors
}
