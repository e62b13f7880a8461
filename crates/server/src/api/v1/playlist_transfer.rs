//! Playlists in and out of other players: export as M3U8 or XSPF (paths relative to the
//! library root), import of M3U8 into a new playlist. Imported entries are matched by
//! path first, then by `artist - title` (case, accents and spacing aside); the answer says
//! how many matched and which lines did not.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tonearm_core::clock::now_millis;
use tonearm_core::playlists::cover;
use tonearm_core::playlists::files::{FileEntry, M3uEntry, parse_m3u, write_m3u8, write_xspf};
use tonearm_domain::TrackId;
use tonearm_model::{EntriesEdit, MAX_PLAYLIST_ENTRIES, NewPlaylist, PlaylistError};
use tonearm_search::SearchIndex;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::playlists::PlaylistSummary;
use super::playlists::{Access, clean_name, entries_with_tracks, etag, playlist_for};
use super::stream::attachment;
use crate::app::state::{AppState, Catalog, Library, Playlists};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};

/// A full playlist (10,000 entries with `#EXTINF` lines and long paths) fits easily.
const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;
const DEFAULT_IMPORT_NAME: &str = "Imported playlist";

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
    State(playlists): State<Playlists>,
    State(catalog): State<Catalog>,
    State(library): State<Library>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let (extension, content_type) = match params.format.as_str() {
        "m3u8" => ("m3u8", "audio/x-mpegurl; charset=utf-8"),
        "xspf" => ("xspf", "application/xspf+xml; charset=utf-8"),
        _ => return Err(ApiError::bad_request("invalid_format", "format is m3u8 or xspf")),
    };
    let playlist = playlist_for(&playlists, id, &claims, Access::Read).await?;
    let (entries, tracks) = entries_with_tracks(&playlists, &catalog, id).await?;
    let unique: Vec<TrackId> = tracks.keys().copied().collect();
    let paths: HashMap<TrackId, String> = catalog.track_paths(&unique).await?.into_iter().collect();
    let roots = library.scanner.roots();
    let files: Vec<FileEntry> = entries
        .iter()
        .filter_map(|entry| {
            let track = tracks.get(&entry.track_id)?;
            Some(FileEntry {
                path: relative_to_library(roots, paths.get(&entry.track_id)?),
                artist: track.artists.iter().map(|artist| artist.name.as_str()).collect::<Vec<_>>().join(", "),
                title: track.title.clone(),
                album: track.album.title.clone(),
                duration_ms: track.duration_ms,
            })
        })
        .collect();
    let body =
        if extension == "m3u8" { write_m3u8(&playlist.name, &files) } else { write_xspf(&playlist.name, &files) };
    let disposition = attachment(&format!("playlist-{id}"), extension, &format!("{}.{extension}", playlist.name));
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type)), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// The path under the library root it lies in; a file outside every root keeps its full path.
fn relative_to_library(roots: &[PathBuf], path: &str) -> String {
    let path = Path::new(path);
    roots.iter().find_map(|root| path.strip_prefix(root).ok()).unwrap_or(path).to_string_lossy().into_owned()
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
    State(playlists): State<Playlists>,
    State(catalog): State<Catalog>,
    State(library): State<Library>,
    State(index): State<Arc<SearchIndex>>,
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
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("invalid_playlist_file", "an M3U8 file is UTF-8 text"))?;
    let file = parse_m3u(text);
    if file.entries.is_empty() {
        return Err(ApiError::bad_request("invalid_playlist_file", "the file lists no tracks"));
    }
    if file.entries.len() > MAX_PLAYLIST_ENTRIES {
        return Err(PlaylistError::TooManyEntries.into());
    }
    let name = clean_name(params.name.as_deref().or(file.name.as_deref()).unwrap_or(DEFAULT_IMPORT_NAME))?;
    let matches = match_entries(&file.entries, &catalog, &library, index).await?;

    let new = NewPlaylist { name, description: String::new(), public: false };
    let created = playlists.create_playlist(claims.user(), &new, now_millis()).await?;
    let tracks: Vec<TrackId> = matches.iter().flatten().copied().collect();
    let playlist = if tracks.is_empty() {
        created
    } else {
        let edit = EntriesEdit::Add { tracks, position: None };
        let filled = playlists.edit_entries(created.id, &edit, Some(created.version), now_millis()).await?;
        cover::refresh(&playlists, library.covers(), filled).await
    };
    let unmatched: Vec<UnmatchedEntry> = file
        .entries
        .into_iter()
        .zip(&matches)
        .filter(|(_, matched)| matched.is_none())
        .map(|(entry, _)| UnmatchedEntry {
            line: entry.line,
            location: entry.location,
            artist: entry.artist,
            title: entry.title,
        })
        .collect();
    let matched = matches.len() - unmatched.len();
    tracing::info!(user = %claims.user(), playlist = playlist.id, matched, unmatched = unmatched.len(), "playlist imported");
    let tag = etag(playlist.version);
    Ok((
        StatusCode::CREATED,
        [(header::ETAG, tag)],
        Json(PlaylistImport { playlist: playlist.into(), matched, unmatched }),
    )
        .into_response())
}

