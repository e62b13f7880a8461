//! The store contracts the services hold, shared as trait objects: the engine (SQLite or
//! PostgreSQL) is chosen once, at start-up.

use std::sync::Arc;

use tonearm_model::{CatalogStore, Leadership, ListeningStore, PlaylistStore, SignalStore, UserStore};

pub type Catalog = Arc<dyn CatalogStore>;
pub type Listening = Arc<dyn ListeningStore>;
pub type Playlists = Arc<dyn PlaylistStore>;
pub type Users = Arc<dyn UserStore>;
pub type Signals = Arc<dyn SignalStore>;
pub type Leaders = Arc<dyn Leadership>;
