//! The in-memory half of applying a scan batch, shared by both engines: the ids resolved
//! so far, the facts known of each album, and the match keys the batch names.

use std::collections::{HashMap, HashSet};

use tonearm_domain::sort_key;
use tonearm_model::{ScanChange, ScannedTrack};

/// Ids resolved so far within one batch, so a 12-track album costs one lookup, not twelve.
#[derive(Default)]
pub(crate) struct BatchIds {
    /// The artists, albums and genres the batch names that existed before it, by match key,
    /// found with one `IN (…)` query per table: a key missing here is new.
    pub existing: ExistingIds,
    pub artists: HashMap<String, i64>,
    pub albums: HashMap<String, AlbumFacts>,
    pub genres: HashMap<String, i64>,
    /// Tracks upserted in this batch: their credits and genres are rewritten at its end.
    pub upserted: Vec<i64>,
    /// (track, position, artist)
    pub credits: Vec<(i64, i32, i64)>,
    /// (track, genre)
    pub genres_of_tracks: Vec<(i64, i64)>,
}

#[derive(Default)]
pub(crate) struct ExistingIds {
    pub artists: HashMap<String, i64>,
    pub albums: HashMap<String, i64>,
    pub genres: HashMap<String, i64>,
}

/// The match keys of every artist, album and genre a batch's upserts name.
pub(crate) struct NamedKeys {
    pub artists: HashSet<String>,
    pub albums: HashSet<String>,
    pub genres: HashSet<String>,
}

impl NamedKeys {
    pub fn of(changes: &[ScanChange]) -> Self {
        let mut named = Self { artists: HashSet::new(), albums: HashSet::new(), genres: HashSet::new() };
        for change in changes {
            let ScanChange::Upsert(track) = change else { continue };
            named.albums.insert(album_match_key(track));
            named.artists.insert(sort_key(&track.album_artist));
            named.artists.extend(track.artists.iter().map(|name| sort_key(name)));
            named.genres.extend(track.genres.iter().map(|name| sort_key(name)));
        }
        named
    }
}

/// Tracks per multi-row upsert: 31 binds a row.
pub(crate) const TRACKS_PER_STATEMENT: usize = 64;

/// An album resolved in this batch, and which of its facts are known to be filled in.
#[derive(Clone, Copy)]
pub(crate) struct AlbumFacts {
    pub id: i64,
    pub has_year: bool,
    pub has_cover: bool,
    pub has_release_id: bool,
    pub is_compilation: bool,
}

impl AlbumFacts {
    pub fn unknown(id: i64) -> Self {
        Self { id, has_year: false, has_cover: false, has_release_id: false, is_compilation: false }
    }

    /// Whether `track` knows something about its album that the album may still lack.
    pub fn can_learn_from(&self, track: &ScannedTrack) -> bool {
        (track.year.is_some() && !self.has_year)
            || (track.cover.is_some() && !self.has_cover)
            || (track.musicbrainz.release_id.is_some() && !self.has_release_id)
            || (track.is_compilation && !self.is_compilation)
    }

    /// The facts after `track` filled in what it knows.
    pub fn learn_from(self, track: &ScannedTrack) -> Self {
        Self {
            id: self.id,
            has_year: self.has_year || track.year.is_some(),
            has_cover: self.has_cover || track.cover.is_some(),
            has_release_id: self.has_release_id || track.musicbrainz.release_id.is_some(),
            is_compilation: self.is_compilation || track.is_compilation,
        }
    }
}

/// The key that makes two spellings of one album the same album.
pub(crate) fn album_match_key(track: &ScannedTrack) -> String {
    format!("{}\u{1f}{}", sort_key(&track.album_artist), sort_key(&track.album))
}
