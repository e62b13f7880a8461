//! Which albums are for Premium listeners only, as curation left them: the flag a copy made
//! earlier (a search index document) must be corrected by before it is shown.

use std::collections::HashMap;

use tonearm_domain::AlbumId;
use tonearm_model::{CatalogVersion, StoreError};

use crate::cache::{CatalogCache, kept_or_fetched};
use crate::stores::Catalog;

/// A flag is a few bytes; a catalog has far fewer albums than this.
const MAX_ALBUMS: usize = 65_536;

/// The albums' flags, kept per catalog version for 5 s (the catalog pages' bound): a change
/// on this node shows at once, one on another node sharing the database within seconds.
#[derive(Clone)]
pub struct PremiumAlbums {
    catalog: Catalog,
    flags: CatalogCache<AlbumId, (AlbumId, bool)>,
}

impl PremiumAlbums {
    pub fn new(catalog: Catalog, version: CatalogVersion) -> Self {
        Self { catalog, flags: CatalogCache::new(version, MAX_ALBUMS) }
    }

    /// Whether each of `ids` that still exists is for Premium listeners only.
    pub async fn of(&self, ids: &[AlbumId]) -> Result<HashMap<AlbumId, bool>, StoreError> {
        let fetch = |missing: Vec<AlbumId>| async move {
            let albums = self.catalog.albums_by_ids(&missing).await?;
            Ok(albums.into_iter().map(|album| (album.id, album.premium_only)).collect())
        };
        let flags = kept_or_fetched(&self.flags, ids, fetch, |&(id, _)| id).await?;
        Ok(flags.into_iter().collect())
    }
}
