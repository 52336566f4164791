//! Words as the index knows them: split, folded, and (for English) grouped by stem.
//!
//! The theme's search script splits and folds a query exactly the same way (see `fold` and
//! `terms` in themes/default/static/search.js); `tests/fixtures/search/fold.json` holds the cases
//! both test suites check, so the two cannot drift apart.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longer runs of letters (a hash, a base64 blob) are cut to this many characters: nobody types
/// them, and they must not bloat the index.
pub const MAX_TERM_CHARS: usize = 32;

/// Whether `c` belongs to a word: a letter, a digit, or a combining mark (so that a decomposed
/// `é` stays one word; folding drops the mark). JS: `[\p{Alphabetic}\p{N}\p{M}]`.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() || is_combining_mark(c) }
}

/// A folded term as the index counts it: one of up to [`SHORT_BYTES`] bytes (nearly all) as a
/// number, so that counting a word costs no string and one cheap hash, or a longer one's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Short(u128),
    Long(&'a str),
}

/// The longest term that is a [`Key::Short`].
pub const SHORT_BYTES: usize = 16;

impl Key<'_> {
    /// The key of a folded term.
    pub fn of(term: &str) -> Key<'_> {
        match term.len() {
            0..=SHORT_BYTES => Key::Short(short_key(term.as_bytes())),
            _ => Key::Long(term),
        }
    }
}

/// A term of at most [`SHORT_BYTES`] bytes as a number: its bytes, big-endian, zeros after (a
/// term holds no zero byte: only letters, digits and marks), so that keys sort as their terms do.
pub fn short_key(term: &[u8]) -> u128 {
    // Built in registers: copying the bytes into a buffer to read it back as a number stalled
    // the loads behind the stores, and this runs for every word of the site.
    let key = term.iter().fold(0u128, |key, &b| key << 8 | u128::from(b));
    key.checked_shl(8 * (SHORT_BYTES - term.len()) as u32).unwrap_or(0)
}

/// The term of a [`Key::Short`].
pub fn short_text(key: u128) -> String {
    let bytes = key.to_be_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(SHORT_BYTES);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// Calls `f` with every term of `text`, folded (see [`fold_into`]), in order.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    for_each_key(text, |key| match key {
        Key::Short(key) => f(&short_text(key)),
        Key::Long(term) => f(term),
    });
}

