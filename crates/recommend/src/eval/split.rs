//! The folds of an evaluation file as dense matrices: ids mapped to `0..n` in ascending
//! order (so "ties go to the lower index" means the lower id, as in PROTOCOL.md), the
//! training matrix built from chosen folds, and each user's held-out items.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::tsv::{Fold, Row};
use crate::Dataset;

/// How a row's `weight` becomes the confidence the models see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Every pair counts 1, however often or strongly it occurs.
    Binary,
    /// The weight column, summed over repeated pairs.
    Weight,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    n_users: usize,
    n_items: usize,
    /// Dense (user, item, weight, fold).
    rows: Vec<(u32, u32, f32, Fold)>,
}

impl Split {
    pub fn from_rows(rows: &[Row]) -> Self {
        let users: Vec<u64> = rows.iter().map(|row| row.user_id).collect::<BTreeSet<_>>().into_iter().collect();
        let items: Vec<u64> = rows.iter().map(|row| row.item_id).collect::<BTreeSet<_>>().into_iter().collect();
        let dense = |ids: &[u64], id: u64| ids.binary_search(&id).expect("every id was collected") as u32;
        let rows = rows
            .iter()
            .map(|row| (dense(&users, row.user_id), dense(&items, row.item_id), row.weight, row.fold))
            .collect();
        Self { n_users: users.len(), n_items: items.len(), rows }
    }

    pub fn n_users(&self) -> usize {
        self.n_users
    }

    pub fn n_items(&self) -> usize {
        self.n_items
    }

    pub fn count(&self, fold: Fold) -> usize {
        self.rows.iter().filter(|row| row.3 == fold).count()
    }

    /// The users × items matrix of the rows in `folds`.
    pub fn matrix(&self, folds: &[Fold], weighting: Weighting) -> Dataset {
        let chosen = self.rows.iter().filter(|row| folds.contains(&row.3));
        match weighting {
            Weighting::Weight => Dataset::from_triples(
                self.n_users,
                self.n_items,
                chosen.map(|&(user, item, weight, _)| (user, item, weight)),
            ),
            Weighting::Binary => {
                let pairs: BTreeSet<(u32, u32)> = chosen.map(|&(user, item, _, _)| (user, item)).collect();
                Dataset::from_triples(
                    self.n_users,
                    self.n_items,
                    pairs.into_iter().map(|(user, item)| (user, item, 1.0)),
                )
            }
        }
    }

    /// Per user, the distinct items of `fold` (sorted): what a good model ranks high.
    pub fn held_out(&self, fold: Fold) -> Vec<Vec<u32>> {
        let mut held_out = vec![BTreeSet::new(); self.n_users];
        for &(user, item, _, _) in self.rows.iter().filter(|row| row.3 == fold) {
            held_out[user as usize].insert(item);
        }
        held_out.into_iter().map(|items| items.into_iter().collect()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user_id: u64, item_id: u64, weight: f32, fold: Fold) -> Row {
        Row { user_id, item_id, weight, timestamp: 0, fold }
    }

    #[test]
    fn ids_become_dense_in_ascending_order_and_folds_stay_apart() {
        let rows = [
            row(30, 7, 2.0, Fold::Train),
            row(10, 9, 1.0, Fold::Train),
            row(30, 7, 3.0, Fold::Val),
            row(10, 7, 5.0, Fold::Test),
        ];
        let split = Split::from_rows(&rows);
        assert_eq!((split.n_users(), split.n_items()), (2, 2));
        let train = split.matrix(&[Fold::Train], Weighting::Weight);
        assert_eq!(train.items_of(1), (&[0][..], &[2.0][..]));
        assert_eq!(train.items_of(0), (&[1][..], &[1.0][..]));
        let both = split.matrix(&[Fold::Train, Fold::Val], Weighting::Weight);
        assert_eq!(both.items_of(1), (&[0][..], &[5.0][..]));
        let binary = split.matrix(&[Fold::Train, Fold::Val], Weighting::Binary);
        assert_eq!(binary.items_of(1), (&[0][..], &[1.0][..]));
        assert_eq!(split.held_out(Fold::Test), vec![vec![0], vec![]]);
        assert_eq!(split.count(Fold::Val), 1);
    }
}
