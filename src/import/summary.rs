//! mdBook's `SUMMARY.md`: the book's chapters in reading order.
//!
//! The grammar is mdBook's (guide, "SUMMARY.md"): an optional `# Title`; prefix chapters (plain
//! links, not nested); numbered chapters in lists (`-` or `*`, nested by indentation), broken into
//! parts by `# Part title` headings; suffix chapters (plain links again); `---` separators
//! anywhere; and draft chapters, whose link has no target (`[Title]()`). Like mdBook, it reads the
//! file with pulldown-cmark, so whatever CommonMark calls a list or a link, this does too.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::diagnostic::Diagnostic;

/// Where a chapter sits in the book, as mdBook numbers and shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Before the numbered chapters: not numbered, not nested.
    Prefix,
    /// In a list: numbered (`3.1.`), possibly nested.
    Numbered,
    /// After the numbered chapters.
    Suffix,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// The link text, as plain text (mdBook drops the styling too).
    pub title: String,
    /// The file, relative to the book's `src` folder; `None` for a draft chapter.
    pub path: Option<String>,
    pub placement: Placement,
    /// `[3, 1]` for chapter 3.1; empty for prefix and suffix chapters.
    pub number: Vec<u32>,
    /// 1-based line of the link in SUMMARY.md.
    pub line: usize,
}

impl Chapter {
    /// `3.1.`, as mdBook prints it, or "" for unnumbered chapters.
    pub fn number_label(&self) -> String {
        self.number.iter().map(|n| format!("{n}.")).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A `# Part title` heading: the numbered chapters after it belong to that part.
    Part {
        title: String,
        line: usize,
    },
    Chapter(Chapter),
    /// `---`: a line in mdBook's sidebar, nothing in the text.
    Separator,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The `# Title` at the top, which mdBook ignores.
    pub title: Option<String>,
    /// Parts, chapters and separators in SUMMARY order, nested chapters right after their parent.
    pub items: Vec<Item>,
}

/// Parses `SUMMARY.md`. Problems (a list item that is not a link, say) are reported, and the
/// rest is still read: the aim is to import what is there, not to stop at the first oddity.
pub fn parse(summary_path: &str, text: &str) -> (Summary, Vec<Diagnostic>) {
    let mut summary = Summary::default();
    let mut problems = Vec::new();
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;

    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new(text).into_offset_iter().collect();
    let mut i = 0;
    // The title is the first thing in the file (HTML comments aside), if it is an h1.
    while i < events.len() && matches!(events[i].0, Event::Html(_)) {
        i += 1;
    }
    if let Some((Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }), _)) = events.get(i) {
        let (title, end) = collect_text(&events, i + 1, |e| matches!(e, Event::End(TagEnd::Heading(_))));
        summary.title = Some(title);
        i = end + 1;
    }

    let mut seen_numbered = false;
    // Per list depth (1 = top level): the number of the last chapter at that depth.
    let mut numbers: Vec<u32> = Vec::new();
    let mut list_depth = 0usize;
    // Whether the list item open at each depth already had its link.
    let mut item_has_link: Vec<bool> = Vec::new();
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if list_depth == 0 => {
                let (title, end) =
                    collect_text(&events, i + 1, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                summary.items.push(Item::Part { title, line: line_of(range.start) });
                seen_numbered = true;
                i = end;
            }
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                seen_numbered = true;
                numbers.resize(list_depth, 0);
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                numbers.truncate(list_depth.max(1));
                if list_depth == 0 {
                    // mdBook keeps counting top-level chapters across lists and parts.
                    numbers.resize(1, 0);
                }
            }
            Event::Start(Tag::Item) => {
                item_has_link.resize(list_depth, false);
                if let Some(last) = item_has_link.last_mut() {
                    *last = false;
                }
            }
            Event::End(TagEnd::Item) => {
                if item_has_link.get(list_depth.wrapping_sub(1)) == Some(&false) {
                    problems.push(
                        Diagnostic::warning(
                            summary_path,
                            "this list item is not a link to a chapter; it was skipped",
                        )
                        .at_offset(text, range.start, 1)
                        .with_hint(
                            "each item in SUMMARY.md is `- [Title](file.md)`, or `- [Title]()` for a draft",
                        ),
                    );
                }
                item_has_link.truncate(list_depth.saturating_sub(1));
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let (title, end) = collect_text(&events, i + 1, |e| matches!(e, Event::End(TagEnd::Link)));
                let target = dest_url.replace("%20", " ");
                let line = line_of(range.start);
                let path = (!target.trim().is_empty()).then(|| target.trim().to_string());
                if list_depth > 0 {
                    let already = item_has_link.get(list_depth - 1).copied().unwrap_or(true);
                    if already {
                        problems.push(
                            Diagnostic::warning(
                                summary_path,
                                "a second link in one SUMMARY item was skipped",
                            )
                            .at_offset(text, range.start, range.len())
                            .with_hint("give each chapter its own list item"),
                        );
                        i = end + 1;
                        continue;
                    }
                    if let Some(flag) = item_has_link.get_mut(list_depth - 1) {
                        *flag = true;
                    }
                    numbers.resize(list_depth, 0);
                    numbers[list_depth - 1] += 1;
                    summary.items.push(Item::Chapter(Chapter {
                        title,
                        path,
                        placement: Placement::Numbered,
                        number: numbers.clone(),
                        line,
                    }));
                } else {
                    let placement = if seen_numbered { Placement::Suffix } else { Placement::Prefix };
                    summary.items.push(Item::Chapter(Chapter {
                        title,
                        path,
                        placement,
                        number: Vec::new(),
                        line,
                    }));
                }
                i = end;
            }
            Event::Rule => summary.items.push(Item::Separator),
            _ => {}
        }
        i += 1;
    }
    (summary, problems)
}

