//! Cover images of albums, tracks and playlists, resized to the size asked for and cached.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde::Deserialize;
use tonearm_domain::CoverId;
use tonearm_ingest::THUMBNAIL_SIZES;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::{AppState, Catalog, Library, Playlists};

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
    State(catalog): State<Catalog>,
    State(playlists): State<Playlists>,
    State(library): State<Library>,
    ApiPath(raw_id): ApiPath<String>,
    ApiQuery(params): ApiQuery<CoverParams>,
) -> Result<Response, ApiError> {
    let id = CoverId::parse(&raw_id).ok_or_else(|| ApiError::NotFound(format!("cover {raw_id} does not exist")))?;
    let requested = params.size.unwrap_or(300);
    let largest = THUMBNAIL_SIZES[THUMBNAIL_SIZES.len() - 1];
    if requested == 0 || requested > largest {
        return Err(ApiError::bad_request("invalid_size", format!("size must be between 1 and {largest}")));
    }
    // Album and track covers are catalogued; a playlist's mosaic only by the playlist.
    if let Err(error) = catalog.cover(&id).await
        && !playlists.is_playlist_cover(&id).await?
    {
        return Err(error.into());
    }
    let covers = library.covers().clone();
    let thumbnail = tokio::task::spawn_blocking(move || covers.thumbnail(&id, requested))
        .await
        .map_err(|error| ApiError::internal("the cover task failed", error))?
        .map_err(|error| ApiError::internal("a cover could not be resized", error))?;
    let bytes = tokio::fs::read(&thumbnail.path)
        .await
        .map_err(|error| ApiError::internal("reading a thumbnail failed", error))?;
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(thumbnail.mime_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(response)
}
