//! Rendering: Markdown and quizzes to HTML, then every output file through the Tera templates.
//!
//! Templates get the config and the navigation tree once (Tera's global context) and only their
//! own page or section per render, so a page's context stays small however big the site is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::content::{Content, DocId, Page, PageId, PageKind, SectionId, SourceFile, normalize_alias};
use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::{self, Document, Rendered, TocEntry};
use crate::quiz;
use crate::theme::Layers;

/// Where rendered files go: a staging folder on disk, memory for the dev server, or nowhere.
pub trait Output: Sync {
    /// `path` is relative to the output root, with `/` separators, e.g. `guides/x/index.html`.
    fn write(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;
}

/// Swallows everything (for `check`).
pub struct Discard;

impl Output for Discard {
    fn write(&self, _path: &str, _bytes: Vec<u8>) -> std::io::Result<()> {
        Ok(())
    }
}

/// The templates of a site, compiled, and where each came from.
pub struct Templates {
    tera: Tera,
    layers: Layers,
}

impl Templates {
    pub fn load(layers: Layers) -> Result<Templates, Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let mut sources = Vec::new();
        for (name, file) in &layers.templates {
            match file.read().map(String::from_utf8) {
                Ok(Ok(text)) => sources.push((name.clone(), text)),
                _ => diagnostics
                    .push(Diagnostic::error(&file.display, "cannot read this template as UTF-8 text")),
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        if diagnostics.is_empty()
            && let Err(e) = tera.add_raw_templates(sources.clone())
        {
            // Tera stops at the first error; parse each template alone to report every syntax error.
            for (name, text) in &sources {
                if let Err(alone) = Tera::new().add_raw_template(name, text)
                    && matches!(alone.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    diagnostics.push(template_diagnostic(&alone, &layers));
                }
            }
            if diagnostics.is_empty() {
                diagnostics.push(template_diagnostic(&e, &layers));
            }
        }
        if diagnostics.is_empty() { Ok(Templates { tera, layers }) } else { Err(diagnostics) }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub fn set_global<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders `template`; an error names the template line and the file being rendered.
    pub fn render(&self, template: &str, context: &Context, for_file: &Path) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|e| {
            let d = template_diagnostic(&e, &self.layers);
            let hint = match &d.hint {
                Some(h) => format!("{h} (while rendering {})", for_file.display()),
                None => format!("while rendering {}", for_file.display()),
            };
            d.with_hint(hint)
        })
    }

    pub fn layers(&self) -> &Layers {
        &self.layers
    }
}

fn template_diagnostic(e: &tera::Error, layers: &Layers) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = layers.templates.get(r.filename());
            let display = file.map_or_else(|| PathBuf::from(r.filename()), |f| f.display.clone());
            let mut message = r.message().to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            let mut d = Diagnostic::error(display, format!("template error: {message}"));
            let source = file.and_then(|f| f.read().ok()).and_then(|b| String::from_utf8(b).ok());
            if let Some(source) = source {
                let span = r.span();
                let len = if span.start_line == span.end_line {
                    span.end_col.saturating_sub(span.start_col)
                } else {
                    1
                };
                d = d.at(Location::at_line_col(&source, span.start_line, span.start_col + 1, len));
            }
            d.with_hint("fix the template; Tera's syntax is described at keats.github.io/tera")
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error("templates", format!("template `{name}` not found"))
                .with_hint("add it to templates/, or fix the name in `extends`/`include`")
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let display =
                layers.templates.get(current).map_or_else(|| PathBuf::from(current), |f| f.display.clone());
            Diagnostic::error(display, format!("extends `{parent}`, which does not exist"))
                .with_hint("fix the name in `{% extends %}` or add the parent template")
        }
        _ => Diagnostic::error("templates", format!("template error: {e}")),
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
struct PageSummary<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    kind: &'static str,
    date: Option<&'a str>,
    weight: i64,
}

#[derive(Serialize)]
struct NavSection<'a> {
    title: &'a str,
    url: String,
    pages: Vec<PageSummary<'a>>,
    subsections: Vec<NavSection<'a>>,
}

/// The site, loaded and ready to render.
pub struct Site<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub content: &'a Content,
}

