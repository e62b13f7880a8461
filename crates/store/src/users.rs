//! `UserStore` for both engines, stamped out like the catalog store.

use tonearm_domain::{Role, Tier, UserId};
use tonearm_model::{StoreError, UserSummary};

/// The first account of an instance becomes its admin, decided in the same statement
/// that inserts it.
pub const INSERT_USER: &str = "INSERT INTO users \
    (username, username_key, email, email_key, password_hash, role, tier, created_at, updated_at) \
    SELECT $1, $2, $3, $4, $5, CASE WHEN EXISTS (SELECT 1 FROM users) THEN $6 ELSE 'admin' END, $7, $8, $9 \
    RETURNING id, username, email, role, tier, disabled, created_at";

pub const SELECT_USER: &str = "SELECT id, username, email, role, tier, disabled, created_at FROM users WHERE id = $1";

pub const SELECT_USERS: &str =
    "SELECT id, username, email, role, tier, disabled, created_at FROM users ORDER BY created_at, id";

pub const SET_PASSWORD_HASH: &str = "UPDATE users SET password_hash = $2, updated_at = $3 WHERE username_key = $1";

pub const CHANGE_ACCOUNT: &str = "UPDATE users SET role = COALESCE($2, role), tier = COALESCE($3, tier), \
    disabled = COALESCE($4, disabled), updated_at = $5 WHERE id = $1 \
    RETURNING id, username, email, role, tier, disabled, created_at";
pub const DELETE_USER: &str = "DELETE FROM users WHERE id = $1";

pub const FORGET_SKIPS: &str = "DELETE FROM skips WHERE user_id = $1 AND skipped_at <= $2";
/// Counts and inserts in one statement, so the limit holds without a read-then-write gap.
pub const INSERT_SKIP_WITHIN_LIMIT: &str = "INSERT INTO skips (user_id, skipped_at) SELECT $1, $2 \
    WHERE (SELECT COUNT(*) FROM skips WHERE user_id = $1 AND skipped_at > $3) < $4";
pub const COUNT_SKIPS: &str = "SELECT COUNT(*), MIN(skipped_at) FROM skips WHERE user_id = $1 AND skipped_at > $2";

pub type UserRow = (i64, String, String, String, String, bool, i64);

pub fn into_summary(
    (id, username, email, role, tier, disabled, created_at): UserRow,
) -> Result<UserSummary, StoreError> {
    Ok(UserSummary {
        id: UserId(id),
        username,
        email,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role `{role}`")))?,
        tier: Tier::parse(&tier).ok_or_else(|| StoreError::Corrupt(format!("unknown tier `{tier}`")))?,
        disabled,
        created_at,
    })
}

/// Unique violations become `Conflict`, naming what is taken.
pub fn insert_error(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(database) if database.is_unique_violation() => {
            if database.message().contains("email") || database.constraint().is_some_and(|c| c.contains("email")) {
                StoreError::Conflict("that email address")
            } else {
                StoreError::Conflict("that user name")
            }
        }
        _ => crate::engine::query_error(error),
    }
}

