//! The files a build writes besides pages and sections, one module each, listed in [`SITE_FILES`].
//!
//! The table is also where the names they reserve come from: no page, alias or static file may
//! take an output path that one of them writes (see [`reserved_files`]).

use std::path::Path;

use rayon::prelude::*;
use tera::Context;

use super::{Output, Site, Templates, write};
use crate::diagnostic::Diagnostic;

mod aliases;
mod feed;
mod not_found;
mod robots;
pub mod search_index;
mod sitemap;
mod statics;
mod tags;

/// One kind of site file.
pub struct SiteFile {
    /// The output files it always writes, relative to the output root (reserved for it).
    pub writes: &'static [&'static str],
    /// Writes its files into the output; returns the problems met.
    pub render: fn(&Site, &Templates, &dyn Output) -> Vec<Diagnostic>,
}

/// Every site file, in the order they are written. Tag listings and aliases write paths that
/// depend on the content; content validation reserves those itself.
pub const SITE_FILES: &[SiteFile] = &[
    SiteFile { writes: &["sitemap.xml"], render: sitemap::render },
    SiteFile { writes: &["robots.txt"], render: robots::render },
    SiteFile { writes: &["404.html"], render: not_found::render },
    SiteFile { writes: &["atom.xml"], render: feed::render },
    SiteFile { writes: &[], render: tags::render },
    SiteFile { writes: &[], render: aliases::render },
    SiteFile { writes: &[], render: statics::render },
];

/// The output files that site files always write, the search index's manifest included.
pub fn reserved_files() -> impl Iterator<Item = &'static str> {
    SITE_FILES.iter().flat_map(|f| f.writes.iter().copied()).chain([search_index::FILE])
}

/// The output folders that site files fill with files of their own: nothing else may go there.
pub fn reserved_folders() -> impl Iterator<Item = &'static str> {
    search_index::FOLDERS.iter().copied()
}

/// Writes every site file; returns every problem met.
/// They are rendered side by side (they read the site and write files of their own): one after
/// the other, they were the longest stretch of a build that used one core of two.
pub fn render_all(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let problems: Vec<Vec<Diagnostic>> =
        SITE_FILES.par_iter().map(|f| (f.render)(site, templates, out)).collect();
    problems.concat()
}

/// What a buffer for a site file starts at (a tag page, an alias, the sitemap grow from there).
const SITE_FILE_BYTES: usize = 8 << 10;

/// Renders `template` with `ctx` into the output file `file`.
fn render_template(
    templates: &Templates,
    out: &dyn Output,
    template: &str,
    ctx: &Context,
    file: &str,
) -> Result<(), Diagnostic> {
    let html = templates.render_file(template, ctx, Path::new(file), SITE_FILE_BYTES)?;
    write(out, file, html)
}
