//! mdBook's include directives, expanded as mdBook's `links` preprocessor does (guide,
//! "mdBook-specific features"):
//!
//! - `{{#include path}}`, `path:10:20` (lines 10 to 20), `path:10:` (10 to the end), `path::20`
//!   (up to 20), `path:10` (line 10 alone), `path:NAME` (between `ANCHOR: NAME` and
//!   `ANCHOR_END: NAME`, with every anchor line dropped);
//! - `{{#rustdoc_include …}}`: the same selections, but the lines outside them stay in, behind
//!   rustdoc's hidden-line marker `# `, so the code still compiles and a reader can reveal them;
//! - `{{#playground path attrs}}` (and the old `{{#playpen}}`): the file as a ```` ```rust ````
//!   block;
//! - `{{#title …}}`: dropped (mdBook sets the browser tab's title with it);
//! - `\{{#…}}`: an escaped directive, written without its backslash.
//!
//! Paths are relative to the file holding the directive, and included text is expanded in turn
//! (mdBook stops at 10 levels; so does this, with an error rather than a silent stop). A path that
//! leads outside the book (`..` or a symbolic link) is refused. A directive that cannot be
//! expanded is reported at its file:line and replaced by a note the reader can see.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};

/// mdBook's own limit.
const MAX_DEPTH: usize = 10;
/// A chapter larger than this after expansion is an error (a runaway include, not a book).
pub const MAX_EXPANDED_BYTES: usize = 32 << 20;

/// A file being expanded: its text, and for each of its lines the line of the file it came from.
struct Source<'a> {
    /// Relative to the book's root, for messages.
    display: &'a Path,
    /// The file's own text, for quoting lines in messages.
    original: &'a str,
    /// The text to expand (the whole file, or the lines an include took from it).
    text: &'a str,
    /// 1-based line in `original` of each line of `text`.
    lines: &'a [usize],
    /// The folder paths in the text are relative to.
    dir: &'a Path,
}

pub struct Expansion {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// `{{#title}}` directives met: (file, line, the title).
    pub titles: Vec<(PathBuf, usize, String)>,
    /// Every file read for an include, relative to the book (so the import can say what it used).
    pub included: Vec<PathBuf>,
}

/// Expands every directive in `text`, the contents of the file at `abs` (`display` relative to
/// the book). `book` must be canonical: targets are canonicalized and must lie within it.
pub fn expand(book: &Path, abs: &Path, display: &Path, text: &str) -> Expansion {
    let lines: Vec<usize> = (1..=text.lines().count().max(1)).collect();
    let dir = abs.parent().unwrap_or(Path::new("."));
    let src = Source { display, original: text, text, lines: &lines, dir };
    let mut out =
        Expansion { text: String::new(), diagnostics: Vec::new(), titles: Vec::new(), included: Vec::new() };
    let mut budget = MAX_EXPANDED_BYTES;
    out.text = expand_source(book, &src, 0, &mut budget, &mut out);
    out
}

