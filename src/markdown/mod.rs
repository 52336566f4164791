//! Markdown to HTML with pulldown-cmark, as one pass of transform steps over its events.
//!
//! Every document (guides, section pages, quiz Markdown) goes through the same [`STEPS`], in
//! order, each a [`Transform`] in its own module, as mdBook runs preprocessors: shortcodes
//! (expanded before parsing, placed after), callouts, math, code highlighting, heading ids and
//! links. A step sees the events with their source ranges, so whatever it reports is located
//! in the author's file.
//!
//! The steps stream: each wraps the iterator of the step before it, and the HTML writer pulls
//! events through all of them one at a time. A step holds only what it must (the highlighter
//! one fenced block, the heading step one heading), so a page's events are never all in memory
//! at once: a 50 MB page of list items would otherwise hold gigabytes of them, once per step.
//! Nor is pulldown-cmark's block tree of a big page: past 256 KB a document is parsed in pieces
//! whose events are stitched into the stream a whole parse gives (`chunks`).

mod callouts;
mod chunks;
mod code;
mod headings;
pub(crate) mod links;
mod literal_html;
mod math;
mod search_text;
pub mod shortcodes;

use std::cell::{Cell, RefCell, RefMut};
use std::collections::{HashSet, VecDeque};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

pub use self::callouts::KINDS as CALLOUT_KINDS;
pub use self::code::highlight_css;
pub use self::headings::slugify;
use self::search_text::SearchText;
pub use self::shortcodes::{ShortcodeCall, ShortcodeError, ShortcodeValue};
use crate::config::MarkdownConfig;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// Byte offset of the heading in its source file (for `check --coverage`'s line numbers;
    /// templates do not see it).
    #[serde(skip)]
    pub offset: usize,
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
    /// The shortcodes the document calls, by name (a change to their template re-renders it).
    pub shortcodes: HashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many pieces the document was parsed in (1: whole; see `chunks`), for tests and
    /// benchmarks to tell which way it went.
    pub pieces: usize,
    /// The page's text for the search index, split at its headings, collected as its HTML was
    /// written (whoever indexes it takes it).
    pub search_text: Vec<crate::search::Section>,
}

/// How links, embeds and shortcodes in one document are resolved.
pub trait Resolver: Sync {
    /// Site URL (with base path) for a link to a source file, if it is one of the site's.
    fn source_url(&self, from: &Path, target: &str) -> Option<(PathBuf, String)>;
    /// The HTML of an embedded quiz, or `None` for an unknown id.
    fn quiz_html(&self, id: &str) -> Option<String>;
    /// The HTML of a call to a template shortcode (not `quiz`), `body` rendered; an error
    /// message (with a hint) for an unknown shortcode, a wrong argument or a template error.
    fn shortcode(&self, call: &ShortcodeCall, body: Option<&str>) -> Result<String, ShortcodeError>;
    /// The title shown in a callout of this kind (`note`, `tip`, …), in the site's language.
    fn callout_title(&self, kind: &str) -> String;
}

/// One Markdown document: `text[body_start..]` of the file at `path`.
pub struct Document<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub body_start: usize,
}

/// An event and the bytes of the document it came from (relative to the parsed text).
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// The events of a document, as one step passes them on to the next.
pub type Events<'a> = Box<dyn Iterator<Item = Spanned<'a>> + 'a>;

/// What a step of the pass works with: the document, its settings, and what rendering learns.
pub struct Pass<'a> {
    pub doc: &'a Document<'a>,
    pub config: &'a MarkdownConfig,
    pub resolver: &'a dyn Resolver,
    /// Shortcodes expanded before parsing, placed by the shortcode step.
    pub expanded: Vec<String>,
    /// A quiz snippet rather than a whole document (no heading ids or table of contents).
    pub fragment: bool,
    /// Shared by the steps, which run interleaved: each borrows it for one statement at a time.
    pub out: RefCell<Rendered>,
    /// Text longer than this is parsed in pieces ([`chunks::CHUNK_BYTES`] but in tests).
    pub chunk_bytes: usize,
}

impl Pass<'_> {
    /// An error at `range` of the parsed text.
    pub fn error(&self, range: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        let d = Diagnostic::error(self.doc.path, message)
            .at_offset(self.doc.text, self.doc.body_start + range.start, range.len().max(1))
            .with_hint(hint);
        self.out().diagnostics.push(d);
    }

    /// What rendering has learnt so far, to add to.
    pub fn out(&self) -> RefMut<'_, Rendered> {
        self.out.borrow_mut()
    }

    /// Whether the text of this pass may hold `needle`. A step whose work always starts at some
    /// piece of syntax (`$` for math, `<` for HTML, a code fence) has nothing to do in a document
    /// without it, and is left out of the chain: each step in it costs every event a call and a
    /// move. The whole file is looked at (the text parsed is part of it); with any shortcode
    /// expanded every step runs, since a call's HTML comes in as events of its own.
    pub fn may_contain(&self, needle: &str) -> bool {
        !self.expanded.is_empty() || contains(self.doc.text, needle)
    }
}

