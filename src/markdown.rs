//! Markdown to HTML with pulldown-cmark: heading ids and anchors, a table of contents, links
//! between source files rewritten to URLs (and checked), and `{{ quiz(id="…") }}` embeds.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::config::MarkdownConfig;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link to another content file, checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Target source path relative to the root, e.g. `content/guides/x.md`.
    pub target: PathBuf,
    /// Without the `#`; empty when the link has none.
    pub anchor: String,
    /// Byte offset of the link in the whole source file, and its length.
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id a link can point at with `#…` (headings and footnotes).
    pub anchors: HashSet<String>,
    pub links: Vec<LinkRef>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How links and embeds in one document are resolved.
pub trait Resolver {
    /// Site URL (with base path) for a link to a source file, if it is one of the site's.
    fn source_url(&self, from: &Path, target: &str) -> Option<(PathBuf, String)>;
    /// The HTML of an embedded quiz, or `None` for an unknown id.
    fn quiz_html(&self, id: &str) -> Option<String>;
}

/// One Markdown document: `text[body_start..]` of the file at `path`.
pub struct Document<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub body_start: usize,
}

fn options(config: &MarkdownConfig) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

pub fn render(doc: &Document, config: &MarkdownConfig, resolver: &dyn Resolver) -> Rendered {
    let body = &doc.text[doc.body_start..];
    let mut out = Rendered::default();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(body, options(config)).into_offset_iter().collect();
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut used_ids = UsedIds::default();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Paragraph) => {
                if let Some(id) = quiz_embed(&body[range.clone()]) {
                    let end = events[i..]
                        .iter()
                        .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
                        .map_or(events.len(), |p| i + p + 1);
                    match resolver.quiz_html(&id) {
                        Some(quiz) => html_events.push(Event::Html(quiz.into())),
                        None => out.diagnostics.push(
                            Diagnostic::error(doc.path, format!("there is no quiz with id `{id}`"))
                                .at_offset(doc.text, doc.body_start + range.start, range.len())
                                .with_hint("the id is the quiz file's name without .yaml, e.g. content/quizzes/ID.yaml"),
                        ),
                    }
                    i = end;
                    continue;
                }
                html_events.push(event.clone());
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let inner = &events[i + 1..end];
                let title = plain_text(inner.iter().map(|(e, _)| e));
                let base = id.as_ref().map_or_else(|| slugify(&title), |id| id.to_string());
                let unique = unique_id(base, &mut used_ids);
                out.anchors.insert(unique.clone());
                out.toc.push(TocEntry { level: heading_number(*level), id: unique.clone(), title });
                html_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(unique.clone().into()),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                html_events.extend(
                    inner
                        .iter()
                        .map(|(e, range)| rewrite_link(e.clone(), doc, range.clone(), resolver, &mut out)),
                );
                if config.heading_anchors {
                    // The heading names the link; the `#` glyph comes from CSS, so nothing is read twice.
                    html_events.push(Event::InlineHtml(
                        format!(r##" <a class="anchor" href="#{unique}" aria-labelledby="{unique}"></a>"##)
                            .into(),
                    ));
                }
                html_events.push(Event::End(TagEnd::Heading(*level)));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.anchors.insert(name.to_string());
                html_events.push(event.clone());
            }
            _ => {
                let e = rewrite_link(event.clone(), doc, range.clone(), resolver, &mut out);
                html_events.push(e);
            }
        }
        i += 1;
    }
    // Same-page anchors can only be checked once every heading is known.
    out.links.retain(|l| {
        if l.target.as_os_str().is_empty() {
            if !out.anchors.contains(&l.anchor) {
                out.diagnostics.push(
                    Diagnostic::error(doc.path, format!("there is no heading `#{}` on this page", l.anchor))
                        .at_offset(doc.text, l.offset, l.len)
                        .with_hint(hint_for_anchor(&l.anchor, &out.anchors)),
                );
            }
            false
        } else {
            true
        }
    });
    html::push_html(&mut out.html, html_events.into_iter());
    out
}

