//! The index: terms sorted and cut into shards of about [`SHARD_TARGET_BYTES`], each term with
//! delta-encoded postings, plus small fragment files (titles, URLs, and the pages' text in chunks)
//! that the browser fetches only for the results it shows. docs/search.md is the format's
//! reference; the theme's search.js is its reader.
//!
//! Pages are analysed in parallel, in groups of [`PAGES_PER_FRAGMENT`]: each group's fragment
//! file is written as soon as it is made, and its terms go straight into the postings of the
//! thread that read it, so no page's text or per-page term list outlives its group.

use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{Stemming, for_each_term};
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
pub struct Fragment {
    pub url: String,
    pub title: String,
    /// Index of the first chunk in this file.
    pub first: usize,
    pub chunks: Vec<Chunk>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Chunk {
    /// The heading the text sits under, and its id; both empty before the first heading.
    pub heading: String,
    pub anchor: String,
    pub text: String,
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

#[derive(Debug, Clone)]
struct Term {
    text: String,
    stem: String,
    postings: Vec<Posting>,
    /// `postings` as the shard stores them.
    encoded: Vec<u8>,
}

impl Term {
    fn new(text: String, stem: String, postings: Vec<Posting>) -> Term {
        let encoded = encode_postings(&postings);
        Term { text, stem, postings, encoded }
    }

    /// What it adds to its shard, roughly (the exact figure does not matter, only that a clean
    /// build and an edited index compute the same one).
    fn size(&self) -> usize {
        self.text.len() + self.encoded.len() + 8
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
/// alone, so an edited index writes exactly what a clean build of the same pages would.
pub struct Index {
    stemming: Stemming,
    pages: usize,
    /// Sorted by text (byte order, which is code point order).
    terms: Vec<Term>,
    /// The files as last written: the manifest, then shard `i` at `i + 1`.
    written: Vec<Vec<u8>>,
    /// How many fragment files each page has past its group's (`f/PAGE.N.json`); most have none.
    extra_parts: HashMap<u32, u32>,
}

/// The files of the index for `pages` (page id = position), as (output path, bytes).
pub fn build(pages: &[Page], language: &str) -> Vec<File> {
    let files = Mutex::new(Vec::new());
    Index::new(pages.to_vec(), language, &|file| {
        files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(file)
    });
    files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Index {
    /// Indexes `pages` (page id = position), in parallel, dropping each page's text once read,
    /// and hands every file to `write` as soon as it is made.
    pub fn new(pages: Vec<Page>, language: &str, write: &(dyn Fn(File) + Sync)) -> Index {
        let stemming = Stemming::for_language(language);
        let count = pages.len();
        let postings = pages
            .into_par_iter()
            .chunks(PAGES_PER_FRAGMENT)
            .enumerate()
            .with_min_len(16)
            .fold(Postings::default, |mut postings, (group, pages)| {
                let mut entries = Vec::with_capacity(PAGES_PER_FRAGMENT);
                for (id, page) in group_pages(group, count).zip(pages) {
                    let chunks = chunks(&page);
                    postings.add_page(id as u32, &page, &chunks);
                    let (first, more) = fragments(id, &page, chunks);
                    if !more.is_empty() {
                        postings.extra_parts.push((id as u32, more.len() as u32));
                    }
                    more.into_iter().for_each(write);
                    entries.push(first);
                }
                write((group_path(group), group_bytes(&entries)));
                postings
            })
            .reduce(Postings::default, Postings::merge);
        let Postings { ids, mut lists, extra_parts, .. } = postings;
        let by_text: Vec<(String, Vec<Posting>)> =
            ids.into_iter().map(|(text, id)| (text, std::mem::take(&mut lists[id as usize]))).collect();
        drop(lists);
        let mut terms: Vec<Term> = by_text
            .into_par_iter()
            .map(|(text, postings)| {
                let stem = stemming.stem(&text).into_owned();
                Term::new(text, stem, postings)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.text.cmp(&b.text));
        let mut index = Index {
            stemming,
            pages: count,
            terms,
            written: Vec::new(),
            extra_parts: extra_parts.into_iter().collect(),
        };
        index.written = index.encode_all();
        for (i, bytes) in index.written.iter().enumerate() {
            write((written_path(i), bytes.clone()));
        }
        index
    }

    /// The manifest and every shard, from the terms as they are.
    fn encode_all(&self) -> Vec<Vec<u8>> {
        let mut shards: Vec<std::ops::Range<usize>> = Vec::new();
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
        // The first shard starts at "" so that every term has one, even one sorting first.
        let starts = shards.iter().enumerate().map(|(i, r)| match i {
            0 => String::new(),
            _ => self.terms[r.start].text.clone(),
        });
        let manifest = Manifest {
            format: FORMAT,
            pages: self.pages,
            stemmed: self.stemming.is_on(),
            shards: starts.collect(),
            chunks_per_fragment: CHUNKS_PER_FRAGMENT,
            pages_per_fragment: PAGES_PER_FRAGMENT,
        };
        let mut out = vec![serde_json::to_vec(&manifest).expect("a manifest is always serialisable")];
        out.par_extend(shards.into_par_iter().map(|r| encode_shard(&self.terms[r])));
        out
    }

    /// Replaces the text of page `id` with `edited` (same URL, new text) and gives the files that
    /// changed: its group's fragment file, its own chunk files, the shards holding a term it had
    /// or has, and the chunk files it no longer has. `group` is the group's fragment file as
    /// written before (the other pages' entries are kept from it: their text is not kept in
    /// memory); when it cannot be read, the group file is not rewritten and that is the error.
    pub fn replace_page(
        &mut self,
        id: usize,
        edited: &Page,
        group: Option<&[u8]>,
    ) -> Result<Changes, String> {
        let page_id = id as u32;
        let mut changed: Vec<usize> = Vec::new();
        for (at, term) in self.terms.iter_mut().enumerate() {
            if let Ok(pos) = term.postings.binary_search_by_key(&page_id, |p| p.page) {
                term.postings.remove(pos);
                changed.push(at);
            }
        }
        for &at in &changed {
            self.terms[at].encoded = encode_postings(&self.terms[at].postings);
        }
        let group_id = id / PAGES_PER_FRAGMENT;
        let mut entries: Vec<Fragment> = group
            .and_then(|bytes| serde_json::from_slice(bytes).ok())
            .filter(|e: &Vec<Fragment>| e.len() == group_pages(group_id, self.pages).len())
            .ok_or_else(|| format!("cannot read {} as the index wrote it", group_path(group_id)))?;
        let chunks = chunks(edited);
        let mut one = Postings::default();
        one.add_page(page_id, edited, &chunks);
        for (text, term_id) in one.ids {
            let posting = one.lists[term_id as usize][0];
            match self.terms.binary_search_by(|t| t.text.as_str().cmp(&text)) {
                Ok(at) => {
                    let term = &mut self.terms[at];
                    let pos = term.postings.partition_point(|p| p.page < page_id);
                    term.postings.insert(pos, posting);
                    term.encoded = encode_postings(&term.postings);
                }
                Err(at) => {
                    let stem = self.stemming.stem(&text).into_owned();
                    self.terms.insert(at, Term::new(text, stem, vec![posting]));
                }
            }
        }
        // Terms no page has any more go, so that a stale word cannot find this page.
        self.terms.retain(|t| !t.postings.is_empty());

        let mut changes = Changes::default();
        let (first, more) = fragments(id, edited, chunks);
        let had = self.extra_parts.get(&page_id).copied().unwrap_or(0);
        let has = more.len() as u32;
        changes.remove.extend((has..had).map(|part| fragment_path(id, part as usize + 1)));
        match has {
            0 => self.extra_parts.remove(&page_id),
            _ => self.extra_parts.insert(page_id, has),
        };
        changes.write.extend(more);
        entries[id % PAGES_PER_FRAGMENT] = first;
        changes.write.push((group_path(group_id), group_bytes(&entries)));
        let now = self.encode_all();
        for (i, bytes) in now.iter().enumerate() {
            if self.written.get(i) != Some(bytes) {
                changes.write.push((written_path(i), bytes.clone()));
            }
        }
        // A site with fewer shards than before: the last ones are no longer read, so they go.
        changes.remove.extend((now.len()..self.written.len()).map(written_path));
        self.written = now;
        Ok(changes)
    }
}

/// Terms and their postings, as a thread collects them from the pages it reads, in page order.
#[derive(Default)]
struct Postings {
    /// Term → its place in `lists`.
    ids: HashMap<String, u32>,
    lists: Vec<Vec<Posting>>,
    /// The posting being made for each term of the page being read (`None` when the term is not
    /// on it), and which terms those are.
    current: Vec<Option<Posting>>,
    touched: Vec<u32>,
    /// (page, fragment files past its group's), for pages that have some.
    extra_parts: Vec<(u32, u32)>,
}

impl Postings {
    /// Adds one page's terms; pages must come in increasing id order.
    fn add_page(&mut self, page: u32, p: &Page, chunks: &[Chunk]) {
        for_each_term(&p.title, |t| self.add(page, t, UNSET, IN_TITLE, false));
        let mut previous_section = None;
        for (i, chunk) in chunks.iter().enumerate() {
            // A section cut into several chunks has its heading counted once, on its first chunk.
            let section = Some((&chunk.anchor, &chunk.heading));
            if previous_section != section {
                for_each_term(&chunk.heading, |t| self.add(page, t, i as u32, IN_HEADING, true));
            }
            previous_section = section;
            for_each_term(&chunk.text, |t| self.add(page, t, i as u32, 0, true));
        }
        for id in self.touched.drain(..) {
            let mut posting = self.current[id as usize].take().expect("a touched term has a posting");
            if posting.chunk == UNSET {
                posting.chunk = 0;
            }
            self.lists[id as usize].push(posting);
        }
    }

    fn add(&mut self, page: u32, term: &str, chunk: u32, bits: u32, counts: bool) {
        let id = match self.ids.get(term) {
            Some(&id) => id,
            None => {
                let id = self.lists.len() as u32;
                self.ids.insert(term.to_string(), id);
                self.lists.push(Vec::new());
                self.current.push(None);
                id
            }
        };
        let posting = match &mut self.current[id as usize] {
            Some(posting) => posting,
            slot @ None => {
                self.touched.push(id);
                slot.insert(Posting { page, weight: 0, chunk: UNSET })
            }
        };
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
    fn merge(mut self, later: Postings) -> Postings {
        let Postings { ids, mut lists, extra_parts, .. } = later;
        for (text, id) in ids {
            let list = std::mem::take(&mut lists[id as usize]);
            match self.ids.get(&text) {
                Some(&at) => self.lists[at as usize].extend(list),
                None => {
                    self.ids.insert(text, self.lists.len() as u32);
                    self.lists.push(list);
                    self.current.push(None);
                }
            }
        }
        self.extra_parts.extend(extra_parts);
        self
    }
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
fn group_pages(group: usize, count: usize) -> std::ops::Range<usize> {
    group * PAGES_PER_FRAGMENT..((group + 1) * PAGES_PER_FRAGMENT).min(count)
}

/// `f/GROUP.json`: the first fragment of each page of the group, in page order.
fn group_bytes(entries: &[Fragment]) -> Vec<u8> {
    serde_json::to_vec(entries).expect("a fragment is always serialisable")
}

/// The fragment file of the group holding page `page`'s first chunks.
pub fn group_path(group: usize) -> String {
    format!("{DIR}/f/{group}.json")
}

/// One shard's bytes; see docs/search.md.
fn encode_shard(terms: &[Term]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SHARD_TARGET_BYTES * 2);
    write_varint(&mut out, terms.len() as u32);
    let mut leader_of_stem: HashMap<&str, usize> = HashMap::default();
    let mut previous: &[u8] = &[];
    for (i, term) in terms.iter().enumerate() {
        let text = term.text.as_bytes();
        let shared = previous.iter().zip(text).take_while(|(a, b)| a == b).count();
        write_varint(&mut out, shared as u32);
        write_varint(&mut out, (text.len() - shared) as u32);
        out.extend_from_slice(&text[shared..]);
        let leader = *leader_of_stem.entry(term.stem.as_str()).or_insert(i);
        write_varint(&mut out, (i - leader) as u32);
        write_varint(&mut out, term.postings.len() as u32);
        write_varint(&mut out, term.encoded.len() as u32);
        out.extend_from_slice(&term.encoded);
        previous = text;
    }
    out
}

/// Each posting as three varints: the gap from the previous page id (the first: the page id),
/// the weight, the chunk.
fn encode_postings(postings: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 3);
    let mut previous = 0;
    for p in postings {
        write_varint(&mut out, p.page - previous);
        write_varint(&mut out, p.weight);
        write_varint(&mut out, p.chunk);
        previous = p.page;
    }
    out
}

/// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on all but the last.
fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A page's sections cut into chunks of at most [`CHUNK_BYTES`], each with its section's heading.
fn chunks(page: &Page) -> Vec<Chunk> {
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
                heading: section.heading.clone(),
                anchor: section.anchor.clone(),
                text: rest[..cut].to_string(),
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
fn fragments(id: usize, page: &Page, chunks: Vec<Chunk>) -> (Fragment, Vec<File>) {
    let mut chunks = chunks.into_iter();
    let fragment = |part: usize, chunks: Vec<Chunk>| Fragment {
        url: page.url.clone(),
        title: page.title.clone(),
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
        let bytes = serde_json::to_vec(&fragment(part, these)).expect("a fragment is always serialisable");
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
        let rejoined: Vec<&str> = f0.chunks.iter().map(|c| c.text.as_str()).collect();
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
        let index = Index::new(pages.to_vec(), language, &|f| {
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
        let changes = index.replace_page(1, &after[1], Some(&files[&group_path(0)])).unwrap();
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
        let changes = index.replace_page(1, &after[1], Some(&files[&group_path(0)])).unwrap();
        assert_eq!(changes.remove, parts);
        for path in &changes.remove {
            files.remove(path);
        }
        files.extend(changes.write);
        assert_eq!(files, files_map(build(&after, "en")), "what a clean build writes, and nothing more");
        // And growing again writes them again.
        let changes = index.replace_page(1, &before[1], Some(&files[&group_path(0)])).unwrap();
        assert!(changes.remove.is_empty());
        files.extend(changes.write);
        assert_eq!(files, files_map(build(&before, "en")));
        assert!(index.replace_page(1, &before[1], None).is_err(), "no group file, no guess");
        assert!(index.replace_page(1, &before[1], Some(b"[]")).is_err(), "a group file of other pages");
    }
}
