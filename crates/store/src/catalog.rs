//! `CatalogStore`: the catalog's reads, and applying a scan's changes in one transaction.

use std::collections::HashMap;

use sqlx::Executor;
use tonearm_domain::{AlbumId, ArtistId, CoverId, GenreId, Page, PageRequest, TrackId};
use tonearm_model::{
    AlbumDetail, AlbumSummary, ArtistDetail, ArtistRef, ArtistSummary, CatalogListing, CatalogStore, CoverRecord,
    CoverSource, GenreDetail, GenreRef, GenreSummary, IndexedFile, ScanChange, ScanIssue, StoreError, StreamSource,
    TrackDetail, TrackSummary,
};

use crate::engine::{Engine, MissingMigrations, ROWS_PER_STATEMENT, Row, RowsAffected, SqlStore, query_error};
use crate::keyset::push_page_tail;
use crate::query::{Bind, BuildFetch, PushArg, query_as, query_scalar};
use crate::rows::{
    AlbumRow, ArtistRow, GenreRow, NamedRow, PagedRow, StreamSourceRow, TrackArtistRow, TrackExtraRow, TrackRow,
};
use crate::scan_batch::BatchIds;
use crate::sql::{
    PRUNE_ORPHANS, SELECT_ALBUM_GENRES, SELECT_ALBUMS, SELECT_ALL_TRACK_ARTISTS, SELECT_ARTISTS, SELECT_COVER,
    SELECT_GENRES, SELECT_INDEXED_FILES, SELECT_SCAN_ISSUES, SELECT_STREAM_SOURCE, SELECT_TRACK_ARTISTS,
    SELECT_TRACK_EXTRA, SELECT_TRACK_GENRES, SELECT_TRACK_PATHS, SELECT_TRACKS, SET_ALBUM_PREMIUM_ONLY, UPSERT_COVER,
};

impl<DB: Engine> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Summaries for the given track rows, with their credited artists in tag order.
    async fn attach_artists(&self, rows: Vec<TrackRow>) -> Result<Vec<TrackSummary>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::QueryBuilder::<DB>::new(SELECT_TRACK_ARTISTS);
        query.push("(");
        let mut ids = query.separated(", ");
        for row in &rows {
            ids.push_arg(row.id);
        }
        query.push(") ORDER BY ta.track_id, ta.position");
        let credits: Vec<TrackArtistRow> = query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
        let mut by_track: HashMap<i64, Vec<ArtistRef>> = HashMap::new();
        for credit in credits {
            by_track
                .entry(credit.track_id)
                .or_default()
                .push(ArtistRef { id: ArtistId(credit.artist_id), name: credit.name });
        }
        rows.into_iter()
            .map(|row| {
                let artists = by_track.remove(&row.id).unwrap_or_default();
                row.into_summary(artists)
            })
            .collect()
    }

    /// One page of rows of `select`, sorted and continued on the columns of `alias`.
    async fn fetch_page<R>(&self, select: &'static str, alias: &str, page: &PageRequest) -> Result<Page<R>, StoreError>
    where
        R: Row + PagedRow,
    {
        let mut query = sqlx::QueryBuilder::<DB>::new(select);
        push_page_tail(&mut query, alias, page);
        let rows: Vec<R> = query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(Page::from_rows(rows, page.limit, |row| row.cursor(page.sort)))
    }

    /// The row of `select` whose `id_column` equals `id`, or `NotFound` for `entity`.
    async fn fetch_by_id<R>(
        &self,
        select: &'static str,
        id_column: &str,
        entity: &'static str,
        id: i64,
    ) -> Result<R, StoreError>
    where
        R: Row,
    {
        let mut query = sqlx::QueryBuilder::<DB>::new(select);
        query.push(" WHERE ").push(id_column).push(" = ").push_arg(id);
        let row: Option<R> = query.build_rows().fetch_optional(&self.pool).await.map_err(query_error)?;
        row.ok_or_else(|| StoreError::not_found(entity, id))
    }

    /// Rows of `select` whose `id_column` is one of `ids`, in the order of `ids`.
    async fn fetch_by_ids<R>(
        &self,
        select: &'static str,
        id_column: &str,
        ids: &[i64],
        id_of: impl Fn(&R) -> i64,
    ) -> Result<Vec<R>, StoreError>
    where
        R: Row,
    {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = Vec::with_capacity(ids.len());
        // Bounded statements: a long history must not exceed the engines' bind limits.
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let mut query = sqlx::QueryBuilder::<DB>::new(select);
            query.push(" WHERE ").push(id_column).push(" IN (");
            let mut separated = query.separated(", ");
            for id in chunk {
                separated.push_arg(*id);
            }
            query.push(")");
            let found: Vec<R> = query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
            rows.extend(found);
        }
        let mut by_id: HashMap<i64, R> = rows.into_iter().map(|row| (id_of(&row), row)).collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Albums matching `condition_open` + the bound id + `)`, in the given order.
    async fn albums_where(&self, condition_open: &str, id: i64, order: &str) -> Result<Vec<AlbumSummary>, StoreError> {
        let mut query = sqlx::QueryBuilder::<DB>::new(SELECT_ALBUMS);
        query.push(" WHERE ").push(condition_open).push_arg(id).push(")").push(order);
        let rows: Vec<AlbumRow> = query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows.into_iter().map(|row| row.into_summary()).collect())
    }
}