/// The plain text of events from `start` up to the first matching `end`, and that end's index.
fn collect_text(
    events: &[(Event, std::ops::Range<usize>)],
    start: usize,
    is_end: impl Fn(&Event) -> bool,
) -> (String, usize) {
    let mut text = String::new();
    let mut i = start;
    while i < events.len() && !is_end(&events[i].0) {
        match &events[i].0 {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
        i += 1;
    }
    (text.trim().to_string(), i.min(events.len().saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapters(s: &Summary) -> Vec<(String, Option<String>, Placement, String)> {
        s.items
            .iter()
            .filter_map(|i| match i {
                Item::Chapter(c) => Some((c.title.clone(), c.path.clone(), c.placement, c.number_label())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_form_in_order() {
        let src = "# Summary\n\n[Intro](intro.md)\n\n---\n\n# Part One\n\n- [First](first.md)\n  - [Nested `code`](dir/nested.md)\n    - [Deeper](dir/deeper.md)\n- [Draft]()\n\n# Part Two\n\n* [Second](second.md)\n\n---\n\n[Thanks](thanks.md)\n";
        let (s, problems) = parse("SUMMARY.md", src);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.title.as_deref(), Some("Summary"));
        let p = |t: &str, path: Option<&str>, pl, n: &str| {
            (t.to_string(), path.map(str::to_string), pl, n.to_string())
        };
        assert_eq!(
            chapters(&s),
            vec![
                p("Intro", Some("intro.md"), Placement::Prefix, ""),
                p("First", Some("first.md"), Placement::Numbered, "1."),
                p("Nested code", Some("dir/nested.md"), Placement::Numbered, "1.1."),
                p("Deeper", Some("dir/deeper.md"), Placement::Numbered, "1.1.1."),
                p("Draft", None, Placement::Numbered, "2."),
                p("Second", Some("second.md"), Placement::Numbered, "3."),
                p("Thanks", Some("thanks.md"), Placement::Suffix, ""),
            ]
        );
        let parts: Vec<_> = s
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Part { title, line } => Some((title.as_str(), *line)),
                _ => None,
            })
            .collect();
        assert_eq!(parts, [("Part One", 7), ("Part Two", 14)]);
        assert_eq!(s.items.iter().filter(|i| matches!(i, Item::Separator)).count(), 2);
    }

    #[test]
    fn a_list_item_without_a_link_is_reported_and_skipped() {
        let (s, problems) = parse("SUMMARY.md", "- [A](a.md)\n- just text\n- [B](b.md)\n");
        assert_eq!(chapters(&s).len(), 2);
        assert_eq!(chapters(&s)[1].3, "2.");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location.as_ref().unwrap().line, 2);
    }
}
