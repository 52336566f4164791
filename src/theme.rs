//! Themes: the default theme embedded in the binary, a theme folder on disk, and the site's own
//! `templates/` and `static/`, layered so that each overrides the one before file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::Diagnostic;

/// The default theme, as it is in `themes/default/` when tandem was built.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
pub const DEFAULT_THEME_NAME: &str = "default";

/// Where a theme file comes from, for messages and for copying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Inside the binary; the path is relative to the theme folder.
    Embedded(&'static [u8]),
    /// On disk, absolute.
    Disk(PathBuf),
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// What messages call it: `templates/page.html`, `themes/x/templates/page.html`, or
    /// `(built-in theme) templates/page.html`.
    pub display: PathBuf,
    pub origin: Origin,
}

impl ThemeFile {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match &self.origin {
            Origin::Embedded(bytes) => Ok(bytes.to_vec()),
            Origin::Disk(path) => std::fs::read(path),
        }
    }
}

/// The resolved set of templates and static files, keyed by their path in their layer
/// (`page.html`, `partials/quiz.html`; `style.css`).
#[derive(Debug, Clone, Default)]
pub struct Layers {
    pub templates: BTreeMap<String, ThemeFile>,
    pub statics: BTreeMap<String, ThemeFile>,
    /// Symbolic links found (and skipped) in the theme's, `templates/` and `static/` folders.
    pub warnings: Vec<Diagnostic>,
}

impl Layers {
    pub fn resolve(root: &Path, theme: &str) -> Result<Layers, Diagnostic> {
        let mut layers = Layers::default();
        add_embedded(&DEFAULT_THEME, "templates", &mut layers.templates);
        add_embedded(&DEFAULT_THEME, "static", &mut layers.statics);
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            return Err(Diagnostic::error("site.toml", format!("`{theme}` is not a theme name"))
                .with_hint("a theme is a folder name under themes/, e.g. `theme = \"default\"`"));
        }
        let theme_dir = root.join("themes").join(theme);
        if theme_dir.is_dir() {
            let display = PathBuf::from("themes").join(theme);
            add_disk(
                &theme_dir.join("templates"),
                &display.join("templates"),
                &mut layers.templates,
                &mut layers.warnings,
            );
            add_disk(
                &theme_dir.join("static"),
                &display.join("static"),
                &mut layers.statics,
                &mut layers.warnings,
            );
        } else if theme != DEFAULT_THEME_NAME {
            return Err(Diagnostic::error("site.toml", format!("the theme `{theme}` is not in themes/"))
                .with_hint(format!("create themes/{theme}/templates/, or set `theme = \"default\"`")));
        }
        add_disk(
            &root.join("templates"),
            Path::new("templates"),
            &mut layers.templates,
            &mut layers.warnings,
        );
        add_disk(&root.join("static"), Path::new("static"), &mut layers.statics, &mut layers.warnings);
        Ok(layers)
    }
}

fn add_embedded(theme: &'static Dir<'static>, sub: &str, into: &mut BTreeMap<String, ThemeFile>) {
    let Some(dir) = theme.get_dir(sub) else { return };
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let rel = file.path().strip_prefix(sub).unwrap_or(file.path());
            let key = slash_path(rel);
            into.insert(
                key,
                ThemeFile {
                    display: Path::new("(built-in theme)").join(file.path()),
                    origin: Origin::Embedded(file.contents()),
                },
            );
        }
    }
}

fn add_disk(
    dir: &Path,
    display: &Path,
    into: &mut BTreeMap<String, ThemeFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if entry.path_is_symlink() && !crate::content::is_hidden(entry.path()) {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            warnings.push(symlink_skipped(&display.join(rel)));
            continue;
        }
        if !entry.file_type().is_file() || crate::content::is_hidden(entry.path()) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        into.insert(
            slash_path(rel),
            ThemeFile { display: display.join(rel), origin: Origin::Disk(entry.path().to_path_buf()) },
        );
    }
}

/// tandem reads no symbolic link under content/, templates/, static/ or a theme: following one
/// could pull files from anywhere on the machine into a published site, or loop for ever.
pub fn symlink_skipped(link: &Path) -> Diagnostic {
    Diagnostic::warning(link, "this is a symbolic link, so tandem skips it")
        .with_hint("tandem does not follow links (they could reach outside the site); copy or move the file or folder here instead")
}

fn slash_path(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_templates_override_the_embedded_theme() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("templates")).unwrap();
        std::fs::write(root.path().join("templates/page.html"), "mine").unwrap();
        let layers = Layers::resolve(root.path(), "default").unwrap();
        let page = &layers.templates["page.html"];
        assert_eq!(page.display, PathBuf::from("templates/page.html"));
        assert_eq!(page.read().unwrap(), b"mine");
        assert!(matches!(layers.templates["base.html"].origin, Origin::Embedded(_)));
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_skipped_with_a_warning_naming_them() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::fs::create_dir_all(root.path().join("static")).unwrap();
        std::fs::write(root.path().join("static/real.css"), "a {}").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.path().join("static/leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("static/dir")).unwrap();
        let layers = Layers::resolve(root.path(), "default").unwrap();
        assert!(layers.statics.contains_key("real.css"));
        assert!(!layers.statics.keys().any(|k| k.contains("leak") || k.starts_with("dir/")));
        let named: Vec<_> = layers.warnings.iter().map(|w| w.file.display().to_string()).collect();
        assert_eq!(named, ["static/dir", "static/leak.txt"]);
    }

    #[test]
    fn an_unknown_theme_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        assert!(Layers::resolve(root.path(), "nope").is_err());
    }

    #[test]
    fn a_theme_name_cannot_leave_themes() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("x/templates")).unwrap();
        std::fs::create_dir_all(root.path().join("themes")).unwrap();
        assert!(Layers::resolve(root.path(), "../x").is_err());
    }
}
