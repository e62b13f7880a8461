//! The Home screen's data: shelves for the signed-in listener, each a titled list of
//! items the app draws as they come. Recommendation shelves join this list later.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use tonearm_model::{AlbumSummary, ArtistSummary, CatalogVersion, PlaylistSummary, TrackSummary};
use tonearm_domain::TrackId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::authentication::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::oauth::now_millis;
use crate::service_shelves::{ServiceShelves, Shape};
use crate::state::{AppState, Catalog, Listening, Playlists};
use crate::summaries::Summaries;
use crate::top_artists::top_artists;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(home))
}

/// Items per shelf: a phone shows three or four, a swipe shows the rest.
const SHELF_ITEMS: u32 = 12;
const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;
const FOUR_WEEKS_MS: i64 = 4 * WEEK_MS;

/// "Trending this week" and "New releases", the same on every listener's Home.
pub fn service_shelves(catalog: Catalog, listening: Listening, version: CatalogVersion) -> ServiceShelves {
    ServiceShelves::new(catalog, listening, version, Shape { trending_window_ms: WEEK_MS, items: SHELF_ITEMS })
}

/// One shelf; `kind` says what its items are.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Shelf {
    Tracks { id: String, title: String, items: Vec<TrackSummary> },
    Albums { id: String, title: String, items: Vec<AlbumSummary> },
    Artists { id: String, title: String, items: Vec<ArtistSummary> },
    Playlists { id: String, title: String, items: Vec<PlaylistSummary> },
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
    State(summaries): State<Summaries>,
    State(listening): State<Listening>,
    State(playlists): State<Playlists>,
    State(service): State<ServiceShelves>,
    Authenticated(claims): Authenticated,
) -> Result<Json<Home>, ApiError> {
    let user = claims.user();
    let now = now_millis();
    let recent_tracks = async {
        let recent = listening.recently_played(user, SHELF_ITEMS).await?;
        let ids: Vec<TrackId> = recent.iter().map(|play| play.track_id).collect();
        summaries.tracks(&ids).await
    };
    let (recent_tracks, mine, top_artists, shared) = tokio::try_join!(
        recent_tracks,
        playlists.playlists_of(user),
        top_artists(&listening, &summaries, user, Some(now - FOUR_WEEKS_MS), SHELF_ITEMS as usize),
        service.get(),
    )?;
    let artists = top_artists.into_iter().map(|top| top.artist).collect();

    let shelves = [
        Shelf::Tracks { id: "recently_played".into(), title: "Recently played".into(), items: recent_tracks },
        Shelf::Playlists {
            id: "your_playlists".into(),
            title: "Your playlists".into(),
            items: mine.into_iter().take(SHELF_ITEMS as usize).collect(),
        },
        Shelf::Artists { id: "top_artists".into(), title: "Your top artists".into(), items: artists },
        Shelf::Tracks { id: "trending".into(), title: "Trending this week".into(), items: shared.trending.clone() },
        Shelf::Albums { id: "new_releases".into(), title: "New releases".into(), items: shared.new_releases.clone() },
    ];
    let sections = shelves.into_iter().filter(|shelf| !shelf.is_empty()).collect();
    Ok(Json(Home { sections }))
}

impl Shelf {
    fn is_empty(&self) -> bool {
        match self {
            Self::Tracks { items, .. } => items.is_empty(),
            Self::Albums { items, .. } => items.is_empty(),
            Self::Artists { items, .. } => items.is_empty(),
            Self::Playlists { items, .. } => items.is_empty(),
        }
    }
}
