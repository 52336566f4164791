// tandem's search engine: reads the index `tandem build` writes under search/ (docs/search.md).
// Plain JavaScript, no dependencies. The page loads it only when the search box gets focus;
// site.js draws the results. Words are split and folded exactly as src/search/text.rs does.

const FORMAT = 2;
/** Words longer than this are cut, as the index cut them (MAX_TERM_CHARS). */
const MAX_TERM = 32;
/** A query uses at most this many words; the rest of a pasted paragraph is ignored. */
const MAX_WORDS = 10;
/** The last word matches as a prefix from this many letters on (one letter would fetch half the index). */
const MIN_PREFIX = 2;
/** Words of text around the first match in a snippet. */
const SNIPPET_WORDS = 24;
/** Postings decoded between two yields to the page, so a query never blocks it for long. */
const POSTINGS_PER_SLICE = 50_000;

/** English inflections tried off a finished word the index does not have, longest first. */
const ENDINGS = ["ments", "ings", "ment", "ies", "ing", "es", "ed", "ly", "s"];

const WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;
const ENDS_IN_WORD = /[\p{Alphabetic}\p{N}\p{M}]$/u;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** One word as the index spells it: decomposed, marks dropped, lower case, cut. */
export function fold(word) {
  let s = ASCII.test(word) ? word.toLowerCase() : word.normalize("NFKD").replace(MARKS, "").toLowerCase();
  if (s.length > MAX_TERM) {
    const points = Array.from(s);
    if (points.length > MAX_TERM) s = points.slice(0, MAX_TERM).join("");
  }
  return s;
}

/** The folded words of `text`, in order. */
export function terms(text) {
  return (String(text).match(WORD) || []).map(fold).filter(Boolean);
}

/** Code point order, the index's order (UTF-16 order differs above U+FFFF). */
function compare(a, b) {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i);
    const y = b.codePointAt(j);
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

function varint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at.i++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return value;
    shift += 7;
  }
}

/** A shard's terms, with where each one's postings are; postings are decoded only when used. */
function parseShard(bytes) {
  const decoder = new TextDecoder();
  const at = { i: 0 };
  const count = varint(bytes, at);
  const list = [];
  let previous = new Uint8Array(0);
  for (let n = 0; n < count; n++) {
    const shared = varint(bytes, at);
    const len = varint(bytes, at);
    const raw = new Uint8Array(shared + len);
    raw.set(previous.subarray(0, shared));
    raw.set(bytes.subarray(at.i, at.i + len), shared);
    at.i += len;
    const back = varint(bytes, at);
    const postings = varint(bytes, at);
    const size = varint(bytes, at);
    list.push({ text: decoder.decode(raw), leader: n - back, postings, start: at.i });
    at.i += size;
    previous = raw;
  }
  return { bytes, list };
}

/**
 * Opens the index whose manifest is at `url` (fetches only the manifest).
 * `fetch` may be replaced (tests read files from disk through it).
 */
