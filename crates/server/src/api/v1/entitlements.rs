//! `GET /api/v1/me/entitlements`: what the signed-in listener's tier allows (decided by
//! `tonearm_auth::policy`) and how many skips are left this hour (`tonearm_core`'s `Skips`).

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use tonearm_auth::policy;
use tonearm_core::streaming::access::{self, Skips};
use tonearm_domain::Tier;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
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

impl From<access::SkipAllowance> for SkipAllowance {
    fn from(allowance: access::SkipAllowance) -> Self {
        let access::SkipAllowance { per_hour, remaining, next_skip_returns_at } = allowance;
        Self { per_hour, remaining, next_skip_returns_at }
    }
}

/// What this account's tier allows, and how many skips are left this hour.
#[utoipa::path(get, path = "/api/v1/me/entitlements", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Entitlements), (status = 401, body = ErrorBody)))]
async fn entitlements(
    State(skips): State<Skips>,
    Authenticated(claims): Authenticated,
) -> Result<Json<Entitlements>, ApiError> {
    let rights = policy::entitlements(claims.tier);
    let skips = skips.allowance(&claims).await?.into();
    Ok(Json(Entitlements {
        tier: claims.tier,
        max_stream_kbps: rights.max_stream_kbps,
        lossless: rights.max_stream_kbps.is_none(),
        offline_downloads: rights.offline_downloads,
        premium_releases: rights.premium_releases,
        skips,
    }))
}
