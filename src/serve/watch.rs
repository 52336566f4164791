//! Watching the site's inputs with notify, folders rather than files: an editor's atomic save
//! (write a temporary file, rename it over the old one) replaces the file a file-watch would
//! follow, but a folder-watch sees it as one more change in the folder. Events come in bursts
//! (temporary file, rename, swap file), so they are gathered until the folder has been quiet for a
//! moment and handed over as one [`Batch`]; [`super::rebuild`] decides which paths matter.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Config, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use super::rebuild::INPUT_DIRS;

/// A batch ends once no event came for this long: long enough to take in an editor's save (temp
/// file, rename, backup) in one go, short enough that the edit→reload round trip stays fast.
pub const QUIET: Duration = Duration::from_millis(20);
/// After an event that ends a save (the writer closed the file it wrote, or renamed a file into
/// place), a batch ends once the folder has been quiet this long instead: that file is whole, and
/// saves that come together (a formatter run over many files) still make one batch.
pub const SETTLE: Duration = Duration::from_millis(3);
/// …or this long after its first event, however busy the folder is.
pub const MAX_WAIT: Duration = Duration::from_millis(200);
/// How often `--poll` looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// What changed, as the paths the events named (absolute, unsorted, without repeats).
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (its queue overflowed, or it failed): anything may have changed.
    pub rescan: bool,
}

pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    /// Input folders being watched; one that is deleted and made again is watched again.
    watched: HashSet<PathBuf>,
    /// An event taken by [`Watch::changes_waiting`], for the next batch.
    early: Option<notify::Result<notify::Event>>,
}

impl Watch {
    /// Watches `root` (for `site.toml`, and input folders that appear later) and each input folder
    /// under it; `poll` scans instead, for file systems that report no events.
    pub fn new(root: &Path, poll: bool) -> notify::Result<Watch> {
        let (sender, events) = mpsc::channel();
        let handler = move |event| {
            let _ = sender.send(event);
        };
        let mut watcher: Box<dyn Watcher + Send> = if poll {
            Box::new(PollWatcher::new(handler, Config::default().with_poll_interval(POLL_INTERVAL))?)
        } else {
            Box::new(RecommendedWatcher::new(handler, Config::default())?)
        };
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut watch =
            Watch { watcher, events, root: root.to_path_buf(), watched: HashSet::new(), early: None };
        watch.watch_inputs();
        Ok(watch)
    }

    fn watch_inputs(&mut self) {
        for dir in INPUT_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watched.contains(&path) {
                let _ = self.watcher.unwatch(&path);
                if self.watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                    self.watched.insert(path);
                }
            }
        }
    }

    /// Blocks until something changes, then gathers events until [`QUIET`] (at most
    /// [`MAX_WAIT`]). `None` once the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut saved = false;
        while batch.paths.is_empty() && !batch.rescan {
            let first = match self.early.take() {
                Some(event) => event,
                None => self.events.recv().ok()?,
            };
            saved = self.add(first, &mut batch);
        }
        let deadline = Instant::now() + MAX_WAIT;
        loop {
            let quiet = if saved { SETTLE } else { QUIET };
            let wait = quiet.min(deadline.saturating_duration_since(Instant::now()));
            match self.events.recv_timeout(wait) {
                Ok(event) => saved = self.add(event, &mut batch),
                Err(_) => break,
            }
        }
        let mut seen = HashSet::new();
        batch.paths.retain(|p| seen.insert(p.clone()));
        self.watch_inputs();
        Some(batch)
    }

    /// Whether an event that may change something came (not one that only says a file was read
    /// or opened); it stays for [`Watch::next_batch`]. Never blocks.
    pub fn changes_waiting(&mut self) -> bool {
        while self.early.is_none() {
            match self.events.try_recv() {
                Ok(Ok(event)) if matches!(event.kind, EventKind::Access(_)) => continue,
                Ok(event) => self.early = Some(event),
                Err(_) => break,
            }
        }
        self.early.is_some()
    }

    /// Adds what `event` names to `batch`; true when the event ends a save.
    fn add(&mut self, event: notify::Result<notify::Event>, batch: &mut Batch) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(_) => {
                batch.rescan = true;
                return false;
            }
        };
        let saved = matches!(
            event.kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
                | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
        );
        if matches!(event.kind, EventKind::Access(_)) {
            return saved;
        }
        batch.rescan |= event.need_rescan();
        for path in event.paths {
            if self.watched.contains(&path) {
                // The folder itself was removed or replaced: watch it afresh if it is back.
                self.watched.remove(&path);
            }
            batch.paths.push(path);
        }
        saved
    }
}