macro_rules! impl_user_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl tonearm_model::UserStore for $store {
            async fn create_user(
                &self,
                user: &tonearm_model::NewUser,
                now_ms: i64,
            ) -> Result<tonearm_model::UserSummary, tonearm_model::StoreError> {
                let row: $crate::users::UserRow = sqlx::query_as($crate::users::INSERT_USER)
                    .bind(&user.username)
                    .bind(&user.username_key)
                    .bind(&user.email)
                    .bind(&user.email_key)
                    .bind(&user.password_hash)
                    .bind(user.role.unwrap_or(tonearm_domain::Role::User).as_str())
                    .bind(user.tier.as_str())
                    .bind(now_ms)
                    .bind(now_ms)
                    .fetch_one(&self.pool)
                    .await
                    .map_err($crate::users::insert_error)?;
                $crate::users::into_summary(row)
            }

            async fn user(
                &self,
                id: tonearm_domain::UserId,
            ) -> Result<tonearm_model::UserSummary, tonearm_model::StoreError> {
                let row: Option<$crate::users::UserRow> = sqlx::query_as($crate::users::SELECT_USER)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                $crate::users::into_summary(row.ok_or_else(|| tonearm_model::StoreError::not_found("user", id))?)
            }

            async fn change_account(
                &self,
                id: tonearm_domain::UserId,
                change: &tonearm_model::AccountChange,
                now_ms: i64,
            ) -> Result<tonearm_model::UserSummary, tonearm_model::StoreError> {
                let row: Option<$crate::users::UserRow> = sqlx::query_as($crate::users::CHANGE_ACCOUNT)
                    .bind(id.0)
                    .bind(change.role.map(tonearm_domain::Role::as_str))
                    .bind(change.tier.map(tonearm_domain::Tier::as_str))
                    .bind(change.disabled)
                    .bind(now_ms)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                $crate::users::into_summary(row.ok_or_else(|| tonearm_model::StoreError::not_found("user", id))?)
            }

            async fn delete_user(&self, id: tonearm_domain::UserId) -> Result<(), tonearm_model::StoreError> {
                let deleted = sqlx::query($crate::users::DELETE_USER)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?
                    .rows_affected();
                if deleted == 0 {
                    return Err(tonearm_model::StoreError::not_found("user", id));
                }
                Ok(())
            }

            async fn list_users(&self) -> Result<Vec<tonearm_model::UserSummary>, tonearm_model::StoreError> {
                let rows: Vec<$crate::users::UserRow> = sqlx::query_as($crate::users::SELECT_USERS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                rows.into_iter().map($crate::users::into_summary).collect()
            }

            async fn set_password_hash(
                &self,
                username_key: &str,
                password_hash: &str,
                now_ms: i64,
            ) -> Result<(), tonearm_model::StoreError> {
                let updated = sqlx::query($crate::users::SET_PASSWORD_HASH)
                    .bind(username_key)
                    .bind(password_hash)
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?
                    .rows_affected();
                if updated == 0 {
                    return Err(tonearm_model::StoreError::not_found("user", username_key));
                }
                Ok(())
            }

            async fn record_skip(
                &self,
                user: tonearm_domain::UserId,
                now_ms: i64,
                window_start_ms: i64,
                limit: u32,
            ) -> Result<tonearm_model::SkipOutcome, tonearm_model::StoreError> {
                use $crate::engine::query_error;
                let mut tx = self.pool.begin().await.map_err(query_error)?;
                sqlx::query($crate::users::FORGET_SKIPS)
                    .bind(user.0)
                    .bind(window_start_ms)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error)?;
                let inserted = sqlx::query($crate::users::INSERT_SKIP_WITHIN_LIMIT)
                    .bind(user.0)
                    .bind(now_ms)
                    .bind(window_start_ms)
                    .bind(i64::from(limit))
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error)?
                    .rows_affected();
                let outcome = if inserted == 1 {
                    tonearm_model::SkipOutcome::Counted
                } else {
                    let (_, oldest): (i64, Option<i64>) = sqlx::query_as($crate::users::COUNT_SKIPS)
                        .bind(user.0)
                        .bind(window_start_ms)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(query_error)?;
                    tonearm_model::SkipOutcome::LimitReached { oldest_skip_ms: oldest.unwrap_or(now_ms) }
                };
                tx.commit().await.map_err(query_error)?;
                Ok(outcome)
            }

            async fn skips_since(
                &self,
                user: tonearm_domain::UserId,
                window_start_ms: i64,
            ) -> Result<tonearm_model::SkipCount, tonearm_model::StoreError> {
                let (count, oldest_ms): (i64, Option<i64>) = sqlx::query_as($crate::users::COUNT_SKIPS)
                    .bind(user.0)
                    .bind(window_start_ms)
                    .fetch_one(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                Ok(tonearm_model::SkipCount { count: u32::try_from(count).unwrap_or(u32::MAX), oldest_ms })
            }

            async fn settings(
                &self,
                user: tonearm_domain::UserId,
            ) -> Result<tonearm_model::UserSettings, tonearm_model::StoreError> {
                let row: Option<$crate::settings::SettingsRow> = sqlx::query_as($crate::settings::SELECT_SETTINGS)
                    .bind(user.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                row.map_or_else(|| Ok(tonearm_model::UserSettings::default()), $crate::settings::into_settings)
            }

            async fn change_settings(
                &self,
                user: tonearm_domain::UserId,
                change: &tonearm_model::SettingsChange,
                now_ms: i64,
            ) -> Result<tonearm_model::UserSettings, tonearm_model::StoreError> {
                let row: Option<$crate::settings::SettingsRow> = sqlx::query_as($crate::settings::UPSERT_SETTINGS)
                    .bind(user.0)
                    .bind(change.streaming_quality.map(tonearm_model::StreamingQuality::as_str))
                    .bind(change.download_quality.map(tonearm_model::DownloadQuality::as_str))
                    .bind(change.notifications)
                    .bind(now_ms)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::engine::query_error)?;
                $crate::settings::into_settings(row.ok_or_else(|| tonearm_model::StoreError::not_found("user", user))?)
            }
        }
    };
}

pub(crate) use impl_user_store;
