//! Recommendations learned from listening: Made for you mixes, Discover, radio, "Fans also
//! like", "Because you listened to" and the newcomer's taste picker. The models live in
//! `tonearm_recommend`; this service feeds them the catalog and the listener's live
//! evidence, applies the product's rules (nothing Premium-only to a free listener, nothing
//! removed, at most a few songs per artist) and keeps the background training.

mod facts;
mod kept;
mod mixes;
mod published;
mod radio;
mod related;
mod scoring;
mod sounds;
mod taste;
mod training;

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use tonearm_domain::{AlbumId, ArtistId, CoverId, Tier, TrackId, UserId};
use tonearm_model::{ArtistSummary, CatalogVersion, TrackSummary};

pub use facts::Facts;
pub use published::Published;
pub use training::{Trainer, TrainingOutcome, TrainingSettings};

use crate::catalog::premium::PremiumAlbums;
use crate::listening::taste_changes::TasteChanges;
use crate::playlists::PlaylistService;
use crate::stores::{Catalog, Leaders, Listening, Signals};
use crate::{ServiceError, ServiceResult};
use facts::CatalogFacts;
use kept::Kept;
use published::Aligned;
use taste::{ListenerTaste, taste_of};

/// Why a track is recommended, for the listener to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    BecauseYouListened { artist: String },
    Radio { seed: String },
    Popular,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recommended {
    pub track: TrackSummary,
    pub reason: Reason,
}

/// A Made for you mix: named after its genre, described by its lead artists.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The covers of up to four of its albums, for the mosaic.
    pub covers: Vec<CoverId>,
    pub tracks: Vec<(TrackSummary, Reason)>,
}

/// What a radio station is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RadioSeed {
    Track(TrackId),
    Album(AlbumId),
    Artist(ArtistId),
    Playlist(i64),
}

impl RadioSeed {
    /// `track:12`, `album:3`, `artist:7` or `playlist:5`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (kind, id) = raw.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|&id| id > 0)?;
        match kind {
            "track" => Some(Self::Track(TrackId(id))),
            "album" => Some(Self::Album(AlbumId(id))),
            "artist" => Some(Self::Artist(ArtistId(id))),
            "playlist" => Some(Self::Playlist(id)),
            _ => None,
        }
    }
}

impl std::fmt::Display for RadioSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Track(id) => write!(f, "track:{id}"),
            Self::Album(id) => write!(f, "album:{id}"),
            Self::Artist(id) => write!(f, "artist:{id}"),
            Self::Playlist(id) => write!(f, "playlist:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RadioPage {
    pub seed: RadioSeed,
    pub title: String,
    pub items: Vec<Recommended>,
    pub next_offset: usize,
}

/// The recommendation shelves of Home.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HomeRecommendations {
    pub mixes: Vec<Mix>,
    /// The listener's top artist and the artists their fans also like.
    pub because_you_listened: Option<(ArtistSummary, Vec<ArtistSummary>)>,
    pub discover: Vec<Recommended>,
}

/// A newcomer's first-run choice of artists.
#[derive(Debug, Clone, PartialEq)]
pub struct TastePicker {
    /// The listener has no plays, likes or follows yet.
    pub show: bool,
    pub artists: Vec<ArtistSummary>,
}

/// What the recommender serves, for administrators.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommenderStatus {
    pub model_version: Option<i64>,
    pub trained_at: Option<i64>,
    pub listeners: usize,
    pub tracks: usize,
    pub retrain_every: Duration,
}

const RELATED_ARTISTS: usize = 12;
const PICKER_ARTISTS: usize = 24;
const MAX_RADIO_PAGE: usize = 100;
/// A station is remade after this, or when the catalog or the model changes.
const STATION_FRESH_FOR: Duration = Duration::from_secs(600);
const STATIONS_KEPT: NonZeroUsize = NonZeroUsize::new(1024).expect("not zero");
/// A listener's Home recommendations are worked out again after this (or at once when the
/// catalog, the model or, on this node, their likes and plays change).
const HOME_FRESH_FOR: Duration = Duration::from_secs(300);
const HOMES_KEPT: NonZeroUsize = NonZeroUsize::new(10_000).expect("not zero");

