//! The content model: sections, pages and quizzes read from `content/`, with their URLs, order and
//! front matter. Loading validates everything that can be known without rendering.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, unknown_field_hint};
use crate::quiz::{self, Quiz};

pub const CONTENT_DIR: &str = "content";
pub const SECTION_FILE: &str = "_index.md";

/// What authors may put between the `---` lines. Unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A file under `content/`, kept whole so diagnostics can quote any line of it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, e.g. `content/guides/boundaries.md`; used in messages.
    pub path: PathBuf,
    text: SourceText,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        SourceFile { path, text: SourceText(Mutex::new(Arc::from(text))) }
    }

    /// The whole text; empty once [`SourceFile::release_text`] was called.
    pub fn text(&self) -> Arc<str> {
        Arc::clone(&self.text.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Lets go of the text. `tandem build` calls it for each document once its page is rendered,
    /// since nothing after that reads it (the check of links to anchors quotes the lines it kept,
    /// see `render::rendering`): at 100,000 pages the sources weigh ~0.5 GB, and they were held
    /// while every other page was rendered and the search index built.
    pub fn release_text(&self) {
        *self.text.0.lock().unwrap_or_else(PoisonError::into_inner) = Arc::from("");
    }
}

/// Behind a lock so that [`SourceFile::release_text`] works on a shared site, which rendering
/// reads from every thread; each document's text is read and released by one thread only.
struct SourceText(Mutex<Arc<str>>);

impl Clone for SourceText {
    fn clone(&self) -> SourceText {
        SourceText(Mutex::new(Arc::clone(&self.0.lock().unwrap_or_else(PoisonError::into_inner))))
    }
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_tuple("SourceText").field(&&**text).finish()
    }
}

#[derive(Debug, Clone)]
pub enum PageKind {
    /// A Markdown guide; its body starts at `body_start` in the source text.
    Guide {
        body_start: usize,
    },
    Quiz(Box<Quiz>),
}

#[derive(Debug, Clone)]
pub struct Page {
    pub source: SourceFile,
    pub meta: FrontMatter,
    pub kind: PageKind,
    /// Site path with a trailing slash, e.g. `/guides/boundaries/` (without the base path).
    pub path: String,
    pub section: SectionId,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// `None` for a folder that has no `_index.md` (it still groups its pages).
    pub source: Option<SourceFile>,
    pub meta: FrontMatter,
    pub body_start: usize,
    pub path: String,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// Its pages, in reading order (weight, then title).
    pub pages: Vec<PageId>,
}

pub type PageId = usize;
pub type SectionId = usize;

/// A Markdown document of the site: a guide page or a section's `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocId {
    Page(PageId),
    Section(SectionId),
}

/// Everything under `content/`, loaded and ordered. Section 0 is the home page.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    /// Source path (relative to the root) → site path, for rewriting links.
    pub paths_by_source: HashMap<PathBuf, String>,
    pub quizzes_by_id: HashMap<String, PageId>,
    /// Ids of quiz files that failed to parse: embeds of them are not a second error.
    pub broken_quizzes: HashSet<String>,
    /// Tag → pages, in reading order.
    pub tags: BTreeMap<String, Vec<PageId>>,
    /// Each page's place in its section's `pages`, by page id: what [`Content::neighbours`]
    /// reads, instead of looking for the page in its section (per page of a section, that was
    /// quadratic in the section's size: a section of 100,000 pages cost 5·10⁹ comparisons).
    pub place_in_section: Vec<usize>,
}

impl Content {
    /// Reads and validates `content/` under `root`. All problems are returned, not just the first.
    pub fn load(root: &Path, drafts: bool) -> (Content, Vec<Diagnostic>) {
        let content_dir = root.join(CONTENT_DIR);
        let mut diagnostics = Vec::new();
        if !content_dir.is_dir() {
            diagnostics.push(
                Diagnostic::error(CONTENT_DIR, "the site has no content/ folder")
                    .with_hint("create content/_index.md for the home page"),
            );
            // The error fails the build, but rendering still runs to report every other problem:
            // it needs the home section (section 0) that every site has.
            let mut content = Content::default();
            content.section_for_dir(Path::new(CONTENT_DIR), &mut HashMap::new());
            return (content, diagnostics);
        }

        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&content_dir).sort_by_file_name() {
            match entry {
                Ok(e) if e.path_is_symlink() && !is_hidden(e.path()) => {
                    let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                    diagnostics.push(crate::theme::symlink_skipped(rel));
                }
                Ok(e) if e.file_type().is_file() && !is_hidden(e.path()) => files.push(e.into_path()),
                Ok(_) => {}
                // The error's own text repeats its path in full: the path is shown once, shortened.
                Err(e) => {
                    let path = e.path().map_or(Path::new(CONTENT_DIR), |p| p.strip_prefix(root).unwrap_or(p));
                    let reason = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                    diagnostics.push(Diagnostic::error(path, format!("cannot read: {reason}")));
                }
            }
        }

