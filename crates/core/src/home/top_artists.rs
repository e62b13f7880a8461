//! A listener's most played artists over a window: their counted plays per track (one index
//! range, `ListeningStore::track_plays`) credited to every artist of each track, which
//! `Summaries` keeps in memory. Counted by a join in SQL instead, PostgreSQL hashed all of
//! `track_artists` for each listener: most of a Home answer's database time.

use std::cmp::Reverse;
use std::collections::HashMap;

use tonearm_domain::{ArtistId, TrackId, UserId};
use tonearm_model::{ArtistRef, ArtistSummary, StoreError, TrackPlays};

use crate::catalog::summaries::Summaries;
use crate::stores::Listening;

/// An artist with the listener's plays of their tracks.
#[derive(Debug, Clone)]
pub struct TopArtist {
    pub artist: ArtistSummary,
    pub plays: i64,
}

/// The `limit` artists played most since `since_ms` (all time when `None`), most played first.
pub async fn top_artists(
    listening: &Listening,
    summaries: &Summaries,
    user: UserId,
    since_ms: Option<i64>,
    limit: usize,
) -> Result<Vec<TopArtist>, StoreError> {
    let played = listening.track_plays(user, since_ms).await?;
    let ids: Vec<TrackId> = played.iter().map(|track| track.id).collect();
    // A track gone from the catalog since is left out, with its plays.
    let tracks = summaries.shared_tracks(&ids).await?;
    let plays_of: HashMap<TrackId, &TrackPlays> = played.iter().map(|track| (track.id, track)).collect();
    let credited = tracks.iter().filter_map(|track| Some((*plays_of.get(&track.id)?, track.artists.as_slice())));
    let ranked = rank(credited, limit);
    let ids: Vec<ArtistId> = ranked.iter().map(|(id, _)| *id).collect();
    let plays: HashMap<ArtistId, i64> = ranked.into_iter().collect();
    Ok(summaries
        .artists(&ids)
        .await?
        .into_iter()
        .map(|artist| TopArtist { plays: plays.get(&artist.id).copied().unwrap_or_default(), artist })
        .collect())
}

/// Artists by their tracks' plays, then by the latest of those plays, then by id; with plays.
fn rank<'a>(credited: impl Iterator<Item = (&'a TrackPlays, &'a [ArtistRef])>, limit: usize) -> Vec<(ArtistId, i64)> {
    // Per artist: plays, latest play.
    let mut tally: HashMap<ArtistId, (i64, i64)> = HashMap::new();
    for (track, artists) in credited {
        for artist in artists {
            let (plays, latest) = tally.entry(artist.id).or_insert((0, i64::MIN));
            *plays += track.plays;
            *latest = (*latest).max(track.last_played_at);
        }
    }
    let mut ranked: Vec<(ArtistId, (i64, i64))> = tally.into_iter().collect();
    ranked.sort_unstable_by_key(|&(id, (plays, latest))| (Reverse(plays), Reverse(latest), id));
    ranked.into_iter().take(limit).map(|(id, (plays, _))| (id, plays)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn played(id: i64, plays: i64, last_played_at: i64) -> TrackPlays {
        TrackPlays { id: TrackId(id), plays, last_played_at }
    }

    fn artists(ids: &[i64]) -> Vec<ArtistRef> {
        ids.iter().map(|&id| ArtistRef { id: ArtistId(id), name: format!("Artist {id}") }).collect()
    }

    #[test]
    fn every_credited_artist_counts_the_plays_and_ties_go_to_the_latest_then_the_lowest_id() {
        let tracks = [
            (played(1, 3, 100), artists(&[10, 20])), // a duet: both artists count its plays
            (played(2, 2, 500), artists(&[20])),
            (played(3, 4, 200), artists(&[30])),
            (played(4, 4, 300), artists(&[40])),
            (played(5, 1, 50), artists(&[50])),
            (played(6, 1, 50), artists(&[60])),
        ];
        let credited = tracks.iter().map(|(track, artists)| (track, artists.as_slice()));
        let ranked = rank(credited, 6);
        let expected = [(20, 5), (40, 4), (30, 4), (10, 3), (50, 1), (60, 1)];
        assert_eq!(ranked, expected.map(|(id, plays)| (ArtistId(id), plays)));
    }

    #[test]
    fn only_the_first_limit_are_kept() {
        let tracks = [(played(1, 1, 0), artists(&[1, 2, 3]))];
        let credited = tracks.iter().map(|(track, artists)| (track, artists.as_slice()));
        assert_eq!(rank(credited, 2), [(ArtistId(1), 1), (ArtistId(2), 1)]);
    }
}
