//! `tonearm recommend`: the recommender offline, for benchmarks and tuning.

pub mod eval;
pub mod synth;
