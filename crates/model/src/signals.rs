//! What the recommender learns from: every listener's history summed per track, their
//! likes and playlist additions, the tracks' genres, and the trained models published for every node to load.

use async_trait::async_trait;
use tonearm_domain::{TrackId, UserId};

use crate::{LikeTarget, StoreError};

/// A play that ended this early, skipped, is evidence against the track (as the first 30 s
/// of a counted play, [`crate::COUNTED_PLAY_MS`]).
pub const EARLY_SKIP_MS: i64 = 30_000;

/// One listener's ended plays of one track, summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackSignal {
    pub user: UserId,
    pub track: TrackId,
    /// Plays that counted as listens.
    pub counted_plays: i64,
    /// Counted plays that reached the end of the track.
    pub completed_plays: i64,
    /// Plays skipped within [`EARLY_SKIP_MS`].
    pub early_skips: i64,
    /// Unix milliseconds of the latest of these plays.
    pub last_played_at: i64,
}

/// A like of a track, an album or an artist (an artist like is a follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LikeSignal {
    pub user: UserId,
    pub target: LikeTarget,
    /// Unix milliseconds.
    pub liked_at: i64,
}

/// A track a listener put in one of their own playlists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaylistAddSignal {
    pub user: UserId,
    pub track: TrackId,
    /// Unix milliseconds.
    pub added_at: i64,
}

/// A trained model as one node published it, for the others to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedModel {
    /// Grows with every publication.
    pub version: i64,
    /// Unix milliseconds.
    pub trained_at: i64,
    /// The recommender's own encoding; the store keeps it opaque.
    pub bytes: Vec<u8>,
}

/// What a track sounds like, as the recommender measured it from the decoded audio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackSound {
    pub loudness_db: f32,
    pub brightness_hz: f32,
    pub flatness: f32,
    pub tempo_bpm: Option<f32>,
}

/// A track whose sound is not known for its current file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnanalysedTrack {
    pub track: TrackId,
    pub path: String,
    pub fingerprint: String,
}

#[async_trait]
pub trait SignalStore: Send + Sync + 'static {
    /// Every listener's ended plays summed per track, of plays ended at or after `since_ms`.
    async fn track_signals(&self, since_ms: i64) -> Result<Vec<TrackSignal>, StoreError>;

    /// Every like of every listener.
    async fn like_signals(&self) -> Result<Vec<LikeSignal>, StoreError>;

    /// Every track in a playlist, attributed to the playlist's owner.
    async fn playlist_add_signals(&self) -> Result<Vec<PlaylistAddSignal>, StoreError>;

    /// Every track's genre names, in track order, for recommending by content.
    async fn track_genres(&self) -> Result<Vec<(TrackId, String)>, StoreError>;

    /// Up to `limit` tracks never analysed, or whose file changed since, in id order.
    async fn unanalysed_tracks(&self, limit: u32) -> Result<Vec<UnanalysedTrack>, StoreError>;

    /// Records the analysis of a track's file (`None`: it could not be analysed), replacing
    /// an earlier one. A track deleted meanwhile is left alone.
    async fn save_track_sound(
        &self,
        track: &UnanalysedTrack,
        sound: Option<TrackSound>,
        analysed_at: i64,
    ) -> Result<(), StoreError>;

    /// Every analysed track's sound.
    async fn track_sounds(&self) -> Result<Vec<(TrackId, TrackSound)>, StoreError>;

    /// Stores a trained model as the next version (one more than the latest) and keeps
    /// only the two latest; answers the version given.
    async fn publish_model(&self, trained_at: i64, bytes: &[u8]) -> Result<i64, StoreError>;

    /// The latest published model, unless it is not newer than `newer_than`.
    async fn latest_model(&self, newer_than: Option<i64>) -> Result<Option<PublishedModel>, StoreError>;
}
