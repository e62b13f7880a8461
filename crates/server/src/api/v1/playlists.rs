//! Playlists over HTTP. Private playlists do not exist for anyone but their owner (`404`);
//! public ones can be read and followed by everyone and changed by their owner only
//! (`403`). Every response carries the playlist's version as `ETag`; an edit sent with
//! `If-Match` applies only to that version (`412 playlist_changed` otherwise), so two
//! devices editing at once learn about each other instead of losing a change.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tonearm_auth::AccessClaims;
use tonearm_core::clock::now_millis;
use tonearm_core::playlists::cover;
use tonearm_domain::TrackId;
use tonearm_model::{self as model, EntriesEdit, NewPlaylist, PlaylistChange, PlaylistEntry, PlaylistError};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::TrackSummary;
use crate::api::v1::dto::list;
use crate::api::v1::dto::playlists::PlaylistSummary;
use crate::app::state::{AppState, Catalog, Library, Playlists};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};

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

const MAX_NAME_CHARS: usize = 100;
const MAX_DESCRIPTION_CHARS: usize = 300;

impl From<PlaylistError> for ApiError {
    fn from(error: PlaylistError) -> Self {
        match error {
            PlaylistError::Store(store) => store.into(),
            PlaylistError::VersionMismatch { .. } => Self::PreconditionFailed(error.to_string()),
            PlaylistError::TooManyEntries => Self::bad_request("playlist_full", error.to_string()),
            PlaylistError::TooManyPlaylists => Self::bad_request("too_many_playlists", error.to_string()),
            PlaylistError::NoSuchEntry(_) => Self::NotFound(error.to_string()),
            PlaylistError::NoSuchTrack(_) => Self::bad_request("unknown_track", error.to_string()),
        }
    }
}

/// Reading needs the playlist to be public or yours; writing needs it to be yours.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    Read,
    Write,
}

pub(super) async fn playlist_for(
    playlists: &Playlists,
    id: i64,
    claims: &AccessClaims,
    access: Access,
) -> Result<model::PlaylistSummary, ApiError> {
    let not_found = || ApiError::NotFound(format!("playlist {id} does not exist"));
    let playlist = playlists.playlist(id).await.map_err(|_| not_found())?;
    let owned = playlist.owner.id == claims.user();
    if !owned && !playlist.public {
        return Err(not_found());
    }
    if access == Access::Write && !owned {
        return Err(ApiError::Forbidden {
            code: "not_playlist_owner",
            message: "only the owner of a playlist can change it",
        });
    }
    Ok(playlist)
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

pub(super) fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("digits and quotes are a valid header value")
}

pub(super) fn with_etag(playlist: model::PlaylistSummary) -> Response {
    let tag = etag(playlist.version);
    ([(header::ETAG, tag)], Json(PlaylistSummary::from(playlist))).into_response()
}

pub(super) fn clean_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::bad_request("invalid_name", "a playlist name is 1 to 100 characters"));
    }
    Ok(name.to_owned())
}

fn clean_description(description: &str) -> Result<String, ApiError> {
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ApiError::bad_request("invalid_description", "a description is at most 300 characters"));
    }
    Ok(description.trim().to_owned())
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
    State(playlists): State<Playlists>,
    Authenticated(claims): Authenticated,
    ApiJson(creation): ApiJson<PlaylistCreation>,
) -> Result<Response, ApiError> {
    let new = NewPlaylist {
        name: clean_name(&creation.name)?,
        description: clean_description(&creation.description)?,
        public: creation.public,
    };
    let playlist = playlists.create_playlist(claims.user(), &new, now_millis()).await?;
    tracing::info!(user = %claims.user(), playlist = playlist.id, "playlist created");
    Ok((StatusCode::CREATED, with_etag(playlist)).into_response())
}

#[derive(Serialize, ToSchema)]
struct PlaylistList {
    items: Vec<PlaylistSummary>,
}

/// Playlists the caller owns or follows, most recently changed first.
#[utoipa::path(get, path = "/api/v1/me/playlists", tag = "playlists", security(("bearer" = [])), responses((status = 200, body = PlaylistList)))]
async fn my_playlists(
    State(playlists): State<Playlists>,
    Authenticated(claims): Authenticated,
) -> Result<Json<PlaylistList>, ApiError> {
    Ok(Json(PlaylistList { items: list(playlists.playlists_of(claims.user()).await?) }))
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
    State(playlists): State<Playlists>,
    State(catalog): State<Catalog>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let playlist = playlist_for(&playlists, id, &claims, Access::Read).await?;
    let (entries, tracks) = entries_with_tracks(&playlists, &catalog, id).await?;
    let entries = entries
        .into_iter()
        .filter_map(|entry| {
            let track = tracks.get(&entry.track_id)?.clone().into();
            Some(PlaylistEntryView { entry_id: entry.entry_id, track, added_at: entry.added_at })
        })
        .collect();
    let tag = etag(playlist.version);
    Ok(([(header::ETAG, tag)], Json(PlaylistDetail { playlist: playlist.into(), entries })).into_response())
}

