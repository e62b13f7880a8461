//! The file behind a track, which every range request of a progressive stream and every
//! rendition file built from it needs: read from the catalog once per catalog version, not
//! once per request (a database round trip that cost more than sending a 1 MiB range).

use tonearm_domain::TrackId;
use tonearm_model::{CatalogVersion, StoreError, StreamSource};

use crate::cache::CatalogCache;
use crate::stores::Catalog;

/// A few megabytes at most (a source is a path and a few numbers).
const MAX_ENTRIES: usize = 16_384;

#[derive(Clone)]
pub struct StreamSources {
    catalog: Catalog,
    cache: CatalogCache<TrackId, StreamSource>,
}

impl StreamSources {
    pub fn new(catalog: Catalog, version: CatalogVersion) -> Self {
        Self { catalog, cache: CatalogCache::new(version, MAX_ENTRIES) }
    }

    pub async fn get(&self, id: TrackId) -> Result<StreamSource, StoreError> {
        let version = self.cache.version();
        if let Some(source) = self.cache.get(&id, version) {
            return Ok(source);
        }
        let source = self.catalog.stream_source(id).await?;
        self.cache.put(id, version, source.clone());
        Ok(source)
    }
}
