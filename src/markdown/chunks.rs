//! Big documents parsed a piece at a time. pulldown-cmark builds the block tree of its whole
//! input (~24 bytes per input byte) before it gives the first event, so a 50 MB page of list
//! items held a gigabyte however the steps after it stream. A document past [`CHUNK_BYTES`] is
//! cut at top-level block boundaries (and between the items of a top-level list) and each piece
//! gets a parser of its own, one at a time; the events are stitched into the stream a whole
//! parse gives, and the steps and the HTML writer never know.
//!
//! The cuts are proposed by a scan of the lines (outside fenced code and the raw HTML blocks
//! that may hold blank lines) and proven by the parser: each piece's parser also reads the first
//! line of the next piece, and a cut stands only if a top-level block, or an item of a top-level
//! list, starts exactly there. What a whole parse shares between blocks is made the same:
//!
//! - link reference definitions: collected from every piece first (pulldown-cmark's first pass,
//!   which is what [`Parser::reference_definitions`] reads) and given to the other pieces through
//!   the broken-link callback, whose `…Unknown` link types are mapped back;
//! - footnote definitions: a piece that mentions `[^` gets a stub definition of each footnote
//!   defined in another piece before its text, whose events are dropped;
//! - a list cut between items: the seam's `End(List)`/`Start(List)` pair is dropped, so it stays
//!   one list, and the pieces must agree on whether it is tight;
//! - the budget pulldown-cmark gives each parser for expanding link references.
//!
//! Anything not proven equal makes the caller parse the document whole again, so the output is
//! never different: at worst the memory is what a whole parse takes.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use unicase::UniCase;

use super::{Events, Spanned};

/// Documents longer than this are parsed in pieces of about this size. A piece's block tree is
/// then ~6 MB, about what the text of a big page and its HTML take anyway.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// More footnotes than this in a big document and it is parsed whole: every piece that refers
/// to footnotes gets a stub for each one defined elsewhere.
const MAX_STUBBED_FOOTNOTES: usize = 256;

/// One piece of the document. Its parser reads `text[start..window_end]`; its events are those
/// from `from` (where the piece before it stopped) up to `cut` (where the next one begins). The
/// parser reads the two lines after the cut too: to see that a block starts there, and which
/// (a line followed by `===` or a table's delimiter row is a heading or a table).
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    start: usize,
    from: usize,
    cut: usize,
    window_end: usize,
}

/// A link reference definition, as the whole parse would resolve its label.
struct RefDef {
    /// Where it is in the document (the same definition is seen by two pieces when it is on the
    /// line a piece's parser reads past its cut).
    at: usize,
    dest: String,
    title: String,
}

/// How a document is cut, with what each piece must be told of the others.
pub struct Plan<'t> {
    text: &'t str,
    options: Options,
    pieces: Vec<Piece>,
    refs: HashMap<UniCase<String>, RefDef>,
    /// A piece's text with stub footnote definitions before it, and their length.
    stubbed: Vec<Option<(String, usize)>>,
}

