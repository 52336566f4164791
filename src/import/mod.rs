//! `tandem import mdbook BOOK NEW_SITE`: an mdBook book, mdbook-quiz quizzes included, as a
//! tandem site that builds as it is (SPEC §6).
//!
//! The way through: [`summary`] reads `SUMMARY.md` into the book's order; each chapter's includes
//! are expanded ([`include`]); its `{{#quiz}}` directives become tandem quiz files ([`quiz`]) and
//! embeds; its links, images and heading ids are rewritten for the new layout ([`links`]). The
//! whole site is planned in memory, written to a staging folder beside NEW_SITE and moved into
//! place only when every file is written, so a failed import leaves nothing half-made. BOOK is
//! only ever read.
//!
//! Layout: each `# Part` of SUMMARY.md becomes a top-level section (chapters before the first part
//! go to a section named after the book, suffix chapters to the last one), and every chapter of a
//! part, nested or not, is a page of that section with its weight in SUMMARY order, so that the
//! section's navigation and prev/next follow the book. The nesting survives as the chapter's
//! number (`extra.section_number`). Quizzes go to `content/quizzes/`.

pub mod include;
pub mod links;
pub mod quiz;
pub mod summary;

use crate::content::normalize_path;
use crate::markdown::links::{is_external, percent_decode};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{Config, MarkdownConfig};
use crate::diagnostic::{Diagnostic, Report};
use links::{RefKind, Scan};
use summary::{Item, Placement};

/// The section that holds the converted quizzes.
const QUIZ_SECTION: &str = "quizzes";
/// Written at the top of NEW_SITE: the import's report, for later reference.
pub const REPORT_FILE: &str = "import-report.txt";

/// What the import did, for the report.
#[derive(Debug, Default)]
pub struct Imported {
    pub site: PathBuf,
    pub sections: usize,
    pub chapters: usize,
    pub quizzes: usize,
    pub questions: usize,
    pub files: usize,
    /// Problems with the book's content, each at its file:line (errors leave a note in the page).
    pub report: Report,
    /// What was not carried over, as `(where, what)` lines for the end of the report.
    pub left_as_is: Vec<(String, String)>,
}

impl Imported {
    /// The problems found in the book, each at its file:line (the terminal's stderr).
    pub fn render_problems(&self, color: bool) -> String {
        self.report.render(color)
    }

    /// What was imported and what was not carried over (the terminal's stdout).
    pub fn render_summary(&self) -> String {
        let mut out = format!(
            "Imported {} chapter{} in {} section{}, {} quiz{} ({} question{}) and {} file{} into {}.\n",
            self.chapters,
            plural(self.chapters),
            self.sections,
            plural(self.sections),
            self.quizzes,
            if self.quizzes == 1 { "" } else { "zes" },
            self.questions,
            plural(self.questions),
            self.files,
            plural(self.files),
            self.site.display()
        );
        if !self.left_as_is.is_empty() {
            out.push_str("\nNot carried over (the book keeps them as they are):\n");
            for (at, what) in &self.left_as_is {
                out.push_str(&format!("  {at}: {what}\n"));
            }
        }
        out
    }

    /// Both, as [`REPORT_FILE`] keeps them.
    pub fn render(&self) -> String {
        let problems = self.render_problems(false);
        if problems.is_empty() {
            self.render_summary()
        } else {
            format!("{problems}\n{}", self.render_summary())
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Imports the book in `book` into a new site at `site`. `Err` means nothing was written.
pub fn import_mdbook(book: &Path, site: &Path) -> Result<Imported, Diagnostic> {
    let book_root = book.canonicalize().map_err(|e| {
        Diagnostic::error(book, format!("cannot read the book's folder: {e}"))
            .with_hint("pass the folder that holds the book's book.toml")
    })?;
    check_target(&book_root, site)?;

    let mut imported = Imported { site: site.to_path_buf(), ..Imported::default() };
    let book_toml = BookToml::load(&book_root, &mut imported)?;
    let src_rel = PathBuf::from(&book_toml.src);
    let summary_rel = src_rel.join("SUMMARY.md");
    let summary_text = std::fs::read_to_string(book_root.join(&summary_rel)).map_err(|e| {
        Diagnostic::error(&summary_rel, format!("cannot read the book's SUMMARY.md: {e}"))
            .with_hint("an mdBook book lists its chapters in SUMMARY.md inside its `src` folder")
    })?;
    let (summary, problems) = summary::parse(&summary_rel.to_string_lossy(), &summary_text);
    imported.report.extend(problems);

    let mut plan = Plan::new(&book_toml, &summary, &summary_rel, &summary_text, &mut imported);
    plan.read_chapters(&book_root, &src_rel, &mut imported);
    plan.copy_plan(&book_root, &src_rel, &mut imported);
    book_toml.report_left_out(&book_root, &plan, &mut imported);
    let files = plan.render(&book_toml, &mut imported);
    imported.report = std::mem::take(&mut imported.report).sorted();
    write_site(site, &files, &plan.copies, &book_root, &imported)?;
    Ok(imported)
}

/// NEW_SITE must be new (or an empty folder), and not inside the book.
fn check_target(book_root: &Path, site: &Path) -> Result<(), Diagnostic> {
    if site.exists() {
        let empty = site.is_dir()
            && std::fs::read_dir(site)
                .map_err(|e| Diagnostic::error(site, format!("cannot read it: {e}")))?
                .next()
                .is_none();
        if !empty {
            return Err(Diagnostic::error(site, "the new site's folder already exists and is not empty")
                .with_hint("tandem import writes a new site; choose a folder that does not exist yet"));
        }
    }
    let absolute = absolute(site);
    if absolute.starts_with(book_root) {
        return Err(Diagnostic::error(site, "the new site's folder is inside the book")
            .with_hint("tandem import never writes into the book; choose a folder outside it"));
    }
    Ok(())
}

/// `path` made absolute with its symbolic links resolved, as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// The parts of book.toml the import reads or reports.
struct BookToml {
    text: String,
    table: toml::Table,
    title: Option<String>,
    description: Option<String>,
    language: Option<String>,
    authors: Vec<String>,
    src: String,
}

impl BookToml {
    fn load(book_root: &Path, imported: &mut Imported) -> Result<BookToml, Diagnostic> {
        let path = book_root.join("book.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                imported.report.push(
                    Diagnostic::warning(
                        "book.toml",
                        "the book has no book.toml; mdBook's defaults were used",
                    )
                    .with_hint("set the site's title and description in site.toml"),
                );
                String::new()
            }
            Err(e) => return Err(Diagnostic::error("book.toml", format!("cannot read: {e}"))),
        };
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::error("book.toml", format!("invalid book.toml: {}", e.message().trim()));
            if let Some(span) = e.span() {
                d = d.at_offset(&text, span.start, span.end.saturating_sub(span.start));
            }
            d.with_hint("mdBook could not read it either; fix it and import again")
        })?;
        let book = table.get("book").and_then(toml::Value::as_table);
        let string =
            |key: &str| book.and_then(|b| b.get(key)).and_then(toml::Value::as_str).map(str::to_string);
        let authors = book
            .and_then(|b| b.get("authors"))
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(toml::Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let src = string("src").unwrap_or_else(|| "src".into());
        if normalize_path(Path::new(&src)).is_none() {
            return Err(Diagnostic::error("book.toml", format!("`src = \"{src}\"` points outside the book"))
                .with_hint("tandem import reads only files inside the book's folder"));
        }
        Ok(BookToml {
            title: string("title"),
            description: string("description"),
            language: string("language"),
            authors,
            src,
            table,
            text,
        })
    }

