//! The Home shelves that are the same for every listener: "trending this week" and "new
//! releases". Trending is the costly one (it counts every counted play of the past week:
//! tens of thousands of rows at a million events, 10–20 ms), so both are made once and kept
//! for `FRESH_FOR`, or until the catalog changes; past that, requests keep getting them
//! while one background task makes them again, so no request waits. Shelves whose week had
//! no plays are not kept: counting an empty week costs next to nothing, and a new server's
//! first plays then trend at once.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use tonearm_domain::{PageRequest, Sort};
use tonearm_model::{AlbumSummary, CatalogVersion, StoreError, TrackSummary};

use crate::clock::now_millis;
use crate::stores::{Catalog, Listening};

/// How stale the shelves may be on one node: a week's ranking barely moves in a minute.
const FRESH_FOR: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct ServiceShelves(Arc<Shared>);

/// What the shelves hold.
#[derive(Clone, Copy)]
pub struct Shape {
    /// The window trending counts, ending now: a week on the Home screen.
    pub trending_window_ms: i64,
    /// Items per shelf.
    pub items: u32,
}

struct Shared {
    catalog: Catalog,
    listening: Listening,
    version: CatalogVersion,
    shape: Shape,
    latest: RwLock<Option<Arc<Made>>>,
    /// Held while making the shelves, so they are made once at a time.
    making: Arc<Mutex<()>>,
}

/// Both shelves, as made at `at` from catalog version `version`.
pub struct Made {
    at: Instant,
    version: u64,
    /// Most played first.
    pub trending: Vec<TrackSummary>,
    /// Most recently added first.
    pub new_releases: Vec<AlbumSummary>,
}

impl ServiceShelves {
    pub fn new(catalog: Catalog, listening: Listening, version: CatalogVersion, shape: Shape) -> Self {
        let latest = RwLock::default();
        Self(Arc::new(Shared { catalog, listening, version, shape, latest, making: Arc::default() }))
    }

    pub async fn get(&self) -> Result<Arc<Made>, StoreError> {
        if let Some(made) = self.latest() {
            if made.at.elapsed() >= FRESH_FOR || made.version != self.0.version.current() {
                self.remake_in_background();
            }
            return Ok(made);
        }
        let _making = self.0.making.lock().await;
        // Whoever held the lock may have made them meanwhile.
        match self.latest() {
            Some(made) => Ok(made),
            None => self.make().await,
        }
    }

    fn latest(&self) -> Option<Arc<Made>> {
        self.0.latest.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Makes the shelves; the caller holds `making`.
    async fn make(&self) -> Result<Arc<Made>, StoreError> {
        // Read before the queries: a change meanwhile makes these stale.
        let version = self.0.version.current();
        let Shape { trending_window_ms, items } = self.0.shape;
        let page = PageRequest { sort: Sort::DateAdded, limit: items, after: None };
        let (ranked, newest) = tokio::try_join!(
            self.0.listening.trending(now_millis() - trending_window_ms, items),
            self.0.catalog.list_albums(&page),
        )?;
        let ids: Vec<_> = ranked.iter().map(|entry| entry.id).collect();
        // In the order given: most played first.
        let trending = self.0.catalog.tracks_by_ids(&ids).await?;
        let made = Arc::new(Made { at: Instant::now(), version, trending, new_releases: newest.items });
        let kept = (!made.trending.is_empty()).then(|| Arc::clone(&made));
        *self.0.latest.write().unwrap_or_else(|p| p.into_inner()) = kept;
        Ok(made)
    }

    fn remake_in_background(&self) {
        // Already being made: that will do.
        let Ok(making) = Arc::clone(&self.0.making).try_lock_owned() else { return };
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(error) = this.make().await {
                tracing::warn!(%error, "making the shared home shelves failed; keeping the previous ones");
            }
            drop(making);
        });
    }
}
