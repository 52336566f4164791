//! Fenced code with a language, highlighted at build time (syntect, with two-face's extra
//! grammars, on the Oniguruma regex engine: the grammars are written for it, and it matches
//! them several times faster than the pure-Rust fancy-regex, whose backtracking VM made
//! highlighting a third of the build on the 10k corpus; see docs/performance.md).
//!
//! Each token gets one short class (`hl-kw`, `hl-str`, …) chosen from its scopes, and every line
//! closes what it opens, so the markup stays small and the theme's CSS colours it for light and
//! dark without a `style=` anywhere. In Rust code, rustdoc's hidden lines (`# ` at the start)
//! are kept in the page but hidden, as mdBook does; the theme's script can show them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, LazyLock, Mutex};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use super::{Events, Pass, Transform};

pub struct Highlight;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// What a fence's language may be called besides the grammar's own names and extensions.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("console", "sh"),
    ("zsh", "sh"),
    ("c++", "cpp"),
    ("golang", "go"),
    ("jsonc", "json"),
    ("javascript", "js"),
    ("typescript", "ts"),
    ("python3", "py"),
    ("py3", "py"),
    ("yml", "yaml"),
    ("html5", "html"),
    ("rs", "rust"),
];

/// The token classes, each with the scope prefixes that select it (first match, innermost
/// scope first). Anything else is left plain.
const CLASSES: &[(&str, &[&str])] = &[
    // Operators stay plain: `=` coloured like `fn` is noise. An empty class means no span.
    ("", &["keyword.operator", "punctuation.separator", "punctuation.terminator"]),
    ("hl-com", &["comment"]),
    ("hl-str", &["string", "constant.character.escape", "markup.raw"]),
    ("hl-num", &["constant.numeric"]),
    ("hl-con", &["constant.language", "constant.character", "constant.other", "support.constant"]),
    ("hl-attr", &["entity.other.attribute-name", "meta.annotation", "meta.attribute", "meta.decorator"]),
    ("hl-tag", &["entity.name.tag"]),
    ("hl-fn", &["entity.name.function", "support.function", "variable.function", "support.macro"]),
    (
        "hl-ty",
        &[
            "entity.name.type",
            "entity.name.class",
            "entity.name.struct",
            "entity.name.enum",
            "entity.name.trait",
            "support.type",
            "support.class",
            "storage.type.primitive",
            "entity.other.inherited-class",
        ],
    ),
    (
        "hl-kw",
        &[
            "keyword",
            "storage.type",
            "storage.modifier",
            "variable.language",
            "markup.heading",
            "entity.name.section",
        ],
    ),
    ("hl-var", &["variable.parameter", "variable.other.member", "entity.name.variable"]),
];

impl Transform for Highlight {
    fn run<'a>(&self, mut events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        // A fenced block starts with ``` or ~~~.
        if !pass.config.highlight || !(pass.may_contain("```") || pass.may_contain("~~~")) {
            return events;
        }
        Box::new(std::iter::from_fn(move || {
            let (event, range) = events.next()?;
            let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event else {
                return Some((event, range));
            };
            let lang = language(info);
            let Some(syntax) = find_syntax(lang) else {
                return Some((event, range));
            };
            // The block's text, held until its end: one block at a time.
            let mut code = String::new();
            let mut end = None;
            for (e, r) in events.by_ref() {
                match e {
                    Event::Text(t) => code.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        end = Some(r);
                        break;
                    }
                    _ => {}
                }
            }
            let html = cached(&code, lang, syntax);
            Some((Event::Html(CowStr::from(html)), range.start..end.map_or(range.end, |r| r.end)))
        }))
    }
}

/// The language of a fence's info string: its first word, without mdBook's `,attributes`.
fn language(info: &str) -> &str {
    let first = info.split_whitespace().next().unwrap_or("");
    first.split([',', '{']).next().unwrap_or("")
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    if lang.is_empty() {
        return None;
    }
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(lower.as_str(), |(_, t)| t);
    let syntaxes = &*SYNTAXES;
    syntaxes.find_syntax_by_token(token).filter(|s| s.name != "Plain Text")
}

/// Whether a line of Rust is one of rustdoc's hidden lines (`# x`, or `#` alone); `##` is an
/// escaped `#` and shows.
fn hidden_rust_line(line: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_suffix('\n').unwrap_or(t);
    t == "#" || (t.starts_with("# ") && !t.starts_with("##"))
}