/// The track each entry names, if any: by path first, then by artist and title.
async fn match_entries(
    entries: &[M3uEntry],
    catalog: &Catalog,
    library: &Library,
    index: Arc<SearchIndex>,
) -> Result<Vec<Option<TrackId>>, ApiError> {
    let candidates: Vec<Vec<String>> =
        entries.iter().map(|entry| candidate_paths(&entry.location, library.scanner.roots())).collect();
    let mut all: Vec<String> = candidates.iter().flatten().cloned().collect();
    all.sort_unstable();
    all.dedup();
    let by_path: HashMap<String, TrackId> = catalog.tracks_at_paths(&all).await?.into_iter().collect();
    let mut matches: Vec<Option<TrackId>> =
        candidates.iter().map(|paths| paths.iter().find_map(|path| by_path.get(path).copied())).collect();

    let by_name: Vec<(usize, String, String)> = entries
        .iter()
        .enumerate()
        .filter(|(position, _)| matches[*position].is_none())
        .filter_map(|(position, entry)| Some((position, entry.artist.clone()?, entry.title.clone()?)))
        .collect();
    // Each lookup reads the index: off the async workers, all in one trip.
    let found = tokio::task::spawn_blocking(move || {
        by_name
            .into_iter()
            .map(|(position, artist, title)| {
                Ok((position, index.tracks_by(&artist, &title)?.first().map(|track| track.id)))
            })
            .collect::<Result<Vec<_>, tonearm_search::SearchError>>()
    })
    .await
    .map_err(|error| ApiError::Internal(format!("playlist matching task failed: {error}")))?
    .map_err(|error| ApiError::Internal(error.to_string()))?;
    for (position, track) in found {
        matches[position] = track;
    }
    Ok(matches)
}

/// Where an entry's file would be in the catalog: a `file://` URL's path, an absolute
/// path as it is, a relative one under each library root. Windows separators are read as
/// `/`, and `.` and `..` are resolved without touching the disk.
fn candidate_paths(location: &str, roots: &[PathBuf]) -> Vec<String> {
    let location = location.replace('\\', "/");
    if let Some(url_path) = location.strip_prefix("file://") {
        let path = url_path.strip_prefix("localhost").unwrap_or(url_path);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        return vec![normalized(Path::new(decoded.as_ref()))];
    }
    let path = Path::new(&location);
    if path.is_absolute() {
        return vec![normalized(path)];
    }
    roots.iter().map(|root| normalized(&root.join(path))).collect()
}

fn normalized(path: &Path) -> String {
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_looked_for_under_every_root_and_urls_are_decoded() {
        let roots = [PathBuf::from("/music"), PathBuf::from("/more")];
        assert_eq!(candidate_paths("A/./B/../C/01 x.mp3", &roots), ["/music/A/C/01 x.mp3", "/more/A/C/01 x.mp3"]);
        assert_eq!(candidate_paths("file:///music/A%20B/%C3%89.flac", &roots), ["/music/A B/É.flac"]);
        assert_eq!(candidate_paths("file://localhost/x.ogg", &roots), ["/x.ogg"]);
        assert_eq!(relative_to_library(&roots, "/more/A/b.mp3"), "A/b.mp3");
        assert_eq!(relative_to_library(&roots, "/elsewhere/b.mp3"), "/elsewhere/b.mp3");
    }
}
