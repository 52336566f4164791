//! Guide pages, quiz pages and section pages through their templates, and the section navigation.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::{
    Link, NavSection, Output, PageSummary, Site, Templates, base_context, insert_current, kind_name,
    output_file, section_context, write,
};
use crate::content::{PageId, PageKind, SectionId};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Rendered, TocEntry};

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
    /// Each a [`Link`], as a template value.
    tags: Vec<tera::Value>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    prev: Option<PageLink<'a>>,
    next: Option<PageLink<'a>>,
    /// A [`Link`], as a template value.
    section: tera::Value,
    source: String,
}

/// A [`Link`] to a page, borrowing its title.
#[derive(Serialize)]
struct PageLink<'a> {
    title: &'a str,
    url: String,
}

fn page_link<'a>(site: &Site<'a>, id: PageId) -> PageLink<'a> {
    let p = &site.content.pages[id];
    PageLink { title: &p.meta.title, url: site.url(&p.path) }
}

pub(super) fn render_page(
    site: &Site,
    templates: &Templates,
    id: PageId,
    md: Option<&Rendered>,
    quiz_html: Option<&str>,
    section_navs: &SectionNavs,
    out: &dyn Output,
) -> Result<(), Diagnostic> {
    let page = &site.content.pages[id];
    let (prev, next) = site.content.neighbours(id);
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
    let (mut ctx, section_link) = section_navs.page_base(site, page.section);
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
        tags: page.meta.tags.iter().map(|t| section_navs.tag_link(site, t)).collect(),
        extra: &page.meta.extra,
        prev: prev.map(|p| page_link(site, p)),
        next: next.map(|p| page_link(site, p)),
        section: section_link,
        source: page.source.path.display().to_string(),
    };
    insert_current(&mut ctx, &ctx_page.url, &page.path);
    let nav = section_navs.for_page(site, templates, id, page.section)?;
    let nav = nav.map(|html| mark_current(&html, &ctx_page.url)).unwrap_or_default();
    let expected = ctx_page.content.len() + nav.len() + PAGE_FRAME_BYTES;
    ctx.insert("section_nav", &nav);
    ctx.insert("page", &ctx_page);
    let html = templates.render_file(template, &ctx, &page.source.path, expected)?;
    write(out, &output_file(&page.path), html)
}

/// About what a page holds besides its own text and section navigation (head, header, table of
/// contents, footer: ~4 KB in the default theme), for the size of the buffer it is rendered in.
const PAGE_FRAME_BYTES: usize = 8 << 10;

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

pub(super) fn render_section(
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
        subsections: section.subsections.iter().map(|&s| site.nav_one_level(s)).collect(),
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
    let expected = html.len() + PAGE_FRAME_BYTES + section.pages.len() * SECTION_ENTRY_BYTES;
    let html = templates.render_file(template, &ctx, &file, expected)?;
    write(out, &output_file(&section.path), html)
}

/// About what a section page's listing holds per page (a title and its link), for the size of the
/// buffer it is rendered in.
const SECTION_ENTRY_BYTES: usize = 128;

/// A top-level section with at most this many pages lists all of them in each page's section
/// navigation (rendered once for the section); a bigger one lists the neighbourhood of the page,
/// [`SECTION_NAV_AROUND`] pages on each side, with a link to the section's own page, which lists
/// them all.
pub const SECTION_NAV_ALL: usize = 20;

/// How many pages before and after the current one the section navigation of a big section lists
/// (more on one side at the section's ends, so that it always lists `2 × this + 1`).
pub const SECTION_NAV_AROUND: usize = 2;

/// What `partials/section-nav.html` gets as `section_pages`: a top-level section's pages, or on a
/// big section the neighbourhood of one page.
#[derive(Serialize)]
struct SectionNavPages<'a> {
    /// The section's title and URL, as template values.
    title: &'a tera::Value,
    url: &'a tera::Value,
    /// The pages listed, in the section's order: each a [`PageSummary`], as a template value.
    pages: &'a [tera::Value],
    /// Where the pages listed are in the section, counted from 1, and how many pages it has.
    first: usize,
    last: usize,
    total: usize,
    /// The page just before the ones listed and the one just after, if any: entries like those
    /// of `pages` (made per page as links, with their titles and URLs and the section's own, they
    /// were a quarter of what a big section's navigation cost).
    earlier: Option<&'a tera::Value>,
    later: Option<&'a tera::Value>,
}

