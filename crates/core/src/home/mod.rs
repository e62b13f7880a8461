//! The Home screen: the signed-in listener's shelves in display order: recently played,
//! their Made for you mixes, their playlists, "Because you listened to", Discover, their top
//! artists, then the shelves every listener shares (trending this week, new releases).

pub mod service_shelves;
pub mod top_artists;

use service_shelves::{ServiceShelves, Shape};
use tonearm_domain::{Tier, TrackId, UserId};
use tonearm_model::{AlbumSummary, ArtistSummary, CatalogVersion, PlaylistSummary, TrackSummary};
use top_artists::top_artists;

use crate::catalog::summaries::Summaries;
use crate::clock::now_millis;
use crate::error::ServiceResult;
use crate::recommendations::{Mix, Recommendations, Recommended};
use crate::stores::{Catalog, Listening, Playlists};

/// Items per shelf: a phone shows three or four, a swipe shows the rest.
const SHELF_ITEMS: u32 = 12;
const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;
const FOUR_WEEKS_MS: i64 = 4 * WEEK_MS;

/// One shelf: a stable id, a title, and its items of one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Shelf {
    Tracks { id: &'static str, title: String, items: Vec<TrackSummary> },
    Albums { id: &'static str, title: String, items: Vec<AlbumSummary> },
    Artists { id: &'static str, title: String, items: Vec<ArtistSummary> },
    Playlists { id: &'static str, title: String, items: Vec<PlaylistSummary> },
    Mixes { id: &'static str, title: String, items: Vec<Mix> },
    Recommended { id: &'static str, title: String, items: Vec<Recommended> },
}

impl Shelf {
    fn is_empty(&self) -> bool {
        match self {
            Self::Tracks { items, .. } => items.is_empty(),
            Self::Albums { items, .. } => items.is_empty(),
            Self::Artists { items, .. } => items.is_empty(),
            Self::Playlists { items, .. } => items.is_empty(),
            Self::Mixes { items, .. } => items.is_empty(),
            Self::Recommended { items, .. } => items.is_empty(),
        }
    }
}

#[derive(Clone)]
pub struct Home {
    summaries: Summaries,
    listening: Listening,
    playlists: Playlists,
    shared: ServiceShelves,
    recommendations: Recommendations,
}

impl Home {
    /// `summaries` is the node's one cache of them, shared with the other short lists.
    pub fn new(
        summaries: Summaries,
        catalog: Catalog,
        listening: Listening,
        playlists: Playlists,
        version: CatalogVersion,
        recommendations: Recommendations,
    ) -> Self {
        let shape = Shape { trending_window_ms: WEEK_MS, items: SHELF_ITEMS };
        let shared = ServiceShelves::new(catalog, listening.clone(), version, shape);
        Self { summaries, listening, playlists, shared, recommendations }
    }

    /// The listener's shelves in display order; shelves with nothing to show are left out.
    /// The queries, all on the listener's own rows, run side by side: the shared shelves are
    /// made in the background, the summaries and the recommender's facts are kept per
    /// catalog version. `tier` decides what recommendations may offer.
    pub async fn shelves(&self, user: UserId, tier: Tier) -> ServiceResult<Vec<Shelf>> {
        let now = now_millis();
        let recent_tracks = async {
            let recent = self.listening.recently_played(user, SHELF_ITEMS).await?;
            let ids: Vec<TrackId> = recent.iter().map(|play| play.track_id).collect();
            self.summaries.tracks(&ids).await
        };
        let own = async {
            tokio::try_join!(
                recent_tracks,
                self.playlists.playlists_of(user),
                top_artists(&self.listening, &self.summaries, user, Some(now - FOUR_WEEKS_MS), SHELF_ITEMS as usize),
                self.shared.get(),
            )
        };
        let (own, recommended) = tokio::join!(own, self.recommendations.home(user, tier));
        let ((recent_tracks, mine, top_artists, shared), recommended) = (own?, recommended?);
        let (because_title, because_artists) = match &recommended.because_you_listened {
            Some((artist, related)) => (format!("Because you listened to {}", artist.name), related.clone()),
            None => (String::new(), Vec::new()),
        };
        let artists = top_artists.into_iter().map(|top| top.artist).collect();
        let shelves = [
            Shelf::Tracks { id: "recently_played", title: "Recently played".into(), items: recent_tracks },
            Shelf::Mixes { id: "made_for_you", title: "Made for you".into(), items: recommended.mixes.clone() },
            Shelf::Playlists {
                id: "your_playlists",
                title: "Your playlists".into(),
                items: mine.into_iter().take(SHELF_ITEMS as usize).collect(),
            },
            Shelf::Artists { id: "because_you_listened", title: because_title, items: because_artists },
            Shelf::Recommended {
                id: "discover",
                title: "Discover".into(),
                items: recommended.discover.iter().take(SHELF_ITEMS as usize).cloned().collect(),
            },
            Shelf::Artists { id: "top_artists", title: "Your top artists".into(), items: artists },
            Shelf::Tracks { id: "trending", title: "Trending this week".into(), items: shared.trending.clone() },
            Shelf::Albums { id: "new_releases", title: "New releases".into(), items: shared.new_releases.clone() },
        ];
        Ok(shelves.into_iter().filter(|shelf| !shelf.is_empty()).collect())
    }
}
