//! `tonearm recommend eval`: the offline protocol of `tonearm_recommend::eval` on a file,
//! reported as a table or one JSON object (what `bench/recommend.py` reads).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use tonearm_recommend::eval::{self, Candidate, Fixed, InteractionsError, ModelKind, Split, TuneError, Weighting};
use tonearm_recommend::{ModelConfig, TrainOptions};

#[derive(Debug, Clone, Args)]
pub struct RecommendEvalArgs {
    /// TSV with the header `user_id item_id weight timestamp fold` (fold: train, val or test).
    #[arg(long, value_name = "FILE")]
    pub interactions: PathBuf,

    #[arg(long, value_enum)]
    pub model: EvalModel,

    /// Search the model's hyper-parameter grid on val; flags given fix their parameter.
    #[arg(long)]
    pub tune: bool,

    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,

    /// Training and ranking threads.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threads: usize,

    /// How the weight column becomes confidence [default: binary; tuned with --tune].
    #[arg(long, value_enum)]
    pub weighting: Option<EvalWeighting>,

    /// iALS: embedding dimension.
    #[arg(long, value_name = "N")]
    pub factors: Option<usize>,

    /// iALS: alternations.
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,

    /// iALS: weight of every unobserved pair (α0).
    #[arg(long, value_name = "WEIGHT")]
    pub alpha0: Option<f32>,

    /// iALS: regularisation λ (scaled by frequency); EASE: the λ added to the Gram diagonal.
    #[arg(long, value_name = "LAMBDA")]
    pub lambda: Option<f32>,

    /// iALS: frequency exponent ν of the regularisation.
    #[arg(long, value_name = "NU")]
    pub nu: Option<f32>,

    /// iALS: seed of the initial factors.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// item-kNN, RP3beta: neighbours kept per item.
    #[arg(long, value_name = "K")]
    pub neighbours: Option<usize>,

    /// item-kNN: cosine shrink term.
    #[arg(long, value_name = "S")]
    pub shrink: Option<f32>,

    /// item-kNN: BM25 weighting before the cosine.
    #[arg(long, value_name = "BOOL")]
    pub bm25: Option<bool>,

    /// RP3beta: exponent α of the transition probabilities.
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f32>,