/// Calls `f` with the [`Key`] of every term of `text`, folded (see [`fold_into`]), in order: what
/// the index counts.
///
/// Most text is ASCII words between ASCII or typographic punctuation (smart quotes, dashes:
/// `don’t`, `“quoted”`), so those are split, folded and made keys in one pass over their bytes,
/// with no decoding and no copy; any other word goes through the general Unicode fold.
pub fn for_each_key(text: &str, mut f: impl FnMut(Key)) {
    let bytes = text.as_bytes();
    let mut folded = String::new();
    let mut at = 0;
    while at < bytes.len() {
        // Nearly every word: sixteen bytes read at once tell where it ends and give its key, with
        // no loop over its bytes (whose exit, at a different length each word, was mispredicted
        // once a word). What this does not settle goes on to the byte-by-byte code below.
        // The window is a u128: as many bytes as the longest short key.
        if let Some(window) = bytes.get(at..at + SHORT_BYTES) {
            let w = u128::from_le_bytes(window.try_into().expect("sixteen bytes"));
            let word = ascii_word_bytes(w);
            if word & 0x80 != 0 {
                let len = ((!word & HIGH_BITS).trailing_zeros() / 8) as usize;
                // Ended before sixteen bytes, by an ASCII byte (past ASCII, the word may go on).
                if len < SHORT_BYTES && (w >> (8 * len)) & 0x80 == 0 {
                    // Lower case (`| 0x20` leaves digits as they are), the bytes past the word
                    // cleared, then big-endian: the key of `short_key`.
                    let lowered = (w | LOWER_CASE_BITS) & ((1u128 << (8 * len)) - 1);
                    f(Key::Short(lowered.swap_bytes()));
                    // And past what follows it, as far as the window shows: the next word's
                    // first byte or the next byte past ASCII, so the next round starts there.
                    let rest = (word | (w & HIGH_BITS)) >> (8 * len);
                    at += match rest {
                        0 => SHORT_BYTES,
                        _ => len + (rest.trailing_zeros() / 8) as usize,
                    };
                    continue;
                }
            } else {
                // Not in a word: on to the next letter or digit, or the next byte past ASCII.
                let next = word | (w & HIGH_BITS);
                if next == 0 {
                    at += SHORT_BYTES;
                    continue;
                }
                let skip = (next.trailing_zeros() / 8) as usize;
                if skip > 0 {
                    at += skip;
                    continue;
                }
            }
        }
        let b = bytes[at];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let start = at;
            let mut key = 0u128;
            while let Some(&b) = bytes.get(at) {
                let lower = ASCII_FOLD[usize::from(b)];
                if lower == 0 {
                    break;
                }
                if at - start < SHORT_BYTES {
                    key = key << 8 | u128::from(lower);
                }
                at += 1;
            }
            if ascii_word_ends_at(text, at) {
                match at - start {
                    len @ 1..=SHORT_BYTES => f(Key::Short(key << (8 * (SHORT_BYTES - len)))),
                    _ => {
                        folded.clear();
                        folded.push_str(&text[start..at.min(start + MAX_TERM_CHARS)]);
                        folded.make_ascii_lowercase();
                        f(Key::Long(&folded));
                    }
                }
                continue;
            }
            // The word goes on past ASCII: read again as the general case.
            at = start;
        } else {
            if let Some(len) = general_punctuation_len(bytes, at) {
                at += len;
                continue;
            }
            let c = text[at..].chars().next().expect("at a char boundary");
            if !is_word_char(c) {
                at += c.len_utf8();
                continue;
            }
        }
        let start = at;
        let end = text[start..].find(|c: char| !is_word_char(c)).map_or(text.len(), |e| start + e);
        fold_into(&text[start..end], &mut folded);
        if !folded.is_empty() {
            f(Key::of(&folded));
        }
        at = end;
    }
}

/// The high bit of each byte of a 16-byte window.
const HIGH_BITS: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
/// `0x20` in each byte: ASCII's lower-case bit.
const LOWER_CASE_BITS: u128 = HIGH_BITS >> 2;

/// The byte `b` in every byte of a 16-byte window.
const fn each_byte(b: u8) -> u128 {
    (HIGH_BITS >> 7) * b as u128
}

/// The high bit of each byte of `w` (16 bytes, little-endian) that is an ASCII letter or digit,
/// in a few operations on the whole window. Each byte's low seven bits are compared by adding a
/// constant that carries into the byte's high bit exactly when it is at least some value; no sum
/// passes 0xff, so no byte carries into the next.
fn ascii_word_bytes(w: u128) -> u128 {
    let low = w & !HIGH_BITS;
    let lower = low | LOWER_CASE_BITS;
    let at_least = |v: u128, min: u8| v + each_byte(0x80 - min);
    let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    (letter | digit) & !w & HIGH_BITS
}