        let parsed: Vec<(PathBuf, ParseResult)> = files
            .par_iter()
            .filter_map(|abs| {
                let rel = abs.strip_prefix(root).unwrap_or(abs).to_path_buf();
                let kind = file_kind(abs)?;
                Some((rel.clone(), parse_file(abs, rel, kind)))
            })
            .collect();

        let mut content = Content::default();
        let mut section_by_dir: HashMap<PathBuf, SectionId> = HashMap::new();
        content.section_for_dir(Path::new(CONTENT_DIR), &mut section_by_dir);
        let mut pending_pages = Vec::new();
        let mut unparsed = Vec::new();
        for (rel, (parsed, found)) in parsed {
            diagnostics.extend(found);
            let Some(parsed) = parsed else {
                unparsed.push(rel);
                continue;
            };
            let dir = rel.parent().unwrap_or(Path::new(CONTENT_DIR)).to_path_buf();
            match parsed {
                Parsed::Section { source, meta, body_start } => {
                    let id = content.section_for_dir(&dir, &mut section_by_dir);
                    let section = &mut content.sections[id];
                    section.meta = meta;
                    section.body_start = body_start;
                    section.source = Some(source);
                }
                Parsed::Page(page) => pending_pages.push((dir, page)),
            }
        }

        for (dir, mut page) in pending_pages {
            if page.meta.draft && !drafts {
                continue;
            }
            let section = content.section_for_dir(&dir, &mut section_by_dir);
            let slug = page.meta.slug.clone().unwrap_or_else(|| {
                page.source.path.file_stem().unwrap_or_default().to_string_lossy().into_owned()
            });
            if let Err(why) = check_slug(&slug) {
                diagnostics.push(front_matter_error(&page.source, "slug", why));
                continue;
            }
            page.path = format!("{}{}/", content.sections[section].path, slug);
            page.section = section;
            content.pages.push(page);
        }

