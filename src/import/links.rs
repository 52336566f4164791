//! What a chapter links to, and the heading ids its links can point at, read with pulldown-cmark
//! so that only real links are touched (not text in code blocks), and rewritten as byte-range
//! edits so that everything else in the file stays exactly as the author wrote it.
//!
//! Heading ids follow mdBook's rule (its `normalize_id`: letters, digits, `_` and `-` kept, in
//! lower case; spaces become `-`; everything else dropped; repeats get `-1`, `-2`). Where
//! tandem's own rule would give a different id, the heading gets an explicit `{#id}`, so that
//! every `#anchor` written for the book, in it or anywhere on the web, still lands.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// The options mdBook renders chapters with (and tandem too).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How a reference was written, which decides what it may be rewritten to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `[text](dest)` or a `[label]: dest` definition: tandem checks and rewrites these.
    Link,
    /// `![alt](src)`.
    Image,
    /// `href="…"` or `src="…"` in raw HTML: tandem leaves these alone, so they must be URLs.
    Html,
}

/// One destination in the chapter's text.
#[derive(Debug, Clone)]
pub struct Reference {
    pub kind: RefKind,
    /// As pulldown-cmark read it.
    pub dest: String,
    /// Where the destination is written (the bytes to replace).
    pub dest_range: Range<usize>,
    /// For an inline link: the whole link and its text, so the link can be unwrapped to its text.
    pub unwrap: Option<(Range<usize>, Range<usize>)>,
    pub offset: usize,
}

#[derive(Debug, Default)]
pub struct Scan {
    /// Ids a `#anchor` can reach in tandem's page: headings (with the ids mdBook gave them) and
    /// footnotes.
    pub anchors: HashSet<String>,
    /// `id="…"` in raw HTML: reachable in a browser, but not checked by tandem.
    pub html_ids: HashSet<String>,
    /// The id of the leading `# Title` heading that is dropped (the page shows its title).
    pub title_anchor: Option<String>,
    /// The leading `# Heading`'s text, when it is not the title and so was kept.
    pub kept_heading: Option<String>,
    pub references: Vec<Reference>,
    /// Edits that keep heading ids and drop the leading title heading.
    pub edits: Vec<(Range<usize>, String)>,
    /// Destinations that could not be found in the source text (an escape in the URL, say).
    pub unlocated: Vec<(usize, String)>,
}

