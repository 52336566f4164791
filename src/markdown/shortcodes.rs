//! Shortcodes: `{{ NAME(key="text", n=3, flag=true) }}` inline or alone in a paragraph, and
//! `{% NAME(…) %}` Markdown body `{% end %}`, each rendered by the template
//! `templates/shortcodes/NAME.html` of the site or its theme (`quiz` is built in).
//!
//! Calls are found in the source before it is parsed (a body may span paragraphs), skipping code
//! spans, code blocks and math, where the syntax stays text. Each call is replaced by a
//! placeholder of exactly its length, so every byte after it keeps its offset and every problem
//! is still reported at the author's line and column; the [`Place`] step then puts the rendered
//! HTML where the placeholder landed: as a block when it is alone in its paragraph, else inline.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;

use super::{Document, Events, Pass, Rendered, Spanned, Transform, options, rewrite_each, run_pass};

/// How deep bodies may nest (a body that calls a shortcode with a body, …).
pub const MAX_DEPTH: usize = 16;

const OPEN: char = '\u{FDD0}';
const CLOSE: char = '\u{FDD1}';

/// One call, as written.
#[derive(Debug, Clone)]
pub struct ShortcodeCall {
    pub name: String,
    pub args: Vec<Argument>,
}

#[derive(Debug, Clone)]
pub struct Argument {
    pub name: String,
    pub value: ShortcodeValue,
}

/// An argument's value: the template sees it as a string, a number or a boolean.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ShortcodeValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

/// Why a call could not be rendered; `argument` points the error at one argument.
pub struct ShortcodeError {
    pub message: String,
    pub hint: String,
    pub argument: Option<usize>,
}

/// A call found in the text: where it is, where its parts are, and its body.
struct Found {
    call: ShortcodeCall,
    /// The whole call, body and `{% end %}` included.
    range: Range<usize>,
    name_range: Range<usize>,
    arg_ranges: Vec<Range<usize>>,
    body: Option<Body>,
}

struct Body {
    range: Range<usize>,
    /// The opening and closing tags are alone on their lines: the body is blocks, not a phrase.
    block: bool,
}

/// Finds and renders every call in `text` (which starts at `pass.doc.body_start` in the file);
/// returns the text with placeholders, or `None` when it has no call.
pub(super) fn expand(text: &str, pass: &mut Pass, depth: usize) -> Option<String> {
    if !text.contains("{{") && !text.contains("{%") {
        return None;
    }
    let literal = literal_ranges(text, pass);
    let mut found = Vec::new();
    let mut at = 0;
    let mut open_bodies: Vec<(usize, Found)> = Vec::new();
    while let Some(rel) = text[at..].find('{') {
        let start = at + rel;
        if let Some(skip) = literal.iter().find(|r| r.contains(&start)) {
            at = skip.end;
            continue;
        }
        let rest = &text[start..];
        if rest.starts_with("{%") {
            match parse_tag(text, start, "{%", "%}") {
                Tag_::End(end) => {
                    let Some((depth_at, mut open)) = open_bodies.pop() else {
                        pass.error(
                            start..end,
                            "`{% end %}` without a shortcode to end",
                            "remove it, or open a body with `{% NAME() %}` before it",
                        );
                        at = end;
                        continue;
                    };
                    let body_start = open.range.end;
                    let block = alone_on_line(text, open.range.start, open.range.end)
                        && alone_on_line(text, start, end);
                    open.body = Some(Body { range: body_start..start, block });
                    open.range = open.range.start..end;
                    if depth_at == 0 {
                        found.push(open);
                    }
                    at = end;
                }
                Tag_::Call(call) => {
                    let end = call.range.end;
                    open_bodies.push((open_bodies.len(), call));
                    at = end;
                }
                Tag_::Error(range, message, hint) => {
                    pass.error(range.clone(), message, hint);
                    at = range.end.max(start + 2);
                }
                Tag_::NotACall => at = start + 2,
            }
        } else if rest.starts_with("{{") {
            match parse_tag(text, start, "{{", "}}") {
                Tag_::Call(call) => {
                    let end = call.range.end;
                    if open_bodies.is_empty() {
                        found.push(call);
                    }
                    at = end;
                }
                Tag_::End(end) => at = end,
                Tag_::Error(range, message, hint) => {
                    pass.error(range.clone(), message, hint);
                    at = range.end.max(start + 2);
                }
                Tag_::NotACall => at = start + 2,
            }
        } else {
            at = start + 1;
        }
    }
    for (_, open) in open_bodies.iter().filter(|(d, _)| *d == 0).take(1) {
        pass.error(
            open.range.clone(),
            format!("the body of `{}` is never closed", open.call.name),
            "end it with `{% end %}` on a line of its own",
        );
    }
    if found.is_empty() && open_bodies.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    for f in found {
        let index = pass.expanded.len();
        let html = render_call(text, &f, pass, depth);
        pass.out.get_mut().shortcodes.insert(f.call.name.clone());
        pass.expanded.push(html);
        let placeholder = placeholder(index, f.range.len());
        match placeholder {
            Some(p) => out.replace_range(f.range.clone(), &p),
            None => {
                pass.error(
                    f.range.clone(),
                    "too many shortcodes on this page for a call this short",
                    "write the call with spaces, e.g. `{{ name() }}`",
                );
                out.replace_range(f.range.clone(), &" ".repeat(f.range.len()));
            }
        }
    }
    // An unclosed body is left out, so that what follows still renders.
    if let Some((_, open)) = open_bodies.first() {
        out.replace_range(open.range.clone(), &" ".repeat(open.range.len()));
    }
    Some(out)
}

