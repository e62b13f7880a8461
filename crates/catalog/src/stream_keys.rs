//! Where the wrapped content keys of encrypted renditions are kept.

use async_trait::async_trait;
use tonearm_domain::TrackId;

use crate::StoreError;

#[async_trait]
pub trait StreamKeyStore: Send + Sync + 'static {
    /// The wrapped key of a track's rendition, if one was made.
    async fn stream_key(&self, track: TrackId, rendition: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// The wrapped key of a track's rendition, storing `candidate` first when the rendition
    /// has none yet: concurrent first requests, on any node, all get the one key that won.
    /// `NotFound` when the track does not exist.
    async fn stream_key_or_insert(
        &self,
        track: TrackId,
        rendition: &str,
        candidate: &[u8],
        now_ms: i64,
    ) -> Result<Vec<u8>, StoreError>;
}
