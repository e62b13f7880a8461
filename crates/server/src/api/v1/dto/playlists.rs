//! Playlists as every playlist route (and search and Home) answers with them.

use serde::Serialize;
use tonearm_domain::{CoverId, UserId};
use tonearm_model as model;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlaylistSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub public: bool,
    pub owner: PlaylistOwner,
    pub track_count: i64,
    /// The cover of its first album, or a 2×2 mosaic of its first four albums' covers;
    /// none without album covers. Served by `/covers/{id}` like any cover.
    pub cover_id: Option<CoverId>,
    /// Bumped by every change; the `ETag` of the playlist.
    pub version: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlaylistOwner {
    pub id: UserId,
    pub username: String,
}

convert_fields!(model::PlaylistSummary => PlaylistSummary {
    id, name, description, public, owner, track_count, cover_id, version, created_at, updated_at,
});
convert_fields!(model::PlaylistOwner => PlaylistOwner { id, username });
