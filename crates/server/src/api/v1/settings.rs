//! `GET` and `PATCH /me/settings`: the signed-in listener's preferences, kept on the server
//! so every device sees the same ones (`tonearm_core::accounts` checks and applies them).
//! `PATCH` changes only the settings it names, and a client that predates a setting leaves
//! it alone.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tonearm_core::accounts::{Accounts, SettingsRequest};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::settings::{self as wire, UserSettings};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(settings, change_settings))
}

/// The settings to change; those left out (or `null`) keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SettingsPatch {
    #[schema(value_type = Option<wire::StreamingQuality>)]
    streaming_quality: Option<String>,
    #[schema(value_type = Option<wire::DownloadQuality>)]
    download_quality: Option<String>,
    notifications: Option<bool>,
}

impl From<SettingsPatch> for SettingsRequest {
    fn from(patch: SettingsPatch) -> Self {
        let SettingsPatch { streaming_quality, download_quality, notifications } = patch;
        Self { streaming_quality, download_quality, notifications }
    }
}

/// This listener's preferences; each is at its default until changed.
#[utoipa::path(get, path = "/api/v1/me/settings", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = UserSettings), (status = 401, body = ErrorBody)))]
async fn settings(
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
) -> Result<Json<UserSettings>, ApiError> {
    Ok(Json(accounts.settings(claims.user()).await?.into()))
}

/// Changes the settings named in the body and answers all of them. Unknown values are
/// `400 invalid_setting`; unknown settings and wrong types are `400 invalid_body`.
#[utoipa::path(patch, path = "/api/v1/me/settings", tag = "account", request_body = SettingsPatch, security(("bearer" = [])),
    responses((status = 200, body = UserSettings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn change_settings(
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
    ApiJson(patch): ApiJson<SettingsPatch>,
) -> Result<Json<UserSettings>, ApiError> {
    Ok(Json(accounts.change_settings(claims.user(), patch.into()).await?.into()))
}
