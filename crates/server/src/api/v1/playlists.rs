//! Playlists over HTTP (the rules are `tonearm_core::playlists`'): a private playlist is a
//! `404` to anyone but its owner, a change by anyone else a `403`. Every response carries
//! the playlist's version as `ETag`; an edit sent with `If-Match` applies only to that
//! version (`412 playlist_changed` otherwise).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tonearm_auth::AccessClaims;
use tonearm_core::playlists::{PlaylistFields, PlaylistService};
use tonearm_domain::TrackId;
use tonearm_model::{self as model, EntriesEdit};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::TrackSummary;
use crate::api::v1::dto::list;
use crate::api::v1::dto::playlists::PlaylistSummary;
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::version_etag;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_playlist))
        .routes(routes!(my_playlists))
        .routes(routes!(get_playlist, change_playlist, delete_playlist))
        .routes(routes!(add_tracks))
        .routes(routes!(remove_entry))
        .routes(routes!(move_entry))
        .routes(routes!(follow_playlist, unfollow_playlist))
}

/// The version an edit is based on, from `If-Match: "v7"`; `None` for no header or `*`.
fn expected_version(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|version| version.parse().ok())
        .map(Some)
        .ok_or_else(|| ApiError::bad_request("invalid_if_match", "If-Match takes the playlist's ETag, like \"v7\""))
}

fn with_etag(playlist: model::PlaylistSummary) -> Response {
    let tag = version_etag(playlist.version);
    ([(header::ETAG, tag)], Json(PlaylistSummary::from(playlist))).into_response()
}

#[derive(Deserialize, ToSchema)]
struct PlaylistCreation {
    name: String,
    #[serde(default)]
    description: String,
    /// Private unless asked.
    #[serde(default)]
    public: bool,
}

/// Creates an empty playlist owned by the caller.
#[utoipa::path(post, path = "/api/v1/playlists", tag = "playlists", request_body = PlaylistCreation, security(("bearer" = [])),
    responses((status = 201, body = PlaylistSummary), (status = 400, body = ErrorBody)))]
async fn create_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiJson(creation): ApiJson<PlaylistCreation>,
) -> Result<Response, ApiError> {
    let fields = PlaylistFields {
        name: Some(creation.name),
        description: Some(creation.description),
        public: Some(creation.public),
    };
    let playlist = playlists.create(claims.user(), &fields).await?;
    Ok((StatusCode::CREATED, with_etag(playlist)).into_response())
}

#[derive(Serialize, ToSchema)]
struct PlaylistList {
    items: Vec<PlaylistSummary>,
}

/// Playlists the caller owns or follows, most recently changed first.
#[utoipa::path(get, path = "/api/v1/me/playlists", tag = "playlists", security(("bearer" = [])), responses((status = 200, body = PlaylistList)))]
async fn my_playlists(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
) -> Result<Json<PlaylistList>, ApiError> {
    Ok(Json(PlaylistList { items: list(playlists.of(claims.user()).await?) }))
}

#[derive(Serialize, ToSchema)]
struct PlaylistDetail {
    #[serde(flatten)]
    playlist: PlaylistSummary,
    entries: Vec<PlaylistEntryView>,
}

#[derive(Serialize, ToSchema)]
struct PlaylistEntryView {
    /// Names this place in the playlist for removing or moving it.
    entry_id: i64,
    track: TrackSummary,
    /// Unix milliseconds.
    added_at: i64,
}

/// A playlist with its tracks in order; `ETag` is its version.
#[utoipa::path(get, path = "/api/v1/playlists/{id}", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PlaylistDetail), (status = 404, body = ErrorBody)))]
async fn get_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (playlist, entries) = playlists.with_tracks(id, claims.user()).await?;
    let entries = entries
        .into_iter()
        .map(|entry| PlaylistEntryView {
            entry_id: entry.entry_id,
            track: entry.track.into(),
            added_at: entry.added_at,
        })
        .collect();
    let tag = version_etag(playlist.version);
    Ok(([(header::ETAG, tag)], Json(PlaylistDetail { playlist: playlist.into(), entries })).into_response())
}

