//! The models, behind one enum so that the rest of Tonearm trains, stores and asks any of
//! them the same way. Each model answers three questions: scores for a user it was trained
//! on, scores for a listener described only by their items (fold-in: a newcomer, or live
//! evidence newer than the model), and the items most like one item.

mod ease;
mod ials;
mod itemknn;
mod neighbours;
mod popular;
mod rp3beta;

use serde::{Deserialize, Serialize};

use crate::Dataset;
use ease::Ease;
pub use ease::{EASE_ITEM_LIMIT, EaseConfig};
use ials::Ials;
pub use ials::IalsConfig;
pub use itemknn::{Bm25, ItemKnnConfig};
use neighbours::ItemGraph;
use popular::Popular;
pub use rp3beta::Rp3BetaConfig;

/// Which model to train, with its hyper-parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelConfig {
    /// Every user gets the items most users have, by summed confidence.
    #[default]
    Popular,
    /// Matrix factorisation with a weight on unobserved pairs (iALS, Rendle et al. 2021).
    Ials(IalsConfig),
    /// Closed-form item-item regression (Steck 2019); catalogs up to [`EASE_ITEM_LIMIT`].
    Ease(EaseConfig),
    /// Item-item cosine, optionally BM25-weighted, pruned to the strongest neighbours.
    #[serde(rename = "itemknn")]
    ItemKnn(ItemKnnConfig),
    /// Random walk item → user → item with a popularity penalty (Paudel et al. 2017).
    #[serde(rename = "rp3beta")]
    Rp3Beta(Rp3BetaConfig),
}

/// How training may use the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainOptions {
    /// Worker threads; 1 keeps training to one core beside the server.
    pub threads: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self { threads: 1 }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TrainError {
    #[error("hyper-parameter {name} is out of range: {reason}")]
    InvalidHyperParameter { name: &'static str, reason: String },
    #[error("the catalog has {items} items, more than {limit} this model can hold")]
    TooManyItems { items: usize, limit: usize },
    #[error("the training thread pool could not start: {reason}")]
    ThreadPool { reason: String },
    #[error("training failed numerically: {reason}")]
    Numerical { reason: String },
}

/// A trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    kind: Trained,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Trained {
    Popular(Popular),
    Ials(Ials),
    Ease(Ease),
    ItemKnn(ItemGraph),
    Rp3Beta(ItemGraph),
}

/// Trains `config` on `data`. An empty matrix, a user with one item and an item with no
/// user are all valid input: the model then scores what it can and zero elsewhere.
pub fn train(config: &ModelConfig, data: &Dataset, options: &TrainOptions) -> Result<Model, TrainError> {
    // A pool of our own: the global one belongs to whoever else runs in the process, and
    // `threads` must bound training whatever they do.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .thread_name(|index| format!("recommend-train-{index}"))
        .build()
        .map_err(|error| TrainError::ThreadPool { reason: error.to_string() })?;
    let kind = match config {
        ModelConfig::Popular => Trained::Popular(Popular::train(data)),
        ModelConfig::Ials(config) => Trained::Ials(Ials::train(config, data, &pool)?),
        ModelConfig::Ease(config) => Trained::Ease(Ease::train(config, data, &pool)?),
        ModelConfig::ItemKnn(config) => Trained::ItemKnn(pool.install(|| itemknn::train(config, data))?),
        ModelConfig::Rp3Beta(config) => Trained::Rp3Beta(pool.install(|| rp3beta::train(config, data))?),
    };
    Ok(Model { kind })
}

impl Model {
    pub fn n_items(&self) -> usize {
        match &self.kind {
            Trained::Popular(model) => model.n_items(),
            Trained::Ials(model) => model.n_items(),
            Trained::Ease(model) => model.n_items(),
            Trained::ItemKnn(model) => model.n_items(),
            Trained::Rp3Beta(model) => model.n_items(),
        }
    }

    pub fn n_users(&self) -> usize {
        match &self.kind {
            Trained::Popular(model) => model.n_users(),
            Trained::Ials(model) => model.n_users(),
            Trained::Ease(model) => model.n_users(),
            Trained::ItemKnn(model) => model.n_users(),
            Trained::Rp3Beta(model) => model.n_users(),
        }
    }

    /// One score per item for a user of `data`, the matrix the model was trained on (higher
    /// is better; item-based models read the user's row of it, factor models their learned
    /// vector). Items the user already has are not removed: callers filter.
    pub fn scores_for_user(&self, user: u32, data: &Dataset) -> Vec<f32> {
        match &self.kind {
            Trained::Popular(model) => model.scores(),
            Trained::Ials(model) => model.scores_for_user(user),
            Trained::Ease(_) | Trained::ItemKnn(_) | Trained::Rp3Beta(_) => {
                if user as usize >= data.n_users() {
                    return vec![0.0; self.n_items()];
                }
                let (items, confidences) = data.items_of(user);
                let row: Vec<(u32, f32)> = items.iter().copied().zip(confidences.iter().copied()).collect();
                self.scores_for_items(&row)
            }
        }
    }

