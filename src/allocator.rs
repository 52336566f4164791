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
//! block is freed by the allocator that made it, which mimalloc can tell by its address
//! (`mi_is_in_heap_region`: is it in one of mimalloc's own arenas or segments).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

pub struct PerCommand {
    mimalloc: AtomicBool,
}

impl PerCommand {
    pub const fn new() -> PerCommand {
        PerCommand { mimalloc: AtomicBool::new(false) }
    }

    /// From now on, new blocks come from mimalloc. Called once, at the start of `main`, before
    /// any other thread exists (so that every thread sees it: threads start after it).
    pub fn use_mimalloc(&self) {
        self.mimalloc.store(true, Ordering::Relaxed);
    }

    fn allocates_with_mimalloc(&self) -> bool {
        self.mimalloc.load(Ordering::Relaxed)
    }

    /// Whether `ptr` is one of mimalloc's blocks; only ever true after [`PerCommand::use_mimalloc`].
    fn made_by_mimalloc(&self, ptr: *mut u8) -> bool {
        unsafe extern "C" {
            /// mimalloc's (linked in by the `mimalloc` crate, which does not export it).
            fn mi_is_in_heap_region(p: *const u8) -> bool;
        }
        // SAFETY: mi_is_in_heap_region only looks the address up in mimalloc's maps of its memory.
        self.allocates_with_mimalloc() && unsafe { mi_is_in_heap_region(ptr) }
    }
}

// SAFETY: every block is allocated by one of two allocators and freed, or grown, by the same one
// (`made_by_mimalloc`), each of which upholds GlobalAlloc's contract.
unsafe impl GlobalAlloc for PerCommand {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        unsafe { if self.allocates_with_mimalloc() { MiMalloc.alloc(layout) } else { System.alloc(layout) } }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        unsafe {
            if self.allocates_with_mimalloc() {
                MiMalloc.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
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
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}
