//! What listeners do: play events (the raw history every statistic, recommendation and
//! analytics report is computed from) and likes. Stores return ids and facts; the catalog
//! turns ids into summaries, so every list of tracks looks the same on the wire.

use async_trait::async_trait;
use tonearm_domain::{AlbumId, ArtistId, TrackId, UserId};

use crate::StoreError;

/// A play lasting this long counts as a listen (for top lists and popularity), as does
/// any play that reached the end of a shorter track.
pub const COUNTED_PLAY_MS: i64 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayEventKind {
    PlayStart,
    PlayProgress,
    PlayEnd,
}

/// Why a play ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    Completed,
    Skipped,
    Error,
}

/// Where a play was started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextKind {
    Album,
    Artist,
    Playlist,
    Search,
    Recommendation,
    Library,
}

wire_names!(PlayEventKind { PlayStart => "play_start", PlayProgress => "play_progress", PlayEnd => "play_end" });
wire_names!(EndReason { Completed => "completed", Skipped => "skipped", Error => "error" });
wire_names!(ContextKind {
    Album => "album",
    Artist => "artist",
    Playlist => "playlist",
    Search => "search",
    Recommendation => "recommendation",
    Library => "library",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayContext {
    pub kind: ContextKind,
    /// The album, artist or playlist id, or the search text; absent for the library.
    pub id: Option<String>,
}

/// One event as a client reported it, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayEvent {
    /// Chosen by the client, unique per user: a batch sent twice is stored once.
    pub client_event_id: String,
    pub kind: PlayEventKind,
    pub track_id: TrackId,
    /// Unix milliseconds, by the client's clock.
    pub occurred_at: i64,
    pub ms_played: i64,
    pub reason: Option<EndReason>,
    pub context: Option<PlayContext>,
}

impl PlayEvent {
    /// Whether this event is a listen that counts for top lists and popularity.
    pub fn counts_as_play(&self) -> bool {
        self.kind == PlayEventKind::PlayEnd
            && (self.ms_played >= COUNTED_PLAY_MS || self.reason == Some(EndReason::Completed))
    }
}

/// What became of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordedBatch {
    /// Newly stored events.
    pub stored: u32,
    /// Events already stored by an earlier delivery of the same batch.
    pub duplicates: u32,
    /// Events whose track no longer exists: acknowledged, not stored, so a client drops them.
    pub unknown_tracks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentPlay {
    pub track_id: TrackId,
    /// Unix milliseconds.
    pub played_at: i64,
    pub context: Option<PlayContext>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranked<Id> {
    pub id: Id,
    pub plays: i64,
}

/// A listener's counted plays of one track in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackPlays {
    pub id: TrackId,
    pub plays: i64,
    /// Unix milliseconds.
    pub last_played_at: i64,
}

/// What can be liked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeTarget {
    Track(TrackId),
    Album(AlbumId),
    Artist(ArtistId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liked<Id> {
    pub id: Id,
    /// Unix milliseconds.
    pub liked_at: i64,
}

#[async_trait]
pub trait ListeningStore: Send + Sync + 'static {
    /// Stores the new events of a batch in one transaction, durable before it returns;
    /// events seen before (same user and client id) are counted, not stored again.
    async fn record_plays(&self, user: UserId, events: &[PlayEvent], now_ms: i64) -> Result<RecordedBatch, StoreError>;

    /// Tracks most recently started or finished, newest first, each once.
    async fn recently_played(&self, user: UserId, limit: u32) -> Result<Vec<RecentPlay>, StoreError>;

    /// Most-listened tracks since `since_ms` (all time when `None`).
    async fn top_tracks(
        &self,
        user: UserId,
        since_ms: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Ranked<TrackId>>, StoreError>;

    /// Every track played since `since_ms` (all time when `None`) with its counted plays,
    /// in no order: what the listener's top artists are counted from.
    async fn track_plays(&self, user: UserId, since_ms: Option<i64>) -> Result<Vec<TrackPlays>, StoreError>;

    /// The most-listened tracks across the service since `since_ms` ("trending").
    async fn trending(&self, since_ms: i64, limit: u32) -> Result<Vec<Ranked<TrackId>>, StoreError>;

    /// Counted plays of each track across the service (popularity); tracks never played are absent.
    async fn play_counts(&self, tracks: &[TrackId]) -> Result<Vec<Ranked<TrackId>>, StoreError>;

    /// Counted plays of every track ever played, by track id (the search index's popularity).
    async fn all_play_counts(&self) -> Result<Vec<Ranked<TrackId>>, StoreError>;

    /// Deletes up to `limit` `play_progress` events that happened before `before_ms` and
    /// that a later event of the same play supersedes: a later progress or its end, for the
    /// same listener and track, with no new start between. The last progress of a play that
    /// never ended stays. Counts and top lists read only ends, so they do not change.
    /// Returns how many were deleted.
    async fn compact_play_progress(&self, before_ms: i64, limit: u32) -> Result<u64, StoreError>;

    /// Likes `target`; liking twice keeps the first date. `NotFound` if it does not exist.
    async fn like(&self, user: UserId, target: LikeTarget, now_ms: i64) -> Result<(), StoreError>;

    /// Takes the like back; unliking what was not liked is not an error.
    async fn unlike(&self, user: UserId, target: LikeTarget) -> Result<(), StoreError>;

    /// Liked tracks, newest like first.
    async fn liked_tracks(&self, user: UserId) -> Result<Vec<Liked<TrackId>>, StoreError>;
    async fn liked_albums(&self, user: UserId) -> Result<Vec<Liked<AlbumId>>, StoreError>;
    async fn liked_artists(&self, user: UserId) -> Result<Vec<Liked<ArtistId>>, StoreError>;
}