    /// The 1-based line of the first line of book.toml starting with one of `prefixes`.
    fn line_of(&self, prefixes: &[String]) -> Option<usize> {
        self.text
            .lines()
            .position(|l| {
                let l = l.trim_start().replace(['"', '\'', ' '], "");
                prefixes.iter().any(|p| l.starts_with(p.as_str()))
            })
            .map(|i| i + 1)
    }

    fn at(&self, prefixes: &[String]) -> String {
        match self.line_of(prefixes) {
            Some(line) => format!("book.toml:{line}"),
            None => "book.toml".into(),
        }
    }

    fn html_output(&self) -> Option<&toml::Table> {
        self.table.get("output")?.as_table()?.get("html")?.as_table()
    }

    /// `[output.html] smart-punctuation` (mdBook 0.4.36+) or `curly-quotes` (before): off by default.
    fn smart_punctuation(&self) -> bool {
        let html = self.html_output();
        let flag = |k: &str| html.and_then(|h| h.get(k)).and_then(toml::Value::as_bool);
        flag("smart-punctuation").or_else(|| flag("curly-quotes")).unwrap_or(false)
    }

    /// `https://CNAME/site-url/` when the book says where it is published.
    fn base_url(&self) -> String {
        let html = self.html_output();
        let cname = html.and_then(|h| h.get("cname")).and_then(toml::Value::as_str);
        let site_url = html.and_then(|h| h.get("site-url")).and_then(toml::Value::as_str).unwrap_or("/");
        match cname {
            Some(host) => format!("https://{host}{}", site_url.trim_end_matches('/')),
            None => String::new(),
        }
    }

    /// Preprocessors, renderers and theme files that the import does not carry over.
    fn report_left_out(&self, book_root: &Path, plan: &Plan, imported: &mut Imported) {
        // `links` and `index` are mdBook's own (the import does their work), `quiz` is converted.
        const DONE: &[&str] = &["links", "index", "quiz"];
        if let Some(pre) = self.table.get("preprocessor").and_then(toml::Value::as_table) {
            for name in pre.keys() {
                if DONE.contains(&name.as_str()) {
                    continue;
                }
                let at = self.at(&[format!("[preprocessor.{name}"), format!("preprocessor.{name}")]);
                imported.left_as_is.push((at, format!("the preprocessor `{name}` is not run by tandem")));
                for (file, line, what) in plan.syntax_of(name) {
                    imported
                        .left_as_is
                        .push((format!("{file}:{line}"), format!("`{name}` syntax left as it is: {what}")));
                }
            }
        }
        if let Some(outputs) = self.table.get("output").and_then(toml::Value::as_table) {
            for (name, table) in outputs {
                if name != "html" {
                    let at = self.at(&[format!("[output.{name}"), format!("output.{name}")]);
                    imported.left_as_is.push((at, format!("the `{name}` renderer is not carried over")));
                    continue;
                }
                // Keys the import uses; every other one is an mdBook-theme setting.
                const USED: &[&str] = &["site-url", "cname", "smart-punctuation", "curly-quotes"];
                for (key, value) in table.as_table().into_iter().flatten() {
                    if USED.contains(&key.as_str()) {
                        continue;
                    }
                    let at = self.at(&[
                        format!("{key}="),
                        format!("output.html.{key}"),
                        format!("[output.html.{key}"),
                    ]);
                    let shown = match value {
                        toml::Value::Table(_) => String::new(),
                        v => format!(" = {v}"),
                    };
                    imported
                        .left_as_is
                        .push((at, format!("[output.html] {key}{shown} is an mdBook theme setting")));
                }
            }
        }
        let theme_dir = self
            .html_output()
            .and_then(|h| h.get("theme"))
            .and_then(toml::Value::as_str)
            .map_or_else(|| PathBuf::from("theme"), PathBuf::from);
        if let Some(rel) = normalize_path(&theme_dir) {
            let dir = book_root.join(&rel);
            if dir.is_dir() {
                for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
                    if entry.file_type().is_file() {
                        let shown = entry
                            .path()
                            .strip_prefix(book_root)
                            .unwrap_or(entry.path())
                            .display()
                            .to_string();
                        imported.left_as_is.push((
                            shown,
                            "a custom mdBook theme file; tandem's default theme is used".into(),
                        ));
                    }
                }
            }
        }
    }
}

