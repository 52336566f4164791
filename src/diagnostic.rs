//! Diagnostics: what went wrong in the author's files, where, and what to do about it.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s instead of stopping at the
//! first one, so that a build can list all of its errors at once. A diagnostic carries the
//! offending line itself, so it can be printed (terminal) or shown (dev-server overlay) without
//! re-reading the file.

use std::fmt;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The whole text of that line, without its line break.
    pub line_text: String,
    /// How many characters from `column` the problem spans (at least 1).
    pub len: usize,
}

impl Location {
    /// The location of byte offset `offset` in `source`, underlining `len` bytes (clamped to the line).
    pub fn at_offset(source: &str, offset: usize, len: usize) -> Location {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let line = source[..line_start].matches('\n').count() + 1;
        let column = source[line_start..offset].chars().count() + 1;
        let end = floor_char_boundary(source, (offset + len.max(1)).min(line_start + line_text.len()));
        let len = source[offset..end.max(offset)].chars().count().max(1);
        Location { line, column, line_text: line_text.to_string(), len }
    }

    /// The location of a 1-based `line` and `column` in `source`.
    pub fn at_line_col(source: &str, line: usize, column: usize, len: usize) -> Location {
        let line_start: usize = source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let rest = &source[line_start.min(source.len())..];
        let offset_in_line: usize =
            rest.chars().take_while(|c| *c != '\n').take(column.saturating_sub(1)).map(char::len_utf8).sum();
        Location::at_offset(source, line_start + offset_in_line, len)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// Boxed to keep `Result<_, Diagnostic>` small on the happy path.
    pub location: Option<Box<Location>>,
    pub message: String,
    /// What the author can do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    /// Points at byte `offset` of `source` (the whole file the diagnostic is about).
    pub fn at_offset(self, source: &str, offset: usize, len: usize) -> Diagnostic {
        self.at(Location::at_offset(source, offset, len))
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or just the file when there is no location.
    pub fn position(&self) -> String {
        match &self.location {
            Some(loc) => format!("{}:{}:{}", shown_path(&self.file), loc.line, loc.column),
            None => shown_path(&self.file),
        }
    }

    /// The diagnostic as the terminal shows it: a headline, the offending line with a caret, a hint.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = shown_path(&self.file);
        let mut report = Vec::new();
        match &self.location {
            Some(loc) => {
                let start: usize = loc.line_text.chars().take(loc.column - 1).map(char::len_utf8).sum();
                let end: usize = start
                    + loc.line_text[start.min(loc.line_text.len())..]
                        .chars()
                        .take(loc.len)
                        .map(char::len_utf8)
                        .sum::<usize>();
                let start = start.min(loc.line_text.len());
                report.push(
                    level.primary_title(&self.message).element(
                        Snippet::source(&loc.line_text)
                            .line_start(loc.line)
                            .path(&path)
                            .annotation(AnnotationKind::Primary.span(start..end.max(start))),
                    ),
                );
            }
            None => {
                report
                    .push(level.primary_title(&self.message).element(annotate_snippets::Origin::path(&path)));
            }
        }
        if let Some(hint) = &self.hint {
            report.push(Group::with_title(Level::HELP.secondary_title(hint)));
        }
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        renderer.render(&report).to_string()
    }
}

/// Paths longer than this are shown shortened: a folder chain thousands deep is past the OS's
/// limit, and each of its errors printed a 4 KB path that said less than its two ends.
const LONGEST_SHOWN_PATH: usize = 160;

/// A path as a message shows it: whole, or when it is long, its first two and last three parts
/// around `…`, with how deep it is (`content/a/…/a/b/_index.md, 2101 folders deep`).
pub fn shown_path(path: &std::path::Path) -> String {
    let whole = path.display().to_string();
    let parts: Vec<_> = path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    if whole.chars().count() <= LONGEST_SHOWN_PATH || parts.len() <= 5 {
        return whole;
    }
    let folders = parts.len() - 1;
    format!("{}/…/{}, {folders} folders deep", parts[..2].join("/"), parts[parts.len() - 3..].join("/"))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The diagnostics of one run, errors first, each file's in line order.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// Sorted for stable output: by file, then line, then column.
    pub fn sorted(mut self) -> Report {
        self.diagnostics.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (d.file.clone(), d.location.as_ref().map(|l| (l.line, l.column)), d.severity)
            };
            key(a).cmp(&key(b))
        });
        self.diagnostics.dedup();
        self
    }

    /// Every diagnostic rendered, then a count line.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        let (e, w) = (self.error_count(), self.warning_count());
        if e + w > 0 {
            out.push_str(&format!(
                "{} error{}, {} warning{}\n",
                e,
                if e == 1 { "" } else { "s" },
                w,
                if w == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a "did you mean" hint.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    Some(match did_you_mean(unknown, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? (the known keys are {})", list(&expected)),
        None => format!("remove `{unknown}`; the known keys are {}", list(&expected)),
    })
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_offset_counts_lines_and_chars() {
        let src = "title: x\ntítle: y\n";
        let off = src.find("le: y").unwrap();
        let loc = Location::at_offset(src, off, 3);
        assert_eq!((loc.line, loc.column, loc.len), (2, 4, 3));
        assert_eq!(loc.line_text, "títle: y");
        let again = Location::at_line_col(src, 2, 4, 3);
        assert_eq!(again, loc);
    }

    #[test]
    fn renders_file_line_caret_and_hint() {
        let src = "a\ntitel: Foo\n";
        let d = Diagnostic::error("content/a.md", "unknown key `titel`")
            .at_offset(src, 2, 5)
            .with_hint("did you mean `title`?");
        let text = d.render(false);
        assert!(text.contains("content/a.md:2:1"), "{text}");
        assert!(text.contains("titel: Foo"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
    }

    #[test]
    fn unknown_field_message_becomes_a_suggestion() {
        let hint = unknown_field_hint("unknown field `titel`, expected one of `title`, `weight`").unwrap();
        assert!(hint.starts_with("did you mean `title`?"), "{hint}");
        let hint = unknown_field_hint("unknown field `zzz`, expected `title`").unwrap();
        assert!(hint.starts_with("remove `zzz`"), "{hint}");
    }
}