/// What a listener's Home recommendations were worked out from.
#[derive(Clone, PartialEq, Eq, Hash)]
struct HomeKey {
    user: UserId,
    premium: bool,
    facts: (u64, u64),
    model_version: Option<i64>,
    taste_revision: u64,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct StationKey {
    user: UserId,
    seed: RadioSeed,
    premium: bool,
    facts: (u64, u64),
    model_version: Option<i64>,
}

struct Station {
    title: String,
    items: Vec<u32>,
}

#[derive(Clone)]
pub struct Recommendations {
    facts: Facts,
    listening: Listening,
    playlists: PlaylistService,
    premium: PremiumAlbums,
    published: Published,
    trainer: Trainer,
    stations: Arc<Kept<StationKey, Station>>,
    homes: Arc<Kept<HomeKey, HomeRecommendations>>,
    taste_changes: TasteChanges,
}

/// The stores and settings the service is made of.
pub struct RecommendationParts {
    pub catalog: Catalog,
    pub listening: Listening,
    pub signals: Signals,
    pub leaders: Leaders,
    pub version: CatalogVersion,
    pub playlists: PlaylistService,
    pub premium: PremiumAlbums,
    pub settings: TrainingSettings,
    pub taste_changes: TasteChanges,
}

impl Recommendations {
    pub fn new(parts: RecommendationParts) -> Self {
        let facts = Facts::new(parts.catalog, parts.listening.clone(), parts.signals.clone(), parts.version);
        let published = Published::default();
        let trainer = Trainer::new(facts.clone(), parts.signals, parts.leaders, published.clone(), parts.settings);
        Self {
            facts,
            listening: parts.listening,
            playlists: parts.playlists,
            premium: parts.premium,
            published,
            trainer,
            stations: Arc::new(Kept::new(STATIONS_KEPT, STATION_FRESH_FOR)),
            homes: Arc::new(Kept::new(HOMES_KEPT, HOME_FRESH_FOR)),
            taste_changes: parts.taste_changes,
        }
    }

    /// The background training job's handle.
    pub fn trainer(&self) -> Trainer {
        self.trainer.clone()
    }

    /// Made for you, Because you listened to, Discover: one scoring for the three, kept
    /// for a few minutes so that Home, a mix's page and Discover agree and cost one read.
    pub async fn home(&self, user: UserId, tier: Tier) -> ServiceResult<Arc<HomeRecommendations>> {
        let facts = self.facts.get().await?;
        let aligned = self.published.aligned(&facts);
        let key = HomeKey {
            user,
            premium: tier == Tier::Premium,
            facts: facts.identity(),
            model_version: aligned.as_ref().map(|aligned| aligned.model.version),
            taste_revision: self.taste_changes.revision(user),
        };
        if let Some(home) = self.homes.get(&key) {
            return Ok(home);
        }
        let home = Arc::new(self.work_out_home(user, key.premium, facts, aligned).await?);
        self.homes.put(key, home.clone());
        Ok(home)
    }

    async fn work_out_home(
        &self,
        user: UserId,
        premium: bool,
        facts: Arc<CatalogFacts>,
        aligned: Option<Arc<Aligned>>,
    ) -> ServiceResult<HomeRecommendations> {
        let taste = taste_of(&self.listening, &facts, user).await?;
        let scores = scoring::personal_scores(&facts, aligned.as_deref(), &taste);
        let mixes = mixes::made_for_you(&facts, &scores, &taste, premium);
        let discover = if taste.is_new() { Vec::new() } else { mixes::discover(&facts, &scores, &taste, premium) };
        let because_you_listened = taste.profile.main_artists().first().and_then(|&(artist, _)| {
            let related = related::related_artists(&facts, aligned.as_deref(), artist, RELATED_ARTISTS, &taste);
            let related: Vec<ArtistSummary> =
                related.iter().map(|&other| facts.artists[other as usize].clone()).collect();
            (!related.is_empty()).then(|| (facts.artists[artist as usize].clone(), related))
        });
        let mut home = HomeRecommendations {
            mixes,
            because_you_listened,
            discover: discover
                .into_iter()
                .map(|(item, reason)| Recommended { track: facts.tracks[item as usize].clone(), reason })
                .collect(),
        };
        if !premium {
            self.drop_premium_mixes(&mut home.mixes).await;
            self.drop_premium(&mut home.discover).await;
        }
        Ok(home)
    }