/// Each ASCII letter and digit lower-cased; 0 for every other byte.
const ASCII_FOLD: [u8; 256] = {
    let mut fold = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            fold[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    fold
};

/// Whether a run of ASCII letters and digits that stops at byte `at` of `text` is a whole word:
/// what follows is the end, ASCII (not a letter or digit, or the run would go on), or a char
/// that is not a word char.
#[inline]
fn ascii_word_ends_at(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(at) {
        None => true,
        Some(&b) if b < 0x80 => true,
        Some(_) => non_ascii_ends_word_at(text, at),
    }
}

/// [`ascii_word_ends_at`] where a char past ASCII follows the run: the rarer case, kept out of
/// the loop over every word.
#[inline(never)]
fn non_ascii_ends_word_at(text: &str, at: usize) -> bool {
    general_punctuation_len(text.as_bytes(), at).is_some()
        || !text[at..].chars().next().is_some_and(is_word_char)
}

/// The length of the char at `at` if it is in U+2000–U+203F (spaces, dashes, quotes, `…` and other
/// punctuation of Unicode's General Punctuation block, none of them a word char): the non-ASCII
/// chars of most English text, told apart by their UTF-8 bytes `E2 80 xx` without decoding.
fn general_punctuation_len(bytes: &[u8], at: usize) -> Option<usize> {
    (bytes[at] == 0xe2 && bytes.get(at + 1) == Some(&0x80)).then_some(3)
}

/// The terms of `text`, folded; for tests and for queries.
pub fn terms(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    for_each_term(text, |t| all.push(t.to_string()));
    all
}

/// One word folded into `out` (cleared first): compatibility-decomposed (NFKD), combining marks
/// dropped, lower case, cut to [`MAX_TERM_CHARS`]. `Ça` and `ca`, `ﬁle` and `file` are one term.
pub fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        // Most words: no decomposition to do.
        out.push_str(&word[..word.len().min(MAX_TERM_CHARS)]);
        out.make_ascii_lowercase();
        return;
    }
    let stripped: String = word.nfkd().filter(|&c| !is_combining_mark(c)).collect();
    // Lower-cased as a whole string, so a final sigma becomes `ς` as in JavaScript.
    out.extend(stripped.to_lowercase().chars().take(MAX_TERM_CHARS));
}

/// Groups words that share a stem, for sites in a language with a stemmer.
pub struct Stemming {
    stemmer: Option<Stemmer>,
}

impl Stemming {
    /// English stemming (Snowball's Porter 2) for `en` and `en-*`; other languages match words
    /// exactly and by prefix only.
    pub fn for_language(language: &str) -> Stemming {
        let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let stemmer = (primary == "en").then(|| Stemmer::create(Algorithm::English));
        Stemming { stemmer }
    }

    pub fn is_on(&self) -> bool {
        self.stemmer.is_some()
    }

