//! What rendering learned about every document, kept so that the dev server can re-render one page.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::pages::{SectionNavs, render_page, render_section, render_section_navs};
use super::quizzes::{Quizzes, render_quizzes};
use super::{Output, Site, SiteResolver, Templates, site_files};
use crate::content::{DocId, PageId, PageKind, SourceFile};
use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::{self, Document, LinkRef, Rendered};
use crate::search;

/// What rendering learned about every document, kept after the files are written.
///
/// A full build uses it once, for its problems. The dev server keeps it, so that after one page's
/// text changed it can re-render just that page ([`Rendering::render_document`]), re-check the
/// links that point into it, and re-count the problems of the whole site
/// ([`Rendering::diagnostics`]) without rendering anything else.
pub struct Rendering {
    /// Each quiz's HTML for embedding, by quiz id.
    quiz_html: HashMap<String, String>,
    /// Each quiz's HTML as its own page, by page id.
    quiz_pages: HashMap<PageId, String>,
    /// Each quiz's searchable text (title, description, intro, prompts), by page id.
    quiz_search: HashMap<PageId, search::Page>,
    quiz_problems: Vec<Diagnostic>,
    /// `partials/section-nav.html` rendered once per stretch of a top-level section's pages.
    section_navs: SectionNavs,
    section_nav_problem: Option<Diagnostic>,
    /// By page id and section id.
    pages: Vec<DocState>,
    sections: Vec<DocState>,
    /// The document each Markdown source file is (guides and `_index.md` files).
    doc_by_source: HashMap<PathBuf, DocId>,
    /// Source file → the documents whose links point at one of its anchors; built the first time
    /// one document is re-rendered (a build never needs it).
    anchor_links_to: Option<HashMap<PathBuf, Vec<DocId>>>,
    site_file_errors: Vec<Diagnostic>,
    /// The search index, kept so that an edit rewrites only the files it changes (`None` with
    /// `[search] enabled = false`).
    search: Option<search::Index>,
    /// The page or section whose new text the search index does not have yet, by search id.
    search_behind: Option<(usize, search::Page)>,
}

/// What the caller of [`render_site`] does with the [`Rendering`] once every file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Afterwards {
    /// Reads its problems, nothing more (`tandem build`, `tandem check`). Each document's source
    /// text, table of contents, shortcode names and links without an anchor are let go of as soon
    /// as its page is rendered: held until the end, at 100,000 pages they were ~0.6 GB of the
    /// build's peak while the other pages were rendered and the search index built.
    ReadsProblems,
    /// Re-renders pages after edits (`tandem serve`) or counts tested sections (`check
    /// --coverage`): everything is kept.
    KeepsEverything,
}

/// One page or section, rendered.
#[derive(Default)]
struct DocState {
    /// Its Markdown (`None` for quizzes and for folders without `_index.md`).
    md: Option<Rendered>,
    /// The source lines of its links to anchors, which the check of those links quotes.
    link_lines: LinkLines,
    /// Its links to anchors that the target does not have.
    link_problems: Vec<Diagnostic>,
    /// Why its template failed.
    template_error: Option<Diagnostic>,
}