        content.index(&mut diagnostics);
        // A file that failed to parse still has its URL, so links to it don't raise a second error.
        for rel in unparsed {
            let dir = rel.parent().unwrap_or(Path::new(CONTENT_DIR)).to_path_buf();
            let section = content.section_for_dir(&dir, &mut section_by_dir);
            let path = if rel.file_name().is_some_and(|n| n == SECTION_FILE) {
                content.sections[section].path.clone()
            } else {
                let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
                if matches!(file_kind(&rel), Some(FileKind::Quiz)) {
                    content.broken_quizzes.insert(stem.to_string());
                }
                format!("{}{stem}/", content.sections[section].path)
            };
            content.paths_by_source.insert(rel, path);
        }
        (content, diagnostics)
    }

    /// The section for a folder under content/, creating it (and its parents) on first use.
    fn section_for_dir(&mut self, dir: &Path, by_dir: &mut HashMap<PathBuf, SectionId>) -> SectionId {
        if let Some(id) = by_dir.get(dir) {
            return *id;
        }
        let parent = dir
            .parent()
            .filter(|p| p.starts_with(CONTENT_DIR) && dir != Path::new(CONTENT_DIR))
            .map(|p| self.section_for_dir(p, by_dir));
        let name = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let path = match parent {
            None => "/".to_string(),
            Some(p) => format!("{}{}/", self.sections[p].path, name),
        };
        let id = self.sections.len();
        self.sections.push(Section {
            source: None,
            meta: FrontMatter { title: title_from_name(&name), ..FrontMatter::default() },
            body_start: 0,
            path,
            parent,
            subsections: Vec::new(),
            pages: Vec::new(),
        });
        if let Some(p) = parent {
            self.sections[p].subsections.push(id);
        }
        by_dir.insert(dir.to_path_buf(), id);
        id
    }

    /// Orders pages, fills the lookup tables and reports clashes.
    fn index(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let mut order: Vec<PageId> = (0..self.pages.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.pages[a], &self.pages[b]);
            (a.meta.weight, &a.meta.title, &a.path).cmp(&(b.meta.weight, &b.meta.title, &b.path))
        });
        // Tags that differ only in case or punctuation share a URL, so they share a listing, under
        // the spelling met first in reading order.
        let mut spelling_of_slug: HashMap<String, String> = HashMap::new();
        for id in order {
            let page = &self.pages[id];
            self.sections[page.section].pages.push(id);
            for tag in &page.meta.tags {
                let name =
                    spelling_of_slug.entry(crate::markdown::slugify(tag)).or_insert_with(|| tag.clone());
                let pages = self.tags.entry(name.clone()).or_default();
                if pages.last() != Some(&id) {
                    pages.push(id);
                }
            }
        }
        self.place_in_section = vec![0; self.pages.len()];
        for section in &self.sections {
            for (at, &id) in section.pages.iter().enumerate() {
                self.place_in_section[id] = at;
            }
        }
        let weights: Vec<(i64, String)> =
            self.sections.iter().map(|s| (s.meta.weight, s.meta.title.clone())).collect();
        for section in &mut self.sections {
            section.subsections.sort_by(|&a, &b| weights[a].cmp(&weights[b]));
        }

        // Paths the build writes itself, so that no page or alias silently takes their place.
        // The home page's index.html is one of them: a page at /index.html/ would need it as a folder.
        let generated = crate::render::site_files::reserved_files().chain(["index.html"]);
        let mut owner_of_path: HashMap<String, PathBuf> =
            generated.map(|f| (format!("/{f}/"), PathBuf::from(format!("(generated) {f}")))).collect();
        if !self.tags.is_empty() {
            owner_of_path.insert("/tags/".into(), "(generated) tags/".into());
            for slug in spelling_of_slug.keys() {
                owner_of_path.insert(format!("/tags/{slug}/"), "(generated) tags/".into());
            }
        }
        for section in &self.sections {
            let file = section.source.as_ref().map_or_else(|| PathBuf::from(CONTENT_DIR), |s| s.path.clone());
            if let Some(src) = &section.source {
                self.paths_by_source.insert(src.path.clone(), section.path.clone());
            }
            if let Some(other) = owner_of_path.insert(section.path.clone(), file.clone()) {
                diagnostics.push(
                    Diagnostic::error(&file, format!("this section's URL {} is taken", section.path))
                        .with_hint(format!("{} writes it; rename the folder", other.display())),
                );
            }
        }
        for (id, page) in self.pages.iter().enumerate() {
            self.paths_by_source.insert(page.source.path.clone(), page.path.clone());
            if let Some(other) = owner_of_path.insert(page.path.clone(), page.source.path.clone()) {
                diagnostics.push(
                    Diagnostic::error(&page.source.path, format!("two files want the URL {}", page.path))
                        .with_hint(format!(
                            "{} also makes {}; rename one of them or give one a different `slug`",
                            other.display(),
                            page.path
                        )),
                );
            }
            if let PageKind::Quiz(quiz) = &page.kind {
                if let Some(&first) = self.quizzes_by_id.get(&quiz.id) {
                    diagnostics.push(
                        Diagnostic::error(&page.source.path, format!("duplicate quiz id `{}`", quiz.id)).with_hint(
                            format!(
                                "{} already uses it; quiz ids are file names and must be unique across the site",
                                self.pages[first].source.path.display()
                            ),
                        ),
                    );
                } else {
                    self.quizzes_by_id.insert(quiz.id.clone(), id);
                }
            }
        }
        for page in &self.pages {
            for alias in &page.meta.aliases {
                let path = normalize_alias(alias);
                if path.split('/').any(|seg| seg == "." || seg == "..") || path.contains('\\') {
                    diagnostics.push(front_matter_error(
                        &page.source,
                        "aliases",
                        format!("the alias {alias} is not a plain URL path"),
                    ));
                    continue;
                }
                if let Some(other) = owner_of_path.insert(path.clone(), page.source.path.clone()) {
                    diagnostics.push(front_matter_error(
                        &page.source,
                        "aliases",
                        format!("the alias {path} clashes with {}", other.display()),
                    ));
                }
            }
        }
    }

    /// Re-reads the guide or `_index.md` at `rel` (relative to `root`) in place, when the change
    /// reaches no output but the document's own page: its front matter differs at most in
    /// `template` and `extra`, which only its own page uses. Every other key shows up elsewhere
    /// (listings, navigation, breadcrumbs, feed, sitemap, search index, tags, URLs, aliases, order).
    ///
    /// Returns the document to re-render, or `None` (content unchanged) when the site must be
    /// loaded again: the file is new, gone, unreadable, invalid, or changed more than that.
    pub fn reload_document(&mut self, root: &Path, rel: &Path) -> Option<DocId> {
        let rel = &normalize_path(rel)?;
        let (kind, doc) = match self.document_by_source(rel)? {
            DocId::Section(id) => (FileKind::Section, DocId::Section(id)),
            DocId::Page(id) => match self.pages[id].kind {
                PageKind::Guide { .. } => (FileKind::Page, DocId::Page(id)),
                PageKind::Quiz(_) => return None,
            },
        };
        // Quizzes check their `tests` links against this document's headings and name them in
        // their review links: an edit here can change quiz pages and the guides that embed them.
        if self.is_tested(rel) {
            return None;
        }
        let (Some(parsed), problems) = parse_file(&root.join(rel), rel.to_path_buf(), kind) else {
            return None;
        };
        if !problems.is_empty() {
            return None;
        }
        match (parsed, doc) {
            (Parsed::Page(new), DocId::Page(id)) => {
                let page = &mut self.pages[id];
                if !same_outside_page(&page.meta, &new.meta) {
                    return None;
                }
                (page.source, page.meta, page.kind) = (new.source, new.meta, new.kind);
            }
            (Parsed::Section { source, meta, body_start }, DocId::Section(id)) => {
                let section = &mut self.sections[id];
                if !same_outside_page(&section.meta, &meta) {
                    return None;
                }
                (section.source, section.meta, section.body_start) = (Some(source), meta, body_start);
            }
            _ => return None,
        }
        Some(doc)
    }

    /// The page (guide or quiz) or section whose source file is `source`, a path relative to the
    /// root as [`normalize_path`] gives it. The paths are compared as bytes, which is the same for
    /// normalised paths: `Path`'s own `==` walks both paths' components, and over every page of a
    /// 100,000-page site that cost ~10 ms for each lookup (an edit in the dev server, each quiz
    /// question's `tests` link).
    pub fn document_by_source(&self, source: &Path) -> Option<DocId> {
        let source = source.as_os_str();
        if Path::new(source).file_name().is_some_and(|n| n == SECTION_FILE) {
            let is_it = |s: &Section| s.source.as_ref().is_some_and(|src| src.path.as_os_str() == source);
            return self.sections.iter().position(is_it).map(DocId::Section);
        }
        self.pages.iter().position(|p| p.source.path.as_os_str() == source).map(DocId::Page)
    }

    /// Whether a quiz question `tests` a section of the document at `source`.
    pub fn is_tested(&self, source: &Path) -> bool {
        self.pages.iter().any(|p| match &p.kind {
            PageKind::Quiz(q) => q.tests_links().any(|(_, link)| {
                let file = crate::markdown::links::percent_decode(&link.file);
                self.resolve_source_link(&p.source.path, &file).is_some_and(|(target, _)| target == source)
            }),
            PageKind::Guide { .. } => false,
        })
    }

    /// Pages of a section in reading order, with their neighbours.
    pub fn neighbours(&self, page: PageId) -> (Option<PageId>, Option<PageId>) {
        let pages = &self.sections[self.pages[page].section].pages;
        let at = match self.place_in_section.get(page) {
            Some(&at) if pages.get(at) == Some(&page) => at,
            _ => pages.iter().position(|&p| p == page).unwrap_or(0),
        };
        (at.checked_sub(1).map(|i| pages[i]), pages.get(at + 1).copied())
    }

    /// The chain of sections from the home page down to `section`.
    pub fn ancestors(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        while let Some(parent) = self.sections[*chain.last().unwrap()].parent {
            chain.push(parent);
        }
        chain.reverse();
        chain
    }

    /// Resolves a link written in `from` (a source path) to another source file, if it is one.
    /// Returns `(target source path, site path)`.
    pub fn resolve_source_link(&self, from: &Path, target: &str) -> Option<(PathBuf, String)> {
        let joined = normalize_path(&from.parent().unwrap_or(Path::new("")).join(target))?;
        let path = self.paths_by_source.get(&joined)?;
        Some((joined, path.clone()))
    }
}