/// One section of the new site.
struct SectionPlan {
    slug: String,
    title: String,
    weight: i64,
}

/// One chapter of the book, and the page it becomes.
struct PagePlan {
    /// Relative to the book's `src`.
    source: PathBuf,
    /// Relative to the book, for messages.
    shown: PathBuf,
    /// The chapter file as written, for locating messages.
    raw: String,
    title: String,
    number: String,
    section: usize,
    slug: String,
    weight: i64,
    /// After includes and quiz embeds, before link rewriting.
    text: String,
    scan: Scan,
}

impl PagePlan {
    fn content_path(&self, sections: &[SectionPlan]) -> String {
        format!("content/{}/{}.md", sections[self.section].slug, self.slug)
    }
}

/// A quiz file, found by the first chapter that embeds it.
struct QuizPlan {
    id: String,
    yaml: String,
}

struct Plan {
    sections: Vec<SectionPlan>,
    pages: Vec<PagePlan>,
    /// Chapter source (relative to `src`) → page index.
    page_of: HashMap<PathBuf, usize>,
    quizzes: Vec<QuizPlan>,
    /// Canonical quiz file → its id, or `None` when it could not be converted.
    quiz_of: HashMap<PathBuf, Option<String>>,
    /// Path under `static/` (the same as under `src`) → the file in the book (relative to it).
    copies: BTreeMap<PathBuf, PathBuf>,
    /// Markdown files in `src` that SUMMARY.md does not list.
    unlisted: HashSet<PathBuf>,
    /// How many quizzes each page embeds so far, for their titles.
    quizzes_in_page: HashMap<usize, usize>,
    /// Raw chapter texts (relative to the book), for finding preprocessor syntax.
    raw_sources: Vec<(PathBuf, String)>,
    book_title: String,
    smart_punctuation: bool,
}

impl Plan {
    fn new(
        book: &BookToml,
        summary: &summary::Summary,
        summary_rel: &Path,
        summary_text: &str,
        imported: &mut Imported,
    ) -> Plan {
        let book_title = book
            .title
            .clone()
            .or_else(|| summary.title.clone().filter(|t| t != "Summary"))
            .unwrap_or_else(|| "Untitled book".into());
        let mut plan = Plan {
            sections: Vec::new(),
            pages: Vec::new(),
            page_of: HashMap::new(),
            quizzes: Vec::new(),
            quiz_of: HashMap::new(),
            copies: BTreeMap::new(),
            unlisted: HashSet::new(),
            quizzes_in_page: HashMap::new(),
            raw_sources: Vec::new(),
            book_title: book_title.clone(),
            smart_punctuation: book.smart_punctuation(),
        };
        let mut section_slugs: HashSet<String> = [QUIZ_SECTION.to_string(), "tags".to_string()].into();
        let mut page_slugs: Vec<HashSet<String>> = Vec::new();
        let mut new_section = |plan: &mut Plan, title: &str, page_slugs: &mut Vec<HashSet<String>>| {
            let slug = unique(crate::markdown::slugify(title), &mut section_slugs);
            plan.sections.push(SectionPlan {
                slug,
                title: title.to_string(),
                weight: 10 * (plan.sections.len() as i64 + 1),
            });
            page_slugs.push(HashSet::new());
        };
        let summary_shown = summary_rel.display().to_string();
        for item in &summary.items {
            match item {
                Item::Part { title, .. } => {
                    let title = if title.is_empty() {
                        format!("Part {}", plan.sections.len() + 1)
                    } else {
                        title.clone()
                    };
                    new_section(&mut plan, &title, &mut page_slugs)
                }
                Item::Separator => {}
                Item::Chapter(chapter) => {
                    let Some(path) = &chapter.path else {
                        imported.left_as_is.push((
                            format!("{summary_shown}:{}", chapter.line),
                            format!("the draft chapter \"{}\" has no file; it was left out", chapter.title),
                        ));
                        continue;
                    };
                    let decoded = percent_decode(path);
                    let Some(source) = normalize_path(Path::new(decoded.trim_start_matches("./"))) else {
                        imported.report.push(
                            Diagnostic::error(
                                summary_rel,
                                format!("the chapter file `{path}` is outside the book's src folder"),
                            )
                            .at(crate::diagnostic::Location::at_line_col(summary_text, chapter.line, 1, 1))
                            .with_hint("tandem import reads chapters from inside the book only"),
                        );
                        continue;
                    };
                    if plan.page_of.contains_key(&source) {
                        imported.left_as_is.push((
                            format!("{summary_shown}:{}", chapter.line),
                            format!("{} is listed twice; only its first place was kept", source.display()),
                        ));
                        continue;
                    }
                    if plan.sections.is_empty() {
                        let title = plan.book_title.clone();
                        new_section(&mut plan, &title, &mut page_slugs);
                    }
                    let section = plan.sections.len() - 1;
                    let slug = unique(page_slug(&source), &mut page_slugs[section]);
                    let weight = 10 * (plan.pages.iter().filter(|p| p.section == section).count() as i64 + 1);
                    let number = match chapter.placement {
                        Placement::Numbered => chapter.number_label(),
                        Placement::Prefix | Placement::Suffix => String::new(),
                    };
                    plan.page_of.insert(source.clone(), plan.pages.len());
                    let title = if chapter.title.is_empty() {
                        title_from_file(&source)
                    } else {
                        chapter.title.clone()
                    };
                    plan.pages.push(PagePlan {
                        shown: summary_rel.parent().unwrap_or(Path::new("")).join(&source),
                        raw: String::new(),
                        source,
                        title,
                        number,
                        section,
                        slug,
                        weight,
                        text: String::new(),
                        scan: Scan::default(),
                    });
                }
            }
        }
        plan
    }