/// mdBook's id for a heading's text.
pub fn mdbook_id(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

/// Reads the chapter `text`, whose SUMMARY title is `title`. `smart_punctuation` as the book
/// renders (it changes heading text, so ids: `A -- B` is `a--b` with it, `a----b` without).
pub fn scan(text: &str, title: &str, smart_punctuation: bool) -> Scan {
    let mut scan = Scan::default();
    let mut opts = options();
    if smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let parser = Parser::new_ext(text, opts);
    for (_, def) in parser.reference_definitions().iter() {
        let span = def.span.clone();
        let src = &text[span.clone()];
        let Some(colon) = src.find("]:") else { continue };
        match locate_dest(src, colon + 2, &def.dest) {
            Some(r) => scan.references.push(Reference {
                kind: RefKind::Link,
                dest: def.dest.to_string(),
                dest_range: span.start + r.start..span.start + r.end,
                unwrap: None,
                offset: span.start,
            }),
            None => scan.unlocated.push((span.start, def.dest.to_string())),
        }
    }
    let events: Vec<(Event, Range<usize>)> = parser.into_offset_iter().collect();
    let mut mdbook_counts: HashMap<String, usize> = HashMap::new();
    let mut tandem_used: HashSet<String> = HashSet::new();
    let mut first_block = true;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let mut plain = String::new();
                for (e, _) in &events[i + 1..end] {
                    if let Event::Text(t) | Event::Code(t) = e {
                        plain.push_str(t);
                    }
                }
                let explicit = id.as_ref().map(|s| s.to_string());
                let base = explicit.clone().unwrap_or_else(|| mdbook_id(&plain));
                let count = mdbook_counts.entry(base.clone()).or_insert(0);
                let mdbook = if *count == 0 { base.clone() } else { format!("{base}-{count}") };
                *count += 1;
                let is_title = first_block
                    && *level == HeadingLevel::H1
                    && text[..range.start].trim().is_empty()
                    && same_title(&plain, title);
                if first_block
                    && *level == HeadingLevel::H1
                    && !is_title
                    && text[..range.start].trim().is_empty()
                {
                    scan.kept_heading = Some(plain.clone());
                }
                if is_title {
                    scan.title_anchor = Some(mdbook);
                    scan.edits.push((range.start..line_end(text, range.end), String::new()));
                } else {
                    // What tandem would call it, given what it has seen on the page so far.
                    let tandem_base = explicit.clone().unwrap_or_else(|| crate::markdown::slugify(&plain));
                    let mut tandem = tandem_base.clone();
                    let mut n = 1;
                    while tandem_used.contains(&tandem) {
                        tandem = format!("{tandem_base}-{n}");
                        n += 1;
                    }
                    if tandem != mdbook && explicit.is_none() && !mdbook.is_empty() {
                        scan.edits.push(heading_id_edit(text, range.clone(), &mdbook));
                        tandem = mdbook.clone();
                    }
                    tandem_used.insert(tandem.clone());
                    scan.anchors.insert(tandem);
                }
                // Links inside the heading are read on the next passes of the loop.
                first_block = false;
                i += 1;
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                scan.anchors.insert(name.to_string());
            }
            Event::Start(Tag::Link { link_type, dest_url, .. })
            | Event::Start(Tag::Image { link_type, dest_url, .. })
                if matches!(link_type, LinkType::Inline) =>
            {
                let kind = if matches!(event, Event::Start(Tag::Image { .. })) {
                    RefKind::Image
                } else {
                    RefKind::Link
                };
                let src = &text[range.clone()];
                match find_inline_dest(src, dest_url) {
                    Some((r, text_end)) => {
                        let open = if kind == RefKind::Image { 2 } else { 1 };
                        scan.references.push(Reference {
                            kind,
                            dest: dest_url.to_string(),
                            dest_range: range.start + r.start..range.start + r.end,
                            unwrap: (kind == RefKind::Link)
                                .then(|| (range.clone(), range.start + open..range.start + text_end)),
                            offset: range.start,
                        });
                    }
                    None => scan.unlocated.push((range.start, dest_url.to_string())),
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (attr_range, value) in html_attributes(html, &["href", "src"]) {
                    scan.references.push(Reference {
                        kind: RefKind::Html,
                        dest: value,
                        dest_range: range.start + attr_range.start..range.start + attr_range.end,
                        unwrap: None,
                        offset: range.start,
                    });
                }
                for (_, id) in html_attributes(html, &["id"]) {
                    scan.html_ids.insert(id);
                }
            }
            _ => {}
        }
        if matches!(event, Event::Start(_)) && !matches!(event, Event::Start(Tag::Heading { .. })) {
            first_block = false;
        }
        i += 1;
    }
    scan
}

fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    if text[..at].ends_with('\n') {
        return at;
    }
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// An edit giving the heading at `range` the explicit id `id`: ` {#id}` at the end of its text
/// (before an ATX heading's closing `#`s, and on a setext heading's last text line).
fn heading_id_edit(text: &str, range: Range<usize>, id: &str) -> (Range<usize>, String) {
    let src = &text[range.clone()];
    let body = src.trim_end_matches(['\n', '\r']);
    let trimmed = body.trim_start();
    let insert_at = if trimmed.starts_with('#') {
        // ATX: `## Title ##` keeps its closing sequence after the attribute.
        let content = body.trim_end();
        let without_closing = content.trim_end_matches('#');
        if without_closing.len() < content.len() && without_closing.ends_with([' ', '\t']) {
            without_closing.trim_end().len()
        } else {
            content.len()
        }
    } else {
        // Setext: the text ends where the underline's line begins.
        let underline_start = body.rfind('\n').unwrap_or(body.len());
        body[..underline_start].trim_end().len()
    };
    let at = range.start + insert_at;
    (at..at, format!(" {{#{id}}}"))
}

