//! The index: terms sorted and cut into shards of about [`SHARD_TARGET_BYTES`], each term with
//! delta-encoded postings, plus small fragment files (titles, URLs, and the pages' text in chunks)
//! that the browser fetches only for the results it shows. docs/search.md is the format's
//! reference; the theme's search.js is its reader.
//!
//! Pages are analysed in parallel, in groups of [`PAGES_PER_FRAGMENT`] ([`Postings::add_group`],
//! which the renderer calls as soon as a group's pages are rendered): each group's fragment file
//! is written at once, and its terms go straight into the postings of the thread that read it,
//! already encoded as the shards store them. So no page's text outlives its group, and the
//! index's memory is about its size on disk, whatever the number of words read.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{Key, Stemming, for_each_key, short_text};
use super::{DIR, File, Page};

/// Version of the files below; the search script refuses another.
pub const FORMAT: u32 = 2;

/// A shard is closed once its terms take this many bytes: small enough that a query for a rare
/// word fetches little, big enough that the manifest listing the shards stays small.
pub const SHARD_TARGET_BYTES: usize = 8 * 1024;

/// A section's text is cut into chunks of at most this many bytes (at a word boundary), so that a
/// result's snippet comes from a small piece of text wherever the match is.
pub const CHUNK_BYTES: usize = 1000;

/// A page's first chunks are in its group's fragment file; the rest are written in files of
/// this many chunks each (`f/PAGE.1.json` chunks 32–63, …), so a huge page costs a reader no
/// more than a normal one.
pub const CHUNKS_PER_FRAGMENT: usize = 32;

/// Pages `N·4` to `N·4 + 3` share the fragment file `f/N.json`. Creating a file costs the build
/// more than writing its bytes (10,021 files were a third of the index's cost on the 10k corpus);
/// four pages a file cut that by three quarters, while a query showing 8 results still fetches
/// well under SPEC §2.2's 300 KB (docs/search.md, Cost).
pub const PAGES_PER_FRAGMENT: usize = 4;

/// Posting weight bits: the term is in the page's title, in one of its headings.
const IN_TITLE: u32 = 0b10;
const IN_HEADING: u32 = 0b01;

/// `search/index.json`: what the script fetches first.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    /// How many pages; page ids are `0..pages`.
    pub pages: usize,
    /// Whether terms are grouped by English stem.
    pub stemmed: bool,
    /// The first term of each shard, in order; shard `i` is `s/i.bin`. The first is always `""`.
    pub shards: Vec<String>,
    /// See [`CHUNKS_PER_FRAGMENT`].
    pub chunks_per_fragment: usize,
    /// See [`PAGES_PER_FRAGMENT`].
    pub pages_per_fragment: usize,
}

/// One page's title, URL and chunks of text: an entry of `search/f/GROUP.json` (its first
/// chunks), or the whole of `search/f/PAGE.N.json` (chunks from `32·N` on).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Fragment<'a> {
    pub url: Cow<'a, str>,
    pub title: Cow<'a, str>,
    /// Index of the first chunk in this file.
    pub first: usize,
    pub chunks: Vec<Chunk<'a>>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// The heading the text sits under, and its id; both empty before the first heading.
    pub heading: Cow<'a, str>,
    pub anchor: Cow<'a, str>,
    pub text: Cow<'a, str>,
}

/// One page in one term's postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    page: u32,
    /// `tf << 2 | IN_TITLE | IN_HEADING`; tf counts the term in headings and text, not the title.
    weight: u32,
    /// The chunk to show: where the term is in a heading, else where it first occurs.
    chunk: u32,
}

/// One term of the index.
#[derive(Debug, Clone)]
struct Term {
    text: Box<str>,
    stem: Box<str>,
    /// How many postings `encoded` holds.
    count: u32,
    /// The postings as the shard stores them (docs/search.md).
    encoded: Vec<u8>,
}

impl Term {
    /// What it adds to its shard, roughly (the exact figure does not matter, only that a clean
    /// build and an edited index compute the same one).
    fn size(&self) -> usize {
        self.text.len() + self.encoded.len() + 8
    }

    fn postings(&self) -> Vec<Posting> {
        decode_postings(&self.encoded, self.count)
    }

    fn set_postings(&mut self, postings: &[Posting]) {
        self.count = postings.len() as u32;
        self.encoded = encode_postings(postings);
    }
}

/// What an edit changes in the output: files to write, and files to delete (the chunk files of
/// a page that has fewer chunks than it had).
#[derive(Debug, Default)]
pub struct Changes {
    pub write: Vec<File>,
    pub remove: Vec<String>,
}

/// The whole index in memory, so that the dev server can replace one page and rewrite only the
/// files that changed ([`Index::replace_page`]). Every file is a function of the pages' text
/// alone, so an edited index writes exactly what a clean build of the same pages would. What it
/// holds is about the size of its shards on disk: the terms and their encoded postings.
pub struct Index {
    stemming: Stemming,
    pages: usize,
    /// Sorted by text (byte order, which is code point order).
    terms: Vec<Term>,
    /// The shards as last written: the range of `terms` each holds.
    shards: Vec<Range<usize>>,
    /// The manifest as last written.
    manifest: Vec<u8>,
    /// How many fragment files each page has past its group's (`f/PAGE.N.json`); most have none.
    extra_parts: HashMap<u32, u32>,
}

