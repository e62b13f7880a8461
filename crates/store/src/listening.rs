//! `ListeningStore` for both engines: play events, play counts and likes.

use tonearm_domain::{AlbumId, ArtistId, TrackId, UserId};
use tonearm_model::{
    ContextKind, LikeTarget, Liked, ListeningStore, PlayContext, PlayEvent, Ranked, RecentPlay, RecordedBatch,
    StoreError, TrackPlays,
};

use sqlx::Executor;

use crate::engine::{Engine, RowsAffected, SqlStore, query_error};
use crate::play_batch::{Outcome, PlayBatch};
use crate::query::{Bind, BuildFetch, PushArg, query_as, query_scalar};

/// The head of one multi-row insert of a batch's events: the rows follow as `VALUES`, then
/// [`INSERT_EVENTS_TAIL`]. `ordinal` keeps the batch's order in the ids; a row whose track
/// is gone is skipped by the `WHERE`; `ON CONFLICT DO NOTHING` on the client's id makes a
/// re-sent event a no-op, and `RETURNING` names the events that were new.
pub const INSERT_EVENTS_HEAD: &str = "WITH batch (ordinal, client_event_id, kind, track_id, occurred_at, ms_played, \
    reason, counted, context_kind, context_id) AS (";
/// Followed by the user's id, [`INSERT_EVENTS_RECEIVED`], the receipt time, [`INSERT_EVENTS_END`].
pub const INSERT_EVENTS_TAIL: &str = ") INSERT INTO play_events (user_id, client_event_id, kind, track_id, occurred_at, \
    ms_played, reason, counted, context_kind, context_id, received_at) SELECT ";
pub const INSERT_EVENTS_RECEIVED: &str =
    ", client_event_id, kind, track_id, occurred_at, ms_played, reason, counted, context_kind, context_id, ";
pub const INSERT_EVENTS_END: &str = " FROM batch WHERE EXISTS (SELECT 1 FROM tracks WHERE tracks.id = batch.track_id) \
    ORDER BY ordinal ON CONFLICT (user_id, client_event_id) DO NOTHING RETURNING client_event_id";
/// Followed by the user's id, then `AND client_event_id IN (…)`.
pub const EVENTS_STORED_BEFORE: &str = "SELECT client_event_id FROM play_events WHERE user_id = ";
/// A batch's counted plays, summed per track, as one upsert: the rows follow as `VALUES`.
pub const COUNT_PLAYS_HEAD: &str = "INSERT INTO track_plays (track_id, plays, last_played_at) ";
pub const COUNT_PLAYS_TAIL: &str = " ON CONFLICT (track_id) DO UPDATE SET plays = track_plays.plays + excluded.plays, \
    last_played_at = CASE WHEN excluded.last_played_at > track_plays.last_played_at \
        THEN excluded.last_played_at ELSE track_plays.last_played_at END";

/// A batch's latest start or end of each track, as one upsert into `recent_plays`: the rows
/// follow as `VALUES`. An older event (a client syncing plays made offline) changes nothing.
pub const LATEST_PLAYS_HEAD: &str =
    "INSERT INTO recent_plays (user_id, track_id, played_at, context_kind, context_id) ";
pub const LATEST_PLAYS_TAIL: &str = " ON CONFLICT (user_id, track_id) DO UPDATE SET played_at = excluded.played_at, \
    context_kind = excluded.context_kind, context_id = excluded.context_id \
    WHERE excluded.played_at >= recent_plays.played_at";
/// The newest rows of `recent_plays_by_user_time` (20261129000011).
pub const RECENTLY_PLAYED: &str = "SELECT track_id, played_at, context_kind, context_id FROM recent_plays \
    WHERE user_id = $1 ORDER BY played_at DESC, track_id DESC LIMIT $2";
pub const TOP_TRACKS: &str = "SELECT track_id, COUNT(*) AS plays FROM play_events \
    WHERE user_id = $1 AND counted AND occurred_at >= $2 \
    GROUP BY track_id ORDER BY plays DESC, MAX(occurred_at) DESC, track_id LIMIT $3";
/// One range of `play_events_counted_by_user_time`, read from the index alone; the artists
/// are counted in memory (`server::top_artists`): joined to `track_artists` here,
/// PostgreSQL hashed the whole table for each listener.
pub const TRACK_PLAYS: &str = "SELECT track_id, COUNT(*) AS plays, MAX(occurred_at) AS last_played_at \
    FROM play_events WHERE user_id = $1 AND counted AND occurred_at >= $2 GROUP BY track_id";
/// `+track_id` (the same value) keeps SQLite from reading every counted play in track order
/// through `play_events_by_track_time` just to skip sorting the groups: the week's plays come
/// from the covering `play_events_counted_by_time` instead (20261129000010).
pub const TRENDING: &str = "SELECT +track_id AS track, COUNT(*) AS plays FROM play_events \
    WHERE counted AND occurred_at >= $1 GROUP BY track ORDER BY plays DESC, MAX(occurred_at) DESC, track LIMIT $2";