    /// The stem of a folded term; the term itself without a stemmer.
    pub fn stem<'a>(&self, term: &'a str) -> Cow<'a, str> {
        match &self.stemmer {
            Some(s) => s.stem(term),
            None => Cow::Borrowed(term),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct FoldCase {
        text: String,
        terms: Vec<String>,
    }

    #[test]
    fn terms_match_the_shared_fixture() {
        let json = include_str!("../../tests/fixtures/search/fold.json");
        let cases: Vec<FoldCase> = serde_json::from_str(json).unwrap();
        assert!(cases.len() > 5);
        for case in cases {
            assert_eq!(terms(&case.text), case.terms, "terms of {:?}", case.text);
        }
    }

    #[test]
    fn the_ascii_fast_path_splits_and_folds_as_the_general_case_does() {
        // The general case: split at every char that is not a word char, fold each word.
        let general = |text: &str| -> Vec<String> {
            let mut out = Vec::new();
            for word in text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
                let mut folded = String::new();
                fold_into(word, &mut folded);
                if !folded.is_empty() {
                    out.push(folded);
                }
            }
            out
        };
        let long = "Ab".repeat(20);
        let texts = [
            "Plain words, UPPER and MiXed 42x.".to_string(),
            "café Éa aÉ a’b “quoted” ﬁle Straße ΣΑΣ x\u{301}y".to_string(),
            format!("{long} {long}é é{long} {long}"),
            "tab\tnew\nline\u{a0}nbsp\u{3000}ideographic".to_string(),
            String::new(),
            "’’’ ,,, ".to_string(),
            "Don’t “Stop” now—EN–dash… x\u{2070}y ab\u{301} AB\u{2009}cd Ab€ ab\u{a0}".to_string(),
            format!("{long}’{long} “{long}”"),
        ];
        for text in texts {
            assert_eq!(terms(&text), general(&text), "{text:?}");
        }
    }

    #[test]
    fn the_sixteen_byte_test_of_word_bytes_agrees_with_the_byte_by_byte_one() {
        // Every byte value in every position, beside neighbours that would show a carry.
        for b in 0..=255u8 {
            for neighbour in [0u8, b'z', 0x7f, 0x80, 0xff] {
                for at in 0..16 {
                    let mut window = [neighbour; 16];
                    window[at] = b;
                    let bits = ascii_word_bytes(u128::from_le_bytes(window));
                    for (i, &byte) in window.iter().enumerate() {
                        let expected = ASCII_FOLD[usize::from(byte)] != 0;
                        assert_eq!(bits >> (8 * i + 7) & 1 == 1, expected, "{window:?} byte {i}");
                    }
                    assert_eq!(bits & !HIGH_BITS, 0);
                }
            }
        }
    }

    #[test]
    fn words_at_every_offset_and_length_split_as_the_general_case_does() {
        // The fast path reads sixteen bytes from a word's start: words of every length near
        // that, at every distance from the end of the text, ended by ASCII or by what is not.
        for len in 1..=18 {
            for tail in 0..=18 {
                for end in ["", " ", "é", "’", "\u{301}", "\u{a0}", "-x"] {
                    let word = &"aB3".repeat(7)[..len];
                    let text = format!("{word}{end}{}", " z".repeat(tail));
                    let mut expected = vec![word.to_ascii_lowercase()];
                    let mut general = String::new();
                    fold_into(&format!("{word}{end}"), &mut general);
                    match end {
                        "é" | "\u{301}" => expected = vec![general],
                        "-x" => expected.push("x".to_string()),
                        _ => {}
                    }
                    expected.extend(std::iter::repeat_n("z".to_string(), tail));
                    for e in &mut expected {
                        e.truncate(MAX_TERM_CHARS);
                    }
                    assert_eq!(terms(&text), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn general_punctuation_is_never_part_of_a_word() {
        for c in '\u{2000}'..='\u{203f}' {
            assert!(!is_word_char(c), "{c:?} U+{:04X}", c as u32);
            let mut utf8 = [0u8; 4];
            assert_eq!(general_punctuation_len(c.encode_utf8(&mut utf8).as_bytes(), 0), Some(3));
            assert_eq!(terms(&format!("Don{c}t {c}x{c} é{c}É")), ["don", "t", "x", "e", "e"], "{c:?}");
        }
        for c in ['\u{1fff}', '\u{2040}', '\u{2070}', 'é', '€'] {
            let mut utf8 = [0u8; 4];
            assert_eq!(general_punctuation_len(c.encode_utf8(&mut utf8).as_bytes(), 0), None, "{c:?}");
        }
    }

    #[test]
    fn keys_are_the_terms_bytes_and_sort_as_they_do() {
        let texts = ["Plain UPPER a’b ABCDEFGHIJKLMNOP abcdefghijklmnopq café Ça 42x x", &"Ab".repeat(30)];
        for text in texts {
            let mut keys = Vec::new();
            for_each_key(text, |k| keys.push(k.to_owned_term()));
            assert_eq!(keys, terms(text), "{text:?}");
        }
        let mut sorted = ["b", "a", "ab", "abc", "z9", "0", "ä"].map(|t| (short_key(t.as_bytes()), t));
        sorted.sort();
        assert_eq!(sorted.map(|(_, t)| t), ["0", "a", "ab", "abc", "b", "z9", "ä"]);
        assert_eq!(Key::of("abcdefghijklmnop"), Key::Short(u128::from_be_bytes(*b"abcdefghijklmnop")));
        assert_eq!(Key::of("abcdefghijklmnopq"), Key::Long("abcdefghijklmnopq"));
        assert_eq!(short_text(short_key(b"word")), "word");
    }

    impl Key<'_> {
        fn to_owned_term(self) -> String {
            match self {
                Key::Short(key) => short_text(key),
                Key::Long(term) => term.to_string(),
            }
        }
    }

    #[test]
    fn long_words_are_cut() {
        let t = terms(&"x".repeat(1000));
        assert_eq!(t, ["x".repeat(MAX_TERM_CHARS)]);
    }

    #[test]
    fn english_groups_by_stem_and_other_languages_do_not() {
        let en = Stemming::for_language("en-GB");
        assert!(en.is_on());
        assert_eq!(en.stem("attachments"), en.stem("attached"));
        let fr = Stemming::for_language("fr");
        assert!(!fr.is_on());
        assert_eq!(fr.stem("attachments"), "attachments");
    }
}