/// The files of the index for `pages` (page id = position), as (output path, bytes).
pub fn build(pages: &[Page], language: &str) -> Vec<File> {
    let files = Mutex::new(Vec::new());
    Index::new(pages, language, &|file| {
        files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(file)
    });
    files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Index {
    /// Indexes `pages` (page id = position), in parallel, and hands every file to `write` as soon
    /// as it is made. (The renderer does the same with [`Postings::add_group`] as it renders.)
    pub fn new(pages: &[Page], language: &str, write: &(dyn Fn(File) + Sync)) -> Index {
        let postings = pages
            .par_chunks(PAGES_PER_FRAGMENT)
            .enumerate()
            .with_min_len(16)
            .fold(Postings::default, |mut postings, (group, pages)| {
                postings.add_group(group, pages, write);
                postings
            })
            .reduce(Postings::default, Postings::merge);
        Index::from_postings(postings, pages.len(), language, write)
    }

    /// The index of `pages` pages whose every group went into `postings` (in page order), its
    /// shards and manifest handed to `write`.
    pub fn from_postings(
        postings: Postings,
        pages: usize,
        language: &str,
        write: &(dyn Fn(File) + Sync),
    ) -> Index {
        let stemming = Stemming::for_language(language);
        let Postings { short, long, lists, extra_parts, .. } = postings;
        let mut lists: Vec<Option<List>> = lists.into_iter().map(Some).collect();
        let mut named: Vec<(Box<str>, List)> = Vec::with_capacity(lists.len());
        for (key, id) in short {
            named.push((short_text(key).into(), lists[id as usize].take().expect("one key a list")));
        }
        for (text, id) in long {
            named.push((text, lists[id as usize].take().expect("one key a list")));
        }
        drop(lists);
        let mut terms: Vec<Term> = named
            .into_par_iter()
            .map(|(text, list)| {
                let stem = stemming.stem(&text).into();
                Term { text, stem, count: list.count, encoded: list.bytes }
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.text.cmp(&b.text));
        let mut index = Index {
            stemming,
            pages,
            terms,
            shards: Vec::new(),
            manifest: Vec::new(),
            extra_parts: extra_parts.into_iter().collect(),
        };
        index.shards = index.cut_shards();
        index.manifest = index.encode_manifest();
        write((written_path(0), index.manifest.clone()));
        index.shards.par_iter().enumerate().for_each(|(i, range)| {
            write((written_path(i + 1), encode_shard(&index.terms[range.clone()])));
        });
        index
    }

    /// The terms of each shard: a shard is closed once it holds [`SHARD_TARGET_BYTES`].
    fn cut_shards(&self) -> Vec<Range<usize>> {
        let mut shards = Vec::new();
        let mut start = 0;
        let mut size = 0;
        for (i, term) in self.terms.iter().enumerate() {
            if size >= SHARD_TARGET_BYTES {
                shards.push(start..i);
                start = i;
                size = 0;
            }
            size += term.size();
        }
        shards.push(start..self.terms.len());
        shards
    }

    fn encode_manifest(&self) -> Vec<u8> {
        // The first shard starts at "" so that every term has one, even one sorting first.
        let starts = self.shards.iter().enumerate().map(|(i, r)| match i {
            0 => String::new(),
            _ => self.terms[r.start].text.to_string(),
        });
        let manifest = Manifest {
            format: FORMAT,
            pages: self.pages,
            stemmed: self.stemming.is_on(),
            shards: starts.collect(),
            chunks_per_fragment: CHUNKS_PER_FRAGMENT,
            pages_per_fragment: PAGES_PER_FRAGMENT,
        };
        serde_json::to_vec(&manifest).expect("a manifest is always serialisable")
    }

    /// Replaces the text of page `id` with `edited` (same URL, new text) and gives the files that
    /// changed: its group's fragment file, its own chunk files, the shards holding a term it had
    /// or has (and those after them, if the shards' limits moved), and the chunk files it no
    /// longer has. `read` gives an index file as written before: the terms the page had are read
    /// back from its fragments (they hold all of its text), and the other pages' entries of its
    /// group's file are kept (their text is not kept in memory). When its group's file cannot be
    /// read, nothing is changed and that is the error.
    pub fn replace_page(
        &mut self,
        id: usize,
        edited: &Page,
        read: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> Result<Changes, String> {
        let page_id = id as u32;
        let group_id = id / PAGES_PER_FRAGMENT;
        let group_bytes_before = read(&group_path(group_id));
        let mut entries: Vec<Fragment> = group_bytes_before
            .as_deref()
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
            .filter(|e: &Vec<Fragment>| e.len() == group_pages(group_id, self.pages).len())
            .ok_or_else(|| format!("cannot read {} as the index wrote it", group_path(group_id)))?;
        // The page as it was: its first fragment, then its chunk files.
        let had_parts = self.extra_parts.get(&page_id).copied().unwrap_or(0);
        let mut before = entries[id % PAGES_PER_FRAGMENT].clone();
        for part in 1..=had_parts as usize {
            let path = fragment_path(id, part);
            let more: Fragment = read(&path)
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .ok_or_else(|| format!("cannot read {path} as the index wrote it"))?;
            before.chunks.extend(more.chunks);
        }
        let mut old = Postings::default();
        old.add_chunks(page_id, &before.title, &before.chunks);
        let chunks = chunks(edited);
        let mut new = Postings::default();
        new.add_chunks(page_id, &edited.title, &chunks);

        // Every term the page had or has, with its posting now (None: the page no longer has it).
        let mut now: HashMap<Box<str>, Posting> = new.into_single_page().into_iter().collect();
        let mut edits: Vec<(Box<str>, Option<Posting>)> = old
            .into_single_page()
            .into_iter()
            .map(|(text, _)| {
                let posting = now.remove(&text);
                (text, posting)
            })
            .collect();
        edits.extend(now.into_iter().map(|(text, posting)| (text, Some(posting))));
        edits.sort_unstable_by(|a, b| a.0.cmp(&b.0));

        // Apply them in one pass over the sorted terms: postings changed in place, new terms
        // merged in, terms no page has any more dropped (a stale word must not find this page).
        // The shards' first terms as written, read while the shards' ranges still index these terms:
        // once terms are dropped, a range may point past the end.
        let before: Vec<Box<str>> = self.shard_starts();
        let mut terms = Vec::with_capacity(self.terms.len() + edits.len());
        let mut changed: Vec<Box<str>> = Vec::with_capacity(edits.len());
        let mut old_terms = std::mem::take(&mut self.terms).into_iter().peekable();
        for (text, posting) in edits {
            while old_terms.peek().is_some_and(|t| t.text < text) {
                terms.push(old_terms.next().expect("peeked"));
            }
            let mut term = match old_terms.next_if(|t| t.text == text) {
                Some(term) => term,
                None => {
                    let stem = self.stemming.stem(&text).into();
                    Term { text: text.clone(), stem, count: 0, encoded: Vec::new() }
                }
            };
            let mut postings = term.postings();
            let at = postings.partition_point(|p| p.page < page_id);
            let edited = match (postings.get(at).filter(|p| p.page == page_id).copied(), posting) {
                (Some(was), Some(p)) if was == p => false,
                (Some(_), Some(p)) => {
                    postings[at] = p;
                    true
                }
                (Some(_), None) => {
                    postings.remove(at);
                    true
                }
                (None, Some(p)) => {
                    postings.insert(at, p);
                    true
                }
                (None, None) => false,
            };
            if edited {
                term.set_postings(&postings);
                changed.push(text);
            }
            if term.count > 0 {
                terms.push(term);
            }
        }
        terms.extend(old_terms);
        self.terms = terms;

        let mut changes = Changes::default();
        let (first, more) = fragments(id, edited, chunks);
        let has_parts = more.len() as u32;
        changes.remove.extend((has_parts..had_parts).map(|part| fragment_path(id, part as usize + 1)));
        match has_parts {
            0 => self.extra_parts.remove(&page_id),
            _ => self.extra_parts.insert(page_id, has_parts),
        };
        changes.write.extend(more);
        entries[id % PAGES_PER_FRAGMENT] = first;
        changes.write.push((group_path(group_id), group_bytes(&entries)));

        // Shards: only those whose terms or limits changed are encoded again.
        let shards = self.cut_shards();
        self.shards = shards;
        let after = self.shard_starts();
        let manifest = self.encode_manifest();
        if manifest != self.manifest {
            changes.write.push((written_path(0), manifest.clone()));
            self.manifest = manifest;
        }
        for (i, range) in self.shards.iter().enumerate() {
            let (start, end) = (&after[i], after.get(i + 1));
            let same_limits = before.get(i) == Some(start) && before.get(i + 1) == end;
            let touched = {
                let from = changed.partition_point(|t| t < start);
                changed.get(from).is_some_and(|t| end.is_none_or(|end| t < end))
            };
            if touched || !same_limits {
                changes.write.push((written_path(i + 1), encode_shard(&self.terms[range.clone()])));
            }
        }
        // A site with fewer shards than before: the last ones are no longer read, so they go.
        changes.remove.extend((self.shards.len()..before.len()).map(|i| written_path(i + 1)));
        Ok(changes)
    }

    /// The first term of each shard, as the manifest has it (the first is "").
    fn shard_starts(&self) -> Vec<Box<str>> {
        let starts = self.shards.iter().enumerate();
        starts.map(|(i, r)| if i == 0 { "".into() } else { self.terms[r.start].text.clone() }).collect()
    }
}

/// One term's postings as a thread collects them, already encoded (see [`encode_postings`]): the
/// first posting's gap is from page 0, so two threads' lists join by re-encoding one varint.
#[derive(Debug, Default)]
struct List {
    bytes: Vec<u8>,
    count: u32,
    /// The page of the last posting.
    last: u32,
}

impl List {
    fn push(&mut self, p: Posting) {
        let previous = if self.count == 0 { 0 } else { self.last };
        // Encoded on the stack and appended at once: one check of the list's capacity, not one
        // a byte (this runs for every term of every page).
        let mut encoded = [0u8; 3 * 5];
        let mut len = 0;
        for value in [p.page - previous, p.weight, p.chunk] {
            len += varint_into(&mut encoded[len..], value);
        }
        self.bytes.extend_from_slice(&encoded[..len]);
        self.count += 1;
        self.last = p.page;
    }

    /// `self` then `later`, whose pages all come after this one's.
    fn append(&mut self, later: List) {
        if self.count == 0 {
            *self = later;
            return;
        }
        let mut at = 0;
        let first = read_varint(&later.bytes, &mut at);
        write_varint(&mut self.bytes, first - self.last);
        self.bytes.extend_from_slice(&later.bytes[at..]);
        self.count += later.count;
        self.last = later.last;
    }
}

/// Terms and their postings, as a thread collects them from the pages it reads, in page order,
/// by their [`Key`].
#[derive(Default)]
pub struct Postings {
    short: HashMap<u128, u32>,
    /// The short keys met last, by [`recent_slot`], in front of `short`: a site's words are few
    /// and met over and over, and this lookup runs for every word of the site.
    recent: Recent,
    long: HashMap<Box<str>, u32>,
    lists: Vec<List>,
    /// The posting being made for each term on the page being read, and which terms those are: a
    /// term's is that page's when its `page` is (else it is an earlier page's, or [`UNSET`]), so
    /// nothing is cleared between pages, and an entry is 12 bytes rather than an `Option`'s 16.
    current: Vec<Posting>,
    touched: Vec<u32>,
    /// (page, fragment files past its group's), for pages that have some.
    extra_parts: Vec<(u32, u32)>,
}

impl Postings {
    /// Indexes the pages of fragment group `group` (page ids from `group · 4` on, in order; groups
    /// must come in increasing order) and hands its files to `write`: the group's fragment file
    /// and the chunk files of its long pages.
    pub fn add_group(&mut self, group: usize, pages: &[Page], write: &(dyn Fn(File) + Sync)) {
        let mut entries = Vec::with_capacity(PAGES_PER_FRAGMENT);
        for (k, page) in pages.iter().enumerate() {
            let id = group * PAGES_PER_FRAGMENT + k;
            let chunks = chunks(page);
            self.add_chunks(id as u32, &page.title, &chunks);
            let (first, more) = fragments(id, page, chunks);
            if !more.is_empty() {
                self.extra_parts.push((id as u32, more.len() as u32));
            }
            more.into_iter().for_each(write);
            entries.push(first);
        }
        write((group_path(group), group_bytes(&entries)));
    }

    /// Adds one page's terms; pages must come in increasing id order.
    fn add_chunks(&mut self, page: u32, title: &str, chunks: &[Chunk]) {
        self.add_text(page, title, UNSET, IN_TITLE, false);
        let mut previous_section = None;
        for (i, chunk) in chunks.iter().enumerate() {
            // A section cut into several chunks has its heading counted once, on its first chunk.
            let section = Some((&chunk.anchor, &chunk.heading));
            if previous_section != section {
                self.add_text(page, &chunk.heading, i as u32, IN_HEADING, true);
            }
            previous_section = section;
            self.add_text(page, &chunk.text, i as u32, 0, true);
        }
        for id in self.touched.drain(..) {
            let mut posting = self.current[id as usize];
            if posting.chunk == UNSET {
                posting.chunk = 0;
            }
            self.lists[id as usize].push(posting);
        }
    }

    /// Adds every term of `text` (split and folded by [`for_each_key`]).
    fn add_text(&mut self, page: u32, text: &str, chunk: u32, bits: u32, counts: bool) {
        for_each_key(text, |key| {
            let id = match key {
                Key::Short(key) => self.short_id(key),
                Key::Long(term) => self.long_id(term),
            };
            self.count(id, page, chunk, bits, counts);
        });
    }

    #[inline]
    fn short_id(&mut self, key: u128) -> u32 {
        let slot = recent_slot(key);
        let (recent_key, recent_id) = self.recent.0[slot];
        if recent_key == key {
            return recent_id;
        }
        self.short_id_not_recent(key, slot)
    }

    /// [`Postings::short_id`] past the cache of recent keys, out of the loop over every word.
    #[inline(never)]
    fn short_id_not_recent(&mut self, key: u128, slot: usize) -> u32 {
        let next = self.lists.len() as u32;
        let id = *self.short.entry(key).or_insert(next);
        if id == next {
            self.new_list();
        }
        self.recent.0[slot] = (key, id);
        id
    }

    fn long_id(&mut self, term: &str) -> u32 {
        match self.long.get(term) {
            Some(&id) => id,
            None => {
                let id = self.lists.len() as u32;
                self.long.insert(term.into(), id);
                self.new_list();
                id
            }
        }
    }

    fn new_list(&mut self) {
        self.lists.push(List::default());
        self.current.push(Posting { page: UNSET, weight: 0, chunk: UNSET });
    }

    fn count(&mut self, id: u32, page: u32, chunk: u32, bits: u32, counts: bool) {
        let posting = &mut self.current[id as usize];
        if posting.page != page {
            self.touched.push(id);
            *posting = Posting { page, weight: 0, chunk: UNSET };
        }
        let first_in_a_heading = bits & IN_HEADING != 0 && posting.weight & IN_HEADING == 0;
        if chunk != UNSET && (posting.chunk == UNSET || first_in_a_heading) {
            posting.chunk = chunk;
        }
        posting.weight |= bits;
        if counts {
            posting.weight = posting.weight.saturating_add(4);
        }
    }

    /// `self` then `later`, whose pages all come after this one's.
    pub fn merge(mut self, later: Postings) -> Postings {
        let Postings { short, long, lists, extra_parts, .. } = later;
        let mut lists: Vec<Option<List>> = lists.into_iter().map(Some).collect();
        for (key, id) in short {
            let list = lists[id as usize].take().expect("one key a list");
            let at = self.short_id(key);
            self.lists[at as usize].append(list);
        }
        for (text, id) in long {
            let list = lists[id as usize].take().expect("one key a list");
            let at = self.long_id(&text);
            self.lists[at as usize].append(list);
        }
        self.extra_parts.extend(extra_parts);
        self
    }

    /// The terms of the one page added, with its posting for each.
    fn into_single_page(self) -> Vec<(Box<str>, Posting)> {
        let Postings { short, long, lists, .. } = self;
        let posting = |id: u32| {
            let list = &lists[id as usize];
            decode_postings(&list.bytes, list.count)[0]
        };
        let mut all: Vec<(Box<str>, Posting)> =
            short.into_iter().map(|(key, id)| (short_text(key).into(), posting(id))).collect();
        all.extend(long.into_iter().map(|(text, id)| (text, posting(id))));
        all
    }
}

/// How many keys [`Postings::recent`] holds: a power of two.
const RECENT_SLOTS: usize = 1024;

/// (short key, term id) by [`recent_slot`]; key 0 (no term has it: terms are not empty) is a free
/// slot.
struct Recent(Box<[(u128, u32); RECENT_SLOTS]>);

impl Default for Recent {
    fn default() -> Recent {
        Recent(Box::new([(0, 0); RECENT_SLOTS]))
    }
}

/// Where `key` goes in [`Postings::recent`]: one multiply of its two halves (a short key's first
/// eight bytes are most of a word).
fn recent_slot(key: u128) -> usize {
    let mixed = ((key >> 64) as u64 ^ key as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

/// A chunk number not set yet.
const UNSET: u32 = u32::MAX;

/// `index.json` for 0, shard `i - 1` (`s/N.bin`) after it.
fn written_path(i: usize) -> String {
    match i {
        0 => format!("{DIR}/index.json"),
        shard => format!("{DIR}/s/{}.bin", shard - 1),
    }
}

/// The pages of fragment group `group` on a site of `count` pages.
fn group_pages(group: usize, count: usize) -> Range<usize> {
    group * PAGES_PER_FRAGMENT..((group + 1) * PAGES_PER_FRAGMENT).min(count)
}

/// `f/GROUP.json`: the first fragment of each page of the group, in page order.
fn group_bytes(entries: &[Fragment]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(Fragment::json_len_estimate).sum::<usize>() + 2);
    out.push(b'[');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        entry.write_json(&mut out);
    }
    out.push(b']');
    out
}

impl Fragment<'_> {
    /// The fragment as JSON, byte for byte what `serde_json::to_vec` writes of it (tested), written
    /// by hand: the fragments are nearly all the index's bytes (the whole text of the site), and
    /// this writes them in one pass into a buffer sized ahead, copying runs that need no escape.
    fn write_json(&self, out: &mut Vec<u8>) {
        // Every field named, so that a field added to the format is a compile error here, not a
        // difference from serde_json's output left for the test to find.
        let Fragment { url, title, first, chunks } = self;
        out.extend_from_slice(b"{\"url\":");
        write_json_string(out, url);
        out.extend_from_slice(b",\"title\":");
        write_json_string(out, title);
        out.extend_from_slice(b",\"first\":");
        out.extend_from_slice(first.to_string().as_bytes());
        out.extend_from_slice(b",\"chunks\":[");
        for (i, Chunk { heading, anchor, text }) in chunks.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"heading\":");
            write_json_string(out, heading);
            out.extend_from_slice(b",\"anchor\":");
            write_json_string(out, anchor);
            out.extend_from_slice(b",\"text\":");
            write_json_string(out, text);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
    }

    /// About how many bytes [`Fragment::write_json`] writes (exact when nothing needs escaping).
    fn json_len_estimate(&self) -> usize {
        let chunks: usize =
            self.chunks.iter().map(|c| c.heading.len() + c.anchor.len() + c.text.len() + 36).sum();
        self.url.len() + self.title.len() + chunks + 48
    }
}

/// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and control characters
/// (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX` in lower case); everything else as it is.
fn write_json_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(i) = find_json_escape(bytes, at) {
        let b = bytes[i];
        out.extend_from_slice(&bytes[copied..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        copied = i + 1;
        at = i + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// The first byte from `from` on that a JSON string must escape (`"`, `\\`, below 0x20), looked
/// for eight bytes at a time: the text of a site has nearly none.
fn find_json_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let needs_escape = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let mut at = from;
    while let Some(word) = bytes.get(at..at + 8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // A byte below 0x20 (no false negatives; a false positive is caught below), or equal to
        // `"` or `\\` (a zero byte of w XOR the byte).
        let below = w.wrapping_sub(ONES * 0x20) & !w;
        let quote = (w ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES) & !(w ^ (ONES * u64::from(b'"')));
        let slash = (w ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES) & !(w ^ (ONES * u64::from(b'\\')));
        if (below | quote | slash) & HIGH != 0 {
            if let Some(i) = word.iter().position(|&b| needs_escape(b)) {
                return Some(at + i);
            }
        }
        at += 8;
    }
    bytes[at.min(bytes.len())..].iter().position(|&b| needs_escape(b)).map(|i| at + i)
}

/// The fragment file of the group holding page `page`'s first chunks.
pub fn group_path(group: usize) -> String {
    format!("{DIR}/f/{group}.json")
}

/// One shard's bytes; see docs/search.md.
fn encode_shard(terms: &[Term]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.iter().map(|t| t.size()).sum::<usize>() + 8);
    write_varint(&mut out, terms.len() as u32);
    let mut leader_of_stem: HashMap<&str, usize> = HashMap::default();
    let mut previous: &[u8] = &[];
    for (i, term) in terms.iter().enumerate() {
        let text = term.text.as_bytes();
        let shared = previous.iter().zip(text).take_while(|(a, b)| a == b).count();
        write_varint(&mut out, shared as u32);
        write_varint(&mut out, (text.len() - shared) as u32);
        out.extend_from_slice(&text[shared..]);
        let leader = *leader_of_stem.entry(&term.stem).or_insert(i);
        write_varint(&mut out, (i - leader) as u32);
        write_varint(&mut out, term.count);
        write_varint(&mut out, term.encoded.len() as u32);
        out.extend_from_slice(&term.encoded);
        previous = text;
    }
    out
}

/// Each posting as three varints: the gap from the previous page id (the first: the page id),
/// the weight, the chunk.
fn encode_postings(postings: &[Posting]) -> Vec<u8> {
    let mut list = List { bytes: Vec::with_capacity(postings.len() * 3), ..List::default() };
    for &p in postings {
        list.push(p);
    }
    list.bytes
}

fn decode_postings(bytes: &[u8], count: u32) -> Vec<Posting> {
    let mut at = 0;
    let mut page = 0;
    (0..count)
        .map(|_| {
            page += read_varint(bytes, &mut at);
            Posting { page, weight: read_varint(bytes, &mut at), chunk: read_varint(bytes, &mut at) }
        })
        .collect()
}

/// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on all but the last.
fn write_varint(out: &mut Vec<u8>, value: u32) {
    let mut encoded = [0u8; 5];
    let len = varint_into(&mut encoded, value);
    out.extend_from_slice(&encoded[..len]);
}

/// [`write_varint`] into `out` (room for five bytes), giving how many bytes it wrote.
fn varint_into(out: &mut [u8], mut value: u32) -> usize {
    let mut len = 0;
    while value >= 0x80 {
        out[len] = (value as u8 & 0x7f) | 0x80;
        value >>= 7;
        len += 1;
    }
    out[len] = value as u8;
    len + 1
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut value, mut shift) = (0u32, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        value |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return value;
        }
        shift += 7;
    }
}

