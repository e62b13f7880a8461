//! The `k` best items of a score vector, leaving out the ones a listener already has: the
//! last step of every recommendation, so it costs one pass over the catalog and no sort of it.

use std::cmp::Ordering;

/// Up to `k` items by score, best first (ties to the lower index), leaving out `exclude`
/// (sorted) and scores that are not numbers.
pub fn top_k(scores: &[f32], exclude: &[u32], k: usize) -> Vec<u32> {
    top_k_scored(scores, exclude, k).into_iter().map(|(item, _)| item).collect()
}

/// As [`top_k`], with each item's score.
pub fn top_k_scored(scores: &[f32], exclude: &[u32], k: usize) -> Vec<(u32, f32)> {
    debug_assert!(exclude.is_sorted(), "the left-out items come sorted");
    if k == 0 {
        return Vec::new();
    }
    let mut excluded = exclude.iter().peekable();
    let mut candidates: Vec<(u32, f32)> = Vec::with_capacity(scores.len().saturating_sub(exclude.len()));
    for (item, &score) in scores.iter().enumerate() {
        let item = item as u32;
        while excluded.next_if(|&&next| next < item).is_some() {}
        if excluded.next_if_eq(&&item).is_some() || score.is_nan() {
            continue;
        }
        candidates.push((item, score));
    }
    let better = |a: &(u32, f32), b: &(u32, f32)| -> Ordering { b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)) };
    if candidates.len() > k {
        candidates.select_nth_unstable_by(k - 1, better);
        candidates.truncate(k);
    }
    candidates.sort_unstable_by(better);
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_come_first_without_the_left_out_ones() {
        let scores = [0.1, 0.9, 0.5, 0.9, f32::NAN, 0.7];
        assert_eq!(top_k(&scores, &[], 3), [1, 3, 5]);
        assert_eq!(top_k(&scores, &[1, 5], 3), [3, 2, 0]);
        assert_eq!(top_k(&scores, &[0, 1, 2, 3, 5], 3), Vec::<u32>::new());
        assert_eq!(top_k(&scores, &[], 10), [1, 3, 5, 2, 0]);
        assert_eq!(top_k(&scores, &[], 0), Vec::<u32>::new());
    }
}