impl<'a> Site<'a> {
    /// The URL of a site path: with the base path, and percent-encoded where a file or folder
    /// name holds what a URL path cannot (spaces, `#`, `?`, `%`, non-ASCII letters).
    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.config.base_path().len() + path.len());
        url.push_str(self.config.base_path());
        for byte in path.bytes() {
            if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
                url.push(byte as char);
            } else {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
        url
    }

    fn summary(&self, id: PageId) -> PageSummary<'a> {
        let p = &self.content.pages[id];
        PageSummary {
            title: &p.meta.title,
            description: &p.meta.description,
            url: self.url(&p.path),
            kind: kind_name(p),
            date: p.meta.date.as_deref(),
            weight: p.meta.weight,
        }
    }

    fn nav(&self, section: SectionId) -> NavSection<'a> {
        let s = &self.content.sections[section];
        NavSection {
            title: &s.meta.title,
            url: self.url(&s.path),
            pages: s.pages.iter().map(|&p| self.summary(p)).collect(),
            subsections: s.subsections.iter().map(|&c| self.nav(c)).collect(),
        }
    }

    fn breadcrumbs(&self, section: SectionId) -> Vec<Link> {
        self.content
            .ancestors(section)
            .into_iter()
            .map(|s| Link {
                title: self.content.sections[s].meta.title.clone(),
                url: self.url(&self.content.sections[s].path),
            })
            .collect()
    }

    fn page_link(&self, id: PageId) -> Link {
        let p = &self.content.pages[id];
        Link { title: p.meta.title.clone(), url: self.url(&p.path) }
    }
}

/// The navigation tree, from the home page down, for the templates' global context.
pub fn nav_tree(site: &Site) -> impl Serialize {
    site.nav(0)
}

fn kind_name(p: &Page) -> &'static str {
    match p.kind {
        PageKind::Guide { .. } => "guide",
        PageKind::Quiz(_) => "quiz",
    }
}

struct SiteResolver<'a> {
    site: &'a Site<'a>,
    quizzes: &'a HashMap<String, String>,
}

impl markdown::Resolver for SiteResolver<'_> {
    fn source_url(&self, from: &Path, target: &str) -> Option<(PathBuf, String)> {
        self.site.content.resolve_source_link(from, target).map(|(t, path)| (t, self.site.url(&path)))
    }
    fn quiz_html(&self, id: &str) -> Option<String> {
        // A quiz that failed to parse was reported already; its embeds stay empty.
        let broken = || self.site.content.broken_quizzes.contains(id).then(String::new);
        self.quizzes.get(id).cloned().or_else(broken)
    }
}

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
    quiz_problems: Vec<Diagnostic>,
    /// `partials/section-nav.html` rendered once per top-level section (see [`render_section_navs`]).
    section_navs: HashMap<SectionId, String>,
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
}

/// One page or section, rendered.
#[derive(Default)]
struct DocState {
    /// Its Markdown (`None` for quizzes and for folders without `_index.md`).
    md: Option<Rendered>,
    /// Its links to anchors that the target does not have.
    link_problems: Vec<Diagnostic>,
    /// Why its template failed.
    template_error: Option<Diagnostic>,
}

