//! Accounts as stored: what sign-up hands the store and what admin views read back.

use async_trait::async_trait;
use tonearm_domain::{Role, Tier, UserId};

use crate::{SettingsChange, StoreError, UserSettings};

/// A validated account to create; the password is already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub username_key: String,
    pub email: String,
    pub email_key: String,
    pub password_hash: String,
    /// `None`: admin if this is the instance's first account, else a plain user.
    pub role: Option<Role>,
    pub tier: Tier,
}

/// What an administrator changes about an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountChange {
    pub role: Option<Role>,
    pub tier: Option<Tier>,
    pub disabled: Option<bool>,
}

/// An account without its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub tier: Tier,
    pub disabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// Skips counted in a rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkipCount {
    pub count: u32,
    /// Unix milliseconds of the oldest counted skip.
    pub oldest_ms: Option<i64>,
}

/// What became of a skip counted against a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipOutcome {
    Counted,
    /// The limit was reached: nothing was recorded.
    LimitReached {
        oldest_skip_ms: i64,
    },
}

#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// Creates the account; `Conflict` when the name or email (by key) is taken.
    async fn create_user(&self, user: &NewUser, now_ms: i64) -> Result<UserSummary, StoreError>;

    async fn user(&self, id: UserId) -> Result<UserSummary, StoreError>;

    /// Every account, oldest first.
    async fn list_users(&self) -> Result<Vec<UserSummary>, StoreError>;

    /// Applies `change` to the account; `NotFound` if there is none.
    async fn change_account(&self, id: UserId, change: &AccountChange, now_ms: i64) -> Result<UserSummary, StoreError>;

    /// Deletes the account and, by cascade, everything that is only its own.
    async fn delete_user(&self, id: UserId) -> Result<(), StoreError>;

    /// Replaces the password hash of the account with this name key; `NotFound` if none.
    async fn set_password_hash(&self, username_key: &str, password_hash: &str, now_ms: i64) -> Result<(), StoreError>;

    /// Records a skip at `now_ms` unless `limit` skips already happened after
    /// `window_start_ms`; skips before the window are forgotten.
    async fn record_skip(
        &self,
        user: UserId,
        now_ms: i64,
        window_start_ms: i64,
        limit: u32,
    ) -> Result<SkipOutcome, StoreError>;

    /// The skips after `window_start_ms`.
    async fn skips_since(&self, user: UserId, window_start_ms: i64) -> Result<SkipCount, StoreError>;

    /// The account's preferences; defaults for those never set.
    async fn settings(&self, user: UserId) -> Result<UserSettings, StoreError>;

    /// Sets what `change` names, keeps the rest, and returns them all; `NotFound` if there
    /// is no such account.
    async fn change_settings(
        &self,
        user: UserId,
        change: &SettingsChange,
        now_ms: i64,
    ) -> Result<UserSettings, StoreError>;
}
