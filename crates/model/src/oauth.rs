//! What the OAuth 2.0 server persists: signing keys, authorization codes, sessions and
//! their rotating refresh tokens.

use async_trait::async_trait;
use tonearm_domain::UserId;

use crate::{StoreError, UserSummary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeyRecord {
    pub kid: String,
    pub secret: Vec<u8>,
    pub created_at: i64,
}

/// A code issued by the authorize step, waiting to be exchanged once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationCode {
    pub code_hash: String,
    pub client_id: String,
    pub user_id: UserId,
    pub redirect_uri: String,
    pub code_challenge: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A signed-in device, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: String,
    pub client_id: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last token refresh.
    pub last_used_at: i64,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was current: it is now spent and its successor stored.
    Rotated { user: UserSummary, session_id: String },
    /// The token had been used before: its whole family (the session) is now revoked.
    Reused,
    /// Unknown, expired, or its session was revoked or signed out.
    Invalid,
}

#[async_trait]
pub trait AuthStore: Send + Sync + 'static {
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError>;
    async fn add_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError>;
    /// Deletes the signing key `kid`; an unknown `kid` is not an error.
    async fn remove_signing_key(&self, kid: &str) -> Result<(), StoreError>;

    /// The account and password hash of an enabled account with this name key.
    async fn credentials(&self, username_key: &str) -> Result<Option<(UserSummary, String)>, StoreError>;

    async fn save_code(&self, code: &AuthorizationCode) -> Result<(), StoreError>;
    /// Removes and returns the code if it exists and has not expired (`now` in seconds).
    async fn take_code(&self, code_hash: &str, now: i64) -> Result<Option<AuthorizationCode>, StoreError>;

    /// Opens a session (a signed-in device) with its first refresh token.
    async fn start_session(
        &self,
        session_id: &str,
        user: UserId,
        client_id: &str,
        refresh_hash: &str,
        refresh_expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Spends `old_hash` for `new_hash`, or revokes the family when `old_hash` was spent before.
    async fn rotate_refresh(
        &self,
        old_hash: &str,
        new_hash: &str,
        new_expires_at: i64,
        now: i64,
    ) -> Result<RefreshOutcome, StoreError>;

    /// Revokes the session a refresh token belongs to (RFC 7009); unknown tokens are ignored.
    async fn revoke_by_refresh(&self, refresh_hash: &str, now: i64) -> Result<(), StoreError>;

    /// Whether the session is still signed in.
    async fn session_active(&self, session_id: &str) -> Result<bool, StoreError>;

    /// The user's signed-in sessions, most recently used first.
    async fn sessions(&self, user: UserId) -> Result<Vec<SessionSummary>, StoreError>;

    /// Signs out one of the user's sessions; `NotFound` if it is not theirs or already out.
    async fn revoke_session(&self, user: UserId, session_id: &str, now: i64) -> Result<(), StoreError>;

    /// Signs out every session of the user but `keep` (the device asking, when it stays
    /// signed in); returns how many.
    async fn revoke_all_sessions(&self, user: UserId, keep: Option<&str>, now: i64) -> Result<u64, StoreError>;
}
