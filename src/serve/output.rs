//! The site in memory: a [`render::Output`] that keeps files in a map, and the snapshot the
//! server answers from, replaced whole so that a request sees one build or the next, never a mix.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use rayon::prelude::*;

use crate::render::Output;

type FileMap = HashMap<Arc<str>, Arc<Stored>>;

/// One output file as the server holds it. Most of a site's bytes are text that deflates to a
/// fifth of its size (HTML, the search index's JSON), and the server holds every file for as long
/// as it runs: kept deflated, the output takes a fraction of the memory (SPEC §5: the server under
/// 2× the output), for ~0.1 ms of inflating per page served. A full build's files are deflated
/// after they are first served, a slice at a time between edits ([`Files::deflate`]): deflating
/// costs ~1 s of CPU per 100 MB.
pub struct Stored {
    deflated: bool,
    bytes: Box<[u8]>,
}

/// Files shorter than this are kept as they are: deflating them saves next to nothing.
const DEFLATE_FROM: usize = 512;

impl Stored {
    pub fn new(bytes: Vec<u8>, path: &str) -> Stored {
        // Formats that are compressed already gain nothing.
        const PACKED: [&str; 12] = [
            ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2", ".mp4", ".webm", ".mp3",
            ".zip",
        ];
        if bytes.len() >= DEFLATE_FROM && !PACKED.iter().any(|ext| path.ends_with(ext)) {
            let deflated = miniz_oxide::deflate::compress_to_vec(&bytes, 1);
            if deflated.len() < bytes.len() / 10 * 9 {
                return Stored { deflated: true, bytes: deflated.into_boxed_slice() };
            }
        }
        Stored { deflated: false, bytes: bytes.into_boxed_slice() }
    }

    /// Kept as they are, to be deflated later.
    fn raw(bytes: Vec<u8>) -> Stored {
        Stored { deflated: false, bytes: bytes.into_boxed_slice() }
    }

    /// The file's bytes, as written.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        if !self.deflated {
            return Cow::Borrowed(&self.bytes);
        }
        // Deflated here from bytes that were whole: this cannot fail but by a bug.
        Cow::Owned(miniz_oxide::inflate::decompress_to_vec(&self.bytes).expect("a deflated output file"))
    }
}

/// Output files by path relative to the output root (`guides/x/index.html`).
///
/// A one-page rebuild changes a few files of tens of thousands (the page, some of the search
/// index's), and the server must keep answering from the files as they were until the new ones
/// are whole, so each rebuild starts from a copy. Copying one map of every file, and dropping the
/// old one, cost time per file of the site on every edit (~10 ms at 10,000 pages, ~30× that at
/// 100,000): the files are in two layers instead, those of the last full build (shared, never
/// copied) and those written since, folded into a new base now and then so that the second
/// layer stays small.
#[derive(Clone, Default)]
pub struct Files {
    base: Arc<FileMap>,
    /// Written since `base`; an entry here replaces the one of the same path there.
    newer: FileMap,
}

/// [`Files::newer`] is folded into the base once it has this many files, or a tenth of the base's.
const FOLD_AT: usize = 2048;

impl Files {
    pub fn get(&self, path: &str) -> Option<&Arc<Stored>> {
        self.newer.get(path).or_else(|| self.base.get(path))
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.base.is_empty() && self.newer.is_empty()
    }

    /// Every file once, in no order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<Stored>)> {
        let newer = &self.newer;
        newer.iter().chain(self.base.iter().filter(move |(path, _)| !newer.contains_key(&***path)))
    }

    /// The paths of the files not deflated yet that may shrink (see [`Stored::new`]).
    pub fn raw_paths(&self) -> Vec<Arc<str>> {
        let raw = self.iter().filter(|(_, file)| !file.deflated && file.bytes.len() >= DEFLATE_FROM);
        raw.map(|(path, _)| path.clone()).collect()
    }

    /// Deflates the files at `paths` that are not yet, where that pays; in parallel.
    pub fn deflate(&mut self, paths: &[Arc<str>]) {
        let deflated: Vec<(Arc<str>, Arc<Stored>)> = paths
            .par_iter()
            .filter_map(|path| {
                let file = self.get(path).filter(|file| !file.deflated)?;
                Some((path.clone(), Arc::new(Stored::new(file.bytes.to_vec(), path))))
            })
            .collect();
        for (path, file) in deflated {
            self.insert(path, file);
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.iter().map(|(path, _)| path)
    }

    /// Adds or replaces the file at `path`; returns the one it replaced.
    pub fn insert(&mut self, path: Arc<str>, bytes: Arc<Stored>) -> Option<Arc<Stored>> {
        if self.newer.is_empty()
            && let Some(base) = Arc::get_mut(&mut self.base)
        {
            // No other copy shares the base (a full build's files): written in place.
            return base.insert(path, bytes);
        }
        let before = self.get(&path).cloned();
        self.newer.insert(path, bytes);
        if self.newer.len() >= FOLD_AT.max(self.base.len() / 10) {
            Arc::make_mut(&mut self.base).extend(self.newer.drain());
        }
        before
    }
}

