//! Library administration: scan state, the last scan's report, unreadable files, rescans,
//! accounts, release access, and the transcoder's state.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tonearm_core::accounts::Accounts;
use tonearm_core::admin::curation::Curation;
use tonearm_core::admin::scans::{self, Scans};
use tonearm_core::admin::transcoding::Transcoding;
use tonearm_domain::{AlbumId, UserId};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::accounts::{AccountChange, UserSummary};
use crate::api::v1::dto::catalog::AlbumSummary;
use crate::api::v1::dto::list;
use crate::api::v1::dto::scan::{ScanIssue, ScanReport, ScanSnapshot};
use crate::api::v1::dto::transcoding::TranscodingStatus;
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(scan_status, start_scan))
        .routes(routes!(scan_issues))
        .routes(routes!(list_users))
        .routes(routes!(change_user))
        .routes(routes!(change_album))
        .routes(routes!(transcoding_status))
}

#[utoipa::path(get, path = "/api/v1/admin/transcoding", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = TranscodingStatus)))]
async fn transcoding_status(State(transcoding): State<Transcoding>) -> Json<TranscodingStatus> {
    Json(transcoding.status().into())
}

#[derive(Deserialize, ToSchema)]
struct AlbumChange {
    /// Only Premium listeners may play the album.
    premium_only: bool,
}

/// Keeps an album for Premium listeners, or opens it to everyone.
#[utoipa::path(patch, path = "/api/v1/admin/albums/{id}", tag = "admin", params(("id" = i64, Path)), request_body = AlbumChange,
    security(("bearer" = [])), responses((status = 200, body = AlbumSummary), (status = 404, body = ErrorBody)))]
async fn change_album(
    State(curation): State<Curation>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<AlbumChange>,
) -> Result<Json<AlbumSummary>, ApiError> {
    Ok(Json(curation.set_album_premium_only(claims.user(), AlbumId(id), change.premium_only).await?.into()))
}

#[derive(Serialize, ToSchema)]
struct UserList {
    items: Vec<UserSummary>,
}

/// Every account, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])), responses((status = 200, body = UserList)))]
async fn list_users(State(accounts): State<Accounts>) -> Result<Json<UserList>, ApiError> {
    Ok(Json(UserList { items: list(accounts.list().await?) }))
}

/// Changes an account's role, tier or disabled flag; disabling signs it out everywhere.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", params(("id" = i64, Path)), request_body = AccountChange,
    security(("bearer" = [])),
    responses((status = 200, body = UserSummary), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn change_user(
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<AccountChange>,
) -> Result<Json<UserSummary>, ApiError> {
    Ok(Json(accounts.change(Some(claims.user()), UserId(id), &change.into()).await?.into()))
}

#[derive(Serialize, ToSchema)]
struct ScanStatus {
    progress: ScanSnapshot,
    last_report: Option<ScanReport>,
}

impl From<scans::ScanStatus> for ScanStatus {
    fn from(status: scans::ScanStatus) -> Self {
        Self { progress: status.progress.into(), last_report: status.last_report.map(Into::into) }
    }
}

#[derive(Serialize, ToSchema)]
struct IssueList {
    items: Vec<ScanIssue>,
}

#[utoipa::path(get, path = "/api/v1/admin/scan", tag = "admin", responses((status = 200, body = ScanStatus)))]
async fn scan_status(State(scans): State<Scans>) -> Json<ScanStatus> {
    Json(scans.status().await.into())
}

/// Starts a rescan in the background; poll `GET /admin/scan` for its progress.
#[utoipa::path(post, path = "/api/v1/admin/scan", tag = "admin", responses((status = 202, body = ScanStatus)))]
async fn start_scan(State(scans): State<Scans>) -> (StatusCode, Json<ScanStatus>) {
    (StatusCode::ACCEPTED, Json(scans.rescan().await.into()))
}

/// Files the scans skipped, with the reason for each.
#[utoipa::path(get, path = "/api/v1/admin/scan/issues", tag = "admin", responses((status = 200, body = IssueList)))]
async fn scan_issues(State(scans): State<Scans>) -> Result<Json<IssueList>, ApiError> {
    Ok(Json(IssueList { items: list(scans.issues().await?) }))
}