/// Whether two front matters agree on every key that shows anywhere but the document's own page.
fn same_outside_page(a: &FrontMatter, b: &FrontMatter) -> bool {
    let FrontMatter {
        title,
        description,
        weight,
        date,
        updated,
        draft,
        tags,
        slug,
        aliases,
        template: _,
        extra: _,
    } = b;
    (&a.title, &a.description, a.weight, &a.date, &a.updated, a.draft, &a.tags, &a.slug, &a.aliases)
        == (title, description, *weight, date, updated, *draft, tags, slug, aliases)
}

/// `a/./b/../c` → `a/c`, without touching the file system; `None` if it climbs above the start.
pub fn normalize_path(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

pub fn normalize_alias(alias: &str) -> String {
    let trimmed = alias.trim_matches('/');
    if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") }
}

enum FileKind {
    Section,
    Page,
    Quiz,
}

fn file_kind(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name == SECTION_FILE {
        return Some(FileKind::Section);
    }
    match path.extension()?.to_str()? {
        "md" => Some(FileKind::Page),
        "yaml" | "yml" => Some(FileKind::Quiz),
        _ => None,
    }
}

/// Whether [`Content::load`] reads the file at `path`, judging by its name.
pub fn is_content_file(path: &Path) -> bool {
    !is_hidden(path) && file_kind(path).is_some()
}

/// Dot files, and backups ending in `~`: no build reads them.
pub fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

/// A file's parsed form (if it parsed) and the problems found in it.
type ParseResult = (Option<Parsed>, Vec<Diagnostic>);

enum Parsed {
    Section { source: SourceFile, meta: FrontMatter, body_start: usize },
    Page(Page),
}

/// Parses one file; problems come back beside the result (a quiz can parse with warnings).
fn parse_file(abs: &Path, rel: PathBuf, kind: FileKind) -> ParseResult {
    match read_and_parse(abs, rel, kind) {
        Ok(parsed) => parsed,
        Err(d) => (None, vec![d]),
    }
}

fn read_and_parse(abs: &Path, rel: PathBuf, kind: FileKind) -> Result<ParseResult, Diagnostic> {
    let bytes = std::fs::read(abs).map_err(|e| Diagnostic::error(&rel, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(&rel, format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()))
            .with_hint("save the file as UTF-8")
    })?;
    // A byte-order mark is not part of the text (YAML would read it as a second document).
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let source = SourceFile::new(rel, text);
    match kind {
        FileKind::Quiz => {
            let (quiz, diagnostics) = quiz::parse(&source.path, &source.text());
            let errors = diagnostics.iter().any(Diagnostic::is_error);
            let page = quiz.filter(|_| !errors).map(|quiz| {
                let meta = FrontMatter {
                    title: quiz.title.clone(),
                    description: quiz.description.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
                    weight: quiz.weight,
                    ..FrontMatter::default()
                };
                Parsed::Page(Page {
                    source,
                    meta,
                    kind: PageKind::Quiz(Box::new(quiz)),
                    path: String::new(),
                    section: 0,
                })
            });
            Ok((page, diagnostics))
        }
        FileKind::Section | FileKind::Page => {
            let (meta, body_start) = parse_front_matter(&source)?;
            Ok((
                Some(match kind {
                    FileKind::Section => Parsed::Section { source, meta, body_start },
                    _ => Parsed::Page(Page {
                        source,
                        meta,
                        kind: PageKind::Guide { body_start },
                        path: String::new(),
                        section: 0,
                    }),
                }),
                Vec::new(),
            ))
        }
    }
}

