//! Text-answer normalisation (contract §3), shared by checks, client data and the scorer; the
//! browser's `quiz.js` implements the same steps, and `fixtures/contract.json` pins both.
//!
//! Steps, in order: Unicode NFKD (so full-width letters and ligatures become their plain
//! letters), drop combining marks (General_Category Mark: accents), drop the invisible format
//! characters [`IGNORED`], lowercase (Unicode's default mapping, no locale: Turkish `ı` stays
//! `ı`, `İ` becomes `i`), trim, and collapse runs of whitespace (Unicode White_Space, which
//! is what Rust's `char::is_whitespace` and JavaScript's `\p{White_Space}` both test) to one
//! space.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Invisible characters a pasted answer may carry inside a word: soft hyphen, zero-width
/// space, word joiner, and the zero-width no-break space (byte-order mark). Dropped, so
/// `bound\u{ad}ary` is `boundary`.
pub const IGNORED: [char; 4] = ['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}'];

/// `s` as answers are compared.
pub fn normalize(s: &str) -> String {
    let letters: String = s.nfkd().filter(|c| !is_combining_mark(*c) && !IGNORED.contains(c)).collect();
    letters.to_lowercase().split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalize_folds_case_accents_width_and_whitespace() {
        assert_eq!(normalize("  Ça   VA\tbien\n"), "ca va bien");
        assert_eq!(normalize("e\u{301}le\u{300}ve"), "eleve");
        assert_eq!(normalize("ＢＯＵＮＤＡＲＹ"), "boundary");
        assert_eq!(normalize("a\u{85}b\u{2028}c\u{a0}d"), "a b c d");
        assert_eq!(normalize("bound\u{feff}a\u{ad}ry"), "boundary");
        assert_eq!(normalize("   "), "");
    }

    /// The shared cases are pinned for both scorers in `fixtures/contract.json`; see
    /// `score::contract_tests`.
    #[test]
    fn turkish_i_follows_unicode_not_a_locale() {
        assert_eq!(normalize("İ"), "i");
        assert_eq!(normalize("ı"), "ı");
        assert_ne!(normalize("ı"), normalize("i"));
    }
}