/// Renders every output file of the site into `out`.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    out: &dyn Output,
    afterwards: Afterwards,
) -> Rendering {
    let content = site.content;
    // Quizzes first: guides embed their HTML.
    let Quizzes { html: quiz_html, pages: quiz_pages, search: quiz_search, problems: quiz_problems } =
        render_quizzes(site, templates);
    let (section_navs, section_nav_problem) = match render_section_navs(site, templates) {
        Ok(navs) => (navs, None),
        Err(d) => (SectionNavs::default(), Some(d)),
    };
    // Each document in one go, in parallel: its Markdown, its page through the template (straight
    // to the output), what search needs of its text; then its HTML is dropped. No page's HTML
    // depends on another document's, so none is held past its own page: on a big site all of it
    // together weighs as much as the output (~0.7 GB at 100,000 pages). Every page, then every
    // section, so that the files are written in the same order as ever.
    let parts = Parts {
        quiz_html: &quiz_html,
        quiz_pages: &quiz_pages,
        quiz_search: &quiz_search,
        section_navs: &section_navs,
    };
    let render = |doc| {
        let mut md = render_markdown(site, templates, parts.quiz_html, doc);
        let link_lines = LinkLines::of(site, doc, md.as_ref());
        let template_error = parts.render_template(site, templates, doc, md.as_ref(), out).err();
        let search = parts.search_page(site, doc, md.as_mut().map(take_search_text).unwrap_or_default());
        if let Some(md) = &mut md {
            // Nothing reads it again: a one-page edit renders that page's Markdown anew.
            md.html = String::new();
            if afterwards == Afterwards::ReadsProblems {
                md.toc = Vec::new();
                md.shortcodes = Default::default();
                md.links.retain(|link| !link.anchor.is_empty());
            }
        }
        if afterwards == Afterwards::ReadsProblems
            && let Some(src) = doc_source(site, doc)
        {
            src.release_text();
        }
        (DocState { md, link_lines, template_error, ..DocState::default() }, search)
    };
    // The search index reads each group of documents as soon as they are rendered (guides and
    // quizzes by page id, then sections), and writes its files as they are made.
    let page_count = content.pages.len();
    let (mut pages, index, search_errors) =
        site_files::search_index::render_and_index(site, page_count + content.sections.len(), out, |id| {
            render(if id < page_count { DocId::Page(id) } else { DocId::Section(id - page_count) })
        });
    let sections = pages.split_off(page_count);
    let mut rendering = Rendering {
        quiz_html,
        quiz_pages,
        quiz_search,
        quiz_problems,
        section_navs,
        section_nav_problem,
        pages,
        sections,
        doc_by_source: HashMap::new(),
        anchor_links_to: None,
        site_file_errors: Vec::new(),
        search: None,
        search_behind: None,
    };
    let docs: Vec<DocId> = rendering.docs().collect();
    for &doc in &docs {
        if let Some(src) = doc_source(site, doc) {
            rendering.doc_by_source.insert(src.path.clone(), doc);
        }
    }
    // Links to anchors on other pages can be checked only once every document is rendered.
    let link_problems: Vec<Vec<Diagnostic>> =
        docs.par_iter().map(|&doc| rendering.check_anchor_links(site, doc)).collect();
    for (&doc, problems) in docs.iter().zip(link_problems) {
        rendering.doc_mut(doc).link_problems = problems;
    }
    rendering.site_file_errors = site_files::render_all(site, templates, out);
    rendering.search = index;
    rendering.site_file_errors.extend(search_errors);
    rendering
}

/// What every document's page needs of the rest of the site, rendered before any of them.
#[derive(Clone, Copy)]
struct Parts<'a> {
    quiz_html: &'a HashMap<String, String>,
    quiz_pages: &'a HashMap<PageId, String>,
    quiz_search: &'a HashMap<PageId, search::Page>,
    section_navs: &'a SectionNavs,
}

impl Parts<'_> {
    /// One page or section through its template, with its Markdown `md`.
    fn render_template(
        &self,
        site: &Site,
        templates: &Templates,
        doc: DocId,
        md: Option<&Rendered>,
        out: &dyn Output,
    ) -> Result<(), Diagnostic> {
        match doc {
            DocId::Page(id) => {
                let quiz = self.quiz_pages.get(&id).map(String::as_str);
                render_page(site, templates, id, md, quiz, self.section_navs, out)
            }
            DocId::Section(id) => render_section(site, templates, id, md, out),
        }
    }

    /// What search knows of one page or section (see [`site_files::search_index::page`]), with
    /// `text` taken from its Markdown.
    fn search_page(&self, site: &Site, doc: DocId, text: Vec<search::Section>) -> search::Page {
        match doc {
            DocId::Page(id) => match self.quiz_search.get(&id) {
                Some(quiz) => quiz.clone(),
                None => site_files::search_index::page(site, doc, text),
            },
            DocId::Section(_) => site_files::search_index::page(site, doc, text),
        }
    }
}

