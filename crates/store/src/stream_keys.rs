//! `StreamKeyStore` for both engines: one wrapped content key per track and rendition.

use sqlx::Executor;
use tonearm_domain::TrackId;
use tonearm_model::{StoreError, StreamKeyStore, keys_in_order};

use crate::engine::{Engine, SqlStore, query_error};
use crate::query::{Bind, PushArg, PushArgUnseparated, query_as, query_scalar};

pub const SELECT_STREAM_KEY: &str = "SELECT wrapped_key FROM stream_keys WHERE track_id = $1 AND rendition = $2";
pub const SELECT_STREAM_KEYS: &str = "SELECT rendition, wrapped_key FROM stream_keys WHERE track_id = $1";

#[async_trait::async_trait]
impl<DB: Engine> StreamKeyStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn stream_key(&self, track: TrackId, rendition: &str) -> Result<Option<Vec<u8>>, StoreError> {
        query_scalar(SELECT_STREAM_KEY)
            .arg(track.0)
            .arg(rendition)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error)
    }

    async fn stream_keys(&self, track: TrackId) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        query_as(SELECT_STREAM_KEYS).arg(track.0).fetch_all(&self.pool).await.map_err(query_error)
    }

    /// Keys once made are read in one query (every listener's master request after
    /// the first); otherwise one multi-row insert that keeps existing keys, and the
    /// same query reads back the winners.
    async fn stream_keys_or_insert(
        &self,
        track: TrackId,
        candidates: &[(&str, &[u8])],
        now_ms: i64,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        let renditions: Vec<&str> = candidates.iter().map(|(rendition, _)| *rendition).collect();
        if let Some(keys) = keys_in_order(&self.stream_keys(track).await?, &renditions) {
            return Ok(keys);
        }
        // Inserts only for an existing track and only where the rendition has no key
        // yet, so the first writer wins on every node. `VALUES` names its columns
        // `column1`, `column2` in both engines.
        let mut insert = sqlx::QueryBuilder::<DB>::new(
            "INSERT INTO stream_keys (track_id, rendition, wrapped_key, created_at) SELECT ",
        );
        insert.push_arg(track.0).push(", candidate.column1, candidate.column2, ").push_arg(now_ms);
        insert.push(" FROM (VALUES ");
        let mut rows = insert.separated(", ");
        for (rendition, key) in candidates {
            rows.push("(").push_arg_unseparated(*rendition).push_unseparated(", ");
            rows.push_arg_unseparated(*key).push_unseparated(")");
        }
        insert.push(") AS candidate WHERE EXISTS (SELECT 1 FROM tracks WHERE id = ");
        insert.push_arg(track.0).push(") ON CONFLICT (track_id, rendition) DO NOTHING");
        insert.build().execute(&self.pool).await.map_err(query_error)?;
        keys_in_order(&self.stream_keys(track).await?, &renditions).ok_or_else(|| StoreError::not_found("track", track))
    }
}