    /// One score per item for a listener known only by their `(item, confidence)` pairs.
    pub fn scores_for_items(&self, items: &[(u32, f32)]) -> Vec<f32> {
        match &self.kind {
            Trained::Popular(model) => model.scores(),
            Trained::Ials(model) => model.scores_for_items(items),
            Trained::Ease(model) => model.scores_for_items(items),
            Trained::ItemKnn(model) => model.graph().scores_for_items(items),
            Trained::Rp3Beta(model) => model.graph().scores_for_items(items),
        }
    }

    /// Up to `k` other items most like `item`, best first, with their similarity.
    pub fn similar_items(&self, item: u32, k: usize) -> Vec<(u32, f32)> {
        match &self.kind {
            Trained::Popular(model) => model.similar_items(item, k),
            Trained::Ials(model) => model.similar_items(item, k),
            Trained::Ease(model) => model.similar_items(item, k),
            Trained::ItemKnn(model) => model.graph().similar_items(item, k),
            Trained::Rp3Beta(model) => model.graph().similar_items(item, k),
        }
    }
}

/// The `k` best `(index, score)` pairs other than `except`, best first; ties go to the lower
/// index, as the evaluation protocol asks.
pub fn top_k_except(scores: &[f32], except: u32, k: usize) -> Vec<(u32, f32)> {
    crate::top_k::top_k_scored(scores, &[except], k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_model() -> Vec<ModelConfig> {
        vec![
            ModelConfig::Popular,
            ModelConfig::Ials(IalsConfig { factors: 3, epochs: 2, ..IalsConfig::default() }),
            ModelConfig::Ease(EaseConfig::default()),
            ModelConfig::ItemKnn(ItemKnnConfig::default()),
            ModelConfig::ItemKnn(ItemKnnConfig { bm25: None, ..ItemKnnConfig::default() }),
            ModelConfig::Rp3Beta(Rp3BetaConfig::default()),
        ]
    }

    fn check_answers(model: &Model, data: &Dataset) {
        assert_eq!(model.n_items(), data.n_items());
        assert_eq!(model.n_users(), data.n_users());
        for user in 0..data.n_users() as u32 + 1 {
            let scores = model.scores_for_user(user, data);
            assert_eq!(scores.len(), data.n_items());
            assert!(scores.iter().all(|score| score.is_finite()), "{model:?}: {scores:?}");
        }
        assert_eq!(model.scores_for_items(&[]).len(), data.n_items());
        assert_eq!(model.scores_for_items(&[(0, 1.0), (u32::MAX, 1.0)]).len(), data.n_items());
        for item in 0..data.n_items() as u32 + 1 {
            let similar = model.similar_items(item, data.n_items() + 10);
            assert!(similar.len() < data.n_items().max(1), "{model:?}: {similar:?}");
            assert!(similar.iter().all(|&(other, _)| other != item));
        }
    }

    #[test]
    fn no_model_panics_on_an_empty_catalog() {
        for config in every_model() {
            for data in
                [Dataset::from_triples(0, 0, []), Dataset::from_triples(3, 0, []), Dataset::from_triples(0, 3, [])]
            {
                let model = train(&config, &data, &TrainOptions::default()).unwrap();
                check_answers(&model, &data);
            }
        }
    }

    #[test]
    fn no_model_panics_on_a_one_event_user_or_an_item_without_users() {
        // User 2 has one event; item 3 has nobody.
        let data = Dataset::from_triples(3, 4, [(0, 0, 1.0), (0, 1, 2.0), (1, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0)]);
        for config in every_model() {
            let model = train(&config, &data, &TrainOptions { threads: 2 }).unwrap();
            check_answers(&model, &data);
        }
    }

    #[test]
    fn top_k_breaks_ties_by_the_lower_index_and_skips_the_excluded_one() {
        assert_eq!(top_k_except(&[1.0, 3.0, 3.0, 2.0], 2, 2), vec![(1, 3.0), (3, 2.0)]);
        assert_eq!(top_k_except(&[1.0, 1.0, 1.0], u32::MAX, 10), vec![(0, 1.0), (1, 1.0), (2, 1.0)]);
        assert!(top_k_except(&[], 0, 3).is_empty());
    }

    #[test]
    fn configs_read_from_snake_case_json_with_defaults_for_missing_fields() {
        let config: ModelConfig = serde_json::from_str(r#"{"ials": {"factors": 8}}"#).unwrap();
        assert_eq!(config, ModelConfig::Ials(IalsConfig { factors: 8, ..IalsConfig::default() }));
        let config: ModelConfig = serde_json::from_str(r#""popular""#).unwrap();
        assert_eq!(config, ModelConfig::Popular);
    }
}
