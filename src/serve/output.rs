//! The site in memory: a [`render::Output`] that keeps files in a map, and the snapshot the
//! server answers from, replaced whole so that a request sees one build or the next, never a mix.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::render::Output;

/// Output files by path relative to the output root (`guides/x/index.html`). Keys and values are
/// shared, so copying the map for a one-page rebuild copies no file and no path.
pub type Files = HashMap<Arc<str>, Arc<[u8]>>;

/// Where the dev server renders to: a map in memory, filled in parallel by the renderer.
#[derive(Default)]
pub struct MemoryOutput {
    files: Mutex<Files>,
    /// Paths written more than once: a later file (a static file, a tag page) replaced an earlier
    /// one, so re-rendering the earlier one alone would be wrong.
    overwritten: Mutex<HashSet<String>>,
}

impl MemoryOutput {
    /// Starts from `files`, to re-render a few of them.
    pub fn with_files(files: Files) -> MemoryOutput {
        MemoryOutput { files: Mutex::new(files), overwritten: Mutex::default() }
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
        let bytes: Arc<[u8]> = bytes.into();
        let replaced = self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(path.into(), bytes);
        if replaced.is_some() {
            self.overwritten.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string());
        }
        Ok(())
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
        assert_eq!(&*files["a/index.html"], b"two");
        assert_eq!(overwritten, HashSet::from(["a/index.html".to_string()]));
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_files() {
        let served = Served::default();
        let files: Arc<Files> = Arc::new(HashMap::from([(Arc::from("index.html"), Arc::from(&b"good"[..]))]));
        assert_eq!(served.publish(Ok(files)), 1);
        assert_eq!(served.publish(Err("error: bad".into())), 2);
        let now = served.current();
        assert_eq!(&*now.files["index.html"], b"good");
        assert_eq!(now.errors.as_deref(), Some("error: bad"));
        served.publish(Ok(Arc::default()));
        assert!(served.current().errors.is_none());
    }
}
