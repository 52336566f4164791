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

/// Calls `f` with every term of `text`, folded (see [`fold_into`]), in order.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut folded = String::new();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            // Most words: ASCII letters and digits, scanned without decoding.
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if bytes.get(at).is_none_or(|&b| b < 0x80) {
                let word = &text[start..at.min(start + MAX_TERM_CHARS)];
                if word.bytes().any(|b| b.is_ascii_uppercase()) {
                    folded.clear();
                    folded.push_str(word);
                    folded.make_ascii_lowercase();
                    f(&folded);
                } else {
                    f(word);
                }
                continue;
            }
            // The word goes on past ASCII: read again as the general case.
            at = start;
        } else {
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
            f(&folded);
        }
        at = end;
    }
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
        ];
        for text in texts {
            assert_eq!(terms(&text), general(&text), "{text:?}");
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
