//! Library administration: scan state, the last scan's report, unreadable files, rescans.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use tonearm_catalog::ScanIssue;
use tonearm_ingest::{ScanReport, ScanSnapshot};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::{AppState, Catalog, Library};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scan_status, start_scan)).routes(routes!(scan_issues))
}

#[derive(Serialize, ToSchema)]
struct ScanStatus {
    progress: ScanSnapshot,
    last_report: Option<ScanReport>,
}

#[derive(Serialize, ToSchema)]
struct IssueList {
    items: Vec<ScanIssue>,
}

#[utoipa::path(get, path = "/admin/scan", tag = "admin", responses((status = 200, body = ScanStatus)))]
async fn scan_status(State(library): State<Library>) -> Json<ScanStatus> {
    let last_report = library.last_report.read().await.clone();
    Json(ScanStatus { progress: library.scanner.progress().snapshot(), last_report })
}

/// Starts a rescan in the background; poll `GET /admin/scan` for its progress.
#[utoipa::path(post, path = "/admin/scan", tag = "admin", responses((status = 202, body = ScanStatus)))]
async fn start_scan(State(library): State<Library>) -> (StatusCode, Json<ScanStatus>) {
    let scanning = library.clone();
    tokio::spawn(async move {
        if let Err(error) = scanning.scan().await {
            tracing::error!(%error, "requested rescan failed");
        }
    });
    let last_report = library.last_report.read().await.clone();
    (StatusCode::ACCEPTED, Json(ScanStatus { progress: library.scanner.progress().snapshot(), last_report }))
}

/// Files the scans skipped, with the reason for each.
#[utoipa::path(get, path = "/admin/scan/issues", tag = "admin", responses((status = 200, body = IssueList)))]
async fn scan_issues(State(catalog): State<Catalog>) -> Result<Json<IssueList>, ApiError> {
    Ok(Json(IssueList { items: catalog.scan_issues().await? }))
}
