//! The `CatalogStore` implementation, written once and stamped out per engine: sqlx's
//! executors are concrete per database, and a macro keeps one copy of every query path
//! without a wall of generic bounds.

use std::collections::{HashMap, HashSet};

use tonearm_domain::sort_key;
use tonearm_model::{ScanChange, ScannedTrack, StoreError};

pub(crate) fn query_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(error.to_string())
        }
        other => StoreError::Query(other.to_string()),
    }
}

/// Ids resolved so far within one batch, so a 12-track album costs one lookup, not twelve.
#[derive(Default)]
pub(crate) struct BatchIds {
    /// The artists, albums and genres the batch names that existed before it, by match key,
    /// found with one `IN (…)` query per table: a key missing here is new.
    pub existing: ExistingIds,
    pub artists: HashMap<String, i64>,
    pub albums: HashMap<String, AlbumFacts>,
    pub genres: HashMap<String, i64>,
    /// Tracks upserted in this batch: their credits and genres are rewritten at its end.
    pub upserted: Vec<i64>,
    /// (track, position, artist)
    pub credits: Vec<(i64, i32, i64)>,
    /// (track, genre)
    pub genres_of_tracks: Vec<(i64, i64)>,
}

#[derive(Default)]
pub(crate) struct ExistingIds {
    pub artists: HashMap<String, i64>,
    pub albums: HashMap<String, i64>,
    pub genres: HashMap<String, i64>,
}

/// The match keys of every artist, album and genre a batch's upserts name.
pub(crate) struct NamedKeys {
    pub artists: HashSet<String>,
    pub albums: HashSet<String>,
    pub genres: HashSet<String>,
}

impl NamedKeys {
    pub fn of(changes: &[ScanChange]) -> Self {
        let mut named = Self { artists: HashSet::new(), albums: HashSet::new(), genres: HashSet::new() };
        for change in changes {
            let ScanChange::Upsert(track) = change else { continue };
            named.albums.insert(album_match_key(track));
            named.artists.insert(sort_key(&track.album_artist));
            named.artists.extend(track.artists.iter().map(|name| sort_key(name)));
            named.genres.extend(track.genres.iter().map(|name| sort_key(name)));
        }
        named
    }
}

/// Rows per multi-row statement: 3 binds a row stays far below SQLite's 32,766 limit.
pub(crate) const ROWS_PER_STATEMENT: usize = 1000;
/// Tracks per multi-row upsert: 31 binds a row.
pub(crate) const TRACKS_PER_STATEMENT: usize = 64;

/// An album resolved in this batch, and which of its facts are known to be filled in.
#[derive(Clone, Copy)]
pub(crate) struct AlbumFacts {
    pub id: i64,
    pub has_year: bool,
    pub has_cover: bool,
    pub has_release_id: bool,
    pub is_compilation: bool,
}

impl AlbumFacts {
    pub fn unknown(id: i64) -> Self {
        Self { id, has_year: false, has_cover: false, has_release_id: false, is_compilation: false }
    }

    /// Whether `track` knows something about its album that the album may still lack.
    pub fn can_learn_from(&self, track: &ScannedTrack) -> bool {
        (track.year.is_some() && !self.has_year)
            || (track.cover.is_some() && !self.has_cover)
            || (track.musicbrainz.release_id.is_some() && !self.has_release_id)
            || (track.is_compilation && !self.is_compilation)
    }

    /// The facts after `track` filled in what it knows.
    pub fn learn_from(self, track: &ScannedTrack) -> Self {
        Self {
            id: self.id,
            has_year: self.has_year || track.year.is_some(),
            has_cover: self.has_cover || track.cover.is_some(),
            has_release_id: self.has_release_id || track.musicbrainz.release_id.is_some(),
            is_compilation: self.is_compilation || track.is_compilation,
        }
    }
}

/// The key that makes two spellings of one album the same album.
pub(crate) fn album_match_key(track: &ScannedTrack) -> String {
    format!("{}\u{1f}{}", sort_key(&track.album_artist), sort_key(&track.album))
}

