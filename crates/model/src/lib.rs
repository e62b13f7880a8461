//! The catalog's contract: read models the services serve, the changes a scan produces,
//! and the `CatalogStore` trait every database engine implements.

/// `as_str`, `parse` and `NAMES` for an enum's names, for columns that store them as text
/// (the JSON API spells them the same, and parses settings with them).
macro_rules! wire_names {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($text => Some(Self::$variant),)+ _ => None }
            }

            /// Every name, in declaration order (for messages that list the choices).
            pub const NAMES: &'static [&'static str] = &[$($text),+];
        }
    };
}

mod error;
mod leadership;
mod listening;
mod model;
mod oauth;
mod playlists;
mod scan;
mod settings;
mod signals;
mod store;
mod stream_keys;
mod users;
mod version;

pub use error::StoreError;
pub use leadership::{LeaderJob, LeaderLease, Leadership};
pub use listening::{
    COUNTED_PLAY_MS, ContextKind, EndReason, LikeTarget, Liked, ListeningStore, PlayContext, PlayEvent, PlayEventKind,
    Ranked, RecentPlay, RecordedBatch, TrackPlays,
};
pub use model::{
    AlbumDetail, AlbumRef, AlbumSummary, ArtistDetail, ArtistRef, ArtistSummary, CatalogListing, GenreDetail, GenreRef,
    GenreSummary, MusicBrainzIds, ReplayGain, TrackDetail, TrackSummary,
};
pub use oauth::{AuthStore, AuthorizationCode, RefreshOutcome, SessionSummary, SigningKeyRecord};
pub use playlists::{
    EntriesEdit, MAX_PLAYLIST_ENTRIES, MAX_PLAYLISTS_PER_USER, NewPlaylist, PlaylistChange, PlaylistEntry,
    PlaylistError, PlaylistOwner, PlaylistStore, PlaylistSummary,
};
pub use scan::{CoverRecord, CoverSource, IndexedFile, ScanChange, ScanIssue, ScannedTrack, StreamSource};
pub use settings::{DownloadQuality, SettingsChange, StreamingQuality, UserSettings};
pub use signals::{
    EARLY_SKIP_MS, LikeSignal, PlaylistAddSignal, PublishedModel, SignalStore, TrackSignal, TrackSound, UnanalysedTrack,
};
pub use store::CatalogStore;
pub use stream_keys::{StreamKeyStore, keys_in_order};
pub use users::{AccountChange, NewUser, SkipCount, SkipOutcome, UserStore, UserSummary};
pub use version::CatalogVersion;