export async function open(url, { fetch: get = globalThis.fetch.bind(globalThis) } = {}) {
  const base = new URL(url, globalThis.location?.href);
  const fetchOk = async (path) => {
    const response = await get(new URL(path, base).href);
    if (!response.ok) throw new Error(`search: ${path}: HTTP ${response.status}`);
    return response;
  };
  const manifest = await (await fetchOk(base.href)).json();
  if (manifest.format !== FORMAT) throw new Error(`search: index format ${manifest.format}, expected ${FORMAT}`);
  const shards = new Map();
  const fragments = new Map();
  const shard = (i) => {
    if (!shards.has(i)) {
      const p = fetchOk(`s/${i}.bin`).then(async (r) => parseShard(new Uint8Array(await r.arrayBuffer())));
      p.catch(() => shards.delete(i)); // tried again by the next query
      shards.set(i, p);
    }
    return shards.get(i);
  };
  // Fragment files by path: a group's `f/N.json` (the first chunks of pages N·size to
  // N·size + size − 1) or a long page's `f/PAGE.PART.json`.
  const fetchFragmentFile = (path) => {
    if (!fragments.has(path)) {
      const p = fetchOk(path).then((r) => r.json());
      p.catch(() => fragments.delete(path));
      fragments.set(path, p);
    }
    return fragments.get(path);
  };
  const perFile = manifest.pages_per_fragment;
  const fragment = async (page, part) => {
    if (part) return fetchFragmentFile(`f/${page}.${part}.json`);
    const group = await fetchFragmentFile(`f/${Math.floor(page / perFile)}.json`);
    return group[page % perFile];
  };
  const starts = manifest.shards;
  // The shard whose range holds `term`: the last one starting at or before it.
  const shardOf = (term) => {
    let lo = 0;
    let hi = starts.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (compare(starts[mid], term) <= 0) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  // The shards that may hold a term starting with `prefix`.
  const shardsFor = (word, prefix) => {
    const first = shardOf(word);
    const out = [first];
    if (prefix) {
      for (let i = first + 1; i < starts.length && starts[i].startsWith(word); i++) out.push(i);
    }
    return out;
  };

  /**
   * The terms of the index that `word` matches: itself and its stem group, and with `prefix`,
   * every term it starts. A finished English word the index lacks (`attachments`) is looked up
   * without its inflection (`attachment`), whose stem group then matches.
   */
  async function matches(word, prefix) {
    const found = await lookup(word, prefix);
    if (found.length || prefix || !manifest.stemmed) return found;
    for (const ending of ENDINGS) {
      if (word.length > ending.length + 2 && word.endsWith(ending)) {
        const shorter = await lookup(word.slice(0, -ending.length), false);
        if (shorter.length) return shorter;
      }
    }
    return found;
  }

  async function lookup(word, prefix) {
    const found = [];
    for (const s of await Promise.all(shardsFor(word, prefix).map(shard))) {
      const { list } = s;
      let exact = -1;
      for (let i = 0; i < list.length; i++) {
        const t = list[i];
        if (t.text === word) exact = i;
        if (t.text === word || (prefix && t.text.startsWith(word))) found.push([s, t, t.text === word]);
      }
      if (exact >= 0 && manifest.stemmed) {
        const leader = list[exact].leader;
        for (const t of list) if (t.leader === leader && t.text !== word && !(prefix && t.text.startsWith(word))) found.push([s, t, false]);
      }
    }
    return found;
  }

  /**
   * The pages matching every word of `text`, best first: the top `limit` with title, heading,
   * link and snippet. `isStale()` lets a caller drop a query the reader has typed past.
   */
  async function search(text, { limit = 8, isStale = () => false } = {}) {
    const words = [...new Set(terms(text))].slice(0, MAX_WORDS);
    const empty = { total: 0, results: [], words };
    if (!words.length) return empty;
    const last = words[words.length - 1];
    const typing = ENDS_IN_WORD.test(text) && terms(text).at(-1) === last;
    const pages = manifest.pages;
    // Per word and page: term frequency, title/heading bits (+4 once matched), chunk to show.
    const per = [];
    const matched = [];
    let decoded = 0;
    for (const [w, word] of words.entries()) {
      const prefix = w === words.length - 1 && typing && Array.from(word).length >= MIN_PREFIX;
      const found = await matches(word, prefix);
      if (isStale()) return null;
      const tf = new Uint32Array(pages);
      const bits = new Uint8Array(pages);
      const chunk = new Int32Array(pages).fill(-1);
      const exactChunk = new Int32Array(pages).fill(-1);
      for (const [s, t, exact] of found) {
        const at = { i: t.start };
        let page = 0;
        for (let n = 0; n < t.postings; n++) {
          page += varint(s.bytes, at);
          const weight = varint(s.bytes, at);
          const c = varint(s.bytes, at);
          tf[page] += Math.floor(weight / 4);
          bits[page] |= 4 | (weight & 3);
          if (chunk[page] < 0 || (weight & 1 && !(bits[page] & 8))) chunk[page] = c;
          if (weight & 1) bits[page] |= 8;
          if (exact) exactChunk[page] = c;
        }
        decoded += t.postings;
        if (decoded > POSTINGS_PER_SLICE) {
          decoded = 0;
          await pause();
          if (isStale()) return null;
        }
      }
      per.push({ tf, bits, chunk, exactChunk });
      matched.push(new Set(found.map(([, t]) => t.text)));
    }
    // AND: pages every word matched.
    const hits = [];
    for (let page = 0; page < pages; page++) {
      let title = 0;
      let heading = 0;
      let tf = 0;
      let all = true;
      for (const p of per) {
        const b = p.bits[page];
        if (!(b & 4)) {
          all = false;
          break;
        }
        title += (b >> 1) & 1;
        heading += b & 1;
        tf += p.tf[page];
      }
      if (all) hits.push({ page, title, heading, tf });
    }
    hits.sort((a, b) => b.title - a.title || b.heading - a.heading || b.tf - a.tf || a.page - b.page);
    const top = hits.slice(0, limit);
    const results = await Promise.all(top.map((hit) => describe(hit.page, per, matched)));
    if (isStale()) return null;
    return { total: hits.length, results, words };
  }

  /** Title, link and snippet of one result, from its fragment. */
  async function describe(page, per, matched) {
    // Candidate chunks: where each word is (an exact match preferred); the one holding most words wins.
    const candidates = [...new Set(per.map((p) => (p.exactChunk[page] >= 0 ? p.exactChunk[page] : p.chunk[page])))];
    const size = manifest.chunks_per_fragment;
    const files = await Promise.all([...new Set(candidates.map((c) => Math.floor(c / size)))].map((part) => fragment(page, part)));
    const chunkAt = (c) => {
      const f = files.find((f) => c >= f.first && c < f.first + f.chunks.length);
      return f && f.chunks[c - f.first];
    };
    const all = new Set(matched.flatMap((m) => [...m]));
    let best = null;
    let bestCount = -1;
    for (const c of candidates) {
      const chunk = chunkAt(c);
      if (!chunk) continue;
      const inChunk = new Set(terms(chunk.text + " " + chunk.heading).filter((t) => all.has(t)));
      const count = matched.filter((m) => [...m].some((t) => inChunk.has(t))).length;
      if (count > bestCount) {
        best = chunk;
        bestCount = count;
      }
    }
    const f = files[0];
    return {
      url: best && best.anchor ? `${f.url}#${best.anchor}` : f.url,
      title: f.title,
      heading: best ? best.heading : "",
      snippet: best ? snippet(best.text, all) : [],
    };
  }

  return { search, manifest };
}

/**
 * The words around the first match of `text`, as pieces `{ text, mark }` (marked: a matched
 * word), with an ellipsis where the text was cut.
 */
export function snippet(text, matchedTerms) {
  const words = [];
  for (const m of text.matchAll(WORD)) words.push({ start: m.index, end: m.index + m[0].length, hit: matchedTerms.has(fold(m[0])) });
  if (!words.length) return text ? [{ text, mark: false }] : [];
  const first = Math.max(0, words.findIndex((w) => w.hit));
  const from = Math.max(0, first - Math.floor(SNIPPET_WORDS / 3));
  const to = Math.min(words.length, from + SNIPPET_WORDS);
  const pieces = [];
  const push = (t, mark) => t && pieces.push({ text: t, mark });
  let at = from === 0 ? 0 : words[from].start;
  if (from > 0) push("… ", false);
  for (let i = from; i < to; i++) {
    const w = words[i];
    if (w.hit) {
      push(text.slice(at, w.start), false);
      push(text.slice(w.start, w.end), true);
      at = w.end;
    }
  }
  const end = to === words.length ? text.length : words[to - 1].end;
  push(text.slice(at, end), false);
  if (to < words.length) push(" …", false);
  return pieces;
}
