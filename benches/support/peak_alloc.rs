//! A global allocator that counts live and peak heap bytes, for the benchmarks' memory
//! figures, over the allocator the `tokenomics` binary uses (so the benches time what
//! the binary runs).

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The allocator underneath: the binary's (see `src/main.rs`).
const INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Its name, for the benches' output (not every bench prints it).
#[allow(dead_code)]
pub(crate) const NAME: &str = "mimalloc";

/// Bytes allocated and not yet freed.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The largest value `LIVE` reached since it was last reset.
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The binary's allocator, counting live and peak bytes.
pub(crate) struct PeakAlloc;

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { INNER.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { INNER.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { INNER.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { INNER.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

/// Starts a new peak measurement from the bytes live now; returns them.
pub(crate) fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

/// The peak since the last [`reset_peak`], in bytes.
pub(crate) fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
