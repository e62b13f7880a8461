//! The signed-in listener's history and likes: play events in idempotent batches, recently
//! played, top tracks and artists, and liked tracks, albums and artists. Every route is
//! scoped to the token's user: there is no way to name another listener here.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tonearm_core::listening::history::{self, History, ReportedPlay};
use tonearm_core::listening::likes::{self, LibraryPage, Likes};
use tonearm_domain::{AlbumId, ArtistId, TrackId};
use tonearm_model::LikeTarget;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::{AlbumSummary, ArtistSummary, TrackSummary};
use crate::api::v1::dto::listening::{EndReason, PlayContext, PlayEventKind};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_play_events))
        .routes(routes!(recently_played))
        .routes(routes!(top_tracks))
        .routes(routes!(top_artists))
        .routes(routes!(liked_tracks))
        .routes(routes!(liked_albums))
        .routes(routes!(liked_artists))
        .routes(routes!(like_track, unlike_track))
        .routes(routes!(like_album, unlike_album))
        .routes(routes!(like_artist, unlike_artist))
}

#[derive(Deserialize, ToSchema)]
struct PlayEventBatch {
    events: Vec<PlayEventIn>,
}

#[derive(Deserialize, ToSchema)]
struct PlayEventIn {
    /// Chosen by the client (a UUID, say) and kept across retries of the batch.
    id: String,
    kind: PlayEventKind,
    track_id: i64,
    /// Unix milliseconds.
    occurred_at: i64,
    /// Milliseconds of the track heard so far in this play.
    ms_played: i64,
    /// Only on `play_end`.
    reason: Option<EndReason>,
    context: Option<PlayContext>,
}

impl From<PlayEventIn> for ReportedPlay {
    fn from(event: PlayEventIn) -> Self {
        let PlayEventIn { id, kind, track_id, occurred_at, ms_played, reason, context } = event;
        Self {
            id,
            kind: kind.into(),
            track_id,
            occurred_at,
            ms_played,
            reason: reason.map(Into::into),
            context: context.map(Into::into),
        }
    }
}

#[derive(Serialize, ToSchema)]
struct RecordedEvents {
    stored: u32,
    /// Already stored by an earlier delivery of the same events.
    duplicates: u32,
    /// Ids of events about tracks that no longer exist: not stored; do not send them again.
    unknown_tracks: Vec<String>,
}

