//! The item graph the neighbourhood models share: for each item, its `k` strongest
//! neighbours. Item-kNN and RP3beta differ only in how an edge is weighed; both score a
//! listener as Σ_j c_j · W[j, ·] over the items j they have.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A trained neighbourhood model (item-kNN or RP3beta): its item graph and how many users
/// it was trained over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct ItemGraph {
    n_users: usize,
    graph: Neighbours,
}

impl ItemGraph {
    pub(super) fn new(n_users: usize, graph: Neighbours) -> Self {
        Self { n_users, graph }
    }

    pub(super) fn n_items(&self) -> usize {
        self.graph.n_items()
    }

    pub(super) fn n_users(&self) -> usize {
        self.n_users
    }

    pub(super) fn graph(&self) -> &Neighbours {
        &self.graph
    }
}

/// Compressed sparse rows of kept edges, each row sorted by neighbour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Neighbours {
    starts: Vec<usize>,
    neighbours: Vec<u32>,
    weights: Vec<f32>,
}

impl Neighbours {
    /// Builds each item's row with `weigh_row(item, row)` (`row` arrives zeroed, one slot per
    /// item), then keeps its `k` largest positive entries other than the item itself. Rows
    /// are independent, so they are computed in parallel on the current rayon pool.
    pub(super) fn build(n_items: usize, k: usize, weigh_row: impl Fn(u32, &mut [f32]) + Sync) -> Self {
        let rows: Vec<Vec<(u32, f32)>> = (0..n_items as u32)
            .into_par_iter()
            .map_init(
                || vec![0.0f32; n_items],
                |row, item| {
                    row.fill(0.0);
                    weigh_row(item, row);
                    let mut kept = super::top_k_except(row, item, k);
                    kept.retain(|&(_, weight)| weight > 0.0);
                    kept.sort_unstable_by_key(|&(neighbour, _)| neighbour);
                    kept
                },
            )
            .collect();
        let mut starts = Vec::with_capacity(n_items + 1);
        starts.push(0);
        let mut neighbours = Vec::new();
        let mut weights = Vec::new();
        for row in rows {
            for (neighbour, weight) in row {
                neighbours.push(neighbour);
                weights.push(weight);
            }
            starts.push(neighbours.len());
        }
        Self { starts, neighbours, weights }
    }

    pub(super) fn n_items(&self) -> usize {
        self.starts.len() - 1
    }

    fn row(&self, item: usize) -> (&[u32], &[f32]) {
        let range = self.starts[item]..self.starts[item + 1];
        (&self.neighbours[range.clone()], &self.weights[range])
    }

    /// Σ_j c_j · W[j, ·].
    pub(super) fn scores_for_items(&self, items: &[(u32, f32)]) -> Vec<f32> {
        let mut scores = vec![0.0; self.n_items()];
        for &(item, confidence) in items.iter().filter(|&&(item, _)| (item as usize) < self.n_items()) {
            let (neighbours, weights) = self.row(item as usize);
            for (&neighbour, &weight) in neighbours.iter().zip(weights) {
                scores[neighbour as usize] += confidence * weight;
            }
        }
        scores
    }

    pub(super) fn similar_items(&self, item: u32, k: usize) -> Vec<(u32, f32)> {
        if item as usize >= self.n_items() {
            return Vec::new();
        }
        let (neighbours, weights) = self.row(item as usize);
        let mut ranked: Vec<(u32, f32)> = neighbours.iter().copied().zip(weights.iter().copied()).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(k);
        ranked
    }

    /// The weight of the edge `from → to`, zero when it was not kept.
    #[cfg(test)]
    pub(super) fn weight(&self, from: u32, to: u32) -> f32 {
        let (neighbours, weights) = self.row(from as usize);
        neighbours.binary_search(&to).map_or(0.0, |position| weights[position])
    }
}
