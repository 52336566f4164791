//! The plain text of HTML that tandem rendered itself, split at its headings.
//!
//! The input is always tandem's own output in memory (Markdown rendered by pulldown-cmark, quiz
//! prompts rendered by the same renderer), never a file read back from disk, so a small scanner
//! is enough: tags are dropped, entities decoded, and an `<hN id="…">` starts a new section.

use super::Section;

/// Elements whose content is not text a reader searches for: an embedded quiz is indexed as its
/// own page, and scripts and styles are code for the browser. `name` is lower case.
fn is_skipped(name: &str) -> bool {
    matches!(name, "form" | "script" | "style" | "template" | "noscript")
}

/// Inline elements: their tags do not separate words (`un<em>usual</em>` is one word). `name` is
/// lower case.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

/// The sections of `html`: the text before the first heading (heading and anchor empty), then one
/// per heading with an `id`. Sections with neither heading nor text are left out.
pub fn sections(html: &str) -> Vec<Section> {
    let mut text = Collector::default();
    text.html(html);
    text.finish()
}

/// What ends an HTML comment.
const COMMENT_END: &str = "-->";

/// A page's text as its renderer produces it, piece by piece, split at its headings: plain text
/// (the Markdown pass's text events) and HTML (raw HTML, highlighted code, shortcodes and
/// embedded quizzes), in page order. The Markdown pass feeds it as it writes the page's HTML, so
/// the HTML is never scanned again; [`sections`] feeds it a whole HTML string.
#[derive(Debug)]
pub struct Collector {
    out: Vec<Section>,
    /// Some(level) while inside a heading that started a section.
    in_heading: Option<u8>,
    /// Inside a comment or an element whose content is not text (see [`is_skipped`]): what ends
    /// it (`-->`, or the element's end tag `</form` in lower case). Kept from one piece of HTML
    /// to the next, since Markdown may sit between a raw start tag and its end tag.
    skip_until: Option<String>,
}

impl Default for Collector {
    fn default() -> Collector {
        Collector { out: vec![new_section(String::new())], in_heading: None, skip_until: None }
    }
}

/// A section of text to come, with room for a paragraph or two, so that the text of a typical
/// section is not copied over and over as it grows.
fn new_section(anchor: String) -> Section {
    Section { anchor, text: String::with_capacity(1024), ..Section::default() }
}

impl Collector {
    /// Plain text, as a reader sees it (no markup, entities decoded).
    pub fn text(&mut self, text: &str) {
        if self.skip_until.is_none() {
            push_plain(self.current(), text);
        }
    }

    /// A boundary between words that is not in the text: a block starts or ends, a line breaks.
    pub fn space(&mut self) {
        if self.skip_until.is_none() {
            let to = self.current();
            if !to.is_empty() && !to.ends_with(' ') {
                to.push(' ');
            }
        }
    }

    /// A heading with id `anchor` starts: its text is the heading of a new section.
    pub fn start_heading(&mut self, level: u8, anchor: &str) {
        if self.skip_until.is_none() {
            self.out.push(new_section(anchor.to_string()));
            self.in_heading = Some(level);
        }
    }

    /// The heading of level `level` ends (one that did not start a section is a word boundary).
    pub fn end_heading(&mut self, level: u8) {
        if self.in_heading == Some(level) && self.skip_until.is_none() {
            self.in_heading = None;
        } else {
            self.space();
        }
    }