/// Stores a batch of play events; it is on disk when this answers `200`. Sending the same
/// batch again (after a timeout, say) stores nothing twice.
#[utoipa::path(post, path = "/api/v1/me/play-events", tag = "listening", request_body = PlayEventBatch, security(("bearer" = [])),
    responses((status = 200, body = RecordedEvents), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_play_events(
    State(history): State<History>,
    Authenticated(claims): Authenticated,
    ApiJson(batch): ApiJson<PlayEventBatch>,
) -> Result<Json<RecordedEvents>, ApiError> {
    let recorded = history.record(claims.user(), batch.events.into_iter().map(ReportedPlay::from).collect()).await?;
    Ok(Json(RecordedEvents {
        stored: recorded.stored,
        duplicates: recorded.duplicates,
        unknown_tracks: recorded.unknown_tracks,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LimitParams {
    /// 1 to 100; 20 when left out.
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
struct RecentlyPlayed {
    items: Vec<RecentItem>,
}

#[derive(Serialize, ToSchema)]
struct RecentItem {
    track: TrackSummary,
    /// Unix milliseconds.
    played_at: i64,
    context: Option<PlayContext>,
}

/// Tracks recently played, newest first, each once.
#[utoipa::path(get, path = "/api/v1/me/recently-played", tag = "listening", params(LimitParams), security(("bearer" = [])),
    responses((status = 200, body = RecentlyPlayed), (status = 401, body = ErrorBody)))]
async fn recently_played(
    State(history): State<History>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<LimitParams>,
) -> Result<Json<RecentlyPlayed>, ApiError> {
    let recent = history.recently_played(claims.user(), params.limit).await?;
    let items = recent
        .into_iter()
        .map(|play| RecentItem {
            track: play.track.into(),
            played_at: play.played_at,
            context: play.context.map(Into::into),
        })
        .collect();
    Ok(Json(RecentlyPlayed { items }))
}

/// Spotify's three windows: about 4 weeks, about 6 months, and all time.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
enum TimeRange {
    #[serde(rename = "short_term")]
    Weeks,
    #[default]
    #[serde(rename = "medium_term")]
    Months,
    #[serde(rename = "long_term")]
    AllTime,
}

impl From<TimeRange> for history::TimeRange {
    fn from(range: TimeRange) -> Self {
        match range {
            TimeRange::Weeks => Self::Weeks,
            TimeRange::Months => Self::Months,
            TimeRange::AllTime => Self::AllTime,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TopParams {
    /// `short_term` (4 weeks), `medium_term` (6 months, the default) or `long_term` (all time).
    #[param(value_type = Option<String>)]
    range: Option<TimeRange>,
    /// 1 to 100; 20 when left out.
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
struct TopTracks {
    items: Vec<TopTrack>,
}

#[derive(Serialize, ToSchema)]
struct TopTrack {
    track: TrackSummary,
    /// Plays of at least 30 s (or to the end) in the window.
    plays: i64,
}

/// The listener's most played tracks in a window.
#[utoipa::path(get, path = "/api/v1/me/top/tracks", tag = "listening", params(TopParams), security(("bearer" = [])),
    responses((status = 200, body = TopTracks), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn top_tracks(
    State(history): State<History>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<TopParams>,
) -> Result<Json<TopTracks>, ApiError> {
    let range = params.range.unwrap_or_default().into();
    let ranked = history.top_tracks(claims.user(), range, params.limit).await?;
    let items = ranked.into_iter().map(|top| TopTrack { track: top.track.into(), plays: top.plays }).collect();
    Ok(Json(TopTracks { items }))
}

#[derive(Serialize, ToSchema)]
struct TopArtists {
    items: Vec<TopArtist>,
}

#[derive(Serialize, ToSchema)]
struct TopArtist {
    artist: ArtistSummary,
    plays: i64,
}

/// The listener's most played artists in a window (every credited artist of a track).
#[utoipa::path(get, path = "/api/v1/me/top/artists", tag = "listening", params(TopParams), security(("bearer" = [])),
    responses((status = 200, body = TopArtists), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn top_artists(
    State(history): State<History>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<TopParams>,
) -> Result<Json<TopArtists>, ApiError> {
    let range = params.range.unwrap_or_default().into();
    let ranked = history.top_artists(claims.user(), range, params.limit).await?;
    let items = ranked.into_iter().map(|top| TopArtist { artist: top.artist.into(), plays: top.plays }).collect();
    Ok(Json(TopArtists { items }))
}

/// The orders of the library views.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum LibrarySort {
    /// Most recently liked first.
    #[default]
    DateAdded,
    Name,
    Artist,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LibraryParams {
    /// `date_added` (newest first, the default), `name` or `artist`.
    #[param(value_type = Option<String>)]
    sort: Option<LibrarySort>,
    /// 1 to 500; 50 when left out.
    limit: Option<u32>,
    offset: Option<u32>,
}

impl LibraryParams {
    fn page(&self) -> LibraryPage {
        let sort = match self.sort.unwrap_or_default() {
            LibrarySort::DateAdded => likes::LibrarySort::DateAdded,
            LibrarySort::Name => likes::LibrarySort::Name,
            LibrarySort::Artist => likes::LibrarySort::Artist,
        };
        LibraryPage { sort, limit: self.limit, offset: self.offset }
    }
}

#[derive(Serialize, ToSchema)]
struct LikedTracks {
    items: Vec<LikedTrack>,
    total: usize,
}

#[derive(Serialize, ToSchema)]
struct LikedTrack {
    track: TrackSummary,
    /// Unix milliseconds.
    liked_at: i64,
}

/// "Liked Songs".
#[utoipa::path(get, path = "/api/v1/me/likes/tracks", tag = "listening", params(LibraryParams), security(("bearer" = [])),
    responses((status = 200, body = LikedTracks), (status = 401, body = ErrorBody)))]
async fn liked_tracks(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<LibraryParams>,
) -> Result<Json<LikedTracks>, ApiError> {
    let page = likes.tracks(claims.user(), params.page()).await?;
    let items = page.items.into_iter().map(|liked| LikedTrack { track: liked.item.into(), liked_at: liked.liked_at });
    Ok(Json(LikedTracks { items: items.collect(), total: page.total }))
}

#[derive(Serialize, ToSchema)]
struct LikedAlbums {
    items: Vec<LikedAlbum>,
    total: usize,
}

#[derive(Serialize, ToSchema)]
struct LikedAlbum {
    album: AlbumSummary,
    liked_at: i64,
}

#[utoipa::path(get, path = "/api/v1/me/likes/albums", tag = "listening", params(LibraryParams), security(("bearer" = [])),
    responses((status = 200, body = LikedAlbums), (status = 401, body = ErrorBody)))]
async fn liked_albums(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<LibraryParams>,
) -> Result<Json<LikedAlbums>, ApiError> {
    let page = likes.albums(claims.user(), params.page()).await?;
    let items = page.items.into_iter().map(|liked| LikedAlbum { album: liked.item.into(), liked_at: liked.liked_at });
    Ok(Json(LikedAlbums { items: items.collect(), total: page.total }))
}

#[derive(Serialize, ToSchema)]
struct LikedArtists {
    items: Vec<LikedArtist>,
    total: usize,
}

#[derive(Serialize, ToSchema)]
struct LikedArtist {
    artist: ArtistSummary,
    liked_at: i64,
}

#[utoipa::path(get, path = "/api/v1/me/likes/artists", tag = "listening", params(LibraryParams), security(("bearer" = [])),
    responses((status = 200, body = LikedArtists), (status = 401, body = ErrorBody)))]
async fn liked_artists(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<LibraryParams>,
) -> Result<Json<LikedArtists>, ApiError> {
    let page = likes.artists(claims.user(), params.page()).await?;
    let items = page.items.into_iter().map(|liked| LikedArtist { artist: liked.item.into(), liked_at: liked.liked_at });
    Ok(Json(LikedArtists { items: items.collect(), total: page.total }))
}

/// Likes a track (idempotent).
#[utoipa::path(put, path = "/api/v1/me/likes/tracks/{id}", tag = "listening", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn like_track(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    likes.set(claims.user(), LikeTarget::Track(TrackId(id)), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/me/likes/tracks/{id}", tag = "listening", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204)))]
async fn unlike_track(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    likes.set(claims.user(), LikeTarget::Track(TrackId(id)), false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/me/likes/albums/{id}", tag = "listening", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn like_album(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    likes.set(claims.user(), LikeTarget::Album(AlbumId(id)), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/me/likes/albums/{id}", tag = "listening", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204)))]
async fn unlike_album(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    likes.set(claims.user(), LikeTarget::Album(AlbumId(id)), false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/me/likes/artists/{id}", tag = "listening", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn like_artist(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    likes.set(claims.user(), LikeTarget::Artist(ArtistId(id)), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/me/likes/artists/{id}", tag = "listening", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204)))]
async fn unlike_artist(
    State(likes): State<Likes>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    likes.set(claims.user(), LikeTarget::Artist(ArtistId(id)), false).await?;
    Ok(StatusCode::NO_CONTENT)
}