fn expand_source(book: &Path, src: &Source, depth: usize, budget: &mut usize, out: &mut Expansion) -> String {
    let text = src.text;
    let fenced = fenced_lines(text);
    let mut result = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find("{{") {
        let start = search + found;
        let line_idx = text[..start].matches('\n').count();
        // `\{{#…}}`: mdBook drops the backslash and leaves the rest of the line to its last `}}`.
        if start > 0 && text.as_bytes()[start - 1] == b'\\' && text[start + 2..].trim_start().starts_with('#')
        {
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            if let Some(close) = text[start..line_end].rfind("}}") {
                result.push_str(&text[copied..start - 1]);
                result.push_str(&text[start..start + close + 2]);
                copied = start + close + 2;
                search = copied;
                continue;
            }
        }
        let Some(directive) = Directive::parse(&text[start..]) else {
            search = start + 2;
            continue;
        };
        let end = start + directive.len;
        result.push_str(&text[copied..start]);
        copied = end;
        search = end;
        let original_line = src.lines.get(line_idx).copied().unwrap_or(1);
        let at = |len: usize| {
            let line_text = src.original.lines().nth(original_line - 1).unwrap_or("");
            let column =
                line_text.find(&text[start..end]).map_or(1, |byte| line_text[..byte].chars().count() + 1);
            Location::at_line_col(src.original, original_line, column, len)
        };
        let in_code = fenced.get(line_idx).copied().unwrap_or(false);
        let alone_on_line = {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty()
        };
        let note = |message: &str| visible_note(message, in_code, alone_on_line);
        match directive.kind {
            Kind::Title => {
                out.titles.push((
                    src.display.to_path_buf(),
                    original_line,
                    directive.args.trim().to_string(),
                ));
            }
            Kind::Include | Kind::RustdocInclude | Kind::Playground => {
                let mut args = directive.args.split_whitespace();
                let target_spec = args.next().unwrap_or("");
                let props: Vec<&str> = args.collect();
                let (target, selection) = match directive.kind {
                    Kind::Playground => (target_spec, Selection::Lines(None, None)),
                    _ => {
                        let (path, rest) =
                            target_spec.split_once(':').map_or((target_spec, None), |(p, r)| (p, Some(r)));
                        (path, Selection::parse(rest))
                    }
                };
                let name = directive.kind.name();
                let problem = |message: String, hint: &str| {
                    Diagnostic::error(src.display, message).at(at(directive.len)).with_hint(hint.to_string())
                };
                if depth >= MAX_DEPTH {
                    out.diagnostics.push(problem(
                        format!("includes nested more than {MAX_DEPTH} deep at `{target}`"),
                        "an included file includes itself, directly or through others; break the cycle",
                    ));
                    result.push_str(&note(&format!("include of {target} left out: nested too deep")));
                    continue;
                }
                let joined = src.dir.join(target);
                let resolved = match joined.canonicalize() {
                    Ok(p) => p,
                    Err(_) => {
                        out.diagnostics.push(problem(
                            format!("the file `{target}` that `{{{{#{name}}}}}` asks for does not exist"),
                            &format!(
                                "paths are relative to the folder of {}; fix the path, or add the file to the book and import again",
                                src.display.display()
                            ),
                        ));
                        result.push_str(&note(&format!("missing include: {target}")));
                        continue;
                    }
                };
                if !resolved.starts_with(book) {
                    out.diagnostics.push(problem(
                        format!("`{target}` is outside the book; tandem import does not read it"),
                        "the importer reads only files inside the book's folder; copy the file into the book",
                    ));
                    result.push_str(&note(&format!("include outside the book left out: {target}")));
                    continue;
                }
                let contents = match std::fs::read(&resolved) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) => {
                        out.diagnostics.push(problem(
                            format!("cannot read `{target}`: {e}"),
                            "check that it is a readable file",
                        ));
                        result.push_str(&note(&format!("unreadable include: {target}")));
                        continue;
                    }
                };
                let target_display = resolved.strip_prefix(book).unwrap_or(&resolved).to_path_buf();
                out.included.push(target_display.clone());
                let (taken, taken_lines, found) =
                    selection.take(&contents, directive.kind == Kind::RustdocInclude);
                if let Selection::Anchor(anchor) = &selection
                    && !found
                {
                    out.diagnostics.push(
                        Diagnostic::warning(src.display, format!("`{target}` has no `ANCHOR: {anchor}`"))
                            .at(at(directive.len))
                            .with_hint("mdBook includes nothing for it either; fix the anchor's name"),
                    );
                }
                let body = match directive.kind {
                    Kind::Playground => {
                        let info = if props.is_empty() {
                            "rust".to_string()
                        } else {
                            format!("rust,{}", props.join(","))
                        };
                        let fence = fence_for(&taken);
                        format!("{fence}{info}\n{}\n{fence}\n", taken.trim_end_matches('\n'))
                    }
                    Kind::Include | Kind::RustdocInclude | Kind::Title => taken,
                };
                if body.len() > *budget {
                    out.diagnostics.push(problem(
                        format!(
                            "including `{target}` makes the chapter larger than {} MB",
                            MAX_EXPANDED_BYTES >> 20
                        ),
                        "a chapter this large is almost certainly a runaway include; check the includes",
                    ));
                    result.push_str(&note(&format!("include left out (too large): {target}")));
                    continue;
                }
                *budget -= body.len();
                let body_lines = match directive.kind {
                    Kind::Playground => {
                        let mut l = vec![1];
                        l.extend(taken_lines);
                        l.push(taken_lines_last(&l));
                        l
                    }
                    _ => taken_lines,
                };
                let inner = Source {
                    display: &target_display,
                    original: &contents,
                    text: &body,
                    lines: &body_lines,
                    dir: resolved.parent().unwrap_or(book),
                };
                let expanded = expand_source(book, &inner, depth + 1, budget, out);
                result.push_str(&expanded);
            }
        }
    }
    result.push_str(&text[copied..]);
    result
}

