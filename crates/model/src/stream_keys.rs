//! Where the wrapped content keys of encrypted renditions are kept.

use async_trait::async_trait;
use tonearm_domain::TrackId;

use crate::StoreError;

#[async_trait]
pub trait StreamKeyStore: Send + Sync + 'static {
    /// The wrapped key of a track's rendition, if one was made.
    async fn stream_key(&self, track: TrackId, rendition: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every wrapped key made so far for a track's renditions, as `(rendition, key)`, in no
    /// particular order: one query for a whole master playlist.
    async fn stream_keys(&self, track: TrackId) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// The wrapped keys of several renditions of a track, in the order of `candidates`
    /// (`(rendition, candidate key)`), storing each candidate first where its rendition has
    /// none yet: concurrent first requests, on any node, all get the keys that won. A few
    /// statements whatever the number of renditions (a listener's first master request asks
    /// for a whole ladder). `NotFound` when the track does not exist.
    async fn stream_keys_or_insert(
        &self,
        track: TrackId,
        candidates: &[(&str, &[u8])],
        now_ms: i64,
    ) -> Result<Vec<Vec<u8>>, StoreError>;
}

/// The stored keys of `renditions`, in their order, when every one of them has a key.
pub fn keys_in_order(stored: &[(String, Vec<u8>)], renditions: &[&str]) -> Option<Vec<Vec<u8>>> {
    renditions
        .iter()
        .map(|rendition| stored.iter().find(|(id, _)| id == rendition).map(|(_, key)| key.clone()))
        .collect()
}
