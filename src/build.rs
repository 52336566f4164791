//! The build: load → validate → render → write, with the output swapped in atomically.
//!
//! Output goes to a staging folder beside the output folder, which replaces the old output only
//! when the whole build succeeded. tandem only ever deletes folders that carry its marker file.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::{Diagnostic, Report};
use crate::render::{self, Afterwards, Output, Rendering, Site, Templates};
use crate::theme::Layers;

/// Proves that tandem made a folder, so it may replace it.
pub const MARKER_FILE: &str = ".tandem-output";

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// Overrides `[build] output_dir`; relative to the current folder.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A site read from disk and checked as far as loading can check it.
pub struct Loaded {
    pub config: Config,
    pub content: Content,
    pub templates: Templates,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub pages: usize,
    pub quizzes: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
}

impl Summary {
    pub fn line(&self) -> String {
        format!(
            "built {} page{} and {} quiz{} in {} ms into {}",
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            self.quizzes,
            if self.quizzes == 1 { "" } else { "zes" },
            self.elapsed.as_millis(),
            self.output.display()
        )
    }
}

/// Loads config, content and templates, collecting every problem.
pub fn load(opts: &Options) -> (Option<Loaded>, Report) {
    let mut report = Report::default();
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(d) => {
            report.push(d);
            return (None, report);
        }
    };
    if let Some(url) = &opts.base_url {
        if let Err(why) = crate::config::check_base_url(url) {
            report.push(Diagnostic::error("--base-url", why).with_hint(crate::config::BASE_URL_HINT));
            return (None, report);
        }
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let drafts = opts.drafts || config.build.drafts;
    let (content, problems) = Content::load(&opts.root, drafts);
    report.extend(problems);
    let templates = match Layers::resolve(&opts.root, &config.theme) {
        Ok(mut layers) => {
            report.extend(std::mem::take(&mut layers.warnings));
            report.extend(render::output_paths::check(&content, &layers));
            match Templates::load(layers) {
                Ok(t) => Some(t),
                Err(ds) => {
                    report.extend(ds);
                    None
                }
            }
        }
        Err(d) => {
            report.push(d);
            None
        }
    };
    (templates.map(|templates| Loaded { config, content, templates }), report)
}

/// Renders a loaded site into `out`, adding every problem to `report`. What rendering learned is
/// returned for the dev server, which re-renders single pages with it (`afterwards` says whether
/// it will).
pub fn render_into(
    root: &Path,
    loaded: &mut Loaded,
    out: &dyn Output,
    report: &mut Report,
    afterwards: Afterwards,
) -> Rendering {
    let site = Site { root, config: &loaded.config, content: &loaded.content };
    loaded.templates.set_global("config", &site.config);
    loaded.templates.set_global("base_path", site.config.base_path());
    loaded.templates.set_global("nav", &render::nav_tree(&site));
    let rendering = render::render_site(&site, &loaded.templates, out, afterwards);
    report.extend(rendering.diagnostics());
    rendering
}

/// `tandem check`: every validation of a build, writing nothing.
pub fn check(opts: &Options) -> Report {
    let (loaded, mut report) = load(opts);
    if let Some(mut loaded) = loaded {
        render_into(&opts.root, &mut loaded, &render::Discard, &mut report, Afterwards::ReadsProblems);
    }
    report.sorted()
}

/// `tandem check --coverage`: [`check`], and which guide sections quiz questions test (`None`
/// when the site could not be loaded far enough to render).
pub fn check_coverage(opts: &Options) -> (Report, Option<render::Coverage>) {
    let (loaded, mut report) = load(opts);
    let coverage = loaded.map(|mut loaded| {
        let rendering =
            render_into(&opts.root, &mut loaded, &render::Discard, &mut report, Afterwards::KeepsEverything);
        let site = render::Site { root: &opts.root, config: &loaded.config, content: &loaded.content };
        rendering.coverage(&site)
    });
    (report.sorted(), coverage)
}

/// `tandem build`. On error the previous output is left exactly as it was.
pub fn build(opts: &Options) -> Result<(Summary, Report), Report> {
    let started = Instant::now();
    let (loaded, mut report) = load(opts);
    let Some(mut loaded) = loaded else { return Err(report.sorted()) };
    let output = match &opts.output {
        Some(o) => o.clone(),
        None => opts.root.join(&loaded.config.build.output_dir),
    };
    let target = match OutputDir::prepare(&opts.root, &output) {
        Ok(t) => t,
        Err(d) => {
            report.push(d);
            return Err(report.sorted());
        }
    };
    render_into(&opts.root, &mut loaded, &target, &mut report, Afterwards::ReadsProblems);
    if report.has_errors() {
        target.discard();
        return Err(report.sorted());
    }
    if let Err(d) = target.commit() {
        report.push(d);
        return Err(report.sorted());
    }
    let quizzes = loaded.content.quizzes_by_id.len();
    let summary = Summary {
        pages: loaded.content.pages.len() + loaded.content.sections.len() - quizzes,
        quizzes,
        output,
        elapsed: started.elapsed(),
    };
    Ok((summary, report.sorted()))
}