impl Rendering {
    /// Every problem of the site: quizzes, Markdown, links and anchors, templates, site files.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.quiz_problems.clone();
        diagnostics.extend(self.section_nav_problem.clone());
        for state in self.pages.iter().chain(&self.sections) {
            if let Some(md) = &state.md {
                diagnostics.extend(md.diagnostics.iter().cloned());
                diagnostics.extend(state.link_problems.iter().cloned());
            }
        }
        diagnostics.extend(self.pages.iter().filter_map(|s| s.template_error.clone()));
        diagnostics.extend(self.sections.iter().filter_map(|s| s.template_error.clone()));
        diagnostics.extend(self.site_file_errors.iter().cloned());
        diagnostics
    }

    /// Re-renders one page or section whose text changed in a way that reaches no other output
    /// (see [`Content::reload_document`]), with the rest of the site as it was rendered; then
    /// re-checks its links, and the links of every document that points at one of its anchors.
    ///
    /// The search index is left behind until [`Rendering::update_search`].
    pub fn render_document(&mut self, site: &Site, templates: &Templates, doc: DocId, out: &dyn Output) {
        self.update_search(out);
        let mut index = match self.anchor_links_to.take() {
            Some(index) => index,
            None => self.index_anchor_links(),
        };
        for target in self.anchor_targets(doc) {
            if let Some(from) = index.get_mut(&target) {
                from.retain(|&d| d != doc);
            }
        }
        let md = render_markdown(site, templates, &self.quiz_html, doc);
        self.doc_mut(doc).link_lines = LinkLines::of(site, doc, md.as_ref());
        self.doc_mut(doc).md = md;
        for target in self.anchor_targets(doc) {
            let from = index.entry(target).or_default();
            if !from.contains(&doc) {
                from.push(doc);
            }
        }
        let linking_here = doc_source(site, doc).and_then(|src| index.get(&src.path)).cloned();
        for other in std::iter::once(doc).chain(linking_here.into_iter().flatten()) {
            self.doc_mut(other).link_problems = self.check_anchor_links(site, other);
        }
        self.anchor_links_to = Some(index);
        let md = self.doc(doc).md.as_ref();
        let template_error = self.parts().render_template(site, templates, doc, md, out).err();
        let text = self.doc_mut(doc).md.as_mut().map(take_search_text).unwrap_or_default();
        let page = self.parts().search_page(site, doc, text);
        let state = self.doc_mut(doc);
        state.template_error = template_error;
        if let Some(md) = &mut state.md {
            md.html = String::new(); // as after a full build
        }
        let search_id = match doc {
            DocId::Page(id) => id,
            DocId::Section(id) => self.pages.len() + id,
        };
        if self.search.is_some() {
            self.search_behind = Some((search_id, page));
        }
    }

    /// Brings the search index up to date with the last [`Rendering::render_document`], writing
    /// the index files that changed into `out`; false when it was up to date. That call leaves it
    /// behind so that the dev server can serve the edited page first: updating the index costs
    /// more than rendering the page on a big site.
    pub fn update_search(&mut self, out: &dyn Output) -> bool {
        let Some((id, page)) = self.search_behind.take() else { return false };
        if let Some(index) = &mut self.search {
            self.site_file_errors.extend(site_files::search_index::replace_page(index, id, &page, out));
        }
        true
    }

    /// The search index as last written (`None` with `[search] enabled = false`).
    #[cfg(test)]
    pub fn search_index(&self) -> Option<&search::Index> {
        self.search.as_ref()
    }

    fn parts(&self) -> Parts<'_> {
        Parts {
            quiz_html: &self.quiz_html,
            quiz_pages: &self.quiz_pages,
            quiz_search: &self.quiz_search,
            section_navs: &self.section_navs,
        }
    }

    /// Builds what [`Rendering::render_document`] needs to find the pages linking to an edited
    /// page, so that the first edit after a full build does not pay for it. `tandem build` never
    /// calls this; the dev server does once a build is published.
    pub fn prepare_for_edits(&mut self) {
        if self.anchor_links_to.is_none() {
            self.anchor_links_to = Some(self.index_anchor_links());
        }
    }

    /// Which h2 and h3 sections of each guide the site's quiz questions test (`check --coverage`).
    pub fn coverage(&self, site: &Site) -> super::tested::Coverage {
        let tested = super::tested::tested_sections(site);
        let guides: Vec<(PathBuf, Arc<str>, &[markdown::TocEntry])> = site
            .content
            .pages
            .iter()
            .enumerate()
            .filter_map(|(id, p)| match p.kind {
                PageKind::Guide { .. } => {
                    let toc = self.pages[id].md.as_ref().map_or(&[][..], |md| md.toc.as_slice());
                    Some((p.source.path.clone(), p.source.text(), toc))
                }
                PageKind::Quiz(_) => None,
            })
            .collect();
        let guides = guides.iter().map(|(path, text, toc)| (path.clone(), &**text, *toc));
        super::tested::Coverage::new(guides, &tested)
    }

    /// Whether the site files (static files included) were all written without a problem.
    pub fn site_files_written(&self) -> bool {
        self.site_file_errors.is_empty()
    }

    /// Every page, then every section.
    fn docs(&self) -> impl Iterator<Item = DocId> + use<> {
        (0..self.pages.len()).map(DocId::Page).chain((0..self.sections.len()).map(DocId::Section))
    }

    fn doc(&self, doc: DocId) -> &DocState {
        match doc {
            DocId::Page(id) => &self.pages[id],
            DocId::Section(id) => &self.sections[id],
        }
    }

    fn doc_mut(&mut self, doc: DocId) -> &mut DocState {
        match doc {
            DocId::Page(id) => &mut self.pages[id],
            DocId::Section(id) => &mut self.sections[id],
        }
    }

    /// The files that `doc` links to with an anchor.
    fn anchor_targets(&self, doc: DocId) -> Vec<PathBuf> {
        let links = self.doc(doc).md.iter().flat_map(|md| &md.links);
        links.filter(|l| !l.anchor.is_empty()).map(|l| l.target.clone()).collect()
    }

    /// Source file → the documents that link to one of its anchors.
    fn index_anchor_links(&self) -> HashMap<PathBuf, Vec<DocId>> {
        let mut index: HashMap<PathBuf, Vec<DocId>> = HashMap::new();
        for doc in self.docs() {
            for target in self.anchor_targets(doc) {
                // A document's links come one after another, so a repeat can only be the last one.
                let from = index.entry(target).or_default();
                if from.last() != Some(&doc) {
                    from.push(doc);
                }
            }
        }
        index
    }

    /// The links of `doc` to an anchor that their target page does not have.
    fn check_anchor_links(&self, site: &Site, doc: DocId) -> Vec<Diagnostic> {
        let state = self.doc(doc);
        let (Some(md), Some(src)) = (&state.md, doc_source(site, doc)) else { return Vec::new() };
        let mut problems = Vec::new();
        for link in md.links.iter().filter(|l| !l.anchor.is_empty()) {
            let target = self.doc_by_source.get(&link.target).and_then(|&t| self.doc(t).md.as_ref());
            if let Some(target) = target
                && !target.anchors.contains(&link.anchor)
            {
                let problem = Diagnostic::error(
                    &src.path,
                    format!("{} has no heading `#{}`", link.target.display(), link.anchor),
                );
                let problem = match state.link_lines.location(link.offset, link.len) {
                    Some(at) => problem.at(at),
                    None => problem,
                };
                problems.push(problem.with_hint(markdown::hint_for_anchor(&link.anchor, &target.anchors)));
            }
        }
        problems
    }
}

