//! A music-shaped synthetic listening history, for measuring the models at scale and for
//! product tests: genres → artists → tracks with Zipf popularity ([`catalog`]), listeners
//! with one to four taste clusters ([`taste`]), sessions of plays with skips and likes
//! ([`sessions`]), and the ground truth the models never see (each track's genre, each
//! listener's clusters), against which [`genre_precision`] scores their recommendations.
//!
//! Everything follows from the seed: the same configuration gives the same history (for
//! one version of the `rand` crate, whose generators and draws it uses).

mod catalog;
pub mod genre_precision;
mod sessions;
mod taste;
mod zipf;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::Dataset;
use catalog::Catalog;
use taste::Taste;
pub use taste::TasteCluster;

/// The size of the history to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SynthConfig {
    pub listeners: usize,
    pub tracks: usize,
    pub genres: usize,
    /// Plays in all, spread over listeners as unevenly as real activity is.
    pub events: usize,
    pub seed: u64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self { listeners: 1_000, tracks: 10_000, genres: 20, events: 100_000, seed: 42 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthError {
    #[error("a catalog needs at least one genre")]
    NoGenres,
    #[error("{genres} genres need at least as many tracks, not {tracks}")]
    FewerTracksThanGenres { genres: usize, tracks: usize },
    #[error("{events} events need at least one listener")]
    NoListeners { events: usize },
    #[error("{what} is {count}, more than the {limit} that dense indexes hold")]
    TooMany { what: &'static str, count: usize, limit: usize },
}

/// How one play ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Played through.
    Completed,
    /// Skipped in its first 30 seconds.
    Skipped,
    /// Played through, and the listener liked it.
    Liked,
}

impl Outcome {
    /// The confidence a play of this outcome adds: a skip is evidence against the track and a
    /// like weighs as much as a few plays. Summed per (listener, track), a track skipped more
    /// than played ends up out of the matrix.
    pub fn confidence(self) -> f32 {
        match self {
            Self::Completed => 1.0,
            Self::Skipped => -0.5,
            Self::Liked => 3.0,
        }
    }
}

/// One play. `timestamp` is in seconds after the history starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Event {
    pub user: u32,
    pub item: u32,
    pub outcome: Outcome,
    pub timestamp: u32,
}

/// What generated the history, which a model must rediscover from the events alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroundTruth {
    /// Per track: its genre.
    pub track_genres: Vec<u16>,
    /// Per track: its artist.
    pub track_artists: Vec<u32>,
    /// Per listener: their taste clusters (one to four, unless there are fewer genres).
    pub listener_clusters: Vec<Vec<TasteCluster>>,
}

#[derive(Debug, Clone)]
pub struct Synthetic {
    /// Listener by listener, each listener's in time order.
    pub events: Vec<Event>,
    pub truth: GroundTruth,
}

impl Synthetic {
    /// The listeners × tracks confidence matrix of the events, outcomes weighed by
    /// [`Outcome::confidence`].
    pub fn dataset(&self) -> Dataset {
        Dataset::from_triples(
            self.truth.listener_clusters.len(),
            self.truth.track_genres.len(),
            self.events.iter().map(|event| (event.user, event.item, event.outcome.confidence())),
        )
    }
}

/// The heaviest listener plays at most this many times the mean: a real history's tail is
/// long, but not one account holding half of it.
const MOST_ACTIVITY_OVER_MEAN: f64 = 20.0;

