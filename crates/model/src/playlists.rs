//! Playlists: ordered lists of tracks (the same track may appear twice), owned by one
//! listener, private or public, followed by others. Every change bumps a version, so two
//! devices editing at once find out instead of overwriting each other.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tonearm_domain::{CoverId, TrackId, UserId};

use crate::StoreError;

/// Tracks one playlist may hold.
pub const MAX_PLAYLIST_ENTRIES: usize = 10_000;
/// Playlists one listener may own.
pub const MAX_PLAYLISTS_PER_USER: i64 = 1_000;

/// Serializable for the search index, which stores playlists as JSON documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub public: bool,
    pub owner: PlaylistOwner,
    pub track_count: i64,
    /// The cover of its first album, or a 2×2 mosaic of its first four albums' covers;
    /// none without album covers. Served by `/covers/{id}` like any cover.
    pub cover_id: Option<CoverId>,
    /// Bumped by every change; the `ETag` of the playlist.
    pub version: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistOwner {
    pub id: UserId,
    pub username: String,
}

/// One place in a playlist: its own id, so a track listed twice is two entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaylistEntry {
    pub entry_id: i64,
    pub track_id: TrackId,
    /// Unix milliseconds.
    pub added_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlaylist {
    pub name: String,
    pub description: String,
    pub public: bool,
}

/// What an edit changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaylistChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub public: Option<bool>,
}

/// An edit of a playlist's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntriesEdit {
    /// Inserts the tracks at `position` (0-based; the end when `None` or beyond it).
    Add {
        tracks: Vec<TrackId>,
        position: Option<usize>,
    },
    Remove {
        entry_id: i64,
    },
    /// Moves an entry so that it ends up at `position` (clamped to the list).
    Move {
        entry_id: i64,
        position: usize,
    },
}

/// Why an edit was not applied.
#[derive(Debug, thiserror::Error)]
pub enum PlaylistError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Someone changed the playlist since the version the edit was based on.
    #[error("the playlist changed since version {expected}: it is at version {current} now")]
    VersionMismatch { expected: i64, current: i64 },
    #[error("a playlist holds at most {MAX_PLAYLIST_ENTRIES} tracks")]
    TooManyEntries,
    #[error("an account owns at most {MAX_PLAYLISTS_PER_USER} playlists")]
    TooManyPlaylists,
    #[error("no entry {0} in this playlist")]
    NoSuchEntry(i64),
    #[error("track {0} does not exist")]
    NoSuchTrack(i64),
}

#[async_trait]
pub trait PlaylistStore: Send + Sync + 'static {
    async fn create_playlist(
        &self,
        owner: UserId,
        playlist: &NewPlaylist,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError>;

    /// The playlist, whoever owns it: access rules are the caller's.
    async fn playlist(&self, id: i64) -> Result<PlaylistSummary, StoreError>;

    /// Its entries in order.
    async fn playlist_entries(&self, id: i64) -> Result<Vec<PlaylistEntry>, StoreError>;

    /// Playlists `user` owns or follows, most recently changed first.
    async fn playlists_of(&self, user: UserId) -> Result<Vec<PlaylistSummary>, StoreError>;

    /// Every playlist of every listener, public or not, for the search index; no order promised.
    async fn all_playlists(&self) -> Result<Vec<PlaylistSummary>, StoreError>;

    /// Applies `change` if the playlist is still at `expected_version` (any version when `None`).
    async fn change_playlist(
        &self,
        id: i64,
        change: &PlaylistChange,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError>;

    /// Applies `edit` atomically if the playlist is still at `expected_version`.
    async fn edit_entries(
        &self,
        id: i64,
        edit: &EntriesEdit,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError>;

    async fn delete_playlist(&self, id: i64) -> Result<(), StoreError>;

    /// The playlist's version and the covers of its first four albums that have one (each
    /// cover once, in playlist order), read together.
    async fn playlist_cover_sources(&self, id: i64) -> Result<(i64, Vec<CoverId>), StoreError>;

    /// Sets the playlist's cover if it is still at `version` (the one its sources were read
    /// at); returns whether it did. Does not change the version.
    async fn set_playlist_cover(&self, id: i64, cover: Option<&CoverId>, version: i64) -> Result<bool, StoreError>;

    /// Whether some playlist shows this cover (a mosaic is known to no album or track).
    async fn is_playlist_cover(&self, cover: &CoverId) -> Result<bool, StoreError>;

    /// Follows (or stops following) a playlist; both idempotent.
    async fn follow_playlist(&self, user: UserId, id: i64, now_ms: i64) -> Result<(), StoreError>;
    async fn unfollow_playlist(&self, user: UserId, id: i64) -> Result<(), StoreError>;
}