fn taken_lines_last(l: &[usize]) -> usize {
    l.last().copied().unwrap_or(1)
}

/// What a failed directive leaves in the page: something the reader sees, in a form that fits
/// where it stands (a code block shows text as it is; Markdown gets a callout or bold text).
fn visible_note(message: &str, in_code: bool, alone_on_line: bool) -> String {
    if in_code {
        format!("[tandem import: {message}]")
    } else if alone_on_line {
        format!("> [!WARNING]\n> tandem import: {message}. See the import report.")
    } else {
        format!("**[tandem import: {message}]**")
    }
}

/// A code fence longer than any run of backticks in `code`.
pub fn fence_for(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// For each line of `text`, whether it is inside a fenced code block (fence lines included).
fn fenced_lines(text: &str) -> Vec<bool> {
    let mut open: Option<(char, usize)> = None;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start_matches(' ');
            let indent = line.len() - trimmed.len();
            let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
            let run = fence_char.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
            match (open, fence_char) {
                (None, Some(c)) if indent < 4 && run >= 3 => {
                    open = Some((c, run));
                    true
                }
                (Some((c, n)), Some(f)) if f == c && run >= n && trimmed[run..].trim().is_empty() => {
                    open = None;
                    true
                }
                (Some(_), _) => true,
                (None, _) => false,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Include,
    RustdocInclude,
    Playground,
    Title,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Include => "include",
            Kind::RustdocInclude => "rustdoc_include",
            Kind::Playground => "playground",
            Kind::Title => "title",
        }
    }
}

/// `{{#name args}}` at the start of the text, as mdBook's pattern reads it:
/// `\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}`.
struct Directive<'a> {
    kind: Kind,
    args: &'a str,
    len: usize,
}

impl<'a> Directive<'a> {
    fn parse(s: &'a str) -> Option<Directive<'a>> {
        let rest = s.strip_prefix("{{")?;
        let after_ws = rest.trim_start();
        let rest = after_ws.strip_prefix('#')?;
        let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let (name, rest) = rest.split_at(name_len);
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let args_len = rest.find('}')?;
        let args = &rest[..args_len];
        if !rest[args_len..].starts_with("}}") || args.trim().is_empty() {
            return None;
        }
        let kind = match name {
            "include" => Kind::Include,
            "rustdoc_include" => Kind::RustdocInclude,
            "playground" | "playpen" => Kind::Playground,
            "title" => Kind::Title,
            _ => return None,
        };
        let len = s.len() - rest.len() + args_len + 2;
        Some(Directive { kind, args, len })
    }
}

/// Which lines an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection {
    /// 0-based start (inclusive) and end (exclusive); `None` is open.
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

impl Selection {
    /// mdBook's `parse_range_or_anchor`: `10:20`, `10:`, `:20`, `10`, `name`, or nothing.
    fn parse(spec: Option<&str>) -> Selection {
        let Some(spec) = spec else { return Selection::Lines(None, None) };
        let mut parts = spec.splitn(3, ':');
        let first = parts.next().unwrap_or("");
        let start = match first.parse::<usize>() {
            Ok(n) => Some(n.saturating_sub(1)),
            Err(_) if first.is_empty() => None,
            Err(_) => return Selection::Anchor(first.to_string()),
        };
        match (start, parts.next().map(str::parse::<usize>)) {
            (Some(s), Some(Ok(e))) => Selection::Lines(Some(s), Some(e)),
            (Some(s), Some(Err(_))) => Selection::Lines(Some(s), None),
            (Some(s), None) => Selection::Lines(Some(s), Some(s + 1)),
            (None, Some(Ok(e))) => Selection::Lines(None, Some(e)),
            (None, _) => Selection::Lines(None, None),
        }
    }