/// The bytes where shortcode syntax is text: code spans, code blocks and math.
fn literal_ranges(text: &str, pass: &Pass) -> Vec<Range<usize>> {
    let literal = |(e, r): Spanned| {
        matches!(
            e,
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) | Event::InlineMath(_) | Event::DisplayMath(_)
        )
        .then_some(r)
    };
    let options = options(pass.config);
    if let Some(plan) = super::chunks::Plan::new(text, options, pass.chunk_bytes) {
        let failed = std::rc::Rc::new(std::cell::Cell::new(false));
        let ranges = plan.events(failed.clone()).filter_map(literal).collect();
        if !failed.get() {
            return ranges;
        }
    }
    Parser::new_ext(text, options).into_offset_iter().filter_map(literal).collect()
}

fn alone_on_line(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].rsplit('\n').next().unwrap_or("");
    let after = text[end..].split('\n').next().unwrap_or("");
    before.trim().is_empty() && after.trim().is_empty()
}

/// `OPEN index x… CLOSE`, exactly `len` bytes long.
fn placeholder(index: usize, len: usize) -> Option<String> {
    let digits = index.to_string();
    let fixed = OPEN.len_utf8() + digits.len() + CLOSE.len_utf8();
    let pad = len.checked_sub(fixed)?;
    Some(format!("{OPEN}{digits}{}{CLOSE}", "x".repeat(pad)))
}

#[allow(non_camel_case_types)]
enum Tag_ {
    Call(Found),
    /// `{% end %}`, ending at this byte.
    End(usize),
    Error(Range<usize>, String, String),
    /// `{{` or `{%` that does not start a call (`{{ x }}` in prose stays text).
    NotACall,
}

/// Reads `{{ name(args) }}` or `{% name(args) %}` or `{% end %}` starting at `start`.
fn parse_tag(text: &str, start: usize, open: &str, close: &str) -> Tag_ {
    let mut p = Cursor { text, at: start + open.len() };
    p.skip_ws();
    let name_start = p.at;
    let name = p.ident();
    if name.is_empty() {
        return Tag_::NotACall;
    }
    let name_range = name_start..p.at;
    p.skip_ws();
    if open == "{%" && name == "end" {
        return if p.eat(close) { Tag_::End(p.at) } else { Tag_::NotACall };
    }
    if !p.eat("(") {
        return Tag_::NotACall;
    }
    let mut args = Vec::new();
    let mut arg_ranges = Vec::new();
    loop {
        p.skip_ws();
        if p.eat(")") {
            break;
        }
        if !args.is_empty() {
            if !p.eat(",") {
                return p.error("expected `,` or `)` after an argument", "separate arguments with commas");
            }
            p.skip_ws();
            if p.eat(")") {
                break;
            }
        }
        let arg_start = p.at;
        let key = p.ident();
        if key.is_empty() {
            return p
                .error("expected an argument name", "arguments are written name=value, e.g. title=\"Hi\"");
        }
        p.skip_ws();
        if !p.eat("=") {
            return p.error(format!("expected `=` after `{key}`"), "arguments are written name=value");
        }
        p.skip_ws();
        let value = match p.value() {
            Ok(v) => v,
            Err((m, h)) => return p.error(m, h),
        };
        if args.iter().any(|a: &Argument| a.name == key) {
            return Tag_::Error(
                arg_start..p.at,
                format!("`{key}` is given twice"),
                "give each argument once".into(),
            );
        }
        arg_ranges.push(arg_start..p.at);
        args.push(Argument { name: key.to_string(), value });
    }
    p.skip_ws();
    if !p.eat(close) {
        return p.error(
            format!("expected `{close}` to close the shortcode"),
            format!("end the call with `{close}`"),
        );
    }
    Tag_::Call(Found {
        call: ShortcodeCall { name: name.to_string(), args },
        range: start..p.at,
        name_range,
        arg_ranges,
        body: None,
    })
}

struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }
    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }
    fn eat(&mut self, s: &str) -> bool {
        let ok = self.rest().starts_with(s);
        if ok {
            self.at += s.len();
        }
        ok
    }
    fn ident(&mut self) -> &'t str {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphabetic() || c == '_' || (i > 0 && (c.is_ascii_digit() || c == '-')))
            })
            .map_or(rest.len(), |(i, _)| i);
        self.at += len;
        &rest[..len]
    }
    fn value(&mut self) -> Result<ShortcodeValue, (String, String)> {
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let mut s = String::new();
            let mut chars = rest[1..].char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    c if c == quote => {
                        self.at += 1 + i + 1;
                        return Ok(ShortcodeValue::Text(s));
                    }
                    '\\' => match chars.next() {
                        Some((_, 'n')) => s.push('\n'),
                        Some((_, c)) => s.push(c),
                        None => break,
                    },
                    c => s.push(c),
                }
            }
            return Err(("this string is never closed".into(), format!("end it with {quote}")));
        }
        let word_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+' || c == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        let value = match word {
            "true" => ShortcodeValue::Bool(true),
            "false" => ShortcodeValue::Bool(false),
            w => match (w.parse::<i64>(), w.parse::<f64>()) {
                (Ok(n), _) => ShortcodeValue::Integer(n),
                (_, Ok(x)) if x.is_finite() && w.chars().any(|c| c.is_ascii_digit()) => {
                    ShortcodeValue::Float(x)
                }
                _ => {
                    return Err((
                        format!(
                            "`{}` is not a value",
                            if w.is_empty() { &rest[..rest.len().min(1)] } else { w }
                        ),
                        "values are \"text\", numbers such as 3 or 2.5, and true or false".into(),
                    ));
                }
            },
        };
        self.at += word_len;
        Ok(value)
    }
    fn error(&self, message: impl Into<String>, hint: impl Into<String>) -> Tag_ {
        let end = self.text[self.at..].chars().next().map_or(self.at, |c| self.at + c.len_utf8());
        Tag_::Error(
            self.at..end.max(self.at + 1).min(self.text.len().max(self.at + 1)),
            message.into(),
            hint.into(),
        )
    }
}

/// One call's HTML (empty when it failed; the failure is reported).
fn render_call(text: &str, f: &Found, pass: &mut Pass, depth: usize) -> String {
    let body_html = match &f.body {
        None => None,
        Some(_) if depth + 1 > MAX_DEPTH => {
            pass.error(
                f.name_range.clone(),
                format!("shortcode bodies nest more than {MAX_DEPTH} deep"),
                "a body calls a shortcode whose body calls another …: flatten them",
            );
            return String::new();
        }
        Some(body) => Some(render_body(text, &body.range, body.block, pass, depth)),
    };
    let result = if f.call.name == "quiz" {
        quiz(&f.call, pass)
    } else {
        pass.resolver.shortcode(&f.call, body_html.as_deref())
    };
    match result {
        Ok(html) => html,
        Err(e) => {
            let range =
                e.argument.and_then(|i| f.arg_ranges.get(i).cloned()).unwrap_or_else(|| f.name_range.clone());
            pass.error(range, e.message, e.hint);
            String::new()
        }
    }
}

/// The built-in `quiz(id="…")`.
fn quiz(call: &ShortcodeCall, pass: &Pass) -> Result<String, ShortcodeError> {
    let error =
        |message: String, hint: &str, argument| ShortcodeError { message, hint: hint.into(), argument };
    if let Some((i, other)) = call.args.iter().enumerate().find(|(_, a)| a.name != "id") {
        return Err(error(
            format!("`quiz` has no argument `{}`", other.name),
            "`quiz` takes one argument: id=\"…\"",
            Some(i),
        ));
    }
    let Some(ShortcodeValue::Text(id)) = call.args.first().map(|a| &a.value) else {
        return Err(error(
            "`quiz` needs its quiz's id".into(),
            "write {{ quiz(id=\"ID\") }}",
            call.args.first().map(|_| 0),
        ));
    };
    pass.resolver.quiz_html(id).ok_or_else(|| {
        error(
            format!("there is no quiz with id `{id}`"),
            "the id is the quiz file's name without .yaml, e.g. content/quizzes/ID.yaml",
            Some(0),
        )
    })
}

