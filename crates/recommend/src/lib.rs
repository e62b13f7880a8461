//! Tonearm's recommender: what listeners did becomes confidence ([`signals`]) in a matrix
//! ([`dataset`]), models learn from it ([`models`]), content features cover what nobody
//! played yet ([`content`]), and [`rerank`] turns scores into a list worth listening to.
//! The crate knows neither HTTP nor SQL: the store hands it interactions, `core` asks it
//! questions.

pub mod content;
pub mod dataset;
pub mod models;
pub mod persist;
pub mod rerank;
pub mod signals;

pub use dataset::Dataset;
pub use models::{Model, ModelConfig, TrainError, TrainOptions, train};
