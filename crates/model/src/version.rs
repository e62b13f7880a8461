use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts changes to the catalog made by this process, so caches of catalog responses
/// know when they went stale. Clones share one counter.
#[derive(Debug, Clone, Default)]
pub struct CatalogVersion(Arc<AtomicU64>);

impl CatalogVersion {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Called after every committed change.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}
