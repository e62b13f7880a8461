//! Track and artist summaries (title, album, credited artists, cover, counts): the catalog
//! data every short list of tracks or artists draws, the same for every listener. Kept per
//! catalog version, so the Home screen, recently played and the top lists read only what is
//! the listener's own from the database: half the queries of a Home answer were these.

use std::sync::Arc;
use std::time::Duration;

use tonearm_domain::{ArtistId, TrackId};
use tonearm_model::{ArtistSummary, CatalogVersion, StoreError, TrackSummary};

use crate::cache::{CatalogCache, kept_or_fetched};
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