macro_rules! impl_catalog_store {
    ($store:ty, $db:ty, $engine:literal) => {
        impl $store {
            async fn resolve_artist(
                conn: &mut <$db as sqlx::Database>::Connection,
                ids: &mut $crate::engine::BatchIds,
                name: &str,
                musicbrainz_id: Option<&str>,
                now_ms: i64,
            ) -> Result<i64, sqlx::Error> {
                let key = tonearm_domain::sort_key(name);
                if let Some(id) = ids.artists.get(&key) {
                    return Ok(*id);
                }
                let id = match ids.existing.artists.get(&key).copied() {
                    Some(id) => {
                        if let Some(mbid) = musicbrainz_id {
                            sqlx::query($crate::sql::FILL_ARTIST_MBID).bind(id).bind(mbid).execute(&mut *conn).await?;
                        }
                        id
                    }
                    None => {
                        sqlx::query_scalar($crate::sql::INSERT_ARTIST)
                            .bind(name)
                            .bind(&key)
                            .bind(&key)
                            .bind(musicbrainz_id)
                            .bind(now_ms)
                            .fetch_one(&mut *conn)
                            .await?
                    }
                };
                ids.artists.insert(key, id);
                Ok(id)
            }

            async fn resolve_album(
                conn: &mut <$db as sqlx::Database>::Connection,
                ids: &mut $crate::engine::BatchIds,
                track: &tonearm_model::ScannedTrack,
                now_ms: i64,
            ) -> Result<i64, sqlx::Error> {
                let key = $crate::engine::album_match_key(track);
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
                        sqlx::query($crate::sql::FILL_ALBUM)
                            .bind(id)
                            .bind(track.year)
                            .bind(cover_id)
                            .bind(release_id)
                            .bind(track.is_compilation)
                            .execute(&mut *conn)
                            .await?;
                        let facts = known.unwrap_or($crate::engine::AlbumFacts::unknown(id));
                        facts.learn_from(track)
                    }
                    None => {
                        let album_artist_mbid = track.musicbrainz.release_artist_id.as_deref();
                        let artist_id =
                            Self::resolve_artist(conn, ids, &track.album_artist, album_artist_mbid, now_ms).await?;
                        let id = sqlx::query_scalar($crate::sql::INSERT_ALBUM)
                            .bind(&track.album)
                            .bind(&key)
                            .bind(tonearm_domain::sort_key(&track.album))
                            .bind(artist_id)
                            .bind(track.year)
                            .bind(track.is_compilation)
                            .bind(release_id)
                            .bind(cover_id)
                            .bind(now_ms)
                            .fetch_one(&mut *conn)
                            .await?;
                        $crate::engine::AlbumFacts::unknown(id).learn_from(track)
                    }
                };
                ids.albums.insert(key, facts);
                Ok(facts.id)
            }

            async fn resolve_genre(
                conn: &mut <$db as sqlx::Database>::Connection,
                ids: &mut $crate::engine::BatchIds,
                name: &str,
            ) -> Result<i64, sqlx::Error> {
                let key = tonearm_domain::sort_key(name);
                if let Some(id) = ids.genres.get(&key) {
                    return Ok(*id);
                }
                let id = match ids.existing.genres.get(&key).copied() {
                    Some(id) => id,
                    None => {
                        sqlx::query_scalar($crate::sql::INSERT_GENRE)
                            .bind(name)
                            .bind(&key)
                            .bind(&key)
                            .fetch_one(&mut *conn)
                            .await?
                    }
                };
                ids.genres.insert(key, id);
                Ok(id)
            }

            /// The artists, albums and genres `changes` name that already exist, one query
            /// per table (and per thousand keys).
            async fn find_existing(
                conn: &mut <$db as sqlx::Database>::Connection,
                changes: &[tonearm_model::ScanChange],
            ) -> Result<$crate::engine::ExistingIds, sqlx::Error> {
                let named = $crate::engine::NamedKeys::of(changes);
                Ok($crate::engine::ExistingIds {
                    artists: Self::find_ids(conn, "artists", &named.artists).await?,
                    albums: Self::find_ids(conn, "albums", &named.albums).await?,
                    genres: Self::find_ids(conn, "genres", &named.genres).await?,
                })
            }

            /// The ids of the rows of `table` with these match keys, by key.
            async fn find_ids(
                conn: &mut <$db as sqlx::Database>::Connection,
                table: &str,
                keys: &std::collections::HashSet<String>,
            ) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
                let keys: Vec<&String> = keys.iter().collect();
                let mut found = std::collections::HashMap::with_capacity(keys.len());
                for chunk in keys.chunks($crate::engine::ROWS_PER_STATEMENT) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT id, match_key FROM {table} WHERE match_key IN ("
                    ));
                    let mut list = query.separated(", ");
                    for key in chunk {
                        list.push_bind(key.as_str());
                    }
                    query.push(")");
                    let rows: Vec<(i64, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
                    found.extend(rows.into_iter().map(|(id, key)| (key, id)));
                }
                Ok(found)
            }

            /// Inserts or updates `tracks` (each with its resolved album) in multi-row statements,
            /// then records their credits and genres for `write_relations`.
            async fn upsert_tracks(
                conn: &mut <$db as sqlx::Database>::Connection,
                ids: &mut $crate::engine::BatchIds,
                tracks: &[(&tonearm_model::ScannedTrack, i64)],
                now_ms: i64,
            ) -> Result<(), sqlx::Error> {
                for chunk in tracks.chunks($crate::engine::TRACKS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new($crate::sql::INSERT_TRACKS_HEAD);
                    insert.push_values(chunk, |mut row, (track, album_id)| {
                        let mb = &track.musicbrainz;
                        let rg = &track.replay_gain;
                        row.push_bind(track.path.clone())
                            .push_bind(track.file_size)
                            .push_bind(track.mtime_ns)
                            .push_bind(track.fingerprint.clone())
                            .push_bind(track.format.as_str())
                            .push_bind(track.title.clone())
                            .push_bind(tonearm_domain::sort_key(&track.title))
                            .push_bind(*album_id)
                            .push_bind(track.track_number)
                            .push_bind(track.track_total)
                            .push_bind(track.disc_number)
                            .push_bind(track.disc_total)
                            .push_bind(track.year)
                            .push_bind(track.date.clone())
                            .push_bind(track.duration_ms)
                            .push_bind(track.bitrate_kbps)
                            .push_bind(track.sample_rate_hz)
                            .push_bind(track.channels)
                            .push_bind(track.bit_depth)
                            .push_bind(mb.recording_id.clone())
                            .push_bind(mb.track_id.clone())
                            .push_bind(mb.release_id.clone())
                            .push_bind(mb.artist_id.clone())
                            .push_bind(mb.release_artist_id.clone())
                            .push_bind(rg.track_gain_db)
                            .push_bind(rg.track_peak)
                            .push_bind(rg.album_gain_db)
                            .push_bind(rg.album_peak)
                            .push_bind(track.cover.as_ref().map(|cover| cover.as_str().to_owned()))
                            .push_bind(now_ms)
                            .push_bind(now_ms);
                    });
                    insert.push($crate::sql::UPSERT_TRACKS_TAIL);
                    let returned: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut *conn).await?;
                    let id_of: std::collections::HashMap<String, i64> =
                        returned.into_iter().map(|(id, path)| (path, id)).collect();
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
            async fn write_relations(
                conn: &mut <$db as sqlx::Database>::Connection,
                ids: &mut $crate::engine::BatchIds,
            ) -> Result<(), sqlx::Error> {
                for chunk in ids.upserted.chunks($crate::engine::ROWS_PER_STATEMENT) {
                    for table in ["track_artists", "track_genres"] {
                        let mut delete =
                            sqlx::QueryBuilder::<$db>::new(format!("DELETE FROM {table} WHERE track_id IN ("));
                        let mut list = delete.separated(", ");
                        for id in chunk {
                            list.push_bind(*id);
                        }
                        delete.push(")").build().execute(&mut *conn).await?;
                    }
                }
                for chunk in ids.credits.chunks($crate::engine::ROWS_PER_STATEMENT) {
                    let mut insert =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO track_artists (track_id, position, artist_id) ");
                    insert.push_values(chunk, |mut row, (track, position, artist)| {
                        row.push_bind(*track).push_bind(*position).push_bind(*artist);
                    });
                    insert.push(" ON CONFLICT DO NOTHING").build().execute(&mut *conn).await?;
                }
                for chunk in ids.genres_of_tracks.chunks($crate::engine::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new("INSERT INTO track_genres (track_id, genre_id) ");
                    insert.push_values(chunk, |mut row, (track, genre)| {
                        row.push_bind(*track).push_bind(*genre);
                    });
                    insert.push(" ON CONFLICT DO NOTHING").build().execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// Summaries for the given track rows, with their credited artists in tag order.
            async fn attach_artists(
                &self,
                rows: Vec<$crate::rows::TrackRow>,
            ) -> Result<Vec<tonearm_model::TrackSummary>, tonearm_model::StoreError> {
                use $crate::engine::query_error;
                if rows.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new($crate::sql::SELECT_TRACK_ARTISTS);
                query.push("(");
                let mut ids = query.separated(", ");
                for row in &rows {
                    ids.push_bind(row.id);
                }
                query.push(") ORDER BY ta.track_id, ta.position");
                let credits: Vec<$crate::rows::TrackArtistRow> =
                    query.build_query_as().fetch_all(&self.pool).await.map_err(query_error)?;
                let mut by_track: std::collections::HashMap<i64, Vec<tonearm_model::ArtistRef>> =
                    std::collections::HashMap::new();
                for credit in credits {
                    by_track.entry(credit.track_id).or_default().push(tonearm_model::ArtistRef {
                        id: tonearm_domain::ArtistId(credit.artist_id),
                        name: credit.name,
                    });
                }
                rows.into_iter()
                    .map(|row| {
                        let artists = by_track.remove(&row.id).unwrap_or_default();
                        row.into_summary(artists)
                    })
                    .collect()
            }

            /// One page of rows of `select`, sorted and continued on the columns of `alias`.
            async fn fetch_page<R>(
                &self,
                select: &'static str,
                alias: &str,
                page: &tonearm_domain::PageRequest,
            ) -> Result<tonearm_domain::Page<R>, tonearm_model::StoreError>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + $crate::rows::PagedRow + Send + Unpin,
            {
                let mut query = sqlx::QueryBuilder::<$db>::new(select);
                $crate::keyset::push_page_tail(&mut query, alias, page);
                let rows: Vec<R> =
                    query.build_query_as().fetch_all(&self.pool).await.map_err($crate::engine::query_error)?;
                Ok(tonearm_domain::Page::from_rows(rows, page.limit, |row| row.cursor(page.sort)))
            }

            /// The row of `select` whose `id_column` equals `id`, or `NotFound` for `entity`.
            async fn fetch_by_id<R>(
                &self,
                select: &'static str,
                id_column: &str,
                entity: &'static str,
                id: i64,
            ) -> Result<R, tonearm_model::StoreError>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
            {
                let mut query = sqlx::QueryBuilder::<$db>::new(select);
                query.push(" WHERE ").push(id_column).push(" = ").push_bind(id);
                let row: Option<R> =
                    query.build_query_as().fetch_optional(&self.pool).await.map_err($crate::engine::query_error)?;
                row.ok_or_else(|| tonearm_model::StoreError::not_found(entity, id))
            }

            /// Rows of `select` whose `id_column` is one of `ids`, in the order of `ids`.
            async fn fetch_by_ids<R>(
                &self,
                select: &'static str,
                id_column: &str,
                ids: &[i64],
                id_of: impl Fn(&R) -> i64,
            ) -> Result<Vec<R>, tonearm_model::StoreError>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
            {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut rows = Vec::with_capacity(ids.len());
                // Bounded statements: a long history must not exceed the engines' bind limits.
                for chunk in ids.chunks($crate::engine::ROWS_PER_STATEMENT) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(select);
                    query.push(" WHERE ").push(id_column).push(" IN (");
                    let mut separated = query.separated(", ");
                    for id in chunk {
                        separated.push_bind(*id);
                    }
                    query.push(")");
                    let found: Vec<R> =
                        query.build_query_as().fetch_all(&self.pool).await.map_err($crate::engine::query_error)?;
                    rows.extend(found);
                }
                let mut by_id: std::collections::HashMap<i64, R> =
                    rows.into_iter().map(|row| (id_of(&row), row)).collect();
                Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
            }

            /// Albums matching `condition_open` + the bound id + `)`, in the given order.
            async fn albums_where(
                &self,
                condition_open: &str,
                id: i64,
                order: &str,
            ) -> Result<Vec<tonearm_model::AlbumSummary>, tonearm_model::StoreError> {
                let mut query = sqlx::QueryBuilder::<$db>::new($crate::sql::SELECT_ALBUMS);
                query.push(" WHERE ").push(condition_open).push_bind(id).push(")").push(order);
                let rows: Vec<$crate::rows::AlbumRow> =
                    query.build_query_as().fetch_all(&self.pool).await.map_err($crate::engine::query_error)?;
                Ok(rows.into_iter().map(|row| row.into_summary()).collect())
            }
        }

        #[async_trait::async_trait]
        impl tonearm_model::CatalogStore for $store {
            fn engine(&self) -> &'static str {
                $engine
            }

            async fn check_ready(&self) -> Result<(), tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let mut conn = self.pool.acquire().await.map_err(query_error)?;
                let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(query_error)?;
                let missing = Self::MIGRATOR.iter().filter(|migration| !applied.contains(&migration.version)).count();
                if missing > 0 {
                    return Err(tonearm_model::StoreError::Migration(format!("{missing} migrations not applied")));
                }
                Ok(())
            }

            async fn indexed_files(&self) -> Result<Vec<tonearm_model::IndexedFile>, tonearm_model::StoreError> {
                let rows: Vec<(i64, String, i64, i64, String)> = sqlx::query_as($crate::sql::SELECT_INDEXED_FILES)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, path, file_size, mtime_ns, fingerprint)| tonearm_model::IndexedFile {
                        track_id: tonearm_domain::TrackId(id),
                        path,
                        file_size,
                        mtime_ns,
                        fingerprint,
                    })
                    .collect())
            }

            async fn scan_issues(&self) -> Result<Vec<tonearm_model::ScanIssue>, tonearm_model::StoreError> {
                let rows: Vec<(String, String, String, i64)> = sqlx::query_as($crate::sql::SELECT_SCAN_ISSUES)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(path, reason, detail, detected_at)| tonearm_model::ScanIssue {
                        path,
                        reason,
                        detail,
                        detected_at,
                    })
                    .collect())
            }

            async fn apply_changes(
                &self,
                changes: &[tonearm_model::ScanChange],
                now_ms: i64,
            ) -> Result<(), tonearm_model::StoreError> {
                use tonearm_model::ScanChange;
                use $crate::engine::query_error;
                let mut tx = self.pool.begin().await.map_err(query_error)?;
                let mut ids = $crate::engine::BatchIds {
                    existing: Self::find_existing(&mut tx, changes).await.map_err(query_error)?,
                    ..Default::default()
                };
                // Tracks are written together after the loop; they never share a path with the
                // batch's moves and removals, so the order does not matter.
                let mut upserts = Vec::new();
                for change in changes {
                    match change {
                        ScanChange::Upsert(track) => {
                            let album_id =
                                Self::resolve_album(&mut tx, &mut ids, track, now_ms).await.map_err(query_error)?;
                            upserts.push((track.as_ref(), album_id));
                        }
                        ScanChange::Move { track_id, path, file_size, mtime_ns } => {
                            sqlx::query($crate::sql::MOVE_TRACK)
                                .bind(track_id.0)
                                .bind(path)
                                .bind(file_size)
                                .bind(mtime_ns)
                                .bind(now_ms)
                                .execute(&mut *tx)
                                .await
                                .map_err(query_error)?;
                        }
                        ScanChange::Remove(track_id) => {
                            sqlx::query($crate::sql::DELETE_TRACK)
                                .bind(track_id.0)
                                .execute(&mut *tx)
                                .await
                                .map_err(query_error)?;
                        }
                        ScanChange::Fail(issue) => {
                            sqlx::query($crate::sql::UPSERT_SCAN_ISSUE)
                                .bind(&issue.path)
                                .bind(&issue.reason)
                                .bind(&issue.detail)
                                .bind(issue.detected_at)
                                .execute(&mut *tx)
                                .await
                                .map_err(query_error)?;
                        }
                        ScanChange::ClearIssue(path) => {
                            sqlx::query($crate::sql::DELETE_SCAN_ISSUE)
                                .bind(path)
                                .execute(&mut *tx)
                                .await
                                .map_err(query_error)?;
                        }
                    }
                }
                Self::upsert_tracks(&mut tx, &mut ids, &upserts, now_ms).await.map_err(query_error)?;
                Self::write_relations(&mut tx, &mut ids).await.map_err(query_error)?;
                tx.commit().await.map_err(query_error)
            }

            async fn prune_orphans(&self) -> Result<u64, tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let mut tx = self.pool.begin().await.map_err(query_error)?;
                let mut removed = 0;
                for statement in $crate::sql::PRUNE_ORPHANS {
                    removed += sqlx::query(statement).execute(&mut *tx).await.map_err(query_error)?.rows_affected();
                }
                tx.commit().await.map_err(query_error)?;
                Ok(removed)
            }

            async fn upsert_cover(&self, cover: &tonearm_model::CoverRecord) -> Result<(), tonearm_model::StoreError> {
                sqlx::query($crate::sql::UPSERT_COVER)
                    .bind(cover.id.as_str())
                    .bind(&cover.mime_type)
                    .bind(cover.source.as_str())
                    .bind(cover.byte_len)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(())
            }

            async fn cover(
                &self,
                id: &tonearm_domain::CoverId,
            ) -> Result<tonearm_model::CoverRecord, tonearm_model::StoreError> {
                let row: Option<(String, String, String, i64)> = sqlx::query_as($crate::sql::SELECT_COVER)
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                let (_, mime_type, source, byte_len) =
                    row.ok_or_else(|| tonearm_model::StoreError::not_found("cover", id))?;
                let source = tonearm_model::CoverSource::parse(&source)
                    .ok_or_else(|| tonearm_model::StoreError::Corrupt(format!("unknown cover source `{source}`")))?;
                Ok(tonearm_model::CoverRecord { id: id.clone(), mime_type, source, byte_len })
            }

            async fn list_artists(
                &self,
                page: &tonearm_domain::PageRequest,
            ) -> Result<tonearm_domain::Page<tonearm_model::ArtistSummary>, tonearm_model::StoreError> {
                let rows = self.fetch_page::<$crate::rows::ArtistRow>($crate::sql::SELECT_ARTISTS, "a", page).await?;
                Ok(rows.map($crate::rows::ArtistRow::into_summary))
            }

            async fn artist(
                &self,
                id: tonearm_domain::ArtistId,
            ) -> Result<tonearm_model::ArtistDetail, tonearm_model::StoreError> {
                let artist = self
                    .fetch_by_id::<$crate::rows::ArtistRow>($crate::sql::SELECT_ARTISTS, "a.id", "artist", id.0)
                    .await?
                    .into_summary();
                let newest_first = " ORDER BY COALESCE(al.year, 0) DESC, al.sort_name, al.id";
                let albums = self.albums_where("(al.artist_id = ", id.0, newest_first).await?;
                let appears_on = self
                    .albums_where(
                        "al.id IN (SELECT t.album_id FROM tracks t JOIN track_artists ta ON ta.track_id = t.id \
                         WHERE ta.artist_id = ",
                        id.0,
                        newest_first,
                    )
                    .await?
                    .into_iter()
                    .filter(|album| album.artist.id != id)
                    .collect();
                Ok(tonearm_model::ArtistDetail { artist, albums, appears_on })
            }

            async fn list_albums(
                &self,
                page: &tonearm_domain::PageRequest,
            ) -> Result<tonearm_domain::Page<tonearm_model::AlbumSummary>, tonearm_model::StoreError> {
                let rows = self.fetch_page::<$crate::rows::AlbumRow>($crate::sql::SELECT_ALBUMS, "al", page).await?;
                Ok(rows.map($crate::rows::AlbumRow::into_summary))
            }

            async fn album(
                &self,
                id: tonearm_domain::AlbumId,
            ) -> Result<tonearm_model::AlbumDetail, tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let row = self
                    .fetch_by_id::<$crate::rows::AlbumRow>($crate::sql::SELECT_ALBUMS, "al.id", "album", id.0)
                    .await?;
                let musicbrainz_release_id = row.musicbrainz_release_id.clone();
                let album = row.into_summary();
                let genres: Vec<(i64, String, String)> = sqlx::query_as($crate::sql::SELECT_ALBUM_GENRES)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(query_error)?;
                let mut tracks_query = sqlx::QueryBuilder::<$db>::new($crate::sql::SELECT_TRACKS);
                tracks_query
                    .push(" WHERE t.album_id = ")
                    .push_bind(id.0)
                    .push(" ORDER BY COALESCE(t.disc_number, 1), COALESCE(t.track_number, 0), t.sort_name, t.id");
                let track_rows: Vec<$crate::rows::TrackRow> =
                    tracks_query.build_query_as().fetch_all(&self.pool).await.map_err(query_error)?;
                Ok(tonearm_model::AlbumDetail {
                    album,
                    genres: genres
                        .into_iter()
                        .map(|(id, name, _)| tonearm_model::GenreRef { id: tonearm_domain::GenreId(id), name })
                        .collect(),
                    musicbrainz_release_id,
                    tracks: self.attach_artists(track_rows).await?,
                })
            }

            async fn list_tracks(
                &self,
                page: &tonearm_domain::PageRequest,
            ) -> Result<tonearm_domain::Page<tonearm_model::TrackSummary>, tonearm_model::StoreError> {
                let rows = self.fetch_page::<$crate::rows::TrackRow>($crate::sql::SELECT_TRACKS, "t", page).await?;
                Ok(tonearm_domain::Page {
                    items: self.attach_artists(rows.items).await?,
                    next_cursor: rows.next_cursor,
                })
            }

            async fn track(
                &self,
                id: tonearm_domain::TrackId,
            ) -> Result<tonearm_model::TrackDetail, tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let row = self
                    .fetch_by_id::<$crate::rows::TrackRow>($crate::sql::SELECT_TRACKS, "t.id", "track", id.0)
                    .await?;
                let summary = self.attach_artists(vec![row]).await?.remove(0);
                let extra: $crate::rows::TrackExtraRow = sqlx::query_as($crate::sql::SELECT_TRACK_EXTRA)
                    .bind(id.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(query_error)?;
                let genres: Vec<$crate::rows::NamedRow> = sqlx::query_as($crate::sql::SELECT_TRACK_GENRES)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(query_error)?;
                Ok(extra.into_detail(summary, genres.into_iter().map(|genre| genre.into_genre_ref()).collect()))
            }

            async fn list_genres(
                &self,
                page: &tonearm_domain::PageRequest,
            ) -> Result<tonearm_domain::Page<tonearm_model::GenreSummary>, tonearm_model::StoreError> {
                let rows = self.fetch_page::<$crate::rows::GenreRow>($crate::sql::SELECT_GENRES, "g", page).await?;
                Ok(rows.map($crate::rows::GenreRow::into_summary))
            }

            async fn genre(
                &self,
                id: tonearm_domain::GenreId,
            ) -> Result<tonearm_model::GenreDetail, tonearm_model::StoreError> {
                let genre = self
                    .fetch_by_id::<$crate::rows::GenreRow>($crate::sql::SELECT_GENRES, "g.id", "genre", id.0)
                    .await?
                    .into_summary();
                let albums = self
                    .albums_where(
                        "al.id IN (SELECT t.album_id FROM tracks t JOIN track_genres tg ON tg.track_id = t.id \
                         WHERE tg.genre_id = ",
                        id.0,
                        " ORDER BY al.sort_name, al.id",
                    )
                    .await?;
                Ok(tonearm_model::GenreDetail { genre, albums })
            }

            async fn catalog_listing(&self) -> Result<tonearm_model::CatalogListing, tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let artists: Vec<$crate::rows::ArtistRow> =
                    sqlx::query_as($crate::sql::SELECT_ARTISTS).fetch_all(&self.pool).await.map_err(query_error)?;
                let albums: Vec<$crate::rows::AlbumRow> =
                    sqlx::query_as($crate::sql::SELECT_ALBUMS).fetch_all(&self.pool).await.map_err(query_error)?;
                let genres: Vec<$crate::rows::GenreRow> =
                    sqlx::query_as($crate::sql::SELECT_GENRES).fetch_all(&self.pool).await.map_err(query_error)?;
                let tracks: Vec<$crate::rows::TrackRow> =
                    sqlx::query_as($crate::sql::SELECT_TRACKS).fetch_all(&self.pool).await.map_err(query_error)?;
                // One query for every credit: `attach_artists` binds one id per track, and a
                // whole catalog exceeds the engines' bind limits.
                let credits: Vec<$crate::rows::TrackArtistRow> = sqlx::query_as($crate::sql::SELECT_ALL_TRACK_ARTISTS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(query_error)?;
                let mut by_track: std::collections::HashMap<i64, Vec<tonearm_model::ArtistRef>> =
                    std::collections::HashMap::new();
                for credit in credits {
                    by_track.entry(credit.track_id).or_default().push(tonearm_model::ArtistRef {
                        id: tonearm_domain::ArtistId(credit.artist_id),
                        name: credit.name,
                    });
                }
                Ok(tonearm_model::CatalogListing {
                    artists: artists.into_iter().map($crate::rows::ArtistRow::into_summary).collect(),
                    albums: albums.into_iter().map($crate::rows::AlbumRow::into_summary).collect(),
                    tracks: tracks
                        .into_iter()
                        .map(|row| {
                            let artists = by_track.remove(&row.id).unwrap_or_default();
                            row.into_summary(artists)
                        })
                        .collect::<Result<_, _>>()?,
                    genres: genres.into_iter().map($crate::rows::GenreRow::into_summary).collect(),
                })
            }

            async fn stream_source(
                &self,
                id: tonearm_domain::TrackId,
            ) -> Result<tonearm_model::StreamSource, tonearm_model::StoreError> {
                let row: Option<$crate::rows::StreamSourceRow> = sqlx::query_as($crate::sql::SELECT_STREAM_SOURCE)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                row.ok_or_else(|| tonearm_model::StoreError::not_found("track", id))?.into_source()
            }

            async fn tracks_by_ids(
                &self,
                ids: &[tonearm_domain::TrackId],
            ) -> Result<Vec<tonearm_model::TrackSummary>, tonearm_model::StoreError> {
                let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
                let rows = self
                    .fetch_by_ids($crate::sql::SELECT_TRACKS, "t.id", &ids, |row: &$crate::rows::TrackRow| row.id)
                    .await?;
                self.attach_artists(rows).await
            }

            async fn track_paths(
                &self,
                ids: &[tonearm_domain::TrackId],
            ) -> Result<Vec<(tonearm_domain::TrackId, String)>, tonearm_model::StoreError> {
                let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
                let rows: Vec<(i64, String)> =
                    self.fetch_by_ids($crate::sql::SELECT_TRACK_PATHS, "id", &ids, |row: &(i64, String)| row.0).await?;
                Ok(rows.into_iter().map(|(id, path)| (tonearm_domain::TrackId(id), path)).collect())
            }

            async fn tracks_at_paths(
                &self,
                paths: &[String],
            ) -> Result<Vec<(String, tonearm_domain::TrackId)>, tonearm_model::StoreError> {
                let mut found = Vec::new();
                for chunk in paths.chunks($crate::engine::ROWS_PER_STATEMENT) {
                    let mut query = sqlx::QueryBuilder::<$db>::new($crate::sql::SELECT_TRACK_PATHS);
                    query.push(" WHERE path IN (");
                    let mut separated = query.separated(", ");
                    for path in chunk {
                        separated.push_bind(path.as_str());
                    }
                    query.push(")");
                    let rows: Vec<(i64, String)> =
                        query.build_query_as().fetch_all(&self.pool).await.map_err($crate::engine::query_error)?;
                    found.extend(rows.into_iter().map(|(id, path)| (path, tonearm_domain::TrackId(id))));
                }
                Ok(found)
            }

            async fn albums_by_ids(
                &self,
                ids: &[tonearm_domain::AlbumId],
            ) -> Result<Vec<tonearm_model::AlbumSummary>, tonearm_model::StoreError> {
                let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
                let rows = self
                    .fetch_by_ids($crate::sql::SELECT_ALBUMS, "al.id", &ids, |row: &$crate::rows::AlbumRow| row.id)
                    .await?;
                Ok(rows.into_iter().map($crate::rows::AlbumRow::into_summary).collect())
            }

            async fn artists_by_ids(
                &self,
                ids: &[tonearm_domain::ArtistId],
            ) -> Result<Vec<tonearm_model::ArtistSummary>, tonearm_model::StoreError> {
                let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
                let rows = self
                    .fetch_by_ids($crate::sql::SELECT_ARTISTS, "a.id", &ids, |row: &$crate::rows::ArtistRow| row.id)
                    .await?;
                Ok(rows.into_iter().map($crate::rows::ArtistRow::into_summary).collect())
            }

            async fn set_album_premium_only(
                &self,
                id: tonearm_domain::AlbumId,
                premium_only: bool,
            ) -> Result<tonearm_model::AlbumSummary, tonearm_model::StoreError> {
                let updated = sqlx::query($crate::sql::SET_ALBUM_PREMIUM_ONLY)
                    .bind(id.0)
                    .bind(premium_only)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                if updated.rows_affected() == 0 {
                    return Err(tonearm_model::StoreError::not_found("album", id));
                }
                Ok(self
                    .fetch_by_id::<$crate::rows::AlbumRow>($crate::sql::SELECT_ALBUMS, "al.id", "album", id.0)
                    .await?
                    .into_summary())
            }
        }
    };
}

pub(crate) use impl_catalog_store;
