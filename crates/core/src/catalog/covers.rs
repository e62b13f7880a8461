//! Cover images of albums, tracks and playlists, at the size asked for: thumbnails are made
//! once per size and kept on disk (`tonearm_ingest::CoverStore`).

use tonearm_domain::CoverId;
use tonearm_ingest::{CoverStore, THUMBNAIL_SIZES};

use crate::error::{ServiceError, ServiceResult};
use crate::stores::{Catalog, Playlists};

/// The size served when none is asked for.
const DEFAULT_SIZE: u32 = 300;

/// A thumbnail's bytes and their media type.
#[derive(Debug, Clone)]
pub struct CoverImage {
    pub bytes: Vec<u8>,
    pub mime_type: &'static str,
}

#[derive(Clone)]
pub struct Covers {
    catalog: Catalog,
    playlists: Playlists,
    store: CoverStore,
}

impl Covers {
    pub fn new(catalog: Catalog, playlists: Playlists, store: CoverStore) -> Self {
        Self { catalog, playlists, store }
    }

    /// The cover `raw_id` at the next thumbnail size at or above `size` (1 to 1200; 300
    /// when left out). A cover that is neither catalogued nor a playlist's is not found.
    pub async fn thumbnail(&self, raw_id: &str, size: Option<u32>) -> ServiceResult<CoverImage> {
        let id =
            CoverId::parse(raw_id).ok_or_else(|| ServiceError::NotFound(format!("cover {raw_id} does not exist")))?;
        let requested = size.unwrap_or(DEFAULT_SIZE);
        let largest = THUMBNAIL_SIZES[THUMBNAIL_SIZES.len() - 1];
        if requested == 0 || requested > largest {
            return Err(ServiceError::invalid("invalid_size", format!("size must be between 1 and {largest}")));
        }
        // Album and track covers are catalogued; a playlist's mosaic only by the playlist.
        if let Err(error) = self.catalog.cover(&id).await
            && !self.playlists.is_playlist_cover(&id).await?
        {
            return Err(error.into());
        }
        let store = self.store.clone();
        let thumbnail = tokio::task::spawn_blocking(move || store.thumbnail(&id, requested))
            .await
            .map_err(|error| ServiceError::internal("the cover task failed", error))?
            .map_err(|error| ServiceError::internal("a cover could not be resized", error))?;
        let bytes = tokio::fs::read(&thumbnail.path)
            .await
            .map_err(|error| ServiceError::internal("reading a thumbnail failed", error))?;
        Ok(CoverImage { bytes, mime_type: thumbnail.mime_type })
    }
}