/// A body's Markdown through the same pass, its problems located in the file.
fn render_body(text: &str, range: &Range<usize>, block: bool, pass: &mut Pass, depth: usize) -> String {
    let doc =
        Document { path: pass.doc.path, text: pass.doc.text, body_start: pass.doc.body_start + range.start };
    let mut inner = Pass {
        doc: &doc,
        config: pass.config,
        resolver: pass.resolver,
        expanded: Vec::new(),
        fragment: true,
        out: Default::default(),
        chunk_bytes: pass.chunk_bytes,
    };
    let html = run_pass(&mut inner, &text[range.clone()], depth + 1, !block, None);
    let Rendered { links, shortcodes, diagnostics, .. } = inner.out.into_inner();
    let out = pass.out.get_mut();
    out.links.extend(links);
    out.shortcodes.extend(shortcodes);
    out.diagnostics.extend(diagnostics);
    html
}

/// Puts each expanded call where its placeholder landed.
pub struct Place;

impl Transform for Place {
    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        if pass.expanded.is_empty() {
            return events;
        }
        rewrite_each(events, move |event, rest, queue| place(event, rest, queue, pass))
    }
}

/// Puts the expanded calls in `event`'s place, or, for a paragraph that is one placeholder, in
/// the place of the whole paragraph (the HTML is a block).
fn place<'a>(event: Spanned<'a>, rest: &mut Events<'a>, queue: &mut VecDeque<Spanned<'a>>, pass: &Pass) {
    if !matches!(event.0, Event::Start(Tag::Paragraph)) {
        return place_inline(event, queue, pass);
    }
    let Some(text) = rest.next() else { return queue.push_back(event) };
    let index = match &text.0 {
        Event::Text(t) => whole_placeholder(t),
        _ => None,
    };
    let Some(index) = index else {
        queue.push_back(event);
        return place(text, rest, queue, pass);
    };
    let Some(end) = rest.next() else {
        queue.push_back(event);
        return place_inline(text, queue, pass);
    };
    if matches!(end.0, Event::End(TagEnd::Paragraph)) {
        let html = pass.expanded.get(index).cloned().unwrap_or_default();
        queue.push_back((Event::Html(CowStr::from(html)), text.1));
    } else {
        queue.push_back(event);
        place_inline(text, queue, pass);
        place(end, rest, queue, pass);
    }
}

/// Puts the expanded calls where their placeholders are in a text or some HTML.
fn place_inline<'a>((event, range): Spanned<'a>, queue: &mut VecDeque<Spanned<'a>>, pass: &Pass) {
    match event {
        Event::Text(t) if t.contains(OPEN) => split_text(&t, &range, pass, queue),
        Event::Html(h) if h.contains(OPEN) => {
            queue.push_back((Event::Html(replace_all(&h, pass).into()), range))
        }
        Event::InlineHtml(h) if h.contains(OPEN) => {
            queue.push_back((Event::InlineHtml(replace_all(&h, pass).into()), range))
        }
        other => queue.push_back((other, range)),
    }
}

/// The index of a text that is exactly one placeholder (spaces around allowed).
fn whole_placeholder(text: &str) -> Option<usize> {
    let (index, rest) = next_placeholder(text.trim())?;
    (rest.0 == 0 && rest.1 == text.trim().len()).then_some(index)
}

/// The first placeholder in `text`: its index and its byte range.
fn next_placeholder(text: &str) -> Option<(usize, (usize, usize))> {
    let start = text.find(OPEN)?;
    let after = start + OPEN.len_utf8();
    let end = after + text[after..].find(CLOSE)?;
    let digits: String = text[after..end].chars().take_while(char::is_ascii_digit).collect();
    let index = digits.parse().ok()?;
    Some((index, (start, end + CLOSE.len_utf8())))
}

fn split_text<'e>(text: &str, range: &Range<usize>, pass: &Pass, out: &mut VecDeque<Spanned<'e>>) {
    let mut rest = text;
    while let Some((index, (s, e))) = next_placeholder(rest) {
        if s > 0 {
            out.push_back((Event::Text(CowStr::from(rest[..s].to_string())), range.clone()));
        }
        let html = pass.expanded.get(index).cloned().unwrap_or_default();
        out.push_back((Event::InlineHtml(CowStr::from(html)), range.clone()));
        rest = &rest[e..];
    }
    if !rest.is_empty() {
        out.push_back((Event::Text(CowStr::from(rest.to_string())), range.clone()));
    }
}

fn replace_all(text: &str, pass: &Pass) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((index, (s, e))) = next_placeholder(rest) {
        out.push_str(&rest[..s]);
        out.push_str(pass.expanded.get(index).map_or("", String::as_str));
        rest = &rest[e..];
    }
    out.push_str(rest);
    out
}
