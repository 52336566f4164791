//! Aliases: small pages at a page's old URLs that send readers on to it.

use tera::Context;

use super::render_template;
use crate::content::normalize_alias;
use crate::diagnostic::Diagnostic;
use crate::render::{Output, Site, Templates, output_file};

pub fn render(site: &Site, templates: &Templates, out: &dyn Output) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &site.content.pages {
        for alias in &page.meta.aliases {
            let mut ctx = Context::new();
            ctx.insert("target", &site.url(&page.path));
            ctx.insert("title", &page.meta.title);
            let file = output_file(&normalize_alias(alias));
            problems.extend(render_template(templates, out, "alias.html", &ctx, &file).err());
        }
    }
    problems
}
