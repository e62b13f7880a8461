//! `AuthStore` for both engines.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use tonearm_model::StoreError;

pub const SELECT_KEYS: &str = "SELECT kid, secret, created_at FROM signing_keys ORDER BY created_at";
pub const INSERT_KEY: &str = "INSERT INTO signing_keys (kid, secret, created_at) VALUES ($1, $2, $3)";
pub const DELETE_KEY: &str = "DELETE FROM signing_keys WHERE kid = $1";
pub const SELECT_CREDENTIALS: &str = "SELECT id, username, email, role, tier, disabled, created_at, password_hash \
    FROM users WHERE username_key = $1 AND NOT disabled";
pub const INSERT_CODE: &str = "INSERT INTO authorization_codes \
    (code_hash, client_id, user_id, redirect_uri, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
/// Deleting while reading makes a code single-use even under concurrent exchanges.
pub const TAKE_CODE: &str = "DELETE FROM authorization_codes WHERE code_hash = $1 \
    RETURNING code_hash, client_id, user_id, redirect_uri, code_challenge, expires_at";
pub const INSERT_SESSION: &str = "INSERT INTO sessions (id, user_id, client_id, created_at, last_used_at) \
    VALUES ($1, $2, $3, $4, $5)";
pub const INSERT_REFRESH: &str = "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)";
/// Spends a current token; no row means it is unknown, expired or already spent.
pub const SPEND_REFRESH: &str = "UPDATE refresh_tokens SET used_at = $2 \
    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING session_id";
pub const SPENT_REFRESH_SESSION: &str =
    "SELECT session_id FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL";
pub const ACTIVE_SESSION_USER: &str = "SELECT u.id, u.username, u.email, u.role, u.tier, u.disabled, u.created_at \
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.revoked_at IS NULL AND NOT u.disabled";
pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_used_at = $2 WHERE id = $1";
pub const REVOKE_SESSION: &str = "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
pub const REFRESH_SESSION: &str = "SELECT session_id FROM refresh_tokens WHERE token_hash = $1";
pub const USER_SESSIONS: &str = "SELECT id, client_id, created_at, last_used_at FROM sessions \
    WHERE user_id = $1 AND revoked_at IS NULL ORDER BY last_used_at DESC, id";
/// Scoped to the owner: one user can never sign out another's device.
pub const REVOKE_USER_SESSION: &str =
    "UPDATE sessions SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL";
pub const REVOKE_USER_SESSIONS: &str = "UPDATE sessions SET revoked_at = $2 \
    WHERE user_id = $1 AND revoked_at IS NULL AND id <> COALESCE($3, '')";
pub const SESSION_ACTIVE: &str = "SELECT COUNT(*) FROM sessions WHERE id = $1 AND revoked_at IS NULL";

pub fn encode_secret(secret: &[u8]) -> String {
    STANDARD.encode(secret)
}

pub fn decode_secret(text: &str) -> Result<Vec<u8>, StoreError> {
    STANDARD.decode(text).map_err(|_| StoreError::Corrupt("a signing key is not base64".into()))
}