    /// Reads, expands and scans every chapter; converts the quizzes they embed.
    fn read_chapters(&mut self, book_root: &Path, src_rel: &Path, imported: &mut Imported) {
        for index in 0..self.pages.len() {
            let source = self.pages[index].source.clone();
            let shown = src_rel.join(&source);
            let abs = book_root.join(&shown);
            let text = match abs.canonicalize() {
                Ok(canonical) if !canonical.starts_with(book_root) => {
                    imported.report.push(
                        Diagnostic::error(&shown, "the chapter file is outside the book (a symbolic link?)")
                            .with_hint("tandem import reads only files inside the book's folder"),
                    );
                    String::new()
                }
                Ok(canonical) => match std::fs::read(&canonical) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) => {
                        imported
                            .report
                            .push(Diagnostic::error(&shown, format!("cannot read the chapter: {e}")));
                        String::new()
                    }
                },
                Err(_) => {
                    imported.report.push(
                        Diagnostic::warning(
                            &shown,
                            "SUMMARY.md lists this chapter, but the file does not exist",
                        )
                        .with_hint("mdBook creates it empty (create-missing); the page was imported empty"),
                    );
                    String::new()
                }
            };
            let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
            self.raw_sources.push((shown.clone(), text.clone()));
            self.pages[index].raw = text.clone();
            let expansion = include::expand(book_root, &abs, &shown, &text);
            imported.report.extend(expansion.diagnostics);
            for (file, line, title) in expansion.titles {
                imported.left_as_is.push((
                    format!("{}:{line}", file.display()),
                    format!("{{{{#title {title}}}}} was dropped: the page's title is its SUMMARY.md title"),
                ));
            }
            let (expanded, escaped) = escape_shortcode_syntax(&expansion.text);
            if escaped > 0 {
                imported.left_as_is.push((
                    shown.display().to_string(),
                    format!(
                        "{escaped} piece{} of text that tandem would read as a shortcode call (`{{{{ name(` or `{{% name(`) had its `{{` written as `&#123;`, which reads the same",
                        plural(escaped)
                    ),
                ));
            }
            let with_quizzes = self.embed_quizzes(book_root, &abs, &shown, &text, &expanded, index, imported);
            let title = self.pages[index].title.clone();
            let scan = links::scan(&with_quizzes, &title, self.smart_punctuation);
            if let Some(heading) = &scan.kept_heading {
                imported.left_as_is.push((
                    shown.display().to_string(),
                    format!("the chapter's heading \"{heading}\" is not its SUMMARY.md title \"{title}\"; the page shows both"),
                ));
            }
            for (offset, dest) in &scan.unlocated {
                imported.report.push(
                    Diagnostic::warning(
                        &shown,
                        format!("the link to `{dest}` could not be found in the text to rewrite it"),
                    )
                    .with_hint(format!(
                        "(near byte {offset} after includes) check the link by hand in the new site"
                    )),
                );
            }
            self.pages[index].text = with_quizzes;
            self.pages[index].scan = scan;
        }
    }

    /// Replaces each `{{#quiz path}}` (outside code) with a tandem embed, converting the quiz.
    #[allow(clippy::too_many_arguments)]
    fn embed_quizzes(
        &mut self,
        book_root: &Path,
        chapter_abs: &Path,
        shown: &Path,
        raw: &str,
        text: &str,
        page: usize,
        imported: &mut Imported,
    ) -> String {
        let code = links::code_ranges(text);
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(found) = text[from..].find("{{#quiz ") {
            let start = from + found;
            from = start + 2;
            if code.iter().any(|r| r.contains(&start)) {
                continue;
            }
            let Some(close) = text[start..].find("}}") else { break };
            let end = start + close + 2;
            let arg = text[start + "{{#quiz ".len()..start + close].trim();
            if arg.contains('}') || arg.is_empty() {
                continue;
            }
            let line = raw.find(&text[start..end]).map_or(0, |at| raw[..at].matches('\n').count() + 1);
            let at = |d: Diagnostic| match line {
                0 => d,
                line => d.at(crate::diagnostic::Location::at_line_col(raw, line, 1, 1)),
            };
            let quiz_abs = chapter_abs.parent().unwrap_or(book_root).join(arg);
            let id = match quiz_abs.canonicalize() {
                Err(_) => {
                    imported.report.push(
                        at(Diagnostic::error(shown, format!("the quiz file `{arg}` does not exist")))
                            .with_hint(
                                "the path is relative to the chapter's folder; fix it and import again",
                            ),
                    );
                    None
                }
                Ok(canonical) if !canonical.starts_with(book_root) => {
                    imported.report.push(
                        at(Diagnostic::error(shown, format!("the quiz `{arg}` is outside the book")))
                            .with_hint("tandem import reads only files inside the book's folder"),
                    );
                    None
                }
                Ok(canonical) => self.quiz_id(book_root, &canonical, page, imported),
            };
            let replacement = match id {
                Some(id) => format!("{{{{ quiz(id=\"{id}\") }}}}"),
                None => format!(
                    "> [!WARNING]\n> tandem import: the quiz {arg} could not be imported. See the import report."
                ),
            };
            // An embed is a paragraph of its own.
            let before = if text[..start].ends_with("\n\n") || start == 0 { "" } else { "\n\n" };
            let after = if text[end..].starts_with("\n\n") || end == text.len() { "" } else { "\n\n" };
            edits.push((start..end, format!("{before}{replacement}{after}")));
        }
        links::apply(text, edits)
    }

    fn quiz_id(
        &mut self,
        book_root: &Path,
        canonical: &Path,
        page: usize,
        imported: &mut Imported,
    ) -> Option<String> {
        if let Some(known) = self.quiz_of.get(canonical) {
            return known.clone();
        }
        let shown = canonical.strip_prefix(book_root).unwrap_or(canonical).to_path_buf();
        let text = match std::fs::read_to_string(canonical) {
            Ok(t) => t,
            Err(e) => {
                imported.report.push(Diagnostic::error(&shown, format!("cannot read the quiz: {e}")));
                self.quiz_of.insert(canonical.to_path_buf(), None);
                return None;
            }
        };
        let stem = canonical.file_stem().unwrap_or_default().to_string_lossy();
        let mut taken: HashSet<String> = self.quizzes.iter().map(|q| q.id.clone()).collect();
        let id = unique(quiz_id_from(&stem), &mut taken);
        let chapter_title = &self.pages[page].title;
        let already = self.quizzes.len();
        let nth = self.quizzes_in_page.entry(page).or_insert(0);
        *nth += 1;
        let title = match *nth {
            1 => format!("Quiz: {chapter_title}"),
            n => format!("Quiz {n}: {chapter_title}"),
        };
        let converted = quiz::convert(&shown, &text, &title, 10 * (already as i64 + 1));
        imported.report.extend(converted.diagnostics);
        let Some(quiz) = converted.quiz else {
            self.quiz_of.insert(canonical.to_path_buf(), None);
            return None;
        };
        let body = yaml_serde::to_string(&quiz).unwrap_or_default();
        let yaml = format!("# Imported by `tandem import` from the book's {}\n{body}", shown.display());
        // tandem's own checker has the last word: a quiz it rejects is not written.
        let yaml_path = PathBuf::from(format!("content/{QUIZ_SECTION}/{id}.yaml"));
        let (_, problems) = crate::quiz::parse(&yaml_path, &yaml);
        let errors: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
        if !errors.is_empty() {
            for e in errors {
                imported.report.push(
                    Diagnostic::error(
                        &shown,
                        format!("the converted quiz does not pass tandem check: {}", e.message),
                    )
                    .with_hint("please report this as a tandem import bug; the quiz was left out"),
                );
            }
            self.quiz_of.insert(canonical.to_path_buf(), None);
            return None;
        }
        imported.questions += quiz.questions.len();
        self.quizzes.push(QuizPlan { id: id.clone(), yaml });
        self.quiz_of.insert(canonical.to_path_buf(), Some(id.clone()));
        Some(id)
    }

    /// Every file of `src` that is not Markdown goes to `static/`, as mdBook copies it to its
    /// output, unless it would replace a file of the theme or of the build.
    fn copy_plan(&mut self, book_root: &Path, src_rel: &Path, imported: &mut Imported) {
        let src_dir = book_root.join(src_rel);
        let reserved: HashSet<PathBuf> = crate::theme::DEFAULT_THEME
            .get_dir("static")
            .map(|d| {
                let mut files = Vec::new();
                collect_embedded(d, &mut files);
                files
            })
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.strip_prefix("static").map(Path::to_path_buf).unwrap_or(p))
            .chain(crate::render::site_files::reserved_files().chain(["index.html"]).map(PathBuf::from))
            .collect();
        let output_pages: HashSet<PathBuf> = self
            .pages
            .iter()
            .map(|p| PathBuf::from(&self.sections[p.section].slug).join(&p.slug).join("index.html"))
            .chain(self.sections.iter().map(|s| PathBuf::from(&s.slug).join("index.html")))
            .collect();
        let walker = walkdir::WalkDir::new(&src_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !crate::content::is_hidden(e.path()));
        for entry in walker.flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&src_dir).unwrap_or(entry.path()).to_path_buf();
            if rel.extension().is_some_and(|e| e == "md") {
                if !self.page_of.contains_key(&rel) && rel != Path::new("SUMMARY.md") {
                    self.unlisted.insert(rel.clone());
                    imported.left_as_is.push((
                        src_rel.join(&rel).display().to_string(),
                        "not in SUMMARY.md, so not a chapter (mdBook does not publish it either)".into(),
                    ));
                }
                continue;
            }
            if rel.starts_with("mdbook-quiz") {
                continue; // mdbook-quiz's own copy of its scripts: tandem brings its own.
            }
            if reserved.contains(&rel) || output_pages.contains(&rel) {
                imported.left_as_is.push((
                    src_rel.join(&rel).display().to_string(),
                    "not copied: the site's own file of that name would be replaced".into(),
                ));
                continue;
            }
            // mdBook and tandem both leave symbolic links out of the book's reach.
            match entry.path().canonicalize() {
                Ok(c) if c.starts_with(book_root) => {
                    self.copies.insert(rel.clone(), src_rel.join(&rel));
                }
                _ => imported.left_as_is.push((
                    src_rel.join(&rel).display().to_string(),
                    "not copied: it links to a file outside the book".into(),
                )),
            }
        }
        imported.files = self.copies.len();
    }

    /// Where preprocessor `name`'s syntax appears in the chapters: `(file, line, the text)`.
    fn syntax_of(&self, name: &str) -> Vec<(String, usize, String)> {
        let mut patterns = vec![format!("{{{{#{name}")];
        match name {
            "admonish" => patterns.push("```admonish".into()),
            "mermaid" => patterns.push("```mermaid".into()),
            "toc" => patterns.push("<!-- toc -->".into()),
            "katex" => patterns.push("$$".into()),
            "trpl-listing" => patterns.push("<Listing".into()),
            "trpl-note" => patterns.push("<section class=\"note\"".into()),
            _ => {}
        }
        let mut found = Vec::new();
        for (file, text) in &self.raw_sources {
            for (i, line) in text.lines().enumerate() {
                if patterns.iter().any(|p| line.contains(p.as_str())) {
                    let shown: String = line.trim().chars().take(60).collect();
                    found.push((file.display().to_string(), i + 1, format!("\"{shown}\"")));
                }
            }
        }
        found
    }

    /// Every file of the new site but the copied ones: `(path, text)`.
    fn render(&mut self, book: &BookToml, imported: &mut Imported) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        let config = Config {
            title: self.book_title.clone(),
            base_url: book.base_url(),
            description: book.description.clone().unwrap_or_default(),
            language: book.language.clone().unwrap_or_else(|| "en".into()),
            theme: "default".into(),
            build: Default::default(),
            feed: Default::default(),
            search: Default::default(),
            markdown: MarkdownConfig {
                smart_punctuation: book.smart_punctuation(),
                ..MarkdownConfig::default()
            },
            extra: if book.authors.is_empty() {
                toml::Table::new()
            } else {
                toml::Table::from_iter([(
                    "authors".to_string(),
                    toml::Value::Array(book.authors.iter().cloned().map(toml::Value::String).collect()),
                )])
            },
        };
        if config.base_url.is_empty() {
            imported.left_as_is.push((
                "site.toml".into(),
                "base_url is empty: set it to the address the site will be published at".into(),
            ));
        }
        files.push((
            PathBuf::from("site.toml"),
            format!(
                "# Imported by `tandem import mdbook` from the book's book.toml.\n{}",
                toml::to_string(&config).unwrap_or_default()
            ),
        ));

        let first = self.pages.first().map(|p| p.content_path(&self.sections));
        let mut home = front_matter(&FrontMatterOut {
            title: &self.book_title,
            description: book.description.as_deref(),
            weight: None,
            extra: None,
        });
        if let Some(first) = first {
            let link = first.trim_start_matches("content/");
            home.push_str(&format!("\n[Start reading]({link}).\n"));
        }
        files.push((PathBuf::from("content/_index.md"), home));
        for s in &self.sections {
            files.push((
                PathBuf::from(format!("content/{}/_index.md", s.slug)),
                front_matter(&FrontMatterOut {
                    title: &s.title,
                    description: None,
                    weight: Some(s.weight),
                    extra: None,
                }),
            ));
        }
        for index in 0..self.pages.len() {
            let body = self.rewrite(index, imported);
            let page = &self.pages[index];
            let extra = (!page.number.is_empty()).then(|| ExtraOut { section_number: &page.number });
            let mut text = front_matter(&FrontMatterOut {
                title: &page.title,
                description: None,
                weight: Some(page.weight),
                extra,
            });
            text.push_str(&body);
            files.push((PathBuf::from(page.content_path(&self.sections)), text));
        }
        if !self.quizzes.is_empty() {
            files.push((
                PathBuf::from(format!("content/{QUIZ_SECTION}/_index.md")),
                front_matter(&FrontMatterOut {
                    title: "Quizzes",
                    description: None,
                    weight: Some(10 * (self.sections.len() as i64 + 1)),
                    extra: None,
                }),
            ));
        }
        for q in &self.quizzes {
            files.push((PathBuf::from(format!("content/{QUIZ_SECTION}/{}.yaml", q.id)), q.yaml.clone()));
        }
        imported.sections = self.sections.len() + usize::from(!self.quizzes.is_empty());
        imported.chapters = self.pages.len();
        imported.quizzes = self.quizzes.len();
        files
    }

    /// The page's text with its links, images and heading ids rewritten for the new site.
    fn rewrite(&self, index: usize, imported: &mut Imported) -> String {
        let page = &self.pages[index];
        let mut edits = page.scan.edits.clone();
        let from_dir = page.source.parent().unwrap_or(Path::new("")).to_path_buf();
        let depth_up = "../".repeat(2); // a page's URL is /section/page/
        for r in &page.scan.references {
            let Some(resolved) = self.resolve(index, &from_dir, &r.dest) else { continue };
            let written = &page.text[r.dest_range.clone()];
            let mut warn = |message: String| {
                // Reported where the chapter's own text has it; text from an include has no line.
                let d = Diagnostic::warning(&page.shown, message);
                let d = match page.raw.find(written) {
                    Some(at) => d.at_offset(&page.raw, at, written.len()),
                    None => d,
                };
                imported
                    .report
                    .push(d.with_hint("the link was broken in the book too; fix it in the new site"));
            };
            let replacement = match resolved {
                Target::Chapter { page: target, anchor } => {
                    let t = &self.pages[target];
                    let scan = &t.scan;
                    let anchor = match anchor {
                        None => None,
                        Some(a) if scan.title_anchor.as_deref() == Some(a.as_str()) => None,
                        Some(a) if scan.anchors.contains(&a) => Some(Anchor::Checked(a)),
                        Some(a) if scan.html_ids.contains(&a) => Some(Anchor::Unchecked(a)),
                        Some(a) => {
                            warn(format!(
                                "{} has no `#{a}`; the link now goes to the top of that page",
                                t.shown.display()
                            ));
                            None
                        }
                    };
                    let same_section = t.section == page.section;
                    match (r.kind, anchor) {
                        (RefKind::Link, None) => {
                            source_link(same_section, &self.sections[t.section].slug, &t.slug, None)
                        }
                        (RefKind::Link, Some(Anchor::Checked(a))) => {
                            source_link(same_section, &self.sections[t.section].slug, &t.slug, Some(&a))
                        }
                        (
                            RefKind::Link | RefKind::Html | RefKind::Image,
                            Some(Anchor::Unchecked(a) | Anchor::Checked(a)),
                        ) => {
                            format!("{depth_up}{}/{}/#{a}", self.sections[t.section].slug, t.slug)
                        }
                        (RefKind::Html | RefKind::Image, None) => {
                            format!("{depth_up}{}/{}/", self.sections[t.section].slug, t.slug)
                        }
                    }
                }
                Target::SamePage(a) => {
                    let scan = &page.scan;
                    if scan.title_anchor.as_deref() == Some(a.as_str()) {
                        "./".to_string()
                    } else if scan.anchors.contains(&a) {
                        continue;
                    } else if scan.html_ids.contains(&a) {
                        format!("./#{a}")
                    } else {
                        warn(format!(
                            "`#{a}` is not an id on this page; the link was kept but is not checked"
                        ));
                        format!("./#{a}")
                    }
                }
                Target::File(static_rel) => {
                    let url: String = static_rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    format!("{depth_up}{}", encode_path(&url))
                }
                Target::NotAChapter(path) => {
                    warn(format!(
                        "{} is not a chapter in SUMMARY.md; the link to it was removed and its text kept",
                        path.display()
                    ));
                    if let Some((whole, inner)) = &r.unwrap {
                        edits.push((whole.clone(), page.text[inner.clone()].to_string()));
                    }
                    continue;
                }
                Target::Missing(path) => {
                    warn(format!("the book has no {path}; the link was left as it is"));
                    continue;
                }
            };
            edits.push((r.dest_range.clone(), replacement));
        }
        links::apply(&page.text, edits)
    }

    /// What a destination written in the chapter at `page` refers to; `None` to leave it alone.
    fn resolve(&self, page: usize, from_dir: &Path, dest: &str) -> Option<Target> {
        if is_external(dest) {
            return None;
        }
        let (file, anchor) = match dest.split_once('#') {
            Some((f, a)) => (f, Some(a.to_string())),
            None => (dest, None),
        };
        let file = file.split('?').next().unwrap_or("");
        if file.is_empty() {
            return anchor.filter(|a| !a.is_empty()).map(Target::SamePage);
        }
        let decoded = percent_decode(file);
        let joined = if let Some(abs) = decoded.strip_prefix('/') {
            PathBuf::from(abs)
        } else {
            from_dir.join(&decoded)
        };
        let Some(path) = normalize_path(&joined) else {
            return Some(Target::Missing(decoded));
        };
        let candidates: Vec<PathBuf> = if decoded.ends_with('/') || path.as_os_str().is_empty() {
            vec![path.join("README.md"), path.join("index.md")]
        } else if path.extension().is_some_and(|e| e == "html") {
            let md = path.with_extension("md");
            if path.file_name().is_some_and(|n| n == "index.html") {
                vec![md, path.with_file_name("README.md")]
            } else {
                vec![md]
            }
        } else {
            vec![path.clone()]
        };
        for c in &candidates {
            if let Some(&target) = self.page_of.get(c) {
                if target == page && anchor.is_some() {
                    return anchor.map(Target::SamePage);
                }
                return Some(Target::Chapter { page: target, anchor: anchor.filter(|a| !a.is_empty()) });
            }
        }
        if self.copies.contains_key(&path) {
            return Some(Target::File(path));
        }
        if self.unlisted.contains(&path) {
            return Some(Target::NotAChapter(path));
        }
        Some(Target::Missing(decoded))
    }
}

