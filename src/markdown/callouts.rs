//! Callouts in GitHub's alert syntax (`> [!NOTE]` …), with GitHub's markup, so that the same
//! file reads the same on a code host. The title's words come from the theme's
//! `partials/callout-title.html`, so a site can translate them.

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use super::{Events, Pass, Transform};

pub struct Callouts;

/// The kind's name in class names and in the title template.
pub fn kind_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// Every kind, for templates that list them.
pub const KINDS: [&str; 5] = ["note", "tip", "important", "warning", "caution"];

impl Transform for Callouts {
    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        // Every callout starts `[!KIND]`.
        if !pass.may_contain("[!") {
            return events;
        }
        Box::new(events.map(move |(event, range)| match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let name = kind_name(kind);
                let mut title = Vec::new();
                let _ = tera::escape_html(&pass.resolver.callout_title(name), &mut title);
                let html = format!(
                    "<div class=\"markdown-alert markdown-alert-{name}\" role=\"note\">\
                         <p class=\"markdown-alert-title\">{}</p>\n",
                    String::from_utf8_lossy(&title)
                );
                (Event::Html(html.into()), range)
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => (Event::Html("</div>\n".into()), range),
            other => (other, range),
        }))
    }
}
