//! Tonearm's recommender: what listeners did becomes a confidence matrix ([`dataset`]), models
//! learn from it ([`models`]), and their scores answer "what next" for a listener or an item.
//! The crate knows neither HTTP nor SQL: the store hands it interactions, `core` asks it
//! questions.

pub mod dataset;
pub mod models;

pub use dataset::Dataset;
pub use models::{Model, ModelConfig, TrainError, TrainOptions, train};