/// The source lines that hold a document's links to anchors, each line once: what the check of
/// those links quotes when one is broken. That check runs once every document is rendered, and by
/// then `tandem build` has let go of the sources ([`SourceFile::release_text`]).
#[derive(Default)]
struct LinkLines(Vec<LinkLine>);

struct LinkLine {
    /// Where the line starts in its file.
    start: usize,
    /// Counted from 1.
    number: usize,
    /// Without its line break.
    text: Box<str>,
}

impl LinkLines {
    fn of(site: &Site, doc: DocId, md: Option<&Rendered>) -> LinkLines {
        match (doc_source(site, doc), md) {
            (Some(src), Some(md)) => LinkLines::new(&src.text(), &md.links),
            _ => LinkLines::default(),
        }
    }

    fn new(text: &str, links: &[LinkRef]) -> LinkLines {
        let mut offsets: Vec<usize> = links
            .iter()
            .filter(|l| !l.anchor.is_empty())
            .map(|l| {
                let mut at = l.offset.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            })
            .collect();
        offsets.sort_unstable();
        let mut lines: Vec<LinkLine> = Vec::new();
        let (mut counted_to, mut number) = (0, 1);
        for at in offsets {
            if lines.last().is_some_and(|line| at <= line.start + line.text.len()) {
                continue;
            }
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            number += text[counted_to..start].matches('\n').count();
            counted_to = start;
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            lines.push(LinkLine { start, number, text: text[start..end].into() });
        }
        LinkLines(lines)
    }

