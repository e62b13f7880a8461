//! `GET /search`: a top result and one page per kind of artists, albums, tracks, genres
//! and playlists (public ones and the caller's own), each drawn with the same summary the
//! catalog and playlist lists return.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use tonearm_core::search::{Group, Item, Kind, Search, SearchAsked, SearchResults};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::{AlbumSummary, ArtistSummary, GenreSummary, TrackSummary};
use crate::api::v1::dto::playlists::PlaylistSummary;
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiQuery;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What the listener typed, 1–200 characters. The last word matches as a prefix unless
    /// a space follows it; small typos, case and accents do not matter.
    q: Option<String>,
    /// Comma-separated kinds to return: `artist`, `album`, `track`, `genre`, `playlist`; default all.
    types: Option<String>,
    /// Items per kind, 1–50; default 10.
    limit: Option<usize>,
    /// Items of each kind to skip, 0–500; default 0.
    offset: Option<usize>,
}

impl From<SearchParams> for SearchAsked {
    fn from(params: SearchParams) -> Self {
        let SearchParams { q, types, limit, offset } = params;
        Self { text: q, kinds: types, limit, offset }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The best match among the requested kinds; null when nothing matched.
    top: Option<TopResult>,
    /// Present when requested (all are by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    artists: Option<SearchGroup<ArtistSummary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    albums: Option<SearchGroup<AlbumSummary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracks: Option<SearchGroup<TrackSummary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genres: Option<SearchGroup<GenreSummary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    playlists: Option<SearchGroup<PlaylistSummary>>,
}

/// The top result with its kind: `{"kind": "artist", "item": {…}}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", content = "item", rename_all = "snake_case")]
pub enum TopResult {
    Artist(ArtistSummary),
    Album(AlbumSummary),
    Track(TrackSummary),
    Genre(GenreSummary),
    Playlist(PlaylistSummary),
}

/// One page of the matches of one kind, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchGroup<T> {
    /// Matches of this kind in all.
    total: usize,
    items: Vec<T>,
}

impl From<Item> for TopResult {
    fn from(item: Item) -> Self {
        match item {
            Item::Artist(artist) => TopResult::Artist(artist.into()),
            Item::Album(album) => TopResult::Album(album.into()),
            Item::Track(track) => TopResult::Track(track.into()),
            Item::Genre(genre) => TopResult::Genre(genre.into()),
            Item::Playlist(playlist) => TopResult::Playlist(playlist.into()),
        }
    }
}

impl From<SearchResults> for SearchResponse {
    fn from(results: SearchResults) -> Self {
        let mut response = SearchResponse {
            top: results.top.map(TopResult::from),
            artists: None,
            albums: None,
            tracks: None,
            genres: None,
            playlists: None,
        };
        for group in results.groups {
            match group.kind {
                Kind::Artist => {
                    response.artists = Some(group_of(group, |item| match item {
                        Item::Artist(summary) => Some(summary.into()),
                        _ => None,
                    }))
                }
                Kind::Album => {
                    response.albums = Some(group_of(group, |item| match item {
                        Item::Album(summary) => Some(summary.into()),
                        _ => None,
                    }))
                }
                Kind::Track => {
                    response.tracks = Some(group_of(group, |item| match item {
                        Item::Track(summary) => Some(summary.into()),
                        _ => None,
                    }))
                }
                Kind::Genre => {
                    response.genres = Some(group_of(group, |item| match item {
                        Item::Genre(summary) => Some(summary.into()),
                        _ => None,
                    }))
                }
                Kind::Playlist => {
                    response.playlists = Some(group_of(group, |item| match item {
                        Item::Playlist(summary) => Some(summary.into()),
                        _ => None,
                    }))
                }
            }
        }
        response
    }
}

/// A group's items as summaries of its kind (the index groups by kind, so none is dropped).
fn group_of<T>(group: Group, summary: impl Fn(Item) -> Option<T>) -> SearchGroup<T> {
    SearchGroup { total: group.total, items: group.items.into_iter().filter_map(summary).collect() }
}

/// Searches the catalog and the playlists the caller may see: a top result and the best
/// matches of each kind.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams), security(("bearer" = [])),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn search(
    State(search): State<Search>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    Ok(Json(search.search(claims.user(), &params.into()).await?.into()))
}
