//! The embedded default: one SQLite file in the data directory, in WAL mode so readers
//! never wait for the scanner's writes.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tonearm_model::StoreError;

use crate::engine::{Engine, Param, Row, SqlStore};

pub type SqliteStore = SqlStore<Sqlite>;

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path`) and migrates it.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|error| StoreError::Unavailable {
                message: format!("invalid sqlite url: {error}"),
                source: error.into(),
            })?
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
        Self::connect(SqlitePoolOptions::new().max_connections(8), options, &MIGRATOR).await
    }
}

static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

impl Engine for Sqlite {
    const ENGINE: &'static str = "sqlite";
    type Param<'q, T: Param<'q>> = T;
    type Read<R: Row> = R;
}
