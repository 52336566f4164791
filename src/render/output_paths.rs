//! Every file a build will write, and who claims it, checked before anything is rendered: two
//! claims of one file, or a file where another claim needs a folder (a static file `guides`
//! beside the section `guides/`, a page with `slug: index.html` under the home page's
//! `index.html`), are errors at the file and line that claims the path, in `check`, `build` and
//! `serve` alike, instead of an "Is a directory" from the file system half-way through a build.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::PathBuf;

use super::output_file;
use super::site_files::{reserved_files, reserved_folders};
use crate::build::MARKER_FILE;
use crate::content::{Content, front_matter_error, normalize_alias};
use crate::diagnostic::Diagnostic;
use crate::theme::Layers;

/// Who writes a file.
#[derive(Clone)]
enum Claim {
    /// tandem itself (site files, the output marker).
    Generated(&'static str),
    /// A page or section, by its source (or folder) path; `key` is the front matter key that
    /// chose the path (`slug`), if one did.
    Document { file: PathBuf, key: Option<&'static str> },
    /// An alias in a page's front matter.
    Alias { page: usize, alias: String },
    /// A static file of the site or a theme.
    Static(PathBuf),
}

impl Claim {
    /// How much the author chose this path: the claim to blame in a clash is the most chosen.
    fn chosen(&self) -> u8 {
        match self {
            Claim::Alias { .. } | Claim::Document { key: Some(_), .. } => 3,
            Claim::Static(_) => 2,
            Claim::Document { key: None, .. } => 1,
            Claim::Generated(_) => 0,
        }
    }

    fn describe(&self, content: &Content) -> String {
        match self {
            Claim::Generated(what) => format!("tandem's own {what}"),
            Claim::Document { file, .. } => file.display().to_string(),
            Claim::Alias { page, alias } => {
                format!("the alias {alias} of {}", content.pages[*page].source.path.display())
            }
            Claim::Static(file) => format!("the static file {}", file.display()),
        }
    }

    /// The error, at the line that claims the path where there is one.
    fn error(&self, content: &Content, message: String) -> Diagnostic {
        match self {
            Claim::Generated(_) => Diagnostic::error("site.toml", message),
            Claim::Document { file, key } => {
                let source = content
                    .pages
                    .iter()
                    .map(|p| &p.source)
                    .chain(content.sections.iter().filter_map(|s| s.source.as_ref()))
                    .find(|s| &s.path == file);
                match (source, key) {
                    (Some(src), Some(key)) => front_matter_error(src, key, message),
                    _ => Diagnostic::error(file, message),
                }
            }
            Claim::Alias { page, .. } => front_matter_error(&content.pages[*page].source, "aliases", message),
            Claim::Static(file) => Diagnostic::error(file, message),
        }
    }
}

/// Every clash between the files the site will write.
pub fn check(content: &Content, layers: &Layers) -> Vec<Diagnostic> {
    let mut claims: Vec<(String, Claim)> = Vec::new();
    claims.push((MARKER_FILE.to_string(), Claim::Generated("output marker")));
    claims.extend(reserved_files().map(|f| (f.to_string(), Claim::Generated("site file"))));
    for section in &content.sections {
        let file = section.source.as_ref().map_or_else(|| PathBuf::from(&section.path), |s| s.path.clone());
        claims.push((output_file(&section.path), Claim::Document { file, key: None }));
    }
    for (id, page) in content.pages.iter().enumerate() {
        let key = page.meta.slug.as_ref().map(|_| "slug");
        claims.push((output_file(&page.path), Claim::Document { file: page.source.path.clone(), key }));
        for alias in &page.meta.aliases {
            claims.push((
                output_file(&normalize_alias(alias)),
                Claim::Alias { page: id, alias: alias.clone() },
            ));
        }
    }
    for (rel, file) in &layers.statics {
        claims.push((rel.clone(), Claim::Static(file.display.clone())));
    }

    let mut problems = Vec::new();
    let mut files: HashMap<&str, &Claim> = HashMap::new();
    for (path, claim) in &claims {
        match files.entry(path.as_str()) {
            Entry::Vacant(slot) => {
                slot.insert(claim);
            }
            // Content::load reports two pages at one URL already, in better words.
            Entry::Occupied(first)
                if matches!((*first.get(), claim), (Claim::Document { .. }, Claim::Document { .. })) => {}
            Entry::Occupied(first) => {
                let (culprit, other) = blame(claim, first.get());
                problems.push(
                    culprit
                        .error(
                            content,
                            format!(
                                "{} writes {path}, which {} writes too",
                                culprit.describe(content),
                                other.describe(content)
                            ),
                        )
                        .with_hint("rename one of them, or give the page a different slug or alias"),
                );
            }
        }
    }
    // A file where another claim needs a folder of the same name.
    let mut folders: HashMap<&str, &Claim> = HashMap::new();
    for (path, claim) in &claims {
        for (slash, _) in path.match_indices('/') {
            folders.entry(&path[..slash]).or_insert(claim);
        }
    }
    for (path, file_claim) in &files {
        let Some(&folder_claim) = folders.get(path) else { continue };
        let (culprit, _) = blame(file_claim, folder_claim);
        problems.push(
            culprit
                .error(
                    content,
                    format!(
                        "{path} is a file of {}, but {} needs a folder of that name",
                        file_claim.describe(content),
                        folder_claim.describe(content)
                    ),
                )
                .with_hint("rename one of them, or give the page a different slug or alias"),
        );
    }
    // The search index's shards and fragments: their names depend on the content, so each file
    // cannot be claimed ahead; their folders are the index's alone.
    for (path, claim) in &claims {
        let inside =
            |folder: &str| path.strip_prefix(folder).is_some_and(|r| r.is_empty() || r.starts_with('/'));
        let Some(folder) = reserved_folders().find(|f| inside(f)) else { continue };
        problems.push(
            claim
                .error(
                    content,
                    format!(
                        "{} writes {path}, but the folder {folder}/ holds tandem's own search index files",
                        claim.describe(content)
                    ),
                )
                .with_hint(
                    "rename or move it out of that folder (or give the page a different slug or alias)",
                ),
        );
    }
    problems
}

/// Of two clashing claims, the one to report (the path the author chose most directly), then the other.
fn blame<'c>(a: &'c Claim, b: &'c Claim) -> (&'c Claim, &'c Claim) {
    if b.chosen() > a.chosen() { (b, a) } else { (a, b) }
}