/// What a link in a chapter points at.
enum Target {
    /// Another chapter (or this one), maybe at an anchor.
    Chapter { page: usize, anchor: Option<String> },
    /// `#anchor` on the same page.
    SamePage(String),
    /// A file copied to `static/` (this path under it).
    File(PathBuf),
    /// A Markdown file of `src` that SUMMARY.md does not list.
    NotAChapter(PathBuf),
    /// Nothing the book has.
    Missing(String),
}

enum Anchor {
    /// A heading or footnote id: tandem checks links to it.
    Checked(String),
    /// An id in raw HTML: fine in a browser, unknown to tandem's checker.
    Unchecked(String),
}

/// A tandem source link from a page of one section to a page of `section`.
fn source_link(same_section: bool, section: &str, slug: &str, anchor: Option<&str>) -> String {
    let file = if same_section { format!("{slug}.md") } else { format!("../{section}/{slug}.md") };
    let file = encode_path(&file);
    match anchor {
        Some(a) => format!("{file}#{a}"),
        None => file,
    }
}

/// Spaces and the like, percent-encoded, so a path stays one Markdown link destination.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// `base`, or `base-2`, `base-3`… whichever is not taken yet (and takes it).
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A page's file name from its chapter's path: `ch01.md` → `ch01`, `cli/init.md` → `cli-init`,
/// `cli/README.md` → `cli` (mdBook serves a README as its folder's index), `README.md` → `index`.
fn page_slug(source: &Path) -> String {
    let mut parts: Vec<String> = source
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.len() > 1 && parts.last().is_some_and(|l| l.eq_ignore_ascii_case("readme") || l == "index") {
        parts.pop();
    }
    let joined = parts.join("-");
    let joined = if joined.eq_ignore_ascii_case("readme") { "index".to_string() } else { joined };
    let safe = joined.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if safe && !joined.starts_with('.') && !joined.is_empty() {
        joined
    } else {
        crate::markdown::slugify(&joined)
    }
}