#[async_trait::async_trait]
impl<DB: Engine> CatalogStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    fn engine(&self) -> &'static str {
        DB::ENGINE
    }

    async fn check_ready(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(query_error)?;
        let applied: Vec<i64> = query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut *conn)
            .await
            .map_err(query_error)?;
        let missing = self.migrator.iter().filter(|migration| !applied.contains(&migration.version)).count();
        if missing > 0 {
            return Err(StoreError::migration(MissingMigrations { count: missing }));
        }
        Ok(())
    }

    async fn indexed_files(&self) -> Result<Vec<IndexedFile>, StoreError> {
        let rows: Vec<(i64, String, i64, i64, String)> =
            query_as(SELECT_INDEXED_FILES).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, path, file_size, mtime_ns, fingerprint)| IndexedFile {
                track_id: TrackId(id),
                path,
                file_size,
                mtime_ns,
                fingerprint,
            })
            .collect())
    }

    async fn scan_issues(&self) -> Result<Vec<ScanIssue>, StoreError> {
        let rows: Vec<(String, String, String, i64)> =
            query_as(SELECT_SCAN_ISSUES).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(path, reason, detail, detected_at)| ScanIssue { path, reason, detail, detected_at })
            .collect())
    }

    async fn apply_changes(&self, changes: &[ScanChange], now_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        let mut ids = BatchIds {
            existing: Self::find_existing(&mut tx, changes).await.map_err(query_error)?,
            ..Default::default()
        };
        // Tracks are written together after the loop; they never share a path with the
        // batch's moves and removals, so the order does not matter.
        let mut upserts = Vec::new();
        for change in changes {
            upserts.extend(Self::apply_change(&mut tx, &mut ids, change, now_ms).await.map_err(query_error)?);
        }
        Self::upsert_tracks(&mut tx, &mut ids, &upserts, now_ms).await.map_err(query_error)?;
        Self::write_relations(&mut tx, &mut ids).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)
    }

    async fn prune_orphans(&self) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        let mut removed = 0;
        for statement in PRUNE_ORPHANS {
            removed += sqlx::query(statement).execute(&mut *tx).await.map_err(query_error)?.rows_affected();
        }
        tx.commit().await.map_err(query_error)?;
        Ok(removed)
    }

    async fn upsert_cover(&self, cover: &CoverRecord) -> Result<(), StoreError> {
        sqlx::query(UPSERT_COVER)
            .arg(cover.id.as_str())
            .arg(&cover.mime_type)
            .arg(cover.source.as_str())
            .arg(cover.byte_len)
            .execute(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(())
    }

    async fn cover(&self, id: &CoverId) -> Result<CoverRecord, StoreError> {
        let row: Option<(String, String, String, i64)> =
            query_as(SELECT_COVER).arg(id.as_str()).fetch_optional(&self.pool).await.map_err(query_error)?;
        let (_, mime_type, source, byte_len) = row.ok_or_else(|| StoreError::not_found("cover", id))?;
        let source = CoverSource::parse(&source)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown cover source `{source}`")))?;
        Ok(CoverRecord { id: id.clone(), mime_type, source, byte_len })
    }

    async fn list_artists(&self, page: &PageRequest) -> Result<Page<ArtistSummary>, StoreError> {
        let rows = self.fetch_page::<ArtistRow>(SELECT_ARTISTS, "a", page).await?;
        Ok(rows.map(ArtistRow::into_summary))
    }

    async fn artist(&self, id: ArtistId) -> Result<ArtistDetail, StoreError> {
        let artist = self.fetch_by_id::<ArtistRow>(SELECT_ARTISTS, "a.id", "artist", id.0).await?.into_summary();
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
        Ok(ArtistDetail { artist, albums, appears_on })
    }

    async fn list_albums(&self, page: &PageRequest) -> Result<Page<AlbumSummary>, StoreError> {
        let rows = self.fetch_page::<AlbumRow>(SELECT_ALBUMS, "al", page).await?;
        Ok(rows.map(AlbumRow::into_summary))
    }

    async fn album(&self, id: AlbumId) -> Result<AlbumDetail, StoreError> {
        let row = self.fetch_by_id::<AlbumRow>(SELECT_ALBUMS, "al.id", "album", id.0).await?;
        let musicbrainz_release_id = row.musicbrainz_release_id.clone();
        let album = row.into_summary();
        let genres: Vec<(i64, String, String)> =
            query_as(SELECT_ALBUM_GENRES).arg(id.0).fetch_all(&self.pool).await.map_err(query_error)?;
        let mut tracks_query = sqlx::QueryBuilder::<DB>::new(SELECT_TRACKS);
        tracks_query
            .push(" WHERE t.album_id = ")
            .push_arg(id.0)
            .push(" ORDER BY COALESCE(t.disc_number, 1), COALESCE(t.track_number, 0), t.sort_name, t.id");
        let track_rows: Vec<TrackRow> = tracks_query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(AlbumDetail {
            album,
            genres: genres.into_iter().map(|(id, name, _)| GenreRef { id: GenreId(id), name }).collect(),
            musicbrainz_release_id,
            tracks: self.attach_artists(track_rows).await?,
        })
    }

    async fn list_tracks(&self, page: &PageRequest) -> Result<Page<TrackSummary>, StoreError> {
        let rows = self.fetch_page::<TrackRow>(SELECT_TRACKS, "t", page).await?;
        Ok(Page { items: self.attach_artists(rows.items).await?, next_cursor: rows.next_cursor })
    }

    async fn track(&self, id: TrackId) -> Result<TrackDetail, StoreError> {
        let row = self.fetch_by_id::<TrackRow>(SELECT_TRACKS, "t.id", "track", id.0).await?;
        let summary = self.attach_artists(vec![row]).await?.remove(0);
        let extra: TrackExtraRow =
            query_as(SELECT_TRACK_EXTRA).arg(id.0).fetch_one(&self.pool).await.map_err(query_error)?;
        let genres: Vec<NamedRow> =
            query_as(SELECT_TRACK_GENRES).arg(id.0).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(extra.into_detail(summary, genres.into_iter().map(|genre| genre.into_genre_ref()).collect()))
    }

    async fn list_genres(&self, page: &PageRequest) -> Result<Page<GenreSummary>, StoreError> {
        let rows = self.fetch_page::<GenreRow>(SELECT_GENRES, "g", page).await?;
        Ok(rows.map(GenreRow::into_summary))
    }

    async fn genre(&self, id: GenreId) -> Result<GenreDetail, StoreError> {
        let genre = self.fetch_by_id::<GenreRow>(SELECT_GENRES, "g.id", "genre", id.0).await?.into_summary();
        let albums = self
            .albums_where(
                "al.id IN (SELECT t.album_id FROM tracks t JOIN track_genres tg ON tg.track_id = t.id \
                 WHERE tg.genre_id = ",
                id.0,
                " ORDER BY al.sort_name, al.id",
            )
            .await?;
        Ok(GenreDetail { genre, albums })
    }

    async fn catalog_listing(&self) -> Result<CatalogListing, StoreError> {
        let artists: Vec<ArtistRow> = query_as(SELECT_ARTISTS).fetch_all(&self.pool).await.map_err(query_error)?;
        let albums: Vec<AlbumRow> = query_as(SELECT_ALBUMS).fetch_all(&self.pool).await.map_err(query_error)?;
        let genres: Vec<GenreRow> = query_as(SELECT_GENRES).fetch_all(&self.pool).await.map_err(query_error)?;
        let tracks: Vec<TrackRow> = query_as(SELECT_TRACKS).fetch_all(&self.pool).await.map_err(query_error)?;
        // One query for every credit: `attach_artists` binds one id per track, and a
        // whole catalog exceeds the engines' bind limits.
        let credits: Vec<TrackArtistRow> =
            query_as(SELECT_ALL_TRACK_ARTISTS).fetch_all(&self.pool).await.map_err(query_error)?;
        let mut by_track: HashMap<i64, Vec<ArtistRef>> = HashMap::new();
        for credit in credits {
            by_track
                .entry(credit.track_id)
                .or_default()
                .push(ArtistRef { id: ArtistId(credit.artist_id), name: credit.name });
        }
        Ok(CatalogListing {
            artists: artists.into_iter().map(ArtistRow::into_summary).collect(),
            albums: albums.into_iter().map(AlbumRow::into_summary).collect(),
            tracks: tracks
                .into_iter()
                .map(|row| {
                    let artists = by_track.remove(&row.id).unwrap_or_default();
                    row.into_summary(artists)
                })
                .collect::<Result<_, _>>()?,
            genres: genres.into_iter().map(GenreRow::into_summary).collect(),
        })
    }

    async fn stream_source(&self, id: TrackId) -> Result<StreamSource, StoreError> {
        let row: Option<StreamSourceRow> =
            query_as(SELECT_STREAM_SOURCE).arg(id.0).fetch_optional(&self.pool).await.map_err(query_error)?;
        row.ok_or_else(|| StoreError::not_found("track", id))?.into_source()
    }

    async fn tracks_by_ids(&self, ids: &[TrackId]) -> Result<Vec<TrackSummary>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let rows = self.fetch_by_ids(SELECT_TRACKS, "t.id", &ids, |row: &TrackRow| row.id).await?;
        self.attach_artists(rows).await
    }

    async fn track_paths(&self, ids: &[TrackId]) -> Result<Vec<(TrackId, String)>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let rows: Vec<(i64, String)> =
            self.fetch_by_ids(SELECT_TRACK_PATHS, "id", &ids, |row: &(i64, String)| row.0).await?;
        Ok(rows.into_iter().map(|(id, path)| (TrackId(id), path)).collect())
    }

    async fn tracks_at_paths(&self, paths: &[String]) -> Result<Vec<(String, TrackId)>, StoreError> {
        let mut found = Vec::new();
        for chunk in paths.chunks(ROWS_PER_STATEMENT) {
            let mut query = sqlx::QueryBuilder::<DB>::new(SELECT_TRACK_PATHS);
            query.push(" WHERE path IN (");
            let mut separated = query.separated(", ");
            for path in chunk {
                separated.push_arg(path.as_str());
            }
            query.push(")");
            let rows: Vec<(i64, String)> = query.build_rows().fetch_all(&self.pool).await.map_err(query_error)?;
            found.extend(rows.into_iter().map(|(id, path)| (path, TrackId(id))));
        }
        Ok(found)
    }

    async fn albums_by_ids(&self, ids: &[AlbumId]) -> Result<Vec<AlbumSummary>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let rows = self.fetch_by_ids(SELECT_ALBUMS, "al.id", &ids, |row: &AlbumRow| row.id).await?;
        Ok(rows.into_iter().map(AlbumRow::into_summary).collect())
    }

    async fn artists_by_ids(&self, ids: &[ArtistId]) -> Result<Vec<ArtistSummary>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let rows = self.fetch_by_ids(SELECT_ARTISTS, "a.id", &ids, |row: &ArtistRow| row.id).await?;
        Ok(rows.into_iter().map(ArtistRow::into_summary).collect())
    }

    async fn set_album_premium_only(&self, id: AlbumId, premium_only: bool) -> Result<AlbumSummary, StoreError> {
        let updated = sqlx::query(SET_ALBUM_PREMIUM_ONLY)
            .arg(id.0)
            .arg(premium_only)
            .execute(&self.pool)
            .await
            .map_err(query_error)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::not_found("album", id));
        }
        Ok(self.fetch_by_id::<AlbumRow>(SELECT_ALBUMS, "al.id", "album", id.0).await?.into_summary())
    }
}
