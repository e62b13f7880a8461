//! Library administration: scan state, the last scan's report, unreadable files, rescans,
//! accounts, release access, and the transcoder's state.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tonearm_core::accounts::Accounts;
use tonearm_core::streaming::adaptive::Adaptive;
use tonearm_domain::{AlbumId, UserId};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::accounts::{AccountChange, UserSummary};
use crate::api::v1::dto::catalog::AlbumSummary;
use crate::api::v1::dto::list;
use crate::api::v1::dto::scan::{ScanIssue, ScanReport, ScanSnapshot};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::{AppState, Catalog, Library};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(scan_status, start_scan))
        .routes(routes!(scan_issues))
        .routes(routes!(list_users))
        .routes(routes!(change_user))
        .routes(routes!(change_album))
        .routes(routes!(transcoding_status))
}

/// The transcoder and its rendition cache, for operators.
#[derive(Serialize, ToSchema)]
struct TranscodingStatus {
    /// Jobs started since the server started (one per rendition made).
    jobs_started: u64,
    jobs_failed: u64,
    jobs_running: usize,
    /// Jobs waiting for a free encoder.
    jobs_queued: usize,
    cached_renditions: usize,
    cache_bytes: u64,
    cache_limit_bytes: u64,
    /// Renditions evicted to stay within the bound since the server started.
    evicted_renditions: u64,
}

#[utoipa::path(get, path = "/api/v1/admin/transcoding", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = TranscodingStatus)))]
async fn transcoding_status(State(adaptive): State<Adaptive>) -> Json<TranscodingStatus> {
    let stats = adaptive.packager().stats();
    Json(TranscodingStatus {
        jobs_started: stats.jobs_started,
        jobs_failed: stats.jobs_failed,
        jobs_running: stats.jobs_running,
        jobs_queued: stats.jobs_queued,
        cached_renditions: stats.cached_renditions,
        cache_bytes: stats.cache_bytes,
        cache_limit_bytes: stats.cache_limit_bytes,
        evicted_renditions: stats.evicted_renditions,
    })
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
    State(catalog): State<Catalog>,
    State(library): State<Library>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<AlbumChange>,
) -> Result<Json<AlbumSummary>, ApiError> {
    let album = catalog.set_album_premium_only(AlbumId(id), change.premium_only).await?;
    // Cached catalog pages show the flag: they must not outlive the change.
    library.scanner.catalog_version().bump();
    tracing::info!(admin = %claims.user(), album = id, premium_only = change.premium_only, "album access changed");
    Ok(Json(album.into()))
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

impl ScanStatus {
    async fn of(library: &Library) -> Self {
        let last_report = library.last_report.read().await.clone();
        Self { progress: library.scanner.progress().snapshot().into(), last_report: last_report.map(Into::into) }
    }
}

#[derive(Serialize, ToSchema)]
struct IssueList {
    items: Vec<ScanIssue>,
}

#[utoipa::path(get, path = "/api/v1/admin/scan", tag = "admin", responses((status = 200, body = ScanStatus)))]
async fn scan_status(State(library): State<Library>) -> Json<ScanStatus> {
    Json(ScanStatus::of(&library).await)
}

/// Starts a rescan in the background; poll `GET /admin/scan` for its progress.
#[utoipa::path(post, path = "/api/v1/admin/scan", tag = "admin", responses((status = 202, body = ScanStatus)))]
async fn start_scan(State(library): State<Library>) -> (StatusCode, Json<ScanStatus>) {
    let scanning = library.clone();
    tokio::spawn(async move {
        if let Err(error) = scanning.scan().await {
            tracing::error!(%error, "requested rescan failed");
        }
    });
    (StatusCode::ACCEPTED, Json(ScanStatus::of(&library).await))
}

/// Files the scans skipped, with the reason for each.
#[utoipa::path(get, path = "/api/v1/admin/scan/issues", tag = "admin", responses((status = 200, body = IssueList)))]
async fn scan_issues(State(catalog): State<Catalog>) -> Result<Json<IssueList>, ApiError> {
    Ok(Json(IssueList { items: list(catalog.scan_issues().await?) }))
}
