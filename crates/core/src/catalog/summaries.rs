//! Track and artist summaries (title, album, credited artists, cover, counts): the catalog
//! data every short list of tracks or artists draws, the same for every listener. Kept per
//! catalog version, so the Home screen, recently played and the top lists read only what is
//! the listener's own from the database: half the queries of a Home answer were these.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use tonearm_domain::{ArtistId, TrackId};
use tonearm_model::{ArtistSummary, CatalogVersion, StoreError, TrackSummary};

use crate::cache::CatalogCache;
use crate::stores::Catalog;

/// Ten megabytes at most (a summary is a few hundred bytes).
const MAX_TRACKS: usize = 32_768;
const MAX_ARTISTS: usize = 8_192;
/// How stale a summary may be on a node that did not make the change: a rename shows on
/// every node within a minute. A listener's top artists read the summaries of every track
/// they played in four weeks, a hundred or more, so at 5 s (the catalog pages') nearly
/// every Home answer would find one expired and wait for the database.
const KEPT_FOR: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Summaries {
    catalog: Catalog,
    tracks: CatalogCache<TrackId, Arc<TrackSummary>>,
    artists: CatalogCache<ArtistId, ArtistSummary>,
}

impl Summaries {
    pub fn new(catalog: Catalog, version: CatalogVersion) -> Self {
        Self {
            catalog,
            tracks: CatalogCache::new(version.clone(), MAX_TRACKS).kept_for(KEPT_FOR),
            artists: CatalogCache::new(version, MAX_ARTISTS).kept_for(KEPT_FOR),
        }
    }

    /// The summaries of the tracks that exist, in the order of `ids`.
    pub async fn tracks(&self, ids: &[TrackId]) -> Result<Vec<TrackSummary>, StoreError> {
        Ok(self.shared_tracks(ids).await?.iter().map(|track| TrackSummary::clone(track)).collect())
    }

    /// The same, not copied: for a caller that only reads them.
    pub async fn shared_tracks(&self, ids: &[TrackId]) -> Result<Vec<Arc<TrackSummary>>, StoreError> {
        let fetch = |missing: Vec<TrackId>| async move {
            Ok(self.catalog.tracks_by_ids(&missing).await?.into_iter().map(Arc::new).collect())
        };
        kept_or_fetched(&self.tracks, ids, fetch, |track| track.id).await
    }

    /// The summaries of the artists that exist, in the order of `ids`.
    pub async fn artists(&self, ids: &[ArtistId]) -> Result<Vec<ArtistSummary>, StoreError> {
        let fetch = |missing: Vec<ArtistId>| async move { self.catalog.artists_by_ids(&missing).await };
        kept_or_fetched(&self.artists, ids, fetch, |artist| artist.id).await
    }
}

/// What `cache` holds of `ids`, the rest fetched in one call and kept.
async fn kept_or_fetched<K, V, F>(
    cache: &CatalogCache<K, V>,
    ids: &[K],
    fetch: impl FnOnce(Vec<K>) -> F,
    id_of: fn(&V) -> K,
) -> Result<Vec<V>, StoreError>
where
    K: Hash + Eq + Copy,
    V: Clone,
    F: Future<Output = Result<Vec<V>, StoreError>>,
{
    // Read before fetching: a change meanwhile leaves what is kept stale rather than wrong.
    let version = cache.version();
    let mut found = cache.get_all(ids, version);
    let missing: Vec<K> = ids.iter().zip(&found).filter(|(_, kept)| kept.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let fetched: HashMap<K, V> = fetch(missing).await?.into_iter().map(|value| (id_of(&value), value)).collect();
        for (slot, id) in found.iter_mut().zip(ids).filter(|(slot, _)| slot.is_none()) {
            if let Some(value) = fetched.get(id) {
                cache.put(*id, version, value.clone());
                *slot = Some(value.clone());
            }
        }
    }
    Ok(found.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Fetches `n * 10` for each id but 13, which does not exist, and counts what it was asked.
    async fn fetch(asked: &AtomicUsize, ids: Vec<u32>) -> Result<Vec<u32>, StoreError> {
        asked.fetch_add(ids.len(), Ordering::Relaxed);
        Ok(ids.into_iter().filter(|&id| id != 13).map(|id| id * 10).collect())
    }

    #[tokio::test]
    async fn only_what_is_not_kept_is_fetched_and_the_order_is_the_ids() {
        let cache = CatalogCache::new(CatalogVersion::default(), 100);
        let asked = AtomicUsize::new(0);
        let id_of = |value: &u32| value / 10;

        let first = kept_or_fetched(&cache, &[3, 13, 1], |ids| fetch(&asked, ids), id_of).await.unwrap();
        assert_eq!(first, [30, 10], "missing ids are left out, the rest keep their order");
        assert_eq!(asked.load(Ordering::Relaxed), 3);

        let second = kept_or_fetched(&cache, &[2, 1, 3], |ids| fetch(&asked, ids), id_of).await.unwrap();
        assert_eq!(second, [20, 10, 30]);
        assert_eq!(asked.load(Ordering::Relaxed), 4, "only 2 was fetched");
    }

    #[tokio::test]
    async fn a_catalog_change_fetches_again() {
        let version = CatalogVersion::default();
        let cache = CatalogCache::new(version.clone(), 100);
        let asked = AtomicUsize::new(0);
        let id_of = |value: &u32| value / 10;
        kept_or_fetched(&cache, &[1, 2], |ids| fetch(&asked, ids), id_of).await.unwrap();
        version.bump();
        kept_or_fetched(&cache, &[1, 2], |ids| fetch(&asked, ids), id_of).await.unwrap();
        assert_eq!(asked.load(Ordering::Relaxed), 4, "a rename or a rescan must show at once");
    }
}