/// A page's sections cut into chunks of at most [`CHUNK_BYTES`], each with its section's heading.
fn chunks(page: &Page) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    for section in &page.sections {
        let mut rest = section.text.as_str();
        loop {
            let cut = if rest.len() <= CHUNK_BYTES {
                rest.len()
            } else {
                // The last space before the limit; a single huge word is cut at a char boundary.
                let mut limit = CHUNK_BYTES;
                while !rest.is_char_boundary(limit) {
                    limit -= 1;
                }
                rest[..limit].rfind(' ').filter(|&at| at > 0).unwrap_or(limit)
            };
            out.push(Chunk {
                heading: Cow::Borrowed(&section.heading),
                anchor: Cow::Borrowed(&section.anchor),
                text: Cow::Borrowed(&rest[..cut]),
            });
            rest = rest[cut..].trim_start();
            if rest.is_empty() {
                break;
            }
        }
    }
    out
}

/// Page `id`'s first fragment (its group's entry), and the files of the chunks past it.
fn fragments<'a>(id: usize, page: &'a Page, chunks: Vec<Chunk<'a>>) -> (Fragment<'a>, Vec<File>) {
    let mut chunks = chunks.into_iter();
    let fragment = |part: usize, chunks: Vec<Chunk<'a>>| Fragment {
        url: Cow::Borrowed(&page.url),
        title: Cow::Borrowed(&page.title),
        first: part * CHUNKS_PER_FRAGMENT,
        chunks,
    };
    let first = fragment(0, chunks.by_ref().take(CHUNKS_PER_FRAGMENT).collect());
    let mut more = Vec::new();
    let mut part = 1;
    loop {
        let these: Vec<Chunk> = chunks.by_ref().take(CHUNKS_PER_FRAGMENT).collect();
        if these.is_empty() {
            break;
        }
        let fragment = fragment(part, these);
        let mut bytes = Vec::with_capacity(fragment.json_len_estimate());
        fragment.write_json(&mut bytes);
        more.push((fragment_path(id, part), bytes));
        part += 1;
    }
    (first, more)
}

