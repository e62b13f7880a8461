//! Top-10 metrics exactly as PROTOCOL.md defines them: averaged over users with at least one
//! held-out item, binary relevance, NDCG with a 1/log2(rank + 1) discount and an ideal DCG
//! over min(|held out|, 10) hits, coverage as distinct recommended items over the catalog.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::models::top_k_except;
use crate::{Dataset, Model};

pub const K: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    pub precision_at_10: f64,
    pub recall_at_10: f64,
    pub ndcg_at_10: f64,
    pub coverage_at_10: f64,
    /// Users the averages are over.
    pub users: usize,
}

/// The metrics of `(recommended, relevant)` lists, one pair per user; users with nothing
/// relevant are skipped. `relevant` must be sorted.
pub fn metrics<'a>(lists: impl IntoIterator<Item = (&'a [u32], &'a [u32])>, n_items: usize) -> Metrics {
    let (mut precision, mut recall, mut ndcg) = (0.0, 0.0, 0.0);
    let mut users = 0;
    let mut recommended_items = HashSet::new();
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    for (recommended, relevant) in lists {
        if relevant.is_empty() {
            continue;
        }
        debug_assert!(relevant.is_sorted());
        users += 1;
        let top = &recommended[..recommended.len().min(K)];
        recommended_items.extend(top.iter().copied());
        let hit_ranks: Vec<usize> = (0..top.len()).filter(|&rank| relevant.binary_search(&top[rank]).is_ok()).collect();
        precision += hit_ranks.len() as f64 / K as f64;
        recall += hit_ranks.len() as f64 / relevant.len() as f64;
        let dcg: f64 = hit_ranks.iter().map(|&rank| discount(rank)).sum();
        let ideal: f64 = (0..relevant.len().min(K)).map(discount).sum();
        ndcg += dcg / ideal;
    }
    let mean = |sum: f64| if users == 0 { 0.0 } else { sum / users as f64 };
    Metrics {
        precision_at_10: mean(precision),
        recall_at_10: mean(recall),
        ndcg_at_10: mean(ndcg),
        coverage_at_10: if n_items == 0 { 0.0 } else { recommended_items.len() as f64 / n_items as f64 },
        users,
    }
}

/// A user's top 10 among every item outside their training items, ties to the lower index.
pub fn top_10(model: &Model, train: &Dataset, user: u32) -> Vec<u32> {
    let mut scores = model.scores_for_user(user, train);
    for &item in train.items_of(user).0 {
        scores[item as usize] = f32::NEG_INFINITY;
    }
    top_k_except(&scores, u32::MAX, K)
        .into_iter()
        .filter(|&(_, score)| score > f32::NEG_INFINITY)
        .map(|(item, _)| item)
        .collect()
}

/// Ranks for every user with held-out items (in parallel on the current rayon pool) and
/// scores the lists.
pub fn evaluate(model: &Model, train: &Dataset, held_out: &[Vec<u32>]) -> Metrics {
    let lists: Vec<(Vec<u32>, &[u32])> = (0..held_out.len() as u32)
        .into_par_iter()
        .filter(|&user| !held_out[user as usize].is_empty())
        .map(|user| (top_10(model, train, user), held_out[user as usize].as_slice()))
        .collect();
    metrics(lists.iter().map(|(recommended, relevant)| (recommended.as_slice(), *relevant)), train.n_items())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ModelConfig, TrainOptions, train};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn metrics_match_a_hand_computation() {
        // User A: hits at ranks 1 and 3 of 10, 4 relevant items.
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/2 + 1/log2(5).
        let a_recommended: Vec<u32> = (0..10).collect();
        let a_relevant = [0, 2, 50, 60];
        // User B: one relevant item at rank 2 of 3 recommended; IDCG = 1.
        let b_recommended = [7, 8, 9];
        let b_relevant = [8];
        // User C has nothing held out and does not count.
        let lists = [
            (a_recommended.as_slice(), a_relevant.as_slice()),
            (&b_recommended[..], &b_relevant[..]),
            (&[1, 2][..], &[][..]),
        ];
        let result = metrics(lists, 100);
        let idcg_a = 1.0 + 1.0 / 3f64.log2() + 0.5 + 1.0 / 5f64.log2();
        let ndcg_a = 1.5 / idcg_a;
        let ndcg_b = 1.0 / 3f64.log2();
        assert_eq!(result.users, 2);
        assert!(close(result.precision_at_10, (0.2 + 0.1) / 2.0));
        assert!(close(result.recall_at_10, (0.5 + 1.0) / 2.0));
        assert!(close(result.ndcg_at_10, (ndcg_a + ndcg_b) / 2.0));
        // Items 0–9 from A and 7–9 from B (C does not count): 10 distinct of 100.
        assert!(close(result.coverage_at_10, 0.1));
    }

    #[test]
    fn a_perfect_list_scores_one_and_no_users_score_zero() {
        let result = metrics([(&[3, 4][..], &[3, 4][..])], 5);
        assert!(close(result.ndcg_at_10, 1.0) && close(result.recall_at_10, 1.0));
        assert!(close(result.precision_at_10, 0.2));
        let nobody = metrics([], 0);
        assert_eq!((nobody.users, nobody.ndcg_at_10, nobody.coverage_at_10), (0, 0.0, 0.0));
    }

    #[test]
    fn training_items_are_never_recommended_and_ties_go_to_the_lower_index() {
        // Items 1 and 3 have two users each, 0 and 2 one each.
        let data =
            Dataset::from_triples(3, 5, [(0, 1, 1.0), (1, 1, 1.0), (0, 3, 1.0), (2, 3, 1.0), (1, 0, 1.0), (2, 2, 1.0)]);
        let model = train(&ModelConfig::Popular, &data, &TrainOptions::default()).unwrap();
        assert_eq!(top_10(&model, &data, 0), vec![0, 2, 4]);
        assert_eq!(top_10(&model, &data, 2), vec![1, 0, 4]);
    }
}
