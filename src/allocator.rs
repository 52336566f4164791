//! The process's allocator: mimalloc for the commands that build a site once and exit, the
//! system's (glibc's) for the rest, `tandem serve` above all.
//!
//! A build allocates and frees millions of small pieces on every core (Markdown events, template
//! values, the HTML of each page), and glibc's allocator was ~13% of its CPU on the 10,000-page
//! corpus; with mimalloc the build takes 15-25% less user CPU at 10,000 and 100,000 pages
//! (docs/performance.md). But mimalloc's heaps are per thread, and what the dev server frees
//! after its first build (the build's temporary values, the files it deflates) stayed in them:
//! its RSS at 10,000 pages was 410-500 MB instead of glibc's 234 MB after `malloc_trim`, over
//! SPEC §5's 2× the output. So the choice is made per command, before any thread starts.
//!
//! What was allocated before the choice (the command line's parsing) stays with glibc: each
//! block is freed, or grown, by the allocator that made it. The blocks glibc made through this
//! allocator all lie between the lowest and the highest address it gave (kept up to date), so
//! a block outside that span is mimalloc's; one inside it, mimalloc can tell by its address
//! (`mi_is_in_heap_region`, a look-up in its maps of its memory: asked of every block, that
//! was half of what freeing cost).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use mimalloc::MiMalloc;

pub struct PerCommand {
    /// [`UNDECIDED`], [`MIMALLOC`] or [`SYSTEM`].
    choice: AtomicU8,
    /// The span of addresses of the blocks that glibc made through this allocator: from the
    /// lowest start to the highest end (empty while `low > high`).
    system_low: AtomicUsize,
    system_high: AtomicUsize,
}

/// Until `main` chooses, blocks come from glibc and their span is kept.
const UNDECIDED: u8 = 0;
/// New blocks come from mimalloc; glibc's blocks from before still widen the span as they grow.
const MIMALLOC: u8 = 1;
/// Every block is glibc's, so nothing is kept: the span's two shared counters would be written
/// by every allocation of every thread of the dev server, bouncing their cache line between cores.
const SYSTEM: u8 = 2;

impl PerCommand {
    pub const fn new() -> PerCommand {
        PerCommand {
            choice: AtomicU8::new(UNDECIDED),
            system_low: AtomicUsize::new(usize::MAX),
            system_high: AtomicUsize::new(0),
        }
    }

    /// From now on, new blocks come from mimalloc. Called once, at the start of `main`, before
    /// any other thread exists (so that every thread sees it: threads start after it).
    pub fn use_mimalloc(&self) {
        self.choice.store(MIMALLOC, Ordering::Relaxed);
    }

    /// From now on, and for good, every block is glibc's. Called like [`PerCommand::use_mimalloc`].
    pub fn use_system(&self) {
        self.choice.store(SYSTEM, Ordering::Relaxed);
    }

    fn allocates_with_mimalloc(&self) -> bool {
        self.choice.load(Ordering::Relaxed) == MIMALLOC
    }

    /// Notes a block that glibc made, before its address is handed out (whichever thread frees
    /// it later got the address after this, so it sees the span widened).
    fn system_made(&self, ptr: *mut u8, size: usize) -> *mut u8 {
        if !ptr.is_null() && self.choice.load(Ordering::Relaxed) != SYSTEM {
            let start = ptr as usize;
            self.system_low.fetch_min(start, Ordering::Relaxed);
            self.system_high.fetch_max(start.saturating_add(size), Ordering::Relaxed);
        }
        ptr
    }

    /// Whether `ptr` is one of mimalloc's blocks; never before [`PerCommand::use_mimalloc`].
    fn made_by_mimalloc(&self, ptr: *mut u8) -> bool {
        unsafe extern "C" {
            /// mimalloc's (linked in by the `mimalloc` crate, which does not export it).
            fn mi_is_in_heap_region(p: *const u8) -> bool;
        }
        if !self.allocates_with_mimalloc() {
            return false;
        }
        let at = ptr as usize;
        let in_system_span =
            self.system_low.load(Ordering::Relaxed) <= at && at < self.system_high.load(Ordering::Relaxed);
        // SAFETY: mi_is_in_heap_region only looks the address up in mimalloc's maps of its memory.
        !in_system_span || unsafe { mi_is_in_heap_region(ptr) }
    }
}

// SAFETY: every block is allocated by one of two allocators and freed, or grown, by the same one
// (`made_by_mimalloc`), each of which upholds GlobalAlloc's contract.
unsafe impl GlobalAlloc for PerCommand {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        unsafe {
            if self.allocates_with_mimalloc() {
                MiMalloc.alloc(layout)
            } else {
                self.system_made(System.alloc(layout), layout.size())
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        unsafe {
            if self.allocates_with_mimalloc() {
                MiMalloc.alloc_zeroed(layout)
            } else {
                self.system_made(System.alloc_zeroed(layout), layout.size())
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator with `layout`, so by the one asked here.
        unsafe {
            if self.made_by_mimalloc(ptr) {
                MiMalloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for dealloc; a block grows within the allocator that made it.
        unsafe {
            if self.made_by_mimalloc(ptr) {
                MiMalloc.realloc(ptr, layout, new_size)
            } else {
                self.system_made(System.realloc(ptr, layout, new_size), new_size)
            }
        }
    }
}
