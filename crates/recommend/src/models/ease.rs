//! EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): the item-item
//! weights B minimising ‖X − XB‖² + λ‖B‖² with diag(B) = 0 have a closed form,
//! B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹. One dense inverse, no iterations and no
//! seed: the strongest simple baseline where the catalog is small enough for an n × n matrix.

use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, Side};
use serde::{Deserialize, Serialize};

use super::TrainError;
use crate::Dataset;

/// B is dense: 20,000 items are 1.6 GB of f32, the most one node should hold for it.
pub const EASE_ITEM_LIMIT: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EaseConfig {
    /// λ, the L2 penalty added to the diagonal of XᵀX.
    pub regularization: f32,
}

impl Default for EaseConfig {
    fn default() -> Self {
        Self { regularization: 500.0 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Ease {
    n_users: usize,
    n_items: usize,
    /// Row-major n_items × n_items; row j holds what item j says about every item.
    weights: Vec<f32>,
}

impl Ease {
    pub(super) fn train(config: &EaseConfig, data: &Dataset, pool: &rayon::ThreadPool) -> Result<Self, TrainError> {
        let n = data.n_items();
        if n > EASE_ITEM_LIMIT {
            return Err(TrainError::TooManyItems { items: n, limit: EASE_ITEM_LIMIT });
        }
        // λ > 0 makes XᵀX + λI positive definite, so the Cholesky below cannot fail.
        if !(config.regularization > 0.0 && config.regularization.is_finite()) {
            return Err(TrainError::InvalidHyperParameter {
                name: "regularization",
                reason: "must be a finite number > 0".to_owned(),
            });
        }
        let mut gram = Mat::<f64>::zeros(n, n);
        for user in 0..data.n_users() as u32 {
            let (items, confidences) = data.items_of(user);
            for (&i, &ci) in items.iter().zip(confidences) {
                for (&j, &cj) in items.iter().zip(confidences) {
                    gram[(i as usize, j as usize)] += f64::from(ci) * f64::from(cj);
                }
            }
        }
        for i in 0..n {
            gram[(i, i)] += f64::from(config.regularization);
        }
        // faer's default parallelism is the current rayon pool: inside `install`, ours.
        let precision = pool.install(|| {
            gram.llt(Side::Lower)
                .map(|cholesky| cholesky.inverse())
                .map_err(|_| TrainError::Numerical { reason: "XᵀX + λI is not positive definite".to_owned() })
        })?;
        let mut weights = vec![0.0; n * n];
        for j in 0..n {
            for k in 0..n {
                if j != k {
                    weights[j * n + k] = (-precision[(j, k)] / precision[(k, k)]) as f32;
                }
            }
        }
        Ok(Self { n_users: data.n_users(), n_items: n, weights })
    }

    pub(super) fn n_items(&self) -> usize {
        self.n_items
    }

    pub(super) fn n_users(&self) -> usize {
        self.n_users
    }

    /// x·B for the listener's row x.
    pub(super) fn scores_for_items(&self, items: &[(u32, f32)]) -> Vec<f32> {
        let n = self.n_items;
        let mut scores = vec![0.0; n];
        for &(item, confidence) in items.iter().filter(|&&(item, _)| (item as usize) < n) {
            let row = &self.weights[item as usize * n..(item as usize + 1) * n];
            for (score, weight) in scores.iter_mut().zip(row) {
                *score += confidence * weight;
            }
        }
        scores
    }

    /// The items whose column of B item `item` weighs most: what it predicts.
    pub(super) fn similar_items(&self, item: u32, k: usize) -> Vec<(u32, f32)> {
        if item as usize >= self.n_items {
            return Vec::new();
        }
        super::top_k_except(&self.scores_for_items(&[(item, 1.0)]), item, k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap()
    }

    /// Gauss–Jordan on a small dense matrix: the direct computation to check against.
    fn invert(mut a: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
        let n = a.len();
        let mut inverse: Vec<Vec<f64>> =
            (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
        for col in 0..n {
            let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs())).unwrap();
            a.swap(col, pivot);
            inverse.swap(col, pivot);
            let p = a[col][col];
            for j in 0..n {
                a[col][j] /= p;
                inverse[col][j] /= p;
            }
            for row in (0..n).filter(|&row| row != col) {
                let factor = a[row][col];
                for j in 0..n {
                    a[row][j] -= factor * a[col][j];
                    inverse[row][j] -= factor * inverse[col][j];
                }
            }
        }
        inverse
    }

    #[test]
    fn weights_match_a_direct_dense_computation() {
        let rows = [
            [1.0, 1.0, 0.0, 0.0],
            [1.0, 0.0, 1.0, 0.0],
            [0.0, 1.0, 1.0, 1.0],
            [1.0, 1.0, 1.0, 0.0],
            [0.0, 0.0, 1.0, 1.0],
        ];
        let lambda = 2.0;
        let triples = rows.iter().enumerate().flat_map(|(u, row)| {
            row.iter().enumerate().filter(|(_, v)| **v > 0.0).map(move |(i, &v)| (u as u32, i as u32, v as f32))
        });
        let data = Dataset::from_triples(5, 4, triples);
        let model = Ease::train(&EaseConfig { regularization: lambda as f32 }, &data, &pool()).unwrap();

        let gram: Vec<Vec<f64>> = (0..4)
            .map(|i| {
                (0..4)
                    .map(|j| rows.iter().map(|r| r[i] * r[j]).sum::<f64>() + if i == j { lambda } else { 0.0 })
                    .collect()
            })
            .collect();
        let p = invert(gram);
        for (j, row) in p.iter().enumerate() {
            for (k, &entry) in row.iter().enumerate() {
                let expected = if j == k { 0.0 } else { -entry / p[k][k] };
                let actual = f64::from(model.weights[j * 4 + k]);
                assert!((actual - expected).abs() < 1e-5, "B[{j}][{k}] = {actual}, expected {expected}");
            }
        }
    }

    #[test]
    fn a_catalog_above_the_limit_is_refused() {
        let data = Dataset::from_triples(1, EASE_ITEM_LIMIT + 1, []);
        let error = Ease::train(&EaseConfig::default(), &data, &pool()).unwrap_err();
        assert_eq!(error, TrainError::TooManyItems { items: EASE_ITEM_LIMIT + 1, limit: EASE_ITEM_LIMIT });
    }
}