impl<'t> Plan<'t> {
    /// How `text` is parsed in pieces of about `chunk_bytes`, or `None` when it is parsed whole
    /// (short, no safe cut, or definitions that could not be shared exactly).
    pub fn new(text: &'t str, options: Options, chunk_bytes: usize) -> Option<Plan<'t>> {
        if text.len() <= chunk_bytes {
            return None;
        }
        let pieces = cut(text, chunk_bytes.max(1));
        if pieces.len() < 2 {
            return None;
        }
        let mut refs: HashMap<UniCase<String>, RefDef> = HashMap::new();
        // Each footnote label, as written, and the pieces whose parser sees its definition.
        let mut notes: HashMap<UniCase<String>, (String, HashSet<usize>)> = HashMap::new();
        for (i, piece) in pieces.iter().enumerate() {
            let window = &text[piece.start..piece.window_end];
            if !window.contains("]:") {
                continue;
            }
            let parser = Parser::new_ext(window, options);
            for (label, def) in parser.reference_definitions().iter() {
                let at = piece.start + def.span.start;
                let title = def.title.as_deref().unwrap_or("").to_string();
                match refs.entry(UniCase::new(label.to_string())) {
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(RefDef { at, dest: def.dest.to_string(), title });
                    }
                    // Defined twice: a whole parse takes the first, each piece its own.
                    std::collections::hash_map::Entry::Occupied(e) if e.get().at != at => return None,
                    std::collections::hash_map::Entry::Occupied(_) => {}
                }
            }
            if window.contains("[^") {
                for (event, _) in parser.into_offset_iter() {
                    if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                        let entry = notes
                            .entry(UniCase::new(label.to_string()))
                            .or_insert_with(|| (label.to_string(), HashSet::new()));
                        entry.1.insert(i);
                    }
                }
            }
        }
        if notes.len() > MAX_STUBBED_FOOTNOTES {
            return None;
        }
        let mut stubbed = vec![None; pieces.len()];
        for (i, piece) in pieces.iter().enumerate() {
            let window = &text[piece.start..piece.window_end];
            if !window.contains("[^") {
                continue;
            }
            let mut stubs = String::new();
            for (label, defined_in) in notes.values() {
                if defined_in.contains(&i) {
                    continue;
                }
                let plain = |c: char| !(c.is_whitespace() || c.is_control() || "[]\\^".contains(c));
                if label.is_empty() || !label.chars().all(plain) {
                    return None;
                }
                stubs.push_str(&format!("[^{label}]: x\n\n"));
            }
            if !stubs.is_empty() {
                let prefix = stubs.len();
                stubs.push_str(window);
                stubbed[i] = Some((stubs, prefix));
            }
        }
        Some(Plan { text, options, pieces, refs, stubbed })
    }

    /// How many pieces the document is parsed in.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    /// The document's events, piece after piece, with ranges in the whole text. When they cannot
    /// be proven equal to a whole parse's, `failed` is set and the events stop.
    pub fn events<'p>(&'p self, failed: Rc<Cell<bool>>) -> Events<'p> {
        Box::new(Stitched {
            plan: self,
            next: 0,
            current: None,
            failed,
            list: None,
            carried: None,
            expected: None,
            expansion: 0,
            queue: None,
        })
    }
}

/// The iterator over a plan's pieces.
struct Stitched<'p, 't> {
    plan: &'p Plan<'t>,
    next: usize,
    current: Option<Open<'p>>,
    failed: Rc<Cell<bool>>,
    /// The top-level list the events are in, if they are in one.
    list: Option<ListParts>,
    /// A list cut between items, which the next piece continues.
    carried: Option<ListParts>,
    /// The event a block cut was proven by, which must be the next piece's first: a block is
    /// read in the context of the lines before it (`7) x` after a paragraph is not a list).
    expected: Option<Event<'p>>,
    /// Bytes of link references expanded in the whole document so far.
    expansion: usize,
    /// An event held back for one that goes before it.
    queue: Option<Spanned<'p>>,
}

type Callback<'p> = Box<dyn FnMut(BrokenLink<'p>) -> Option<(CowStr<'p>, CowStr<'p>)> + 'p>;

/// The parser of the piece being read.
struct Open<'p> {
    events: pulldown_cmark::OffsetIter<'p, Callback<'p>>,
    /// What the parser reads.
    text: &'p str,
    piece: Piece,
    /// Bytes of stub definitions before the piece's text in what the parser reads.
    prefix: usize,
    last: bool,
    /// How many elements are open (of the whole document: a continued list counts).
    depth: usize,
    first: bool,
    /// Bytes of link references this parser expanded, and how many it may.
    expansion: usize,
    budget: usize,
}

/// What the parts of a top-level list (one per piece it spans) show of its tightness: a tight
/// list's items hold their text directly, a loose one's in paragraphs, and an item with neither
/// shows nothing. pulldown-cmark decides tightness per parser, so the parts of a list cut in two
/// may disagree. A tight part after a loose one is made loose (its items' runs of text put in
/// paragraphs, as a loose list's are); a tight part before a loose one, or before one that
/// shows nothing (it may be loose), cannot be undone: the document is parsed whole.
#[derive(Default)]
struct ListParts {
    ordered: bool,
    parts: usize,
    /// Some part was loose: the whole list is.
    loose: bool,
    /// Some part was passed on tight.
    tight: bool,
    unknown: bool,
    part_loose: bool,
    part_tight: bool,
    /// The current part is tight in its parser but loose in the whole list.
    loosening: bool,
    /// A paragraph was opened around a run of text in a loosened item.
    in_paragraph: bool,
}

