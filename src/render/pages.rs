//! Guide pages, quiz pages and section pages through their templates, and the section navigation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::{
    Link, NavSection, Output, PageSummary, Site, Templates, base_context, kind_name, output_file, write,
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
    tags: Vec<Link>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    prev: Option<Link>,
    next: Option<Link>,
    section: Link,
    source: String,
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
    let nav = section_navs.for_page(site, id, page.section);
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
    let html = templates.render(template, &ctx, &file)?;
    write(out, &output_file(&section.path), html.into_bytes())
}

/// How many of a top-level section's pages the section navigation of a page lists: a section with
/// more shows the stretch of this many the page is in, with links to the stretches before and
/// after it and to the section's own page, which lists them all.
pub const SECTION_NAV_STRETCH: usize = 20;

/// What `partials/section-nav.html` gets as `section_pages`: one stretch of a top-level section's
/// pages.
#[derive(Serialize)]
struct SectionNavStretch<'a> {
    title: &'a str,
    url: String,
    /// The pages of this stretch, in the section's order.
    pages: Vec<PageSummary<'a>>,
    /// Where the stretch is in the section, counted from 1, and how many pages the section has.
    first: usize,
    last: usize,
    total: usize,
    /// The first page of the stretch before this one and of the one after, if any.
    earlier: Option<Link>,
    later: Option<Link>,
}

/// `partials/section-nav.html` rendered once per stretch of [`SECTION_NAV_STRETCH`] pages of
/// each top-level section, with no page marked current.
///
/// On big sites a section's navigation would be most of every page's HTML if it listed every page
/// of the section; rendering it once per stretch instead of once per page is also what keeps a
/// 10,000-page build fast. Pages get it as `section_nav`, with their own link marked by
/// [`mark_current`].
#[derive(Default)]
pub(super) struct SectionNavs {
    /// By top-level section: each stretch's HTML, in order.
    stretches: HashMap<SectionId, Vec<String>>,
    /// Each page listed in a top-level section's navigation: its place there.
    place: HashMap<PageId, usize>,
}

impl SectionNavs {
    /// The navigation for a page of `section` (the stretch it is in), not yet marked.
    fn for_page(&self, site: &Site, id: PageId, section: SectionId) -> Option<&str> {
        let top = *site.content.ancestors(section).get(1)?;
        let stretches = self.stretches.get(&top)?;
        let at = self.place.get(&id).map_or(0, |place| place / SECTION_NAV_STRETCH);
        stretches.get(at).map(String::as_str)
    }
}

pub(super) fn render_section_navs(site: &Site, templates: &Templates) -> Result<SectionNavs, Diagnostic> {
    let top_level = &site.content.sections[0].subsections;
    let jobs: Vec<(SectionId, usize)> = top_level
        .iter()
        .flat_map(|&id| {
            let pages = site.content.sections[id].pages.len();
            (0..pages.div_ceil(SECTION_NAV_STRETCH).max(1)).map(move |stretch| (id, stretch))
        })
        .collect();
    let rendered: Vec<(SectionId, String)> = jobs
        .par_iter()
        .map(|&(id, stretch)| {
            let section = &site.content.sections[id];
            let total = section.pages.len();
            let start = (stretch * SECTION_NAV_STRETCH).min(total);
            let end = (start + SECTION_NAV_STRETCH).min(total);
            let link =
                |at: Option<usize>| at.and_then(|at| section.pages.get(at)).map(|&p| site.page_link(p));
            let stretch = SectionNavStretch {
                title: &section.meta.title,
                url: site.url(&section.path),
                pages: section.pages[start..end].iter().map(|&p| site.summary(p)).collect(),
                first: start + 1,
                last: end,
                total,
                earlier: link(start.checked_sub(SECTION_NAV_STRETCH)),
                later: link(Some(end)),
            };
            let mut ctx = base_context(site, "", id);
            ctx.insert("current_url", "");
            ctx.insert("section_pages", &stretch);
            let html = templates.render(
                "partials/section-nav.html",
                &ctx,
                Path::new("partials/section-nav.html"),
            )?;
            Ok((id, html))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let mut navs = SectionNavs::default();
    for (id, html) in rendered {
        navs.stretches.entry(id).or_default().push(html);
    }
    for &id in top_level {
        navs.place.extend(site.content.sections[id].pages.iter().enumerate().map(|(at, &p)| (p, at)));
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
    fn only_the_current_pages_link_is_marked() {
        let nav = r#"<a href="/a/">A</a><a href="/a/b/">B</a>"#;
        assert_eq!(
            mark_current(nav, "/a/b/"),
            r#"<a href="/a/">A</a><a href="/a/b/" aria-current="page">B</a>"#
        );
        assert_eq!(mark_current(nav, "/zzz/"), nav);
    }
}
