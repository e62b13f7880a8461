//! The hyper-parameter grids `--tune` searches, and how fixed values narrow them: a value
//! given on the command line replaces that parameter's list with itself.

use super::split::Weighting;
use super::tune::Candidate;
use crate::ModelConfig;
use crate::models::{Bm25, EaseConfig, IalsConfig, ItemKnnConfig, Rp3BetaConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    Popular,
    Ials,
    Ease,
    ItemKnn,
    Rp3Beta,
}

impl ModelKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Popular => "popular",
            Self::Ials => "ials",
            Self::Ease => "ease",
            Self::ItemKnn => "itemknn",
            Self::Rp3Beta => "rp3beta",
        }
    }
}

/// Values fixed by the caller; `None` means "the default", or "search" with `--tune`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fixed {
    pub weighting: Option<Weighting>,
    pub factors: Option<usize>,
    pub epochs: Option<usize>,
    pub unobserved_weight: Option<f32>,
    pub regularization: Option<f32>,
    pub frequency_exponent: Option<f32>,
    pub seed: Option<u64>,
    pub neighbours: Option<usize>,
    pub shrink: Option<f32>,
    pub bm25: Option<bool>,
    pub alpha: Option<f32>,
    pub beta: Option<f32>,
}

/// The candidates for `kind`: one (defaults and fixed values) without `tune`, the grid with
/// the fixed values held otherwise.
pub fn candidates(kind: ModelKind, fixed: &Fixed, tune: bool) -> Vec<Candidate> {
    // `pick(fixed, default, grid)`: the fixed value, else the grid when tuning, else the default.
    fn pick<T: Copy>(fixed: Option<T>, default: T, grid: &[T], tune: bool) -> Vec<T> {
        match fixed {
            Some(value) => vec![value],
            None if tune => grid.to_vec(),
            None => vec![default],
        }
    }
    let weightings = pick(fixed.weighting, Weighting::Binary, &[Weighting::Binary, Weighting::Weight], tune);
    let models: Vec<ModelConfig> = match kind {
        ModelKind::Popular => vec![ModelConfig::Popular],
        ModelKind::Ials => {
            let default = IalsConfig::default();
            let mut models = Vec::new();
            for factors in pick(fixed.factors, default.factors, &[32, 64], tune) {
                for unobserved_weight in
                    pick(fixed.unobserved_weight, default.unobserved_weight, &[0.05, 0.1, 0.2], tune)
                {
                    for regularization in
                        pick(fixed.regularization, default.regularization, &[0.015, 0.02, 0.025, 0.03], tune)
                    {
                        for frequency_exponent in
                            pick(fixed.frequency_exponent, default.frequency_exponent, &[1.0], tune)
                        {
                            models.push(ModelConfig::Ials(IalsConfig {
                                factors,
                                unobserved_weight,
                                regularization,
                                frequency_exponent,
                                epochs: fixed.epochs.unwrap_or(default.epochs),
                                seed: fixed.seed.unwrap_or(default.seed),
                                ..default.clone()
                            }));
                        }
                    }
                }
            }
            models
        }
        ModelKind::Ease => {
            let default = EaseConfig::default();
            pick(fixed.regularization, default.regularization, &[100.0, 200.0, 300.0, 500.0, 700.0, 1000.0], tune)
                .into_iter()
                .map(|regularization| ModelConfig::Ease(EaseConfig { regularization }))
                .collect()
        }
        ModelKind::ItemKnn => {
            let default = ItemKnnConfig::default();
            let mut models = Vec::new();
            for neighbours in pick(fixed.neighbours, default.neighbours, &[50, 100, 200, 400, 800], tune) {
                for shrink in pick(fixed.shrink, default.shrink, &[0.0, 10.0, 50.0], tune) {
                    for bm25 in pick(fixed.bm25, default.bm25.is_some(), &[false, true], tune) {
                        let bm25 = bm25.then(Bm25::default);
                        models.push(ModelConfig::ItemKnn(ItemKnnConfig { neighbours, shrink, bm25 }));
                    }
                }
            }
            models
        }
        ModelKind::Rp3Beta => {
            let default = Rp3BetaConfig::default();
            let mut models = Vec::new();
            for neighbours in pick(fixed.neighbours, default.neighbours, &[100, 200, 400], tune) {
                for alpha in pick(fixed.alpha, default.alpha, &[0.5, 1.0], tune) {
                    for beta in pick(fixed.beta, default.beta, &[0.2, 0.4, 0.6], tune) {
                        models.push(ModelConfig::Rp3Beta(Rp3BetaConfig { neighbours, alpha, beta }));
                    }
                }
            }
            models
        }
    };
    models
        .into_iter()
        .flat_map(|model| weightings.iter().map(move |&weighting| Candidate { model: model.clone(), weighting }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_tuning_there_is_one_candidate_with_the_fixed_values() {
        let fixed = Fixed { factors: Some(8), ..Fixed::default() };
        let candidates = candidates(ModelKind::Ials, &fixed, false);
        assert_eq!(candidates.len(), 1);
        let ModelConfig::Ials(config) = &candidates[0].model else { panic!("{candidates:?}") };
        assert_eq!(config.factors, 8);
        assert_eq!(config.unobserved_weight, IalsConfig::default().unobserved_weight);
    }

    #[test]
    fn a_fixed_value_narrows_the_grid() {
        let all = candidates(ModelKind::Ease, &Fixed::default(), true).len();
        let narrowed =
            candidates(ModelKind::Ease, &Fixed { weighting: Some(Weighting::Binary), ..Fixed::default() }, true);
        assert_eq!(narrowed.len() * 2, all);
        assert!(narrowed.iter().all(|candidate| candidate.weighting == Weighting::Binary));
    }
}
