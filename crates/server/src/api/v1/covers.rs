//! Cover images of albums, tracks and playlists, resized to the size asked for and cached.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde::Deserialize;
use tonearm_core::catalog::covers::Covers;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_cover))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CoverParams {
    /// Longest side in pixels; served at the next size of 64, 128, 300, 640 or 1200. Default 300.
    size: Option<u32>,
}

/// Covers are content-addressed, so a URL's bytes never change: cache them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[utoipa::path(get, path = "/api/v1/covers/{id}", tag = "catalog", params(("id" = String, Path), CoverParams),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
async fn get_cover(
    State(covers): State<Covers>,
    ApiPath(raw_id): ApiPath<String>,
    ApiQuery(params): ApiQuery<CoverParams>,
) -> Result<Response, ApiError> {
    let cover = covers.thumbnail(&raw_id, params.size).await?;
    let mut response = Response::new(Body::from(cover.bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(cover.mime_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(response)
}
