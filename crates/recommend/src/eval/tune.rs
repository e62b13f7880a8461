//! The protocol's selection: every candidate trained on `train` and scored on `val`; the
//! chosen one retrained on `train ∪ val` and scored once on `test`, so the test fold never
//! influences a choice.

use std::time::Instant;

use serde::Serialize;

use super::metrics::{Metrics, evaluate};
use super::split::{Split, Weighting};
use super::tsv::Fold;
use crate::{Model, ModelConfig, TrainError, TrainOptions, train};

/// Below this val coverage@10 a configuration only wins if none reaches it: a model that
/// shows everyone the same few hits is not what a listener's Home needs.
pub const MIN_COVERAGE_AT_10: f64 = 0.25;

/// One configuration to try: the model and how weights become confidences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub model: ModelConfig,
    pub weighting: Weighting,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    pub candidate: Candidate,
    pub val: Metrics,
    pub train_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub chosen: Candidate,
    /// Empty when there was a single candidate: nothing to choose, val is not needed.
    pub trials: Vec<Trial>,
    pub test: Metrics,
    /// Fitting the final model on train ∪ val, wall time.
    pub train_seconds: f64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TuneError {
    #[error("no candidate configuration to evaluate")]
    NoCandidates,
    #[error(transparent)]
    Train(#[from] TrainError),
}

/// Highest val NDCG@10 among the trials with val coverage@10 ≥ [`MIN_COVERAGE_AT_10`], else
/// the highest val NDCG@10; the earlier trial wins a tie.
pub fn select(trials: &[Trial]) -> Option<usize> {
    let best_of = |eligible: &dyn Fn(&Trial) -> bool| {
        trials
            .iter()
            .enumerate()
            .filter(|(_, trial)| eligible(trial))
            .fold(None, |best: Option<(usize, f64)>, (index, trial)| match best {
                Some((_, ndcg)) if ndcg >= trial.val.ndcg_at_10 => best,
                _ => Some((index, trial.val.ndcg_at_10)),
            })
            .map(|(index, _)| index)
    };
    best_of(&|trial| trial.val.coverage_at_10 >= MIN_COVERAGE_AT_10).or_else(|| best_of(&|_| true))
}

pub fn run(split: &Split, candidates: &[Candidate], options: &TrainOptions) -> Result<Outcome, TuneError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(|error| TrainError::ThreadPool { reason: error.to_string() })?;
    let trials = if candidates.len() > 1 {
        let val = split.held_out(Fold::Val);
        candidates
            .iter()
            .map(|candidate| {
                let data = split.matrix(&[Fold::Train], candidate.weighting);
                let (model, train_seconds) = timed_train(&candidate.model, &data, options)?;
                let val = pool.install(|| evaluate(&model, &data, &val));
                tracing::debug!(
                    ?candidate,
                    ndcg_at_10 = val.ndcg_at_10,
                    coverage_at_10 = val.coverage_at_10,
                    "val trial"
                );
                Ok(Trial { candidate: candidate.clone(), val, train_seconds })
            })
            .collect::<Result<Vec<_>, TrainError>>()?
    } else {
        Vec::new()
    };
    let chosen = match select(&trials) {
        Some(index) => trials[index].candidate.clone(),
        None => candidates.first().ok_or(TuneError::NoCandidates)?.clone(),
    };
    let data = split.matrix(&[Fold::Train, Fold::Val], chosen.weighting);
    let (model, train_seconds) = timed_train(&chosen.model, &data, options)?;
    let test = pool.install(|| evaluate(&model, &data, &split.held_out(Fold::Test)));
    Ok(Outcome { chosen, trials, test, train_seconds })
}

fn timed_train(
    config: &ModelConfig,
    data: &crate::Dataset,
    options: &TrainOptions,
) -> Result<(Model, f64), TrainError> {
    let start = Instant::now();
    let model = train(config, data, options)?;
    Ok((model, start.elapsed().as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(ndcg_at_10: f64, coverage_at_10: f64) -> Trial {
        Trial {
            candidate: Candidate { model: ModelConfig::Popular, weighting: Weighting::Binary },
            val: Metrics { precision_at_10: 0.0, recall_at_10: 0.0, ndcg_at_10, coverage_at_10, users: 1 },
            train_seconds: 0.0,
        }
    }

    #[test]
    fn selection_prefers_enough_coverage_then_ndcg() {
        assert_eq!(select(&[trial(0.5, 0.1), trial(0.4, 0.3), trial(0.45, 0.25)]), Some(2));
        // Nobody reaches the coverage floor: the best NDCG wins.
        assert_eq!(select(&[trial(0.3, 0.1), trial(0.4, 0.2)]), Some(1));
        assert_eq!(select(&[trial(0.4, 0.3), trial(0.4, 0.3)]), Some(0));
        assert_eq!(select(&[]), None);
    }
}