impl Files {
    /// Deletes the file at `path`; returns it. Rare (a page that lost some of its search
    /// fragment files), so it may copy a shared base.
    pub fn remove(&mut self, path: &str) -> Option<Arc<Stored>> {
        let newer = self.newer.remove(path);
        let base = match self.base.contains_key(path) {
            true => Arc::make_mut(&mut self.base).remove(path),
            false => None,
        };
        newer.or(base)
    }
}

impl FromIterator<(Arc<str>, Arc<Stored>)> for Files {
    fn from_iter<T: IntoIterator<Item = (Arc<str>, Arc<Stored>)>>(files: T) -> Files {
        Files { base: Arc::new(files.into_iter().collect()), newer: FileMap::default() }
    }
}

impl std::ops::Index<&str> for Files {
    type Output = Arc<Stored>;

    fn index(&self, path: &str) -> &Arc<Stored> {
        self.get(path).unwrap_or_else(|| panic!("no file {path}"))
    }
}

/// Where the dev server renders to: a map in memory, filled in parallel by the renderer.
#[derive(Default)]
pub struct MemoryOutput {
    files: Mutex<Files>,
    /// Whether files are deflated as they are written (a rebuild of a few files), or kept as they
    /// are for [`Files::deflate`] (a full build).
    deflate: bool,
    /// Paths written more than once: a later file (a static file, a tag page) replaced an earlier
    /// one, so re-rendering the earlier one alone would be wrong.
    overwritten: Mutex<HashSet<String>>,
}

impl MemoryOutput {
    /// Starts from `files`, to re-render a few of them.
    pub fn with_files(files: Files) -> MemoryOutput {
        MemoryOutput { files: Mutex::new(files), deflate: true, overwritten: Mutex::default() }
    }

    pub fn into_parts(self) -> (Files, HashSet<String>) {
        (
            self.files.into_inner().unwrap_or_else(PoisonError::into_inner),
            self.overwritten.into_inner().unwrap_or_else(PoisonError::into_inner),
        )
    }
}

impl Output for MemoryOutput {
    fn write(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let bytes = Arc::new(if self.deflate { Stored::new(bytes, path) } else { Stored::raw(bytes) });
        let replaced = self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(path.into(), bytes);
        if replaced.is_some() {
            self.overwritten.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string());
        }
        Ok(())
    }

    fn remove(&self, path: &str) -> std::io::Result<()> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).remove(path);
        Ok(())
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .map(|file| file.bytes().into_owned())
    }
}

/// What the server answers with at one moment.
pub struct Snapshot {
    /// The last site that built without errors (empty before the first one).
    pub files: Arc<Files>,
    /// The terminal rendering of the problems of the last build, when it failed.
    pub errors: Option<Arc<str>>,
    /// Counts publications, so a page can tell it is out of date.
    pub version: u64,
    /// Whether any build has finished yet.
    pub built: bool,
}

/// The current [`Snapshot`], swapped whole: readers clone an `Arc` under a lock held for
/// nanoseconds, so a rebuild never blocks a request and a request never sees a half-built site.
pub struct Served {
    current: RwLock<Arc<Snapshot>>,
}

impl Default for Served {
    fn default() -> Self {
        Served {
            current: RwLock::new(Arc::new(Snapshot {
                files: Arc::default(),
                errors: None,
                version: 0,
                built: false,
            })),
        }
    }
}

impl Served {
    pub fn current(&self) -> Arc<Snapshot> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Publishes the outcome of a build: `Ok(files)` replaces the site, `Err(report)` keeps the
    /// last good site and shows the report on it. Returns the new version.
    pub fn publish(&self, result: Result<Arc<Files>, Arc<str>>) -> u64 {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        let version = current.version + 1;
        let (files, errors) = match result {
            Ok(files) => (files, None),
            Err(report) => (current.files.clone(), Some(report)),
        };
        *current = Arc::new(Snapshot { files, errors, version, built: true });
        version
    }

    /// Replaces the files of the current site with `files`, as the same version: for changes no
    /// open page needs to hear of (the search index following an edit).
    pub fn update(&self, files: Arc<Files>) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        let (errors, version) = (current.errors.clone(), current.version);
        *current = Arc::new(Snapshot { files, errors, version, built: true });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_output_remembers_overwritten_paths() {
        let out = MemoryOutput::default();
        out.write("a/index.html", b"one".to_vec()).unwrap();
        out.write("style.css", b"x".to_vec()).unwrap();
        out.write("a/index.html", b"two".to_vec()).unwrap();
        let (files, overwritten) = out.into_parts();
        assert_eq!(&*files["a/index.html"].bytes(), b"two");
        assert_eq!(overwritten, HashSet::from(["a/index.html".to_string()]));
    }

