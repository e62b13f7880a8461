//! New releases from the artists a listener follows (has liked): the feed the app turns
//! into notifications when the listener allows them.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tonearm_core::catalog::new_releases::{NewReleases, ReleasesAsked};
use tonearm_domain::Page;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::AlbumSummary;
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiQuery;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(new_releases))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NewReleaseParams {
    /// Unix milliseconds: albums added to the catalog strictly after this.
    since: i64,
    /// Albums per page, 1–100; default 20.
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Albums added after `since` that are credited to an artist the listener likes, newest
/// first, each once.
#[utoipa::path(get, path = "/api/v1/me/new-releases", tag = "listening", params(NewReleaseParams), security(("bearer" = [])),
    responses((status = 200, body = Page<AlbumSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn new_releases(
    State(releases): State<NewReleases>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<NewReleaseParams>,
) -> Result<Json<Page<AlbumSummary>>, ApiError> {
    let NewReleaseParams { since, limit, cursor } = params;
    let page = releases.of(claims.user(), &ReleasesAsked { since, limit, cursor }).await?;
    Ok(Json(page.map(Into::into)))
}
