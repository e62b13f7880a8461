//! Catalog stores for SQLite (embedded default) and PostgreSQL (scale-out). The engine is
//! chosen once, at start-up, from the database URL's scheme.

mod engine;
mod keyset;
mod listening;
mod oauth;
mod play_batch;
mod playlists;
mod postgres;
mod rows;
mod settings;
mod sql;
mod sqlite;
mod stream_keys;
mod users;

use std::sync::Arc;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
use tonearm_model::{AuthStore, CatalogStore, ListeningStore, PlaylistStore, StoreError, StreamKeyStore, UserStore};

/// The stores of one database, each behind its own trait.
#[derive(Clone)]
pub struct Stores {
    pub catalog: Arc<dyn CatalogStore>,
    pub users: Arc<dyn UserStore>,
    pub auth: Arc<dyn AuthStore>,
    pub listening: Arc<dyn ListeningStore>,
    pub playlists: Arc<dyn PlaylistStore>,
    pub stream_keys: Arc<dyn StreamKeyStore>,
}

impl Stores {
    fn of<S: CatalogStore + UserStore + AuthStore + ListeningStore + PlaylistStore + StreamKeyStore>(store: S) -> Self {
        let store = Arc::new(store);
        Self {
            catalog: store.clone(),
            users: store.clone(),
            auth: store.clone(),
            listening: store.clone(),
            playlists: store.clone(),
            stream_keys: store,
        }
    }
}

/// Opens the database a URL names: `sqlite://…` or `postgres://…` / `postgresql://…`.
pub async fn open(url: &str) -> Result<Stores, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Stores::of(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Stores::of(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::Unavailable(format!(
            "unsupported database url scheme in `{}`: expected sqlite:// or postgres://",
            url.split("://").next().unwrap_or(url)
        )))
    }
}
