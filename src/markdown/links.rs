//! Links to other content files, written as relative source paths: rewritten to site URLs, and
//! recorded so that their anchors can be checked once every page is rendered.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use super::{Events, LinkRef, Pass, Transform};

pub struct Links;

impl Transform for Links {
    fn run<'a>(&self, events: Events<'a>, pass: &'a Pass<'a>) -> Events<'a> {
        Box::new(events.map(move |(event, range)| (rewrite(event, range.clone(), pass), range)))
    }
}

fn rewrite<'e>(event: Event<'e>, range: std::ops::Range<usize>, pass: &Pass) -> Event<'e> {
    let Event::Start(Tag::Link { link_type, dest_url, title, id }) = event else {
        return event;
    };
    let keep =
        |dest_url| Event::Start(Tag::Link { link_type, dest_url, title: title.clone(), id: id.clone() });
    if matches!(link_type, LinkType::Email | LinkType::Autolink) || is_external(&dest_url) {
        return keep(dest_url);
    }
    let (file, anchor) = dest_url.split_once('#').unwrap_or((&dest_url, ""));
    let offset = pass.doc.body_start + range.start;
    let len = range.len();
    if file.is_empty() {
        pass.out().links.push(LinkRef { target: PathBuf::new(), anchor: anchor.to_string(), offset, len });
        return keep(dest_url);
    }
    let looks_like_source = [".md", ".yaml", ".yml"].iter().any(|ext| file.ends_with(ext));
    if !looks_like_source || file.starts_with('/') {
        return keep(dest_url);
    }
    let decoded = percent_decode(file);
    match pass.resolver.source_url(pass.doc.path, &decoded) {
        Some((target, url)) => {
            pass.out().links.push(LinkRef { target, anchor: anchor.to_string(), offset, len });
            let url = if anchor.is_empty() { url } else { format!("{url}#{anchor}") };
            keep(CowStr::from(url))
        }
        None => {
            let message = format!("link to a missing file: {file}");
            let hint = format!(
                "links are relative to {}; check the file name, or that the page is not a draft",
                pass.doc.path.parent().unwrap_or(Path::new("")).display()
            );
            pass.error(range, message, hint);
            keep(dest_url)
        }
    }
}

/// Whether a link leaves the site: a scheme (`https:`, `mailto:`) or a protocol-relative `//`.
pub(crate) fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// `%20` and the like decoded; malformed escapes are kept as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
