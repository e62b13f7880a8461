//! Who may hear what: the facts of a track the tier policy (`tonearm_auth::policy`) decides
//! on, and the free tier's hourly skip limit, kept in the store so every node counts the
//! same skips.

use tonearm_auth::AccessClaims;
use tonearm_auth::policy::{self, TrackAccess};
use tonearm_model::{SkipOutcome, StreamSource};

use crate::clock::now_millis;
use crate::error::{ServiceError, ServiceResult};
use crate::stores::Users;

/// The facts of a track the streaming policy decides on.
pub fn track_access(source: &StreamSource) -> TrackAccess {
    TrackAccess {
        format: source.format,
        bitrate_kbps: source.bitrate_kbps.and_then(|kbps| u32::try_from(kbps).ok()),
        premium_only: source.premium_only,
    }
}

/// What is left of a tier's skips this hour; all `None` when skips are unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkipAllowance {
    pub per_hour: Option<u32>,
    pub remaining: Option<u32>,
    /// Unix milliseconds when the oldest counted skip stops counting.
    pub next_skip_returns_at: Option<i64>,
}

#[derive(Clone)]
pub struct Skips {
    users: Users,
}

impl Skips {
    pub fn new(users: Users) -> Self {
        Self { users }
    }

    /// Counts a skip against the listener's limit, or refuses it with `skip_limit_reached`.
    pub async fn count(&self, claims: &AccessClaims) -> ServiceResult<()> {
        let Some((limit, window_ms)) = policy::skip_limit(claims.tier) else {
            return Ok(());
        };
        let now_ms = now_millis();
        match self.users.record_skip(claims.user(), now_ms, now_ms - window_ms, limit).await? {
            SkipOutcome::Counted => Ok(()),
            SkipOutcome::LimitReached { oldest_skip_ms } => {
                Err(ServiceError::NotEntitled(policy::skip_refusal(limit, oldest_skip_ms, now_ms)))
            }
        }
    }

    /// How many skips the listener has left this hour.
    pub async fn allowance(&self, claims: &AccessClaims) -> ServiceResult<SkipAllowance> {
        let Some((limit, window_ms)) = policy::skip_limit(claims.tier) else {
            return Ok(SkipAllowance { per_hour: None, remaining: None, next_skip_returns_at: None });
        };
        let counted = self.users.skips_since(claims.user(), now_millis() - window_ms).await?;
        Ok(SkipAllowance {
            per_hour: Some(limit),
            remaining: Some(limit.saturating_sub(counted.count)),
            next_skip_returns_at: counted.oldest_ms.map(|oldest| oldest + window_ms),
        })
    }
}
