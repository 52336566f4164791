//! The site's Tera templates, compiled once per build, and template errors located in their files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::markdown::{ShortcodeCall, ShortcodeError};
use crate::theme::Layers;

/// The templates of a site, compiled, and where each came from.
pub struct Templates {
    tera: Tera,
    layers: Layers,
    /// Each callout kind's title, rendered once from `partials/callout-title.html`.
    callout_titles: OnceLock<HashMap<&'static str, String>>,
    /// Each shortcode template's variables: the arguments it can take.
    shortcode_variables: OnceLock<HashMap<String, HashSet<String>>>,
}

/// Where shortcode templates live, in the site's `templates/` or a theme's.
const SHORTCODE_DIR: &str = "shortcodes/";

/// Variables that every template sees without a caller passing them.
const GLOBAL_VARIABLES: &[&str] = &["config", "nav", "body"];

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
        if diagnostics.is_empty() {
            Ok(Templates {
                tera,
                layers,
                callout_titles: OnceLock::new(),
                shortcode_variables: OnceLock::new(),
            })
        } else {
            Err(diagnostics)
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub fn set_global<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders `template`; an error names the template line and the file being rendered.
    pub fn render(&self, template: &str, context: &Context, for_file: &Path) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|e| self.render_error(&e, for_file))
    }

    /// [`Templates::render`] for a whole output file: its bytes, in a buffer made for about
    /// `expected` bytes. Tera's own buffer starts at twice the template's text, so a page whose
    /// Markdown is longer than that grew it by doubling, copying its HTML each time; and the
    /// String that `render` gives is checked to be UTF-8, which Tera's output always is.
    pub fn render_file(
        &self,
        template: &str,
        context: &Context,
        for_file: &Path,
        expected: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut bytes = Vec::with_capacity(expected);
        match self.tera.render_to(template, context, &mut bytes) {
            Ok(()) => Ok(bytes),
            Err(e) => Err(self.render_error(&e, for_file)),
        }
    }

    /// A template error, located in its file, naming the output file being rendered.
    fn render_error(&self, e: &tera::Error, for_file: &Path) -> Diagnostic {
        let d = template_diagnostic(e, &self.layers);
        let hint = match &d.hint {
            Some(h) => format!("{h} (while rendering {})", for_file.display()),
            None => format!("while rendering {}", for_file.display()),
        };
        d.with_hint(hint)
    }

    pub fn layers(&self) -> &Layers {
        &self.layers
    }

    /// The title of a callout of `kind`, from the theme's `partials/callout-title.html` (so a site
    /// can translate it); the kind's name, capitalised, if the template is missing or fails.
    pub fn callout_title(&self, kind: &str) -> String {
        let titles = self.callout_titles.get_or_init(|| {
            crate::markdown::CALLOUT_KINDS
                .iter()
                .map(|&k| {
                    let mut ctx = Context::new();
                    ctx.insert("kind", k);
                    let title = self.tera.render("partials/callout-title.html", &ctx).ok();
                    let title = title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
                    (k, title.unwrap_or_else(|| capitalise(k)))
                })
                .collect()
        });
        titles.get(kind).cloned().unwrap_or_else(|| capitalise(kind))
    }

    /// The names of the shortcodes the site and its theme define, `quiz` (built in) included.
    pub fn shortcode_names(&self) -> impl Iterator<Item = &str> {
        let templates = self.layers.templates.keys();
        templates.filter_map(|t| t.strip_prefix(SHORTCODE_DIR)?.strip_suffix(".html")).chain(["quiz"])
    }

    fn shortcode_variables(&self, template: &str) -> Option<&HashSet<String>> {
        let all = self.shortcode_variables.get_or_init(|| {
            let names = self.layers.templates.keys().filter(|t| t.starts_with(SHORTCODE_DIR));
            names
                .filter_map(|t| {
                    let vars = self.tera.get_template_variables(t).ok()?;
                    Some((t.clone(), vars.into_iter().map(String::from).collect()))
                })
                .collect()
        });
        all.get(template)
    }

    /// A call to the shortcode template `shortcodes/NAME.html`, with its arguments as the
    /// template's variables and its rendered body as `body`.
    pub fn render_shortcode(
        &self,
        call: &ShortcodeCall,
        body: Option<&str>,
    ) -> Result<String, ShortcodeError> {
        let template = format!("{SHORTCODE_DIR}{}.html", call.name);
        let error = |message: String, hint: String, argument| ShortcodeError { message, hint, argument };
        let Some(variables) = self.shortcode_variables(&template) else {
            let hint = match did_you_mean(&call.name, self.shortcode_names()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "add templates/{template}, or use one of: {}",
                    self.shortcode_names().collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(error(format!("there is no shortcode `{}`", call.name), hint, None));
        };
        let arguments = || variables.iter().map(String::as_str).filter(|v| !GLOBAL_VARIABLES.contains(v));
        for (i, arg) in call.args.iter().enumerate() {
            if !variables.contains(&arg.name) || GLOBAL_VARIABLES.contains(&arg.name.as_str()) {
                let known: Vec<&str> = arguments().collect();
                let hint = match did_you_mean(&arg.name, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if known.is_empty() => format!("`{}` takes no arguments", call.name),
                    None => format!("`{}` takes: {}", call.name, sorted(known).join(", ")),
                };
                return Err(error(format!("`{}` has no argument `{}`", call.name, arg.name), hint, Some(i)));
            }
        }
        let mut ctx = Context::new();
        for arg in &call.args {
            ctx.insert(arg.name.clone(), &arg.value);
        }
        if let Some(body) = body {
            ctx.insert("body", body);
        }
        self.tera.render(&template, &ctx).map_err(|e| {
            let given =
                |name: &str| call.args.iter().any(|a| a.name == name) || (name == "body" && body.is_some());
            let missing = arguments().chain(["body"]).find(|v| !given(v) && mentions_missing(&e, v));
            match missing {
                Some("body") => error(
                    format!("`{}` needs a body", call.name),
                    format!("write {{% {}(…) %}} … {{% end %}}", call.name),
                    None,
                ),
                Some(name) => error(
                    format!("`{}` needs the argument `{name}`", call.name),
                    format!("add {name}=… to the call"),
                    None,
                ),
                None => {
                    let d = template_diagnostic(&e, &self.layers);
                    let at =
                        d.location.as_ref().map_or(String::new(), |l| format!(":{}:{}", l.line, l.column));
                    error(
                        format!("the shortcode `{}` failed: {}", call.name, d.message),
                        format!("the error is in {}{at}", d.file.display()),
                        None,
                    )
                }
            }
        })
    }
}

/// Whether a render error is about the variable `name` not being there.
fn mentions_missing(e: &tera::Error, name: &str) -> bool {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text.contains(&format!("`{name}`"))
        && (text.contains("not found") || text.contains("not defined") || text.contains("undefined"))
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
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
