//! A playlist's cover follows its entries: none without album covers, the first album's
//! cover with fewer than four, else a 2×2 mosaic of the first four (made once by the cover
//! store). Refreshed after each edit of the entries; a failure is logged and leaves the
//! old cover, never the edit, behind.

use tonearm_domain::CoverId;
use tonearm_ingest::CoverStore;
use tonearm_model::PlaylistSummary;

use crate::stores::Playlists;

/// `playlist` (as an edit returned it) with its cover brought up to date.
pub async fn refresh(playlists: &Playlists, covers: &CoverStore, mut playlist: PlaylistSummary) -> PlaylistSummary {
    let (version, sources) = match playlists.playlist_cover_sources(playlist.id).await {
        Ok(read) => read,
        Err(error) => {
            tracing::warn!(%error, playlist = playlist.id, "playlist cover sources unreadable");
            return playlist;
        }
    };
    if version != playlist.version {
        // Edited again meanwhile: that edit refreshes the cover from what it left.
        return playlist;
    }
    let cover = match <[CoverId; 4]>::try_from(sources) {
        Ok(four) => {
            let covers = covers.clone();
            match tokio::task::spawn_blocking(move || covers.mosaic(&four)).await {
                Ok(Ok(mosaic)) => Some(mosaic),
                Ok(Err(error)) => {
                    tracing::warn!(%error, playlist = playlist.id, "playlist mosaic could not be made");
                    return playlist;
                }
                Err(error) => {
                    tracing::warn!(%error, playlist = playlist.id, "playlist mosaic task failed");
                    return playlist;
                }
            }
        }
        Err(fewer) => fewer.into_iter().next(),
    };
    if cover == playlist.cover_id {
        return playlist;
    }
    match playlists.set_playlist_cover(playlist.id, cover.as_ref(), version).await {
        Ok(true) => playlist.cover_id = cover,
        Ok(false) => {}
        Err(error) => tracing::warn!(%error, playlist = playlist.id, "playlist cover not saved"),
    }
    playlist
}
