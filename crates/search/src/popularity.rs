//! How much listeners want each item: it breaks ties between equally good matches.

use std::collections::HashMap;

use tonearm_domain::TrackId;
use tonearm_model::{Ranked, TrackSummary};

use crate::schema::Kind;

pub trait Popularity: Send + Sync {
    fn of(&self, kind: Kind, id: i64) -> u64;
}

/// Everything equally popular: an index built before any play, or a benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unplayed;

impl Popularity for Unplayed {
    fn of(&self, _kind: Kind, _id: i64) -> u64 {
        0
    }
}

/// Counted plays from the listening history (`track_plays`): a track's own, and for an
/// album or an artist the sum over its tracks. An artist gets the plays of every track it
/// is credited on and of every track on its albums, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlayCounts {
    by_item: HashMap<(Kind, i64), u64>,
}

impl PlayCounts {
    pub fn tally(tracks: &[TrackSummary], plays: &[Ranked<TrackId>]) -> PlayCounts {
        let per_track: HashMap<TrackId, u64> =
            plays.iter().map(|counted| (counted.id, u64::try_from(counted.plays).unwrap_or(0))).collect();
        let mut by_item: HashMap<(Kind, i64), u64> = HashMap::new();
        for track in tracks {
            let Some(&plays) = per_track.get(&track.id) else { continue };
            let mut add = |kind: Kind, id: i64| *by_item.entry((kind, id)).or_default() += plays;
            add(Kind::Track, track.id.0);
            add(Kind::Album, track.album.id.0);
            for artist in &track.artists {
                add(Kind::Artist, artist.id.0);
            }
            if !track.artists.iter().any(|artist| artist.id == track.album_artist.id) {
                add(Kind::Artist, track.album_artist.id.0);
            }
        }
        PlayCounts { by_item }
    }
}

impl Popularity for PlayCounts {
    fn of(&self, kind: Kind, id: i64) -> u64 {
        self.by_item.get(&(kind, id)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use tonearm_domain::{AlbumId, ArtistId, AudioFormat};
    use tonearm_model::{AlbumRef, ArtistRef};

    use super::*;

    fn track(id: i64, album: i64, artists: &[i64], album_artist: i64) -> TrackSummary {
        let artist = |id: i64| ArtistRef { id: ArtistId(id), name: format!("artist {id}") };
        TrackSummary {
            id: TrackId(id),
            title: format!("track {id}"),
            artists: artists.iter().copied().map(artist).collect(),
            album: AlbumRef { id: AlbumId(album), title: format!("album {album}") },
            album_artist: artist(album_artist),
            track_number: None,
            disc_number: None,
            year: None,
            duration_ms: 1000,
            format: AudioFormat::Flac,
            cover_id: None,
            premium_only: false,
            added_at: 0,
        }
    }

    #[test]
    fn albums_and_artists_sum_the_plays_of_their_tracks() {
        // A compilation (album 2 by "Various", artist 9) with tracks by artists 1 and 2.
        let tracks = [track(1, 1, &[1], 1), track(2, 1, &[1], 1), track(3, 2, &[1, 2], 9), track(4, 2, &[2], 9)];
        let plays = [(1, 5), (2, 7), (3, 100), (4, 0)].map(|(id, plays)| Ranked { id: TrackId(id), plays });
        let counts = PlayCounts::tally(&tracks, &plays);
        assert_eq!(counts.of(Kind::Track, 2), 7);
        assert_eq!((counts.of(Kind::Album, 1), counts.of(Kind::Album, 2)), (12, 100));
        assert_eq!(counts.of(Kind::Artist, 1), 112, "credited on three tracks, counted once each");
        assert_eq!(counts.of(Kind::Artist, 2), 100);
        assert_eq!(counts.of(Kind::Artist, 9), 100, "the album artist of the compilation");
        assert_eq!(counts.of(Kind::Genre, 1), 0);
        assert_eq!(counts.of(Kind::Track, 77), 0, "never played");
    }
}
