//! What the store asks of a database engine, and the one store type built on it.

use sqlx::database::HasStatementCache;
use sqlx::migrate::{Migrate, Migrator};
use sqlx::pool::PoolOptions;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Connection, Database, Encode, FromRow, IntoArguments, Pool, Postgres, Sqlite, Type};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use tonearm_model::{LeaderJob, StoreError};

/// What the shared code needs to know of an engine beyond sqlx's `Database`: its name in
/// the API, and that it binds every [`Param`] and reads every [`Row`] (see `query.rs`).
pub trait Engine:
    Database<Arguments: IntoArguments<Self>, Connection: Migrate, QueryResult: RowsAffected> + HasStatementCache
{
    /// How `CatalogStore::engine` names it.
    const ENGINE: &'static str;
    /// `T` as this engine binds it: `T` itself, named so that generic code knows it binds.
    type Param<'q, T: Param<'q>>: Encode<'q, Self> + Type<Self> + From<T> + Send;
    /// `R` as this engine reads it: `R` itself, named so that generic code knows it reads.
    type Read<R: Row>: for<'r> FromRow<'r, Self::Row> + Into<R> + Send + Unpin;
}

/// Rows per multi-row statement: 3 binds a row stays far below SQLite's 32,766 limit.
pub(crate) const ROWS_PER_STATEMENT: usize = 1000;

/// Every store trait, on one engine's connection pool.
pub struct SqlStore<DB: Database> {
    pub(crate) pool: Pool<DB>,
    /// The engine's migrations, which `check_ready` expects applied.
    pub(crate) migrator: &'static Migrator,
    /// The jobs this process leads, for engines whose leases are the process's own.
    pub(crate) held: HeldJobs,
}

/// The jobs this process leads on an embedded store (`leadership.rs`): a SQLite file has
/// one node, so its leases are the process's own.
#[derive(Default, Clone)]
pub(crate) struct HeldJobs(Arc<Mutex<HashSet<LeaderJob>>>);

impl HeldJobs {
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<LeaderJob>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<DB: Engine> SqlStore<DB> {
    /// Connects with `options` and brings the schema up to date with `migrator`.
    pub(crate) async fn connect(
        pool: PoolOptions<DB>,
        options: <DB::Connection as Connection>::Options,
        migrator: &'static Migrator,
    ) -> Result<Self, StoreError> {
        let pool = pool.connect_with(options).await.map_err(StoreError::unavailable)?;
        migrator.run(&pool).await.map_err(StoreError::migration)?;
        Ok(Self { pool, migrator, held: Default::default() })
    }
}

/// A driver error as a store error: losing the connection is `Unavailable` (worth a retry
/// elsewhere), anything else a failed query.
pub(crate) fn query_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            StoreError::unavailable(error)
        }
        other => StoreError::query(other),
    }
}

/// The database is reachable but its schema lacks migrations this build knows.
#[derive(Debug, thiserror::Error)]
#[error("{count} migrations not applied")]
pub(crate) struct MissingMigrations {
    pub count: usize,
}

/// How many rows a statement changed: each driver reports it by its own method.
pub trait RowsAffected {
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

/// A value both engines bind, as the same Rust type, into a statement living for `'q`.
pub trait Param<'q>: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send {}

impl<'q, T> Param<'q> for T where T: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send {}

/// A row both engines read into the same Rust type.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
