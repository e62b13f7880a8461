//! Implicit alternating least squares as revisited by Rendle, Krichene, Zhang and Koren
//! (2021, "Revisiting the performance of iALS on item recommendation benchmarks"):
//!
//! L(W, H) = Σ_{(u,i) observed} c_ui (⟨w_u, h_i⟩ − 1)²  +  α0 Σ_u Σ_i ⟨w_u, h_i⟩²
//!         + λ Σ_u (|I_u| + α0 |I|)^ν ‖w_u‖²  +  λ Σ_i (|U_i| + α0 |U|)^ν ‖h_i‖²
//!
//! The second term pulls every unobserved pair towards 0 with weight α0; it costs one d × d
//! Gramian per half-epoch instead of a pass over all pairs (§2.2 of the paper). The
//! frequency-scaled regularisation (§3.2) lets one λ fit heavy and light users alike. Each
//! half-epoch solves every row exactly (Cholesky), so the loss never goes up.

use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::{Accum, Mat, MatRef, Par, Side};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::TrainError;
use crate::Dataset;

/// Hyper-parameters; the defaults are the ones tuned on MovieLens-100K's val fold
/// (docs/BENCHMARKS.md, Recommendations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IalsConfig {
    /// Embedding dimension.
    pub factors: usize,
    /// Alternations (one user half and one item half each).
    pub epochs: usize,
    /// α0: the weight of every unobserved pair.
    pub unobserved_weight: f32,
    /// λ.
    pub regularization: f32,
    /// ν: 0 gives one λ for all rows, 1 scales it with the row's total weight.
    pub frequency_exponent: f32,
    /// The initial factors are drawn from N(0, (init_std / √factors)²).
    pub init_std: f32,
    pub seed: u64,
}

impl Default for IalsConfig {
    fn default() -> Self {
        Self {
            factors: 64,
            epochs: 8,
            unobserved_weight: 0.1,
            regularization: 0.025,
            frequency_exponent: 1.0,
            init_std: 0.1,
            seed: 42,
        }
    }
}

impl IalsConfig {
    /// The catalog size the defaults were tuned on (MovieLens-100K).
    pub const TUNED_ITEMS: usize = 1_682;

    /// These settings for a catalog of `items`: the unobserved weight scaled down so a
    /// listener's unobserved items weigh together (α0·|I|) what they weighed where it was
    /// tuned. The same α0 over 60 times the items drowns every listener's evidence: on the
    /// 100,000-track synthetic set genre precision@20 falls from 1.00 to 0.38. A smaller
    /// catalog keeps the tuned α0.
    pub fn for_catalog(self, items: usize) -> Self {
        let scale = (Self::TUNED_ITEMS as f32 / items.max(1) as f32).min(1.0);
        Self { unobserved_weight: self.unobserved_weight * scale, ..self }
    }

    fn validate(&self) -> Result<(), TrainError> {
        let invalid = |name, reason: &str| Err(TrainError::InvalidHyperParameter { name, reason: reason.to_owned() });
        if self.factors == 0 {
            return invalid("factors", "must be at least 1");
        }
        if !(self.unobserved_weight >= 0.0 && self.unobserved_weight.is_finite()) {
            return invalid("unobserved_weight", "must be a finite number ≥ 0");
        }
        if !(self.regularization >= 0.0 && self.regularization.is_finite()) {
            return invalid("regularization", "must be a finite number ≥ 0");
        }
        if !self.frequency_exponent.is_finite() {
            return invalid("frequency_exponent", "must be finite");
        }
        if !(self.init_std >= 0.0 && self.init_std.is_finite()) {
            return invalid("init_std", "must be a finite number ≥ 0");
        }
        Ok(())
    }
}

/// Row-major `rows × factors` embeddings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Factors {
    rows: usize,
    values: Vec<f32>,
}

impl Factors {
    fn gaussian(rows: usize, factors: usize, std: f32, rng: &mut StdRng) -> Self {
        let scale = std / (factors as f32).sqrt();
        let values = (0..rows * factors).map(|_| standard_normal(rng) * scale).collect();
        Self { rows, values }
    }

    fn row(&self, row: usize, factors: usize) -> &[f32] {
        &self.values[row * factors..(row + 1) * factors]
    }

