//! Keeps the index in step with the catalog: rebuilt from the store at start (an index
//! kept from the last run may miss a `tonearm scan` made while the server was down), and
//! again whenever the catalog version moves, once it has been still for a moment.
//!
//! Rebuilding whole is simple and always right (moves, renames, prunes and changed counts
//! all land) and costs a few seconds for 100,000 tracks, on a blocking thread. The version
//! counts this process's changes only: another node's scan reaches this index at the next
//! local change or restart.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tonearm_catalog::{CatalogStore, CatalogVersion};

use crate::SearchError;
use crate::index::SearchIndex;
use crate::item::{Item, Popularity};

/// How often the version is looked at, and how debouncing is paced.
#[derive(Debug, Clone, Copy)]
pub struct FollowTiming {
    /// A change is indexed once the version stayed the same this long…
    pub quiet: Duration,
    /// …or this long after it was first seen, so a long scan shows up as it goes.
    pub max_delay: Duration,
    /// Wait before trying again after a failed rebuild.
    pub retry: Duration,
}

impl Default for FollowTiming {
    fn default() -> Self {
        Self { quiet: Duration::from_millis(500), max_delay: Duration::from_secs(10), retry: Duration::from_secs(5) }
    }
}

pub struct CatalogFollower {
    pub index: Arc<SearchIndex>,
    pub catalog: Arc<dyn CatalogStore>,
    pub version: CatalogVersion,
    pub popularity: Arc<dyn Popularity>,
    pub timing: FollowTiming,
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
        let mut indexed: Option<u64> = None;
        loop {
            if indexed.is_some_and(|version| version == self.version.current()) {
                tokio::time::sleep(self.timing.quiet).await;
                continue;
            }
            if indexed.is_some() {
                self.settle().await;
            }
            let version = self.version.current();
            match self.rebuild().await {
                Ok(count) => {
                    tracing::info!(items = count, catalog_version = version, "search index rebuilt");
                    indexed = Some(version);
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

    async fn rebuild(&self) -> Result<usize, SearchError> {
        let items = Item::all_of(self.catalog.catalog_listing().await?);
        let index = Arc::clone(&self.index);
        let popularity = Arc::clone(&self.popularity);
        tokio::task::spawn_blocking(move || index.replace_all(items, popularity.as_ref()))
            .await
            .map_err(|error| SearchError::Task(error.to_string()))?
    }
}