/// A staging folder that becomes the output folder on [`OutputDir::commit`].
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    /// Folders of the staging folder made so far. Most files go into a folder another file
    /// made already (every search index file, a section's pages' parent): asking the file system
    /// to make it again cost a failed `mkdir` and a `stat` per file, ~10,000 of each at 10,000
    /// pages (strace -c).
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl OutputDir {
    /// Checks that `target` is a folder tandem may replace, and creates the staging folder.
    pub fn prepare(root: &Path, target: &Path) -> Result<OutputDir, Diagnostic> {
        let refuse = |why: String| {
            Diagnostic::error(target, why)
                .with_hint("choose another output folder with --output or `[build] output_dir` in site.toml")
        };
        let root_abs =
            std::fs::canonicalize(root).map_err(|e| refuse(format!("cannot read the site folder: {e}")))?;
        let target_abs = absolute(target).ok_or_else(|| refuse("cannot resolve the output folder".into()))?;
        if target_abs == root_abs {
            return Err(refuse("the output folder is the site folder itself".into()));
        }
        if root_abs.starts_with(&target_abs) {
            return Err(refuse("the output folder contains the site".into()));
        }
        // Inside an input folder, each build would read the last one's output as input.
        for input in ["content", "templates", "themes", "static"] {
            if target_abs.starts_with(root_abs.join(input)) {
                return Err(refuse(format!("the output folder is inside the site's {input}/ folder")));
            }
        }
        let made_by_tandem = target_abs.join(MARKER_FILE).is_file();
        // A folder tandem made may hold a page called `content`; any other must not look like a site.
        if !made_by_tandem && (target_abs.join("content").exists() || target_abs.join("site.toml").exists()) {
            return Err(refuse("the output folder holds a site (content/ or site.toml)".into()));
        }
        if target_abs.exists() {
            if !target_abs.is_dir() {
                return Err(refuse("the output path is a file, not a folder".into()));
            }
            let empty = std::fs::read_dir(&target_abs).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !made_by_tandem && !empty {
                return Err(Diagnostic::error(target, "this folder was not made by tandem, so tandem will not replace it")
                    .with_hint(format!(
                        "tandem only replaces folders that hold its {MARKER_FILE} marker; move the folder away, or build elsewhere with --output"
                    )));
            }
        }
        let parent = target_abs.parent().ok_or_else(|| refuse("the output folder has no parent".into()))?;
        let name = target_abs.file_name().unwrap_or_default().to_string_lossy().into_owned();
        std::fs::create_dir_all(parent)
            .map_err(|e| refuse(format!("cannot create {}: {e}", parent.display())))?;
        remove_stale_staging(parent, &name);
        let mut staging = parent.join(format!("{}{}", staging_prefix(&name), std::process::id()));
        if staging.exists() {
            if staging.join(MARKER_FILE).is_file() {
                // Left by an earlier run that was killed; it is ours.
                let _ = std::fs::remove_dir_all(&staging);
            } else {
                staging.set_extension(format!(
                    "{}",
                    std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap_or_default().as_nanos()
                ));
            }
        }
        std::fs::create_dir(&staging).map_err(|e| refuse(format!("cannot create a staging folder: {e}")))?;
        std::fs::write(staging.join(MARKER_FILE), "This folder was made by tandem, which may replace it.\n")
            .map_err(|e| refuse(format!("cannot write into the staging folder: {e}")))?;
        Ok(OutputDir { target: target_abs, staging, made: Default::default() })
    }

    /// Swaps the staging folder in; the old output (which has the marker) is removed.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let fail = |what: &str, e: std::io::Error| {
            Diagnostic::error(&self.target, format!("{what}: {e}"))
                .with_hint("check the folder's permissions")
        };
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging.file_name().unwrap_or_default().to_string_lossy()
        ));
        let had_old = self.target.exists();
        if had_old {
            if !self.target.join(MARKER_FILE).is_file() {
                // An empty folder someone made for us: removing it loses nothing.
                std::fs::remove_dir(&self.target).map_err(|e| fail("cannot replace the output folder", e))?;
            } else {
                std::fs::rename(&self.target, &old)
                    .map_err(|e| fail("cannot move the old output aside", e))?;
            }
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if old.exists() {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(fail("cannot move the new output into place", e));
        }
        if old.join(MARKER_FILE).is_file() {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }

    /// Throws the staging folder away (it is ours), leaving the old output as it was.
    pub fn discard(self) {
        if self.staging.join(MARKER_FILE).is_file() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

impl OutputDir {
    /// Where `path` goes in the staging folder, if it stays inside it.
    fn staged(&self, path: &str) -> std::io::Result<PathBuf> {
        let rel = Path::new(path);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "path leaves the output folder",
            ));
        }
        Ok(self.staging.join(rel))
    }
}

