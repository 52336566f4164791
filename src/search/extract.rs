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
    let mut out = vec![Section::default()];
    // Some(level) while inside a heading's start and end tag.
    let mut in_heading: Option<u8> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(current(&mut out, in_heading), rest);
            break;
        };
        push_text(current(&mut out, in_heading), &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone `<` is text (pulldown-cmark escapes it, but raw HTML may hold one).
            push_text(current(&mut out, in_heading), rest);
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
            let end = format!("</{name}");
            rest = find_ignoring_case(rest, &end).map_or("", |at| {
                let after = &rest[at..];
                after.find('>').map_or("", |gt| &after[gt + 1..])
            });
            continue;
        }
        let heading_level = match name.as_bytes() {
            [b'h' | b'H', d @ b'1'..=b'6'] => Some(d - b'0'),
            _ => None,
        };
        match (heading_level, closing) {
            (Some(level), false) => {
                if let Some(id) = attribute(&name_and_attrs[name_end..], "id") {
                    out.push(Section { anchor: decode_entities(id), ..Section::default() });
                    in_heading = Some(level);
                    continue;
                }
            }
            (Some(level), true) if in_heading == Some(level) => {
                in_heading = None;
                continue;
            }
            (Some(_), true) | (None, _) => {}
        }
        if !is_inline(lower) {
            push_text(current(&mut out, in_heading), " ");
        }
    }
    out.retain_mut(|s| {
        for text in [&mut s.heading, &mut s.text] {
            if text.ends_with(' ') {
                text.pop();
            }
        }
        !(s.heading.is_empty() && s.text.is_empty())
    });
    out
}

/// Where text goes now: the current heading's title, or its section's text.
fn current(out: &mut [Section], in_heading: Option<u8>) -> &mut String {
    let last = out.last_mut().expect("there is always a first section");
    if in_heading.is_some() { &mut last.heading } else { &mut last.text }
}

/// Appends `text` with runs of white space as one space (a leading one only after other text;
/// [`sections`] trims the last).
fn push_text(to: &mut String, text: &str) {
    let decoded;
    let text = if text.contains('&') {
        decoded = decode_entities(text);
        decoded.as_str()
    } else {
        text
    };
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
                    <a class=\"anchor\" href=\"#first\" aria-labelledby=\"first\"></a></h2>\n\
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
    fn broken_markup_does_not_lose_text_or_panic() {
        assert_eq!(sections("a < b and <b"), [s("", "", "a < b and <b")]);
        assert_eq!(sections("<p>x</p><script>never closed"), [s("", "", "x")]);
        assert_eq!(sections("AT&T &bogus; &#xZZ; &#128512; &"), [s("", "", "AT&T &bogus; &#xZZ; 😀 &")]);
        assert_eq!(sections("<h2 id=\"é&amp;\">T</h2>")[0].anchor, "é&");
    }
}