/// The section navigation of each page, from `partials/section-nav.html`, with no page marked
/// current: pages get it as `section_nav`, with their own link marked by [`mark_current`].
///
/// A small section's navigation is rendered once for all its pages. A big one lists only the
/// neighbourhood of each page, so it is rendered per page, when the page is: on a 10,000-page
/// site in sections of 500, listing 20 pages of the section on each cost 2.4 KB a page (a quarter
/// of what the bench corpus's Hugo writes for a whole page), listing all of them 55 KB.
///
/// It also keeps the rest of what pages' contexts share, made once for all of them.
#[derive(Default)]
pub(super) struct SectionNavs {
    /// By small top-level section: its navigation, listing every page.
    whole: HashMap<SectionId, String>,
    /// The big top-level sections, whose pages get their neighbourhood; set only when the partial
    /// rendered for one of them, so that a broken partial is reported once, not once per page.
    big: HashMap<SectionId, NavParts>,
    /// Each page of a top-level section: its place there.
    place: HashMap<PageId, usize>,
    /// By section: what the context of each of its pages starts from ([`section_context`]), and
    /// the section's link (`page.section`), as template values made when the first of them is
    /// rendered. Made anew for each page, with each tag's link, they cost ~50 ms of CPU at 10,000
    /// pages, ~2% of the build (a breadcrumb trail, URLs, and their conversion to template values).
    page_bases: Vec<OnceLock<(Context, tera::Value)>>,
    /// Each tag of a page: its link, as a template value.
    tag_links: HashMap<String, tera::Value>,
}

/// What the navigation of every page of one top-level section shares, made once for all of them:
/// the partial's context but for `section_pages`, and each page's entry in the list. Made anew
/// per page, they were half of what the navigation of a big section cost (a base context, and
/// per listed page its URL and its conversion to a template value).
struct NavParts {
    context: Context,
    /// The section's title and URL, as template values.
    title: tera::Value,
    url: tera::Value,
    /// By place in the section: each page's [`PageSummary`] as a template value.
    entries: Vec<tera::Value>,
}

impl NavParts {
    fn new(site: &Site, id: SectionId) -> NavParts {
        let mut context = base_context(site, "", id);
        context.insert("current_url", "");
        let section = &site.content.sections[id];
        let pages = &section.pages;
        NavParts {
            context,
            title: tera::Value::from(section.meta.title.as_str()),
            url: tera::Value::from(site.url(&section.path)),
            entries: pages.iter().map(|&p| tera::Value::from_serializable(&site.summary(p))).collect(),
        }
    }
}

impl SectionNavs {
    /// The context of a page of `section` but for `page`, `current_url` and `current_path`, and
    /// the section's link.
    fn page_base(&self, site: &Site, section: SectionId) -> (Context, tera::Value) {
        let make =
            || (section_context(site, section), tera::Value::from_serializable(&site.section_link(section)));
        match self.page_bases.get(section) {
            Some(made) => made.get_or_init(make).clone(),
            None => make(), // after the section navigation failed
        }
    }

    /// The link to a tag's page, as a template value.
    fn tag_link(&self, site: &Site, tag: &str) -> tera::Value {
        match self.tag_links.get(tag) {
            Some(link) => link.clone(),
            None => tera::Value::from_serializable(&tag_link(site, tag)),
        }
    }

    /// The navigation for page `id` of `section`, not yet marked.
    fn for_page(
        &self,
        site: &Site,
        templates: &Templates,
        id: PageId,
        section: SectionId,
    ) -> Result<Option<Cow<'_, str>>, Diagnostic> {
        let Some(&top) = site.content.ancestors(section).get(1) else { return Ok(None) };
        if let Some(html) = self.whole.get(&top) {
            return Ok(Some(Cow::Borrowed(html)));
        }
        let Some(parts) = self.big.get(&top) else {
            return Ok(None);
        };
        // A page of a subsection is not in the top-level section's list: it gets the list's start.
        let at = self.place.get(&id).copied().unwrap_or(0);
        let places = neighbourhood(at, total_pages(site, top));
        Ok(Some(Cow::Owned(render_section_nav(site, templates, top, places, parts)?)))
    }
}

