//! Text inside raw HTML elements that hold code, not prose (`<script>`, `<style>`, `<code>`,
//! `<pre>`, `<kbd>`, `<samp>`, `<textarea>`): smart punctuation must not reach it. pulldown-cmark
//! smartens the text between inline HTML tags like any other, so an inline
//! `<script>var a = 'x'</script>` came out as `var a = ‘x’` and broke the script. This step gives
//! each smart quote, dash or ellipsis inside such an element its source characters back.

use pulldown_cmark::Event;

use super::{Events, Pass, Transform};

/// Raw HTML elements whose text is code.
const LITERAL_ELEMENTS: [&str; 7] = ["script", "style", "code", "pre", "kbd", "samp", "textarea"];

pub struct LiteralHtml;

impl Transform for LiteralHtml {
    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        // Without `<` there is no HTML, so nothing is ever open.
        if !pass.may_contain("<") {
            return events;
        }
        let body = &pass.doc.text[pass.doc.body_start..];
        let mut open = 0usize;
        Box::new(events.map(move |(event, range)| match &event {
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                for name in LITERAL_ELEMENTS {
                    let opened = count_tags(&lower, &format!("<{name}"));
                    open = (open + opened).saturating_sub(count_tags(&lower, &format!("</{name}")));
                }
                (event, range)
            }
            // Smart punctuation gives each quote, dash or ellipsis an event of its own.
            Event::Text(text) if open > 0 && matches!(&**text, "‘" | "’" | "“" | "”" | "–" | "—" | "…") => {
                match body.get(range.clone()) {
                    Some(source @ ("'" | "\"" | "--" | "---" | "...")) => {
                        (Event::Text(source.to_string().into()), range)
                    }
                    _ => (event, range),
                }
            }
            _ => (event, range),
        }))
    }
}

/// How many tags in `html` start with `prefix` (`<code` but not `<codex`).
fn count_tags(html: &str, prefix: &str) -> usize {
    html.match_indices(prefix)
        .filter(|(at, _)| {
            html[at + prefix.len()..].chars().next().is_none_or(|c| c == '>' || c == '/' || c.is_whitespace())
        })
        .count()
}
