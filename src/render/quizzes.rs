//! Quizzes through the theme's `partials/quiz.html`: once as their own page, once for embedding.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::Context;

use super::{Site, SiteResolver, Templates};
use crate::content::{Page, PageId, PageKind};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, TocEntry};
use crate::quiz;
use crate::search;

/// Every quiz rendered, and the problems found on the way.
pub(super) struct Quizzes {
    /// For embedding in guides (an h2), by quiz id.
    pub html: HashMap<String, String>,
    /// As its own page (its title is the page's h1), by page id.
    pub pages: HashMap<PageId, String>,
    /// What search knows of each, by page id.
    pub search: HashMap<PageId, search::Page>,
    pub problems: Vec<Diagnostic>,
}

/// Every quiz rendered twice: for embedding in guides, and as its own page.
pub(super) fn render_quizzes(site: &Site, templates: &Templates) -> Quizzes {
    let headings = super::tested::tested_headings(site, templates);
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
            let (html, problems) = render_quiz(site, templates, page, q, &headings);
            (id, q.id.clone(), html, problems)
        })
        .collect();
    let mut all =
        Quizzes { html: HashMap::new(), pages: HashMap::new(), search: HashMap::new(), problems: Vec::new() };
    for (page, id, html, problems) in quiz_results {
        all.problems.extend(problems);
        match html {
            Some(QuizHtml { own_page, embedded, search }) => {
                all.pages.insert(page, own_page);
                all.html.insert(id, embedded);
                all.search.insert(page, search);
            }
            // Reported in `problems`; guides embedding it get an empty slot, not a second error.
            None => {
                all.html.insert(id, String::new());
            }
        }
    }
    all
}

/// A quiz through the theme's `partials/quiz.html`, twice.
struct QuizHtml {
    /// For the quiz's own page, where its title is the h1.
    own_page: String,
    /// For guides that embed it, where its title is an h2.
    embedded: String,
    /// Its title, description, intro and question prompts, for search. Options, feedback and
    /// explanations are left out: a snippet must not give an answer away.
    search: search::Page,
}

fn render_quiz(
    site: &Site,
    templates: &Templates,
    page: &Page,
    q: &quiz::Quiz,
    headings: &HashMap<PathBuf, Vec<TocEntry>>,
) -> (Option<QuizHtml>, Vec<Diagnostic>) {
    let no_embeds = HashMap::new();
    let resolver = SiteResolver { site, templates, quizzes: &no_embeds, embeds: Default::default() };
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
                .map(|d| Diagnostic { location: None, ..d }.at_offset(&page.source.text(), offset, len)),
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
                    .at_offset(&page.source.text(), offset, target.len())
                    .with_hint("outcome links are relative to the quiz file, e.g. ../guides/boundaries.md"),
            );
        }
    }
    // Each question's `tests` link, checked once: the view gets the resolved ones.
    let mut sections = HashMap::new();
    for (_, tests) in q.tests_links() {
        match super::tested::check(site, page, tests, headings) {
            Ok(resolved) => {
                sections.insert(tests.offset, resolved);
            }
            Err(d) => problems.push(d),
        }
    }
    let section = |tests: &quiz::SectionLink| sections.get(&tests.offset).cloned();
    let view = quiz::view(q, &site.url(&page.path), &md, &link, &section);
    problems.extend(link_problems.take());
    let mut ctx = Context::new();
    ctx.insert("quiz", &view);
    let mut render_at = |level: u8| {
        ctx.insert("quiz_heading_level", &level);
        templates.render("partials/quiz.html", &ctx, &page.source.path)
    };
    // The own page shows the quiz once: its ids need no embed number.
    let own_page = |html: String| quiz::embed_ids(&html, 1);
    let search = if site.config.search.enabled { search_page(&view) } else { search::Page::default() };
    let html = render_at(1)
        .and_then(|html| Ok(QuizHtml { own_page: own_page(html), embedded: render_at(2)?, search }));
    match html {
        Ok(html) => (Some(html), problems),
        Err(d) => {
            problems.push(d);
            (None, problems)
        }
    }
}

/// A quiz as search knows it: its title, then its description and intro, then each prompt, as
/// text without a heading (the theme's ids for questions are its own business).
fn search_page(view: &quiz::QuizView) -> search::Page {
    let text = |html: &str| {
        let parts = search::extract::sections(html).into_iter().flat_map(|s| [s.heading, s.text]);
        parts.filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
    };
    let intro = [text(&view.description_html), text(&view.intro_html)].join(" ").trim().to_string();
    let prompts = view.questions.iter().map(|q| text(&q.prompt_html));
    search::Page {
        url: view.page_url.clone(),
        title: view.title.clone(),
        sections: std::iter::once(intro)
            .chain(prompts)
            .filter(|t| !t.is_empty())
            .map(|text| search::Section { text, ..search::Section::default() })
            .collect(),
    }
}