    fn as_mat(&self, factors: usize) -> MatRef<'_, f32> {
        MatRef::from_row_major_slice(&self.values, self.rows, factors)
    }

    /// HᵀH, the d × d matrix that stands in for the sum over all unobserved pairs.
    fn gramian(&self, factors: usize) -> Mat<f32> {
        let mut gram = Mat::zeros(factors, factors);
        let h = self.as_mat(factors);
        // Sequential on purpose: the result must not depend on the thread count.
        matmul(&mut gram, Accum::Replace, h.transpose(), h, 1.0, Par::Seq);
        gram
    }
}

/// Box–Muller: `rand` alone has no normal distribution and one draw per factor is cheap.
fn standard_normal(rng: &mut StdRng) -> f32 {
    let u1: f32 = 1.0 - rng.random::<f32>();
    let u2: f32 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// What every per-row solve needs besides the row itself.
struct Solver<'a> {
    fixed: &'a Factors,
    gram: Mat<f32>,
    factors: usize,
    unobserved_weight: f32,
    regularization: f32,
    frequency_exponent: f32,
    /// |I| when solving users, |U| when solving items.
    fixed_count: usize,
}

impl Solver<'_> {
    /// argmin_w Σ_k c_k (⟨w, h_k⟩ − 1)² + α0 wᵀGw + λ_row ‖w‖², i.e. the solution of
    /// (α0 G + Σ c_k h_k h_kᵀ + λ_row I) w = Σ c_k h_k.
    fn solve(&self, columns: &[u32], confidences: &[f32]) -> Vec<f32> {
        let d = self.factors;
        let row_weight = confidences.len() as f32 + self.unobserved_weight * self.fixed_count as f32;
        let lambda = self.regularization * row_weight.powf(self.frequency_exponent);
        let mut system =
            Mat::from_fn(d, d, |r, c| self.unobserved_weight * self.gram[(r, c)] + if r == c { lambda } else { 0.0 });
        let mut rhs = Mat::<f32>::zeros(d, 1);
        // √c_k h_k as columns, so that the observed part is one matrix product.
        let mut scaled = Mat::<f32>::zeros(d, columns.len());
        for (k, (&column, &confidence)) in columns.iter().zip(confidences).enumerate() {
            let h = self.fixed.row(column as usize, d);
            let root = confidence.sqrt();
            for (r, &value) in h.iter().enumerate() {
                scaled[(r, k)] = root * value;
                rhs[(r, 0)] += confidence * value;
            }
        }
        // Only the lower triangle: it is all the Cholesky below reads, and half the work.
        triangular::matmul(
            &mut system,
            BlockStructure::TriangularLower,
            Accum::Add,
            &scaled,
            BlockStructure::Rectangular,
            scaled.transpose(),
            BlockStructure::Rectangular,
            1.0,
            Par::Seq,
        );
        // A row with no evidence and nothing to regularise it has no unique solution: it
        // stays at zero, which scores every item alike.
        let Ok(cholesky) = system.llt(Side::Lower) else {
            return vec![0.0; d];
        };
        let solution = faer::linalg::solvers::Solve::solve(&cholesky, &rhs);
        (0..d).map(|r| solution[(r, 0)]).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Ials {
    factors: usize,
    unobserved_weight: f32,
    regularization: f32,
    frequency_exponent: f32,
    users: Factors,
    items: Factors,
    /// HᵀH of the final item factors, kept for fold-in.
    item_gram: Vec<f32>,
}

impl Ials {
    pub(super) fn train(config: &IalsConfig, data: &Dataset, pool: &rayon::ThreadPool) -> Result<Self, TrainError> {
        config.validate()?;
        let d = config.factors;
        let mut rng = StdRng::seed_from_u64(config.seed);
        // Users start from the first solve, so only the items need an initial draw.
        let mut users = Factors { rows: data.n_users(), values: vec![0.0; data.n_users() * d] };
        let mut items = Factors::gaussian(data.n_items(), d, config.init_std, &mut rng);
        pool.install(|| {
            for _ in 0..config.epochs {
                users = solve_all(config, &items, data.n_users(), |user| data.items_of(user));
                items = solve_all(config, &users, data.n_items(), |item| data.users_of(item));
            }
        });
        let item_gram = items.gramian(d);
        Ok(Self {
            factors: d,
            unobserved_weight: config.unobserved_weight,
            regularization: config.regularization,
            frequency_exponent: config.frequency_exponent,
            users,
            items,
            item_gram: (0..d * d).map(|k| item_gram[(k / d, k % d)]).collect(),
        })
    }

    pub(super) fn n_items(&self) -> usize {
        self.items.rows
    }

    pub(super) fn n_users(&self) -> usize {
        self.users.rows
    }

    pub(super) fn scores_for_user(&self, user: u32) -> Vec<f32> {
        if user as usize >= self.users.rows {
            return vec![0.0; self.n_items()];
        }
        self.scores_for_vector(self.users.row(user as usize, self.factors))
    }

    /// Fold-in: the user half-step of training, against the final item factors.
    pub(super) fn scores_for_items(&self, items: &[(u32, f32)]) -> Vec<f32> {
        let (columns, confidences): (Vec<u32>, Vec<f32>) = items
            .iter()
            .copied()
            .filter(|&(item, confidence)| (item as usize) < self.n_items() && confidence > 0.0)
            .unzip();
        let d = self.factors;
        let solver = Solver {
            fixed: &self.items,
            gram: Mat::from_fn(d, d, |r, c| self.item_gram[r * d + c]),
            factors: d,
            unobserved_weight: self.unobserved_weight,
            regularization: self.regularization,
            frequency_exponent: self.frequency_exponent,
            fixed_count: self.n_items(),
        };
        self.scores_for_vector(&solver.solve(&columns, &confidences))
    }

    /// H·v in one SIMD matrix-vector product (a plain per-item dot does not vectorise:
    /// float addition is not associative, so the compiler keeps its order).
    fn scores_for_vector(&self, vector: &[f32]) -> Vec<f32> {
        let n = self.n_items();
        let mut scores = Mat::<f32>::zeros(n, 1);
        let vector = MatRef::from_column_major_slice(vector, self.factors, 1);
        matmul(&mut scores, Accum::Replace, self.items.as_mat(self.factors), vector, 1.0, Par::Seq);
        (0..n).map(|item| scores[(item, 0)]).collect()
    }

    /// Cosine between item embeddings.
    pub(super) fn similar_items(&self, item: u32, k: usize) -> Vec<(u32, f32)> {
        if item as usize >= self.n_items() {
            return Vec::new();
        }
        let d = self.factors;
        let norm = |row: &[f32]| dot(row, row).sqrt();
        let target = self.items.row(item as usize, d);
        let target_norm = norm(target);
        let scores: Vec<f32> = (0..self.n_items())
            .map(|other| {
                let row = self.items.row(other, d);
                let denominator = target_norm * norm(row);
                if denominator > 0.0 { dot(target, row) / denominator } else { 0.0 }
            })
            .collect();
        super::top_k_except(&scores, item, k)
    }

    /// The training objective of the module comment, for tests of convergence.
    #[cfg(test)]
    fn loss(&self, data: &Dataset) -> f64 {
        let d = self.factors;
        let alpha0 = f64::from(self.unobserved_weight);
        let item_gram = self.items.gramian(d);
        let mut loss = 0.0;
        for user in 0..data.n_users() {
            let w = self.users.row(user, d);
            let (items, confidences) = data.items_of(user as u32);
            for (&item, &confidence) in items.iter().zip(confidences) {
                let prediction = f64::from(dot(w, self.items.row(item as usize, d)));
                loss += f64::from(confidence) * (prediction - 1.0).powi(2);
            }
            let mut quadratic = 0.0;
            for r in 0..d {
                for c in 0..d {
                    quadratic += f64::from(w[r]) * f64::from(item_gram[(r, c)]) * f64::from(w[c]);
                }
            }
            loss += alpha0 * quadratic;
            let weight = items.len() as f64 + alpha0 * data.n_items() as f64;
            loss += self.regularization_of(weight) * f64::from(dot(w, w));
        }
        for item in 0..data.n_items() {
            let h = self.items.row(item, d);
            let weight = data.users_of(item as u32).0.len() as f64 + alpha0 * data.n_users() as f64;
            loss += self.regularization_of(weight) * f64::from(dot(h, h));
        }
        loss
    }

    #[cfg(test)]
    fn regularization_of(&self, row_weight: f64) -> f64 {
        f64::from(self.regularization) * row_weight.powf(f64::from(self.frequency_exponent))
    }
}

/// One half-epoch: every row of one side solved against the other side, in parallel.
fn solve_all<'a>(
    config: &IalsConfig,
    fixed: &Factors,
    rows: usize,
    row_of: impl Fn(u32) -> (&'a [u32], &'a [f32]) + Sync,
) -> Factors {
    let solver = Solver {
        fixed,
        gram: fixed.gramian(config.factors),
        factors: config.factors,
        unobserved_weight: config.unobserved_weight,
        regularization: config.regularization,
        frequency_exponent: config.frequency_exponent,
        fixed_count: fixed.rows,
    };
    let values = (0..rows as u32)
        .into_par_iter()
        .flat_map_iter(|row| {
            let (columns, confidences) = row_of(row);
            solver.solve(columns, confidences)
        })
        .collect();
    Factors { rows, values }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap()
    }

    /// Two blocks of taste: users 0–3 share items 0–3, users 4–7 share items 4–7.
    fn two_blocks() -> Dataset {
        let triples = (0..8u32).flat_map(|user| {
            let block = user / 4 * 4;
            (block..block + 4).filter(move |&item| item != user).map(move |item| (user, item, 1.0))
        });
        Dataset::from_triples(8, 8, triples)
    }

    fn config(epochs: usize) -> IalsConfig {
        IalsConfig { factors: 4, epochs, unobserved_weight: 0.1, regularization: 0.01, ..IalsConfig::default() }
    }

    #[test]
    fn the_loss_never_goes_up_from_one_epoch_to_the_next() {
        let data = two_blocks();
        let losses: Vec<f64> =
            (1..=6).map(|epochs| Ials::train(&config(epochs), &data, &pool()).unwrap().loss(&data)).collect();
        for pair in losses.windows(2) {
            assert!(pair[1] <= pair[0] * (1.0 + 1e-5), "loss went up: {losses:?}");
        }
        assert!(losses[5] < losses[0], "loss did not decrease: {losses:?}");
    }

    #[test]
    fn a_user_scores_the_missing_item_of_their_block_above_the_other_block() {
        let data = two_blocks();
        let model = Ials::train(&config(10), &data, &pool()).unwrap();
        let scores = model.scores_for_user(0);
        // User 0 has items 1–3; item 0 (same block) must beat every item of the other block.
        assert!((4..8).all(|other| scores[0] > scores[other]), "{scores:?}");
    }

    #[test]
    fn fold_in_of_a_users_own_items_ranks_like_their_learned_vector() {
        let data = two_blocks();
        let model = Ials::train(&config(10), &data, &pool()).unwrap();
        for user in 0..8u32 {
            let (items, confidences) = data.items_of(user);
            let pairs: Vec<(u32, f32)> = items.iter().copied().zip(confidences.iter().copied()).collect();
            let rank = |scores: Vec<f32>| super::super::top_k_except(&scores, u32::MAX, 8);
            let top_half = |scores: Vec<f32>| {
                let mut items: Vec<u32> = rank(scores).into_iter().take(4).map(|(item, _)| item).collect();
                items.sort_unstable();
                items
            };
            // The learned vector is one half-step older than the item factors, so the order
            // inside the top may differ; which items make the top does not.
            assert_eq!(top_half(model.scores_for_user(user)), top_half(model.scores_for_items(&pairs)), "user {user}");
        }
    }

    #[test]
    fn training_is_deterministic_whatever_the_thread_count() {
        let data = two_blocks();
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(Ials::train(&config(3), &data, &one).unwrap(), Ials::train(&config(3), &data, &pool()).unwrap());
    }

    #[test]
    fn the_unobserved_weight_shrinks_with_a_larger_catalog_only() {
        let tuned = IalsConfig::default();
        let larger = tuned.clone().for_catalog(IalsConfig::TUNED_ITEMS * 10);
        assert!((larger.unobserved_weight - tuned.unobserved_weight / 10.0).abs() < 1e-6);
        assert_eq!(tuned.clone().for_catalog(100), tuned);
        assert_eq!(tuned.clone().for_catalog(0), tuned);
    }

    #[test]
    fn zero_factors_is_refused() {
        let error = Ials::train(&IalsConfig { factors: 0, ..config(1) }, &two_blocks(), &pool()).unwrap_err();
        assert!(matches!(error, TrainError::InvalidHyperParameter { name: "factors", .. }));
    }
}
