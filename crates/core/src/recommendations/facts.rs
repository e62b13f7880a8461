//! What the recommender knows of the catalog, made once per catalog version: every track
//! with a dense index, its artist, genre and year, its album's Premium flag and how often
//! the service played it. Requests read the latest facts; a stale copy keeps serving while
//! one task makes the next, so no request waits long on a catalog change.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use tonearm_domain::{AlbumId, ArtistId, TrackId};
use tonearm_model::{ArtistSummary, CatalogVersion, TrackSound, TrackSummary};
use tonearm_recommend::content::ItemContent;

use super::sounds::from_stored;
use crate::stores::{Catalog, Listening, Signals};
use crate::{ServiceError, ServiceResult};

/// Play counts change without a catalog change: facts older than this are remade.
const POPULARITY_FRESH_FOR: Duration = Duration::from_secs(15 * 60);
/// How long a request waits for new facts after a catalog change before serving stale ones.
const FRESH_FACTS_WAIT: Duration = Duration::from_millis(500);

/// One catalog version's facts; item `i` is `tracks[i]`.
pub struct CatalogFacts {
    pub version: u64,
    /// [`Facts::mark_stale`] calls before these were made.
    generation: u64,
    made_at: Instant,
    pub tracks: Vec<TrackSummary>,
    pub content: Vec<ItemContent>,
    /// Counted plays across the service, per item.
    pub popularity: Vec<f32>,
    pub genre_names: Vec<String>,
    /// Artist `a` is `artists[a]`, the index [`ItemContent::artist`] holds.
    pub artists: Vec<ArtistSummary>,
    item_of: HashMap<TrackId, u32>,
    artist_of: HashMap<ArtistId, u32>,
    items_by_artist: Vec<Vec<u32>>,
    items_by_album: HashMap<AlbumId, Vec<u32>>,
}

impl CatalogFacts {
    pub fn item(&self, track: TrackId) -> Option<u32> {
        self.item_of.get(&track).copied()
    }

    pub fn artist_index(&self, artist: ArtistId) -> Option<u32> {
        self.artist_of.get(&artist).copied()
    }

    pub fn items_by_artist(&self, artist: u32) -> &[u32] {
        self.items_by_artist.get(artist as usize).map_or(&[], Vec::as_slice)
    }

    pub fn items_of_album(&self, album: AlbumId) -> &[u32] {
        self.items_by_album.get(&album).map_or(&[], Vec::as_slice)
    }

    pub fn genre_name(&self, item: u32) -> Option<&str> {
        let genre = self.content[item as usize].genre?;
        Some(&self.genre_names[genre as usize])
    }

    pub fn artist_name(&self, artist: u32) -> &str {
        &self.artists[artist as usize].name
    }

    /// Made from this catalog version, since the last [`Facts::mark_stale`], and recently
    /// enough that play counts still hold.
    fn is_fresh(&self, version: u64, generation: u64) -> bool {
        self.version == version && self.generation == generation && self.made_at.elapsed() < POPULARITY_FRESH_FOR
    }

    /// The catalog version and generation these were made from: equal identities, equal facts.
    pub fn identity(&self) -> (u64, u64) {
        (self.version, self.generation)
    }

    /// How many tracks have a measured sound.
    pub fn sounds_known(&self) -> usize {
        self.content.iter().filter(|content| content.sound.is_some()).count()
    }

    fn build(
        version: u64,
        listing: tonearm_model::CatalogListing,
        genres: Vec<(TrackId, String)>,
        plays: Vec<tonearm_model::Ranked<TrackId>>,
        sounds: Vec<(TrackId, TrackSound)>,
        generation: u64,
    ) -> Self {
        let artists = listing.artists;
        let artist_of: HashMap<ArtistId, u32> =
            artists.iter().enumerate().map(|(index, artist)| (artist.id, index as u32)).collect();
        let tracks = listing.tracks;
        let item_of: HashMap<TrackId, u32> =
            tracks.iter().enumerate().map(|(index, track)| (track.id, index as u32)).collect();

        let mut genre_names: Vec<String> = Vec::new();
        let mut genre_index: HashMap<String, u32> = HashMap::new();
        let mut genre_of_item: Vec<Option<u32>> = vec![None; tracks.len()];
        for (track, name) in genres {
            let Some(&item) = item_of.get(&track) else { continue };
            // A track's first genre is its genre here: mixes are named by one.
            if genre_of_item[item as usize].is_some() {
                continue;
            }
            let next = genre_names.len() as u32;
            let genre = *genre_index.entry(name.clone()).or_insert_with(|| {
                genre_names.push(name);
                next
            });
            genre_of_item[item as usize] = Some(genre);
        }

        let mut items_by_artist = vec![Vec::new(); artists.len()];
        let mut items_by_album: HashMap<AlbumId, Vec<u32>> = HashMap::new();
        let mut content = Vec::with_capacity(tracks.len());
        for (item, track) in tracks.iter().enumerate() {
            let performer = track.artists.first().unwrap_or(&track.album_artist);
            // Every track's artist is in the listing; u32::MAX is "unknown", alike to no one.
            let artist = artist_of.get(&performer.id).copied().unwrap_or(u32::MAX);
            if let Some(items) = items_by_artist.get_mut(artist as usize) {
                items.push(item as u32);
            }
            items_by_album.entry(track.album.id).or_default().push(item as u32);
            content.push(ItemContent { artist, genre: genre_of_item[item], year: track.year, sound: None });
        }

        let mut popularity = vec![0.0; tracks.len()];
        for ranked in plays {
            if let Some(&item) = item_of.get(&ranked.id) {
                popularity[item as usize] = ranked.plays as f32;
            }
        }
        for (track, sound) in sounds {
            if let Some(&item) = item_of.get(&track) {
                content[item as usize].sound = Some(from_stored(sound));
            }
        }
        Self {
            version,
            generation,
            made_at: Instant::now(),
            tracks,
            content,
            popularity,
            genre_names,
            artists,
            item_of,
            artist_of,
            items_by_artist,
            items_by_album,
        }
    }
}

