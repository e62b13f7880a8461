//! Recommendations on the wire: every recommended track carries its reason, shown to the
//! listener ("Because you listened to Miles Davis").

use serde::Serialize;
use tonearm_core::recommendations as core;
use tonearm_domain::CoverId;
use utoipa::ToSchema;

use super::catalog::{ArtistSummary, TrackSummary};
use super::list;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    BecauseYouListened,
    Radio,
    Popular,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationReason {
    pub kind: ReasonKind,
    /// For the listener to read, in English.
    pub text: String,
}

impl From<core::Reason> for RecommendationReason {
    fn from(reason: core::Reason) -> Self {
        match reason {
            core::Reason::BecauseYouListened { artist } => {
                Self { kind: ReasonKind::BecauseYouListened, text: format!("Because you listened to {artist}") }
            }
            core::Reason::Radio { seed } => Self { kind: ReasonKind::Radio, text: format!("Like {seed}") },
            core::Reason::Popular => Self { kind: ReasonKind::Popular, text: "Popular on Tonearm".to_owned() },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendedTrack {
    pub track: TrackSummary,
    pub reason: RecommendationReason,
}

impl From<core::Recommended> for RecommendedTrack {
    fn from(recommended: core::Recommended) -> Self {
        Self { track: recommended.track.into(), reason: recommended.reason.into() }
    }
}

/// A mix as a card shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MixSummary {
    /// `mix-1` … `mix-4`, or `popular` for a newcomer's mix.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The covers of up to four of its albums, for a 2×2 mosaic.
    pub cover_ids: Vec<CoverId>,
    pub track_count: usize,
}

impl From<core::Mix> for MixSummary {
    fn from(mix: core::Mix) -> Self {
        Self {
            id: mix.id,
            title: mix.title,
            description: mix.description,
            cover_ids: mix.covers,
            track_count: mix.tracks.len(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Mix {
    pub id: String,
    pub title: String,
    pub description: String,
    pub cover_ids: Vec<CoverId>,
    pub tracks: Vec<RecommendedTrack>,
}

impl From<core::Mix> for Mix {
    fn from(mix: core::Mix) -> Self {
        Self {
            id: mix.id,
            title: mix.title,
            description: mix.description,
            cover_ids: mix.covers,
            tracks: mix
                .tracks
                .into_iter()
                .map(|(track, reason)| RecommendedTrack { track: track.into(), reason: reason.into() })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MixList {
    pub items: Vec<MixSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendedTracks {
    pub items: Vec<RecommendedTrack>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedArtists {
    pub items: Vec<ArtistSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RadioPage {
    /// The seed as asked: `track:12`, `album:3`, `artist:7` or `playlist:5`.
    pub seed: String,
    pub title: String,
    pub items: Vec<RecommendedTrack>,
    /// Ask from here for more: a station never ends.
    pub next_offset: usize,
}

impl From<core::RadioPage> for RadioPage {
    fn from(page: core::RadioPage) -> Self {
        Self { seed: page.seed.to_string(), title: page.title, items: list(page.items), next_offset: page.next_offset }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TastePicker {
    /// The listener has no plays, likes or follows yet: show the picker.
    pub show: bool,
    /// Artists to choose from; choosing one is following it (`PUT /api/v1/me/likes/artists/{id}`).
    pub artists: Vec<ArtistSummary>,
}

impl From<core::TastePicker> for TastePicker {
    fn from(picker: core::TastePicker) -> Self {
        Self { show: picker.show, artists: list(picker.artists) }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommenderStatus {
    /// The served model's version; absent before the first training.
    pub model_version: Option<i64>,
    /// Unix milliseconds.
    pub trained_at: Option<i64>,
    pub listeners: usize,
    pub tracks: usize,
    pub retrain_every_seconds: u64,
}

impl From<core::RecommenderStatus> for RecommenderStatus {
    fn from(status: core::RecommenderStatus) -> Self {
        Self {
            model_version: status.model_version,
            trained_at: status.trained_at,
            listeners: status.listeners,
            tracks: status.tracks,
            retrain_every_seconds: status.retrain_every.as_secs(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingDone {
    pub model_version: i64,
    pub listeners: usize,
    pub tracks: usize,
    pub interactions: usize,
    /// Tracks whose sound (loudness, brightness, tempo) has been measured from their audio.
    pub tracks_with_sound: usize,
    pub seconds: f64,
}