macro_rules! impl_auth_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl tonearm_model::AuthStore for $store {
            async fn signing_keys(&self) -> Result<Vec<tonearm_model::SigningKeyRecord>, tonearm_model::StoreError> {
                let rows: Vec<(String, String, i64)> = sqlx::query_as($crate::oauth::SELECT_KEYS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                rows.into_iter()
                    .map(|(kid, secret, created_at)| {
                        Ok(tonearm_model::SigningKeyRecord {
                            kid,
                            secret: $crate::oauth::decode_secret(&secret)?,
                            created_at,
                        })
                    })
                    .collect()
            }

            async fn add_signing_key(
                &self,
                key: &tonearm_model::SigningKeyRecord,
            ) -> Result<(), tonearm_model::StoreError> {
                sqlx::query($crate::oauth::INSERT_KEY)
                    .bind(&key.kid)
                    .bind($crate::oauth::encode_secret(&key.secret))
                    .bind(key.created_at)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(())
            }

            async fn remove_signing_key(&self, kid: &str) -> Result<(), tonearm_model::StoreError> {
                sqlx::query($crate::oauth::DELETE_KEY)
                    .bind(kid)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(())
            }

            async fn credentials(
                &self,
                username_key: &str,
            ) -> Result<Option<(tonearm_model::UserSummary, String)>, tonearm_model::StoreError> {
                let row: Option<(i64, String, String, String, String, bool, i64, String)> =
                    sqlx::query_as($crate::oauth::SELECT_CREDENTIALS)
                        .bind(username_key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err($crate::engine::query_error)?;
                row.map(|(id, username, email, role, tier, disabled, created_at, hash)| {
                    Ok(($crate::users::into_summary((id, username, email, role, tier, disabled, created_at))?, hash))
                })
                .transpose()
            }

            async fn save_code(
                &self,
                code: &tonearm_model::AuthorizationCode,
            ) -> Result<(), tonearm_model::StoreError> {
                sqlx::query($crate::oauth::INSERT_CODE)
                    .bind(&code.code_hash)
                    .bind(&code.client_id)
                    .bind(code.user_id.0)
                    .bind(&code.redirect_uri)
                    .bind(&code.code_challenge)
                    .bind(code.expires_at)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(())
            }

            async fn take_code(
                &self,
                code_hash: &str,
                now: i64,
            ) -> Result<Option<tonearm_model::AuthorizationCode>, tonearm_model::StoreError> {
                let row: Option<(String, String, i64, String, String, i64)> = sqlx::query_as($crate::oauth::TAKE_CODE)
                    .bind(code_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(row
                    .map(|(code_hash, client_id, user_id, redirect_uri, code_challenge, expires_at)| {
                        tonearm_model::AuthorizationCode {
                            code_hash,
                            client_id,
                            user_id: tonearm_domain::UserId(user_id),
                            redirect_uri,
                            code_challenge,
                            expires_at,
                        }
                    })
                    .filter(|code| code.expires_at > now))
            }

            async fn start_session(
                &self,
                session_id: &str,
                user: tonearm_domain::UserId,
                client_id: &str,
                refresh_hash: &str,
                refresh_expires_at: i64,
                now: i64,
            ) -> Result<(), tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let mut tx = self.pool.begin().await.map_err(query_error)?;
                sqlx::query($crate::oauth::INSERT_SESSION)
                    .bind(session_id)
                    .bind(user.0)
                    .bind(client_id)
                    .bind(now)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error)?;
                sqlx::query($crate::oauth::INSERT_REFRESH)
                    .bind(refresh_hash)
                    .bind(session_id)
                    .bind(refresh_expires_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error)?;
                tx.commit().await.map_err(query_error)
            }

            async fn rotate_refresh(
                &self,
                old_hash: &str,
                new_hash: &str,
                new_expires_at: i64,
                now: i64,
            ) -> Result<tonearm_model::RefreshOutcome, tonearm_model::StoreError> {
                use tonearm_model::RefreshOutcome;
                use $crate::engine::query_error;
                let mut tx = self.pool.begin().await.map_err(query_error)?;
                let spent: Option<String> = sqlx::query_scalar($crate::oauth::SPEND_REFRESH)
                    .bind(old_hash)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query_error)?;
                let Some(session_id) = spent else {
                    // Presented again after it was spent: someone holds a copy. Revoke the family.
                    let reused: Option<String> = sqlx::query_scalar($crate::oauth::SPENT_REFRESH_SESSION)
                        .bind(old_hash)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(query_error)?;
                    let outcome = match reused {
                        Some(session_id) => {
                            sqlx::query($crate::oauth::REVOKE_SESSION)
                                .bind(&session_id)
                                .bind(now)
                                .execute(&mut *tx)
                                .await
                                .map_err(query_error)?;
                            RefreshOutcome::Reused
                        }
                        None => RefreshOutcome::Invalid,
                    };
                    tx.commit().await.map_err(query_error)?;
                    return Ok(outcome);
                };
                let user: Option<$crate::users::UserRow> = sqlx::query_as($crate::oauth::ACTIVE_SESSION_USER)
                    .bind(&session_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query_error)?;
                let Some(user) = user else {
                    tx.commit().await.map_err(query_error)?;
                    return Ok(RefreshOutcome::Invalid);
                };
                sqlx::query($crate::oauth::INSERT_REFRESH)
                    .bind(new_hash)
                    .bind(&session_id)
                    .bind(new_expires_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error)?;
                sqlx::query($crate::oauth::TOUCH_SESSION)
                    .bind(&session_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error)?;
                tx.commit().await.map_err(query_error)?;
                Ok(RefreshOutcome::Rotated { user: $crate::users::into_summary(user)?, session_id })
            }

            async fn revoke_by_refresh(&self, refresh_hash: &str, now: i64) -> Result<(), tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let session: Option<String> = sqlx::query_scalar($crate::oauth::REFRESH_SESSION)
                    .bind(refresh_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(query_error)?;
                if let Some(session_id) = session {
                    sqlx::query($crate::oauth::REVOKE_SESSION)
                        .bind(session_id)
                        .bind(now)
                        .execute(&self.pool)
                        .await
                        .map_err(query_error)?;
                }
                Ok(())
            }

            async fn sessions(
                &self,
                user: tonearm_domain::UserId,
            ) -> Result<Vec<tonearm_model::SessionSummary>, tonearm_model::StoreError> {
                let rows: Vec<(String, String, i64, i64)> = sqlx::query_as($crate::oauth::USER_SESSIONS)
                    .bind(user.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, client_id, created_at, last_used_at)| tonearm_model::SessionSummary {
                        id,
                        client_id,
                        created_at,
                        last_used_at,
                    })
                    .collect())
            }

            async fn revoke_session(
                &self,
                user: tonearm_domain::UserId,
                session_id: &str,
                now: i64,
            ) -> Result<(), tonearm_model::StoreError> {
                let revoked = sqlx::query($crate::oauth::REVOKE_USER_SESSION)
                    .bind(user.0)
                    .bind(session_id)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?
                    .rows_affected();
                if revoked == 0 {
                    return Err(tonearm_model::StoreError::not_found("session", session_id));
                }
                Ok(())
            }

            async fn revoke_all_sessions(
                &self,
                user: tonearm_domain::UserId,
                keep: Option<&str>,
                now: i64,
            ) -> Result<u64, tonearm_model::StoreError> {
                Ok(sqlx::query($crate::oauth::REVOKE_USER_SESSIONS)
                    .bind(user.0)
                    .bind(now)
                    .bind(keep)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?
                    .rows_affected())
            }

            async fn session_active(&self, session_id: &str) -> Result<bool, tonearm_model::StoreError> {
                let count: i64 = sqlx::query_scalar($crate::oauth::SESSION_ACTIVE)
                    .bind(session_id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(count > 0)
            }
        }
    };
}

pub(crate) use impl_auth_store;