impl ListParts {
    /// Closes the current part; false when the parts may not agree with the whole list.
    fn finish_part(&mut self) -> bool {
        self.parts += 1;
        match (self.part_loose, self.part_tight) {
            (true, false) => self.loose = true,
            (false, true) if self.loosening => {}
            (false, true) => self.tight = true,
            (false, false) => self.unknown = true,
            (true, true) => {
                self.loose = true;
                self.tight = true;
            }
        }
        self.part_loose = false;
        self.part_tight = false;
        self.loosening = self.loose;
        self.parts < 2 || !(self.tight && (self.loose || self.unknown))
    }
}

impl<'p, 't> Stitched<'p, 't> {
    fn open(&self, i: usize) -> Open<'p> {
        let plan = self.plan;
        let piece = plan.pieces[i].clone();
        let (text, prefix): (&'p str, usize) = match &plan.stubbed[i] {
            Some((text, prefix)) => (text.as_str(), *prefix),
            None => (&plan.text[piece.start..piece.window_end], 0),
        };
        let refs = &plan.refs;
        let callback: Option<Callback<'p>> = (!refs.is_empty()).then(|| {
            Box::new(move |link: BrokenLink<'p>| {
                let def = refs.get(&UniCase::new(link.reference.to_string()))?;
                Some((CowStr::from(def.dest.clone()), CowStr::from(def.title.clone())))
            }) as Callback<'p>
        });
        let events = Parser::new_with_broken_link_callback(text, plan.options, callback).into_offset_iter();
        Open {
            events,
            text,
            budget: (piece.window_end - piece.start).max(100_000),
            piece,
            prefix,
            last: i + 1 == plan.pieces.len(),
            depth: 0,
            first: true,
            expansion: 0,
        }
    }

    fn fail(&mut self) -> Option<Spanned<'p>> {
        self.failed.set(true);
        self.current = None;
        None
    }
}

impl<'p, 't> Iterator for Stitched<'p, 't> {
    type Item = Spanned<'p>;

