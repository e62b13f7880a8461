//! The scale-out store: PostgreSQL, shared by any number of stateless server nodes.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Postgres;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tonearm_model::StoreError;

use crate::engine::{Engine, Param, Row, SqlStore};

pub type PostgresStore = SqlStore<Postgres>;

impl PostgresStore {
    /// Connects to `url` (`postgres://…`; `?options[search_path]=s` selects a schema) and migrates.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|error| StoreError::Unavailable {
            message: format!("invalid postgres url: {error}"),
            source: error.into(),
        })?;
        let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10));
        Self::connect(pool, options, &MIGRATOR).await
    }
}

static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

impl Engine for Postgres {
    const ENGINE: &'static str = "postgres";
    type Param<'q, T: Param<'q>> = T;
    type Read<R: Row> = R;
}
