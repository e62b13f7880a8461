//! New releases from the artists a listener follows (has liked): the feed the app turns
//! into notifications when the listener allows them.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tonearm_domain::{ArtistId, Cursor, Page, PageRequest, Sort};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::AlbumSummary;
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::ApiQuery;
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
#[utoipa::path(get, path = "/api/v1/me/new-releases", tag = "listening", params(NewReleaseParams), security(("bearer" = [])),
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
    // Walk the catalog's newest albums (keyset pages, newest first) down to `since`: the
    // work is bounded by what was added since, not by how many artists a listener follows.
    let followed: HashSet<ArtistId> =
        listening.liked_artists(claims.user()).await?.into_iter().map(|liked| liked.id).collect();
    let mut rows = Vec::new();
    let mut request = PageRequest { sort: Sort::DateAdded, limit: PageRequest::MAX_LIMIT, after };
    'pages: while !followed.is_empty() {
        let page = catalog.list_albums(&request).await?;
        for album in page.items {
            if album.added_at <= params.since {
                break 'pages;
            }
            if followed.contains(&album.artist.id) {
                rows.push(album);
                if rows.len() > limit as usize {
                    break 'pages;
                }
            }
        }
        let Some(next) = page.next_cursor else { break };
        request.after = Some(
            Cursor::decode(&next, Sort::DateAdded)
                .map_err(|error| ApiError::internal("a cursor of our own did not decode", error))?,
        );
    }
    let page = Page::from_rows(rows, limit, |album| Cursor {
        sort: Sort::DateAdded,
        text: None,
        number: album.added_at,
        id: album.id.0,
    });
    Ok(Json(page.map(Into::into)))
}
