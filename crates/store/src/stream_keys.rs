//! `StreamKeyStore` for both engines: one wrapped content key per track and rendition.

pub const SELECT_STREAM_KEY: &str = "SELECT wrapped_key FROM stream_keys WHERE track_id = $1 AND rendition = $2";
pub const SELECT_STREAM_KEYS: &str = "SELECT rendition, wrapped_key FROM stream_keys WHERE track_id = $1";

macro_rules! impl_stream_key_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl tonearm_model::StreamKeyStore for $store {
            async fn stream_key(
                &self,
                track: tonearm_domain::TrackId,
                rendition: &str,
            ) -> Result<Option<Vec<u8>>, tonearm_model::StoreError> {
                sqlx::query_scalar($crate::stream_keys::SELECT_STREAM_KEY)
                    .bind(track.0)
                    .bind(rendition)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)
            }

            async fn stream_keys(
                &self,
                track: tonearm_domain::TrackId,
            ) -> Result<Vec<(String, Vec<u8>)>, tonearm_model::StoreError> {
                sqlx::query_as($crate::stream_keys::SELECT_STREAM_KEYS)
                    .bind(track.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)
            }

            /// Keys once made are read in one query (every listener's master request after
            /// the first); otherwise one multi-row insert that keeps existing keys, and the
            /// same query reads back the winners.
            async fn stream_keys_or_insert(
                &self,
                track: tonearm_domain::TrackId,
                candidates: &[(&str, &[u8])],
                now_ms: i64,
            ) -> Result<Vec<Vec<u8>>, tonearm_model::StoreError> {
                use tonearm_model::keys_in_order;
                let renditions: Vec<&str> = candidates.iter().map(|(rendition, _)| *rendition).collect();
                if let Some(keys) = keys_in_order(&self.stream_keys(track).await?, &renditions) {
                    return Ok(keys);
                }
                // Inserts only for an existing track and only where the rendition has no key
                // yet, so the first writer wins on every node. `VALUES` names its columns
                // `column1`, `column2` in both engines.
                let mut insert = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO stream_keys (track_id, rendition, wrapped_key, created_at) SELECT ",
                );
                insert.push_bind(track.0).push(", candidate.column1, candidate.column2, ").push_bind(now_ms);
                insert.push(" FROM (VALUES ");
                let mut rows = insert.separated(", ");
                for (rendition, key) in candidates {
                    rows.push("(").push_bind_unseparated(*rendition).push_unseparated(", ");
                    rows.push_bind_unseparated(*key).push_unseparated(")");
                }
                insert.push(") AS candidate WHERE EXISTS (SELECT 1 FROM tracks WHERE id = ");
                insert.push_bind(track.0).push(") ON CONFLICT (track_id, rendition) DO NOTHING");
                insert.build().execute(&self.pool).await.map_err($crate::engine::query_error)?;
                keys_in_order(&self.stream_keys(track).await?, &renditions)
                    .ok_or_else(|| tonearm_model::StoreError::not_found("track", track))
            }
        }
    };
}

pub(crate) use impl_stream_key_store;