    pub async fn mixes(&self, user: UserId, tier: Tier) -> ServiceResult<Vec<Mix>> {
        Ok(self.home(user, tier).await?.mixes.clone())
    }

    pub async fn mix(&self, user: UserId, tier: Tier, id: &str) -> ServiceResult<Mix> {
        let home = self.home(user, tier).await?;
        home.mixes
            .iter()
            .find(|mix| mix.id == id)
            .cloned()
            .ok_or_else(|| ServiceError::NotFound(format!("mix {id} does not exist")))
    }

    pub async fn discover(&self, user: UserId, tier: Tier) -> ServiceResult<Vec<Recommended>> {
        Ok(self.home(user, tier).await?.discover.clone())
    }

    /// `limit` songs of the seed's station from `offset`; the station never ends.
    pub async fn radio(
        &self,
        user: UserId,
        tier: Tier,
        seed: RadioSeed,
        offset: usize,
        limit: usize,
    ) -> ServiceResult<RadioPage> {
        if !(1..=MAX_RADIO_PAGE).contains(&limit) {
            return Err(ServiceError::invalid("invalid_limit", format!("limit must be 1 to {MAX_RADIO_PAGE}")));
        }
        let premium = tier == Tier::Premium;
        let facts = self.facts.get().await?;
        let aligned = self.published.aligned(&facts);
        let key = StationKey {
            user,
            seed,
            premium,
            facts: facts.identity(),
            model_version: aligned.as_ref().map(|aligned| aligned.model.version),
        };
        let station = match self.stations.get(&key) {
            Some(station) => station,
            None => {
                let station = Arc::new(self.make_station(user, &facts, aligned.as_deref(), seed, premium).await?);
                self.stations.put(key, station.clone());
                station
            }
        };
        let reason = Reason::Radio { seed: station.title.clone() };
        let mut items: Vec<Recommended> = radio::page(&station.items, offset, limit)
            .into_iter()
            .map(|item| Recommended { track: facts.tracks[item as usize].clone(), reason: reason.clone() })
            .collect();
        if !premium {
            self.drop_premium(&mut items).await;
        }
        let title = format!("{} Radio", station.title);
        Ok(RadioPage { seed, title, items, next_offset: offset + limit })
    }

    async fn make_station(
        &self,
        user: UserId,
        facts: &CatalogFacts,
        aligned: Option<&Aligned>,
        seed: RadioSeed,
        premium: bool,
    ) -> ServiceResult<Station> {
        let missing = || ServiceError::NotFound(format!("radio seed {seed} does not exist"));
        let (title, seeds, exclude_seeds) = match seed {
            RadioSeed::Track(track) => {
                let item = facts.item(track).ok_or_else(missing)?;
                (facts.tracks[item as usize].title.clone(), vec![item], true)
            }
            RadioSeed::Album(album) => {
                let items = facts.items_of_album(album).to_vec();
                let first = *items.first().ok_or_else(missing)?;
                (facts.tracks[first as usize].album.title.clone(), items, true)
            }
            RadioSeed::Artist(artist) => {
                let artist = facts.artist_index(artist).ok_or_else(missing)?;
                let mut items = facts.items_by_artist(artist).to_vec();
                items.sort_by(|&a, &b| facts.popularity[b as usize].total_cmp(&facts.popularity[a as usize]));
                (facts.artist_name(artist).to_owned(), items, false)
            }
            RadioSeed::Playlist(id) => {
                let (playlist, entries) = self.playlists.with_tracks(id, user).await?;
                let items = entries.iter().filter_map(|entry| facts.item(entry.track.id)).collect();
                (playlist.name, items, true)
            }
        };
        let taste = taste_of(&self.listening, facts, user).await?;
        let items = radio::station(facts, aligned, &taste, &seeds, exclude_seeds, premium);
        Ok(Station { title, items })
    }

