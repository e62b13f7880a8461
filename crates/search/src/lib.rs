//! Full-text search over the catalog and the listeners' playlists with tantivy, without
//! HTTP: the schema, the text analysis shared by indexing and querying, query building,
//! ranking, and the task that keeps the index in step with the catalog and the playlists.
//!
//! The rules a search follows:
//! - every word must match the item's name or its secondary text (artists, album);
//! - the last word matches as a prefix while it is being typed (no space after it);
//! - typos: none below 4 characters, 1 edit up to 7, 2 beyond (a swap is one edit);
//! - case and accents fold away (`beyonce` finds `Beyoncé`); CJK text matches by
//!   character bigrams;
//! - the text is never parsed as query syntax: `"`, `:`, `(`, `*`, `-` are characters;
//! - playlists: public ones are found by everyone, private ones by their owner only;
//! - rank: a whole-name match first, then match quality (word > prefix > typo, name >
//!   secondary text), then how much of the name the text covers, then popularity.

mod answer_cache;
mod error;
mod follow;
mod index;
mod item;
mod matching;
mod playlist_changes;
mod popularity;
mod query;
mod ranking;
mod request;
mod schema;
mod text;
mod vocabulary;

pub use error::SearchError;
pub use follow::{CatalogFollower, FollowTiming};
pub use index::SearchIndex;
pub use item::Item;
pub use playlist_changes::{IndexedPlaylists, PlaylistChanges};
pub use popularity::{PlayCounts, Popularity, Unplayed};
pub use query::{MAX_QUERY_CHARS, QueryError, SearchText};
pub use request::{Group, MAX_LIMIT, MAX_OFFSET, SearchRequest, SearchResults};
pub use schema::Kind;
