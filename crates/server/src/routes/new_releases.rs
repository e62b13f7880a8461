//! New releases from the artists a listener follows (has liked): the feed the app turns
//! into notifications when the listener allows them.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tonearm_catalog::{AlbumSummary, StoreError};
use tonearm_domain::{Cursor, Page, Sort};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::authentication::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::{AppState, Catalog, Listening};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(new_releases))
}

const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

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
#[utoipa::path(get, path = "/me/new-releases", tag = "listening", params(NewReleaseParams), security(("bearer" = [])),
    responses((status = 200, body = Page<AlbumSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn new_releases(
    State(catalog): State<Catalog>,
    State(listening): State<Listening>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<NewReleaseParams>,
) -> Result<Json<Page<AlbumSummary>>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request("invalid_limit", format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let after = match &params.cursor {
        None => None,
        Some(raw) => Some(
            Cursor::decode(raw, Sort::DateAdded)
                .map_err(|error| ApiError::bad_request("invalid_cursor", error.to_string()))?,
        ),
    };
    // One catalog read per followed artist: listeners follow tens of artists, and the app
    // asks a few times an hour.
    let mut albums = Vec::new();
    for followed in listening.liked_artists(claims.user()).await? {
        match catalog.artist(followed.id).await {
            Ok(artist) => albums.extend(artist.albums.into_iter().filter(|album| album.added_at > params.since)),
            // Removed from the library since it was liked: nothing new from it.
            Err(StoreError::NotFound { .. }) => {}
            Err(error) => return Err(error.into()),
        }
    }
    albums.sort_unstable_by_key(|album| std::cmp::Reverse((album.added_at, album.id)));
    albums.dedup_by_key(|album| album.id);
    let rows = albums
        .into_iter()
        .filter(|album| after.as_ref().is_none_or(|cursor| (album.added_at, album.id.0) < (cursor.number, cursor.id)))
        .take(limit as usize + 1)
        .collect();
    Ok(Json(Page::from_rows(rows, limit, |album| Cursor {
        sort: Sort::DateAdded,
        text: None,
        number: album.added_at,
        id: album.id.0,
    })))
}
