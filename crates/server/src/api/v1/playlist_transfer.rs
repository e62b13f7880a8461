//! Playlist files over HTTP: `GET /playlists/{id}/export` and `POST /playlists/import`
//! (the matching of entries to tracks is `tonearm_core::playlists::transfer`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tonearm_core::playlists::PlaylistService;
use tonearm_core::playlists::transfer::PlaylistFormat;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::playlists::PlaylistSummary;
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::http::headers::{attachment, version_etag};
use crate::state::AppState;

/// A full playlist (10,000 entries with `#EXTINF` lines and long paths) fits easily.
const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_playlist))
        .merge(OpenApiRouter::new().routes(routes!(import_playlist)).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportParams {
    /// `m3u8` (extended M3U, UTF-8) or `xspf`.
    format: String,
}

/// The playlist as a file for other players: M3U8 with `#EXTINF` durations and
/// `artist - title`, or XSPF; track paths are relative to the library root.
#[utoipa::path(get, path = "/api/v1/playlists/{id}/export", tag = "playlists", params(("id" = i64, Path), ExportParams),
    security(("bearer" = [])),
    responses((status = 200, description = "The playlist file", content_type = "audio/x-mpegurl", body = String),
        (status = 400, description = "`invalid_format`", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let format = PlaylistFormat::parse(&params.format)?;
    let exported = playlists.export(id, claims.user(), format).await?;
    let content_type = match format {
        PlaylistFormat::M3u8 => "audio/x-mpegurl; charset=utf-8",
        PlaylistFormat::Xspf => "application/xspf+xml; charset=utf-8",
    };
    let extension = format.extension();
    let disposition = attachment(&format!("playlist-{id}"), extension, &format!("{}.{extension}", exported.name));
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type)), (header::CONTENT_DISPOSITION, disposition)],
        exported.text,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportParams {
    /// The new playlist's name; by default the file's `#PLAYLIST:` line, else "Imported playlist".
    name: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct PlaylistImport {
    /// The new (private) playlist, holding the matched tracks in the file's order.
    playlist: PlaylistSummary,
    /// Entries matched to a track of the library.
    matched: usize,
    /// Entries that matched nothing, in the file's order.
    unmatched: Vec<UnmatchedEntry>,
}

#[derive(Serialize, ToSchema)]
struct UnmatchedEntry {
    /// 1-based line of the entry's location in the file.
    line: usize,
    location: String,
    /// From its `#EXTINF` line, when there was one.
    artist: Option<String>,
    title: Option<String>,
}

/// Creates a private playlist from an M3U8 file (the request body, at most 4 MiB and
/// 10,000 entries): each entry is matched by its path (relative to the library root,
/// absolute, or a `file://` URL), then by the `artist - title` of its `#EXTINF` line.
#[utoipa::path(post, path = "/api/v1/playlists/import", tag = "playlists", params(ImportParams),
    request_body(content = String, content_type = "audio/x-mpegurl"), security(("bearer" = [])),
    responses((status = 201, body = PlaylistImport),
        (status = 400, description = "`invalid_playlist_file`, `playlist_full`, `too_many_playlists`, `invalid_name`", body = ErrorBody),
        (status = 413, body = ErrorBody)))]
async fn import_playlist(
    State(playlists): State<PlaylistService>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::bad_request("invalid_body", rejection.body_text())
        }
    })?;
    let imported = playlists.import_m3u(claims.user(), &body, params.name.as_deref()).await?;
    let unmatched = imported
        .unmatched
        .into_iter()
        .map(|entry| UnmatchedEntry {
            line: entry.line,
            location: entry.location,
            artist: entry.artist,
            title: entry.title,
        })
        .collect();
    let tag = version_etag(imported.playlist.version);
    let answer = PlaylistImport { playlist: imported.playlist.into(), matched: imported.matched, unmatched };
    Ok((StatusCode::CREATED, [(header::ETAG, tag)], Json(answer)).into_response())
}
