//! `StreamKeyStore` for both engines: one wrapped content key per track and rendition.

/// Inserts only for an existing track and only when the rendition has no key yet, so the
/// first writer wins on every node; the `SELECT` that follows returns the winner.
pub const INSERT_STREAM_KEY: &str = "INSERT INTO stream_keys (track_id, rendition, wrapped_key, created_at) \
    SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM tracks WHERE id = $1) \
    ON CONFLICT (track_id, rendition) DO NOTHING";
pub const SELECT_STREAM_KEY: &str = "SELECT wrapped_key FROM stream_keys WHERE track_id = $1 AND rendition = $2";

macro_rules! impl_stream_key_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl tonearm_catalog::StreamKeyStore for $store {
            async fn stream_key(
                &self,
                track: tonearm_domain::TrackId,
                rendition: &str,
            ) -> Result<Option<Vec<u8>>, tonearm_catalog::StoreError> {
                sqlx::query_scalar($crate::stream_keys::SELECT_STREAM_KEY)
                    .bind(track.0)
                    .bind(rendition)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)
            }

            async fn stream_key_or_insert(
                &self,
                track: tonearm_domain::TrackId,
                rendition: &str,
                candidate: &[u8],
                now_ms: i64,
            ) -> Result<Vec<u8>, tonearm_catalog::StoreError> {
                use $crate::engine::query_error;
                if let Some(wrapped) = self.stream_key(track, rendition).await? {
                    return Ok(wrapped);
                }
                sqlx::query($crate::stream_keys::INSERT_STREAM_KEY)
                    .bind(track.0)
                    .bind(rendition)
                    .bind(candidate)
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await
                    .map_err(query_error)?;
                let stored = self.stream_key(track, rendition).await?;
                stored.ok_or_else(|| tonearm_catalog::StoreError::not_found("track", track))
            }
        }
    };
}

pub(crate) use impl_stream_key_store;