    /// What [`Location::at_offset`] says of the whole text, for the offset of one of the links.
    fn location(&self, offset: usize, len: usize) -> Option<Location> {
        let line = &self.0[self.0.partition_point(|line| line.start <= offset).checked_sub(1)?];
        let at_line = Location::at_offset(&line.text, offset - line.start, len);
        Some(Location { line: line.number, ..at_line })
    }
}

/// The text search indexes of a document's Markdown, taken: nothing else reads it.
fn take_search_text(md: &mut Rendered) -> Vec<search::Section> {
    std::mem::take(&mut md.search_text)
}

/// The Markdown source of a guide or a section (`None` for a folder without `_index.md`).
pub(super) fn doc_source<'a>(site: &Site<'a>, doc: DocId) -> Option<&'a SourceFile> {
    match doc {
        DocId::Page(id) => Some(&site.content.pages[id].source),
        DocId::Section(id) => site.content.sections[id].source.as_ref(),
    }
}

/// The Markdown of one guide or section (`None` for a quiz, or a folder without `_index.md`).
pub(super) fn render_markdown(
    site: &Site,
    templates: &Templates,
    quiz_html: &HashMap<String, String>,
    doc: DocId,
) -> Option<Rendered> {
    let (src, body_start) = match doc {
        DocId::Page(id) => {
            let p = &site.content.pages[id];
            match p.kind {
                PageKind::Guide { body_start } => (&p.source, body_start),
                PageKind::Quiz(_) => return None,
            }
        }
        DocId::Section(id) => {
            let s = &site.content.sections[id];
            (s.source.as_ref()?, s.body_start)
        }
    };
    let resolver = SiteResolver { site, templates, quizzes: quiz_html, embeds: Default::default() };
    let for_search = match site.config.search.enabled {
        true => markdown::TextForSearch::Collect,
        false => markdown::TextForSearch::Skip,
    };
    Some(markdown::render(
        &Document { path: &src.path, text: &src.text(), body_start },
        &site.config.markdown,
        &resolver,
        for_search,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(offset: usize, anchor: &str) -> LinkRef {
        LinkRef { target: "content/x.md".into(), anchor: anchor.into(), offset, len: 5 }
    }

    #[test]
    fn link_lines_quote_as_the_whole_text_would() {
        let text = "first line\r\nsé [a](x.md#b) and [c](x.md#d)\n\n  [e](x.md#f)\nlast [g](x.md#h)";
        let offsets: Vec<usize> = (0..=text.len() + 3).collect();
        let links: Vec<LinkRef> = offsets.iter().map(|&at| link(at, "b")).collect();
        let lines = LinkLines::new(text, &links);
        for &at in &offsets {
            for len in [0, 1, 5, 80] {
                assert_eq!(
                    lines.location(at, len),
                    Some(Location::at_offset(text, at, len)),
                    "offset {at}, length {len}"
                );
            }
        }
        assert_eq!(lines.0.len(), 5, "each line once");
    }

    #[test]
    fn link_lines_keep_only_the_lines_of_links_to_anchors() {
        let text = "one [a](x.md)\ntwo [b](x.md#b)\nthree\nfour [d](x.md#d) [e](x.md#e)\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let links = [link(at("[a]"), ""), link(at("[e]"), "e"), link(at("[b]"), "b"), link(at("[d]"), "d")];
        let lines = LinkLines::new(text, &links);
        let kept: Vec<(usize, &str)> = lines.0.iter().map(|l| (l.number, &*l.text)).collect();
        assert_eq!(kept, [(2, "two [b](x.md#b)"), (4, "four [d](x.md#d) [e](x.md#e)")]);
        assert_eq!(lines.location(at("[e]"), 3), Some(Location::at_offset(text, at("[e]"), 3)));
    }
}