    #[test]
    fn text_is_kept_deflated_and_given_back_as_written() {
        let page: Vec<u8> = (0..2000)
            .flat_map(|i| format!("<li><a href=\"/p/{i}/\">Page {i}</a></li>\n").into_bytes())
            .collect();
        let stored = Stored::new(page.clone(), "guides/x/index.html");
        assert!(
            stored.deflated && stored.bytes.len() < page.len() / 4,
            "{} of {}",
            stored.bytes.len(),
            page.len()
        );
        assert_eq!(stored.bytes(), page);
        let short = Stored::new(b"<p>short</p>".to_vec(), "a.html");
        assert!(!short.deflated);
        assert_eq!(&*short.bytes(), b"<p>short</p>");
        let image = Stored::new(page.clone(), "pic.png");
        assert!(!image.deflated, "formats compressed already are kept as they are");
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let random = Stored::new(noise.clone(), "data.bin");
        assert!(!random.deflated, "what does not shrink is kept as it is");
        assert_eq!(random.bytes(), noise);
    }

    #[test]
    fn a_full_builds_files_are_deflated_later_and_read_the_same() {
        let page: Vec<u8> = b"<p>Some text of a page.</p>\n".repeat(100);
        let out = MemoryOutput::default();
        out.write("a/index.html", page.clone()).unwrap();
        out.write("b.txt", b"tiny".to_vec()).unwrap();
        let (mut deflated, _) = out.into_parts();
        assert!(!deflated["a/index.html"].deflated, "not while the build runs");
        let raw = deflated.raw_paths();
        assert_eq!(raw, vec![Arc::from("a/index.html")], "the files that may shrink");
        deflated.deflate(&raw);
        assert!(deflated["a/index.html"].deflated);
        assert!(deflated.raw_paths().is_empty());
        assert_eq!(deflated["a/index.html"].bytes(), page);
        assert_eq!(&*deflated["b.txt"].bytes(), b"tiny");
        assert_eq!(deflated.iter().count(), 2);
        let rebuild = MemoryOutput::with_files(deflated);
        rebuild.write("c/index.html", page.clone()).unwrap();
        assert!(rebuild.into_parts().0["c/index.html"].deflated, "a rebuild's few files at once");
    }

    #[test]
    fn files_written_later_replace_the_earlier_ones_without_changing_a_copy() {
        let file = |text: &str| Arc::new(Stored::new(text.as_bytes().to_vec(), "x.html"));
        let first: Files = (0..100).map(|i| (Arc::from(format!("{i}.html")), file("old"))).collect();
        let mut files = first.clone(); // shares the base, as a rebuild's copy does
        assert_eq!(
            files.insert("7.html".into(), file("new")).map(|f| f.bytes().to_vec()),
            Some(b"old".to_vec())
        );
        assert!(files.insert("extra.html".into(), file("more")).is_none());
        assert_eq!(&*files["7.html"].bytes(), b"new");
        assert_eq!(&*first["7.html"].bytes(), b"old", "the copy it started from is as it was");
        assert!(!first.contains_key("extra.html") && files.contains_key("extra.html"));
        let mut paths: Vec<&str> = files.keys().map(|k| &**k).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), 101, "every file once");
        assert_eq!(files.iter().count(), 101);
        // Past FOLD_AT files written, they go into the base; nothing changes for a reader.
        for i in 0..FOLD_AT {
            files.insert(Arc::from(format!("{i}.html")), file("newest"));
        }
        assert!(files.newer.len() < FOLD_AT);
        assert_eq!(&*files["7.html"].bytes(), b"newest");
        assert_eq!(&*files["extra.html"].bytes(), b"more");
        assert_eq!(files.iter().count(), FOLD_AT + 1);
        assert_eq!(&*first["7.html"].bytes(), b"old");
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_files() {
        let served = Served::default();
        let files: Arc<Files> = Arc::new(Files::from_iter([(
            Arc::from("index.html"),
            Arc::new(Stored::new(b"good".to_vec(), "index.html")),
        )]));
        assert_eq!(served.publish(Ok(files)), 1);
        assert_eq!(served.publish(Err("error: bad".into())), 2);
        let now = served.current();
        assert_eq!(&*now.files["index.html"].bytes(), b"good");
        assert_eq!(now.errors.as_deref(), Some("error: bad"));
        served.publish(Ok(Arc::default()));
        assert!(served.current().errors.is_none());
    }
}