impl Output for OutputDir {
    fn write(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let file = self.staged(path)?;
        if let Some(dir) = file.parent() {
            let made = || self.made.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !made().contains(dir) {
                std::fs::create_dir_all(dir)?;
                made().insert(dir.to_path_buf());
            }
        }
        std::fs::write(file, bytes)
    }

    fn remove(&self, path: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.staged(path)?) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            result => result,
        }
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.staged(path).ok()?).ok()
    }
}

/// Staging folders for the output folder `name` are `.NAME.tandem-staging-PID`, with `.NANOS` when
/// that name was taken and `.old` for the previous output during the swap.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.tandem-staging-")
}

/// Removes staging folders that a build of the same output killed mid-way (SIGKILL, power loss)
/// left behind: those that carry tandem's marker and whose process is gone. A live process's
/// folder is left alone (a build running beside this one), and so is anything without the marker.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = staging_prefix(name);
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let Some(Ok(pid)) = pid.split('.').next().map(str::parse::<u32>) else { continue };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && pid != std::process::id() && !process_is_alive(pid) && path.join(MARKER_FILE).is_file() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id exists. Where that cannot be known, it is taken to exist, so
/// nothing is removed that might be in use.
fn process_is_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
        // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        // EPERM: it exists but belongs to another user.
        found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// An absolute, symlink-free path for `p`, even when `p` does not exist yet.
fn absolute(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().ok()?.join(p) };
    let parent = abs.parent()?;
    Some(absolute(parent)?.join(abs.file_name()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_is_discarded_and_never_touches_the_target() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join(MARKER_FILE), "").unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let out = OutputDir::prepare(root.path(), &target).unwrap();
        out.write("new/index.html", b"new".to_vec()).unwrap();
        assert!(out.write("../escape.html", b"x".to_vec()).is_err(), "paths may not leave the output");
        out.discard();
        assert_eq!(std::fs::read_to_string(target.join("old.html")).unwrap(), "old");
        assert!(!target.join("new").exists());
        let leftovers = std::fs::read_dir(root.path()).unwrap().count();
        assert_eq!(leftovers, 1, "only public/ remains");
    }

    #[cfg(unix)]
    #[test]
    fn stale_staging_folders_of_dead_processes_are_removed_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        // A process id that is surely gone: a child that has exited and been waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let alive = std::os::unix::process::parent_id();
        let folder = |name: String, marked: bool| {
            let dir = root.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("index.html"), "x").unwrap();
            if marked {
                std::fs::write(dir.join(MARKER_FILE), "").unwrap();
            }
            dir
        };
        let stale = folder(format!(".public.tandem-staging-{dead}"), true);
        let stale_old = folder(format!(".public.tandem-staging-{dead}.old"), true);
        let stale_renamed = folder(format!(".public.tandem-staging-{dead}.12345"), true);
        let unmarked = folder(format!(".public.tandem-staging-{dead}.7"), false);
        let running = folder(format!(".public.tandem-staging-{alive}"), true);
        let other_output = folder(format!(".docs.tandem-staging-{dead}"), true);
        let out = OutputDir::prepare(root.path(), &target).unwrap();
        for gone in [&stale, &stale_old, &stale_renamed] {
            assert!(!gone.exists(), "{} is removed", gone.display());
        }
        for kept in [&unmarked, &running, &other_output] {
            assert!(kept.join("index.html").is_file(), "{} is kept", kept.display());
        }
        out.discard();
    }

    #[test]
    fn commit_swaps_in_the_new_output() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let out = OutputDir::prepare(root.path(), &target).unwrap();
        out.write("index.html", b"hi".to_vec()).unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "hi");
        assert!(target.join(MARKER_FILE).is_file());
    }
}