/// Suggests the closest anchor when an author mistyped one.
pub fn hint_for_anchor(anchor: &str, anchors: &HashSet<String>) -> String {
    match crate::diagnostic::did_you_mean(anchor, anchors.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `#{best}`?"),
        None => "link to the id of a heading: its text in lower case, with `-` between words".into(),
    }
}

fn rewrite_link<'a>(
    event: Event<'a>,
    doc: &Document,
    range: std::ops::Range<usize>,
    resolver: &dyn Resolver,
    out: &mut Rendered,
) -> Event<'a> {
    let Event::Start(Tag::Link { link_type, dest_url, title, id }) = event else {
        return event;
    };
    if matches!(link_type, LinkType::Email | LinkType::Autolink) || is_external(&dest_url) {
        return Event::Start(Tag::Link { link_type, dest_url, title, id });
    }
    let (file, anchor) = dest_url.split_once('#').unwrap_or((&dest_url, ""));
    let offset = doc.body_start + range.start;
    let len = range.len();
    if file.is_empty() {
        out.links.push(LinkRef { target: PathBuf::new(), anchor: anchor.to_string(), offset, len });
        return Event::Start(Tag::Link { link_type, dest_url, title, id });
    }
    let looks_like_source = [".md", ".yaml", ".yml"].iter().any(|ext| file.ends_with(ext));
    if !looks_like_source || file.starts_with('/') {
        return Event::Start(Tag::Link { link_type, dest_url, title, id });
    }
    let decoded = percent_decode(file);
    match resolver.source_url(doc.path, &decoded) {
        Some((target, url)) => {
            out.links.push(LinkRef { target, anchor: anchor.to_string(), offset, len });
            let url = if anchor.is_empty() { url } else { format!("{url}#{anchor}") };
            Event::Start(Tag::Link { link_type, dest_url: CowStr::from(url), title, id })
        }
        None => {
            out.diagnostics.push(
                Diagnostic::error(doc.path, format!("link to a missing file: {file}"))
                    .at_offset(doc.text, offset, len)
                    .with_hint(format!(
                        "links are relative to {}; check the file name, or that the page is not a draft",
                        doc.path.parent().unwrap_or(Path::new("")).display()
                    )),
            );
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
    }
}

fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `{{ quiz(id="x") }}` alone in a paragraph (any spacing), giving `x`.
fn quiz_embed(paragraph: &str) -> Option<String> {
    let inner = paragraph.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let args = inner.strip_prefix("quiz")?.trim_start().strip_prefix('(')?.strip_suffix(')')?.trim();
    let value = args.strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
    let id = value.strip_prefix('"')?.strip_suffix('"')?;
    (!id.is_empty() && !id.contains('"')).then(|| id.to_string())
}

fn plain_text<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// A heading's text as an id: lower case, letters and digits kept, runs of anything else as `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() && c != '\'' && c != '’' {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "section".into() } else { slug }
}

/// Heading ids given out on one page, and for each base id the next suffix to try, so that
/// repeating one heading 20,000 times costs 20,000 steps, not 20,000²/2.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