/// Blocks already highlighted in this process, by language and code: courses repeat listings
/// (mdBook's includes of one file, a snippet shown twice), and `tandem serve` re-renders pages
/// whose code did not change. The output depends on nothing else. Bounded, so a huge site
/// cannot grow it without end: past the bounds new blocks are highlighted but not kept.
static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

#[derive(Default)]
struct Cache {
    blocks: HashMap<(String, String), Arc<str>>,
    bytes: usize,
}

const CACHE_MAX_BLOCKS: usize = 16_384;
const CACHE_MAX_BYTES: usize = 32 << 20;

fn cached(code: &str, lang: &str, syntax: &SyntaxReference) -> String {
    let key = (syntax.name.clone(), code.to_string());
    if let Some(html) = CACHE.lock().ok().and_then(|c| c.blocks.get(&key).cloned()) {
        return retag(&html, lang);
    }
    let html = highlight_block(code, lang, syntax);
    if let Ok(mut cache) = CACHE.lock()
        && cache.blocks.len() < CACHE_MAX_BLOCKS
        && cache.bytes + html.len() + code.len() < CACHE_MAX_BYTES
    {
        cache.bytes += html.len() + code.len();
        cache.blocks.insert(key, Arc::from(html.as_str()));
    }
    html
}

/// The same block under another name of its language (`rs` for `rust`) keeps the author's name
/// in its `data-lang` and class.
fn retag(html: &str, lang: &str) -> String {
    let Some(rest) = html.strip_prefix("<pre class=\"highlight\" data-lang=\"") else {
        return html.to_string();
    };
    let Some(end) = rest.find('"') else { return html.to_string() };
    let cached_lang = &rest[..end];
    let wanted = tag_name(lang);
    if cached_lang == wanted {
        return html.to_string();
    }
    html.replacen(&format!("data-lang=\"{cached_lang}\""), &format!("data-lang=\"{wanted}\""), 1).replacen(
        &format!("class=\"language-{cached_lang}\""),
        &format!("class=\"language-{wanted}\""),
        1,
    )
}

/// A language name as it may stand in an attribute.
fn tag_name(lang: &str) -> String {
    lang.chars().filter(|c| c.is_ascii_alphanumeric() || "+-_#".contains(*c)).collect()
}

/// `<pre>` with one span per coloured token; every line closes the spans it opens.
fn highlight_block(code: &str, lang: &str, syntax: &SyntaxReference) -> String {
    let is_rust = syntax.name == "Rust";
    let mut html = String::with_capacity(code.len() * 2);
    let escaped_lang = tag_name(lang);
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut body = String::with_capacity(code.len() * 2);
    let mut any_hidden = false;
    for line in syntect::util::LinesWithEndings::from(code) {
        let hidden = is_rust && hidden_rust_line(line);
        // The hidden marker itself is not code: rustdoc drops `# ` and keeps the rest.
        let shown: std::borrow::Cow<str> = if is_rust {
            if hidden {
                let t = line.trim_start();
                t.strip_prefix("# ").or_else(|| t.strip_prefix('#')).unwrap_or(t).into()
            } else if let Some(rest) = line.trim_start().strip_prefix("##") {
                let indent = &line[..line.len() - line.trim_start().len()];
                format!("{indent}#{rest}").into()
            } else {
                line.into()
            }
        } else {
            line.into()
        };
        if hidden {
            any_hidden = true;
            body.push_str("<span class=\"hl-hidden\">");
        }
        // The newline goes outside the spans, so that each line of markup is whole.
        let text = shown.strip_suffix('\n').unwrap_or(&shown);
        match state.parse_line(&shown, &SYNTAXES) {
            Ok(ops) => push_line(&mut body, text, &ops, &mut stack),
            // A grammar that fails on a line: show the rest plain rather than fail the build.
            Err(_) => escape_into(&mut body, text),
        }
        // A hidden line hides its newline too, so no blank line is left in its place.
        let newline = if text.len() < shown.len() { "\n" } else { "" };
        if hidden {
            body.push_str(newline);
            body.push_str("</span>");
        } else {
            body.push_str(newline);
        }
    }
    let _ = write!(
        html,
        "<pre class=\"highlight\" data-lang=\"{escaped_lang}\"{}><code class=\"language-{escaped_lang}\">",
        if any_hidden { " data-hidden-lines" } else { "" }
    );
    html.push_str(&body);
    html.push_str("</code></pre>\n");
    html
}

