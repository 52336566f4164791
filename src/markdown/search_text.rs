//! The text search indexes of a page, collected from the events as the HTML writer takes them,
//! so that the page's HTML is not scanned again for its words (docs/search.md).

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::search::Section;
use crate::search::extract::Collector;

/// Follows the events of one page's pass, after every step, into a [`Collector`]: text as it
/// is, markup as the HTML writer would write it (a block's tags part words, an inline element's
/// do not; a heading with an id starts a section).
#[derive(Default)]
pub struct SearchText {
    text: Collector,
    /// Consecutive HTML events (an HTML block comes one line an event), scanned together so that
    /// a tag written over several lines is read as one.
    html: String,
    /// How deep inside images: their text is alt text, an attribute, not text on the page.
    in_image: usize,
}

impl SearchText {
    pub fn event(&mut self, event: &Event) {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            if self.in_image == 0 {
                self.html.push_str(html);
            }
            return;
        }
        if !self.html.is_empty() {
            self.text.html(&self.html);
            self.html.clear();
        }
        match event {
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            _ if self.in_image > 0 => {}
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.text.text(text)
            }
            Event::Start(Tag::Heading { level, id: Some(id), .. }) => {
                self.text.start_heading(*level as u8, id)
            }
            Event::End(TagEnd::Heading(level)) => self.text.end_heading(*level as u8),
            Event::Start(tag) => {
                if !is_inline(tag) {
                    self.text.space()
                }
            }
            Event::End(tag) => {
                if !is_inline_end(*tag) {
                    self.text.space()
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule | Event::TaskListMarker(_) => self.text.space(),
            // The writer numbers footnotes; a number is not a word anyone searches for.
            Event::FootnoteReference(_) => {}
            Event::Html(_) | Event::InlineHtml(_) => unreachable!("taken above"),
        }
    }

    /// The page's sections (see [`crate::search::extract::sections`]).
    pub fn finish(mut self) -> Vec<Section> {
        if !self.html.is_empty() {
            self.text.html(&self.html);
        }
        self.text.finish()
    }
}

/// Whether the HTML writer writes `tag` as an inline element (its tags do not part words); an
/// HTML block's tags write nothing at all.
fn is_inline(tag: &Tag) -> bool {
    match tag {
        Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::Superscript
        | Tag::Subscript
        | Tag::Link { .. }
        | Tag::Image { .. }
        | Tag::HtmlBlock => true,
        Tag::Paragraph
        | Tag::Heading { .. }
        | Tag::BlockQuote(_)
        | Tag::CodeBlock(_)
        | Tag::List(_)
        | Tag::Item
        | Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::Table(_)
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::MetadataBlock(_) => false,
    }
}

/// [`is_inline`] for an end tag.
fn is_inline_end(tag: TagEnd) -> bool {
    match tag {
        TagEnd::Emphasis
        | TagEnd::Strong
        | TagEnd::Strikethrough
        | TagEnd::Superscript
        | TagEnd::Subscript
        | TagEnd::Link
        | TagEnd::Image
        | TagEnd::HtmlBlock => true,
        TagEnd::Paragraph
        | TagEnd::Heading(_)
        | TagEnd::BlockQuote(_)
        | TagEnd::CodeBlock
        | TagEnd::List(_)
        | TagEnd::Item
        | TagEnd::FootnoteDefinition
        | TagEnd::DefinitionList
        | TagEnd::DefinitionListTitle
        | TagEnd::DefinitionListDefinition
        | TagEnd::Table
        | TagEnd::TableHead
        | TagEnd::TableRow
        | TagEnd::TableCell
        | TagEnd::MetadataBlock(_) => false,
    }
}