/// `f/PAGE.N.json`: page `page`'s chunks from `32·N` on (N ≥ 1; the first are in its group's file).
pub fn fragment_path(page: usize, part: usize) -> String {
    format!("{DIR}/f/{page}.{part}.json")
}

#[cfg(test)]
/// One term of a shard as a reader decodes it: (text, stem group back-reference, postings).
pub(crate) type Decoded = (String, u32, Vec<(u32, u32, u32)>);

#[cfg(test)]
/// The reader of docs/search.md's shard layout, as search.js implements it.
pub(crate) fn decode_shard(bytes: &[u8]) -> Vec<Decoded> {
    let mut at = 0;
    let count = read_varint(bytes, &mut at);
    let mut previous: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    for _ in 0..count {
        let shared = read_varint(bytes, &mut at) as usize;
        let len = read_varint(bytes, &mut at) as usize;
        let mut text = previous[..shared].to_vec();
        text.extend_from_slice(&bytes[at..at + len]);
        at += len;
        let group = read_varint(bytes, &mut at);
        let n = read_varint(bytes, &mut at);
        let byte_len = read_varint(bytes, &mut at) as usize;
        let end = at + byte_len;
        let mut page = 0;
        let mut postings = Vec::new();
        for _ in 0..n {
            page += read_varint(bytes, &mut at);
            postings.push((page, read_varint(bytes, &mut at), read_varint(bytes, &mut at)));
        }
        assert_eq!(at, end, "the postings' byte length is right");
        out.push((String::from_utf8(text.clone()).unwrap(), group, postings));
        previous = text;
    }
    assert_eq!(at, bytes.len(), "nothing after the last term");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Section;

    fn page(url: &str, title: &str, sections: &[(&str, &str, &str)]) -> Page {
        Page {
            url: url.into(),
            title: title.into(),
            sections: sections
                .iter()
                .map(|&(h, a, t)| Section { heading: h.into(), anchor: a.into(), text: t.into() })
                .collect(),
        }
    }

    fn files_map(files: Vec<File>) -> HashMap<String, Vec<u8>> {
        files.into_iter().collect()
    }

    /// Every term of the index, read back from its files through the manifest.
    fn all_terms(files: &HashMap<String, Vec<u8>>) -> Vec<Decoded> {
        let manifest: Manifest = serde_json::from_slice(&files["search/index.json"]).unwrap();
        let mut all = Vec::new();
        for (i, start) in manifest.shards.iter().enumerate() {
            let terms = decode_shard(&files[&format!("search/s/{i}.bin")]);
            if let Some(first) = terms.first() {
                assert!(first.0 >= *start, "{} sorts after its shard's start {start}", first.0);
            }
            if let Some(next) = manifest.shards.get(i + 1)
                && let Some(last) = terms.last()
            {
                assert!(last.0 < *next);
            }
            all.extend(terms);
        }
        all
    }

    fn postings_of<'a>(terms: &'a [Decoded], text: &str) -> &'a [(u32, u32, u32)] {
        &terms.iter().find(|t| t.0 == text).unwrap_or_else(|| panic!("no term {text}")).2
    }

    #[test]
    fn postings_carry_page_gaps_weights_and_the_chunk_to_show() {
        let pages = [
            page(
                "/a/",
                "Trust first",
                &[("", "", "Some trust here."), ("Repair", "repair", "repair and trust trust")],
            ),
            page("/b/", "Other", &[("", "", "nothing")]),
            page("/c/", "Third", &[("", "", "before"), ("Trust again", "trust-again", "words")]),
        ];
        let files = files_map(build(&pages, "fr"));
        let terms = all_terms(&files);
        // Page a: in the title, 3 times in the text (first in chunk 0); page c: in a heading (chunk 1).
        // Page ids are stored as gaps: 0, then 2.
        assert_eq!(postings_of(&terms, "trust"), [(0, 3 << 2 | IN_TITLE, 0), (2, 1 << 2 | IN_HEADING, 1)]);
        // A heading hit wins the chunk over an earlier text hit.
        assert_eq!(postings_of(&terms, "repair"), [(0, 2 << 2 | IN_HEADING, 1)]);
        // Title only: no tf, chunk 0.
        assert_eq!(postings_of(&terms, "first"), [(0, IN_TITLE, 0)]);
        let sorted: Vec<&str> = terms.iter().map(|t| t.0.as_str()).collect();
        let mut expected = sorted.clone();
        expected.sort();
        assert_eq!(sorted, expected, "terms are in byte order across shards");
    }

    #[test]
    fn the_escapes_are_found_wherever_they_are() {
        for len in 0..40 {
            for at in 0..len {
                for special in [0u8, 0x1f, b'"', b'\\'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    // Bytes either side of the ones looked for, which must not be taken for them.
                    bytes.iter_mut().skip(at + 1).step_by(3).for_each(|b| *b = 0x7f);
                    assert_eq!(find_json_escape(&bytes, 0), Some(at), "{bytes:?}");
                    assert_eq!(find_json_escape(&bytes, at + 1), None, "{bytes:?}");
                }
            }
        }
        assert_eq!(find_json_escape("é ! # [ ] 😀 \u{80}".as_bytes(), 0), None);
    }

    #[test]
    fn fragments_are_written_as_serde_json_writes_them() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        let mixed = format!(
            "{}\"x{}\\{every_control}é\u{7f}{}",
            "long text ".repeat(3),
            "y".repeat(7),
            "z".repeat(15)
        );
        let texts = [
            &mixed,
            "0123456\"",
            "01234567\"",
            "\"01234567",
            "012345678901234\\",
            "",
            "plain text",
            "“quotes” \"json\" back\\slash / <b>&amp;",
            "é 😀 \u{7f}",
            &every_control,
        ];
        for text in texts {
            let chunk = Chunk { heading: "H".into(), anchor: "a-b".into(), text: text.into() };
            let fragment = Fragment {
                url: "/x/\"y\"/".into(),
                title: text.into(),
                first: 64,
                chunks: vec![chunk.clone(), chunk],
            };
            let mut one = Vec::new();
            fragment.write_json(&mut one);
            assert_eq!(one, serde_json::to_vec(&fragment).unwrap(), "{text:?}");
            let empty = Fragment { url: "".into(), title: "".into(), first: 0, chunks: vec![] };
            let entries = [fragment, empty];
            assert_eq!(group_bytes(&entries), serde_json::to_vec(&entries).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn the_gap_is_from_the_previous_page_in_the_bytes() {
        let mut out = Vec::new();
        let postings =
            [Posting { page: 5, weight: 4, chunk: 0 }, Posting { page: 300, weight: 8, chunk: 200 }];
        out.extend(encode_postings(&postings));
        // 5, 4, 0, then 295 = 0b10_0100111 → 0xa7 0x02, 8, 200 → 0xc8 0x01.
        assert_eq!(out, [5, 4, 0, 0xa7, 0x02, 8, 0xc8, 0x01]);
    }

    #[test]
    fn english_terms_sharing_a_stem_point_at_their_group_leader() {
        let pages = [page("/a/", "T", &[("", "", "attach attached attachment boundary attaching")])];
        let files = files_map(build(&pages, "en"));
        let manifest: Manifest = serde_json::from_slice(&files["search/index.json"]).unwrap();
        assert!(manifest.stemmed);
        let terms = all_terms(&files);
        let group: Vec<(&str, u32)> = terms.iter().map(|t| (t.0.as_str(), t.1)).collect();
        // attach leads; attached is 1 after it, attaching 2, attachment 3 (its own stem, "attach").
        assert_eq!(
            group,
            [("attach", 0), ("attached", 1), ("attaching", 2), ("attachment", 3), ("boundary", 0), ("t", 0)]
        );
        let fr = files_map(build(&pages, "fr"));
        assert!(all_terms(&fr).iter().all(|t| t.1 == 0), "no stemming outside English");
    }

    #[test]
    fn big_sites_get_many_shards_and_big_pages_several_fragments() {
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let text = words.join(" ");
        let pages = [page("/big/", "Big", &[("", "", &text)])];
        let files = files_map(build(&pages, "en"));
        let manifest: Manifest = serde_json::from_slice(&files["search/index.json"]).unwrap();
        assert!(manifest.shards.len() > 3, "{} shards", manifest.shards.len());
        for (path, bytes) in &files {
            if path.contains("/s/") {
                assert!(bytes.len() < 2 * SHARD_TARGET_BYTES, "{path} is {} bytes", bytes.len());
            }
        }
        assert_eq!(all_terms(&files).len(), 5000 + 1);
        // ~29 KB of text: 30 chunks of at most 1,000 bytes, cut between words; one fragment file.
        let group: Vec<Fragment> = serde_json::from_slice(&files["search/f/0.json"]).unwrap();
        let f0 = &group[0];
        assert!(f0.chunks.iter().all(|c| c.text.len() <= CHUNK_BYTES && !c.text.ends_with(' ')));
        let rejoined: Vec<&str> = f0.chunks.iter().map(|c| c.text.as_ref()).collect();
        assert_eq!(rejoined.join(" "), text);
        let long = "word ".repeat(20_000);
        let files = files_map(build(&[page("/huge/", "Huge", &[("H", "h", &long)])], "en"));
        let f1: Fragment = serde_json::from_slice(&files["search/f/0.1.json"]).unwrap();
        assert_eq!(f1.first, CHUNKS_PER_FRAGMENT);
        assert!(f1.chunks.iter().all(|c| c.anchor == "h"));
    }

    #[test]
    fn an_empty_site_has_a_manifest_and_one_empty_shard() {
        let files = files_map(build(&[], "en"));
        let manifest: Manifest = serde_json::from_slice(&files["search/index.json"]).unwrap();
        assert_eq!((manifest.pages, manifest.shards.as_slice()), (0, &[String::new()][..]));
        assert!(all_terms(&files).is_empty());
    }

    /// An index built from `pages`, and the files it wrote.
    fn index_of(pages: &[Page], language: &str) -> (Index, HashMap<String, Vec<u8>>) {
        let files = Mutex::new(Vec::new());
        let index = Index::new(pages, language, &|f| {
            files.lock().unwrap().push(f);
        });
        (index, files_map(files.into_inner().unwrap()))
    }

    #[test]
    fn pages_share_fragment_files_in_groups() {
        let pages: Vec<Page> =
            (0..10).map(|i| page(&format!("/p{i}/"), &format!("P{i}"), &[("", "", "text")])).collect();
        let files = files_map(build(&pages, "en"));
        let manifest: Manifest = serde_json::from_slice(&files["search/index.json"]).unwrap();
        assert_eq!(manifest.pages_per_fragment, PAGES_PER_FRAGMENT);
        let groups = pages.len().div_ceil(PAGES_PER_FRAGMENT);
        let fragment_files: Vec<&String> = files.keys().filter(|p| p.starts_with("search/f/")).collect();
        assert_eq!(fragment_files.len(), groups, "{fragment_files:?}");
        for id in 0..pages.len() {
            let group: Vec<Fragment> =
                serde_json::from_slice(&files[&group_path(id / PAGES_PER_FRAGMENT)]).unwrap();
            assert_eq!(group[id % PAGES_PER_FRAGMENT].url, pages[id].url);
        }
        let last: Vec<Fragment> = serde_json::from_slice(&files[&group_path(groups - 1)]).unwrap();
        assert_eq!(last.len(), pages.len() - (groups - 1) * PAGES_PER_FRAGMENT, "the last group is short");
    }

    #[test]
    fn replacing_a_page_gives_what_a_full_build_would_read() {
        let filler: Vec<String> = (0..3000).map(|i| format!("f{i}")).collect();
        let filler = filler.join(" ");
        let before = [
            page("/a/", "Alpha", &[("", "", "here"), ("H", "h", &filler)]),
            page("/b/", "Beta", &[("", "", "old words here")]),
        ];
        let after = [before[0].clone(), page("/b/", "Beta", &[("", "", "new words here")])];
        let (mut index, mut files) = index_of(&before, "en");
        let changes = index.replace_page(1, &after[1], &|path| files.get(path).cloned()).unwrap();
        assert!(
            changes.write.len() < files.len() / 2,
            "only some files change: {} of {}",
            changes.write.len(),
            files.len()
        );
        assert!(changes.remove.is_empty());
        files.extend(changes.write);
        let fresh = files_map(build(&after, "en"));
        assert_eq!(files, fresh, "byte for byte what a clean build writes");
        assert_eq!(postings_of(&all_terms(&files), "new"), [(1, 4, 0)]);
        assert!(all_terms(&files).iter().all(|t| t.0 != "old"), "a word no page has any more is gone");
    }

    #[test]
    fn a_page_that_shrinks_loses_the_chunk_files_it_no_longer_has() {
        // 20,000 words of 5 bytes: about 100 chunks, so 3 files past the group's.
        let long = "word ".repeat(20_000);
        let before =
            [page("/a/", "A", &[("", "", "short")]), page("/huge/", "Huge", &[("H", "h", long.trim_end())])];
        let after = [before[0].clone(), page("/huge/", "Huge", &[("H", "h", "now short")])];
        let (mut index, mut files) = index_of(&before, "en");
        let parts: Vec<String> = (1..4).map(|part| fragment_path(1, part)).collect();
        for part in &parts {
            assert!(files.contains_key(part), "{part} in {:?}", files.keys().collect::<Vec<_>>());
        }
        let changes = index.replace_page(1, &after[1], &|path| files.get(path).cloned()).unwrap();
        assert_eq!(changes.remove, parts);
        for path in &changes.remove {
            files.remove(path);
        }
        files.extend(changes.write);
        assert_eq!(files, files_map(build(&after, "en")), "what a clean build writes, and nothing more");
        // And growing again writes them again.
        let changes = index.replace_page(1, &before[1], &|path| files.get(path).cloned()).unwrap();
        assert!(changes.remove.is_empty());
        files.extend(changes.write);
        assert_eq!(files, files_map(build(&before, "en")));
        assert!(index.replace_page(1, &before[1], &|_| None).is_err(), "no group file, no guess");
        let others =
            |path: &str| if path == group_path(0) { Some(b"[]".to_vec()) } else { files.get(path).cloned() };
        assert!(index.replace_page(1, &before[1], &others).is_err(), "a group file of other pages");
    }
}
