//! `search/`: the full-text index the search box reads (docs/search.md), made by [`crate::search`]
//! from the text of every page as it was just rendered.
//!
//! Unlike the other site files it needs the rendered pages, so the rendering writes it once
//! every page is rendered (and again, in part, after the dev server re-renders one page) instead
//! of [`super::render_all`]; its manifest is reserved all the same.

use rayon::prelude::*;

use crate::content::DocId;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::render::{Output, Site, write as write_file};
use crate::search;

/// The index's manifest; the other files sit beside it under `search/`.
pub const FILE: &str = "search/index.json";

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

/// Writes the index's files, in parallel (they are thousands); returns the problems met.
pub fn write(files: Vec<search::File>, out: &dyn Output) -> Vec<Diagnostic> {
    files.into_par_iter().filter_map(|(path, bytes)| write_file(out, &path, bytes).err()).collect()
}