/// One line's tokens as spans of their class.
fn push_line(
    out: &mut String,
    line: &str,
    ops: &[(usize, syntect::parsing::ScopeStackOp)],
    stack: &mut ScopeStack,
) {
    let mut at = 0;
    let mut class = class_of(stack);
    let flush = |out: &mut String, text: &str, class: Option<&str>| {
        if text.is_empty() {
            return;
        }
        match class {
            Some(c) => {
                let _ = write!(out, "<span class=\"{c}\">");
                escape_into(out, text);
                out.push_str("</span>");
            }
            None => escape_into(out, text),
        }
    };
    let mut pending_start = 0;
    for (index, op) in ops {
        let index = (*index).min(line.len());
        if index > at {
            at = index;
        }
        let _ = stack.apply(op);
        let next = class_of(stack);
        if next != class {
            flush(out, &line[pending_start..at], class);
            pending_start = at;
            class = next;
        }
    }
    flush(out, &line[pending_start..], class);
}

thread_local! {
    static CLASS_OF_SCOPE: RefCell<HashMap<Scope, Option<&'static str>>> = RefCell::new(HashMap::new());
}

/// The class of the innermost scope that has one.
fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    let class = stack.as_slice().iter().rev().find_map(|&scope| {
        CLASS_OF_SCOPE.with(|cache| {
            *cache.borrow_mut().entry(scope).or_insert_with(|| {
                let name = scope.build_string();
                CLASSES
                    .iter()
                    .find(|(_, prefixes)| prefixes.iter().any(|p| scope_starts_with(&name, p)))
                    .map(|(c, _)| *c)
            })
        })
    });
    class.filter(|c| !c.is_empty())
}

/// `keyword.control.rust` starts with `keyword` and `keyword.control`, not with `key`.
fn scope_starts_with(scope: &str, prefix: &str) -> bool {
    scope.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The classes the highlighter writes, for the theme's stylesheet and its tests.
pub fn highlight_css() -> impl Iterator<Item = &'static str> {
    CLASSES.iter().map(|(c, _)| *c).filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(lang: &str, code: &str) -> String {
        highlight_block(code, lang, find_syntax(lang).expect(lang))
    }

    #[test]
    fn the_course_languages_are_found() {
        for lang in [
            "rust",
            "python",
            "js",
            "javascript",
            "ts",
            "typescript",
            "sh",
            "bash",
            "shell",
            "json",
            "yaml",
            "toml",
            "html",
            "css",
            "sql",
            "c",
            "cpp",
            "c++",
            "java",
            "go",
        ] {
            assert!(find_syntax(lang).is_some(), "{lang}");
        }
        assert!(find_syntax("no-such-language").is_none());
        assert!(find_syntax("").is_none());
    }

    #[test]
    fn tokens_get_short_classes_and_no_styles() {
        let html = highlight("rust", "fn main() { let s = \"hi\"; } // c\n");
        assert!(html.contains(r#"<span class="hl-kw">fn</span>"#), "{html}");
        assert!(html.contains(r#"<span class="hl-str">&quot;hi&quot;</span>"#), "{html}");
        assert!(html.contains(r#"<span class="hl-com">// c"#), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn every_line_closes_its_spans() {
        let html = highlight("rust", "/* a\nb\n*/ fn x() {}\n");
        for line in html.lines() {
            assert_eq!(line.matches("<span").count(), line.matches("</span>").count(), "{line}");
        }
    }

    #[test]
    fn rustdoc_hidden_lines_are_kept_hidden() {
        let html = highlight("rust", "# fn main() {\nlet x = 1;\n## not hidden\n# }\n");
        assert!(html.contains("data-hidden-lines"), "{html}");
        assert_eq!(html.matches("hl-hidden").count(), 2, "{html}");
        assert!(!html.contains("# fn"), "{html}");
        assert!(
            html.contains("#</span>")
                || html.contains("# not")
                || html.contains("#not")
                || html.contains("not hidden"),
            "{html}"
        );
        // Not in other languages: a shell comment is a comment.
        assert!(!highlight("sh", "# comment\n").contains("hl-hidden"));
    }

    #[test]
    fn a_cached_block_keeps_the_authors_name_for_its_language() {
        let rust = find_syntax("rust").unwrap();
        let first = cached("let x = 1;\n", "rust", rust);
        let again = cached("let x = 1;\n", "rs", rust);
        assert!(first.contains("data-lang=\"rust\"") && again.contains("data-lang=\"rs\""), "{again}");
        assert_eq!(first.replace("rust", "rs"), again);
    }

    #[test]
    fn fence_info_is_read_like_mdbook() {
        assert_eq!(language("rust,ignore"), "rust");
        assert_eq!(language("python {linenos=true}"), "python");
    }
}
