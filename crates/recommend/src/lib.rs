//! Tonearm's recommender: what listeners did becomes confidence ([`signals`]) in a matrix
//! ([`dataset`]), models learn from it ([`models`]), content features cover what nobody
//! played yet ([`content`]), and [`rerank`] turns scores into a list worth listening to.
//! [`eval`] measures the models offline by the shared protocol and [`synth`] makes
//! music-shaped listening for scale and product tests. The crate knows neither HTTP nor
//! SQL: the store hands it interactions, `core` asks it questions.

pub mod content;
pub mod dataset;
pub mod eval;
pub mod models;
pub mod persist;
pub mod rerank;
pub mod signals;
pub mod sound;
pub mod synth;
pub mod top_k;

pub use dataset::Dataset;
pub use models::{Model, ModelConfig, TrainError, TrainOptions, train};
