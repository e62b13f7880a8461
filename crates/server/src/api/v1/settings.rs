//! `GET` and `PATCH /me/settings`: the signed-in listener's preferences, validated here and
//! kept on the server so every device sees the same ones. `PATCH` changes only the settings
//! it names, so two devices changing different settings do not undo each other, and a
//! client that predates a setting leaves it alone.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tonearm_core::clock::now_millis;
use tonearm_model::{DownloadQuality, SettingsChange, StreamingQuality};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::settings::{self as wire, UserSettings};
use crate::app::state::AppState;
use crate::auth::access::Authenticated;
use crate::auth::authority::OAuth;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;

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

impl SettingsPatch {
    fn validate(self) -> Result<SettingsChange, ApiError> {
        Ok(SettingsChange {
            streaming_quality: self
                .streaming_quality
                .map(|raw| choice("streaming_quality", &raw, StreamingQuality::parse, StreamingQuality::NAMES))
                .transpose()?,
            download_quality: self
                .download_quality
                .map(|raw| choice("download_quality", &raw, DownloadQuality::parse, DownloadQuality::NAMES))
                .transpose()?,
            notifications: self.notifications,
        })
    }
}

/// One of a setting's values, or `400 invalid_setting` naming the ones there are.
fn choice<T>(setting: &str, raw: &str, parse: fn(&str) -> Option<T>, names: &[&str]) -> Result<T, ApiError> {
    parse(raw).ok_or_else(|| {
        ApiError::bad_request("invalid_setting", format!("{setting} is one of {}, not `{raw}`", names.join(", ")))
    })
}

/// This listener's preferences; each is at its default until changed.
#[utoipa::path(get, path = "/api/v1/me/settings", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = UserSettings), (status = 401, body = ErrorBody)))]
async fn settings(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
) -> Result<Json<UserSettings>, ApiError> {
    Ok(Json(oauth.users.settings(claims.user()).await?.into()))
}

/// Changes the settings named in the body and answers all of them. Unknown values are
/// `400 invalid_setting`; unknown settings and wrong types are `400 invalid_body`.
#[utoipa::path(patch, path = "/api/v1/me/settings", tag = "account", request_body = SettingsPatch, security(("bearer" = [])),
    responses((status = 200, body = UserSettings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn change_settings(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
    ApiJson(patch): ApiJson<SettingsPatch>,
) -> Result<Json<UserSettings>, ApiError> {
    let change = patch.validate()?;
    Ok(Json(oauth.users.change_settings(claims.user(), &change, now_millis()).await?.into()))
}
