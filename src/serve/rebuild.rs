//! Rebuilding after changes: which changed paths matter, and the least work that gives the same
//! files as a clean build.
//!
//! - One guide or `_index.md` whose front matter changed only in keys its own page uses
//!   ([`Content::reload_document`]): that page is rendered again with the loaded templates and
//!   the rest of the site as it was; every problem of the site is re-counted, so an anchor that
//!   disappeared from it is reported on the pages that link there. The search index follows in
//!   [`Model::catch_up`], once the page is served.
//! - Static files changed in place: those files are read again.
//! - Anything else (a new, deleted or renamed file, front matter that shows elsewhere, a quiz, a
//!   template, a theme, `site.toml`): a full rebuild, `build::load` + `render::render_site`,
//!   exactly what `tandem build` does.
//!
//! [`Content::reload_document`]: crate::content::Content::reload_document

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::output::{Files, MemoryOutput};
use crate::build::{self, Loaded};
use crate::config::CONFIG_FILE;
use crate::content::{self, CONTENT_DIR, DocId};
use crate::diagnostic::{Diagnostic, Report};
use crate::render::{self, Afterwards, Output, Rendering, Site};
use crate::theme::Origin;

/// The folders under the site root whose files go into a build (with `site.toml`).
pub const INPUT_DIRS: [&str; 4] = [CONTENT_DIR, "templates", "themes", "static"];

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// Loaded and rendered everything: this many pages (sections and quizzes included).
    Full { pages: usize },
    /// Rendered one document again: its source (relative to the site root), and the one output
    /// file that changed.
    Document { source: PathBuf, output: String },
    /// Read these static files again (paths in the output).
    Statics(Vec<String>),
}

pub struct Outcome {
    pub work: Work,
    /// Every problem of the site as it now is, sorted.
    pub report: Report,
    /// The output when the site has no errors.
    pub files: Option<Arc<Files>>,
    pub elapsed: Duration,
}

impl Outcome {
    /// The terminal's line for it, e.g. `rebuilt 1 page in 3 ms`.
    pub fn line(&self, verb: &str) -> String {
        let ms = self.elapsed.as_millis();
        let what = match &self.work {
            Work::Full { pages } => format!("{pages} page{}", if *pages == 1 { "" } else { "s" }),
            Work::Document { .. } => "1 page".to_string(),
            Work::Statics(paths) => paths.join(", "),
        };
        match self.files {
            Some(_) => format!("{verb} {what} in {ms} ms"),
            None => {
                let n = self.report.error_count();
                format!(
                    "{verb} {what} in {ms} ms: {n} error{}; still serving the last good site",
                    if n == 1 { "" } else { "s" }
                )
            }
        }
    }
}

/// A site loaded and rendered, kept so that small changes can be rendered alone.
struct Rendered {
    loaded: Loaded,
    rendering: Rendering,
    /// The problems loading found; they stand until the site is loaded again.
    load_problems: Vec<Diagnostic>,
    /// Output paths written twice in the full build (see [`MemoryOutput`]).
    overwritten: HashSet<String>,
}

/// The dev server's copy of the site: what was loaded, what rendering learned, and its output.
pub struct Model {
    opts: build::Options,
    /// `None` when loading failed (bad site.toml, broken templates): every change rebuilds all.
    site: Option<Rendered>,
    /// The output of the last render, even of one that had errors.
    files: Arc<Files>,
    /// The files of the last full build not deflated yet (see [`Model::deflate_some`]).
    raw: Vec<Arc<str>>,
}

impl Model {
    /// `opts.root` should be absolute, as the paths the watcher reports are.
    pub fn new(opts: build::Options) -> Model {
        Model { opts, site: None, files: Arc::default(), raw: Vec::new() }
    }

    /// Readies the model for the next one-page edit (see [`Rendering::prepare_for_edits`]); called
    /// after a build is published, off the path from a save to the page served.
    pub fn prepare_for_edits(&mut self) {
        if let Some(site) = &mut self.site {
            site.rendering.prepare_for_edits();
        }
    }