    /// Artists whose fans like `artist`'s too.
    pub async fn related_artists(&self, artist: ArtistId) -> ServiceResult<Vec<ArtistSummary>> {
        let facts = self.facts.get().await?;
        let aligned = self.published.aligned(&facts);
        let index = facts
            .artist_index(artist)
            .ok_or_else(|| ServiceError::NotFound(format!("artist {artist} does not exist")))?;
        let nobody = ListenerTaste::nobody();
        let related = related::related_artists(&facts, aligned.as_deref(), index, RELATED_ARTISTS, &nobody);
        Ok(related.into_iter().map(|other| facts.artists[other as usize].clone()).collect())
    }

    /// The first-run picker: shown until the listener plays, likes or follows something;
    /// the most played artists, taking turns between genres so every taste finds one.
    pub async fn taste_picker(&self, user: UserId) -> ServiceResult<TastePicker> {
        let facts = self.facts.get().await?;
        let taste = taste_of(&self.listening, &facts, user).await?;
        Ok(TastePicker { show: taste.is_new(), artists: picker_artists(&facts) })
    }

    pub async fn train_now(&self) -> ServiceResult<TrainingOutcome> {
        self.trainer.train_now().await
    }

    pub fn status(&self) -> RecommenderStatus {
        let model = self.published.current();
        RecommenderStatus {
            model_version: model.as_ref().map(|model| model.version),
            trained_at: model.as_ref().map(|model| model.trained_at),
            listeners: model.as_ref().map_or(0, |model| model.bundle.users.len()),
            tracks: model.as_ref().map_or(0, |model| model.bundle.items.len()),
            retrain_every: self.trainer.settings().every,
        }
    }

    /// Curation may have made an album Premium-only since the facts were made (on another
    /// node, say): the current flags have the last word.
    async fn drop_premium(&self, items: &mut Vec<Recommended>) {
        let albums: Vec<AlbumId> = items.iter().map(|item| item.track.album.id).collect();
        match self.premium.of(&albums).await {
            Ok(flags) => {
                items.retain(|item| !flags.get(&item.track.album.id).copied().unwrap_or(item.track.premium_only))
            }
            Err(error) => {
                tracing::warn!(%error, "premium flags unavailable: recommendations keep the facts' flags");
                items.retain(|item| !item.track.premium_only);
            }
        }
    }

    async fn drop_premium_mixes(&self, mixes: &mut Vec<Mix>) {
        for mix in mixes.iter_mut() {
            let mut items: Vec<Recommended> =
                mix.tracks.drain(..).map(|(track, reason)| Recommended { track, reason }).collect();
            self.drop_premium(&mut items).await;
            mix.tracks = items.into_iter().map(|item| (item.track, item.reason)).collect();
        }
        mixes.retain(|mix| !mix.tracks.is_empty());
    }
}

fn picker_artists(facts: &CatalogFacts) -> Vec<ArtistSummary> {
    let mut plays = vec![0.0_f32; facts.artists.len()];
    let mut genre_of = vec![None; facts.artists.len()];
    for (item, content) in facts.content.iter().enumerate() {
        if let Some(slot) = plays.get_mut(content.artist as usize) {
            *slot += facts.popularity[item];
            genre_of[content.artist as usize] = genre_of[content.artist as usize].or(content.genre);
        }
    }
    let mut by_genre: std::collections::BTreeMap<Option<u32>, Vec<u32>> = std::collections::BTreeMap::new();
    for artist in 0..facts.artists.len() as u32 {
        by_genre.entry(genre_of[artist as usize]).or_default().push(artist);
    }
    for artists in by_genre.values_mut() {
        artists.sort_by(|&a, &b| {
            plays[b as usize]
                .total_cmp(&plays[a as usize])
                .then(facts.artists[b as usize].track_count.cmp(&facts.artists[a as usize].track_count))
        });
        artists.reverse();
    }
    let mut picked = Vec::new();
    while picked.len() < PICKER_ARTISTS {
        let before = picked.len();
        for artists in by_genre.values_mut() {
            if let Some(artist) = artists.pop()
                && picked.len() < PICKER_ARTISTS
            {
                picked.push(facts.artists[artist as usize].clone());
            }
        }
        if picked.len() == before {
            break;
        }
    }
    picked
}
