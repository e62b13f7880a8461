//! Playlists: who may see and change one, edits checked against the version they were
//! based on, covers that follow the entries, and files other players read and write.
//!
//! Private playlists do not exist for anyone but their owner (not found); public ones can
//! be read and followed by everyone and changed by their owner only (forbidden). An edit
//! names the version it was based on and applies only to that version, so two devices
//! editing at once learn about each other instead of losing a change.

pub mod cover;
pub mod files;
pub mod transfer;

use std::collections::HashMap;
use std::sync::Arc;

use tonearm_domain::{TrackId, UserId};
use tonearm_model::{
    EntriesEdit, NewPlaylist, PlaylistChange, PlaylistEntry, PlaylistSummary, StoreError, TrackSummary,
};
use tonearm_search::SearchIndex;

use crate::clock::now_millis;
use crate::error::{ServiceError, ServiceResult};
use crate::library::Library;
use crate::stores::{Catalog, Playlists};

const MAX_NAME_CHARS: usize = 100;
const MAX_DESCRIPTION_CHARS: usize = 300;

/// Reading needs the playlist to be public or yours; writing needs it to be yours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// A playlist's name, description and visibility as a listener sends them; checked here.
#[derive(Debug, Clone, Default)]
pub struct PlaylistFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub public: Option<bool>,
}

/// One place in a playlist, with its track.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaylistTrack {
    /// Names this place for removing or moving it.
    pub entry_id: i64,
    pub track: TrackSummary,
    /// Unix milliseconds.
    pub added_at: i64,
}

#[derive(Clone)]
pub struct PlaylistService {
    store: Playlists,
    catalog: Catalog,
    /// Its roots (entries in files are relative to them) and its covers (for mosaics).
    library: Library,
    /// Imported entries without a known path are found by artist and title.
    search: Arc<SearchIndex>,
}

impl PlaylistService {
    pub fn new(store: Playlists, catalog: Catalog, library: Library, search: Arc<SearchIndex>) -> Self {
        Self { store, catalog, library, search }
    }

    /// The playlist if `user` may have `access` to it.
    pub async fn visible(&self, id: i64, user: UserId, access: Access) -> ServiceResult<PlaylistSummary> {
        let not_found = || ServiceError::NotFound(format!("playlist {id} does not exist"));
        let playlist = match self.store.playlist(id).await {
            Ok(playlist) => playlist,
            Err(StoreError::NotFound { .. }) => return Err(not_found()),
            Err(error) => return Err(error.into()),
        };
        let owned = playlist.owner.id == user;
        if !owned && !playlist.public {
            return Err(not_found());
        }
        if access == Access::Write && !owned {
            return Err(ServiceError::Forbidden {
                code: "not_playlist_owner",
                message: "only the owner of a playlist can change it",
            });
        }
        Ok(playlist)
    }

    /// A new empty playlist owned by `user`; private unless `fields.public`.
    pub async fn create(&self, user: UserId, fields: &PlaylistFields) -> ServiceResult<PlaylistSummary> {
        let new = NewPlaylist {
            name: clean_name(fields.name.as_deref().unwrap_or_default())?,
            description: clean_description(fields.description.as_deref().unwrap_or_default())?,
            public: fields.public.unwrap_or(false),
        };
        self.create_checked(user, &new).await
    }

    async fn create_checked(&self, user: UserId, new: &NewPlaylist) -> ServiceResult<PlaylistSummary> {
        let playlist = self.store.create_playlist(user, new, now_millis()).await?;
        tracing::info!(%user, playlist = playlist.id, "playlist created");
        Ok(playlist)
    }

    /// The playlists `user` owns or follows, most recently changed first.
    pub async fn of(&self, user: UserId) -> ServiceResult<Vec<PlaylistSummary>> {
        Ok(self.store.playlists_of(user).await?)
    }