/// Renders every output file of the site into `out`.
pub fn render_site(site: &Site, templates: &Templates, out: &dyn Output) -> Rendering {
    let content = site.content;
    // Quizzes first: guides embed their HTML.
    let (quiz_html, quiz_pages, quiz_problems) = render_quizzes(site, templates);
    let (section_navs, section_nav_problem) = match render_section_navs(site, templates) {
        Ok(navs) => (navs, None),
        Err(d) => (HashMap::new(), Some(d)),
    };
    // Markdown of every page and section, in parallel.
    let markdown = |doc| DocState { md: render_markdown(site, &quiz_html, doc), ..DocState::default() };
    let pages = (0..content.pages.len()).into_par_iter().map(|id| markdown(DocId::Page(id))).collect();
    let sections =
        (0..content.sections.len()).into_par_iter().map(|id| markdown(DocId::Section(id))).collect();
    let mut rendering = Rendering {
        quiz_html,
        quiz_pages,
        quiz_problems,
        section_navs,
        section_nav_problem,
        pages,
        sections,
        doc_by_source: HashMap::new(),
        anchor_links_to: None,
        site_file_errors: Vec::new(),
    };
    let docs: Vec<DocId> = rendering.docs().collect();
    for &doc in &docs {
        if let Some(src) = doc_source(site, doc) {
            rendering.doc_by_source.insert(src.path.clone(), doc);
        }
    }
    // Links to anchors on other pages can be checked only once every page is rendered.
    let link_problems: Vec<Vec<Diagnostic>> =
        docs.par_iter().map(|&doc| rendering.check_anchor_links(site, doc)).collect();
    for (&doc, problems) in docs.iter().zip(link_problems) {
        rendering.doc_mut(doc).link_problems = problems;
    }
    // Every page, then every section, through its template, in parallel; files go straight to
    // the output.
    let (page_docs, section_docs) = docs.split_at(content.pages.len());
    for docs in [page_docs, section_docs] {
        let errors: Vec<Option<Diagnostic>> =
            docs.par_iter().map(|&doc| rendering.render_template(site, templates, doc, out).err()).collect();
        for (&doc, error) in docs.iter().zip(errors) {
            rendering.doc_mut(doc).template_error = error;
        }
    }
    rendering.site_file_errors = render_site_files(site, templates, out).err().unwrap_or_default();
    rendering
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
    pub fn render_document(&mut self, site: &Site, templates: &Templates, doc: DocId, out: &dyn Output) {
        let mut index = match self.anchor_links_to.take() {
            Some(index) => index,
            None => self.index_anchor_links(),
        };
        for target in self.anchor_targets(doc) {
            if let Some(from) = index.get_mut(&target) {
                from.retain(|&d| d != doc);
            }
        }
        self.doc_mut(doc).md = render_markdown(site, &self.quiz_html, doc);
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
        self.doc_mut(doc).template_error = self.render_template(site, templates, doc, out).err();
    }

    /// Builds what [`Rendering::render_document`] needs to find the pages linking to an edited
    /// page, so that the first edit after a full build does not pay for it. `tandem build` never
    /// calls this; the dev server does once a build is published.
    pub fn prepare_for_edits(&mut self) {
        if self.anchor_links_to.is_none() {
            self.anchor_links_to = Some(self.index_anchor_links());
        }
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
        let (Some(md), Some(src)) = (&self.doc(doc).md, doc_source(site, doc)) else { return Vec::new() };
        let mut problems = Vec::new();
        for link in md.links.iter().filter(|l| !l.anchor.is_empty()) {
            let target = self.doc_by_source.get(&link.target).and_then(|&t| self.doc(t).md.as_ref());
            if let Some(target) = target
                && !target.anchors.contains(&link.anchor)
            {
                problems.push(
                    Diagnostic::error(
                        &src.path,
                        format!("{} has no heading `#{}`", link.target.display(), link.anchor),
                    )
                    .at_offset(&src.text, link.offset, link.len)
                    .with_hint(markdown::hint_for_anchor(&link.anchor, &target.anchors)),
                );
            }
        }
        problems
    }

    /// One page or section through its template, with its Markdown as rendered before.
    fn render_template(
        &self,
        site: &Site,
        templates: &Templates,
        doc: DocId,
        out: &dyn Output,
    ) -> Result<(), Diagnostic> {
        let md = self.doc(doc).md.as_ref();
        match doc {
            DocId::Page(id) => {
                let quiz = self.quiz_pages.get(&id).map(String::as_str);
                render_page(site, templates, id, md, quiz, &self.section_navs, out)
            }
            DocId::Section(id) => render_section(site, templates, id, md, out),
        }
    }
}

/// The Markdown source of a guide or a section (`None` for a folder without `_index.md`).
fn doc_source<'a>(site: &Site<'a>, doc: DocId) -> Option<&'a SourceFile> {
    match doc {
        DocId::Page(id) => Some(&site.content.pages[id].source),
        DocId::Section(id) => site.content.sections[id].source.as_ref(),
    }
}

