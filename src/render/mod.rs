//! Rendering: Markdown and quizzes to HTML, then every output file through the Tera templates.
//!
//! Templates get the config and the navigation tree once (Tera's global context) and only their
//! own page or section per render, so a page's context stays small however big the site is.
//!
//! By what it produces: [`pages`] (guides, quiz pages, sections and their navigation),
//! [`quizzes`] (each quiz's HTML), [`site_files`] (sitemap, feed, tags, aliases, search index,
//! static files: one module each, listed in one table). [`rendering`] keeps what a build learned
//! so that the dev server can re-render one page.

pub mod output_paths;
mod pages;
mod quizzes;
mod rendering;
pub mod site_files;
mod templates;
mod tested;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::Context;

use self::pages::tag_link;
pub use self::rendering::{Afterwards, Rendering, render_site};
pub use self::templates::Templates;
pub use self::tested::Coverage;
use crate::config::Config;
use crate::content::{Content, Page, PageId, PageKind, SectionId};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, ShortcodeCall, ShortcodeError};

/// Where rendered files go: a staging folder on disk, memory for the dev server, or nowhere.
pub trait Output: Sync {
    /// `path` is relative to the output root, with `/` separators, e.g. `guides/x/index.html`.
    fn write(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;
    /// Deletes a file written before (the dev server's edits can leave fewer files than a page
    /// had); a file that is not there is no error.
    fn remove(&self, path: &str) -> std::io::Result<()>;
    /// A file written before, if it is there (the dev server's edits update a file that several
    /// pages share); `None` where nothing is kept.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

/// Swallows everything (for `check`).
pub struct Discard;

impl Output for Discard {
    fn write(&self, _path: &str, _bytes: Vec<u8>) -> std::io::Result<()> {
        Ok(())
    }

    fn remove(&self, _path: &str) -> std::io::Result<()> {
        Ok(())
    }

    fn read(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// One entry of a page's breadcrumb trail.
#[derive(Serialize)]
struct Breadcrumb {
    title: String,
    url: String,
    /// How many ancestors were left out just before this one (0 but after the gap of a long trail).
    omitted_before: usize,
}

/// The most entries a breadcrumb trail shows: the home page, the top-level section, and the
/// nearest ancestors, so that a trail stays one line however deep the folders go.
const BREADCRUMBS_MAX: usize = 8;
/// How many entries from the home page down a trail cut short keeps before its gap.
const BREADCRUMBS_HEAD: usize = 2;

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

/// The bytes a URL path keeps as they are (RFC 3986's unreserved and sub-delims, `/`, `:`, `@`);
/// every other byte is percent-encoded.
const URL_PATH_SAFE: [bool; 256] = {
    let mut safe = [false; 256];
    let mut b = 0;
    while b < 256 {
        safe[b] = (b as u8).is_ascii_alphanumeric()
            || matches!(
                b as u8,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        b += 1;
    }
    safe
};

/// Appends `path` to `url`, percent-encoding every byte that is not [`URL_PATH_SAFE`].
fn push_url_path(url: &mut String, path: &str) {
    // Pages' URLs are built many times each (navigation, breadcrumbs, links, search), and nearly
    // all of them need no escape: runs of bytes that need none are copied whole.
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut run = 0; // where the bytes not yet copied start: all of them are safe ASCII
    for (at, &byte) in path.as_bytes().iter().enumerate() {
        if URL_PATH_SAFE[usize::from(byte)] {
            continue;
        }
        if run < at {
            url.push_str(&path[run..at]);
        }
        url.push('%');
        url.push(char::from(HEX[usize::from(byte >> 4)]));
        url.push(char::from(HEX[usize::from(byte & 0xF)]));
        run = at + 1;
    }
    if run < path.len() {
        url.push_str(&path[run..]);
    }
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
        push_url_path(&mut url, path);
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

    /// A section with its own pages but not its subsections' trees: what a section page lists.
    /// (Each section page serializing its whole subtree made deep folders cost depth² × URL
    /// length per page: a chain of 1,000 nested sections took seconds of URL building alone.)
    fn nav_one_level(&self, section: SectionId) -> NavSection<'a> {
        let s = &self.content.sections[section];
        NavSection {
            title: &s.meta.title,
            url: self.url(&s.path),
            pages: s.pages.iter().map(|&p| self.summary(p)).collect(),
            subsections: Vec::new(),
        }
    }

    /// The trail from the home page down to `section`. Past [`BREADCRUMBS_MAX`] entries its
    /// middle is left out (the entry after the gap says how many): every page listing every
    /// ancestor made a chain of 1,000 nested folders write 347 MB, nearly all of it trails.
    fn breadcrumbs(&self, section: SectionId) -> Vec<Breadcrumb> {
        let trail = self.content.ancestors(section);
        let omitted = trail.len().saturating_sub(BREADCRUMBS_MAX);
        let crumb = |s: SectionId, omitted_before: usize| Breadcrumb {
            title: self.content.sections[s].meta.title.clone(),
            url: self.url(&self.content.sections[s].path),
            omitted_before,
        };
        let (head, tail) = trail.split_at(BREADCRUMBS_HEAD.min(trail.len()));
        let tail = &tail[omitted..];
        let head = head.iter().map(|&s| crumb(s, 0));
        head.chain(tail.iter().enumerate().map(|(i, &s)| crumb(s, if i == 0 { omitted } else { 0 })))
            .collect()
    }

    fn section_link(&self, id: SectionId) -> Link {
        let s = &self.content.sections[id];
        Link { title: s.meta.title.clone(), url: self.url(&s.path) }
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
    templates: &'a Templates,
    quizzes: &'a HashMap<String, String>,
    /// How often each quiz was embedded in this document so far, so each embed gets its own ids.
    embeds: std::sync::Mutex<HashMap<String, usize>>,
}

impl markdown::Resolver for SiteResolver<'_> {
    fn source_url(&self, from: &Path, target: &str) -> Option<(PathBuf, String)> {
        self.site.content.resolve_source_link(from, target).map(|(t, path)| (t, self.site.url(&path)))
    }
    fn quiz_html(&self, id: &str) -> Option<String> {
        // A quiz that failed to parse was reported already; its embeds stay empty.
        if !self.quizzes.contains_key(id) {
            return self.site.content.broken_quizzes.contains(id).then(String::new);
        }
        let mut embeds = self.embeds.lock().unwrap_or_else(|e| e.into_inner());
        let n = embeds.entry(id.to_string()).or_default();
        *n += 1;
        Some(crate::quiz::embed_ids(&self.quizzes[id], *n))
    }
    fn shortcode(&self, call: &ShortcodeCall, body: Option<&str>) -> Result<String, ShortcodeError> {
        self.templates.render_shortcode(call, body)
    }
    fn callout_title(&self, kind: &str) -> String {
        self.templates.callout_title(kind)
    }
}

fn write(out: &dyn Output, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
    out.write(path, bytes).map_err(|e| Diagnostic::error(path, format!("cannot write the output file: {e}")))
}

/// `/guides/x/` → `guides/x/index.html`.
pub fn output_file(site_path: &str) -> String {
    format!("{}index.html", site_path.trim_start_matches('/'))
}

fn base_context(site: &Site, current_path: &str, section: SectionId) -> Context {
    let mut ctx = section_context(site, section);
    insert_current(&mut ctx, &site.url(current_path), current_path);
    ctx
}

/// What [`base_context`] adds to [`section_context`]: the page's own URL and site path.
fn insert_current(ctx: &mut Context, url: &str, path: &str) {
    ctx.insert("current_url", url);
    ctx.insert("current_path", path);
}

/// The part of [`base_context`] that is the same for every page of `section`.
fn section_context(site: &Site, section: SectionId) -> Context {
    let mut ctx = Context::new();
    ctx.insert("breadcrumbs", &site.breadcrumbs(section));
    // The top-level section this page lives under, so navigation can mark it.
    let top = site.content.ancestors(section).get(1).map(|&s| site.section_link(s));
    ctx.insert("current_section_url", &top.as_ref().map(|l| &l.url));
    ctx.insert("current_section", &top);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_escape_every_byte_but_the_safe_ones() {
        let encoded = |path: &str| {
            let mut url = String::new();
            push_url_path(&mut url, path);
            url
        };
        assert_eq!(encoded("/guides/a-b_c.d~e/"), "/guides/a-b_c.d~e/");
        assert_eq!(encoded("/a b/#?%/"), "/a%20b/%23%3F%25/");
        assert_eq!(encoded("/café/ü"), "/caf%C3%A9/%C3%BC");
        assert_eq!(encoded("é"), "%C3%A9");
        assert_eq!(encoded("日本/x"), "%E6%97%A5%E6%9C%AC/x");
        assert_eq!(encoded(""), "");
    }

    proptest::proptest! {
        #[test]
        fn url_paths_are_escaped_byte_by_byte(path in "\\PC{0,24}") {
            let mut url = String::new();
            push_url_path(&mut url, &path);
            let mut expected = String::new();
            for byte in path.bytes() {
                if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
                    expected.push(char::from(byte));
                } else {
                    expected.push_str(&format!("%{byte:02X}"));
                }
            }
            proptest::prop_assert_eq!(url, expected);
        }
    }

    #[test]
    fn output_files_are_index_html_under_the_path() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/guides/x/"), "guides/x/index.html");
    }
}
