//! `SignalStore` for both engines: listening summed for the recommender, and its published
//! models.

use sqlx::Executor;
use tonearm_domain::{AlbumId, ArtistId, TrackId, UserId};
use tonearm_model::{
    EARLY_SKIP_MS, LikeSignal, LikeTarget, PlaylistAddSignal, PublishedModel, SignalStore, StoreError, TrackSignal,
    TrackSound, UnanalysedTrack,
};

use crate::engine::{Engine, SqlStore, query_error};
use crate::query::{Bind, query_as, query_scalar};

/// One pass over the ended plays (a background job's read, not a request's): `$2` is
/// [`EARLY_SKIP_MS`].
pub const TRACK_SIGNALS: &str = "SELECT user_id, track_id, \
        COUNT(*) FILTER (WHERE counted), \
        COUNT(*) FILTER (WHERE counted AND reason = 'completed'), \
        COUNT(*) FILTER (WHERE reason = 'skipped' AND ms_played < $2), \
        MAX(occurred_at) \
    FROM play_events WHERE kind = 'play_end' AND occurred_at >= $1 GROUP BY user_id, track_id";
/// Every like as `(user, kind, id, liked_at)`, the kind being the table's.
pub const LIKE_SIGNALS: &str = "SELECT user_id, 'track', track_id, liked_at FROM liked_tracks \
    UNION ALL SELECT user_id, 'album', album_id, liked_at FROM liked_albums \
    UNION ALL SELECT user_id, 'artist', artist_id, liked_at FROM liked_artists";
pub const PLAYLIST_ADD_SIGNALS: &str = "SELECT playlists.owner_id, playlist_entries.track_id, playlist_entries.added_at \
    FROM playlist_entries JOIN playlists ON playlists.id = playlist_entries.playlist_id";
/// Every track's genres, for the content model (names, since ids differ between engines' scans).
pub const TRACK_GENRES: &str = "SELECT track_genres.track_id, genres.name FROM track_genres \
    JOIN genres ON genres.id = track_genres.genre_id ORDER BY track_genres.track_id, genres.name";
pub const UNANALYSED_TRACKS: &str = "SELECT tracks.id, tracks.path, tracks.fingerprint FROM tracks \
    LEFT JOIN track_sounds ON track_sounds.track_id = tracks.id \
    WHERE track_sounds.track_id IS NULL OR track_sounds.fingerprint <> tracks.fingerprint \
    ORDER BY tracks.id LIMIT $1";
/// Only while the track still has the file analysed: a rescan may have replaced or removed it.
pub const SAVE_TRACK_SOUND: &str = "INSERT INTO track_sounds \
        (track_id, fingerprint, loudness_db, brightness_hz, flatness, tempo_bpm, analysed_at) \
    SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM tracks WHERE id = $1 AND fingerprint = $2) \
    ON CONFLICT (track_id) DO UPDATE SET fingerprint = excluded.fingerprint, loudness_db = excluded.loudness_db, \
        brightness_hz = excluded.brightness_hz, flatness = excluded.flatness, tempo_bpm = excluded.tempo_bpm, \
        analysed_at = excluded.analysed_at";
pub const TRACK_SOUNDS: &str = "SELECT track_id, loudness_db, brightness_hz, flatness, tempo_bpm FROM track_sounds \
    WHERE loudness_db IS NOT NULL AND brightness_hz IS NOT NULL AND flatness IS NOT NULL ORDER BY track_id";
pub const PUBLISH_MODEL: &str = "INSERT INTO recommender_models (version, trained_at, model) \
    SELECT COALESCE(MAX(version), 0) + 1, $1, $2 FROM recommender_models RETURNING version";
/// Keeps the version just published and the one before (a node may be loading it).
pub const FORGET_OLD_MODELS: &str = "DELETE FROM recommender_models WHERE version < $1 - 1";
pub const LATEST_MODEL: &str = "SELECT version, trained_at, model FROM recommender_models \
    WHERE version > $1 ORDER BY version DESC LIMIT 1";