/// Every quiz rendered twice: for embedding in guides (an h2), by quiz id, and as its own page
/// (its title is the page's h1), by page id; and the problems found on the way.
fn render_quizzes(
    site: &Site,
    templates: &Templates,
) -> (HashMap<String, String>, HashMap<PageId, String>, Vec<Diagnostic>) {
    let quiz_results: Vec<(PageId, String, Option<QuizHtml>, Vec<Diagnostic>)> = site
        .content
        .pages
        .par_iter()
        .enumerate()
        .filter_map(|(id, p)| match &p.kind {
            PageKind::Quiz(q) => Some((id, p, q)),
            _ => None,
        })
        .map(|(id, page, q)| {
            let (html, problems) = render_quiz(site, templates, page, q);
            (id, q.id.clone(), html, problems)
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut quiz_html = HashMap::new();
    let mut quiz_pages = HashMap::new();
    for (page, id, html, problems) in quiz_results {
        diagnostics.extend(problems);
        match html {
            Some(QuizHtml { own_page, embedded }) => {
                quiz_pages.insert(page, own_page);
                quiz_html.insert(id, embedded);
            }
            // Reported in `problems`; guides embedding it get an empty slot, not a second error.
            None => {
                quiz_html.insert(id, String::new());
            }
        }
    }
    (quiz_html, quiz_pages, diagnostics)
}

/// The Markdown of one guide or section (`None` for a quiz, or a folder without `_index.md`).
fn render_markdown(site: &Site, quiz_html: &HashMap<String, String>, doc: DocId) -> Option<Rendered> {
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
    let resolver = SiteResolver { site, quizzes: quiz_html };
    Some(markdown::render(
        &Document { path: &src.path, text: &src.text, body_start },
        &site.config.markdown,
        &resolver,
    ))
}

fn write(out: &dyn Output, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
    out.write(path, bytes).map_err(|e| Diagnostic::error(path, format!("cannot write the output file: {e}")))
}

/// `/guides/x/` → `guides/x/index.html`.
pub fn output_file(site_path: &str) -> String {
    format!("{}index.html", site_path.trim_start_matches('/'))
}

fn base_context(site: &Site, current_path: &str, section: SectionId) -> Context {
    let mut ctx = Context::new();
    ctx.insert("current_url", &site.url(current_path));
    ctx.insert("current_path", current_path);
    ctx.insert("breadcrumbs", &site.breadcrumbs(section));
    // The top-level section this page lives under, so navigation can mark it.
    let top = site.content.ancestors(section).get(1).copied();
    ctx.insert("current_section_url", &top.map(|s| site.url(&site.content.sections[s].path)));
    ctx
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    path: &'a str,
    kind: &'static str,
    content: &'a str,
    toc: &'a [TocEntry],
    show_toc: bool,
    date: Option<&'a str>,
    updated: Option<&'a str>,
    tags: Vec<Link>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    prev: Option<Link>,
    next: Option<Link>,
    section: Link,
    source: String,
}

fn render_page(
    site: &Site,
    templates: &Templates,
    id: PageId,
    md: Option<&Rendered>,
    quiz_html: Option<&str>,
    section_navs: &HashMap<SectionId, String>,
    out: &dyn Output,
) -> Result<(), Diagnostic> {
    let page = &site.content.pages[id];
    let (prev, next) = site.content.neighbours(id);
    let section = &site.content.sections[page.section];
    let template = match (&page.meta.template, &page.kind) {
        (Some(t), _) => t.as_str(),
        (None, PageKind::Quiz(_)) => "quiz.html",
        (None, PageKind::Guide { .. }) => "page.html",
    };
    if !templates.has(template) {
        return Err(crate::content::front_matter_error(
            &page.source,
            "template",
            format!("there is no template `{template}`"),
        )
        .with_hint("add it under templates/, or remove `template:` to use page.html"));
    }
    let (html, toc) = md.map_or(("", &[][..]), |r| (r.html.as_str(), r.toc.as_slice()));
    let min = site.config.markdown.toc_min_headings;
    let ctx_page = PageContext {
        title: &page.meta.title,
        description: &page.meta.description,
        url: site.url(&page.path),
        path: &page.path,
        kind: kind_name(page),
        content: quiz_html.unwrap_or(html),
        show_toc: min > 0 && toc.iter().filter(|t| t.level >= 2).count() >= min,
        toc,
        date: page.meta.date.as_deref(),
        updated: page.meta.updated.as_deref(),
        tags: page.meta.tags.iter().map(|t| tag_link(site, t)).collect(),
        extra: &page.meta.extra,
        prev: prev.map(|p| site.page_link(p)),
        next: next.map(|p| site.page_link(p)),
        section: Link { title: section.meta.title.clone(), url: site.url(&section.path) },
        source: page.source.path.display().to_string(),
    };
    let mut ctx = base_context(site, &page.path, page.section);
    let nav = site.content.ancestors(page.section).get(1).and_then(|top| section_navs.get(top));
    ctx.insert("section_nav", &nav.map(|html| mark_current(html, &ctx_page.url)).unwrap_or_default());
    ctx.insert("page", &ctx_page);
    let html = templates.render(template, &ctx, &page.source.path)?;
    write(out, &output_file(&page.path), html.into_bytes())
}

#[derive(Serialize)]
struct SectionContext<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    path: &'a str,
    content: &'a str,
    toc: &'a [TocEntry],
    extra: &'a serde_json::Map<String, serde_json::Value>,
    pages: Vec<PageSummary<'a>>,
    subsections: Vec<NavSection<'a>>,
}

fn render_section(
    site: &Site,
    templates: &Templates,
    id: SectionId,
    md: Option<&Rendered>,
    out: &dyn Output,
) -> Result<(), Diagnostic> {
    let section = &site.content.sections[id];
    let (html, toc) = md.map_or(("", &[][..]), |r| (r.html.as_str(), r.toc.as_slice()));
    let ctx_section = SectionContext {
        title: &section.meta.title,
        description: &section.meta.description,
        url: site.url(&section.path),
        path: &section.path,
        content: html,
        toc,
        extra: &section.meta.extra,
        pages: section.pages.iter().map(|&p| site.summary(p)).collect(),
        subsections: section.subsections.iter().map(|&s| site.nav(s)).collect(),
    };
    let template = match (&section.meta.template, section.parent) {
        (Some(t), _) => t.as_str(),
        (None, None) => "index.html",
        (None, Some(_)) => "section.html",
    };
    let file = section.source.as_ref().map_or_else(|| PathBuf::from("content"), |s| s.path.clone());
    if !templates.has(template) {
        let d = match &section.source {
            Some(src) => crate::content::front_matter_error(
                src,
                "template",
                format!("there is no template `{template}`"),
            ),
            None => Diagnostic::error(&file, format!("there is no template `{template}`")),
        };
        return Err(d.with_hint("add it under templates/, or remove `template:`"));
    }
    let mut ctx = base_context(site, &section.path, id);
    ctx.insert("section", &ctx_section);
    let html = templates.render(template, &ctx, &file)?;
    write(out, &output_file(&section.path), html.into_bytes())
}

/// `partials/section-nav.html` rendered once per top-level section, with no page marked current.
///
/// On big sites the list of a section's pages is most of every page's HTML; rendering it once per
/// section instead of once per page is what keeps a 10,000-page build fast. Pages get it as
/// `section_nav`, with their own link marked by [`mark_current`].
fn render_section_navs(site: &Site, templates: &Templates) -> Result<HashMap<SectionId, String>, Diagnostic> {
    let top_level = &site.content.sections[0].subsections;
    top_level
        .par_iter()
        .map(|&id| {
            let mut ctx = base_context(site, "", id);
            ctx.insert("current_url", "");
            let html = templates.render(
                "partials/section-nav.html",
                &ctx,
                Path::new("partials/section-nav.html"),
            )?;
            Ok((id, html))
        })
        .collect()
}

/// Marks the link to `url` in a rendered navigation with `aria-current="page"`.
fn mark_current(nav_html: &str, url: &str) -> String {
    // Escaped as the template escaped it, so the two spellings match.
    let mut escaped = Vec::new();
    let _ = tera::escape_html(url, &mut escaped);
    let needle = format!("href=\"{}\"", String::from_utf8_lossy(&escaped));
    match nav_html.find(&needle) {
        Some(at) => {
            let end = at + needle.len();
            format!("{} aria-current=\"page\"{}", &nav_html[..end], &nav_html[end..])
        }
        None => nav_html.to_string(),
    }
}

fn tag_link(site: &Site, tag: &str) -> Link {
    Link { title: tag.to_string(), url: site.url(&format!("/tags/{}/", markdown::slugify(tag))) }
}

/// A quiz through the theme's `partials/quiz.html`, twice.
struct QuizHtml {
    /// For the quiz's own page, where its title is the h1.
    own_page: String,
    /// For guides that embed it, where its title is an h2.
    embedded: String,
}

fn render_quiz(
    site: &Site,
    templates: &Templates,
    page: &Page,
    q: &quiz::Quiz,
) -> (Option<QuizHtml>, Vec<Diagnostic>) {
    let no_embeds = HashMap::new();
    let resolver = SiteResolver { site, quizzes: &no_embeds };
    let from = page.source.path.as_path();
    // Each Markdown string is rendered once, by the view; a broken link in it is reported where
    // that string starts in the quiz file.
    let offsets: HashMap<&str, usize> =
        q.markdown().into_iter().map(|(m, _)| (m.text.as_str(), m.offset)).collect();
    let link_problems = std::cell::RefCell::new(Vec::new());
    let md = |text: &str, inline: bool| {
        let (html, found) = markdown::render_fragment(text, inline, &site.config.markdown, from, &resolver);
        let offset = offsets.get(text).copied().unwrap_or(0);
        let len = text.lines().next().map_or(1, str::len);
        link_problems.borrow_mut().extend(
            found
                .into_iter()
                .map(|d| Diagnostic { location: None, ..d }.at_offset(&page.source.text, offset, len)),
        );
        html
    };
    let link = |target: &str| {
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        let (src, path) = site.content.resolve_source_link(&page.source.path, file)?;
        let title = site
            .content
            .pages
            .iter()
            .map(|p| (&p.source.path, &p.meta.title))
            .chain(
                site.content.sections.iter().filter_map(|s| Some((&s.source.as_ref()?.path, &s.meta.title))),
            )
            .find(|(path, _)| **path == src)
            .map(|(_, title)| title.clone())
            .unwrap_or_default();
        let url = site.url(&path);
        Some((if anchor.is_empty() { url } else { format!("{url}#{anchor}") }, title))
    };
    let mut problems = Vec::new();
    for (target, offset) in q.outcome_links() {
        if link(target).is_none() {
            problems.push(
                Diagnostic::error(&page.source.path, format!("link to a missing file: {target}"))
                    .at_offset(&page.source.text, offset, target.len())
                    .with_hint("outcome links are relative to the quiz file, e.g. ../guides/boundaries.md"),
            );
        }
    }
    let view = quiz::view(q, &site.url(&page.path), &md, &link);
    problems.extend(link_problems.take());
    let mut ctx = Context::new();
    ctx.insert("quiz", &view);
    let mut render_at = |level: u8| {
        ctx.insert("quiz_heading_level", &level);
        templates.render("partials/quiz.html", &ctx, &page.source.path)
    };
    match render_at(1).and_then(|own_page| Ok(QuizHtml { own_page, embedded: render_at(2)? })) {
        Ok(html) => (Some(html), problems),
        Err(d) => {
            problems.push(d);
            (None, problems)
        }
    }
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    #[serde(flatten)]
    summary: PageSummary<'a>,
    absolute_url: String,
    updated: &'a str,
}

/// Sitemap, feed, robots.txt, 404, tag listings, aliases and the search index.
fn render_site_files(site: &Site, templates: &Templates, out: &dyn Output) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let content = site.content;
    let mut run = |template: &str, ctx: Context, file: &str| match templates
        .render(template, &ctx, Path::new(file))
        .and_then(|s| write(out, file, s.into_bytes()))
    {
        Ok(()) => {}
        Err(d) => problems.push(d),
    };

    let mut urls: Vec<(String, Option<&str>)> =
        content.sections.iter().map(|s| (site.config.absolute_url(&site.url(&s.path)), None)).collect();
    urls.extend(content.pages.iter().map(|p| {
        (site.config.absolute_url(&site.url(&p.path)), p.meta.updated.as_deref().or(p.meta.date.as_deref()))
    }));
    urls.sort();
    let mut ctx = Context::new();
    ctx.insert(
        "entries",
        &urls.iter().map(|(u, d)| serde_json::json!({ "url": u, "updated": d })).collect::<Vec<_>>(),
    );
    run("sitemap.xml", ctx, "sitemap.xml");

    let mut ctx = Context::new();
    ctx.insert("sitemap_url", &site.config.absolute_url(&site.url("/sitemap.xml")));
    run("robots.txt", ctx, "robots.txt");

    let mut ctx = base_context(site, "/404.html", 0);
    ctx.insert("current_url", &site.url("/404.html"));
    run("404.html", ctx, "404.html");

    // The feed: guides, newest first when dated, else in reading order.
    let mut guides: Vec<PageId> = (0..content.pages.len())
        .filter(|&i| matches!(content.pages[i].kind, PageKind::Guide { .. }))
        .collect();
    guides.sort_by(|&a, &b| {
        let (a, b) = (&content.pages[a].meta, &content.pages[b].meta);
        b.updated.as_ref().or(b.date.as_ref()).cmp(&a.updated.as_ref().or(a.date.as_ref()))
    });
    let fallback_date = "1970-01-01T00:00:00Z";
    let entries: Vec<FeedEntry> = guides
        .iter()
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
    run("atom.xml", ctx, "atom.xml");

    // Tags.
    if !content.tags.is_empty() {
        let tags: Vec<serde_json::Value> = content
            .tags
            .iter()
            .map(|(name, pages)| {
                let link = tag_link(site, name);
                serde_json::json!({ "name": name, "url": link.url, "count": pages.len() })
            })
            .collect();
        let mut ctx = base_context(site, "/tags/", 0);
        ctx.insert("tags", &tags);
        run("tags.html", ctx, "tags/index.html");
        for (name, pages) in &content.tags {
            let path = format!("/tags/{}/", markdown::slugify(name));
            let mut ctx = base_context(site, &path, 0);
            ctx.insert("tag", &serde_json::json!({ "name": name, "url": site.url(&path) }));
            ctx.insert("pages", &pages.iter().map(|&p| site.summary(p)).collect::<Vec<_>>());
            run("tag.html", ctx, &output_file(&path));
        }
    }

    // Aliases: small pages that send readers on.
    for page in &content.pages {
        for alias in &page.meta.aliases {
            let path = normalize_alias(alias);
            let mut ctx = Context::new();
            ctx.insert("target", &site.url(&page.path));
            ctx.insert("title", &page.meta.title);
            run("alias.html", ctx, &output_file(&path));
        }
    }

    // Search index: titles, descriptions and headings, small enough to fetch on first search.
    let index: Vec<serde_json::Value> = content
        .pages
        .iter()
        .map(|p| {
            serde_json::json!({
                "t": p.meta.title,
                "u": site.url(&p.path),
                "d": p.meta.description,
                "s": content.sections[p.section].meta.title,
            })
        })
        .collect();
    if let Err(d) = write(out, "search-index.json", serde_json::to_vec(&index).unwrap_or_default()) {
        problems.push(d);
    }

    // Static files: theme layers first, the site's own last.
    for (rel, file) in &templates.layers().statics {
        match file.read() {
            Ok(bytes) => {
                if let Err(d) = write(out, rel, bytes) {
                    problems.push(d);
                }
            }
            Err(e) => problems.push(Diagnostic::error(&file.display, format!("cannot read: {e}"))),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_are_index_html_under_the_path() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/guides/x/"), "guides/x/index.html");
    }

    #[test]
    fn only_the_current_pages_link_is_marked() {
        let nav = r#"<a href="/a/">A</a><a href="/a/b/">B</a>"#;
        assert_eq!(
            mark_current(nav, "/a/b/"),
            r#"<a href="/a/">A</a><a href="/a/b/" aria-current="page">B</a>"#
        );
        assert_eq!(mark_current(nav, "/zzz/"), nav);
    }

    #[test]
    fn template_errors_point_into_the_template() {
        let mut layers = Layers::default();
        layers.templates.insert(
            "page.html".into(),
            crate::theme::ThemeFile {
                display: "templates/page.html".into(),
                origin: crate::theme::Origin::Embedded(b"ok\n{% for %}\n"),
            },
        );
        let Err(errors) = Templates::load(layers) else { panic!("a syntax error must fail") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, PathBuf::from("templates/page.html"));
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }
}
