//! RP3beta (Paudel, Christoffel, Newell, Bernstein 2017, "Updatable, accurate, diverse, and
//! scalable recommendations for interactive applications"): a three-step random walk
//! item → user → item on the bipartite graph, each transition probability raised to α, and
//! the arrival item divided by its popularity to the power β, which trades a little accuracy
//! for much less popularity bias.

use serde::{Deserialize, Serialize};

use super::TrainError;
use super::neighbours::{ItemGraph, Neighbours};
use crate::Dataset;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rp3BetaConfig {
    /// Neighbours kept per item.
    pub neighbours: usize,
    /// α, the exponent on each transition probability.
    pub alpha: f32,
    /// β, the popularity penalty on the arrival item.
    pub beta: f32,
}

impl Default for Rp3BetaConfig {
    fn default() -> Self {
        Self { neighbours: 200, alpha: 0.5, beta: 0.6 }
    }
}

/// Runs on the current rayon pool (the caller installs the bounded one).
pub(super) fn train(config: &Rp3BetaConfig, data: &Dataset) -> Result<ItemGraph, TrainError> {
    for (name, value) in [("alpha", config.alpha), ("beta", config.beta)] {
        if !value.is_finite() {
            return Err(TrainError::InvalidHyperParameter { name, reason: "must be finite".to_owned() });
        }
    }
    let user_degree: Vec<f32> = (0..data.n_users() as u32).map(|user| data.items_of(user).1.iter().sum()).collect();
    let item_degree: Vec<f32> = (0..data.n_items() as u32).map(|item| data.users_of(item).1.iter().sum()).collect();
    let graph = Neighbours::build(data.n_items(), config.neighbours, |item, row| {
        let (users, values) = data.users_of(item);
        for (&user, &value) in users.iter().zip(values) {
            let to_user = (value / item_degree[item as usize]).powf(config.alpha);
            let (items, others) = data.items_of(user);
            for (&other, &other_value) in items.iter().zip(others) {
                row[other as usize] += to_user * (other_value / user_degree[user as usize]).powf(config.alpha);
            }
        }
        for (other, weight) in row.iter_mut().enumerate() {
            if *weight > 0.0 {
                *weight /= item_degree[other].powf(config.beta);
            }
        }
    });
    Ok(ItemGraph::new(data.n_users(), graph))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_probabilities_match_a_hand_computation() {
        // Item 0: users 0 and 1. User 0 has items 0, 1; user 1 has items 0, 1, 2.
        let data = Dataset::from_triples(2, 3, [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, 1.0), (1, 2, 1.0)]);
        let config = Rp3BetaConfig { neighbours: 10, alpha: 1.0, beta: 0.0 };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let model = pool.install(|| train(&config, &data)).unwrap();
        // 0 → 1: ½·½ + ½·⅓; 0 → 2: ½·⅓.
        assert!((model.graph().weight(0, 1) - (0.25 + 1.0 / 6.0)).abs() < 1e-6);
        assert!((model.graph().weight(0, 2) - 1.0 / 6.0).abs() < 1e-6);
        assert_eq!(model.graph().weight(0, 0), 0.0);
    }
}