/// Splits `---\nYAML\n---\n` from the top of a Markdown file and parses it.
pub fn parse_front_matter(source: &SourceFile) -> Result<(FrontMatter, usize), Diagnostic> {
    let whole = source.text();
    let text = whole.strip_prefix('\u{feff}').unwrap_or(&whole);
    let bom = whole.len() - text.len();
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(&source.path, "this page has no front matter")
            .at_offset(&whole, bom, first_line_end.saturating_sub(1))
            .with_hint(
                "start the file with a `---` line, then `title: Your title`, then another `---` line",
            ));
    }
    let yaml_start = first_line_end;
    let mut offset = yaml_start;
    let mut yaml_end = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            yaml_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = yaml_end else {
        return Err(Diagnostic::error(&source.path, "the front matter is never closed")
            .at_offset(&whole, bom, 3)
            .with_hint("add a line with just `---` after the front matter"));
    };
    let yaml = &text[yaml_start..yaml_end];
    let at = |line: usize, column: usize| {
        let line_offset = whole[..bom + yaml_start].matches('\n').count();
        Location::at_line_col(&whole, line + line_offset, column, 1)
    };
    if yaml.trim().is_empty() {
        return Err(Diagnostic::error(&source.path, "the front matter is empty")
            .at(at(1, 1))
            .with_hint("add at least `title: Your title`"));
    }
    if let Err(deep) = crate::nesting::check_yaml(yaml) {
        return Err(Diagnostic::error(&source.path, crate::nesting::TooDeep::message("the front matter"))
            .at_offset(&whole, bom + yaml_start + deep.offset, 1)
            .with_hint(crate::nesting::TooDeep::HINT));
    }
    let meta: FrontMatter = yaml_serde::from_str(yaml).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        let mut d = Diagnostic::error(&source.path, format!("invalid front matter: {message}"));
        if let Some(loc) = e.location() {
            d = d.at(widen_to_word(at(loc.line(), loc.column())));
        }
        match unknown_field_hint(&message) {
            Some(hint) => d.with_hint(hint),
            None if message.contains("missing field `title`") => d.with_hint("add `title: Your title`"),
            None => {
                d.with_hint("front matter is YAML: `key: value` per line; see docs/authoring.md for the keys")
            }
        }
    })?;
    let mut problems = Vec::new();
    if meta.title.trim().is_empty() {
        problems.push(("title", "the title is empty".to_string()));
    }
    for (key, value) in [("date", &meta.date), ("updated", &meta.updated)] {
        if let Some(v) = value
            && !is_date(v)
        {
            problems.push((key, format!("`{v}` is not a date")));
        }
    }
    if let Some((key, why)) = problems.into_iter().next() {
        return Err(front_matter_error(source, key, why));
    }
    Ok((meta, bom + body_start))
}