    /// HTML that tandem rendered: tags dropped, entities decoded, an `<hN id="…">` starts a section.
    pub fn html(&mut self, html: &str) {
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(end) = &self.skip_until {
                if end == COMMENT_END {
                    let Some(at) = rest.find(COMMENT_END) else { return };
                    rest = &rest[at + COMMENT_END.len()..];
                } else {
                    let Some(at) = find_ignoring_case(rest, end) else { return };
                    let after = &rest[at..];
                    rest = after.find('>').map_or("", |gt| &after[gt + 1..]);
                }
                self.skip_until = None;
                continue;
            }
            let Some(lt) = rest.find('<') else {
                push_text(self.current(), rest);
                break;
            };
            push_text(self.current(), &rest[..lt]);
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after;
                self.skip_until = Some(COMMENT_END.to_string());
                continue;
            }
            let Some(gt) = rest.find('>') else {
                // A lone `<` is text (pulldown-cmark escapes it, but raw HTML may hold one).
                push_text(self.current(), rest);
                break;
            };
            let tag = &rest[1..gt];
            rest = &rest[gt + 1..];
            let closing = tag.starts_with('/');
            let name_and_attrs = tag.trim_start_matches('/');
            let name_end = name_and_attrs
                .find(|c: char| c.is_ascii_whitespace() || c == '/')
                .unwrap_or(name_and_attrs.len());
            let name = &name_and_attrs[..name_end];
            // Tag names are short: lower-cased on the stack, then one `match` each (tags are many:
            // every highlighted token is a `<span>`).
            let mut lower = [0u8; 12];
            let lower = match lower.get_mut(..name.len()) {
                Some(buf) => {
                    buf.copy_from_slice(name.as_bytes());
                    buf.make_ascii_lowercase();
                    std::str::from_utf8(buf).unwrap_or("")
                }
                None => "",
            };
            if !closing && is_skipped(lower) {
                self.skip_until = Some(format!("</{lower}"));
                continue;
            }
            let heading_level = match name.as_bytes() {
                [b'h' | b'H', d @ b'1'..=b'6'] => Some(d - b'0'),
                _ => None,
            };
            match (heading_level, closing) {
                (Some(level), false) => {
                    if let Some(id) = attribute(&name_and_attrs[name_end..], "id") {
                        self.start_heading(level, &decode_entities(id));
                        continue;
                    }
                }
                (Some(level), true) if self.in_heading == Some(level) => {
                    self.in_heading = None;
                    continue;
                }
                (Some(_), true) | (None, _) => {}
            }
            if !is_inline(lower) {
                self.space();
            }
        }
    }

    /// The sections, each trimmed; those with neither heading nor text are left out.
    pub fn finish(mut self) -> Vec<Section> {
        self.out.retain_mut(|s| {
            for text in [&mut s.heading, &mut s.text] {
                if text.ends_with(' ') {
                    text.pop();
                }
            }
            !(s.heading.is_empty() && s.text.is_empty())
        });
        self.out
    }

    /// Where text goes now: the current heading's title, or its section's text.
    fn current(&mut self) -> &mut String {
        let last = self.out.last_mut().expect("there is always a first section");
        if self.in_heading.is_some() { &mut last.heading } else { &mut last.text }
    }
}

/// Appends HTML text (entities not decoded yet) with runs of white space as one space.
fn push_text(to: &mut String, text: &str) {
    if text.contains('&') {
        push_plain(to, &decode_entities(text));
    } else {
        push_plain(to, text);
    }
}

/// Appends `text` with runs of white space as one space (a leading one only after other text;
/// [`Collector::finish`] trims the last).
fn push_plain(to: &mut String, text: &str) {
    if needs_collapsing(text.as_bytes()) {
        return push_collapsed(to, text);
    }
    // Most text: words with single spaces between them, copied at once.
    let text = match text.strip_prefix(' ') {
        Some(rest) => {
            if !to.is_empty() && !to.ends_with(' ') {
                to.push(' ');
            }
            rest
        }
        None => text,
    };
    to.push_str(text);
}

/// Whether `bytes` hold white space other than single spaces: two spaces in a row, a tab, a line
/// break, or a white space character past ASCII (U+0085, U+00A0, U+1680, U+2000 to U+200A,
/// U+2028, U+2029, U+202F, U+205F, U+3000: Unicode's White_Space), told by their UTF-8 bytes in
/// one pass over the text, eight bytes at a time where they are plain ASCII (most of them).
fn needs_collapsing(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut after_space = false;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(word) = bytes.get(at..at + 8) {
            let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            // No byte past ASCII and none below 0x0e (the control characters that are white space
            // end at \r): only spaces to look at, found exactly as the zero bytes of w XOR spaces.
            if ((w.wrapping_sub(ONES * 0x0e) & !w) | w) & HIGH == 0 {
                let x = w ^ (ONES * u64::from(b' '));
                let spaces = !(((x & LOW7) + LOW7) | x) & HIGH;
                if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
                    return true;
                }
                after_space = spaces >> 63 != 0;
                at += 8;
                continue;
            }
        }
        let end = (at + 8).min(bytes.len());
        for i in at..end {
            match bytes[i] {
                b' ' if after_space => return true,
                b' ' => {
                    after_space = true;
                    continue;
                }
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return true,
                0xc2 | 0xe1 | 0xe2 | 0xe3 if is_unicode_space_at(bytes, i) => return true,
                _ => {}
            }
            after_space = false;
        }
        at = end;
    }
    false
}

/// Whether the char at byte `i` of `bytes` (a UTF-8 lead byte) is white space past ASCII.
fn is_unicode_space_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        0xc2 => matches!(bytes.get(i + 1), Some(0x85 | 0xa0)),
        0xe1 => bytes.get(i + 1..i + 3) == Some(&[0x9a, 0x80]),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f))
        ),
        0xe3 => bytes.get(i + 1..i + 3) == Some(&[0x80, 0x80]),
        _ => false,
    }
}

/// [`push_plain`] for any white space.
fn push_collapsed(to: &mut String, text: &str) {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        if !text.is_empty() && !to.is_empty() && !to.ends_with(' ') {
            to.push(' ');
        }
        return;
    };
    if text.starts_with(char::is_whitespace) && !to.is_empty() && !to.ends_with(' ') {
        to.push(' ');
    }
    to.push_str(first);
    for word in words {
        to.push(' ');
        to.push_str(word);
    }
    if text.ends_with(char::is_whitespace) {
        to.push(' ');
    }
}

