//! Accounts and their signed-in devices, as `/me` and the admin routes show them.

use serde::{Deserialize, Serialize};
use tonearm_domain::{Role, Tier, UserId};
use tonearm_model as model;
use utoipa::ToSchema;

/// What an administrator changes about an account; `None` leaves a field as it is.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountChange {
    pub role: Option<Role>,
    pub tier: Option<Tier>,
    pub disabled: Option<bool>,
}

/// An account without its secrets.
#[derive(Debug, Serialize, ToSchema)]
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

/// A signed-in device, as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionSummary {
    pub id: String,
    pub client_id: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last token refresh.
    pub last_used_at: i64,
}

convert_fields!(AccountChange => model::AccountChange { role, tier, disabled });
convert_fields!(model::UserSummary => UserSummary { id, username, email, role, tier, disabled, created_at });
convert_fields!(model::SessionSummary => SessionSummary { id, client_id, created_at, last_used_at });
