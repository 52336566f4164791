//! The site's Tera templates, compiled once per build, and template errors located in their files.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Location};
use crate::theme::Layers;

/// The templates of a site, compiled, and where each came from.
pub struct Templates {
    tera: Tera,
    layers: Layers,
}

impl Templates {
    pub fn load(layers: Layers) -> Result<Templates, Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let mut sources = Vec::new();
        for (name, file) in &layers.templates {
            match file.read().map(String::from_utf8) {
                Ok(Ok(text)) => sources.push((name.clone(), text)),
                _ => diagnostics
                    .push(Diagnostic::error(&file.display, "cannot read this template as UTF-8 text")),
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        if diagnostics.is_empty()
            && let Err(e) = tera.add_raw_templates(sources.clone())
        {
            // Tera stops at the first error; parse each template alone to report every syntax error.
            for (name, text) in &sources {
                if let Err(alone) = Tera::new().add_raw_template(name, text)
                    && matches!(alone.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    diagnostics.push(template_diagnostic(&alone, &layers));
                }
            }
            if diagnostics.is_empty() {
                diagnostics.push(template_diagnostic(&e, &layers));
            }
        }
        if diagnostics.is_empty() { Ok(Templates { tera, layers }) } else { Err(diagnostics) }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub fn set_global<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders `template`; an error names the template line and the file being rendered.
    pub fn render(&self, template: &str, context: &Context, for_file: &Path) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|e| {
            let d = template_diagnostic(&e, &self.layers);
            let hint = match &d.hint {
                Some(h) => format!("{h} (while rendering {})", for_file.display()),
                None => format!("while rendering {}", for_file.display()),
            };
            d.with_hint(hint)
        })
    }

    pub fn layers(&self) -> &Layers {
        &self.layers
    }
}

fn template_diagnostic(e: &tera::Error, layers: &Layers) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = layers.templates.get(r.filename());
            let display = file.map_or_else(|| PathBuf::from(r.filename()), |f| f.display.clone());
            let mut message = r.message().to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            let mut d = Diagnostic::error(display, format!("template error: {message}"));
            let source = file.and_then(|f| f.read().ok()).and_then(|b| String::from_utf8(b).ok());
            if let Some(source) = source {
                let span = r.span();
                let len = if span.start_line == span.end_line {
                    span.end_col.saturating_sub(span.start_col)
                } else {
                    1
                };
                d = d.at(Location::at_line_col(&source, span.start_line, span.start_col + 1, len));
            }
            d.with_hint("fix the template; Tera's syntax is described at keats.github.io/tera")
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error("templates", format!("template `{name}` not found"))
                .with_hint("add it to templates/, or fix the name in `extends`/`include`")
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let display =
                layers.templates.get(current).map_or_else(|| PathBuf::from(current), |f| f.display.clone());
            Diagnostic::error(display, format!("extends `{parent}`, which does not exist"))
                .with_hint("fix the name in `{% extends %}` or add the parent template")
        }
        _ => Diagnostic::error("templates", format!("template error: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_errors_point_into_the_template() {
        let mut layers = Layers::default();
        layers.templates.insert(
            "page.html".into(),
            crate::theme::ThemeFile {
                display: "templates/page.html".into(),
                origin: crate::theme::Origin::Embedded(b"ok\n{% for %}\n"),
            },
        );
        let Err(errors) = Templates::load(layers) else { panic!("a syntax error must fail") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, PathBuf::from("templates/page.html"));
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }
}