    /// The selected text, the 1-based source line of each of its lines, and whether an anchor
    /// (when one was asked for) was found. With `rustdoc`, unselected lines stay, behind `# `.
    fn take(&self, s: &str, rustdoc: bool) -> (String, Vec<usize>, bool) {
        let mut out: Vec<&str> = Vec::new();
        let mut hidden: Vec<bool> = Vec::new();
        let mut lines_of = Vec::new();
        let mut found = false;
        match self {
            Selection::Lines(start, end) => {
                let start = start.unwrap_or(0);
                let end = end.unwrap_or(usize::MAX);
                for (i, line) in s.lines().enumerate() {
                    let inside = i >= start && i < end;
                    if inside || rustdoc {
                        out.push(line);
                        hidden.push(!inside);
                        lines_of.push(i + 1);
                    }
                }
            }
            Selection::Anchor(anchor) => {
                let mut within = false;
                let mut done = false;
                for (i, line) in s.lines().enumerate() {
                    let starts = anchor_name(line, "ANCHOR:");
                    let ends = anchor_name(line, "ANCHOR_END:");
                    if within {
                        if ends == Some(anchor.as_str()) {
                            within = false;
                            if !rustdoc {
                                done = true;
                            }
                        } else if starts.is_none() && ends.is_none() {
                            out.push(line);
                            hidden.push(false);
                            lines_of.push(i + 1);
                        }
                    } else if done {
                        break;
                    } else if starts == Some(anchor.as_str()) {
                        within = true;
                        found = true;
                    } else if rustdoc && ends.is_none() && starts.is_none() {
                        // Outside the region: hidden. Other regions' anchor lines are dropped.
                        out.push(line);
                        hidden.push(true);
                        lines_of.push(i + 1);
                    }
                }
            }
        }
        let text = out
            .iter()
            .zip(&hidden)
            .map(|(line, h)| if *h { format!("# {line}") } else { line.to_string() })
            .collect::<Vec<_>>()
            .join("\n");
        (text, lines_of, found || matches!(self, Selection::Lines(..)))
    }
}

/// The name after `ANCHOR:` (or `ANCHOR_END:`) in a line, as mdBook's `[\w_-]+` reads it.
fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = line[from..].find(marker) {
        let at = from + i;
        let rest = line[at + marker.len()..].trim_start();
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        if len > 0 {
            return Some(&rest[..len]);
        }
        from = at + marker.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE: &str = "Lorem\nipsum\ndolor\nsit\namet";

    fn take(spec: &str, rustdoc: bool, s: &str) -> String {
        Selection::parse(Some(spec)).take(s, rustdoc).0
    }

    #[test]
    fn ranges_read_as_mdbook_reads_them() {
        assert_eq!(take("2:3", false, FIVE), "ipsum\ndolor");
        assert_eq!(take("4:", false, FIVE), "sit\namet");
        assert_eq!(take(":3", false, FIVE), "Lorem\nipsum\ndolor");
        assert_eq!(take("2", false, FIVE), "ipsum");
        assert_eq!(take("", false, FIVE), FIVE);
        assert_eq!(take("5:4", false, FIVE), "");
        assert_eq!(take(":100", false, FIVE), FIVE);
        assert_eq!(Selection::parse(None), Selection::Lines(None, None));
    }

    #[test]
    fn anchors_drop_every_anchor_line() {
        let s = "Lorem\nANCHOR: test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum";
        assert_eq!(take("test2", false, s), "ipsum\ndolor\nsit\namet\nlorem");
        assert_eq!(take("test", false, s), "dolor\nsit\namet");
        assert_eq!(take("nothing", false, s), "");
        assert!(!Selection::parse(Some("nothing")).take(s, false).2);
    }

    #[test]
    fn rustdoc_include_hides_the_lines_outside() {
        assert_eq!(take("2:3", true, FIVE), "# Lorem\nipsum\ndolor\n# sit\n# amet");
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nipsum";
        assert_eq!(take("test", true, s), "# Lorem\n# ipsum\ndolor\nsit\namet\n# lorem\n# ipsum");
        let twice =
            "Lorem\nANCHOR: test\nipsum\nANCHOR_END: test\ndolor\nANCHOR: test\nsit\nANCHOR_END: test\namet";
        assert_eq!(take("test", true, twice), "# Lorem\nipsum\n# dolor\nsit\n# amet");
    }

    #[test]
    fn directives_parse_like_mdbooks_pattern() {
        let d = Directive::parse("{{#include a.rs:1:2}} tail").unwrap();
        assert_eq!((d.kind, d.args.trim(), d.len), (Kind::Include, "a.rs:1:2", 21));
        assert!(Directive::parse("{{ #rustdoc_include x.rs }}").is_some());
        assert!(Directive::parse("{{#include}}").is_none());
        assert!(Directive::parse("{{#quiz x.toml}}").is_none(), "quizzes are converted elsewhere");
        assert!(Directive::parse("{{ quiz(id=\"x\") }}").is_none());
    }

    #[test]
    fn fences_are_tracked() {
        let f = fenced_lines("a\n```rust\ncode\n```\nb\n~~~~\n```\n~~~~\n");
        assert_eq!(f, [false, true, true, true, false, true, true, true]);
    }
}