/// The playlist's entries in order, and the summary of every track they name (tracks gone
/// from the catalog are missing from the map).
pub(super) async fn entries_with_tracks(
    playlists: &Playlists,
    catalog: &Catalog,
    id: i64,
) -> Result<(Vec<PlaylistEntry>, HashMap<TrackId, model::TrackSummary>), ApiError> {
    let entries = playlists.playlist_entries(id).await?;
    let mut unique: Vec<TrackId> = entries.iter().map(|entry| entry.track_id).collect();
    unique.sort_unstable();
    unique.dedup();
    let tracks = catalog.tracks_by_ids(&unique).await?.into_iter().map(|track| (track.id, track)).collect();
    Ok((entries, tracks))
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
    State(playlists): State<Playlists>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(edit): ApiJson<PlaylistEdit>,
) -> Result<Response, ApiError> {
    playlist_for(&playlists, id, &claims, Access::Write).await?;
    let change = PlaylistChange {
        name: edit.name.as_deref().map(clean_name).transpose()?,
        description: edit.description.as_deref().map(clean_description).transpose()?,
        public: edit.public,
    };
    Ok(with_etag(playlists.change_playlist(id, &change, expected_version(&headers)?, now_millis()).await?))
}

/// Deletes the playlist for its owner (and its followers).
#[utoipa::path(delete, path = "/api/v1/playlists/{id}", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_playlist(
    State(playlists): State<Playlists>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    playlist_for(&playlists, id, &claims, Access::Write).await?;
    playlists.delete_playlist(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Applies an edit of the entries based on the `If-Match` version, then brings the cover
/// up to date with the new first albums.
async fn edit_entries(
    playlists: &Playlists,
    library: &Library,
    id: i64,
    edit: &EntriesEdit,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let edited = playlists.edit_entries(id, edit, expected_version(headers)?, now_millis()).await?;
    Ok(with_etag(cover::refresh(playlists, library.covers(), edited).await))
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
    State(playlists): State<Playlists>,
    State(library): State<Library>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(addition): ApiJson<TracksAddition>,
) -> Result<Response, ApiError> {
    playlist_for(&playlists, id, &claims, Access::Write).await?;
    if addition.track_ids.is_empty() {
        return Err(ApiError::bad_request("invalid_body", "track_ids lists at least one track"));
    }
    let edit =
        EntriesEdit::Add { tracks: addition.track_ids.into_iter().map(TrackId).collect(), position: addition.position };
    edit_entries(&playlists, &library, id, &edit, &headers).await
}

/// Removes one entry (one place; other copies of the same track stay).
#[utoipa::path(delete, path = "/api/v1/playlists/{id}/entries/{entry_id}", tag = "playlists",
    params(("id" = i64, Path), ("entry_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PlaylistSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody)))]
async fn remove_entry(
    State(playlists): State<Playlists>,
    State(library): State<Library>,
    Authenticated(claims): Authenticated,
    ApiPath((id, entry_id)): ApiPath<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    playlist_for(&playlists, id, &claims, Access::Write).await?;
    let edit = EntriesEdit::Remove { entry_id };
    edit_entries(&playlists, &library, id, &edit, &headers).await
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
    State(playlists): State<Playlists>,
    State(library): State<Library>,
    Authenticated(claims): Authenticated,
    ApiPath((id, entry_id)): ApiPath<(i64, i64)>,
    headers: HeaderMap,
    ApiJson(moved): ApiJson<EntryMove>,
) -> Result<Response, ApiError> {
    playlist_for(&playlists, id, &claims, Access::Write).await?;
    let edit = EntriesEdit::Move { entry_id, position: moved.position };
    edit_entries(&playlists, &library, id, &edit, &headers).await
}

/// Follows another listener's public playlist: it shows in your playlists.
#[utoipa::path(put, path = "/api/v1/playlists/{id}/followers/me", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn follow_playlist(
    State(playlists): State<Playlists>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let playlist = playlist_for(&playlists, id, &claims, Access::Read).await?;
    if playlist.owner.id == claims.user() {
        return Err(ApiError::bad_request("own_playlist", "your own playlists are in your library already"));
    }
    playlists.follow_playlist(claims.user(), id, now_millis()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/playlists/{id}/followers/me", tag = "playlists", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204)))]
async fn unfollow_playlist(
    State(playlists): State<Playlists>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    playlists.unfollow_playlist(claims.user(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