    fn next(&mut self) -> Option<Spanned<'p>> {
        if let Some(queued) = self.queue.take() {
            return Some(queued);
        }
        loop {
            if self.failed.get() {
                return None;
            }
            if self.current.is_none() {
                if self.next == self.plan.pieces.len() {
                    return None;
                }
                self.current = Some(self.open(self.next));
                self.next += 1;
            }
            let open = self.current.as_mut().expect("opened above");
            let Some((mut event, range)) = open.events.next() else {
                if !open.last {
                    // The line after the cut was not the start of a block.
                    return self.fail();
                }
                self.current = None;
                continue;
            };
            if range.start < open.prefix {
                // A stub's range may take in the blank lines the piece starts with, no more.
                let beyond = open.text.get(open.prefix..range.end.max(open.prefix));
                if !beyond.is_some_and(|s| s.trim().is_empty()) {
                    return self.fail();
                }
                continue;
            }
            let range =
                range.start - open.prefix + open.piece.start..range.end - open.prefix + open.piece.start;
            if open.first {
                open.first = false;
                if open.piece.from > 0 && range.start != open.piece.from {
                    return self.fail();
                }
                if let Some(expected) = self.expected.take()
                    && expected != event
                {
                    return self.fail();
                }
                if let Some(list) = self.carried.take() {
                    // The list the piece before was cut in: its start is the seam's, dropped.
                    let Event::Start(Tag::List(start)) = &event else { return self.fail() };
                    if start.is_some() != list.ordered {
                        return self.fail();
                    }
                    self.list = Some(list);
                    open.depth = 1;
                    continue;
                }
            }
            if !open.last && range.start >= open.piece.cut {
                let at_cut = range.start == open.piece.cut;
                let block = at_cut && open.depth == 0 && matches!(event, Event::Start(_) | Event::Rule);
                let item = at_cut
                    && open.depth == 1
                    && self.list.is_some()
                    && matches!(event, Event::Start(Tag::Item));
                if block {
                    self.expected = Some(event);
                    self.current = None;
                    continue;
                }
                if item {
                    let mut list = self.list.take().expect("checked above");
                    if !list.finish_part() {
                        return self.fail();
                    }
                    self.carried = Some(list);
                    self.current = None;
                    continue;
                }
                return self.fail();
            }
            // The tightness the parts of a top-level list show, and a loosened part's paragraphs.
            let mut before = None;
            match (open.depth, &event) {
                (0, Event::Start(Tag::List(start))) => {
                    self.list = Some(ListParts { ordered: start.is_some(), ..Default::default() });
                }
                (1, Event::End(TagEnd::List(_))) => {
                    if let Some(mut list) = self.list.take()
                        && !list.finish_part()
                    {
                        return self.fail();
                    }
                }
                (2, event) => {
                    if let Some(list) = self.list.as_mut() {
                        match in_item(event) {
                            Some(Shows::Loose) => list.part_loose = true,
                            Some(Shows::Tight) => {
                                list.part_tight = true;
                                if list.loosening && !list.in_paragraph {
                                    list.in_paragraph = true;
                                    before = Some(Event::Start(Tag::Paragraph));
                                }
                            }
                            None if list.in_paragraph => {
                                list.in_paragraph = false;
                                before = Some(Event::End(TagEnd::Paragraph));
                            }
                            None => {}
                        }
                    }
                }
                _ => {}
            }
            match &event {
                Event::Start(_) => open.depth += 1,
                Event::End(_) => open.depth = open.depth.saturating_sub(1),
                _ => {}
            }
            if let Event::Start(
                Tag::Link { link_type, dest_url, title, .. } | Tag::Image { link_type, dest_url, title, .. },
            ) = &mut event
            {
                *link_type = known(*link_type);
                if matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut) {
                    // Each parser stops expanding references past a budget of its own: stay
                    // well within both, or the pieces might stop where the whole would not.
                    let bytes = dest_url.len() + title.len();
                    open.expansion += bytes;
                    self.expansion += bytes;
                    if 2 * open.expansion >= open.budget
                        || 2 * self.expansion >= self.plan.text.len().max(100_000)
                    {
                        return self.fail();
                    }
                }
            }
            if let Some(before) = before {
                self.queue = Some((event, range.clone()));
                return Some((before, range));
            }
            return Some((event, range));
        }
    }
}

/// A reference link's type as a whole parse reports it (one resolved through the broken-link
/// callback comes back as `…Unknown`).
fn known(link_type: LinkType) -> LinkType {
    match link_type {
        LinkType::ReferenceUnknown => LinkType::Reference,
        LinkType::CollapsedUnknown => LinkType::Collapsed,
        LinkType::ShortcutUnknown => LinkType::Shortcut,
        other @ (LinkType::Inline
        | LinkType::Reference
        | LinkType::Collapsed
        | LinkType::Shortcut
        | LinkType::Autolink
        | LinkType::Email
        | LinkType::WikiLink { .. }) => other,
    }
}

enum Shows {
    Loose,
    Tight,
}

/// What an event directly inside a list item shows of the list's tightness.
fn in_item(event: &Event) -> Option<Shows> {
    match event {
        Event::Start(Tag::Paragraph) => Some(Shows::Loose),
        Event::Start(
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. },
        )
        | Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => Some(Shows::Tight),
        Event::Start(
            Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
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
            | Tag::MetadataBlock(_),
        )
        | Event::End(_)
        | Event::Html(_)
        | Event::Rule => None,
    }
}