pub const PLAY_COUNTS: &str = "SELECT track_id, plays FROM track_plays WHERE track_id IN ";
pub const ALL_PLAY_COUNTS: &str = "SELECT track_id, plays FROM track_plays ORDER BY track_id";

/// A progress row is superseded when the next event of its listener and track is not a
/// start (a start begins another play).
pub const COMPACT_PROGRESS: &str = "DELETE FROM play_events WHERE id IN (SELECT p.id FROM play_events p \
    WHERE p.kind = 'play_progress' AND p.occurred_at < $1 AND EXISTS (SELECT 1 FROM play_events n \
        WHERE n.user_id = p.user_id AND n.track_id = p.track_id AND n.kind <> 'play_start' \
        AND (n.occurred_at > p.occurred_at OR (n.occurred_at = p.occurred_at AND n.id > p.id)) \
        AND NOT EXISTS (SELECT 1 FROM play_events s WHERE s.user_id = p.user_id AND s.track_id = p.track_id \
            AND s.kind = 'play_start' AND s.occurred_at > p.occurred_at AND s.occurred_at <= n.occurred_at)) \
    LIMIT $2)";

pub const LIKE_TRACK: &str = "INSERT INTO liked_tracks (user_id, track_id, liked_at) SELECT $1, $2, $3 \
    WHERE EXISTS (SELECT 1 FROM tracks WHERE id = $2) ON CONFLICT DO NOTHING";
pub const LIKE_ALBUM: &str = "INSERT INTO liked_albums (user_id, album_id, liked_at) SELECT $1, $2, $3 \
    WHERE EXISTS (SELECT 1 FROM albums WHERE id = $2) ON CONFLICT DO NOTHING";
pub const LIKE_ARTIST: &str = "INSERT INTO liked_artists (user_id, artist_id, liked_at) SELECT $1, $2, $3 \
    WHERE EXISTS (SELECT 1 FROM artists WHERE id = $2) ON CONFLICT DO NOTHING";
pub const TRACK_EXISTS: &str = "SELECT COUNT(*) FROM tracks WHERE id = $1";
pub const ALBUM_EXISTS: &str = "SELECT COUNT(*) FROM albums WHERE id = $1";
pub const ARTIST_EXISTS: &str = "SELECT COUNT(*) FROM artists WHERE id = $1";
pub const UNLIKE_TRACK: &str = "DELETE FROM liked_tracks WHERE user_id = $1 AND track_id = $2";
pub const UNLIKE_ALBUM: &str = "DELETE FROM liked_albums WHERE user_id = $1 AND album_id = $2";
pub const UNLIKE_ARTIST: &str = "DELETE FROM liked_artists WHERE user_id = $1 AND artist_id = $2";
pub const LIKED_TRACKS: &str =
    "SELECT track_id, liked_at FROM liked_tracks WHERE user_id = $1 ORDER BY liked_at DESC, track_id DESC";
pub const LIKED_ALBUMS: &str =
    "SELECT album_id, liked_at FROM liked_albums WHERE user_id = $1 ORDER BY liked_at DESC, album_id DESC";
pub const LIKED_ARTISTS: &str =
    "SELECT artist_id, liked_at FROM liked_artists WHERE user_id = $1 ORDER BY liked_at DESC, artist_id DESC";

/// `(id, plays)` rows as ranked ids.
pub fn ranked<Id>(rows: Vec<(i64, i64)>, id: fn(i64) -> Id) -> Vec<Ranked<Id>> {
    rows.into_iter().map(|(raw, plays)| Ranked { id: id(raw), plays }).collect()
}

pub fn context(kind: Option<String>, id: Option<String>) -> Result<Option<PlayContext>, StoreError> {
    let Some(kind) = kind else { return Ok(None) };
    let kind =
        ContextKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("unknown play context `{kind}`")))?;
    Ok(Some(PlayContext { kind, id }))
}

