//! The baseline every other model must beat: items ranked by how much evidence all users
//! gave them.

use serde::{Deserialize, Serialize};

use crate::Dataset;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Popular {
    n_users: usize,
    /// Per item: the number of users who have it.
    counts: Vec<f32>,
}

impl Popular {
    pub(super) fn train(data: &Dataset) -> Self {
        let counts = (0..data.n_items() as u32).map(|item| data.users_of(item).0.len() as f32).collect();
        Self { n_users: data.n_users(), counts }
    }

    pub(super) fn n_items(&self) -> usize {
        self.counts.len()
    }

    pub(super) fn n_users(&self) -> usize {
        self.n_users
    }

    pub(super) fn scores(&self) -> Vec<f32> {
        self.counts.clone()
    }

    /// Popularity knows nothing of likeness: the most popular other items.
    pub(super) fn similar_items(&self, item: u32, k: usize) -> Vec<(u32, f32)> {
        let mut ranked: Vec<(u32, f32)> =
            self.counts.iter().enumerate().map(|(other, &count)| (other as u32, count)).collect();
        ranked.retain(|&(other, count)| other != item && count > 0.0);
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(k);
        ranked
    }
}