/// Cuts `text` into pieces of at least `chunk_bytes` (but the last), each ending where a line
/// may start a top-level block: after a blank line, a line at the margin that is not a list
/// marker or `[` (a definition gives no event to prove the cut by); or a list item at the margin.
/// Never inside a fenced code block or a raw HTML block that may hold blank lines (a line the
/// scan misjudges fails the proof, and the document is parsed whole).
fn cut(text: &str, chunk_bytes: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let (mut start, mut from) = (0, 0);
    let mut open: Option<Closer> = None;
    let mut previous_blank = true;
    let mut previous_start = 0;
    let mut at = 0;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let line = &text[at..end];
        if open.is_none() && at - from >= chunk_bytes && may_start_piece(line, previous_blank) {
            let window_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            pieces.push(Piece { start, from, cut: at, window_end });
            // A blank line before the cut is read again by the next parser, so that it starts
            // in the state the whole parse is in there (it marks lists loose).
            start = if previous_blank { previous_start } else { at };
            from = at;
        }
        open = match open {
            Some(closer) if closer.closes(line) => None,
            Some(closer) => Some(closer),
            None => Closer::opened_by(line),
        };
        previous_blank = line.trim().is_empty();
        previous_start = at;
        at = end;
    }
    pieces.push(Piece { start, from, cut: text.len(), window_end: text.len() });
    pieces
}

fn may_start_piece(line: &str, previous_blank: bool) -> bool {
    let Some(&first) = line.as_bytes().first() else { return false };
    if first.is_ascii_whitespace() {
        return false;
    }
    match list_marker(line) {
        Some(marker) => {
            let content = line[marker..].trim();
            let rule = line.trim().len() >= 3 && line.trim().chars().all(|c| " -*_".contains(c));
            !content.is_empty() && !rule
        }
        None => previous_blank && first != b'[',
    }
}

/// The length of a list item's marker at the start of `line` (`- `, `* `, `+ `, `1. `, `2) `).
fn list_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) => digits + 1,
        _ => return None,
    };
    match bytes.get(marker) {
        None | Some(b' ' | b'\t' | b'\n' | b'\r') => Some(marker),
        Some(_) => None,
    }
}

/// What ends a block that may hold blank lines.
#[derive(Clone, Copy)]
enum Closer {
    /// A code fence of this character, at least this long.
    Fence(u8, usize),
    /// A raw HTML block (CommonMark's kinds 1 to 5), ended by a line containing this.
    Html(&'static str),
}

impl Closer {
    fn opened_by(line: &str) -> Option<Closer> {
        let indent = line.bytes().take(4).take_while(|b| *b == b' ').count();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        if let Some(&c @ (b'`' | b'~')) = rest.as_bytes().first() {
            let n = rest.bytes().take_while(|b| *b == c).count();
            if n >= 3 && !(c == b'`' && rest[n..].contains('`')) {
                return Some(Closer::Fence(c, n));
            }
            return None;
        }
        let lower = rest.get(..rest.len().min(16)).unwrap_or(rest).to_ascii_lowercase();
        let end = ["script", "pre", "style", "textarea"]
            .iter()
            .zip(["</script>", "</pre>", "</style>", "</textarea>"])
            .find(|(name, _)| {
                lower
                    .strip_prefix('<')
                    .and_then(|l| l.strip_prefix(**name))
                    .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t', '>', '\n', '\r']))
            })
            .map(|(_, end)| end)
            .or_else(|| {
                if lower.starts_with("<!--") {
                    Some("-->")
                } else if lower.starts_with("<?") {
                    Some("?>")
                } else if lower.starts_with("<![cdata[") {
                    Some("]]>")
                } else if lower.starts_with("<!")
                    && lower.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic)
                {
                    Some(">")
                } else {
                    None
                }
            })?;
        let closer = Closer::Html(end);
        // The end may be on the opening line itself (after the opening tag).
        let after_open = rest.get(2..).unwrap_or("");
        if closer.closes(after_open) { None } else { Some(closer) }
    }

    fn closes(self, line: &str) -> bool {
        match self {
            Closer::Fence(c, n) => {
                let indent = line.bytes().take(4).take_while(|b| *b == b' ').count();
                if indent > 3 {
                    return false;
                }
                let rest = &line[indent..];
                let run = rest.bytes().take_while(|b| *b == c).count();
                run >= n && rest[run..].trim().is_empty()
            }
            Closer::Html(end) => line.to_ascii_lowercase().contains(end),
        }
    }
}

#[cfg(test)]
mod tests;
