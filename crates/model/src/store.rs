use async_trait::async_trait;
use tonearm_domain::{AlbumId, ArtistId, CoverId, GenreId, Page, PageRequest, TrackId};

use crate::{
    AlbumDetail, AlbumSummary, ArtistDetail, ArtistSummary, CatalogListing, CoverRecord, GenreDetail, GenreSummary,
    IndexedFile, ScanChange, ScanIssue, StoreError, StreamSource, TrackDetail, TrackSummary,
};

/// The catalog's persistence, implemented once per database engine and checked by one
/// shared conformance suite. Methods are object-safe so the engine is picked at start-up.
#[async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    /// The engine's name for logs and `/readyz`: `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;

    /// Succeeds when the database answers and every migration is applied.
    async fn check_ready(&self) -> Result<(), StoreError>;

    // --- ingest ---

    /// Every file the catalog holds, for the scan to decide what changed.
    async fn indexed_files(&self) -> Result<Vec<IndexedFile>, StoreError>;

    /// Paths currently reported as unreadable.
    async fn scan_issues(&self) -> Result<Vec<ScanIssue>, StoreError>;

    /// Applies a batch in one transaction: all of it lands or none of it.
    async fn apply_changes(&self, changes: &[ScanChange], now_ms: i64) -> Result<(), StoreError>;

    /// Removes albums, artists and genres no track refers to any more; returns how many.
    async fn prune_orphans(&self) -> Result<u64, StoreError>;

    async fn upsert_cover(&self, cover: &CoverRecord) -> Result<(), StoreError>;

    async fn cover(&self, id: &CoverId) -> Result<CoverRecord, StoreError>;

    // --- catalog reads ---

    async fn list_artists(&self, page: &PageRequest) -> Result<Page<ArtistSummary>, StoreError>;
    async fn artist(&self, id: ArtistId) -> Result<ArtistDetail, StoreError>;
    async fn list_albums(&self, page: &PageRequest) -> Result<Page<AlbumSummary>, StoreError>;
    async fn album(&self, id: AlbumId) -> Result<AlbumDetail, StoreError>;
    async fn list_tracks(&self, page: &PageRequest) -> Result<Page<TrackSummary>, StoreError>;
    async fn track(&self, id: TrackId) -> Result<TrackDetail, StoreError>;
    async fn list_genres(&self, page: &PageRequest) -> Result<Page<GenreSummary>, StoreError>;
    async fn genre(&self, id: GenreId) -> Result<GenreDetail, StoreError>;

    /// The whole catalog in a few queries, for building the search index; no order promised.
    async fn catalog_listing(&self) -> Result<CatalogListing, StoreError>;

    async fn stream_source(&self, id: TrackId) -> Result<StreamSource, StoreError>;

    /// Summaries of these tracks in the order given; ids that no longer exist are left out.
    async fn tracks_by_ids(&self, ids: &[TrackId]) -> Result<Vec<TrackSummary>, StoreError>;
    async fn albums_by_ids(&self, ids: &[AlbumId]) -> Result<Vec<AlbumSummary>, StoreError>;
    async fn artists_by_ids(&self, ids: &[ArtistId]) -> Result<Vec<ArtistSummary>, StoreError>;

    /// The file of each of these tracks that still exists, in the order given (playlist export).
    async fn track_paths(&self, ids: &[TrackId]) -> Result<Vec<(TrackId, String)>, StoreError>;

    /// The tracks at these file paths, as `(path, id)`; paths the catalog does not know are
    /// left out (playlist import).
    async fn tracks_at_paths(&self, paths: &[String]) -> Result<Vec<(String, TrackId)>, StoreError>;

    // --- curation ---

    /// Marks an album as for Premium listeners only, or not; `NotFound` if there is none.
    async fn set_album_premium_only(&self, id: AlbumId, premium_only: bool) -> Result<AlbumSummary, StoreError>;
}
