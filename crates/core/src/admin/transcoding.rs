//! The transcoder and its rendition cache, as operators see them.

pub use tonearm_packager::PackagerStats;

use crate::streaming::adaptive::Adaptive;

#[derive(Clone)]
pub struct Transcoding {
    adaptive: Adaptive,
}

impl Transcoding {
    pub fn new(adaptive: Adaptive) -> Self {
        Self { adaptive }
    }

    /// Jobs started, failed, running and queued since start-up; the cache's fill and evictions.
    pub fn status(&self) -> PackagerStats {
        self.adaptive.packager().stats()
    }
}
