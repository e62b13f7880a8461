//! The store contracts the services hold, shared as trait objects: the engine (SQLite or
//! PostgreSQL) is chosen once, at start-up.

use std::sync::Arc;

use tonearm_model::{CatalogStore, ListeningStore, PlaylistStore, UserStore};

pub type Catalog = Arc<dyn CatalogStore>;
pub type Listening = Arc<dyn ListeningStore>;
pub type Playlists = Arc<dyn PlaylistStore>;
pub type Users = Arc<dyn UserStore>;
