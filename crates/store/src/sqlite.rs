//! The embedded default: one SQLite file in the data directory, in WAL mode so readers
//! never wait for the scanner's writes.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};
use tonearm_model::StoreError;

use crate::engine::impl_catalog_store;
use crate::listening::impl_listening_store;
use crate::oauth::impl_auth_store;
use crate::playlists::impl_playlist_store;
use crate::stream_keys::impl_stream_key_store;
use crate::users::impl_user_store;

pub struct SqliteStore {
    pool: Pool<Sqlite>,
}

impl SqliteStore {
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

    /// Opens (creating if needed) the database at `url` (`sqlite://path`) and migrates it.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|error| StoreError::Unavailable(format!("invalid sqlite url: {error}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable across application crashes in WAL mode; only an OS crash can
            // lose the last transactions, which a rescan recreates.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Each pooled connection keeps its own page cache (SQLite's default is 2 MiB), so
            // eight connections held ~16 MiB of copies of pages the OS page cache holds anyway,
            // most of an idle server's heap; 512 KiB keeps each one's hot B-tree pages.
            .pragma("cache_size", "-512");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|error| StoreError::Unavailable(error.to_string()))?;
        Self::MIGRATOR.run(&pool).await.map_err(|error| StoreError::Migration(error.to_string()))?;
        Ok(Self { pool })
    }
}

impl_catalog_store!(SqliteStore, Sqlite, "sqlite");
impl_user_store!(SqliteStore);
impl_auth_store!(SqliteStore);
impl_listening_store!(SqliteStore, Sqlite);
impl_playlist_store!(SqliteStore, Sqlite);
impl_stream_key_store!(SqliteStore, sqlx::Sqlite);