#[derive(Deserialize, ToSchema)]
struct PlaylistEdit {
    name: Option<String>,
    description: Option<String>,
    public: Option<bool>,
}

/// Renames, describes, or makes public or private.
#[utoipa::path(patch, path = "/api/v1/playlists/{id}", tag = "playlists", params(("id" = i64, Path)), request_body = PlaylistEdit,
    security(("bearer" = [])),
    responses((status = 200, body = PlaylistSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, description = "`playlist_changed`: the If-Match version is not current", body = ErrorBody)))]
async fn change_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(edit): ApiJson<PlaylistEdit>,
) -> Result<Response, ApiError> {
    let fields = PlaylistFields { name: edit.name, description: edit.description, public: edit.public };
    Ok(with_etag(playlists.change(id, claims.user(), &fields, expected_version(&headers)?).await?))
}

/// Deletes the playlist for its owner (and its followers).
#[utoipa::path(delete, path = "/api/v1/playlists/{id}", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    playlists.delete(id, claims.user()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Applies an edit of the entries based on the `If-Match` version.
async fn edit_entries(
    playlists: &PlaylistService,
    claims: &AccessClaims,
    id: i64,
    edit: &EntriesEdit,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    Ok(with_etag(playlists.edit_entries(id, claims.user(), edit, expected_version(headers)?).await?))
}

#[derive(Deserialize, ToSchema)]
struct TracksAddition {
    track_ids: Vec<i64>,
    /// 0-based place of the first added track; the end when left out.
    position: Option<usize>,
}

/// Adds tracks (the same track may be added again).
#[utoipa::path(post, path = "/api/v1/playlists/{id}/tracks", tag = "playlists", params(("id" = i64, Path)), request_body = TracksAddition,
    security(("bearer" = [])),
    responses((status = 200, body = PlaylistSummary), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn add_tracks(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(addition): ApiJson<TracksAddition>,
) -> Result<Response, ApiError> {
    let edit =
        EntriesEdit::Add { tracks: addition.track_ids.into_iter().map(TrackId).collect(), position: addition.position };
    edit_entries(&playlists, &claims, id, &edit, &headers).await
}

/// Removes one entry (one place; other copies of the same track stay).
#[utoipa::path(delete, path = "/api/v1/playlists/{id}/entries/{entry_id}", tag = "playlists",
    params(("id" = i64, Path), ("entry_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PlaylistSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody)))]
async fn remove_entry(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath((id, entry_id)): ApiPath<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let edit = EntriesEdit::Remove { entry_id };
    edit_entries(&playlists, &claims, id, &edit, &headers).await
}

#[derive(Deserialize, ToSchema)]
struct EntryMove {
    /// The 0-based place the entry ends up at (clamped to the playlist).
    position: usize,
}

/// Moves one entry to another place.
#[utoipa::path(put, path = "/api/v1/playlists/{id}/entries/{entry_id}/position", tag = "playlists",
    params(("id" = i64, Path), ("entry_id" = i64, Path)), request_body = EntryMove, security(("bearer" = [])),
    responses((status = 200, body = PlaylistSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody)))]
async fn move_entry(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath((id, entry_id)): ApiPath<(i64, i64)>,
    headers: HeaderMap,
    ApiJson(moved): ApiJson<EntryMove>,
) -> Result<Response, ApiError> {
    let edit = EntriesEdit::Move { entry_id, position: moved.position };
    edit_entries(&playlists, &claims, id, &edit, &headers).await
}

/// Follows another listener's public playlist: it shows in your playlists.
#[utoipa::path(put, path = "/api/v1/playlists/{id}/followers/me", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn follow_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    playlists.follow(id, claims.user()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/playlists/{id}/followers/me", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204)))]
async fn unfollow_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    playlists.unfollow(id, claims.user()).await?;
    Ok(StatusCode::NO_CONTENT)
}
