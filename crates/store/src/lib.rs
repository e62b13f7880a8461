//! Catalog stores for SQLite (embedded default) and PostgreSQL (scale-out). The engine is
//! chosen once, at start-up, from the database URL's scheme.

mod engine;
mod keyset;
mod postgres;
mod rows;
mod sql;
mod sqlite;

use std::sync::Arc;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
use tonearm_catalog::{CatalogStore, StoreError};

/// Opens the store a database URL names: `sqlite://…` or `postgres://…` / `postgresql://…`.
pub async fn open(url: &str) -> Result<Arc<dyn CatalogStore>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::Unavailable(format!(
            "unsupported database url scheme in `{}`: expected sqlite:// or postgres://",
            url.split("://").next().unwrap_or(url)
        )))
    }
}