    /// RP3beta: popularity penalty β.
    #[arg(long, value_name = "BETA")]
    pub beta: Option<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalModel {
    Ials,
    Ease,
    Itemknn,
    Rp3beta,
    Popular,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalWeighting {
    /// Every pair counts 1.
    Binary,
    /// The weight column as confidence.
    Weight,
}

#[derive(Debug, thiserror::Error)]
pub enum RecommendEvalError {
    #[error("{}: {source}", path.display())]
    Open { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Interactions { path: PathBuf, source: InteractionsError },
    #[error("evaluation failed: {0}")]
    Tune(#[from] TuneError),
}

impl RecommendEvalError {
    /// The input was wrong (exit code 2), rather than the evaluation failing.
    pub fn is_bad_input(&self) -> bool {
        match self {
            Self::Open { .. } | Self::Interactions { .. } => true,
            Self::Tune(_) => false,
        }
    }
}

/// What was measured, in the shape `--json` prints.
#[derive(Debug, Serialize)]
pub struct EvalReport {
    pub model: &'static str,
    /// The chosen configuration: the model's hyper-parameters and the weighting.
    pub hyper_parameters: serde_json::Value,
    pub precision_at_10: f64,
    pub recall_at_10: f64,
    pub ndcg_at_10: f64,
    pub coverage_at_10: f64,
    /// Wall time of fitting the final model on train ∪ val.
    pub train_seconds: f64,
    pub test_users: usize,
    /// Configurations scored on val (0 without `--tune`).
    pub candidates_tried: usize,
    /// The chosen configuration's val NDCG@10, when there was a choice.
    pub val_ndcg_at_10: Option<f64>,
}

/// Reads, tunes, evaluates; CPU-bound for seconds to minutes, so callers run it off the
/// async runtime.
pub fn run(args: &RecommendEvalArgs) -> Result<EvalReport, RecommendEvalError> {
    let split = read_split(&args.interactions)?;
    let kind = model_kind(args.model);
    let candidates = eval::candidates(kind, &fixed(args), args.tune);
    tracing::info!(
        model = kind.name(),
        candidates = candidates.len(),
        users = split.n_users(),
        items = split.n_items(),
        "evaluating"
    );
    let outcome = eval::tune::run(&split, &candidates, &TrainOptions { threads: args.threads.max(1) })?;
    let val_ndcg_at_10 =
        outcome.trials.iter().find(|trial| trial.candidate == outcome.chosen).map(|trial| trial.val.ndcg_at_10);
    Ok(EvalReport {
        model: kind.name(),
        hyper_parameters: hyper_parameters(&outcome.chosen),
        precision_at_10: outcome.test.precision_at_10,
        recall_at_10: outcome.test.recall_at_10,
        ndcg_at_10: outcome.test.ndcg_at_10,
        coverage_at_10: outcome.test.coverage_at_10,
        train_seconds: outcome.train_seconds,
        test_users: outcome.test.users,
        candidates_tried: outcome.trials.len(),
        val_ndcg_at_10,
    })
}

/// The readable form: one metric a line.
pub fn table(report: &EvalReport) -> String {
    let mut lines = vec![
        format!("model            {}", report.model),
        format!("hyper-parameters {}", report.hyper_parameters),
        format!("precision@10     {:.4}", report.precision_at_10),
        format!("recall@10        {:.4}", report.recall_at_10),
        format!("NDCG@10          {:.4}", report.ndcg_at_10),
        format!("coverage@10      {:.4}", report.coverage_at_10),
        format!("train seconds    {:.3}", report.train_seconds),
        format!("test users       {}", report.test_users),
    ];
    if let Some(val) = report.val_ndcg_at_10 {
        lines.push(format!("chosen on val    NDCG@10 {val:.4} among {} candidates", report.candidates_tried));
    }
    lines.join("\n")
}

fn read_split(path: &Path) -> Result<Split, RecommendEvalError> {
    let file = File::open(path).map_err(|source| RecommendEvalError::Open { path: path.to_owned(), source })?;
    let rows = eval::tsv::read(BufReader::new(file))
        .map_err(|source| RecommendEvalError::Interactions { path: path.to_owned(), source })?;
    Ok(Split::from_rows(&rows))
}

fn model_kind(model: EvalModel) -> ModelKind {
    match model {
        EvalModel::Ials => ModelKind::Ials,
        EvalModel::Ease => ModelKind::Ease,
        EvalModel::Itemknn => ModelKind::ItemKnn,
        EvalModel::Rp3beta => ModelKind::Rp3Beta,
        EvalModel::Popular => ModelKind::Popular,
    }
}

fn fixed(args: &RecommendEvalArgs) -> Fixed {
    Fixed {
        weighting: args.weighting.map(|weighting| match weighting {
            EvalWeighting::Binary => Weighting::Binary,
            EvalWeighting::Weight => Weighting::Weight,
        }),
        factors: args.factors,
        epochs: args.epochs,
        unobserved_weight: args.alpha0,
        regularization: args.lambda,
        frequency_exponent: args.nu,
        seed: args.seed,
        neighbours: args.neighbours,
        shrink: args.shrink,
        bm25: args.bm25,
        alpha: args.alpha,
        beta: args.beta,
    }
}

/// `{"factors": 64, …, "weighting": "binary"}`: the model's own fields without the enum tag.
fn hyper_parameters(candidate: &Candidate) -> serde_json::Value {
    let mut fields = match serde_json::to_value(&candidate.model).expect("configs serialise") {
        serde_json::Value::Object(tagged) => match tagged.into_iter().next() {
            Some((_, serde_json::Value::Object(fields))) => fields,
            _ => serde_json::Map::new(),
        },
        // Unit variants (`popular`) have no fields.
        _ => serde_json::Map::new(),
    };
    debug_assert!(matches!(candidate.model, ModelConfig::Popular) || !fields.is_empty());
    fields.insert("weighting".to_owned(), serde_json::to_value(candidate.weighting).expect("weightings serialise"));
    serde_json::Value::Object(fields)
}