    /// The playlist with its tracks in order; entries whose track left the catalog are
    /// left out.
    pub async fn with_tracks(&self, id: i64, user: UserId) -> ServiceResult<(PlaylistSummary, Vec<PlaylistTrack>)> {
        let playlist = self.visible(id, user, Access::Read).await?;
        let (entries, tracks) = self.entries_with_tracks(id).await?;
        let entries = entries
            .into_iter()
            .filter_map(|entry| {
                let track = tracks.get(&entry.track_id)?.clone();
                Some(PlaylistTrack { entry_id: entry.entry_id, track, added_at: entry.added_at })
            })
            .collect();
        Ok((playlist, entries))
    }

    /// The entries in order, and the summary of every track they name (tracks gone from
    /// the catalog are missing from the map).
    async fn entries_with_tracks(
        &self,
        id: i64,
    ) -> ServiceResult<(Vec<PlaylistEntry>, HashMap<TrackId, TrackSummary>)> {
        let entries = self.store.playlist_entries(id).await?;
        let mut unique: Vec<TrackId> = entries.iter().map(|entry| entry.track_id).collect();
        unique.sort_unstable();
        unique.dedup();
        let tracks = self.catalog.tracks_by_ids(&unique).await?.into_iter().map(|track| (track.id, track)).collect();
        Ok((entries, tracks))
    }

    /// Renames, describes, or makes public or private: only what `fields` names.
    pub async fn change(
        &self,
        id: i64,
        user: UserId,
        fields: &PlaylistFields,
        expected_version: Option<i64>,
    ) -> ServiceResult<PlaylistSummary> {
        self.visible(id, user, Access::Write).await?;
        let change = PlaylistChange {
            name: fields.name.as_deref().map(clean_name).transpose()?,
            description: fields.description.as_deref().map(clean_description).transpose()?,
            public: fields.public,
        };
        Ok(self.store.change_playlist(id, &change, expected_version, now_millis()).await?)
    }

    /// Deletes the playlist for its owner (and its followers).
    pub async fn delete(&self, id: i64, user: UserId) -> ServiceResult<()> {
        self.visible(id, user, Access::Write).await?;
        Ok(self.store.delete_playlist(id).await?)
    }

    /// Adds, removes or moves entries, based on `expected_version`, then brings the cover up
    /// to date with the new first albums.
    pub async fn edit_entries(
        &self,
        id: i64,
        user: UserId,
        edit: &EntriesEdit,
        expected_version: Option<i64>,
    ) -> ServiceResult<PlaylistSummary> {
        self.visible(id, user, Access::Write).await?;
        if matches!(edit, EntriesEdit::Add { tracks, .. } if tracks.is_empty()) {
            return Err(ServiceError::invalid("invalid_body", "track_ids lists at least one track"));
        }
        let edited = self.store.edit_entries(id, edit, expected_version, now_millis()).await?;
        Ok(cover::refresh(&self.store, self.library.covers(), edited).await)
    }

    /// Follows another listener's public playlist: it shows in the follower's playlists.
    pub async fn follow(&self, id: i64, user: UserId) -> ServiceResult<()> {
        let playlist = self.visible(id, user, Access::Read).await?;
        if playlist.owner.id == user {
            return Err(ServiceError::invalid("own_playlist", "your own playlists are in your library already"));
        }
        Ok(self.store.follow_playlist(user, id, now_millis()).await?)
    }

    pub async fn unfollow(&self, id: i64, user: UserId) -> ServiceResult<()> {
        Ok(self.store.unfollow_playlist(user, id).await?)
    }
}

fn clean_name(name: &str) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::invalid("invalid_name", "a playlist name is 1 to 100 characters"));
    }
    Ok(name.to_owned())
}

fn clean_description(description: &str) -> ServiceResult<String> {
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ServiceError::invalid("invalid_description", "a description is at most 300 characters"));
    }
    Ok(description.trim().to_owned())
}