/// A diagnostic pointing at the line of `key` in the front matter of `source`.
pub fn front_matter_error(source: &SourceFile, key: &str, message: impl Into<String>) -> Diagnostic {
    let needle = format!("\n{key}:");
    let d = Diagnostic::error(&source.path, message.into());
    let hint = match key {
        "date" | "updated" => "write dates as YYYY-MM-DD (optionally with a time, e.g. 2024-05-01T09:00:00Z)",
        "slug" => "a slug is one URL segment: letters, digits, `-` and `_`",
        "aliases" => "remove the alias or point it elsewhere",
        _ => "fix the value in the front matter",
    };
    let text = source.text();
    match text.find(&needle) {
        Some(i) => d.at_offset(&text, i + 1, key.len()),
        None => d,
    }
    .with_hint(hint)
}

/// Serde's YAML locations point at the start of a token; underline the whole word there.
fn widen_to_word(mut loc: Location) -> Location {
    let rest: String = loc.line_text.chars().skip(loc.column - 1).collect();
    let word = rest.chars().take_while(|c| !c.is_whitespace() && *c != ':').count();
    loc.len = word.max(1);
    loc
}

/// `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fff]]` with an optional
/// `Z` or `±HH:MM`: what feeds and sitemaps accept.
fn is_date(s: &str) -> bool {
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let number = |t: &str| t.parse::<u32>().unwrap_or(99);
    let (date, time) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = parts.len() == 3
        && digits(parts[0], 4)
        && digits(parts[1], 2)
        && digits(parts[2], 2)
        && (1..=12).contains(&number(parts[1]))
        && (1..=31).contains(&number(parts[2]));
    let Some(time) = time else { return date_ok };
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let clock_parts: Vec<&str> = clock.split(':').collect();
    let seconds_ok = |t: &str| {
        let whole = t.split('.').next().unwrap_or("");
        digits(whole, 2) && number(whole) < 61
    };
    let clock_ok = matches!(clock_parts.len(), 2 | 3)
        && digits(clock_parts[0], 2)
        && number(clock_parts[0]) < 24
        && digits(clock_parts[1], 2)
        && number(clock_parts[1]) < 60
        && clock_parts.get(2).is_none_or(|s| seconds_ok(s));
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6 && digits(&zone[1..3], 2) && &zone[3..4] == ":" && digits(&zone[4..], 2));
    date_ok && clock_ok && zone_ok
}

fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() || slug.contains(['/', '\\', '?', '#', '%']) || slug == "." || slug == ".." {
        Err(format!("`{slug}` cannot be a URL segment"))
    } else {
        Ok(())
    }
}

fn title_from_name(name: &str) -> String {
    let mut chars = name.replace(['-', '_'], " ").chars().collect::<Vec<_>>();
    if let Some(c) = chars.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceFile {
        SourceFile::new("content/a.md".into(), text.into())
    }

    #[test]
    fn front_matter_parses_and_body_follows() {
        let s = src("---\ntitle: Hi\nweight: 3\ntags: [a]\n---\nBody\n");
        let (m, start) = parse_front_matter(&s).unwrap();
        assert_eq!((m.title.as_str(), m.weight), ("Hi", 3));
        assert_eq!(&s.text()[start..], "Body\n");
    }

    #[test]
    fn missing_front_matter_points_at_line_one() {
        let d = parse_front_matter(&src("# Hello\n")).unwrap_err();
        assert_eq!(d.location.unwrap().line, 1);
        assert!(d.hint.unwrap().contains("---"));
    }

    #[test]
    fn unknown_key_points_at_its_line_with_a_suggestion() {
        let d = parse_front_matter(&src("---\ntitle: Hi\ndescripton: x\n---\n")).unwrap_err();
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
        assert!(d.hint.unwrap().contains("did you mean `description`"));
    }

    #[test]
    fn wrong_type_and_malformed_yaml_point_at_their_lines() {
        let d = parse_front_matter(&src("---\ntitle: Hi\nweight: heavy\n---\n")).unwrap_err();
        assert_eq!(d.location.unwrap().line, 3);
        let d = parse_front_matter(&src("---\ntitle: Hi\ntags: [a, b\n---\n")).unwrap_err();
        assert!(d.location.unwrap().line >= 3);
    }

    #[test]
    fn bad_date_is_reported_on_its_line() {
        let d = parse_front_matter(&src("---\ntitle: Hi\ndate: yesterday\n---\n")).unwrap_err();
        assert_eq!(d.location.unwrap().line, 3);
    }

    #[test]
    fn dates_must_be_real_dates() {
        for ok in ["2024-05-01", "2024-05-01T09:00:00Z", "2024-05-01 09:00", "2024-05-01T09:00:00.5+02:00"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in ["2024-13-45", "2024-05-01Tjunk", "24-05-01", "2024-05-01T25:00", "2024-05-01T09:00+2"] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn documents_are_found_by_their_source_path() {
        let root = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = root.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/_index.md", "---\ntitle: Home\n---\n");
        write("content/guides/_index.md", "---\ntitle: Guides\n---\n");
        write("content/guides/a.md", "---\ntitle: A\n---\nText\n");
        write("content/guides/b.md", "---\ntitle: B\n---\nText\n");
        let (content, problems) = Content::load(root.path(), false);
        assert!(problems.is_empty(), "{problems:?}");
        let found = |rel: &str| content.document_by_source(Path::new(rel));
        let b = found("content/guides/b.md").unwrap();
        assert!(matches!(b, DocId::Page(id) if content.pages[id].meta.title == "B"));
        let guides = found("content/guides/_index.md").unwrap();
        assert!(matches!(guides, DocId::Section(id) if content.sections[id].meta.title == "Guides"));
        assert_eq!(found("content/guides/c.md"), None);
        assert_eq!(found("content/guides"), None);

        // The dev server's edit path: the watcher's path is normalised before the lookup.
        let mut content = content;
        std::fs::write(root.path().join("content/guides/b.md"), "---\ntitle: B\n---\nNew text\n").unwrap();
        assert_eq!(content.reload_document(root.path(), Path::new("content/./guides/b.md")), Some(b));
        assert_eq!(content.reload_document(root.path(), Path::new("content/guides/c.md")), None);
    }

    #[test]
    fn paths_normalize_without_escaping() {
        assert_eq!(normalize_path(Path::new("content/a/../b/./c.md")), Some(PathBuf::from("content/b/c.md")));
        assert_eq!(normalize_path(Path::new("../x")), None);
    }
}
