//! `AuthStore` for both engines.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use tonearm_domain::UserId;
use tonearm_model::{
    AuthStore, AuthorizationCode, RefreshOutcome, SessionSummary, SigningKeyRecord, StoreError, UserSummary,
};

use sqlx::Executor;

use crate::engine::{Engine, RowsAffected, SqlStore, query_error};
use crate::query::{Bind, query_as, query_scalar};

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

#[async_trait::async_trait]
impl<DB: Engine> AuthStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        let rows: Vec<(String, String, i64)> =
            query_as(SELECT_KEYS).fetch_all(&self.pool).await.map_err(query_error)?;
        rows.into_iter()
            .map(|(kid, secret, created_at)| Ok(SigningKeyRecord { kid, secret: decode_secret(&secret)?, created_at }))
            .collect()
    }

    async fn add_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError> {
        sqlx::query(INSERT_KEY)
            .arg(&key.kid)
            .arg(encode_secret(&key.secret))
            .arg(key.created_at)
            .execute(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(())
    }

    async fn remove_signing_key(&self, kid: &str) -> Result<(), StoreError> {
        sqlx::query(DELETE_KEY).arg(kid).execute(&self.pool).await.map_err(query_error)?;
        Ok(())
    }

    async fn credentials(&self, username_key: &str) -> Result<Option<(UserSummary, String)>, StoreError> {
        let row: Option<(i64, String, String, String, String, bool, i64, String)> =
            query_as(SELECT_CREDENTIALS).arg(username_key).fetch_optional(&self.pool).await.map_err(query_error)?;
        row.map(|(id, username, email, role, tier, disabled, created_at, hash)| {
            Ok((crate::users::into_summary((id, username, email, role, tier, disabled, created_at))?, hash))
        })
        .transpose()
    }

    async fn save_code(&self, code: &AuthorizationCode) -> Result<(), StoreError> {
        sqlx::query(INSERT_CODE)
            .arg(&code.code_hash)
            .arg(&code.client_id)
            .arg(code.user_id.0)
            .arg(&code.redirect_uri)
            .arg(&code.code_challenge)
            .arg(code.expires_at)
            .execute(&self.pool)
            .await
            .map_err(query_error)?;
        Ok(())
    }

    async fn take_code(&self, code_hash: &str, now: i64) -> Result<Option<AuthorizationCode>, StoreError> {
        let row: Option<(String, String, i64, String, String, i64)> =
            query_as(TAKE_CODE).arg(code_hash).fetch_optional(&self.pool).await.map_err(query_error)?;
        Ok(row
            .map(|(code_hash, client_id, user_id, redirect_uri, code_challenge, expires_at)| AuthorizationCode {
                code_hash,
                client_id,
                user_id: UserId(user_id),
                redirect_uri,
                code_challenge,
                expires_at,
            })
            .filter(|code| code.expires_at > now))
    }

    async fn start_session(
        &self,
        session_id: &str,
        user: UserId,
        client_id: &str,
        refresh_hash: &str,
        refresh_expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        sqlx::query(INSERT_SESSION)
            .arg(session_id)
            .arg(user.0)
            .arg(client_id)
            .arg(now)
            .arg(now)
            .execute(&mut *tx)
            .await
            .map_err(query_error)?;
        sqlx::query(INSERT_REFRESH)
            .arg(refresh_hash)
            .arg(session_id)
            .arg(refresh_expires_at)
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
    ) -> Result<RefreshOutcome, StoreError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        let spent: Option<String> =
            query_scalar(SPEND_REFRESH).arg(old_hash).arg(now).fetch_optional(&mut *tx).await.map_err(query_error)?;
        let Some(session_id) = spent else {
            // Presented again after it was spent: someone holds a copy. Revoke the family.
            let reused: Option<String> = query_scalar(SPENT_REFRESH_SESSION)
                .arg(old_hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(query_error)?;
            let outcome = match reused {
                Some(session_id) => {
                    sqlx::query(REVOKE_SESSION)
                        .arg(&session_id)
                        .arg(now)
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
        let user: Option<crate::users::UserRow> =
            query_as(ACTIVE_SESSION_USER).arg(&session_id).fetch_optional(&mut *tx).await.map_err(query_error)?;
        let Some(user) = user else {
            tx.commit().await.map_err(query_error)?;
            return Ok(RefreshOutcome::Invalid);
        };
        sqlx::query(INSERT_REFRESH)
            .arg(new_hash)
            .arg(&session_id)
            .arg(new_expires_at)
            .execute(&mut *tx)
            .await
            .map_err(query_error)?;
        sqlx::query(TOUCH_SESSION).arg(&session_id).arg(now).execute(&mut *tx).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(RefreshOutcome::Rotated { user: crate::users::into_summary(user)?, session_id })
    }

    async fn revoke_by_refresh(&self, refresh_hash: &str, now: i64) -> Result<(), StoreError> {
        let session: Option<String> =
            query_scalar(REFRESH_SESSION).arg(refresh_hash).fetch_optional(&self.pool).await.map_err(query_error)?;
        if let Some(session_id) = session {
            sqlx::query(REVOKE_SESSION).arg(session_id).arg(now).execute(&self.pool).await.map_err(query_error)?;
        }
        Ok(())
    }

    async fn sessions(&self, user: UserId) -> Result<Vec<SessionSummary>, StoreError> {
        let rows: Vec<(String, String, i64, i64)> =
            query_as(USER_SESSIONS).arg(user.0).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, client_id, created_at, last_used_at)| SessionSummary { id, client_id, created_at, last_used_at })
            .collect())
    }

    async fn revoke_session(&self, user: UserId, session_id: &str, now: i64) -> Result<(), StoreError> {
        let revoked = sqlx::query(REVOKE_USER_SESSION)
            .arg(user.0)
            .arg(session_id)
            .arg(now)
            .execute(&self.pool)
            .await
            .map_err(query_error)?
            .rows_affected();
        if revoked == 0 {
            return Err(StoreError::not_found("session", session_id));
        }
        Ok(())
    }

    async fn revoke_all_sessions(&self, user: UserId, keep: Option<&str>, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(REVOKE_USER_SESSIONS)
            .arg(user.0)
            .arg(now)
            .arg(keep)
            .execute(&self.pool)
            .await
            .map_err(query_error)?
            .rows_affected())
    }

    async fn session_active(&self, session_id: &str) -> Result<bool, StoreError> {
        let count: i64 =
            query_scalar(SESSION_ACTIVE).arg(session_id).fetch_one(&self.pool).await.map_err(query_error)?;
        Ok(count > 0)
    }
}