    /// Loads and renders everything.
    pub fn rebuild_all(&mut self) -> Outcome {
        let started = Instant::now();
        let (loaded, mut report) = build::load(&self.opts);
        let load_problems = report.diagnostics.clone();
        let mut pages = 0;
        match loaded {
            Some(mut loaded) => {
                let out = MemoryOutput::default();
                let rendering = build::render_into(
                    &self.opts.root,
                    &mut loaded,
                    &out,
                    &mut report,
                    Afterwards::KeepsEverything,
                );
                let (files, overwritten) = out.into_parts();
                self.raw = files.raw_paths();
                self.files = Arc::new(files);
                pages = loaded.content.pages.len() + loaded.content.sections.len();
                self.site = Some(Rendered { loaded, rendering, load_problems, overwritten });
            }
            None => {
                self.site = None;
                self.files = Arc::default();
            }
        }
        self.outcome(Work::Full { pages }, report, started)
    }

    /// Rebuilds after `changed` (absolute paths, as the watcher reports them); `None` when none of
    /// them goes into the site.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Option<Outcome> {
        let relevant: Vec<&PathBuf> = changed.iter().filter(|p| self.is_input(p)).collect();
        if relevant.is_empty() {
            return None;
        }
        let started = Instant::now();
        if let [one] = relevant[..]
            && let Some(outcome) = self.rebuild_document(one, started)
        {
            return Some(outcome);
        }
        if let Some(outcome) = self.rebuild_statics(&relevant, started) {
            return Some(outcome);
        }
        Some(self.rebuild_all())
    }

    /// Whether a change at `path` can change the site: a file a build reads, a folder, or a path
    /// a build read before (a deleted file, or a folder moved away).
    fn is_input(&self, path: &Path) -> bool {
        let root = &self.opts.root;
        let Ok(rel) = path.strip_prefix(root) else { return false };
        if rel == Path::new(CONFIG_FILE) {
            return true;
        }
        let Some(top) = rel.iter().next().and_then(|t| t.to_str()) else { return false };
        if !INPUT_DIRS.contains(&top) {
            return false;
        }
        if let Some(site) = &self.site
            && top == "themes"
            && rel.iter().nth(1).is_some_and(|name| name != site.loaded.config.theme.as_str())
        {
            return false;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => true,
            Ok(_) if top == CONTENT_DIR => content::is_content_file(path),
            Ok(_) => !content::is_hidden(path),
            Err(_) => self.was_read(path, rel),
        }
    }

    /// Whether the last build read `path` or something under it.
    fn was_read(&self, path: &Path, rel: &Path) -> bool {
        let Some(site) = &self.site else { return true };
        let layers = site.loaded.templates.layers();
        site.loaded.content.paths_by_source.keys().any(|source| source.starts_with(rel))
            || layers
                .templates
                .values()
                .chain(layers.statics.values())
                .any(|f| matches!(&f.origin, Origin::Disk(p) if p.starts_with(path)))
    }

    /// One guide or `_index.md` changed so that only its own page changes.
    fn rebuild_document(&mut self, path: &Path, started: Instant) -> Option<Outcome> {
        let rel = path.strip_prefix(&self.opts.root).ok()?;
        if rel.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let site = self.site.as_mut()?;
        let doc = site.loaded.content.reload_document(&self.opts.root, rel)?;
        let content = &site.loaded.content;
        let page_path = match doc {
            DocId::Page(id) => &content.pages[id].path,
            DocId::Section(id) => &content.sections[id].path,
        };
        let output = render::output_file(page_path);
        if site.overwritten.contains(&output) {
            return None; // Another file replaces this page's output; a full build sorts that out.
        }
        let view = Site { root: &self.opts.root, config: &site.loaded.config, content };
        let out = MemoryOutput::with_files(Files::clone(&self.files));
        site.rendering.render_document(&view, &site.loaded.templates, doc, &out);
        self.files = Arc::new(out.into_parts().0);
        let report = self.report();
        Some(self.outcome(Work::Document { source: rel.to_path_buf(), output }, report, started))
    }

    /// Does what the last rebuild left for after its page was served (the search index of a
    /// one-page edit, see [`Rendering::update_search`]); returns the files with it done, or `None`
    /// when nothing was left.
    pub fn catch_up(&mut self) -> Option<Arc<Files>> {
        let site = self.site.as_mut()?;
        let out = MemoryOutput::with_files(Files::clone(&self.files));
        if !site.rendering.update_search(&out) {
            return None;
        }
        self.files = Arc::new(out.into_parts().0);
        Some(self.files.clone())
    }

    /// Deflates the next few of a full build's files (see [`Files::deflate`]); returns the files
    /// with them deflated, or `None` once all are.
    pub fn deflate_some(&mut self) -> Option<Arc<Files>> {
        const SLICE: usize = 512; // ~8 MB of pages: tens of milliseconds, so an edit waits little
        let paths = self.raw.split_off(self.raw.len().saturating_sub(SLICE));
        if paths.is_empty() {
            return None;
        }
        let mut files = Files::clone(&self.files);
        files.deflate(&paths);
        self.files = Arc::new(files);
        Some(self.files.clone())
    }

    /// Static files changed in place, each the one a build copies to its output path.
    fn rebuild_statics(&mut self, paths: &[&PathBuf], started: Instant) -> Option<Outcome> {
        let site = self.site.as_ref()?;
        if !site.rendering.site_files_written() {
            return None;
        }
        let statics = &site.loaded.templates.layers().statics;
        let mut changed = Vec::new();
        for path in paths {
            let key = statics.iter().find(|(_, f)| matches!(&f.origin, Origin::Disk(p) if p == *path))?.0;
            changed.push((key.clone(), std::fs::read(path).ok()?));
        }
        let out = MemoryOutput::with_files(Files::clone(&self.files));
        let keys = changed.iter().map(|(k, _)| k.clone()).collect();
        for (key, bytes) in changed {
            out.write(&key, bytes).ok()?;
        }
        self.files = Arc::new(out.into_parts().0);
        let report = self.report();
        Some(self.outcome(Work::Statics(keys), report, started))
    }

    /// Every problem of the site as it now is.
    fn report(&self) -> Report {
        let mut report = Report::default();
        if let Some(site) = &self.site {
            report.extend(site.load_problems.iter().cloned());
            report.extend(site.rendering.diagnostics());
        }
        report
    }

    fn outcome(&self, work: Work, report: Report, started: Instant) -> Outcome {
        let report = report.sorted();
        let files = (!report.has_errors()).then(|| self.files.clone());
        Outcome { work, report, files, elapsed: started.elapsed() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` to `rel` under `root`, making its folders; returns the file's path.
    fn write_file(root: &std::path::Path, rel: &str, text: &str) -> std::path::PathBuf {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn search_files(files: &Files) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(path, _)| path.starts_with("search/"))
            .map(|(path, file)| (path.to_string(), file.bytes().to_vec()))
            .collect();
        out.sort();
        out
    }

    /// Whether some shard of the index holds the term `word`.
    fn indexed(files: &Files, word: &str) -> bool {
        files
            .iter()
            .filter(|(path, _)| path.starts_with("search/s/"))
            .any(|(_, file)| crate::search::index::decode_shard(&file.bytes()).iter().any(|t| t.0 == word))
    }

    #[test]
    fn a_one_page_edit_leaves_the_search_index_a_clean_build_would_write() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |rel: &str, text: &str| write_file(&root, rel, text);
        write("site.toml", "title = \"T\"\nbase_url = \"https://t.example\"\n");
        write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        write("content/guides/other.md", "---\ntitle: Other\n---\nAnother page about xylophones.\n");
        let page =
            write("content/guides/edited.md", "---\ntitle: Edited\n---\n## Part\n\nOld quokka text.\n");
        let opts = || build::Options { root: root.clone(), output: None, base_url: None, drafts: false };
        let mut model = Model::new(opts());
        let first = model.rebuild_all();
        let before = first.files.expect("the site builds");
        assert!(indexed(&before, "quokka") && !indexed(&before, "wombat"));

        write("content/guides/edited.md", "---\ntitle: Edited\n---\n## Part\n\nNew wombat text.\n");
        let edit = model.rebuild(&[page]).expect("an input changed");
        assert_eq!(
            edit.work,
            Work::Document {
                source: "content/guides/edited.md".into(),
                output: "guides/edited/index.html".into()
            },
            "one page re-rendered"
        );
        let page_first = edit.files.expect("the edit builds");
        assert!(!indexed(&page_first, "wombat"), "the index follows the page, in catch_up");
        let after = model.catch_up().expect("the index was behind");
        assert!(model.catch_up().is_none(), "and is no more");
        assert!(indexed(&after, "wombat"), "the new word is found");
        assert!(!indexed(&after, "quokka"), "the old word is gone");

        let clean = Model::new(opts()).rebuild_all().files.unwrap();
        assert_eq!(search_files(&after), search_files(&clean), "same index as a clean build");
        assert!(indexed(&after, "xylophones"), "other pages are still found");
    }

    #[test]
    fn an_edit_that_drops_the_last_shards_terms_leaves_the_index_a_clean_build_would_write() {
        // Enough words for several shards, the edited page's own sorting last, so that the edit
        // takes away what the last shards held (their ranges then pointed past the terms' end: a
        // panic at the third edit of a 100,000-page site).
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |rel: &str, text: &str| write_file(&root, rel, text);
        let words = |prefix: &str| (0..1500).map(|i| format!("{prefix}{i:04}")).collect::<Vec<_>>().join(" ");
        write("site.toml", "title = \"T\"\n");
        write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        write("content/guides/other.md", &format!("---\ntitle: Other\n---\n{}\n", words("alpha")));
        let page =
            write("content/guides/edited.md", &format!("---\ntitle: Edited\n---\n{}\n", words("zulu")));
        let opts = || build::Options { root: root.clone(), output: None, base_url: None, drafts: false };
        let mut model = Model::new(opts());
        let first = model.rebuild_all().files.expect("the site builds");
        let shards = |files: &Files| files.keys().filter(|p| p.starts_with("search/s/")).count();
        assert!(shards(&first) >= 4, "several shards: {}", shards(&first));
        assert!(indexed(&first, "zulu1499"));

        for text in ["A few words now.", "Fewer now.", "And zulu0007 is back."] {
            write("content/guides/edited.md", &format!("---\ntitle: Edited\n---\n{text}\n"));
            let edit = model.rebuild(&[page.clone()]).expect("an input changed");
            assert!(matches!(edit.work, Work::Document { .. }), "one page re-rendered");
            let after = model.catch_up().expect("the index was behind");
            let clean = Model::new(opts()).rebuild_all().files.unwrap();
            assert_eq!(
                search_files(&after),
                search_files(&clean),
                "same index as a clean build after {text:?}"
            );
        }
    }

    #[test]
    fn with_search_off_the_server_keeps_and_serves_no_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |rel: &str, text: &str| write_file(&root, rel, text);
        write("site.toml", "title = \"T\"\n[search]\nenabled = false\n");
        let page = write("content/guides/edited.md", "---\ntitle: Edited\n---\nOld quokka text.\n");
        let opts = build::Options { root: root.clone(), output: None, base_url: None, drafts: false };
        let mut model = Model::new(opts);
        let before = model.rebuild_all().files.expect("the site builds");
        assert!(search_files(&before).is_empty());
        assert!(model.site.as_ref().is_some_and(|site| site.rendering.search_index().is_none()));

        write("content/guides/edited.md", "---\ntitle: Edited\n---\nNew wombat text.\n");
        let edit = model.rebuild(&[page]).expect("an input changed");
        let after = edit.files.expect("the edit builds");
        let html = after.get("guides/edited/index.html").expect("the page").bytes().to_vec();
        assert!(String::from_utf8(html).unwrap().contains("wombat"));
        assert!(model.catch_up().is_none(), "no index to bring up to date");
        assert!(search_files(&after).is_empty());
    }

    #[test]
    fn a_page_that_shrinks_leaves_no_stale_search_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |rel: &str, text: &str| write_file(&root, rel, text);
        write("site.toml", "title = \"T\"\nbase_url = \"https://t.example\"\n");
        // About 45,000 bytes of text: 46 chunks of 1,000 bytes, so a second fragment file.
        let long = "A sentence of the long page. ".repeat(1_500);
        let page = write("content/guides/long.md", &format!("---\ntitle: Long\n---\n{long}\n"));
        let opts = || build::Options { root: root.clone(), output: None, base_url: None, drafts: false };
        let mut model = Model::new(opts());
        let before = model.rebuild_all().files.expect("the site builds");
        let parts = |files: &Files| {
            let mut p: Vec<String> = files
                .keys()
                .filter(|k| k.starts_with("search/f/0.") && k.as_ref() != "search/f/0.json")
                .map(|k| k.to_string())
                .collect();
            p.sort();
            p
        };
        assert_eq!(parts(&before), ["search/f/0.1.json"], "the long page has a second fragment file");

        write("content/guides/long.md", "---\ntitle: Long\n---\nShort now.\n");
        let edit = model.rebuild(&[page]).expect("an input changed");
        assert_eq!(
            edit.work,
            Work::Document {
                source: "content/guides/long.md".into(),
                output: "guides/long/index.html".into()
            },
            "one page re-rendered"
        );
        edit.files.expect("the edit builds");
        let after = model.catch_up().expect("the index was behind");
        assert!(parts(&after).is_empty(), "the second fragment file is gone: {:?}", parts(&after));
        let clean = Model::new(opts()).rebuild_all().files.unwrap();
        assert_eq!(search_files(&after), search_files(&clean), "same index as a clean build");
    }
}
