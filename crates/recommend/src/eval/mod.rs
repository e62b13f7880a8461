//! Offline evaluation by the protocol of `shared/recsys/PROTOCOL.md`: read an interactions
//! file with folds ([`tsv`]), make dense matrices of them ([`split`]), search hyper-parameters
//! on val and score the chosen model on test ([`grid`], [`tune`]) with the top-10 metrics
//! ([`metrics`]).

pub mod grid;
pub mod metrics;
pub mod split;
pub mod tsv;
pub mod tune;

pub use grid::{Fixed, ModelKind, candidates};
pub use metrics::Metrics;
pub use split::{Split, Weighting};
pub use tsv::{Fold, InteractionsError};
pub use tune::{Candidate, Outcome, TuneError};
