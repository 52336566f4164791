//! Diagnostics for one quiz file: a [`Reporter`] that knows how to point into the YAML, and the
//! small checks every part of the format uses (blank text, positive numbers, dimension names,
//! ids).

use std::path::Path;

use crate::diagnostic::{Diagnostic, did_you_mean};

use super::locate::{Seg, SourceMap, Span};

/// Collects the diagnostics of one quiz file and knows how to point into it.
pub(crate) struct Reporter<'a> {
    pub file: &'a Path,
    pub source: &'a str,
    pub map: &'a SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a Path, source: &'a str, map: &'a SourceMap) -> Self {
        Reporter { file, source, map, diagnostics: Vec::new() }
    }

    pub fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message).at_offset(self.source, span.offset, span.len)
    }

    pub fn warning(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.file, message).at_offset(self.source, span.offset, span.len)
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Where the value at `path` is (or the nearest thing that exists).
    pub fn value(&self, path: &[Seg]) -> Span {
        self.map.value_or_parent(path)
    }

    /// Where the key ending `path` is (or the nearest thing that exists).
    pub fn key(&self, path: &[Seg]) -> Span {
        self.map.key_or_parent(path)
    }
}

/// The largest magnitude a scale bound may have.
pub(crate) const MAX_SCALE_VALUE: i64 = 1_000_000;
/// The largest points or weight a question or option may carry: far beyond any real quiz, and
/// small enough that no sum of them overflows or loses its integer exactness.
pub(crate) const MAX_POINTS: f64 = 1e9;

/// A required text, with an error when it is only whitespace.
pub(crate) fn non_blank(r: &mut Reporter, text: String, path: &[Seg], message: &str) -> String {
    if text.trim().is_empty() {
        r.push(r.error(r.value(path), message));
    }
    text
}

/// A knowledge question's `points` or a scale's `weight`: default 1, finite and above zero.
pub(crate) fn check_positive(r: &mut Reporter, value: Option<f64>, path: &[Seg], key: &str) -> f64 {
    let value = value.unwrap_or(1.0);
    if !(value.is_finite() && value > 0.0 && value <= MAX_POINTS) {
        r.push(
            r.error(r.value(path), format!("`{key}` must be a number above zero and at most {MAX_POINTS:e}"))
                .with_hint(format!("leave `{key}` out for the default, 1")),
        );
        return 1.0;
    }
    value
}

/// "one of `a`, `b`" for hints.
pub(crate) fn one_of(names: &[&str]) -> String {
    match names {
        [] => "declare a dimension under `dimensions` first".to_string(),
        [one] => format!("`{one}`"),
        _ => format!("one of {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Reports a reference to a dimension that was not declared.
pub(crate) fn check_dimension_ref(r: &mut Reporter, dimensions: &[&str], id: &str, span: Span) -> bool {
    if dimensions.contains(&id) {
        return true;
    }
    let hint = match did_you_mean(id, dimensions.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? The dimensions are {}", one_of(dimensions)),
        None => format!("declare it under `dimensions`, or use {}", one_of(dimensions)),
    };
    r.push(r.error(span, format!("no dimension `{id}`")).with_hint(hint));
    false
}

/// Whether `id` can stand as is in HTML ids, attribute values and storage keys: ASCII letters,
/// digits, `-` and `_` (the pattern `schema/quiz.schema.json` gives editors). Nothing else, so that no id needs escaping where the theme or
/// the script puts it (SPEC §4 names elements by these ids).
pub(crate) fn is_safe_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `id` turned into one [`is_safe_id`] accepts, for hints: other characters become `-`.
pub(crate) fn safe_id_like(id: &str) -> String {
    let unaccented = super::text::normalize(id);
    let mapped: String =
        unaccented.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let joined = mapped.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if joined.is_empty() { "id-1".to_string() } else { joined }
}

/// Reports an id (of a `what`: question, dimension, outcome) that [`is_safe_id`] refuses. Blank
/// ids are reported by the caller.
pub(crate) fn check_id(r: &mut Reporter, id: &str, span: Span, what: &str) {
    if id.trim().is_empty() || is_safe_id(id) {
        return;
    }
    r.push(r.error(span, format!("the {what} id `{id}` has characters an id cannot have")).with_hint(
        format!(
            "ids name elements of the page: use ASCII letters, digits, `-` and `_`, e.g. `{}`",
            safe_id_like(id)
        ),
    ));
}
