//! The models, behind one enum so that the rest of Tonearm trains, stores and asks any of
//! them the same way. Each model answers three questions: scores for a user it was trained
//! on, scores for a listener described only by their items (fold-in: a newcomer, or live
//! evidence newer than the model), and the items most like one item.

mod popular;

use serde::{Deserialize, Serialize};

use crate::Dataset;
use popular::Popular;

/// Which model to train, with its hyper-parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelConfig {
    /// Every user gets the items most users have, by summed confidence.
    Popular,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self::Popular
    }
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
}

/// A trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    kind: Trained,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Trained {
    Popular(Popular),
}

/// Trains `config` on `data`. An empty matrix, a user with one item and an item with no
/// user are all valid input: the model then scores what it can and zero elsewhere.
pub fn train(config: &ModelConfig, data: &Dataset, _options: &TrainOptions) -> Result<Model, TrainError> {
    let kind = match config {
        ModelConfig::Popular => Trained::Popular(Popular::train(data)),
    };
    Ok(Model { kind })
}

impl Model {
    pub fn n_items(&self) -> usize {
        match &self.kind {
            Trained::Popular(model) => model.n_items(),
        }
    }

    pub fn n_users(&self) -> usize {
        match &self.kind {
            Trained::Popular(model) => model.n_users(),
        }
    }

    /// One score per item for a user of `data`, the matrix the model was trained on (higher
    /// is better; item-based models read the user's row of it, factor models their learned
    /// vector). Items the user already has are not removed: callers filter.
    pub fn scores_for_user(&self, user: u32, data: &Dataset) -> Vec<f32> {
        match &self.kind {
            Trained::Popular(model) => {
                let _ = (user, data);
                model.scores()
            }
        }
    }

    /// One score per item for a listener known only by their `(item, confidence)` pairs.
    pub fn scores_for_items(&self, items: &[(u32, f32)]) -> Vec<f32> {
        match &self.kind {
            Trained::Popular(model) => {
                let _ = items;
                model.scores()
            }
        }
    }

    /// Up to `k` other items most like `item`, best first, with their similarity.
    pub fn similar_items(&self, item: u32, k: usize) -> Vec<(u32, f32)> {
        match &self.kind {
            Trained::Popular(model) => model.similar_items(item, k),
        }
    }
}
