//! Browsing the catalog: artists, albums, tracks and genres, each a list in pages (in the
//! orders it supports) and a detail with its relations. The same for every listener, so
//! the JSON API caches these answers per catalog version (`http/response_cache.rs`).

use tonearm_domain::{AlbumId, ArtistId, GenreId, Page, Sort, TrackId};
use tonearm_model::{
    AlbumDetail, AlbumSummary, ArtistDetail, ArtistSummary, GenreDetail, GenreSummary, TrackDetail, TrackSummary,
};

use crate::catalog::pages::PageAsked;
use crate::error::ServiceResult;
use crate::stores::Catalog;

const ARTIST_SORTS: [Sort; 2] = [Sort::Name, Sort::DateAdded];
/// Albums and tracks have a year to sort by; artists and genres do not.
const ALBUM_AND_TRACK_SORTS: [Sort; 3] = [Sort::Name, Sort::DateAdded, Sort::Year];
const GENRE_SORTS: [Sort; 1] = [Sort::Name];

#[derive(Clone)]
pub struct Browse {
    catalog: Catalog,
}

impl Browse {
    pub fn new(catalog: Catalog) -> Self {
        Self { catalog }
    }

    /// By name or by date added.
    pub async fn artists(&self, asked: &PageAsked) -> ServiceResult<Page<ArtistSummary>> {
        Ok(self.catalog.list_artists(&asked.checked(&ARTIST_SORTS)?).await?)
    }

    pub async fn artist(&self, id: ArtistId) -> ServiceResult<ArtistDetail> {
        Ok(self.catalog.artist(id).await?)
    }

    /// By name, date added or year.
    pub async fn albums(&self, asked: &PageAsked) -> ServiceResult<Page<AlbumSummary>> {
        Ok(self.catalog.list_albums(&asked.checked(&ALBUM_AND_TRACK_SORTS)?).await?)
    }

    pub async fn album(&self, id: AlbumId) -> ServiceResult<AlbumDetail> {
        Ok(self.catalog.album(id).await?)
    }

    /// By name, date added or year.
    pub async fn tracks(&self, asked: &PageAsked) -> ServiceResult<Page<TrackSummary>> {
        Ok(self.catalog.list_tracks(&asked.checked(&ALBUM_AND_TRACK_SORTS)?).await?)
    }

    pub async fn track(&self, id: TrackId) -> ServiceResult<TrackDetail> {
        Ok(self.catalog.track(id).await?)
    }

    /// By name.
    pub async fn genres(&self, asked: &PageAsked) -> ServiceResult<Page<GenreSummary>> {
        Ok(self.catalog.list_genres(&asked.checked(&GENRE_SORTS)?).await?)
    }

    pub async fn genre(&self, id: GenreId) -> ServiceResult<GenreDetail> {
        Ok(self.catalog.genre(id).await?)
    }
}
