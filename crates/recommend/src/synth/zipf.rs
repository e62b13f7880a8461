//! Zipf sampling over the first `n` ranks of any length from one shared table, because
//! every genre and every artist has its own size and a table each would cost more than the
//! catalog itself.

use rand::Rng;

/// `prefix[k]` is the sum of `1 / (rank + 1)^exponent` over ranks `0..k`, so the Zipf law
/// truncated to `n` ranks has the cumulative weights `prefix[1..=n]`.
#[derive(Debug, Clone)]
pub(super) struct Zipf {
    prefix: Vec<f64>,
}

impl Zipf {
    /// A table for lists of up to `longest` ranks.
    pub(super) fn new(exponent: f64, longest: usize) -> Self {
        let mut prefix = Vec::with_capacity(longest + 1);
        let mut sum = 0.0;
        prefix.push(sum);
        for rank in 0..longest {
            sum += 1.0 / ((rank + 1) as f64).powf(exponent);
            prefix.push(sum);
        }
        Self { prefix }
    }

    /// The weight of `rank` in any list long enough to hold it (not normalised).
    pub(super) fn weight(&self, rank: usize) -> f64 {
        self.prefix[rank + 1] - self.prefix[rank]
    }

    /// A rank in `0..n`, rank 0 the likeliest.
    pub(super) fn sample(&self, n: usize, rng: &mut impl Rng) -> usize {
        debug_assert!(n >= 1 && n < self.prefix.len(), "a list of {n} ranks needs a table that long");
        let target = rng.random::<f64>() * self.prefix[n];
        // The first cumulative weight above the target, among prefix[1..=n].
        self.prefix[1..=n].partition_point(|&cumulative| cumulative <= target).min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    use super::*;

    #[test]
    fn the_first_rank_is_drawn_about_as_often_as_its_weight_says() {
        let zipf = Zipf::new(1.0, 10);
        let mut rng = SmallRng::seed_from_u64(7);
        let mut counts = [0usize; 4];
        for _ in 0..40_000 {
            counts[zipf.sample(4, &mut rng)] += 1;
        }
        // Weights 1, 1/2, 1/3, 1/4 over 25/12: rank 0 is 12/25 of the draws.
        let share = counts[0] as f64 / 40_000.0;
        assert!((share - 0.48).abs() < 0.02, "rank 0 drew {share}");
        assert!(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[3]);
        assert!((zipf.weight(1) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn a_list_of_one_always_draws_its_only_rank() {
        let zipf = Zipf::new(1.0, 3);
        let mut rng = SmallRng::seed_from_u64(1);
        assert!((0..100).all(|_| zipf.sample(1, &mut rng) == 0));
    }
}
