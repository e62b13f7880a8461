//! `GET /api/v1/home`: the Home screen's shelves (assembled by `tonearm_core::home`), each a
//! titled list of items the app draws as they come.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use tonearm_core::home as shelves;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::catalog::{AlbumSummary, ArtistSummary, TrackSummary};
use crate::api::v1::dto::list;
use crate::api::v1::dto::playlists::PlaylistSummary;
use crate::api::v1::dto::recommendations::{MixSummary, RecommendedTrack};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(home))
}

/// One shelf; `kind` says what its items are.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Shelf {
    Tracks { id: String, title: String, items: Vec<TrackSummary> },
    Albums { id: String, title: String, items: Vec<AlbumSummary> },
    Artists { id: String, title: String, items: Vec<ArtistSummary> },
    Playlists { id: String, title: String, items: Vec<PlaylistSummary> },
    Mixes { id: String, title: String, items: Vec<MixSummary> },
    Recommended { id: String, title: String, items: Vec<RecommendedTrack> },
}

#[derive(Serialize, ToSchema)]
struct Home {
    /// In display order; shelves with nothing to show are left out.
    sections: Vec<Shelf>,
}

/// Recently played, your playlists, your top artists, trending this week, new releases.
#[utoipa::path(get, path = "/api/v1/home", tag = "listening", security(("bearer" = [])),
    responses((status = 200, body = Home), (status = 401, body = ErrorBody)))]
async fn home(
    State(service): State<shelves::Home>,
    Authenticated(claims): Authenticated,
) -> Result<Json<Home>, ApiError> {
    let shelves = service.shelves(claims.user(), claims.tier).await?;
    Ok(Json(Home { sections: shelves.into_iter().map(Shelf::from).collect() }))
}

impl From<shelves::Shelf> for Shelf {
    fn from(shelf: shelves::Shelf) -> Self {
        match shelf {
            shelves::Shelf::Tracks { id, title, items } => Self::Tracks { id: id.into(), title, items: list(items) },
            shelves::Shelf::Albums { id, title, items } => Self::Albums { id: id.into(), title, items: list(items) },
            shelves::Shelf::Artists { id, title, items } => Self::Artists { id: id.into(), title, items: list(items) },
            shelves::Shelf::Playlists { id, title, items } => {
                Self::Playlists { id: id.into(), title, items: list(items) }
            }
            shelves::Shelf::Mixes { id, title, items } => Self::Mixes { id: id.into(), title, items: list(items) },
            shelves::Shelf::Recommended { id, title, items } => {
                Self::Recommended { id: id.into(), title, items: list(items) }
            }
        }
    }
}
