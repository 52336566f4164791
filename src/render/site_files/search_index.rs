//! `search/`: the full-text index the search box reads (docs/search.md), made by [`crate::search`]
//! from the text of every page as it was just rendered.
//!
//! Unlike the other site files it needs the rendered pages, so the rendering writes it as it
//! renders them ([`render_and_index`]; and again, in part, after the dev server re-renders one
//! page) instead of [`super::render_all`]; its manifest is reserved all the same.

use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::content::DocId;
use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, write as write_file};
use crate::search;

/// The index's manifest; the other files sit beside it under `search/`.
pub const FILE: &str = "search/index.json";

/// The folders whose every file is the index's (shards and fragments): no other output may go there.
pub const FOLDERS: &[&str] = &["search/s", "search/f"];

/// A guide or section page as search knows it: its title, its description as the first text, and
/// `text`, the sections of its rendered Markdown (see [`crate::markdown::Rendered::search_text`]).
pub fn page(site: &Site, doc: DocId, mut text: Vec<search::Section>) -> search::Page {
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
    if !description.is_empty() {
        text.insert(0, search::Section { text: description.clone(), ..search::Section::default() });
    }
    search::Page { url: site.url(path), title: title.clone(), sections: text }
}

/// Renders documents `0..count` (search page id = position) with `render`, in parallel, and
/// indexes each group of pages as soon as it is rendered, so that no page's text outlives its
/// group; writes the index's files as they are made. Gives what `render` gave for each
/// document, in order, the index (none when the site turned search off), and the problems met
/// writing it.
pub fn render_and_index<S: Send>(
    site: &Site,
    count: usize,
    out: &dyn Output,
    render: impl Fn(usize) -> (S, search::Page) + Sync,
) -> (Vec<S>, Option<search::Index>, Vec<Diagnostic>) {
    if !site.config.search.enabled {
        let rendered = (0..count).into_par_iter().map(|id| render(id).0).collect();
        return (rendered, None, Vec::new());
    }
    let errors = Mutex::new(Vec::new());
    let write = |(path, bytes): search::File| {
        if let Err(d) = write_file(out, &path, bytes) {
            errors.lock().unwrap_or_else(PoisonError::into_inner).push(d);
        }
    };
    let per_group = search::index::PAGES_PER_FRAGMENT;
    let (rendered, postings) = (0..count.div_ceil(per_group))
        .into_par_iter()
        .fold(
            || (Vec::new(), search::index::Postings::default()),
            |(mut rendered, mut postings), group| {
                let ids = group * per_group..((group + 1) * per_group).min(count);
                let pages: Vec<search::Page> = ids
                    .map(|id| {
                        let (state, page) = render(id);
                        rendered.push(state);
                        page
                    })
                    .collect();
                postings.add_group(group, &pages, &write);
                (rendered, postings)
            },
        )
        .reduce(
            || (Vec::new(), search::index::Postings::default()),
            |(mut rendered, postings), (later, later_postings)| {
                rendered.extend(later);
                (rendered, postings.merge(later_postings))
            },
        );
    let index = search::Index::from_postings(postings, count, &site.config.language, &write);
    (rendered, Some(index), errors.into_inner().unwrap_or_else(PoisonError::into_inner))
}

/// Replaces page `id` of the index with `page`, and writes and deletes the files that changed;
/// returns the problems met.
pub fn replace_page(
    index: &mut search::Index,
    id: usize,
    page: &search::Page,
    out: &dyn Output,
) -> Vec<Diagnostic> {
    let changes = match index.replace_page(id, page, &|path| out.read(path)) {
        Ok(changes) => changes,
        Err(why) => {
            let group_path = search::index::group_path(id / search::index::PAGES_PER_FRAGMENT);
            return vec![Diagnostic::error(&group_path, why)];
        }
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
