//! Item-item cosine similarity over the users who have both items, optionally with BM25
//! weights (Robertson's term weighting with items as documents and users as terms, the
//! weighting `implicit`'s BM25Recommender uses): a user who has everything says little
//! about any pair, and an item with a long user list is damped. Cheap to train, easy to
//! explain ("because you listened to X"), and the source of "similar" lists.

use serde::{Deserialize, Serialize};

use super::TrainError;
use super::neighbours::{ItemGraph, Neighbours};
use crate::Dataset;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemKnnConfig {
    /// Neighbours kept per item.
    pub neighbours: usize,
    /// Added to the cosine's denominator so that pairs seen by few users count less.
    pub shrink: f32,
    /// BM25 weighting before the cosine; `None` uses the confidences as they are.
    pub bm25: Option<Bm25>,
}

impl Default for ItemKnnConfig {
    fn default() -> Self {
        Self { neighbours: 100, shrink: 10.0, bm25: Some(Bm25::default()) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bm25 {
    pub k1: f32,
    pub b: f32,
}

impl Default for Bm25 {
    fn default() -> Self {
        Self { k1: 1.2, b: 0.75 }
    }
}

/// Runs on the current rayon pool (the caller installs the bounded one).
pub(super) fn train(config: &ItemKnnConfig, data: &Dataset) -> Result<ItemGraph, TrainError> {
    if !(config.shrink >= 0.0 && config.shrink.is_finite()) {
        return Err(TrainError::InvalidHyperParameter {
            name: "shrink",
            reason: "must be a finite number ≥ 0".to_owned(),
        });
    }
    let weighted = match config.bm25 {
        Some(bm25) => bm25_weighted(data, bm25),
        None => data.clone(),
    };
    let norms: Vec<f32> = (0..weighted.n_items() as u32)
        .map(|item| weighted.users_of(item).1.iter().map(|v| v * v).sum::<f32>().sqrt())
        .collect();
    let graph = Neighbours::build(weighted.n_items(), config.neighbours, |item, row| {
        let (users, values) = weighted.users_of(item);
        for (&user, &value) in users.iter().zip(values) {
            let (items, others) = weighted.items_of(user);
            for (&other, &other_value) in items.iter().zip(others) {
                row[other as usize] += value * other_value;
            }
        }
        // Symmetric before pruning: cos(i, j) = cos(j, i), shrink included.
        let norm = norms[item as usize];
        for (other, similarity) in row.iter_mut().enumerate() {
            let denominator = norm * norms[other] + config.shrink;
            *similarity = if denominator > 0.0 { *similarity / denominator } else { 0.0 };
        }
    });
    Ok(ItemGraph::new(data.n_users(), graph))
}

/// BM25 over the items × users matrix: idf per user, length normalisation per item.
fn bm25_weighted(data: &Dataset, Bm25 { k1, b }: Bm25) -> Dataset {
    let n_items = data.n_items() as f32;
    let lengths: Vec<f32> = (0..data.n_items() as u32).map(|item| data.users_of(item).1.iter().sum()).collect();
    let average_length = lengths.iter().sum::<f32>() / n_items.max(1.0);
    let triples: Vec<(u32, u32, f32)> = (0..data.n_users() as u32)
        .flat_map(|user| {
            let (items, values) = data.items_of(user);
            let idf = n_items.ln() - (1.0 + items.len() as f32).ln();
            items.iter().zip(values).map(move |(&item, &value)| (user, item, value, idf))
        })
        .map(|(user, item, value, idf)| {
            let length_norm = (1.0 - b) + b * lengths[item as usize] / average_length.max(f32::MIN_POSITIVE);
            (user, item, value * (k1 + 1.0) / (k1 * length_norm + value) * idf)
        })
        .collect();
    // A user who has (nearly) every item gets idf ≤ 0: `from_triples` drops those pairs,
    // which is what such a user is worth to a similarity.
    Dataset::from_triples(data.n_users(), data.n_items(), triples)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Dataset {
        Dataset::from_triples(
            5,
            5,
            [
                (0, 0, 1.0),
                (0, 1, 1.0),
                (1, 0, 1.0),
                (1, 1, 1.0),
                (1, 2, 1.0),
                (2, 2, 1.0),
                (2, 3, 1.0),
                (3, 3, 2.0),
                (3, 0, 1.0),
                (4, 1, 1.0),
            ],
        )
    }

    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap()
    }

    #[test]
    fn similarity_is_symmetric_with_and_without_bm25() {
        for bm25 in [None, Some(Bm25::default())] {
            let config = ItemKnnConfig { neighbours: 10, shrink: 1.0, bm25 };
            let model = pool().install(|| train(&config, &data())).unwrap();
            for i in 0..5 {
                for j in 0..5 {
                    let (a, b) = (model.graph().weight(i, j), model.graph().weight(j, i));
                    assert!((a - b).abs() < 1e-6, "{bm25:?}: sim({i},{j}) = {a} but sim({j},{i}) = {b}");
                }
            }
        }
    }

    #[test]
    fn cosine_matches_a_hand_computation() {
        let config = ItemKnnConfig { neighbours: 10, shrink: 0.0, bm25: None };
        let model = pool().install(|| train(&config, &data())).unwrap();
        // Items 0 and 1 share users 0 and 1; item 0 has users {0, 1, 3}, item 1 {0, 1, 4}.
        assert!((model.graph().weight(0, 1) - 2.0 / 3.0).abs() < 1e-6);
        // Item 4 has no users: no edges at all.
        assert!(model.graph().similar_items(4, 10).is_empty());
    }

    #[test]
    fn pruning_keeps_the_strongest_neighbours() {
        let config = ItemKnnConfig { neighbours: 1, shrink: 0.0, bm25: None };
        let model = pool().install(|| train(&config, &data())).unwrap();
        assert_eq!(model.graph().similar_items(0, 10).len(), 1);
        assert_eq!(model.graph().similar_items(0, 10)[0].0, 1);
    }
}
