//! What the signed-in listener's tier allows, and the skip limit: the policy lives in
//! `tonearm_auth::policy`; this module asks it and keeps the skip count in the store.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use tonearm_auth::AccessClaims;
use tonearm_auth::policy::{self, TrackAccess};
use tonearm_model::{SkipOutcome, StreamSource};
use tonearm_domain::Tier;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::authentication::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::oauth::{OAuth, now_millis};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(entitlements))
}

#[derive(Serialize, ToSchema)]
struct Entitlements {
    tier: Tier,
    /// The highest lossy bitrate streamed; `null`: no cap, lossless included.
    max_stream_kbps: Option<u32>,
    lossless: bool,
    offline_downloads: bool,
    premium_releases: bool,
    skips: SkipAllowance,
}

#[derive(Serialize, ToSchema)]
struct SkipAllowance {
    /// Skips allowed per rolling hour; `null`: unlimited.
    per_hour: Option<u32>,
    /// Skips left now; `null`: unlimited.
    remaining: Option<u32>,
    /// Unix milliseconds when the oldest counted skip stops counting.
    next_skip_returns_at: Option<i64>,
}

/// What this account's tier allows, and how many skips are left this hour.
#[utoipa::path(get, path = "/api/v1/me/entitlements", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Entitlements), (status = 401, body = ErrorBody)))]
async fn entitlements(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
) -> Result<Json<Entitlements>, ApiError> {
    let rights = policy::entitlements(claims.tier);
    let skips = match policy::skip_limit(claims.tier) {
        None => SkipAllowance { per_hour: None, remaining: None, next_skip_returns_at: None },
        Some((limit, window_ms)) => {
            let counted = oauth.users.skips_since(claims.user(), now_millis() - window_ms).await?;
            SkipAllowance {
                per_hour: Some(limit),
                remaining: Some(limit.saturating_sub(counted.count)),
                next_skip_returns_at: counted.oldest_ms.map(|oldest| oldest + window_ms),
            }
        }
    };
    Ok(Json(Entitlements {
        tier: claims.tier,
        max_stream_kbps: rights.max_stream_kbps,
        lossless: rights.max_stream_kbps.is_none(),
        offline_downloads: rights.offline_downloads,
        premium_releases: rights.premium_releases,
        skips,
    }))
}

/// The facts of a track the streaming policy decides on.
pub fn track_access(source: &StreamSource) -> TrackAccess {
    TrackAccess {
        format: source.format,
        bitrate_kbps: source.bitrate_kbps.and_then(|kbps| u32::try_from(kbps).ok()),
        premium_only: source.premium_only,
    }
}

/// How a player asks for the next track: the query of `stream-url` and of the HLS entry.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NextTrack {
    /// `true` when the listener skipped the previous track to get here: counted against
    /// the free tier's hourly skip limit.
    #[serde(default)]
    #[param(required = false)]
    pub skip: bool,
}

/// Counts a skip against the listener's limit, or refuses it with `skip_limit_reached`.
pub async fn count_skip(oauth: &OAuth, claims: &AccessClaims) -> Result<(), ApiError> {
    let Some((limit, window_ms)) = policy::skip_limit(claims.tier) else {
        return Ok(());
    };
    let now_ms = now_millis();
    match oauth.users.record_skip(claims.user(), now_ms, now_ms - window_ms, limit).await? {
        SkipOutcome::Counted => Ok(()),
        SkipOutcome::LimitReached { oldest_skip_ms } => {
            Err(ApiError::NotEntitled(policy::skip_refusal(limit, oldest_skip_ms, now_ms)))
        }
    }
}