/// Generates the history `config` describes.
pub fn generate(config: &SynthConfig) -> Result<Synthetic, SynthError> {
    check(config)?;
    let mut rng = SmallRng::seed_from_u64(config.seed);
    let catalog = Catalog::generate(config.tracks, config.genres, &mut rng);
    let plays = plays_per_listener(config, &mut rng);

    let mut events = Vec::with_capacity(config.events);
    let mut listener_clusters = Vec::with_capacity(config.listeners);
    for (listener, &count) in plays.iter().enumerate() {
        // A generator per listener, so one listener's history does not depend on the others'.
        let mut rng = SmallRng::seed_from_u64(config.seed ^ (listener as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let taste = Taste::draw(&catalog, &mut rng);
        sessions::listen(&catalog, &taste, listener as u32, count, &mut rng, &mut events);
        listener_clusters.push(taste.clusters);
    }
    debug_assert_eq!(events.len(), config.events);

    let truth = GroundTruth {
        track_genres: catalog.track_genres(),
        track_artists: catalog.track_artists().to_vec(),
        listener_clusters,
    };
    Ok(Synthetic { events, truth })
}

fn check(config: &SynthConfig) -> Result<(), SynthError> {
    let limit = u32::MAX as usize;
    for (what, count, limit) in [
        ("listeners", config.listeners, limit),
        ("tracks", config.tracks, limit),
        ("genres", config.genres, u16::MAX as usize),
    ] {
        if count > limit {
            return Err(SynthError::TooMany { what, count, limit });
        }
    }
    if config.genres == 0 {
        return Err(SynthError::NoGenres);
    }
    if config.tracks < config.genres {
        return Err(SynthError::FewerTracksThanGenres { genres: config.genres, tracks: config.tracks });
    }
    if config.listeners == 0 && config.events > 0 {
        return Err(SynthError::NoListeners { events: config.events });
    }
    Ok(())
}

/// Each listener's number of plays, summing to `config.events`: activity drawn from a
/// Pareto law (a few heavy listeners, many light ones), shares rounded down and the
/// remainder handed out one play each.
fn plays_per_listener(config: &SynthConfig, rng: &mut impl Rng) -> Vec<usize> {
    let mut activity: Vec<f64> =
        (0..config.listeners).map(|_| (1.0 - rng.random::<f64>()).powf(-0.6).min(MOST_ACTIVITY_OVER_MEAN)).collect();
    let total: f64 = activity.iter().sum();
    for weight in &mut activity {
        *weight *= config.events as f64 / total;
    }
    let mut plays: Vec<usize> = activity.iter().map(|&share| share as usize).collect();
    let handed: usize = plays.iter().sum();
    for count in plays.iter_mut().take(config.events.saturating_sub(handed)) {
        *count += 1;
    }
    plays
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> SynthConfig {
        SynthConfig { listeners: 300, tracks: 2_000, genres: 12, events: 20_000, seed: 9 }
    }

    #[test]
    fn one_seed_gives_one_history_and_another_seed_another() {
        let first = generate(&small()).unwrap();
        let again = generate(&small()).unwrap();
        assert_eq!(first.events, again.events);
        assert_eq!(first.truth, again.truth);
        let other = generate(&SynthConfig { seed: 10, ..small() }).unwrap();
        assert_ne!(first.events, other.events);
    }

    #[test]
    fn the_history_has_the_events_asked_for_within_the_catalog() {
        for events in [0, 1, 299, 20_000] {
            let synthetic = generate(&SynthConfig { events, ..small() }).unwrap();
            assert_eq!(synthetic.events.len(), events);
            assert!(synthetic.events.iter().all(|event| event.user < 300 && event.item < 2_000));
        }
    }

    #[test]
    fn every_listener_has_one_to_four_clusters_of_distinct_genres_with_favourites_inside() {
        let synthetic = generate(&small()).unwrap();
        let truth = &synthetic.truth;
        assert_eq!(truth.listener_clusters.len(), 300);
        for clusters in &truth.listener_clusters {
            assert!((1..=4).contains(&clusters.len()), "{} clusters", clusters.len());
            let mut genres: Vec<u16> = clusters.iter().map(|cluster| cluster.genre).collect();
            genres.sort_unstable();
            genres.dedup();
            assert_eq!(genres.len(), clusters.len());
            for cluster in clusters {
                assert!(!cluster.favourite_artists.is_empty());
                for &artist in &cluster.favourite_artists {
                    let track = truth.track_artists.iter().position(|&of| of == artist).unwrap();
                    assert_eq!(truth.track_genres[track], cluster.genre);
                }
            }
        }
    }

    #[test]
    fn listening_is_mostly_inside_taste_and_skips_mostly_outside() {
        let synthetic = generate(&small()).unwrap();
        let truth = &synthetic.truth;
        let in_taste = |event: &Event| {
            let genre = truth.track_genres[event.item as usize];
            truth.listener_clusters[event.user as usize].iter().any(|cluster| cluster.genre == genre)
        };
        let inside = synthetic.events.iter().filter(|event| in_taste(event)).count();
        assert!(inside as f64 > 0.8 * synthetic.events.len() as f64, "{inside} plays in taste");
        let skip_rate = |inside: bool| {
            let plays: Vec<&Event> = synthetic.events.iter().filter(|event| in_taste(event) == inside).collect();
            plays.iter().filter(|event| event.outcome == Outcome::Skipped).count() as f64 / plays.len() as f64
        };
        assert!(skip_rate(false) > 3.0 * skip_rate(true));
        assert!(synthetic.events.iter().any(|event| event.outcome == Outcome::Liked));
    }

    #[test]
    fn each_listeners_plays_are_in_time_order() {
        let synthetic = generate(&small()).unwrap();
        assert!(
            synthetic
                .events
                .windows(2)
                .all(|pair| pair[0].user < pair[1].user || pair[0].timestamp <= pair[1].timestamp)
        );
    }

    #[test]
    fn impossible_configurations_are_refused() {
        assert_eq!(generate(&SynthConfig { genres: 0, ..small() }).unwrap_err(), SynthError::NoGenres);
        assert_eq!(
            generate(&SynthConfig { tracks: 5, ..small() }).unwrap_err(),
            SynthError::FewerTracksThanGenres { genres: 12, tracks: 5 }
        );
        assert_eq!(
            generate(&SynthConfig { listeners: 0, ..small() }).unwrap_err(),
            SynthError::NoListeners { events: 20_000 }
        );
    }
}
