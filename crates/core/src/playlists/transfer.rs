//! Playlists in and out of other players: export as M3U8 or XSPF (paths relative to the
//! library root), import of M3U8 into a new playlist. Imported entries are matched by path
//! first, then by `artist - title` (case, accents and spacing aside); the result says how
//! many matched and which lines did not.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use tonearm_domain::{TrackId, UserId};
use tonearm_model::{EntriesEdit, MAX_PLAYLIST_ENTRIES, NewPlaylist, PlaylistError, PlaylistSummary};
use tonearm_search::SearchIndex;

use super::files::{FileEntry, M3uEntry, parse_m3u, write_m3u8, write_xspf};
use super::{Access, PlaylistService, clean_name, cover};
use crate::clock::now_millis;
use crate::error::{ServiceError, ServiceResult};
use crate::stores::Catalog;

const DEFAULT_IMPORT_NAME: &str = "Imported playlist";

/// The playlist file formats other players read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaylistFormat {
    /// Extended M3U in UTF-8.
    M3u8,
    Xspf,
}

impl PlaylistFormat {
    pub fn parse(name: &str) -> ServiceResult<Self> {
        match name {
            "m3u8" => Ok(Self::M3u8),
            "xspf" => Ok(Self::Xspf),
            _ => Err(ServiceError::invalid("invalid_format", "format is m3u8 or xspf")),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::M3u8 => "m3u8",
            Self::Xspf => "xspf",
        }
    }
}

/// A playlist written as a file.
pub struct ExportedPlaylist {
    pub name: String,
    pub text: String,
}

/// What an import made: the new playlist, how many entries matched, and the entries that
/// matched nothing, in the file's order.
pub struct ImportedPlaylist {
    pub playlist: PlaylistSummary,
    pub matched: usize,
    pub unmatched: Vec<M3uEntry>,
}

impl PlaylistService {
    /// The playlist as a file: M3U8 with `#EXTINF` durations and `artist - title`, or XSPF;
    /// track paths are relative to the library root.
    pub async fn export(&self, id: i64, user: UserId, format: PlaylistFormat) -> ServiceResult<ExportedPlaylist> {
        let playlist = self.visible(id, user, Access::Read).await?;
        let (entries, tracks) = self.entries_with_tracks(id).await?;
        let unique: Vec<TrackId> = tracks.keys().copied().collect();
        let paths: HashMap<TrackId, String> = self.catalog.track_paths(&unique).await?.into_iter().collect();
        let roots = self.library.scanner.roots();
        let files: Vec<FileEntry> = entries
            .iter()
            .filter_map(|entry| {
                let track = tracks.get(&entry.track_id)?;
                Some(FileEntry {
                    path: relative_to_library(roots, paths.get(&entry.track_id)?),
                    artist: track.artists.iter().map(|artist| artist.name.as_str()).collect::<Vec<_>>().join(", "),
                    title: track.title.clone(),
                    album: track.album.title.clone(),
                    duration_ms: track.duration_ms,
                })
            })
            .collect();
        let text = match format {
            PlaylistFormat::M3u8 => write_m3u8(&playlist.name, &files),
            PlaylistFormat::Xspf => write_xspf(&playlist.name, &files),
        };
        Ok(ExportedPlaylist { name: playlist.name, text })
    }

    /// A new private playlist from an M3U8 file (at most 10,000 entries): each entry is
    /// matched by its path (relative to the library root, absolute, or a `file://` URL),
    /// then by the `artist - title` of its `#EXTINF` line. The name is `name`, else the
    /// file's `#PLAYLIST:` line, else "Imported playlist".
    pub async fn import_m3u(&self, user: UserId, file: &[u8], name: Option<&str>) -> ServiceResult<ImportedPlaylist> {
        let text = std::str::from_utf8(file)
            .map_err(|_| ServiceError::invalid("invalid_playlist_file", "an M3U8 file is UTF-8 text"))?;
        let file = parse_m3u(text);
        if file.entries.is_empty() {
            return Err(ServiceError::invalid("invalid_playlist_file", "the file lists no tracks"));
        }
        if file.entries.len() > MAX_PLAYLIST_ENTRIES {
            return Err(PlaylistError::TooManyEntries.into());
        }
        let name = clean_name(name.or(file.name.as_deref()).unwrap_or(DEFAULT_IMPORT_NAME))?;
        let matches =
            match_entries(&file.entries, &self.catalog, self.library.scanner.roots(), Arc::clone(&self.search)).await?;

        let new = NewPlaylist { name, description: String::new(), public: false };
        let created = self.create_checked(user, &new).await?;
        let tracks: Vec<TrackId> = matches.iter().flatten().copied().collect();
        let playlist = if tracks.is_empty() {
            created
        } else {
            let edit = EntriesEdit::Add { tracks, position: None };
            let filled = self.store.edit_entries(created.id, &edit, Some(created.version), now_millis()).await?;
            cover::refresh(&self.store, self.library.covers(), filled).await
        };
        let unmatched: Vec<M3uEntry> = file
            .entries
            .into_iter()
            .zip(&matches)
            .filter(|(_, matched)| matched.is_none())
            .map(|(entry, _)| entry)
            .collect();
        let matched = matches.len() - unmatched.len();
        tracing::info!(%user, playlist = playlist.id, matched, unmatched = unmatched.len(), "playlist imported");
        Ok(ImportedPlaylist { playlist, matched, unmatched })
    }
}