#[async_trait::async_trait]
impl<DB: Engine> ListeningStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn record_plays(&self, user: UserId, events: &[PlayEvent], now_ms: i64) -> Result<RecordedBatch, StoreError> {
        let batch = PlayBatch::of(events);
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        let inserted = Self::insert_events(&mut tx, user, &batch, now_ms).await.map_err(query_error)?;
        // Only events not inserted need a second look: seen before, or a missing track.
        let not_inserted = batch.not_inserted(&inserted);
        let stored_before = Self::events_stored_before(&mut tx, user, &not_inserted).await.map_err(query_error)?;
        Self::count_plays(&mut tx, &batch.counted_plays(&inserted)).await.map_err(query_error)?;
        Self::remember_latest_plays(&mut tx, user, &batch.latest_plays(&inserted)).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(batch.recorded(&Outcome { inserted, stored_before }))
    }

    async fn recently_played(&self, user: UserId, limit: u32) -> Result<Vec<RecentPlay>, StoreError> {
        let rows: Vec<(i64, i64, Option<String>, Option<String>)> = query_as(RECENTLY_PLAYED)
            .arg(user.0)
            .arg(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(query_error)?;
        rows.into_iter()
            .map(|(track, played_at, context_kind, context_id)| {
                Ok(RecentPlay { track_id: TrackId(track), played_at, context: context(context_kind, context_id)? })
            })
            .collect()
    }

    async fn top_tracks(
        &self,
        user: UserId,
        since_ms: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Ranked<TrackId>>, StoreError> {
        let since = since_ms.unwrap_or(i64::MIN);
        let rows = self.pairs(TOP_TRACKS, &[user.0, since, i64::from(limit)]).await?;
        Ok(ranked(rows, TrackId))
    }

    async fn track_plays(&self, user: UserId, since_ms: Option<i64>) -> Result<Vec<TrackPlays>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = query_as(TRACK_PLAYS)
            .arg(user.0)
            .arg(since_ms.unwrap_or(i64::MIN))
            .fetch_all(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, plays, last_played_at)| TrackPlays { id: TrackId(id), plays, last_played_at })
            .collect())
    }

    async fn trending(&self, since_ms: i64, limit: u32) -> Result<Vec<Ranked<TrackId>>, StoreError> {
        let rows = self.pairs(TRENDING, &[since_ms, i64::from(limit)]).await?;
        Ok(ranked(rows, TrackId))
    }

    async fn play_counts(&self, tracks: &[TrackId]) -> Result<Vec<Ranked<TrackId>>, StoreError> {
        if tracks.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::QueryBuilder::<DB>::new(PLAY_COUNTS);
        query.push("(");
        let mut ids = query.separated(", ");
        for track in tracks {
            ids.push_arg(track.0);
        }
        query.push(")");
        let rows: Vec<(i64, i64)> = query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(ranked(rows, TrackId))
    }

    async fn all_play_counts(&self) -> Result<Vec<Ranked<TrackId>>, StoreError> {
        let rows = self.pairs(ALL_PLAY_COUNTS, &[]).await?;
        Ok(ranked(rows, TrackId))
    }

    async fn compact_play_progress(&self, before_ms: i64, limit: u32) -> Result<u64, StoreError> {
        let deleted = sqlx::query(COMPACT_PROGRESS)
            .arg(before_ms)
            .arg(i64::from(limit))
            .execute(&self.pool)
            .await
            .map_err(query_error)?
            .rows_affected();
        Ok(deleted)
    }

    async fn like(&self, user: UserId, target: LikeTarget, now_ms: i64) -> Result<(), StoreError> {
        let (insert, exists, entity, id) = match target {
            LikeTarget::Track(id) => (LIKE_TRACK, TRACK_EXISTS, "track", id.0),
            LikeTarget::Album(id) => (LIKE_ALBUM, ALBUM_EXISTS, "album", id.0),
            LikeTarget::Artist(id) => (LIKE_ARTIST, ARTIST_EXISTS, "artist", id.0),
        };
        let inserted = sqlx::query(insert)
            .arg(user.0)
            .arg(id)
            .arg(now_ms)
            .execute(&self.pool)
            .await
            .map_err(query_error)?
            .rows_affected();
        if inserted == 0 {
            // Either liked already (fine) or nothing to like.
            let found: i64 = query_scalar(exists).arg(id).fetch_one(&self.pool).await.map_err(query_error)?;
            if found == 0 {
                return Err(StoreError::not_found(entity, id));
            }
        }
        Ok(())
    }

    async fn unlike(&self, user: UserId, target: LikeTarget) -> Result<(), StoreError> {
        let (delete, id) = match target {
            LikeTarget::Track(id) => (UNLIKE_TRACK, id.0),
            LikeTarget::Album(id) => (UNLIKE_ALBUM, id.0),
            LikeTarget::Artist(id) => (UNLIKE_ARTIST, id.0),
        };
        sqlx::query(delete).arg(user.0).arg(id).execute(&self.pool).await.map_err(query_error)?;
        Ok(())
    }

    async fn liked_tracks(&self, user: UserId) -> Result<Vec<Liked<TrackId>>, StoreError> {
        let rows = self.pairs(LIKED_TRACKS, &[user.0]).await?;
        Ok(rows.into_iter().map(|(id, liked_at)| Liked { id: TrackId(id), liked_at }).collect())
    }

    async fn liked_albums(&self, user: UserId) -> Result<Vec<Liked<AlbumId>>, StoreError> {
        let rows = self.pairs(LIKED_ALBUMS, &[user.0]).await?;
        Ok(rows.into_iter().map(|(id, liked_at)| Liked { id: AlbumId(id), liked_at }).collect())
    }

    async fn liked_artists(&self, user: UserId) -> Result<Vec<Liked<ArtistId>>, StoreError> {
        let rows = self.pairs(LIKED_ARTISTS, &[user.0]).await?;
        Ok(rows.into_iter().map(|(id, liked_at)| Liked { id: ArtistId(id), liked_at }).collect())
    }
}

impl<DB: Engine> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// The `(id, number)` rows of `sql` with `binds` as `$1`, `$2`, ….
    async fn pairs(&self, sql: &'static str, binds: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut query = query_as(sql);
        for value in binds {
            query = query.arg(*value);
        }
        query.fetch_all(&self.pool).await.map_err(query_error)
    }
}
