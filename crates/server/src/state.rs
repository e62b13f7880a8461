//! What handlers share. Each handler asks only for the piece it uses (`State<Catalog>`).

use std::sync::Arc;

use axum::extract::FromRef;
use tonearm_search::SearchIndex;

use crate::auth::authority::OAuth;
use crate::http::client_address::TrustedProxies;
use crate::http::open_originals::OpenOriginals;
use crate::http::zero_copy::OriginalBodies;
use tonearm_core::accounts::{Accounts, Credentials};
use tonearm_core::catalog::summaries::Summaries;
use tonearm_core::home::Home;
use tonearm_core::listening::history::History;
use tonearm_core::listening::likes::Likes;
use tonearm_core::playlists::PlaylistService;
use tonearm_core::streaming::access::Skips;
use tonearm_core::streaming::adaptive::Adaptive;
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
    /// Track and artist summaries, cached per catalog version.
    pub summaries: Summaries,
    pub listening: Listening,
    pub playlists: Playlists,
    pub accounts: Accounts,
    pub home: Home,
    pub likes: Likes,
    pub history: History,
    pub playlist_service: PlaylistService,
    pub skips: Skips,
    pub renditions: Renditions,
    pub library: Library,
    pub oauth: OAuth,
    pub proxies: TrustedProxies,
    pub search: Arc<SearchIndex>,
    pub adaptive: Adaptive,
    /// Original files held open between the range requests of a stream; it also knows how
    /// this server sends files (`OriginalBodies`).
    pub open_originals: OpenOriginals,
}

impl FromRef<AppState> for TrustedProxies {
    fn from_ref(state: &AppState) -> Self {
        state.proxies.clone()
    }
}

impl FromRef<AppState> for OriginalBodies {
    fn from_ref(state: &AppState) -> Self {
        state.open_originals.sending()
    }
}

impl FromRef<AppState> for StreamSources {
    fn from_ref(state: &AppState) -> Self {
        state.sources.clone()
    }
}

impl FromRef<AppState> for OpenOriginals {
    fn from_ref(state: &AppState) -> Self {
        state.open_originals.clone()
    }
}

impl FromRef<AppState> for OAuth {
    fn from_ref(state: &AppState) -> Self {
        state.oauth.clone()
    }
}

impl FromRef<AppState> for Catalog {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.catalog)
    }
}

impl FromRef<AppState> for Listening {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.listening)
    }
}

impl FromRef<AppState> for Playlists {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.playlists)
    }
}

impl FromRef<AppState> for Summaries {
    fn from_ref(state: &AppState) -> Self {
        state.summaries.clone()
    }
}

impl FromRef<AppState> for Credentials {
    fn from_ref(state: &AppState) -> Self {
        state.oauth.credentials.clone()
    }
}

impl FromRef<AppState> for Accounts {
    fn from_ref(state: &AppState) -> Self {
        state.accounts.clone()
    }
}

impl FromRef<AppState> for Home {
    fn from_ref(state: &AppState) -> Self {
        state.home.clone()
    }
}

impl FromRef<AppState> for Renditions {
    fn from_ref(state: &AppState) -> Self {
        state.renditions.clone()
    }
}

impl FromRef<AppState> for Skips {
    fn from_ref(state: &AppState) -> Self {
        state.skips.clone()
    }
}

impl FromRef<AppState> for PlaylistService {
    fn from_ref(state: &AppState) -> Self {
        state.playlist_service.clone()
    }
}

impl FromRef<AppState> for History {
    fn from_ref(state: &AppState) -> Self {
        state.history.clone()
    }
}

impl FromRef<AppState> for Likes {
    fn from_ref(state: &AppState) -> Self {
        state.likes.clone()
    }
}

impl FromRef<AppState> for Library {
    fn from_ref(state: &AppState) -> Self {
        state.library.clone()
    }
}

impl FromRef<AppState> for Arc<SearchIndex> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.search)
    }
}

impl FromRef<AppState> for Adaptive {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.adaptive)
    }
}