/// Whether `text` holds `needle` (not empty), found as its first char's places (a `memchr`) then
/// compared: `str::contains` searches with the Two-Way algorithm, whose set-up and steps cost more
/// than the scan itself for the one- to three-byte needles above, and this runs several times for
/// every document (it was 1.3% of the 10k build).
fn contains(text: &str, needle: &str) -> bool {
    let Some(first) = needle.chars().next() else { return true };
    text.match_indices(first).any(|(at, _)| text[at..].starts_with(needle))
}

/// One step of the Markdown pass.
pub trait Transform: Sync {
    /// Wraps the events of the step before: what it returns pulls from `events` only as the
    /// next step pulls from it.
    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a>;
    /// Whether it also runs on snippets (quiz Markdown, shortcode bodies), not only on pages.
    fn on_fragments(&self) -> bool {
        true
    }
}

/// The steps, in the order they run. Callouts and math come before code and links so that
/// what they wrap is still processed; heading ids come last of the block steps so that a
/// shortcode's or callout's HTML never takes an id.
pub const STEPS: &[&dyn Transform] = &[
    &shortcodes::Place,
    &literal_html::LiteralHtml,
    &callouts::Callouts,
    &math::Math,
    &code::Highlight,
    &headings::Headings,
    &links::Links,
];

fn options(config: &MarkdownConfig) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if config.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if config.math {
        o |= Options::ENABLE_MATH;
    }
    o
}

/// Runs the whole pass over `text` (the document's body, or a snippet in it).
/// With `inline`, paragraphs are dropped (a snippet shown inside a label or a sentence).
/// `search_text` follows the events as they are written (a whole page's pass only).
fn run_pass(
    pass: &mut Pass,
    text: &str,
    depth: usize,
    inline: bool,
    mut search_text: Option<&mut SearchText>,
) -> String {
    let expanded = shortcodes::expand(text, pass, depth);
    let parse_text = expanded.as_deref().unwrap_or(text);
    let pass = &*pass;
    let options = options(pass.config);
    if let Some(plan) = chunks::Plan::new(parse_text, options, pass.chunk_bytes) {
        // What the steps learn is undone if the pieces cannot be proven to equal the whole.
        let before = pass.out.borrow().clone();
        let failed = Rc::new(Cell::new(false));
        let events = plan.events(failed.clone());
        let html = write_html(events, pass, text.len(), inline, search_text.as_deref_mut());
        if !failed.get() {
            pass.out().pieces = plan.len();
            return html;
        }
        *pass.out() = before;
        if let Some(search_text) = search_text.as_deref_mut() {
            *search_text = SearchText::default();
        }
    }
    pass.out().pieces = 1;
    let events = Box::new(Parser::new_ext(parse_text, options).into_offset_iter());
    write_html(events, pass, text.len(), inline, search_text)
}

/// The HTML of a document's events, through every step; `search_text` follows them as written.
fn write_html<'a>(
    mut events: Events<'a>,
    pass: &'a Pass<'a>,
    len: usize,
    inline: bool,
    search_text: Option<&mut SearchText>,
) -> String {
    for step in STEPS {
        if !pass.fragment || step.on_fragments() {
            events = step.run(events, pass);
        }
    }
    let mut html = String::with_capacity(len * 3 / 2);
    let paragraph = |e: &Event| matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph));
    let events = events.map(|(e, _)| e).filter(|e| !(inline && paragraph(e)));
    match search_text {
        Some(search_text) => html::push_html(&mut html, events.inspect(|e| search_text.event(e))),
        None => html::push_html(&mut html, events),
    }
    html
}

/// The events of a step that puts several events in the place of one (and maybe of some that
/// follow it, such as a heading's text): `rewrite` is given the next event and the ones after
/// it, and queues what stands in their place. Only one rewrite's events are held at a time.
fn rewrite_each<'a>(
    mut events: Events<'a>,
    mut rewrite: impl FnMut(Spanned<'a>, &mut Events<'a>, &mut VecDeque<Spanned<'a>>) + 'a,
) -> Events<'a> {
    let mut queue = VecDeque::new();
    Box::new(std::iter::from_fn(move || {
        loop {
            if let Some(next) = queue.pop_front() {
                return Some(next);
            }
            let event = events.next()?;
            rewrite(event, &mut events, &mut queue);
        }
    }))
}

