//! Accounts and their sessions: creation (the one path every account is made by), the
//! listener's preferences, the devices signed in, and what administrators change.

mod creation;
mod credentials;
pub mod throttle;

use std::sync::Arc;

pub use creation::{AccountError, create_account, ensure_demo_users, random_demo_password};
pub use credentials::{Credentials, SignIn};

use tonearm_domain::{Role, UserId};
use tonearm_model::{
    AccountChange, AuthStore, DownloadQuality, SessionSummary, SettingsChange, StreamingQuality, UserSettings,
    UserSummary,
};

use crate::clock::{now_millis, now_seconds};
use crate::error::{ServiceError, ServiceResult};
use crate::stores::Users;

/// Settings as a client names them (wire names, unchecked); `None` keeps a setting.
#[derive(Debug, Clone, Default)]
pub struct SettingsRequest {
    pub streaming_quality: Option<String>,
    pub download_quality: Option<String>,
    pub notifications: Option<bool>,
}

#[derive(Clone)]
pub struct Accounts {
    users: Users,
    auth: Arc<dyn AuthStore>,
}

impl Accounts {
    pub fn new(users: Users, auth: Arc<dyn AuthStore>) -> Self {
        Self { users, auth }
    }

    /// The account signed in with `session`. Reading the account anyway, it also honours
    /// sign-outs and disabled accounts at once (access tokens alone are honoured until
    /// they expire).
    pub async fn signed_in(&self, user: UserId, session: &str) -> ServiceResult<UserSummary> {
        if !self.auth.session_active(session).await? {
            return Err(ServiceError::Unauthenticated("this session was signed out"));
        }
        let account = self.users.user(user).await?;
        if account.disabled {
            return Err(ServiceError::Unauthenticated("this account is disabled"));
        }
        Ok(account)
    }

    /// The listener's preferences; each is at its default until changed.
    pub async fn settings(&self, user: UserId) -> ServiceResult<UserSettings> {
        Ok(self.users.settings(user).await?)
    }

    /// Changes only the settings `request` names, so two devices changing different
    /// settings do not undo each other; an unknown value changes nothing.
    pub async fn change_settings(&self, user: UserId, request: SettingsRequest) -> ServiceResult<UserSettings> {
        let change = SettingsChange {
            streaming_quality: request
                .streaming_quality
                .map(|raw| choice("streaming_quality", &raw, StreamingQuality::parse, StreamingQuality::NAMES))
                .transpose()?,
            download_quality: request
                .download_quality
                .map(|raw| choice("download_quality", &raw, DownloadQuality::parse, DownloadQuality::NAMES))
                .transpose()?,
            notifications: request.notifications,
        };
        Ok(self.users.change_settings(user, &change, now_millis()).await?)
    }

    /// The devices signed in to the account.
    pub async fn sessions(&self, user: UserId) -> ServiceResult<Vec<SessionSummary>> {
        Ok(self.auth.sessions(user).await?)
    }

    /// Signs one device out: its refresh token stops working.
    pub async fn sign_out(&self, user: UserId, session: &str) -> ServiceResult<()> {
        Ok(self.auth.revoke_session(user, session, now_seconds()).await?)
    }

    /// Signs every device out but `keep`'s (none when `None`); how many were signed out.
    pub async fn sign_out_everywhere(&self, user: UserId, keep: Option<&str>) -> ServiceResult<u64> {
        Ok(self.auth.revoke_all_sessions(user, keep, now_seconds()).await?)
    }

    /// Every account, oldest first.
    pub async fn list(&self) -> ServiceResult<Vec<UserSummary>> {
        Ok(self.users.list_users().await?)
    }

    /// Changes an account's role, tier or disabled flag, as the administrator `by` (`None`:
    /// the operator, at the command line); disabling signs the account out everywhere.
    /// Administrators cannot demote or disable themselves: someone must be left to undo it.
    pub async fn change(&self, by: Option<UserId>, id: UserId, change: &AccountChange) -> ServiceResult<UserSummary> {
        let locks_self_out = change.disabled == Some(true) || change.role == Some(Role::User);
        if by == Some(id) && locks_self_out {
            return Err(ServiceError::Conflict("administrators cannot demote or disable their own account".into()));
        }
        let user = self.users.change_account(id, change, now_millis()).await?;
        if change.disabled == Some(true) {
            self.auth.revoke_all_sessions(id, None, now_seconds()).await?;
        }
        tracing::info!(admin = ?by, user = %id, role = ?change.role, tier = ?change.tier, disabled = ?change.disabled, "account changed");
        Ok(user)
    }
}

/// One of a setting's values, or `invalid_setting` naming the ones there are.
fn choice<T>(setting: &str, raw: &str, parse: fn(&str) -> Option<T>, names: &[&str]) -> ServiceResult<T> {
    parse(raw).ok_or_else(|| {
        ServiceError::invalid("invalid_setting", format!("{setting} is one of {}, not `{raw}`", names.join(", ")))
    })
}
