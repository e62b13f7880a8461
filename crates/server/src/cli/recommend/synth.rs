//! `tonearm recommend synth`: generates a synthetic listening history, trains a model on it
//! and measures what the figures ask for: time and memory to train, genre
//! precision@20 against the listeners' held-out taste clusters, and the latency of one
//! listener's recommendations served in process (fold-in of their items, then the top 50 of
//! the whole catalog).

use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use serde::Serialize;
use tonearm_recommend::models::IalsConfig;
use tonearm_recommend::synth::genre_precision::{genre_precision, spread_sample};
use tonearm_recommend::synth::{SynthConfig, SynthError, generate};
use tonearm_recommend::top_k::top_k;
use tonearm_recommend::{Dataset, Model, ModelConfig, TrainError, TrainOptions, train};

/// Genre precision is measured at the length of a mix.
const PRECISION_AT: usize = 20;
/// A screen of recommendations, what one serving request selects.
const SERVED: usize = 50;

#[derive(Debug, Clone, Args)]
pub struct SynthArgs {
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub listeners: usize,

    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub tracks: usize,

    #[arg(long, value_name = "N", default_value_t = 20)]
    pub genres: usize,

    /// Plays in all.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub events: usize,

    #[arg(long, value_name = "S", default_value_t = 42)]
    pub seed: u64,

    #[arg(long, value_enum, default_value_t = SynthModel::Popular)]
    pub model: SynthModel,

    /// iALS: embedding dimension [default: the model's].
    #[arg(long, value_name = "N")]
    pub factors: Option<usize>,

    /// iALS: alternations [default: the model's].
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,

    /// iALS: the weight of every unobserved pair [default: the model's, scaled to the catalog].
    #[arg(long, value_name = "W")]
    pub unobserved_weight: Option<f32>,

    /// iALS: the regularisation λ [default: the model's].
    #[arg(long, value_name = "L")]
    pub regularization: Option<f32>,

    /// Training threads.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threads: usize,

    /// Listeners measured, for precision and for latency each.
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub sample: usize,

    /// Print the figures as JSON rather than as a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SynthModel {
    Ials,
    Popular,
}

impl SynthArgs {
    fn model_config(&self) -> ModelConfig {
        match self.model {
            SynthModel::Popular => ModelConfig::Popular,
            SynthModel::Ials => {
                // The server's defaults: α0 scaled to the catalog as the server trains.
                let defaults = IalsConfig::default().for_catalog(self.tracks);
                ModelConfig::Ials(IalsConfig {
                    factors: self.factors.unwrap_or(defaults.factors),
                    epochs: self.epochs.unwrap_or(defaults.epochs),
                    unobserved_weight: self.unobserved_weight.unwrap_or(defaults.unobserved_weight),
                    regularization: self.regularization.unwrap_or(defaults.regularization),
                    seed: self.seed,
                    ..defaults
                })
            }
        }
    }
}

