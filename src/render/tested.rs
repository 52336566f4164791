//! Quiz questions' `tests` links (SPEC §3.2): each names the guide section the question checks.
//! The build proves every one (the file is a guide or section page of this site, not a quiz and
//! not a file outside `content/`, and it has that heading), names the heading in the question's
//! "Review: …" link, and `tandem check --coverage` reports the sections no question tests.
//!
//! Quizzes render before guides (guides embed their HTML), so the headings a quiz needs come
//! from a first render of just the guides that `tests` links name. A guide's headings do not
//! depend on the quizzes it embeds: embeds are placed after Markdown is parsed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::rendering::render_markdown;
use super::{Site, Templates};
use crate::content::{DocId, Page, PageKind, normalize_path};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, TocEntry};
use crate::quiz::SectionLink;

/// A `tests` link that resolved to a Markdown document of the site.
pub(crate) struct Tested {
    /// The guide's source path, e.g. `content/guides/boundaries.md`.
    pub source: PathBuf,
    pub doc: DocId,
}

/// Where a `tests` link written in the quiz at `from` points, or why it points nowhere useful.
pub(crate) fn resolve(site: &Site, from: &Path, link: &SectionLink) -> Result<Tested, (String, String)> {
    let file = markdown::links::percent_decode(&link.file);
    let Some((source, _)) = site.content.resolve_source_link(from, &file) else {
        let joined = normalize_path(&from.parent().unwrap_or(Path::new("")).join(&file));
        let outside = joined.as_ref().is_none_or(|p| !p.starts_with("content"));
        return Err(if outside {
            (
                format!("`tests` links outside content/: {}", link.file),
                "a question can only test a section of one of this site's guides, under content/".into(),
            )
        } else {
            (
                format!("`tests` links to a missing file: {}", link.file),
                "the path is relative to the quiz file, e.g. `../guides/boundaries.md#saying-no` \
                 (a draft guide is missing unless you build with --drafts)"
                    .into(),
            )
        });
    };
    match document(site, &source) {
        Some(doc) => Ok(Tested { source, doc }),
        None => Err((
            format!("`tests` links to a quiz: {}", link.file),
            "`tests` names the guide section that teaches what the question checks; link to that guide's heading".into(),
        )),
    }
}

/// The guide or section page whose source is `source` (`None` for a quiz).
fn document(site: &Site, source: &Path) -> Option<DocId> {
    match site.content.document_by_source(source)? {
        DocId::Page(id) => match site.content.pages[id].kind {
            PageKind::Guide { .. } => Some(DocId::Page(id)),
            PageKind::Quiz(_) => None,
        },
        DocId::Section(id) => Some(DocId::Section(id)),
    }
}

/// The headings of every document some quiz question `tests`, by source path.
pub(crate) fn tested_headings(site: &Site, templates: &Templates) -> HashMap<PathBuf, Vec<TocEntry>> {
    let targets: HashMap<PathBuf, DocId> = quizzes(site)
        .flat_map(|(page, quiz)| quiz.tests_links().map(move |(_, link)| (page, link)))
        .filter_map(|(page, link)| resolve(site, &page.source.path, link).ok())
        .map(|t| (t.source, t.doc))
        .collect();
    let no_embeds = HashMap::new();
    targets
        .into_par_iter()
        .filter_map(|(source, doc)| Some((source, render_markdown(site, templates, &no_embeds, doc)?.toc)))
        .collect()
}

/// Every quiz of the site, with its page.
pub(crate) fn quizzes<'a>(site: &Site<'a>) -> impl Iterator<Item = (&'a Page, &'a crate::quiz::Quiz)> {
    site.content.pages.iter().filter_map(|p| match &p.kind {
        PageKind::Quiz(q) => Some((p, &**q)),
        PageKind::Guide { .. } => None,
    })
}

/// Checks one `tests` link of the quiz on `page`: `Ok((url with #anchor, heading text))`, or the
/// error to report at the link.
pub(crate) fn check(
    site: &Site,
    page: &Page,
    link: &SectionLink,
    headings: &HashMap<PathBuf, Vec<TocEntry>>,
) -> Result<(String, String), Diagnostic> {
    let at = |d: Diagnostic| d.at_offset(&page.source.text(), link.offset, link.len.max(1));
    let tested = resolve(site, &page.source.path, link)
        .map_err(|(message, hint)| at(Diagnostic::error(&page.source.path, message).with_hint(hint)))?;
    let toc = headings.get(&tested.source).map_or(&[][..], Vec::as_slice);
    let Some(heading) = toc.iter().find(|h| h.id == link.anchor) else {
        let ids: HashSet<String> = toc.iter().map(|h| h.id.clone()).collect();
        return Err(at(Diagnostic::error(
            &page.source.path,
            format!("{} has no heading `#{}`", tested.source.display(), link.anchor),
        )
        .with_hint(markdown::hint_for_anchor(&link.anchor, &ids))));
    };
    let path = match tested.doc {
        DocId::Page(id) => &site.content.pages[id].path,
        DocId::Section(id) => &site.content.sections[id].path,
    };
    Ok((format!("{}#{}", site.url(path), link.anchor), heading.title.clone()))
}