/// Whether a render collects the page's text for the search index ([`Rendered::search_text`]):
/// not on a site with `[search] enabled = false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextForSearch {
    Collect,
    Skip,
}

pub fn render(
    doc: &Document,
    config: &MarkdownConfig,
    resolver: &dyn Resolver,
    for_search: TextForSearch,
) -> Rendered {
    render_in_pieces(doc, config, resolver, chunks::CHUNK_BYTES, for_search)
}

/// [`render`], with text longer than `chunk_bytes` parsed in pieces of about that size (tests
/// force small pieces to compare them with a whole parse).
#[doc(hidden)]
pub fn render_in_pieces(
    doc: &Document,
    config: &MarkdownConfig,
    resolver: &dyn Resolver,
    chunk_bytes: usize,
    for_search: TextForSearch,
) -> Rendered {
    let mut pass = Pass {
        doc,
        config,
        resolver,
        expanded: Vec::new(),
        fragment: false,
        out: Default::default(),
        chunk_bytes,
    };
    let mut search_text = match for_search {
        TextForSearch::Collect => Some(SearchText::default()),
        TextForSearch::Skip => None,
    };
    let html = run_pass(&mut pass, &doc.text[doc.body_start..], 0, false, search_text.as_mut());
    let mut out = pass.out.into_inner();
    out.html = html;
    out.search_text = search_text.map(SearchText::finish).unwrap_or_default();
    // Same-page anchors can only be checked once every heading is known.
    let mut problems = Vec::new();
    out.links.retain(|l| {
        if !l.target.as_os_str().is_empty() {
            return true;
        }
        if !out.anchors.contains(&l.anchor) {
            problems.push(
                Diagnostic::error(doc.path, format!("there is no heading `#{}` on this page", l.anchor))
                    .at_offset(doc.text, l.offset, l.len)
                    .with_hint(hint_for_anchor(&l.anchor, &out.anchors)),
            );
        }
        false
    });
    out.diagnostics.extend(problems);
    out
}

/// Suggests the closest anchor when an author mistyped one.
pub fn hint_for_anchor(anchor: &str, anchors: &HashSet<String>) -> String {
    match crate::diagnostic::did_you_mean(anchor, anchors.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `#{best}`?"),
        None => "link to the id of a heading: its text in lower case, with `-` between words".into(),
    }
}

/// The text of some events, as a reader would read it.
fn plain_text<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// A snippet of Markdown, such as a quiz prompt, written in the file `from`: block (`<p>…</p>`)
/// or inline (no wrapping paragraph). It goes through the same steps as a page (but for heading
/// ids); broken links and other problems come back as diagnostics whose positions are within
/// `text`.
pub fn render_fragment(
    text: &str,
    inline: bool,
    config: &MarkdownConfig,
    from: &Path,
    resolver: &dyn Resolver,
) -> (String, Vec<Diagnostic>) {
    let doc = Document { path: from, text, body_start: 0 };
    let mut pass = Pass {
        doc: &doc,
        config,
        resolver,
        expanded: Vec::new(),
        fragment: true,
        out: Default::default(),
        chunk_bytes: chunks::CHUNK_BYTES,
    };
    let html = run_pass(&mut pass, text, 0, inline, None);
    (html.trim_end().to_string(), pass.out.into_inner().diagnostics)
}

#[cfg(test)]
pub(crate) mod testing {
    use std::path::{Path, PathBuf};

    use super::{Resolver, ShortcodeCall, ShortcodeError};

