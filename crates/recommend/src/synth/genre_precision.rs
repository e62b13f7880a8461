//! Genre precision@k: of the `k` tracks a model recommends to a listener (leaving out the
//! ones they played), the share in one of the listener's taste-cluster genres. The model
//! learns from events only; the genres are the held-out truth it has to rediscover.

use crate::top_k::top_k;
use crate::{Dataset, Model};

use super::GroundTruth;

/// The mean over the listeners measured, and how many there were.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenrePrecision {
    pub precision: f64,
    pub listeners: usize,
}

/// Measures `model`, trained on `data`, over `listeners`; those without an item in `data`
/// are left out, since nothing about them was learned.
pub fn genre_precision(
    model: &Model,
    data: &Dataset,
    truth: &GroundTruth,
    listeners: &[u32],
    k: usize,
) -> GenrePrecision {
    let mut sum = 0.0;
    let mut measured = 0;
    for &listener in listeners {
        let (played, _) = data.items_of(listener);
        if played.is_empty() {
            continue;
        }
        let recommended = top_k(&model.scores_for_user(listener, data), played, k);
        if recommended.is_empty() {
            continue;
        }
        let clusters = &truth.listener_clusters[listener as usize];
        let in_taste = recommended
            .iter()
            .filter(|&&track| clusters.iter().any(|cluster| cluster.genre == truth.track_genres[track as usize]))
            .count();
        sum += in_taste as f64 / recommended.len() as f64;
        measured += 1;
    }
    GenrePrecision { precision: if measured == 0 { 0.0 } else { sum / measured as f64 }, listeners: measured }
}

/// `count` listeners spread evenly over `0..listeners` (all of them if there are fewer), so
/// light and heavy listeners are both in the sample and every run measures the same ones.
pub fn spread_sample(listeners: usize, count: usize) -> Vec<u32> {
    let count = count.min(listeners);
    (0..count).map(|index| (index * listeners / count) as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{SynthConfig, generate};
    use crate::{ModelConfig, TrainOptions, train};

    #[test]
    fn a_sample_is_spread_and_never_larger_than_the_listeners() {
        assert_eq!(spread_sample(10, 5), [0, 2, 4, 6, 8]);
        assert_eq!(spread_sample(3, 5), [0, 1, 2]);
        assert!(spread_sample(0, 5).is_empty());
    }

    #[test]
    fn popularity_scores_a_share_between_zero_and_one() {
        let synthetic =
            generate(&SynthConfig { listeners: 200, tracks: 1_000, genres: 10, events: 10_000, seed: 1 }).unwrap();
        let data = synthetic.dataset();
        let model = train(&ModelConfig::Popular, &data, &TrainOptions::default()).unwrap();
        let measured = genre_precision(&model, &data, &synthetic.truth, &spread_sample(200, 50), 20);
        assert_eq!(measured.listeners, 50);
        assert!((0.0..=1.0).contains(&measured.precision));
    }
}
