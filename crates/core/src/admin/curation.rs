//! Curation of the catalog by administrators: which albums only Premium listeners may play.
//! Every change bumps the catalog version, so what is kept per version (catalog pages,
//! summaries, search's Premium flags) drops its copies at once and the search index is
//! rebuilt shortly after.

use tonearm_domain::{AlbumId, UserId};
use tonearm_model::{AlbumSummary, CatalogVersion};

use crate::error::ServiceResult;
use crate::stores::Catalog;

#[derive(Clone)]
pub struct Curation {
    catalog: Catalog,
    version: CatalogVersion,
}

impl Curation {
    pub fn new(catalog: Catalog, version: CatalogVersion) -> Self {
        Self { catalog, version }
    }

    /// Keeps `album` for Premium listeners (`premium_only`), or opens it to everyone; the
    /// change is logged with the `admin` who made it.
    pub async fn set_album_premium_only(
        &self,
        admin: UserId,
        album: AlbumId,
        premium_only: bool,
    ) -> ServiceResult<AlbumSummary> {
        let changed = self.catalog.set_album_premium_only(album, premium_only).await?;
        self.version.bump();
        tracing::info!(admin = %admin, album = album.0, premium_only, "album access changed");
        Ok(changed)
    }
}