/// In `[text](dest "title")`, where `dest` is written and where the text ends.
fn find_inline_dest(src: &str, dest: &str) -> Option<(Range<usize>, usize)> {
    let mut search_end = src.len();
    while let Some(at) = src[..search_end].rfind("](") {
        if let Some(r) = locate_dest(src, at + 2, dest) {
            return Some((r, at));
        }
        search_end = at;
    }
    None
}

/// Where `dest` is written in `src` from `from` on: after spaces, bare or in `<…>`.
fn locate_dest(src: &str, from: usize, dest: &str) -> Option<Range<usize>> {
    let rest = &src[from..];
    let skipped = rest.len() - rest.trim_start().len();
    let start = from + skipped;
    let rest = &src[start..];
    if let Some(inner) = rest.strip_prefix('<')
        && inner.starts_with(dest)
    {
        return Some(start + 1..start + 1 + dest.len());
    }
    if dest.is_empty() {
        return None;
    }
    rest.starts_with(dest).then(|| start..start + dest.len())
}

/// `name="value"` (or single quotes) for each of `names` in a fragment of HTML: the value's
/// byte range and text.
pub fn html_attributes(html: &str, names: &[&str]) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for name in names {
        let pattern = format!("{name}=");
        let mut from = 0;
        while let Some(i) = lower[from..].find(&pattern) {
            let at = from + i;
            from = at + pattern.len();
            let before = lower[..at].chars().next_back();
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let Some(quote) = html[from..].chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let value_start = from + 1;
            let Some(len) = html[value_start..].find(quote) else { continue };
            found.push((value_start..value_start + len, html[value_start..value_start + len].to_string()));
        }
    }
    found
}

/// Applies non-overlapping edits (sorted here) to `text`.
pub fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Byte ranges of code (blocks and spans) in `text`, where directives are text, not directives.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(s) = block_start.take() {
                    ranges.push(s..range.end);
                }
            }
            Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_ids() {
        assert_eq!(mdbook_id("Using Box<T> to Point"), "using-boxt-to-point");
        assert_eq!(mdbook_id("A & B"), "a--b");
        assert_eq!(mdbook_id("Rust's `match`"), "rusts-match");
        let dashes = |smart| scan("## A -- B\n", "T", smart).anchors.into_iter().collect::<Vec<_>>();
        assert_eq!(dashes(false), ["a----b"]);
        assert_eq!(dashes(true), ["a--b"]);
    }

    #[test]
    fn headings_keep_mdbooks_ids_and_the_title_heading_goes() {
        let text = "# Intro\n\n## Using `Box<T>`\n\n## Plain\n\nSetext A & B\n---\n\n## Closed ##\n";
        let s = scan(text, "Intro", false);
        assert_eq!(s.title_anchor.as_deref(), Some("intro"));
        let out = apply(text, s.edits);
        assert_eq!(
            out,
            "\n## Using `Box<T>` {#using-boxt}\n\n## Plain\n\nSetext A & B {#setext-a--b}\n---\n\n## Closed ##\n"
        );
        for id in ["using-boxt", "plain", "setext-a--b", "closed"] {
            assert!(s.anchors.contains(id), "{id}: {:?}", s.anchors);
        }
    }

    #[test]
    fn references_are_located_in_the_source() {
        let text = "See [a](a.md#x \"t\") and ![i](<img/b c.png>), [r][ref].\n\n[ref]: other.html#y\n\n<img src=\"x.svg\" id=\"fig\">\n\n```\n[not](code.md)\n```\n";
        let s = scan(text, "T", false);
        let dests: Vec<(&str, &str)> =
            s.references.iter().map(|r| (r.dest.as_str(), &text[r.dest_range.clone()])).collect();
        assert_eq!(
            dests,
            [
                ("other.html#y", "other.html#y"),
                ("a.md#x", "a.md#x"),
                ("img/b c.png", "img/b c.png"),
                ("x.svg", "x.svg")
            ]
        );
        let link = s.references.iter().find(|r| r.dest == "a.md#x").unwrap();
        let (_, inner) = link.unwrap.clone().unwrap();
        assert_eq!(&text[inner], "a");
        assert!(s.html_ids.contains("fig"));
    }
}