/// `base`, or `base-1`, `base-2`, … : the first not yet used on the page.
fn unique_id(base: String, used: &mut UsedIds) -> String {
    if used.ids.insert(base.clone()) {
        return base;
    }
    let n = used.next_suffix.entry(base.clone()).or_insert(1);
    // Skips suffixed ids taken by headings of their own (`## a-1` written out).
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if used.ids.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// A snippet of Markdown, such as a quiz prompt, written in the file `from`: block (`<p>…</p>`)
/// or inline (no wrapping paragraph). Links to source files are rewritten as in a page; broken
/// ones come back as diagnostics whose positions are within `text`.
pub fn render_fragment(
    text: &str,
    inline: bool,
    config: &MarkdownConfig,
    from: &Path,
    resolver: &dyn Resolver,
) -> (String, Vec<Diagnostic>) {
    let doc = Document { path: from, text, body_start: 0 };
    let mut out = Rendered::default();
    let events: Vec<Event> = Parser::new_ext(text, options(config))
        .into_offset_iter()
        .filter(|(e, _)| {
            !(inline && matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)))
        })
        .map(|(e, range)| rewrite_link(e, &doc, range, resolver, &mut out))
        .collect();
    let mut html = String::new();
    html::push_html(&mut html, events.into_iter());
    (html.trim_end().to_string(), out.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture;
    impl Resolver for Fixture {
        fn source_url(&self, _from: &Path, target: &str) -> Option<(PathBuf, String)> {
            (target == "other.md").then(|| (PathBuf::from("content/other.md"), "/other/".to_string()))
        }
        fn quiz_html(&self, id: &str) -> Option<String> {
            (id == "q").then(|| "<form data-quiz=\"q\"></form>".to_string())
        }
    }

    fn md(body: &str) -> Rendered {
        let text = format!("---\ntitle: T\n---\n{body}");
        let doc = Document { path: Path::new("content/a.md"), text: &text, body_start: 17 };
        render(&doc, &MarkdownConfig::default(), &Fixture)
    }

    #[test]
    fn headings_get_unique_ids_toc_and_anchors() {
        let r = md("# Hello, World\n\n## Hello, world\n\n### Custom {#mine}\n");
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "mine"]);
        assert!(
            r.html.contains(r##"<h1 id="hello-world">Hello, World <a class="anchor" href="#hello-world""##),
            "{}",
            r.html
        );
    }

    #[test]
    fn repeated_headings_count_up_around_ids_already_taken() {
        let r = md("## a\n\n## a-2 {#a-2}\n\n## a\n\n## a\n\n## a\n\n## A 1\n");
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "a-1", "a-3", "a-4", "a-1-1"]);
    }

    #[test]
    fn extensions_are_on() {
        let r =
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: Foot.\n");
        for needle in ["<table>", "<del>x</del>", "“q”", "checkbox", "footnote"] {
            assert!(r.html.contains(needle), "missing {needle} in {}", r.html);
        }
    }

    #[test]
    fn source_links_become_urls_and_bad_ones_are_errors_on_their_line() {
        let r = md("See [o](other.md#part) and [x](missing.md).\n\n[self](#nowhere)\n");
        assert!(r.html.contains(r#"href="/other/#part""#), "{}", r.html);
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].anchor, "part");
        assert_eq!(r.diagnostics.len(), 2, "{:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].location.as_ref().unwrap().line, 4);
        assert_eq!(r.diagnostics[1].location.as_ref().unwrap().line, 6);
    }

    #[test]
    fn a_broken_link_in_a_heading_is_reported_on_its_line() {
        let r = md("Intro\n\nMore\n\n## See [gone](gone.md)\n");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].location.as_ref().unwrap().line, 8);
    }

    #[test]
    fn external_links_are_left_alone() {
        let r = md("[a](https://e.org/x.md) [b](mailto:a@b.c) [c](/abs.md)\n");
        assert!(r.diagnostics.is_empty());
        assert!(r.html.contains("https://e.org/x.md"));
    }

    #[test]
    fn quiz_embeds_replace_their_paragraph() {
        let r = md("Before\n\n{{ quiz(id=\"q\") }}\n\n{{quiz(id=\"nope\")}}\n\n`{{ quiz(id=\"q\") }}`\n");
        assert!(r.html.contains("<form data-quiz=\"q\"></form>"));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].location.as_ref().unwrap().line, 8);
        assert!(r.html.contains("<code>{{ quiz(id=\"q\") }}</code>"), "{}", r.html);
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("What's interdependence?"), "whats-interdependence");
        assert_eq!(slugify("Ça va — oui"), "ça-va-oui");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn fragments_inline_and_block_with_links_rewritten() {
        let c = MarkdownConfig::default();
        let from = Path::new("content/q.yaml");
        assert_eq!(render_fragment("*a*", true, &c, from, &Fixture).0, "<em>a</em>");
        assert_eq!(render_fragment("*a*", false, &c, from, &Fixture).0, "<p><em>a</em></p>");
        let (html, problems) = render_fragment("[o](other.md) [x](gone.md)", true, &c, from, &Fixture);
        assert!(html.contains(r#"href="/other/""#), "{html}");
        assert_eq!(problems.len(), 1);
    }
}
