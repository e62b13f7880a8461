//! Keeps the index in step with the catalog: rebuilt from the store at start (an index
//! kept from the last run may miss a `tonearm scan` made while the server was down), and
//! again whenever the catalog version moves, once it has been still for a moment. Play
//! counts (popularity) are looked at every few minutes, and a change rebuilds the index
//! too: plays arrive all the time, and ranking needs them only roughly up to date.
//! Playlists are updated one by one as they change (`playlist_changes`).
//!
//! Rebuilding whole is simple and always right (moves, renames, prunes and changed counts
//! all land) and costs a few seconds for 100,000 tracks, on a blocking thread. The version
//! counts this process's changes only: another node's scan reaches this index at the next
//! local change or restart.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tonearm_domain::TrackId;
use tonearm_model::{CatalogStore, CatalogVersion, ListeningStore, PlaylistStore, Ranked, StoreError};

use crate::SearchError;
use crate::index::SearchIndex;
use crate::item::Item;
use crate::playlist_changes::PlaylistChanges;
use crate::popularity::PlayCounts;

/// How often the version is looked at, and how debouncing is paced.
#[derive(Debug, Clone, Copy)]
pub struct FollowTiming {
    /// A change is indexed once the version stayed the same this long…
    pub quiet: Duration,
    /// …or this long after it was first seen, so a long scan shows up as it goes.
    pub max_delay: Duration,
    /// Wait before trying again after a failed rebuild.
    pub retry: Duration,
    /// How often play counts are compared with those indexed; a rebuild of 100,000 items
    /// costs about a second of one core, so not much more often than this.
    pub popularity_refresh: Duration,
}

impl Default for FollowTiming {
    fn default() -> Self {
        Self {
            quiet: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            retry: Duration::from_secs(5),
            popularity_refresh: Duration::from_secs(600),
        }
    }
}

pub struct CatalogFollower {
    pub index: Arc<SearchIndex>,
    pub catalog: Arc<dyn CatalogStore>,
    pub version: CatalogVersion,
    /// Where play counts come from.
    pub plays: Arc<dyn ListeningStore>,
    pub playlists: Arc<dyn PlaylistStore>,
    /// Playlists to re-read and re-index; see `IndexedPlaylists`.
    pub playlist_changes: PlaylistChanges,
    pub timing: FollowTiming,
}

/// What the index was last built from.
struct Indexed {
    catalog_version: u64,
    plays: Vec<Ranked<TrackId>>,
    plays_checked: Instant,
}

impl CatalogFollower {
    /// Follows the catalog until `stop` resolves.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        tokio::select! {
            () = self.follow() => {}
            () = stop => {}
        }
    }

    async fn follow(&self) {
        let mut indexed: Option<Indexed> = None;
        loop {
            let catalog_moved = indexed.as_ref().is_none_or(|last| last.catalog_version != self.version.current());
            let plays_due =
                indexed.as_ref().is_some_and(|last| last.plays_checked.elapsed() >= self.timing.popularity_refresh);
            if !catalog_moved && !plays_due {
                tokio::select! {
                    () = tokio::time::sleep(self.timing.quiet) => {}
                    () = self.playlist_changes.wait() => {}
                }
                self.index_changed_playlists().await;
                continue;
            }
            if catalog_moved && indexed.is_some() {
                self.settle().await;
            }
            let catalog_version = self.version.current();
            let plays = match self.plays.all_play_counts().await {
                Ok(plays) => plays,
                Err(error) => {
                    tracing::error!(%error, "play counts unavailable for the search index; retrying");
                    tokio::time::sleep(self.timing.retry).await;
                    continue;
                }
            };
            if let Some(last) = indexed.as_mut()
                && !catalog_moved
                && last.plays == plays
            {
                last.plays_checked = Instant::now();
                continue;
            }
            match self.rebuild(&plays).await {
                Ok(count) => {
                    tracing::info!(items = count, catalog_version, "search index rebuilt");
                    indexed = Some(Indexed { catalog_version, plays, plays_checked: Instant::now() });
                }
                Err(error) => {
                    tracing::error!(%error, "search index rebuild failed; retrying");
                    tokio::time::sleep(self.timing.retry).await;
                }
            }
        }
    }

    /// Returns once the version stopped moving for `quiet`, or after `max_delay`.
    async fn settle(&self) {
        let first_seen = Instant::now();
        let mut seen = self.version.current();
        loop {
            tokio::time::sleep(self.timing.quiet).await;
            let now = self.version.current();
            if now == seen || first_seen.elapsed() >= self.timing.max_delay {
                return;
            }
            seen = now;
        }
    }

    async fn rebuild(&self, plays: &[Ranked<TrackId>]) -> Result<usize, SearchError> {
        let listing = self.catalog.catalog_listing().await?;
        let playlists = self.playlists.all_playlists().await?;
        let popularity = PlayCounts::tally(&listing.tracks, plays);
        let mut items = Item::all_of(listing);
        items.extend(playlists.into_iter().map(Item::Playlist));
        let index = Arc::clone(&self.index);
        tokio::task::spawn_blocking(move || index.replace_all(items, &popularity))
            .await
            .map_err(|error| SearchError::Task(error.to_string()))?
    }

    /// Re-reads the playlists changed since the last call and updates their documents.
    /// What fails is noted again and retried on the next round.
    async fn index_changed_playlists(&self) {
        let ids = self.playlist_changes.take();
        if ids.is_empty() {
            return;
        }
        let (mut current, mut gone) = (Vec::new(), Vec::new());
        for &id in &ids {
            match self.playlists.playlist(id).await {
                Ok(playlist) => current.push(playlist),
                Err(StoreError::NotFound { .. }) => gone.push(id),
                Err(error) => {
                    tracing::error!(%error, playlist = id, "playlist unreadable for the search index; retrying");
                    self.playlist_changes.changed(id);
                }
            }
        }
        let index = Arc::clone(&self.index);
        let updated = tokio::task::spawn_blocking(move || index.update_playlists(current, &gone))
            .await
            .map_err(|error| SearchError::Task(error.to_string()))
            .and_then(|result| result);
        if let Err(error) = updated {
            tracing::error!(%error, "playlists could not be indexed; retrying");
            ids.into_iter().for_each(|id| self.playlist_changes.changed(id));
        }
    }
}