#[async_trait::async_trait]
impl<DB: Engine> SignalStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn track_signals(&self, since_ms: i64) -> Result<Vec<TrackSignal>, StoreError> {
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> = query_as(TRACK_SIGNALS)
            .arg(since_ms)
            .arg(EARLY_SKIP_MS)
            .fetch_all(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(user, track, counted_plays, completed_plays, early_skips, last_played_at)| TrackSignal {
                user: UserId(user),
                track: TrackId(track),
                counted_plays,
                completed_plays,
                early_skips,
                last_played_at,
            })
            .collect())
    }

    async fn like_signals(&self) -> Result<Vec<LikeSignal>, StoreError> {
        let rows: Vec<(i64, String, i64, i64)> =
            query_as(LIKE_SIGNALS).fetch_all(&self.pool).await.map_err(query_error)?;
        rows.into_iter()
            .map(|(user, kind, id, liked_at)| {
                let target = match kind.as_str() {
                    "track" => LikeTarget::Track(TrackId(id)),
                    "album" => LikeTarget::Album(AlbumId(id)),
                    "artist" => LikeTarget::Artist(ArtistId(id)),
                    other => return Err(StoreError::Corrupt(format!("unknown like kind `{other}`"))),
                };
                Ok(LikeSignal { user: UserId(user), target, liked_at })
            })
            .collect()
    }

    async fn playlist_add_signals(&self) -> Result<Vec<PlaylistAddSignal>, StoreError> {
        let rows: Vec<(i64, i64, i64)> =
            query_as(PLAYLIST_ADD_SIGNALS).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(user, track, added_at)| PlaylistAddSignal { user: UserId(user), track: TrackId(track), added_at })
            .collect())
    }

    async fn track_genres(&self) -> Result<Vec<(TrackId, String)>, StoreError> {
        let rows: Vec<(i64, String)> = query_as(TRACK_GENRES).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows.into_iter().map(|(track, genre)| (TrackId(track), genre)).collect())
    }

    async fn unanalysed_tracks(&self, limit: u32) -> Result<Vec<UnanalysedTrack>, StoreError> {
        let rows: Vec<(i64, String, String)> =
            query_as(UNANALYSED_TRACKS).arg(i64::from(limit)).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(track, path, fingerprint)| UnanalysedTrack { track: TrackId(track), path, fingerprint })
            .collect())
    }

    async fn save_track_sound(
        &self,
        track: &UnanalysedTrack,
        sound: Option<TrackSound>,
        analysed_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(SAVE_TRACK_SOUND)
            .arg(track.track.0)
            .arg(track.fingerprint.as_str())
            .arg(sound.map(|sound| f64::from(sound.loudness_db)))
            .arg(sound.map(|sound| f64::from(sound.brightness_hz)))
            .arg(sound.map(|sound| f64::from(sound.flatness)))
            .arg(sound.and_then(|sound| sound.tempo_bpm).map(f64::from))
            .arg(analysed_at)
            .execute(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(())
    }

    async fn track_sounds(&self) -> Result<Vec<(TrackId, TrackSound)>, StoreError> {
        let rows: Vec<(i64, f64, f64, f64, Option<f64>)> =
            query_as(TRACK_SOUNDS).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(track, loudness_db, brightness_hz, flatness, tempo_bpm)| {
                let sound = TrackSound {
                    loudness_db: loudness_db as f32,
                    brightness_hz: brightness_hz as f32,
                    flatness: flatness as f32,
                    tempo_bpm: tempo_bpm.map(|bpm| bpm as f32),
                };
                (TrackId(track), sound)
            })
            .collect())
    }

    async fn publish_model(&self, trained_at: i64, bytes: &[u8]) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        let version: i64 =
            query_scalar(PUBLISH_MODEL).arg(trained_at).arg(bytes).fetch_one(&mut *tx).await.map_err(query_error)?;
        sqlx::query(FORGET_OLD_MODELS).arg(version).execute(&mut *tx).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(version)
    }

    async fn latest_model(&self, newer_than: Option<i64>) -> Result<Option<PublishedModel>, StoreError> {
        let row: Option<(i64, i64, Vec<u8>)> = query_as(LATEST_MODEL)
            .arg(newer_than.unwrap_or(0))
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(row.map(|(version, trained_at, bytes)| PublishedModel { version, trained_at, bytes }))
    }
}
