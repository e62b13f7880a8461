//! Playlists reach the index one by one, as they change, rather than by a rebuild: a
//! rename must show in search at once, and rebuilding 100,000 items for it would cost a
//! second. `IndexedPlaylists` wraps the playlist store and notes every playlist a write
//! touched; the follower then re-reads those from the store and updates their documents.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::Notify;
use tonearm_domain::{CoverId, UserId};
use tonearm_model::{
    EntriesEdit, NewPlaylist, PlaylistChange, PlaylistEntry, PlaylistError, PlaylistStore, PlaylistSummary, StoreError,
};

/// Playlists changed since the follower last looked. Clones share one set.
#[derive(Debug, Clone, Default)]
pub struct PlaylistChanges(Arc<Pending>);

#[derive(Debug, Default)]
struct Pending {
    ids: Mutex<BTreeSet<i64>>,
    notify: Notify,
}

impl PlaylistChanges {
    /// Notes that playlist `id` changed (or is gone). Never blocks on the index.
    pub fn changed(&self, id: i64) {
        self.0.ids.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id);
        self.0.notify.notify_one();
    }

    /// Resolves once something changed since the last `take` (at once if it already has).
    pub(crate) async fn wait(&self) {
        self.0.notify.notified().await;
    }

    /// The ids changed since the last call; a playlist edited ten times is indexed once.
    pub(crate) fn take(&self) -> Vec<i64> {
        let mut ids = self.0.ids.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *ids).into_iter().collect()
    }
}

/// The playlist store, reporting each playlist a successful write touched to the index.
pub struct IndexedPlaylists {
    pub store: Arc<dyn PlaylistStore>,
    pub changes: PlaylistChanges,
}

impl IndexedPlaylists {
    fn touched<T, E>(&self, id: i64, result: Result<T, E>) -> Result<T, E> {
        if result.is_ok() {
            self.changes.changed(id);
        }
        result
    }
}

#[async_trait]
impl PlaylistStore for IndexedPlaylists {
    async fn create_playlist(
        &self,
        owner: UserId,
        playlist: &NewPlaylist,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError> {
        let created = self.store.create_playlist(owner, playlist, now_ms).await?;
        self.changes.changed(created.id);
        Ok(created)
    }

    async fn playlist(&self, id: i64) -> Result<PlaylistSummary, StoreError> {
        self.store.playlist(id).await
    }

    async fn playlist_entries(&self, id: i64) -> Result<Vec<PlaylistEntry>, StoreError> {
        self.store.playlist_entries(id).await
    }

    async fn playlists_of(&self, user: UserId) -> Result<Vec<PlaylistSummary>, StoreError> {
        self.store.playlists_of(user).await
    }

    async fn all_playlists(&self) -> Result<Vec<PlaylistSummary>, StoreError> {
        self.store.all_playlists().await
    }

    async fn change_playlist(
        &self,
        id: i64,
        change: &PlaylistChange,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError> {
        let result = self.store.change_playlist(id, change, expected_version, now_ms).await;
        self.touched(id, result)
    }

    async fn edit_entries(
        &self,
        id: i64,
        edit: &EntriesEdit,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError> {
        // The track count (and the cover) are part of what the index shows.
        let result = self.store.edit_entries(id, edit, expected_version, now_ms).await;
        self.touched(id, result)
    }

    async fn delete_playlist(&self, id: i64) -> Result<(), StoreError> {
        let result = self.store.delete_playlist(id).await;
        self.touched(id, result)
    }

    async fn playlist_cover_sources(&self, id: i64) -> Result<(i64, Vec<CoverId>), StoreError> {
        self.store.playlist_cover_sources(id).await
    }

    async fn set_playlist_cover(&self, id: i64, cover: Option<&CoverId>, version: i64) -> Result<bool, StoreError> {
        let set = self.store.set_playlist_cover(id, cover, version).await?;
        if set {
            self.changes.changed(id);
        }
        Ok(set)
    }

    async fn is_playlist_cover(&self, cover: &CoverId) -> Result<bool, StoreError> {
        self.store.is_playlist_cover(cover).await
    }

    async fn follow_playlist(&self, user: UserId, id: i64, now_ms: i64) -> Result<(), StoreError> {
        self.store.follow_playlist(user, id, now_ms).await
    }

    async fn unfollow_playlist(&self, user: UserId, id: i64) -> Result<(), StoreError> {
        self.store.unfollow_playlist(user, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn changes_are_coalesced_and_wake_the_follower() {
        let changes = PlaylistChanges::default();
        for id in [7, 3, 7, 7] {
            changes.changed(id);
        }
        // The permit stored by `changed` makes this return at once.
        tokio::time::timeout(std::time::Duration::from_secs(1), changes.wait()).await.unwrap();
        assert_eq!(changes.take(), [3, 7]);
        assert!(changes.take().is_empty());
    }
}