/// Where `needle` (which starts with `<`) first is in `haystack`, ignoring ASCII case; only the
/// places of a `<` are tried, so an embedded quiz's long form is scanned once.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    haystack
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| h.get(i..i + n.len()).is_some_and(|w| w.eq_ignore_ascii_case(n)))
}

/// The value of attribute `name` in the attribute part of a tag (`id="x"`, `id='x'` or `id=x`).
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let key_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=').unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = next;
            value
        } else {
            ""
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
}

/// `&amp;`, `&lt;`, `&#39;`, `&#x27;` and friends; an unknown entity stays as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map(|e| e + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') => {
                let entity = &rest[1..end];
                let c = match entity {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => entity.strip_prefix('#').and_then(|n| {
                        let code = match n.strip_prefix(['x', 'X']) {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => n.parse().ok(),
                        };
                        code.and_then(char::from_u32)
                    }),
                };
                c.map(|c| (c, end + 1))
            }
            Some(_) | None => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(heading: &str, anchor: &str, text: &str) -> Section {
        Section { heading: heading.into(), anchor: anchor.into(), text: text.into() }
    }

    #[test]
    fn text_is_split_at_headings_with_ids() {
        let html = "<p>Intro <em>text</em>.</p>\n<h2 id=\"first\">First &amp; <code>main</code> \
                    <a href=\"#first\" aria-labelledby=\"first\"></a></h2>\n\
                    <ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>\
                    <h3 id='second'>Second</h3><pre><code>let x = 1 &lt; 2;</code></pre>";
        assert_eq!(
            sections(html),
            [
                s("", "", "Intro text."),
                s("First & main", "first", "one two a b"),
                s("Second", "second", "let x = 1 < 2;")
            ]
        );
    }

    #[test]
    fn embedded_quizzes_scripts_and_comments_are_not_text() {
        let html = "<p>Before</p><form class=\"quiz\" data-quiz=\"q\"><legend>Prompt</legend></FORM>\
                    <script type=\"application/json\">{\"a\":1}</script><!-- note --><p>After</p>";
        assert_eq!(sections(html), [s("", "", "Before After")]);
    }

    #[test]
    fn empty_sections_are_dropped_and_a_heading_without_id_is_text() {
        assert_eq!(sections("<h2 id=\"a\">A</h2><p>x</p>"), [s("A", "a", "x")]);
        assert_eq!(sections("<h2>Plain</h2><p>x</p>"), [s("", "", "Plain x")]);
        assert!(sections("").is_empty());
    }

    #[test]
    fn white_space_is_collapsed_whatever_it_is() {
        for (text, expected) in [
            ("a b", "a b"),
            (" a  b\t\nc ", "a b c"),
            ("a\u{a0}b\u{2009}c\u{3000}d\u{85}e", "a b c d e"),
            ("“smart” quotes – dash…", "“smart” quotes – dash…"),
            ("   ", ""),
        ] {
            let want = if expected.is_empty() { vec![] } else { vec![s("", "", expected)] };
            assert_eq!(sections(text), want, "{text:?}");
            let other_space = text.chars().any(|c| c != ' ' && c.is_whitespace()) || text.contains("  ");
            assert_eq!(needs_collapsing(text.as_bytes()), other_space, "{text:?}");
        }
        for len in 2..30 {
            for at in 0..len - 1 {
                let mut text = "x".repeat(len);
                text.replace_range(at..at + 2, "  ");
                assert!(needs_collapsing(text.as_bytes()), "{text:?}");
                text.replace_range(at..at + 2, "\nx");
                assert!(needs_collapsing(text.as_bytes()), "{text:?}");
                // Single spaces, a smart quote among the words.
                let single: String = (0..len)
                    .map(|i| match i % 2 {
                        1 => ' ',
                        _ if i == at - at % 2 => '“',
                        _ => 'x',
                    })
                    .collect();
                assert!(!needs_collapsing(single.as_bytes()), "{single:?}");
                assert!(needs_collapsing(format!("{single}\u{a0}").as_bytes()), "{single:?}");
            }
        }
        for c in (0..=0x10ffff).filter_map(char::from_u32).filter(|c| !c.is_ascii()) {
            let text = format!("a{c}b");
            assert_eq!(needs_collapsing(text.as_bytes()), c.is_whitespace(), "{c:?}");
        }
        let mut to = String::from("x");
        push_plain(&mut to, " y z ");
        push_plain(&mut to, " w");
        assert_eq!(to, "x y z w");
    }

    #[test]
    fn broken_markup_does_not_lose_text_or_panic() {
        assert_eq!(sections("a < b and <b"), [s("", "", "a < b and <b")]);
        assert_eq!(sections("<p>x</p><script>never closed"), [s("", "", "x")]);
        assert_eq!(sections("AT&T &bogus; &#xZZ; &#128512; &"), [s("", "", "AT&T &bogus; &#xZZ; 😀 &")]);
        assert_eq!(sections("<h2 id=\"é&amp;\">T</h2>")[0].anchor, "é&");
    }
}
