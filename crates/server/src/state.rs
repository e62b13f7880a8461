//! What handlers share. Each handler asks only for the service it uses (`State<Browse>`).

use std::sync::Arc;

use axum::extract::FromRef;
use tonearm_search::SearchIndex;

use crate::auth::authority::OAuth;
use crate::http::client_address::TrustedProxies;
use crate::http::open_originals::OpenOriginals;
use crate::http::zero_copy::OriginalBodies;
use tonearm_core::accounts::{Accounts, Credentials};
use tonearm_core::admin::curation::Curation;
use tonearm_core::admin::scans::Scans;
use tonearm_core::admin::transcoding::Transcoding;
use tonearm_core::catalog::browse::Browse;
use tonearm_core::catalog::covers::Covers;
use tonearm_core::catalog::new_releases::NewReleases;
use tonearm_core::health::Health;
use tonearm_core::home::Home;
use tonearm_core::listening::history::History;
use tonearm_core::listening::likes::Likes;
use tonearm_core::playlists::PlaylistService;
use tonearm_core::recommendations::Recommendations;
use tonearm_core::search::Search;
use tonearm_core::streaming::access::Skips;
use tonearm_core::streaming::adaptive::Adaptive;
use tonearm_core::streaming::originals::Originals;
use tonearm_core::streaming::renditions::Renditions;
use tonearm_core::streaming::sources::StreamSources;

pub use tonearm_core::library::Library;
pub use tonearm_core::stores::{Catalog, Listening, Playlists};

/// Cloned for every request (by the router, per handler call), so it is one `Arc`: a clone
/// costs one reference count rather than one per shared piece, which two cores hitting the
/// same counters made a measurable share of a cached catalog page.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub catalog: Catalog,
    /// The catalog's stream sources, cached per catalog version.
    pub sources: StreamSources,
    pub listening: Listening,
    pub playlists: Playlists,
    pub accounts: Accounts,
    pub browse: Browse,
    pub covers: Covers,
    pub new_releases: NewReleases,
    pub search: Search,
    pub scans: Scans,
    pub curation: Curation,
    pub transcoding: Transcoding,
    pub health: Health,
    pub home: Home,
    pub recommendations: Recommendations,
    pub likes: Likes,
    pub history: History,
    pub playlist_service: PlaylistService,
    pub skips: Skips,
    pub renditions: Renditions,
    pub originals: Originals,
    pub library: Library,
    pub oauth: OAuth,
    pub proxies: TrustedProxies,
    pub search_index: Arc<SearchIndex>,
    pub adaptive: Adaptive,
    /// Original files held open between the range requests of a stream; it also knows how
    /// this server sends files (`OriginalBodies`).
    pub open_originals: OpenOriginals,
}

/// Each handler asks for the one piece it uses; a piece is a cheap clone (an `Arc` or a
/// handle holding them).
macro_rules! pieces {
    ($($piece:ty => |$state:ident| $value:expr),+ $(,)?) => {
        $(impl FromRef<AppState> for $piece {
            fn from_ref($state: &AppState) -> Self {
                $value
            }
        })+
    };
}

pieces! {
    TrustedProxies => |state| state.proxies.clone(),
    OriginalBodies => |state| state.open_originals.sending(),
    OpenOriginals => |state| state.open_originals.clone(),
    StreamSources => |state| state.sources.clone(),
    OAuth => |state| state.oauth.clone(),
    Credentials => |state| state.oauth.credentials.clone(),
    Browse => |state| state.browse.clone(),
    Covers => |state| state.covers.clone(),
    NewReleases => |state| state.new_releases.clone(),
    Search => |state| state.search.clone(),
    Scans => |state| state.scans.clone(),
    Curation => |state| state.curation.clone(),
    Transcoding => |state| state.transcoding.clone(),
    Health => |state| state.health.clone(),
    Adaptive => |state| Arc::clone(&state.adaptive),
    Accounts => |state| state.accounts.clone(),
    Home => |state| state.home.clone(),
    Recommendations => |state| state.recommendations.clone(),
    History => |state| state.history.clone(),
    Likes => |state| state.likes.clone(),
    PlaylistService => |state| state.playlist_service.clone(),
    Skips => |state| state.skips.clone(),
    Renditions => |state| state.renditions.clone(),
    Originals => |state| state.originals.clone(),
}
