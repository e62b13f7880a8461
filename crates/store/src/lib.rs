//! Catalog stores for SQLite (embedded default) and PostgreSQL (scale-out). The engine is
//! chosen once, at start-up, from the database URL's scheme.
//!
//! How the two engines share one implementation: every store trait is implemented once,
//! for `SqlStore<DB>`, as plain Rust generic over the sqlx database `DB` (`engine.rs`);
//! the engines differ only in how they open and what they are called (`sqlite.rs`,
//! `postgres.rs`), and the SQL is the same text on both (`sql.rs` and the constants beside
//! each store). Generic code rather than one module per engine, so that each query path
//! is written once; rather than macros, so that every method is code an IDE follows and a
//! compiler error points into; and through `query.rs`, which binds and reads the types
//! both engines share, rather than sqlx's API directly, which would make every `impl`
//! list each bound and read type as a bound on `DB`.

mod catalog;
mod engine;
mod keyset;
mod leadership;
mod listening;
mod oauth;
mod play_batch;
mod play_writes;
mod playlists;
mod postgres;
mod query;
mod rows;
mod scan_batch;
mod scan_writes;
mod settings;
mod signals;
mod sql;
mod sqlite;
mod stream_keys;
mod users;

use std::sync::Arc;

pub use engine::SqlStore;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
use tonearm_model::{
    AuthStore, CatalogStore, Leadership, ListeningStore, PlaylistStore, SignalStore, StoreError, StreamKeyStore,
    UserStore,
};

/// The stores of one database, each behind its own trait.
#[derive(Clone)]
pub struct Stores {
    pub catalog: Arc<dyn CatalogStore>,
    pub users: Arc<dyn UserStore>,
    pub auth: Arc<dyn AuthStore>,
    pub listening: Arc<dyn ListeningStore>,
    pub playlists: Arc<dyn PlaylistStore>,
    pub stream_keys: Arc<dyn StreamKeyStore>,
    pub signals: Arc<dyn SignalStore>,
    pub leadership: Arc<dyn Leadership>,
}

impl Stores {
    fn of<S>(store: S) -> Self
    where
        S: CatalogStore
            + UserStore
            + AuthStore
            + ListeningStore
            + PlaylistStore
            + StreamKeyStore
            + SignalStore
            + Leadership,
    {
        let store = Arc::new(store);
        Self {
            catalog: store.clone(),
            users: store.clone(),
            auth: store.clone(),
            listening: store.clone(),
            playlists: store.clone(),
            stream_keys: store.clone(),
            signals: store.clone(),
            leadership: store,
        }
    }
}

/// A database URL whose scheme names no engine this build has.
#[derive(Debug, thiserror::Error)]
#[error("unsupported database url scheme in `{scheme}`: expected sqlite:// or postgres://")]
struct UnsupportedScheme {
    scheme: String,
}

/// Opens the database a URL names: `sqlite://…` or `postgres://…` / `postgresql://…`.
pub async fn open(url: &str) -> Result<Stores, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Stores::of(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Stores::of(PostgresStore::open(url).await?))
    } else {
        let scheme = url.split("://").next().unwrap_or(url).to_owned();
        Err(StoreError::unavailable(UnsupportedScheme { scheme }))
    }
}