/// A quiz id from its file's stem: what a file name may hold, as a URL segment.
fn quiz_id_from(stem: &str) -> String {
    let id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "quiz".into() } else { id }
}

fn collect_embedded(dir: &include_dir::Dir, into: &mut Vec<PathBuf>) {
    for f in dir.files() {
        into.push(f.path().to_path_buf());
    }
    for d in dir.dirs() {
        collect_embedded(d, into);
    }
}

#[derive(Serialize)]
struct FrontMatterOut<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<ExtraOut<'a>>,
}

#[derive(Serialize)]
struct ExtraOut<'a> {
    /// mdBook's number for the chapter (`3.1.`), which also tells how deep it was nested.
    section_number: &'a str,
}

fn front_matter(fm: &FrontMatterOut) -> String {
    format!("---\n{}---\n", yaml_serde::to_string(fm).unwrap_or_default())
}

/// Writes the site into a staging folder beside `site`, then moves it into place.
fn write_site(
    site: &Path,
    files: &[(PathBuf, String)],
    copies: &BTreeMap<PathBuf, PathBuf>,
    book_root: &Path,
    imported: &Imported,
) -> Result<(), Diagnostic> {
    let name = site.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    let parent = match site.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| {
        Diagnostic::error(&parent, format!("cannot create the new site's parent folder: {e}"))
    })?;
    let staging = parent.join(format!(".{name}.tandem-import"));
    if staging.exists() {
        return Err(Diagnostic::error(&staging, "a staging folder from an earlier import is in the way")
            .with_hint(
                "remove it (tandem import never deletes a folder it did not just create) and import again",
            ));
    }
    let fail = |staging: &Path, what: &Path, e: std::io::Error| {
        // Only the staging folder this run created is removed.
        let _ = std::fs::remove_dir_all(staging);
        Diagnostic::error(what, format!("cannot write: {e}"))
            .with_hint("nothing was written; fix the cause and import again")
    };
    std::fs::create_dir(&staging).map_err(|e| Diagnostic::error(&staging, format!("cannot create: {e}")))?;
    let write = |rel: &Path, bytes: &[u8]| -> std::io::Result<()> {
        let path = staging.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, bytes)
    };
    for (rel, text) in files {
        write(rel, text.as_bytes()).map_err(|e| fail(&staging, rel, e))?;
    }
    for (static_rel, book_rel) in copies {
        let bytes = std::fs::read(book_root.join(book_rel)).map_err(|e| fail(&staging, book_rel, e))?;
        write(&Path::new("static").join(static_rel), &bytes).map_err(|e| fail(&staging, static_rel, e))?;
    }
    let report = imported.render();
    write(Path::new(REPORT_FILE), report.as_bytes())
        .map_err(|e| fail(&staging, Path::new(REPORT_FILE), e))?;
    if site.exists() {
        std::fs::remove_dir(site).map_err(|e| fail(&staging, site, e))?;
    }
    std::fs::rename(&staging, site).map_err(|e| fail(&staging, site, e))?;
    Ok(())
}

