//! The scale-out store: PostgreSQL, shared by any number of stateless server nodes.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres};
use tonearm_model::StoreError;

use crate::engine::impl_catalog_store;
use crate::listening::impl_listening_store;
use crate::oauth::impl_auth_store;
use crate::playlists::impl_playlist_store;
use crate::stream_keys::impl_stream_key_store;
use crate::users::impl_user_store;

pub struct PostgresStore {
    pool: Pool<Postgres>,
}

impl PostgresStore {
    const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

    /// Connects to `url` (`postgres://…`; `?options[search_path]=s` selects a schema) and migrates.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|error| StoreError::Unavailable(format!("invalid postgres url: {error}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|error| StoreError::Unavailable(error.to_string()))?;
        Self::MIGRATOR.run(&pool).await.map_err(|error| StoreError::Migration(error.to_string()))?;
        Ok(Self { pool })
    }
}

impl_catalog_store!(PostgresStore, Postgres, "postgres");
impl_user_store!(PostgresStore);
impl_auth_store!(PostgresStore);
impl_listening_store!(PostgresStore, Postgres);
impl_playlist_store!(PostgresStore, Postgres);
impl_stream_key_store!(PostgresStore, sqlx::Postgres);
