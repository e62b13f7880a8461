//! Play events as clients report them, and the contexts plays are started from.

use serde::{Deserialize, Serialize};
use tonearm_model as model;
use utoipa::ToSchema;

// The variants spell the wire names (`play_start`, …), prefix and all.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlayEventKind {
    PlayStart,
    PlayProgress,
    PlayEnd,
}

/// Why a play ended.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    Completed,
    Skipped,
    Error,
}

/// Where a play was started from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContextKind {
    Album,
    Artist,
    Playlist,
    Search,
    Recommendation,
    Library,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlayContext {
    pub kind: ContextKind,
    /// The album, artist or playlist id, or the search text; absent for the library.
    pub id: Option<String>,
}

// Events come in; contexts also go out again with recently played tracks.
convert_variants!(PlayEventKind => model::PlayEventKind { PlayStart, PlayProgress, PlayEnd });
convert_variants!(EndReason => model::EndReason { Completed, Skipped, Error });
convert_variants!(ContextKind => model::ContextKind { Album, Artist, Playlist, Search, Recommendation, Library });
convert_variants!(model::ContextKind => ContextKind { Album, Artist, Playlist, Search, Recommendation, Library });
convert_fields!(PlayContext => model::PlayContext { kind, id });
convert_fields!(model::PlayContext => PlayContext { kind, id });