fn total_pages(site: &Site, section: SectionId) -> usize {
    site.content.sections[section].pages.len()
}

/// The places (from 0, end exclusive) that a big section's navigation lists for the page at `at`
/// of `total`: [`SECTION_NAV_AROUND`] on each side, shifted inwards at the section's ends.
fn neighbourhood(at: usize, total: usize) -> std::ops::Range<usize> {
    let len = (2 * SECTION_NAV_AROUND + 1).min(total);
    let start = at.saturating_sub(SECTION_NAV_AROUND).min(total - len);
    start..start + len
}

/// `partials/section-nav.html` for top-level section `id`, listing its pages at `places`.
fn render_section_nav(
    site: &Site,
    templates: &Templates,
    id: SectionId,
    places: std::ops::Range<usize>,
    parts: &NavParts,
) -> Result<String, Diagnostic> {
    let section = &site.content.sections[id];
    let pages = SectionNavPages {
        title: &parts.title,
        url: &parts.url,
        pages: &parts.entries[places.clone()],
        first: places.start + 1,
        last: places.end,
        total: section.pages.len(),
        earlier: places.start.checked_sub(1).map(|at| &parts.entries[at]),
        later: parts.entries.get(places.end),
    };
    let mut ctx = parts.context.clone();
    ctx.insert("section_pages", &pages);
    templates.render("partials/section-nav.html", &ctx, Path::new("partials/section-nav.html"))
}

pub(super) fn render_section_navs(site: &Site, templates: &Templates) -> Result<SectionNavs, Diagnostic> {
    let top_level = &site.content.sections[0].subsections;
    // Small sections whole; of a big one its first page's neighbourhood, to find a broken partial.
    let rendered: Vec<(SectionId, String, NavParts)> = top_level
        .par_iter()
        .map(|&id| {
            let total = total_pages(site, id);
            let places = if total > SECTION_NAV_ALL { neighbourhood(0, total) } else { 0..total };
            let parts = NavParts::new(site, id);
            Ok((id, render_section_nav(site, templates, id, places, &parts)?, parts))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let mut navs = SectionNavs::default();
    for (id, html, parts) in rendered {
        if total_pages(site, id) > SECTION_NAV_ALL {
            navs.big.insert(id, parts);
        } else {
            navs.whole.insert(id, html);
        }
    }
    for &id in top_level {
        navs.place.extend(site.content.sections[id].pages.iter().enumerate().map(|(at, &p)| (p, at)));
    }
    navs.page_bases = site.content.sections.iter().map(|_| OnceLock::new()).collect();
    for page in &site.content.pages {
        for tag in &page.meta.tags {
            if !navs.tag_links.contains_key(tag) {
                navs.tag_links.insert(tag.clone(), tera::Value::from_serializable(&tag_link(site, tag)));
            }
        }
    }
    Ok(navs)
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

pub(super) fn tag_link(site: &Site, tag: &str) -> Link {
    Link { title: tag.to_string(), url: site.url(&format!("/tags/{}/", markdown::slugify(tag))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_neighbourhood_is_shifted_inwards_at_the_ends() {
        assert_eq!(neighbourhood(0, 500), 0..5);
        assert_eq!(neighbourhood(1, 500), 0..5);
        assert_eq!(neighbourhood(2, 500), 0..5);
        assert_eq!(neighbourhood(3, 500), 1..6);
        assert_eq!(neighbourhood(250, 500), 248..253);
        assert_eq!(neighbourhood(498, 500), 495..500);
        assert_eq!(neighbourhood(499, 500), 495..500);
        assert_eq!(neighbourhood(0, 3), 0..3);
        assert_eq!(neighbourhood(0, 0), 0..0);
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
}