/// `tandem check --coverage`: for each guide, its h2 and h3 sections that no question tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// By source path.
    pub guides: Vec<GuideCoverage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GuideCoverage {
    /// e.g. `content/guides/boundaries.md`.
    pub source: PathBuf,
    /// How many h2 and h3 sections it has.
    pub sections: usize,
    /// Those that no question tests, in page order.
    pub untested: Vec<UntestedSection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntestedSection {
    /// 1-based line of the heading in the guide.
    pub line: usize,
    pub level: u8,
    pub id: String,
    pub title: String,
}

impl GuideCoverage {
    pub fn tested(&self) -> usize {
        self.sections - self.untested.len()
    }
}

/// Rounded down, so that only a guide with every section tested shows 100%.
fn percent(part: usize, whole: usize) -> usize {
    (part * 100).checked_div(whole).unwrap_or(100)
}

impl Coverage {
    /// What a section counts: a question tests its heading, or a heading below it that is not
    /// a section of its own (h4–h6) before the next h1–h3. `tested` holds (source, anchor).
    pub(crate) fn new<'t>(
        guides: impl Iterator<Item = (PathBuf, &'t str, &'t [TocEntry])>,
        tested: &HashSet<(PathBuf, String)>,
    ) -> Coverage {
        let mut all: Vec<GuideCoverage> = guides
            .map(|(source, text, toc)| {
                let is_tested = |h: &TocEntry| tested.contains(&(source.clone(), h.id.clone()));
                let mut sections = 0;
                let mut untested = Vec::new();
                for (i, h) in toc.iter().enumerate() {
                    if !(2..=3).contains(&h.level) {
                        continue;
                    }
                    sections += 1;
                    let below = toc[i + 1..].iter().take_while(|d| d.level > 3);
                    if !is_tested(h) && !below.into_iter().any(is_tested) {
                        let line = text[..h.offset.min(text.len())].matches('\n').count() + 1;
                        untested.push(UntestedSection {
                            line,
                            level: h.level,
                            id: h.id.clone(),
                            title: h.title.clone(),
                        });
                    }
                }
                GuideCoverage { source, sections, untested }
            })
            .collect();
        all.sort_by(|a, b| a.source.cmp(&b.source));
        Coverage { guides: all }
    }

    /// The report, for a terminal or a file.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from("Guide sections (h2 and h3) that quiz questions test with `tests:`\n\n");
        let (mut sections, mut tested) = (0, 0);
        for g in &self.guides {
            sections += g.sections;
            tested += g.tested();
            if g.sections == 0 {
                let _ = writeln!(out, "{}: no h2 or h3 sections", g.source.display());
                continue;
            }
            let _ = writeln!(
                out,
                "{}: {} of {} section{} tested ({}%)",
                g.source.display(),
                g.tested(),
                g.sections,
                if g.sections == 1 { "" } else { "s" },
                percent(g.tested(), g.sections)
            );
            if !g.untested.is_empty() {
                out.push_str("  not tested:\n");
            }
            for s in &g.untested {
                let hashes = "#".repeat(usize::from(s.level));
                let _ = writeln!(out, "    line {}: {hashes} {} (#{})", s.line, s.title, s.id);
            }
        }
        let guides = self.guides.len();
        let _ = writeln!(
            out,
            "\nIn all: {tested} of {sections} section{} tested ({}%) across {guides} guide{}.",
            if sections == 1 { "" } else { "s" },
            percent(tested, sections),
            if guides == 1 { "" } else { "s" },
        );
        if tested < sections {
            out.push_str(
                "To cover a section, add `tests: ../guides/GUIDE.md#ANCHOR` to the question that checks it.\n",
            );
        }
        out
    }
}

/// Every (guide source, anchor) that a question of the site tests, for [`Coverage::new`].
pub(crate) fn tested_sections(site: &Site) -> HashSet<(PathBuf, String)> {
    quizzes(site)
        .flat_map(|(page, quiz)| quiz.tests_links().map(move |(_, link)| (page, link)))
        .filter_map(|(page, link)| {
            Some((resolve(site, &page.source.path, link).ok()?.source, link.anchor.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str, offset: usize) -> TocEntry {
        TocEntry { level, id: id.into(), title: id.replace('-', " "), offset }
    }

    #[test]
    fn coverage_counts_h2_and_h3_tested_directly_or_through_a_deeper_heading() {
        let text = "# T\n## a\n### b\n#### b-detail\n## c\n## d\n";
        let toc =
            [h(1, "t", 0), h(2, "a", 4), h(3, "b", 9), h(4, "b-detail", 15), h(2, "c", 29), h(2, "d", 34)];
        let source = PathBuf::from("content/guides/g.md");
        let tested: HashSet<(PathBuf, String)> =
            [(source.clone(), "a".to_string()), (source.clone(), "b-detail".to_string())].into();
        let other = PathBuf::from("content/guides/empty.md");
        let coverage = Coverage::new(
            [(source.clone(), text, &toc[..]), (other.clone(), "", &[][..])].into_iter(),
            &tested,
        );
        // sorted by path
        assert_eq!(coverage.guides[0].source, other);
        let g = &coverage.guides[1];
        assert_eq!((g.sections, g.tested()), (4, 2));
        let untested: Vec<(usize, &str)> = g.untested.iter().map(|s| (s.line, s.id.as_str())).collect();
        assert_eq!(untested, [(5, "c"), (6, "d")]);
        let report = coverage.render();
        assert!(report.contains("content/guides/empty.md: no h2 or h3 sections\n"), "{report}");
        assert!(report.contains("content/guides/g.md: 2 of 4 sections tested (50%)\n"), "{report}");
        assert!(report.contains("    line 5: ## c (#c)\n    line 6: ## d (#d)\n"), "{report}");
        assert!(report.contains("In all: 2 of 4 sections tested (50%) across 2 guides."), "{report}");
    }

    #[test]
    fn only_a_fully_tested_guide_shows_100_percent() {
        assert_eq!(percent(199, 200), 99);
        assert_eq!(percent(2, 2), 100);
        assert_eq!(percent(0, 0), 100);
    }
}
