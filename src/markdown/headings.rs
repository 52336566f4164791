//! Heading ids (unique per page, or the author's `{#id}`), the table of contents, and the `#`
//! link beside each heading.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::{Events, Pass, TocEntry, Transform, plain_text, rewrite_each};

pub struct Headings;

impl Transform for Headings {
    /// A snippet's headings get no ids: they would clash with the page's.
    fn on_fragments(&self) -> bool {
        false
    }

    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        let mut ids = UniqueIds::default();
        rewrite_each(events, move |(event, range), rest, queue| {
            let Event::Start(Tag::Heading { level, id, classes, attrs }) = event else {
                if let Event::Start(Tag::FootnoteDefinition(name)) = &event {
                    pass.out().anchors.insert(name.to_string());
                }
                queue.push_back((event, range));
                return;
            };
            // The heading's text gives its id, which its start carries: it is held until its end.
            let mut inner = Vec::new();
            let mut end = None;
            for (e, r) in rest.by_ref() {
                if matches!(e, Event::End(TagEnd::Heading(_))) {
                    end = Some((e, r));
                    break;
                }
                inner.push((e, r));
            }
            let title = plain_text(inner.iter().map(|(e, _)| e));
            let unique = ids.claim(id.as_ref().map_or_else(|| slugify(&title), |id| id.to_string()));
            pass.out().anchors.insert(unique.clone());
            pass.out().toc.push(TocEntry {
                level: heading_number(level),
                id: unique.clone(),
                title,
                offset: pass.doc.body_start + range.start,
            });
            queue.push_back((
                Event::Start(Tag::Heading { level, id: Some(unique.clone().into()), classes, attrs }),
                range.clone(),
            ));
            queue.extend(inner);
            if pass.config.heading_anchors {
                // The heading names the link; the `#` glyph comes from CSS, so nothing is read twice.
                // No class: the theme finds it as a heading's `a[aria-labelledby]` (on a big site
                // every byte here is paid once per heading of every page).
                let anchor = format!(r##" <a href="#{unique}" aria-labelledby="{unique}"></a>"##);
                queue.push_back((Event::InlineHtml(anchor.into()), range.clone()));
            }
            queue.push_back(end.unwrap_or((Event::End(TagEnd::Heading(level)), range)));
        })
    }
}

/// Ids taken so far on a page; a repeated one gets the first free `-N` suffix.
#[derive(Default)]
struct UniqueIds {
    /// Every id given out, and for each base the next suffix to try, so that a page of
    /// thousands of equal headings does not rescan from `-1` each time.
    next_suffix: HashMap<String, usize>,
}

impl UniqueIds {
    fn claim(&mut self, base: String) -> String {
        if !self.next_suffix.contains_key(&base) {
            self.next_suffix.insert(base.clone(), 1);
            return base;
        }
        let mut n = self.next_suffix[&base];
        let candidate = loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.next_suffix.contains_key(&candidate) {
                break candidate;
            }
        };
        self.next_suffix.insert(base, n);
        self.next_suffix.insert(candidate.clone(), 1);
        candidate
    }
}

/// A heading's text as an id: lower case, letters and digits kept, runs of anything else as `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() && c != '\'' && c != '’' {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "section".into() } else { slug }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_get_the_first_free_suffix() {
        let mut ids = UniqueIds::default();
        let got: Vec<String> =
            ["a", "a", "a-1", "a", "b", "a-3"].iter().map(|b| ids.claim(b.to_string())).collect();
        assert_eq!(got, ["a", "a-1", "a-1-1", "a-2", "b", "a-3"]);
    }

    #[test]
    fn twenty_thousand_equal_headings_get_distinct_ids() {
        let mut ids = UniqueIds::default();
        let got: std::collections::HashSet<String> = (0..20_000).map(|_| ids.claim("a".into())).collect();
        assert_eq!(got.len(), 20_000);
    }
}