/// The node's latest facts, remade when the catalog version moves on.
#[derive(Clone)]
pub struct Facts(Arc<Shared>);

struct Shared {
    catalog: Catalog,
    listening: Listening,
    signals: Signals,
    version: CatalogVersion,
    latest: RwLock<Option<Arc<CatalogFacts>>>,
    generation: AtomicU64,
    making: Arc<Mutex<()>>,
}

impl Facts {
    pub fn new(catalog: Catalog, listening: Listening, signals: Signals, version: CatalogVersion) -> Self {
        let latest = RwLock::default();
        Self(Arc::new(Shared {
            catalog,
            listening,
            signals,
            version,
            latest,
            generation: AtomicU64::new(0),
            making: Arc::default(),
        }))
    }

    /// The latest facts. After a catalog change the new ones are waited for a moment (a
    /// small catalog's take milliseconds, so the first request after a scan sees it); a
    /// large catalog's stale facts keep serving while a task makes the new ones.
    pub async fn get(&self) -> ServiceResult<Arc<CatalogFacts>> {
        match self.latest() {
            Some(facts) if self.is_fresh(&facts) => Ok(facts),
            Some(stale) => {
                let remade = self.remake_in_background();
                // On timeout the task goes on: dropping its handle does not cancel it.
                let _ = tokio::time::timeout(FRESH_FACTS_WAIT, remade).await;
                Ok(self.latest().unwrap_or(stale))
            }
            None => self.current().await,
        }
    }

    /// The facts of the current catalog version, made now if they are stale: for training,
    /// which must see what the catalog holds.
    pub async fn current(&self) -> ServiceResult<Arc<CatalogFacts>> {
        let _making = self.0.making.lock().await;
        match self.latest() {
            Some(facts) if self.is_fresh(&facts) => Ok(facts),
            _ => self.make().await,
        }
    }

    /// Something the facts hold changed without a catalog change (sounds were measured):
    /// the next request remakes them.
    pub fn mark_stale(&self) {
        self.0.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn is_fresh(&self, facts: &CatalogFacts) -> bool {
        facts.is_fresh(self.0.version.current(), self.0.generation.load(Ordering::SeqCst))
    }

    fn latest(&self) -> Option<Arc<CatalogFacts>> {
        self.0.latest.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    async fn make(&self) -> ServiceResult<Arc<CatalogFacts>> {
        let version = self.0.version.current();
        let generation = self.0.generation.load(Ordering::SeqCst);
        let (listing, genres, plays, sounds) = tokio::try_join!(
            self.0.catalog.catalog_listing(),
            self.0.signals.track_genres(),
            self.0.listening.all_play_counts(),
            self.0.signals.track_sounds(),
        )?;
        let facts = tokio::task::spawn_blocking(move || {
            CatalogFacts::build(version, listing, genres, plays, sounds, generation)
        })
        .await
        .map_err(|error| ServiceError::internal("making the recommender's facts", error))?;
        let facts = Arc::new(facts);
        *self.0.latest.write().unwrap_or_else(|p| p.into_inner()) = Some(facts.clone());
        Ok(facts)
    }

    /// Makes the current facts unless another task has made them meanwhile.
    fn remake_in_background(&self) -> tokio::task::JoinHandle<()> {
        let facts = self.clone();
        tokio::spawn(async move {
            if let Err(error) = facts.current().await {
                tracing::warn!(%error, "recommender facts not remade: the stale ones keep serving");
            }
        })
    }
}