/// A title for a chapter whose SUMMARY link has no text: its file name, in words.
fn title_from_file(source: &Path) -> String {
    let stem = source.file_stem().unwrap_or_default().to_string_lossy().replace(['-', '_'], " ");
    let mut chars = stem.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

/// Text outside code that tandem's Markdown would take for a shortcode call (`{{ name(…) }}`,
/// `{% name(…) %}`, `{% end %}`) gets its `{` as the character reference `&#123;`, which renders
/// the same but is not shortcode syntax. mdBook has no shortcodes, so a book means it as text.
fn escape_shortcode_syntax(text: &str) -> (String, usize) {
    if !text.contains("{{") && !text.contains("{%") {
        return (text.to_string(), 0);
    }
    let code = links::code_ranges(text);
    let mut edits = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find('{') {
        let start = at + i;
        at = start + 1;
        let rest = &text[start..];
        let percent = rest.starts_with("{%");
        if !(percent || rest.starts_with("{{")) || code.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let after = rest[2..].trim_start();
        let name_len =
            after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(after.len());
        if name_len == 0 {
            continue;
        }
        let tail = after[name_len..].trim_start();
        if tail.starts_with('(') || (percent && &after[..name_len] == "end" && tail.starts_with("%}")) {
            edits.push((start..start + 1, "&#123;".to_string()));
        }
    }
    let count = edits.len();
    (links::apply(text, edits), count)
}