/// The figures of one run.
#[derive(Debug, Clone, Serialize)]
pub struct SynthReport {
    pub model: SynthModel,
    /// The model's hyper-parameters as trained.
    pub model_config: ModelConfig,
    pub events: usize,
    pub tracks: usize,
    pub listeners: usize,
    pub genres: usize,
    pub seed: u64,
    pub threads: usize,
    /// Non-zero (listener, track) confidences the model learned from.
    pub matrix_entries: usize,
    pub generation_seconds: f64,
    pub training_seconds: f64,
    /// The process's peak resident memory (`VmHWM`), when the system tells it.
    pub peak_memory_mib: Option<f64>,
    pub genre_precision_at_20: f64,
    pub precision_listeners: usize,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub latency_listeners: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SynthCommandError {
    #[error("the synthetic history cannot be generated")]
    Generate(#[from] SynthError),
    #[error("the model cannot be trained")]
    Train(#[from] TrainError),
}

/// Generates, trains and measures; blocking, for seconds to minutes.
pub fn run(args: &SynthArgs) -> Result<SynthReport, SynthCommandError> {
    let config = SynthConfig {
        listeners: args.listeners,
        tracks: args.tracks,
        genres: args.genres,
        events: args.events,
        seed: args.seed,
    };
    let started = Instant::now();
    let synthetic = generate(&config)?;
    let data = synthetic.dataset();
    let generation = started.elapsed();

    let started = Instant::now();
    let model = train(&args.model_config(), &data, &TrainOptions { threads: args.threads.max(1) })?;
    let training = started.elapsed();

    let sample = spread_sample(args.listeners, args.sample);
    let precision = genre_precision(&model, &data, &synthetic.truth, &sample, PRECISION_AT);
    let mut latencies = serving_latencies(&model, &data, &sample);
    latencies.sort_unstable();

    Ok(SynthReport {
        model: args.model,
        model_config: args.model_config(),
        events: synthetic.events.len(),
        tracks: args.tracks,
        listeners: args.listeners,
        genres: args.genres,
        seed: args.seed,
        threads: args.threads.max(1),
        matrix_entries: data.len(),
        generation_seconds: generation.as_secs_f64(),
        training_seconds: training.as_secs_f64(),
        peak_memory_mib: peak_memory_mib(),
        genre_precision_at_20: precision.precision,
        precision_listeners: precision.listeners,
        latency_p50_ms: percentile_ms(&latencies, 0.50),
        latency_p99_ms: percentile_ms(&latencies, 0.99),
        latency_listeners: latencies.len(),
    })
}

/// One request per listener, as the server would answer it: the model folds in the
/// listener's items (it does not look the listener up), then the best `SERVED` tracks they
/// have not played.
fn serving_latencies(model: &Model, data: &Dataset, listeners: &[u32]) -> Vec<Duration> {
    listeners
        .iter()
        .map(|&listener| {
            let (items, confidences) = data.items_of(listener);
            let started = Instant::now();
            let listened: Vec<(u32, f32)> = items.iter().copied().zip(confidences.iter().copied()).collect();
            let served = top_k(&model.scores_for_items(&listened), items, SERVED);
            let elapsed = started.elapsed();
            debug_assert!(served.len() <= SERVED);
            elapsed
        })
        .collect()
}

/// The nearest-rank percentile of sorted durations, in milliseconds; 0 for none.
fn percentile_ms(sorted: &[Duration], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((quantile * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1_000.0
}

/// `VmHWM` of /proc/self/status: the most memory the process has held resident.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}

impl SynthReport {
    /// A Markdown table of the figures.
    pub fn table(&self) -> String {
        let memory = self.peak_memory_mib.map_or_else(|| "unknown".to_owned(), |mib| format!("{mib:.0} MiB"));
        let rows = [
            ("model", format!("{:?}", self.model_config)),
            ("events", self.events.to_string()),
            ("tracks", self.tracks.to_string()),
            ("listeners", self.listeners.to_string()),
            ("genres", self.genres.to_string()),
            ("seed", self.seed.to_string()),
            ("training threads", self.threads.to_string()),
            ("matrix entries", self.matrix_entries.to_string()),
            ("generation", format!("{:.2} s", self.generation_seconds)),
            ("training", format!("{:.2} s", self.training_seconds)),
            ("peak memory", memory),
            (
                "genre precision@20",
                format!("{:.3} ({} listeners)", self.genre_precision_at_20, self.precision_listeners),
            ),
            (
                "recommendations p50 / p99",
                format!(
                    "{:.2} / {:.2} ms ({} listeners)",
                    self.latency_p50_ms, self.latency_p99_ms, self.latency_listeners
                ),
            ),
        ];
        let mut table = String::from("| figure | value |\n|---|---|\n");
        for (figure, value) in rows {
            table.push_str(&format!("| {figure} | {value} |\n"));
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&sorted, 0.50), 50.0);
        assert_eq!(percentile_ms(&sorted, 0.99), 99.0);
        assert_eq!(percentile_ms(&sorted[..1], 0.99), 1.0);
        assert_eq!(percentile_ms(&[], 0.99), 0.0);
    }
}
