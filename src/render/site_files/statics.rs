//! Static files, copied as they are: the theme layers' first, the site's own last.

use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, Templates, write};

pub fn render(_site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (rel, file) in &templates.layers().statics {
        match file.read() {
            Ok(bytes) => problems.extend(write(out, rel, bytes).err()),
            Err(e) => problems.push(Diagnostic::error(&file.display, format!("cannot read: {e}"))),
        }
    }
    problems
}