/// The path under the library root it lies in; a file outside every root keeps its full path.
fn relative_to_library(roots: &[PathBuf], path: &str) -> String {
    let path = Path::new(path);
    roots.iter().find_map(|root| path.strip_prefix(root).ok()).unwrap_or(path).to_string_lossy().into_owned()
}

/// The track each entry names, if any: by path first, then by artist and title.
async fn match_entries(
    entries: &[M3uEntry],
    catalog: &Catalog,
    roots: &[PathBuf],
    index: Arc<SearchIndex>,
) -> ServiceResult<Vec<Option<TrackId>>> {
    let candidates: Vec<Vec<String>> = entries.iter().map(|entry| candidate_paths(&entry.location, roots)).collect();
    let mut all: Vec<String> = candidates.iter().flatten().cloned().collect();
    all.sort_unstable();
    all.dedup();
    let by_path: HashMap<String, TrackId> = catalog.tracks_at_paths(&all).await?.into_iter().collect();
    let mut matches: Vec<Option<TrackId>> =
        candidates.iter().map(|paths| paths.iter().find_map(|path| by_path.get(path).copied())).collect();

    let by_name: Vec<(usize, String, String)> = entries
        .iter()
        .enumerate()
        .filter(|(position, _)| matches[*position].is_none())
        .filter_map(|(position, entry)| Some((position, entry.artist.clone()?, entry.title.clone()?)))
        .collect();
    // Each lookup reads the index: off the async workers, all in one trip.
    let found = tokio::task::spawn_blocking(move || {
        by_name
            .into_iter()
            .map(|(position, artist, title)| {
                Ok((position, index.tracks_by(&artist, &title)?.first().map(|track| track.id)))
            })
            .collect::<Result<Vec<_>, tonearm_search::SearchError>>()
    })
    .await
    .map_err(|error| ServiceError::internal("the playlist matching task failed", error))?
    .map_err(|error| ServiceError::internal("the search index could not match playlist entries", error))?;
    for (position, track) in found {
        matches[position] = track;
    }
    Ok(matches)
}

/// Where an entry's file would be in the catalog: a `file://` URL's path, an absolute
/// path as it is, a relative one under each library root. Windows separators are read as
/// `/`, and `.` and `..` are resolved without touching the disk.
fn candidate_paths(location: &str, roots: &[PathBuf]) -> Vec<String> {
    let location = location.replace('\\', "/");
    if let Some(url_path) = location.strip_prefix("file://") {
        let path = url_path.strip_prefix("localhost").unwrap_or(url_path);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        return vec![normalized(Path::new(decoded.as_ref()))];
    }
    let path = Path::new(&location);
    if path.is_absolute() {
        return vec![normalized(path)];
    }
    roots.iter().map(|root| normalized(&root.join(path))).collect()
}

fn normalized(path: &Path) -> String {
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_looked_for_under_every_root_and_urls_are_decoded() {
        let roots = [PathBuf::from("/music"), PathBuf::from("/more")];
        assert_eq!(candidate_paths("A/./B/../C/01 x.mp3", &roots), ["/music/A/C/01 x.mp3", "/more/A/C/01 x.mp3"]);
        assert_eq!(candidate_paths("file:///music/A%20B/%C3%89.flac", &roots), ["/music/A B/É.flac"]);
        assert_eq!(candidate_paths("file://localhost/x.ogg", &roots), ["/x.ogg"]);
        assert_eq!(relative_to_library(&roots, "/more/A/b.mp3"), "A/b.mp3");
        assert_eq!(relative_to_library(&roots, "/elsewhere/b.mp3"), "/elsewhere/b.mp3");
    }
}
