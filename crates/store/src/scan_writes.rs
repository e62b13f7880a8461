//! The database half of applying a scan batch: each step a function of the open
//! transaction, so `CatalogStore::apply_changes` reads as the order of the steps.

use std::collections::HashMap;

use sqlx::Executor;
use tonearm_domain::sort_key;
use tonearm_model::{ScanChange, ScannedTrack};

use crate::engine::{Engine, ROWS_PER_STATEMENT, SqlStore};
use crate::query::{Bind, BuildFetch, PushArg, query_scalar};
use crate::scan_batch::{AlbumFacts, BatchIds, ExistingIds, NamedKeys, TRACKS_PER_STATEMENT, album_match_key};
use crate::sql::{
    DELETE_SCAN_ISSUE, DELETE_TRACK, FILL_ALBUM, FILL_ARTIST_MBID, INSERT_ALBUM, INSERT_ARTIST, INSERT_GENRE,
    INSERT_TRACKS_HEAD, MOVE_TRACK, UPSERT_SCAN_ISSUE, UPSERT_TRACKS_TAIL,
};

impl<DB: Engine> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// The id of the artist `name`, inserted (or given its MusicBrainz id) the first time
    /// the batch names it.
    async fn resolve_artist(
        conn: &mut DB::Connection,
        ids: &mut BatchIds,
        name: &str,
        musicbrainz_id: Option<&str>,
        now_ms: i64,
    ) -> Result<i64, sqlx::Error> {
        let key = sort_key(name);
        if let Some(id) = ids.artists.get(&key) {
            return Ok(*id);
        }
        let id = match ids.existing.artists.get(&key).copied() {
            Some(id) => {
                if let Some(mbid) = musicbrainz_id {
                    sqlx::query(FILL_ARTIST_MBID).arg(id).arg(mbid).execute(&mut *conn).await?;
                }
                id
            }
            None => {
                query_scalar(INSERT_ARTIST)
                    .arg(name)
                    .arg(&key)
                    .arg(&key)
                    .arg(musicbrainz_id)
                    .arg(now_ms)
                    .fetch_one(&mut *conn)
                    .await?
            }
        };
        ids.artists.insert(key, id);
        Ok(id)
    }

    /// The id of `track`'s album, inserted the first time the batch names it, and filled in
    /// with what `track` knows that the album may still lack.
    async fn resolve_album(
        conn: &mut DB::Connection,
        ids: &mut BatchIds,
        track: &ScannedTrack,
        now_ms: i64,
    ) -> Result<i64, sqlx::Error> {
        let key = album_match_key(track);
        let cover_id = track.cover.as_ref().map(|cover| cover.as_str());
        let release_id = track.musicbrainz.release_id.as_deref();
        let known = match ids.albums.get(&key) {
            Some(facts) if !facts.can_learn_from(track) => return Ok(facts.id),
            Some(facts) => Some(*facts),
            None => None,
        };
        let existing = match known {
            Some(facts) => Some(facts.id),
            None => ids.existing.albums.get(&key).copied(),
        };
        let facts = match existing {
            Some(id) => {
                sqlx::query(FILL_ALBUM)
                    .arg(id)
                    .arg(track.year)
                    .arg(cover_id)
                    .arg(release_id)
                    .arg(track.is_compilation)
                    .execute(&mut *conn)
                    .await?;
                let facts = known.unwrap_or(AlbumFacts::unknown(id));
                facts.learn_from(track)
            }
            None => {
                let album_artist_mbid = track.musicbrainz.release_artist_id.as_deref();
                let artist_id = Self::resolve_artist(conn, ids, &track.album_artist, album_artist_mbid, now_ms).await?;
                let id = query_scalar(INSERT_ALBUM)
                    .arg(&track.album)
                    .arg(&key)
                    .arg(sort_key(&track.album))
                    .arg(artist_id)
                    .arg(track.year)
                    .arg(track.is_compilation)
                    .arg(release_id)
                    .arg(cover_id)
                    .arg(now_ms)
                    .fetch_one(&mut *conn)
                    .await?;
                AlbumFacts::unknown(id).learn_from(track)
            }
        };
        ids.albums.insert(key, facts);
        Ok(facts.id)
    }

    /// The id of the genre `name`, inserted the first time the batch names it.
    async fn resolve_genre(conn: &mut DB::Connection, ids: &mut BatchIds, name: &str) -> Result<i64, sqlx::Error> {
        let key = sort_key(name);
        if let Some(id) = ids.genres.get(&key) {
            return Ok(*id);
        }
        let id = match ids.existing.genres.get(&key).copied() {
            Some(id) => id,
            None => query_scalar(INSERT_GENRE).arg(name).arg(&key).arg(&key).fetch_one(&mut *conn).await?,
        };
        ids.genres.insert(key, id);
        Ok(id)
    }

    /// The artists, albums and genres `changes` name that already exist, one query
    /// per table (and per thousand keys).
    pub(crate) async fn find_existing(
        conn: &mut DB::Connection,
        changes: &[ScanChange],
    ) -> Result<ExistingIds, sqlx::Error> {
        let named = NamedKeys::of(changes);
        Ok(ExistingIds {
            artists: Self::find_ids(conn, "artists", &named.artists).await?,
            albums: Self::find_ids(conn, "albums", &named.albums).await?,
            genres: Self::find_ids(conn, "genres", &named.genres).await?,
        })
    }

    /// The ids of the rows of `table` with these match keys, by key.
    async fn find_ids(
        conn: &mut DB::Connection,
        table: &str,
        keys: &std::collections::HashSet<String>,
    ) -> Result<HashMap<String, i64>, sqlx::Error> {
        let keys: Vec<&String> = keys.iter().collect();
        let mut found = HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let mut query =
                sqlx::QueryBuilder::<DB>::new(format!("SELECT id, match_key FROM {table} WHERE match_key IN ("));
            let mut list = query.separated(", ");
            for key in chunk {
                list.push_arg(key.as_str());
            }
            query.push(")");
            let rows: Vec<(i64, String)> = query.build_rows().fetch_all(&mut *conn).await?;
            found.extend(rows.into_iter().map(|(id, key)| (key, id)));
        }
        Ok(found)
    }

    /// Inserts or updates `tracks` (each with its resolved album) in multi-row statements,
    /// then records their credits and genres for `write_relations`.
    pub(crate) async fn upsert_tracks(
        conn: &mut DB::Connection,
        ids: &mut BatchIds,
        tracks: &[(&ScannedTrack, i64)],
        now_ms: i64,
    ) -> Result<(), sqlx::Error> {
        for chunk in tracks.chunks(TRACKS_PER_STATEMENT) {
            let mut insert = sqlx::QueryBuilder::<DB>::new(INSERT_TRACKS_HEAD);
            insert.push_values(chunk, |mut row, (track, album_id)| {
                let mb = &track.musicbrainz;
                let rg = &track.replay_gain;
                row.push_arg(track.path.clone())
                    .push_arg(track.file_size)
                    .push_arg(track.mtime_ns)
                    .push_arg(track.fingerprint.clone())
                    .push_arg(track.format.as_str())
                    .push_arg(track.title.clone())
                    .push_arg(sort_key(&track.title))
                    .push_arg(*album_id)
                    .push_arg(track.track_number)
                    .push_arg(track.track_total)
                    .push_arg(track.disc_number)
                    .push_arg(track.disc_total)
                    .push_arg(track.year)
                    .push_arg(track.date.clone())
                    .push_arg(track.duration_ms)
                    .push_arg(track.bitrate_kbps)
                    .push_arg(track.sample_rate_hz)
                    .push_arg(track.channels)
                    .push_arg(track.bit_depth)
                    .push_arg(mb.recording_id.clone())
                    .push_arg(mb.track_id.clone())
                    .push_arg(mb.release_id.clone())
                    .push_arg(mb.artist_id.clone())
                    .push_arg(mb.release_artist_id.clone())
                    .push_arg(rg.track_gain_db)
                    .push_arg(rg.track_peak)
                    .push_arg(rg.album_gain_db)
                    .push_arg(rg.album_peak)
                    .push_arg(track.cover.as_ref().map(|cover| cover.as_str().to_owned()))
                    .push_arg(now_ms)
                    .push_arg(now_ms);
            });
            insert.push(UPSERT_TRACKS_TAIL);
            let returned: Vec<(i64, String)> = insert.build_rows().fetch_all(&mut *conn).await?;
            let id_of: HashMap<String, i64> = returned.into_iter().map(|(id, path)| (path, id)).collect();
            for (track, _) in chunk {
                let track_id = *id_of
                    .get(&track.path)
                    .ok_or_else(|| sqlx::Error::Protocol(format!("no id returned for {}", track.path)))?;
                ids.upserted.push(track_id);
                for (position, name) in track.artists.iter().enumerate() {
                    // The MusicBrainz artist id belongs to the first credited artist only.
                    let mbid = if position == 0 { track.musicbrainz.artist_id.as_deref() } else { None };
                    let artist_id = Self::resolve_artist(conn, ids, name, mbid, now_ms).await?;
                    ids.credits.push((track_id, position as i32, artist_id));
                }
                for name in &track.genres {
                    let genre_id = Self::resolve_genre(conn, ids, name).await?;
                    ids.genres_of_tracks.push((track_id, genre_id));
                }
            }
        }
        Ok(())
    }

    /// Replaces the artist credits and genres of every track upserted in this batch,
    /// in a few multi-row statements rather than several per track.
    pub(crate) async fn write_relations(conn: &mut DB::Connection, ids: &mut BatchIds) -> Result<(), sqlx::Error> {
        for chunk in ids.upserted.chunks(ROWS_PER_STATEMENT) {
            for table in ["track_artists", "track_genres"] {
                let mut delete = sqlx::QueryBuilder::<DB>::new(format!("DELETE FROM {table} WHERE track_id IN ("));
                let mut list = delete.separated(", ");
                for id in chunk {
                    list.push_arg(*id);
                }
                delete.push(")").build().execute(&mut *conn).await?;
            }
        }
        for chunk in ids.credits.chunks(ROWS_PER_STATEMENT) {
            let mut insert =
                sqlx::QueryBuilder::<DB>::new("INSERT INTO track_artists (track_id, position, artist_id) ");
            insert.push_values(chunk, |mut row, (track, position, artist)| {
                row.push_arg(*track).push_arg(*position).push_arg(*artist);
            });
            insert.push(" ON CONFLICT DO NOTHING").build().execute(&mut *conn).await?;
        }
        for chunk in ids.genres_of_tracks.chunks(ROWS_PER_STATEMENT) {
            let mut insert = sqlx::QueryBuilder::<DB>::new("INSERT INTO track_genres (track_id, genre_id) ");
            insert.push_values(chunk, |mut row, (track, genre)| {
                row.push_arg(*track).push_arg(*genre);
            });
            insert.push(" ON CONFLICT DO NOTHING").build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Applies one change of the batch, except that an upserted track is only given its
    /// album: it comes back to be written with the others by `upsert_tracks`.
    pub(crate) async fn apply_change<'c>(
        conn: &mut DB::Connection,
        ids: &mut BatchIds,
        change: &'c ScanChange,
        now_ms: i64,
    ) -> Result<Option<(&'c ScannedTrack, i64)>, sqlx::Error> {
        let statement = match change {
            ScanChange::Upsert(track) => {
                let album_id = Self::resolve_album(conn, ids, track, now_ms).await?;
                return Ok(Some((track.as_ref(), album_id)));
            }
            ScanChange::Move { track_id, path, file_size, mtime_ns } => {
                sqlx::query(MOVE_TRACK).arg(track_id.0).arg(path).arg(file_size).arg(mtime_ns).arg(now_ms)
            }
            ScanChange::Remove(track_id) => sqlx::query(DELETE_TRACK).arg(track_id.0),
            ScanChange::Fail(issue) => sqlx::query(UPSERT_SCAN_ISSUE)
                .arg(&issue.path)
                .arg(&issue.reason)
                .arg(&issue.detail)
                .arg(issue.detected_at),
            ScanChange::ClearIssue(path) => sqlx::query(DELETE_SCAN_ISSUE).arg(path),
        };
        statement.execute(&mut *conn).await?;
        Ok(None)
    }
}
