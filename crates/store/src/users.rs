//! `UserStore` for both engines: accounts, skips and settings.

use tonearm_domain::{Role, Tier, UserId};
use tonearm_model::{
    AccountChange, DownloadQuality, NewUser, SettingsChange, SkipCount, SkipOutcome, StoreError, StreamingQuality,
    UserSettings, UserStore, UserSummary,
};

use sqlx::Executor;

use crate::engine::{Engine, RowsAffected, SqlStore, query_error};
use crate::query::{Bind, query_as};

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
        _ => query_error(error),
    }
}

#[async_trait::async_trait]
impl<DB: Engine> UserStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_user(&self, user: &NewUser, now_ms: i64) -> Result<UserSummary, StoreError> {
        let row: UserRow = query_as(INSERT_USER)
            .arg(&user.username)
            .arg(&user.username_key)
            .arg(&user.email)
            .arg(&user.email_key)
            .arg(&user.password_hash)
            .arg(user.role.unwrap_or(Role::User).as_str())
            .arg(user.tier.as_str())
            .arg(now_ms)
            .arg(now_ms)
            .fetch_one(&self.pool)
            .await
            .map_err(insert_error)?;
        into_summary(row)
    }

    async fn user(&self, id: UserId) -> Result<UserSummary, StoreError> {
        let row: Option<UserRow> =
            query_as(SELECT_USER).arg(id.0).fetch_optional(&self.pool).await.map_err(query_error)?;
        into_summary(row.ok_or_else(|| StoreError::not_found("user", id))?)
    }

    async fn change_account(&self, id: UserId, change: &AccountChange, now_ms: i64) -> Result<UserSummary, StoreError> {
        let row: Option<UserRow> = query_as(CHANGE_ACCOUNT)
            .arg(id.0)
            .arg(change.role.map(Role::as_str))
            .arg(change.tier.map(Tier::as_str))
            .arg(change.disabled)
            .arg(now_ms)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error)?;
        into_summary(row.ok_or_else(|| StoreError::not_found("user", id))?)
    }

    async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        let deleted =
            sqlx::query(DELETE_USER).arg(id.0).execute(&self.pool).await.map_err(query_error)?.rows_affected();
        if deleted == 0 {
            return Err(StoreError::not_found("user", id));
        }
        Ok(())
    }

    async fn list_users(&self) -> Result<Vec<UserSummary>, StoreError> {
        let rows: Vec<UserRow> = query_as(SELECT_USERS).fetch_all(&self.pool).await.map_err(query_error)?;
        rows.into_iter().map(into_summary).collect()
    }

    async fn set_password_hash(&self, username_key: &str, password_hash: &str, now_ms: i64) -> Result<(), StoreError> {
        let updated = sqlx::query(SET_PASSWORD_HASH)
            .arg(username_key)
            .arg(password_hash)
            .arg(now_ms)
            .execute(&self.pool)
            .await
            .map_err(query_error)?
            .rows_affected();
        if updated == 0 {
            return Err(StoreError::not_found("user", username_key));
        }
        Ok(())
    }

    async fn record_skip(
        &self,
        user: UserId,
        now_ms: i64,
        window_start_ms: i64,
        limit: u32,
    ) -> Result<SkipOutcome, StoreError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        sqlx::query(FORGET_SKIPS).arg(user.0).arg(window_start_ms).execute(&mut *tx).await.map_err(query_error)?;
        let inserted = sqlx::query(INSERT_SKIP_WITHIN_LIMIT)
            .arg(user.0)
            .arg(now_ms)
            .arg(window_start_ms)
            .arg(i64::from(limit))
            .execute(&mut *tx)
            .await
            .map_err(query_error)?
            .rows_affected();
        let outcome = if inserted == 1 {
            SkipOutcome::Counted
        } else {
            let (_, oldest): (i64, Option<i64>) = query_as(COUNT_SKIPS)
                .arg(user.0)
                .arg(window_start_ms)
                .fetch_one(&mut *tx)
                .await
                .map_err(query_error)?;
            SkipOutcome::LimitReached { oldest_skip_ms: oldest.unwrap_or(now_ms) }
        };
        tx.commit().await.map_err(query_error)?;
        Ok(outcome)
    }

    async fn skips_since(&self, user: UserId, window_start_ms: i64) -> Result<SkipCount, StoreError> {
        let (count, oldest_ms): (i64, Option<i64>) =
            query_as(COUNT_SKIPS).arg(user.0).arg(window_start_ms).fetch_one(&self.pool).await.map_err(query_error)?;
        Ok(SkipCount { count: u32::try_from(count).unwrap_or(u32::MAX), oldest_ms })
    }

    async fn settings(&self, user: UserId) -> Result<UserSettings, StoreError> {
        let row: Option<crate::settings::SettingsRow> = query_as(crate::settings::SELECT_SETTINGS)
            .arg(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error)?;
        row.map_or_else(|| Ok(UserSettings::default()), crate::settings::into_settings)
    }

    async fn change_settings(
        &self,
        user: UserId,
        change: &SettingsChange,
        now_ms: i64,
    ) -> Result<UserSettings, StoreError> {
        let row: Option<crate::settings::SettingsRow> = query_as(crate::settings::UPSERT_SETTINGS)
            .arg(user.0)
            .arg(change.streaming_quality.map(StreamingQuality::as_str))
            .arg(change.download_quality.map(DownloadQuality::as_str))
            .arg(change.notifications)
            .arg(now_ms)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error)?;
        crate::settings::into_settings(row.ok_or_else(|| StoreError::not_found("user", user))?)
    }
}
