//! The browsable catalog: artists, albums, tracks and genres, each a paginated list and a
//! detail resource with its relations.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use tonearm_core::catalog::browse::Browse;
use tonearm_core::catalog::pages::PageAsked;
use tonearm_domain::{AlbumId, ArtistId, GenreId, Page, TrackId};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::{
    AlbumDetail, AlbumSummary, ArtistDetail, ArtistSummary, GenreDetail, GenreSummary, TrackDetail, TrackSummary,
};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_artists))
        .routes(routes!(get_artist))
        .routes(routes!(list_albums))
        .routes(routes!(get_album))
        .routes(routes!(list_tracks))
        .routes(routes!(get_track))
        .routes(routes!(list_genres))
        .routes(routes!(get_genre))
}

/// Query parameters of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `name` (A–Z), `date_added` (newest first) or `year` (newest first); default `name`.
    sort: Option<String>,
    /// Items per page, 1–500; default 50.
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl From<ListParams> for PageAsked {
    fn from(params: ListParams) -> Self {
        let ListParams { sort, limit, cursor } = params;
        Self { sort, limit, cursor }
    }
}

#[utoipa::path(get, path = "/api/v1/artists", tag = "catalog", params(ListParams),
    responses((status = 200, body = Page<ArtistSummary>), (status = 400, body = ErrorBody)))]
async fn list_artists(
    State(browse): State<Browse>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Page<ArtistSummary>>, ApiError> {
    Ok(Json(browse.artists(&params.into()).await?.map(Into::into)))
}

#[utoipa::path(get, path = "/api/v1/artists/{id}", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = ArtistDetail), (status = 404, body = ErrorBody)))]
async fn get_artist(State(browse): State<Browse>, ApiPath(id): ApiPath<i64>) -> Result<Json<ArtistDetail>, ApiError> {
    Ok(Json(browse.artist(ArtistId(id)).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/albums", tag = "catalog", params(ListParams),
    responses((status = 200, body = Page<AlbumSummary>), (status = 400, body = ErrorBody)))]
async fn list_albums(
    State(browse): State<Browse>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Page<AlbumSummary>>, ApiError> {
    Ok(Json(browse.albums(&params.into()).await?.map(Into::into)))
}

#[utoipa::path(get, path = "/api/v1/albums/{id}", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = AlbumDetail), (status = 404, body = ErrorBody)))]
async fn get_album(State(browse): State<Browse>, ApiPath(id): ApiPath<i64>) -> Result<Json<AlbumDetail>, ApiError> {
    Ok(Json(browse.album(AlbumId(id)).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/tracks", tag = "catalog", params(ListParams),
    responses((status = 200, body = Page<TrackSummary>), (status = 400, body = ErrorBody)))]
async fn list_tracks(
    State(browse): State<Browse>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Page<TrackSummary>>, ApiError> {
    Ok(Json(browse.tracks(&params.into()).await?.map(Into::into)))
}

/// A track with where to stream it from.
#[derive(Serialize, ToSchema)]
struct TrackWithStreams {
    #[serde(flatten)]
    track: TrackDetail,
    streams: StreamLinks,
}

/// The adaptive-streaming entry points of a track (the progressive original is
/// `stream-url`).
#[derive(Serialize, ToSchema)]
struct StreamLinks {
    /// HLS master playlist (AES-128 encrypted CMAF renditions; keys need the access token).
    hls: String,
    /// DASH MPD (needs the access token; its segment links are signed and short-lived).
    dash: String,
}

#[utoipa::path(get, path = "/api/v1/tracks/{id}", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = TrackWithStreams), (status = 404, body = ErrorBody)))]
async fn get_track(
    State(browse): State<Browse>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrackWithStreams>, ApiError> {
    let track = browse.track(TrackId(id)).await?.into();
    let streams = StreamLinks {
        hls: format!("/api/v1/tracks/{id}/hls/master.m3u8"),
        dash: format!("/api/v1/tracks/{id}/dash/manifest.mpd"),
    };
    Ok(Json(TrackWithStreams { track, streams }))
}

#[utoipa::path(get, path = "/api/v1/genres", tag = "catalog", params(ListParams),
    responses((status = 200, body = Page<GenreSummary>), (status = 400, body = ErrorBody)))]
async fn list_genres(
    State(browse): State<Browse>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Page<GenreSummary>>, ApiError> {
    Ok(Json(browse.genres(&params.into()).await?.map(Into::into)))
}

#[utoipa::path(get, path = "/api/v1/genres/{id}", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = GenreDetail), (status = 404, body = ErrorBody)))]
async fn get_genre(State(browse): State<Browse>, ApiPath(id): ApiPath<i64>) -> Result<Json<GenreDetail>, ApiError> {
    Ok(Json(browse.genre(GenreId(id)).await?.into()))
}