    /// A resolver for the Markdown tests: `other.md` is a page, `q` a quiz, `fig`, `box` and `em`
    /// shortcodes, callout titles `T-kind`.
    pub(crate) struct Fixture;
    impl Resolver for Fixture {
        fn source_url(&self, _from: &Path, target: &str) -> Option<(PathBuf, String)> {
            (target == "other.md").then(|| (PathBuf::from("content/other.md"), "/other/".to_string()))
        }
        fn quiz_html(&self, id: &str) -> Option<String> {
            (id == "q").then(|| "<form data-quiz=\"q\"></form>".to_string())
        }
        fn shortcode(&self, call: &ShortcodeCall, body: Option<&str>) -> Result<String, ShortcodeError> {
            match call.name.as_str() {
                "fig" => Ok(format!(
                    "<figure>{:?}</figure>",
                    call.args.iter().map(|a| (&a.name, &a.value)).collect::<Vec<_>>()
                )),
                "box" => Ok(format!("<div class=\"box\">{}</div>", body.unwrap_or("NO BODY"))),
                "em" => Ok(format!("<b>{}</b>", body.unwrap_or(""))),
                other => Err(ShortcodeError {
                    message: format!("there is no shortcode `{other}`"),
                    hint: "did you mean `fig`?".into(),
                    argument: None,
                }),
            }
        }
        fn callout_title(&self, kind: &str) -> String {
            format!("T-{kind}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Fixture;
    use super::*;

    fn md(body: &str) -> Rendered {
        let text = format!("---\ntitle: T\n---\n{body}");
        let doc = Document { path: Path::new("content/a.md"), text: &text, body_start: 17 };
        render(&doc, &MarkdownConfig::default(), &Fixture, TextForSearch::Collect)
    }

    #[test]
    fn contains_finds_what_str_contains_finds() {
        let texts = ["", "a", "`", "``", "x ``` y", "`` ` ~~~", "[![x]", "[ !", "é$ü", "a<b", "~~"];
        for text in texts {
            for needle in ["<", "```", "~~~", "[!", "$", "é$", "ü"] {
                assert_eq!(contains(text, needle), text.contains(needle), "{needle:?} in {text:?}");
            }
        }
    }

    #[test]
    fn smart_punctuation_leaves_code_in_raw_html_alone() {
        let r = md(
            "Run <script>var a = 'x' -- 1;</script> or <CODE class=k>it's \"q\"...</CODE>, <kbd>'</kbd>.\n\n<span title='t'>It's</span> -- \"prose\"\n",
        );
        assert!(r.html.contains("<script>var a = 'x' -- 1;</script>"), "{}", r.html);
        assert!(r.html.contains("<CODE class=k>it's \"q\"...</CODE>"), "{}", r.html);
        assert!(r.html.contains("<kbd>'</kbd>"), "{}", r.html);
        assert!(r.html.contains("<span title='t'>It’s</span> – “prose”"), "prose still gets it: {}", r.html);
        let block = md("<pre>\n'a'\n</pre>\n\n<div>\n\n'b' <code>'c'</code>\n\n</div>\n");
        assert!(
            block.html.contains("<pre>\n'a'\n</pre>") && block.html.contains("‘b’ <code>'c'</code>"),
            "{}",
            block.html
        );
    }

    #[test]
    fn headings_get_unique_ids_toc_and_anchors() {
        let r = md("# Hello, World\n\n## Hello, world\n\n### Custom {#mine}\n");
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "mine"]);
        assert!(
            r.html.contains(r##"<h1 id="hello-world">Hello, World <a href="#hello-world" aria-labelledby="hello-world"></a></h1>"##),
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
    fn the_search_text_is_the_text_of_the_html_as_written() {
        // Collected from the events, it must read as the HTML's text does (footnote numbers aside).
        let bodies = [
            "Intro *un*usual **bold** `code` [link](other.md#x) and AT&T, a < b.\n\n## Head *one* `x`\n\ntext",
            "- one\n- two\n  - three\n\n1. a\n2. b\n\n| a | b |\n|---|---|\n| `1` | *2* |\n",
            "```rust\nfn main() { let x = 1 < 2; }\n```\n\n    indented code\n\nafter",
            "<div\nclass=\"x\">raw <b>html</b></div>\n\nun<em>usual</em> <!-- a\n\nb --> c\n\n<script>\nvar a;\n</script>\n",
            "Before\n\n{{ quiz(id=\"q\") }}\n\n![alt *text*](x.png) after\n\n> [!NOTE]\n> body\n\n> quote",
            "line  \nbreak\\\nagain\n\n***\n\n- [x] done\n\n### Third {#mine}\n\n<h4 id=\"raw\">Raw &amp; head</h4>\n\nend",
            "Caf\u{e9} \u{c7}a &amp; &#169; &nbsp;x\n\n{{ fig(a=1) }}\n\n# \n\nempty heading",
            "{% box() %}\nbody *in* a box\n{% end %}\n\nand {% em() %}inline{% end %} words",
        ];
        for body in bodies {
            let r = md(body);
            assert_eq!(r.search_text, crate::search::extract::sections(&r.html), "{body}\n{}", r.html);
            assert!(!r.search_text.is_empty());
        }
        let r = md("## A\n\nx\n\n## B\n\ny");
        let headings: Vec<(&str, &str, &str)> =
            r.search_text.iter().map(|s| (s.heading.as_str(), s.anchor.as_str(), s.text.as_str())).collect();
        assert_eq!(headings, [("A", "a", "x"), ("B", "b", "y")]);
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
