//! Re-ranking a scored list into what a listener is shown: maximal marginal relevance
//! (Carbonell & Goldstein 1998) so a mix does not play five songs of one album in a row,
//! and a hard cap of tracks per artist.

/// One scored item and what makes two items alike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub item: u32,
    pub relevance: f32,
    pub artist: u32,
    /// `None` for an untagged track: alike to no one by genre.
    pub genre: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RerankRules {
    /// How many items to keep.
    pub limit: usize,
    /// At most this many items of one artist.
    pub per_artist: usize,
    /// MMR's trade-off in `[0, 1]`: 0 keeps the relevance order, 1 only avoids likeness.
    pub diversity: f32,
}

/// Likeness of two items for diversity: one artist is very alike, one genre somewhat.
fn likeness(a: &Candidate, b: &Candidate) -> f32 {
    if a.artist == b.artist {
        1.0
    } else if a.genre.is_some() && a.genre == b.genre {
        0.3
    } else {
        0.0
    }
}

/// Picks up to `rules.limit` candidates greedily, each time the one with the best
/// `(1 − diversity) · relevance − diversity · likeness to those already picked`, relevance
/// scaled to `[0, 1]` first. Costs O(limit × candidates): callers trim the candidates to a
/// few hundred by relevance first.
pub fn rerank(candidates: &[Candidate], rules: &RerankRules) -> Vec<Candidate> {
    let (low, high) = candidates
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(low, high), c| (low.min(c.relevance), high.max(c.relevance)));
    let span = if high > low { high - low } else { 1.0 };
    let relevance = |c: &Candidate| (c.relevance - low) / span;
    let diversity = rules.diversity.clamp(0.0, 1.0);

    let mut closest = vec![0.0_f32; candidates.len()];
    let mut taken = vec![false; candidates.len()];
    let mut per_artist: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let mut picked = Vec::with_capacity(rules.limit.min(candidates.len()));
    while picked.len() < rules.limit {
        let best = candidates
            .iter()
            .enumerate()
            .filter(|&(index, c)| !taken[index] && per_artist.get(&c.artist).copied().unwrap_or(0) < rules.per_artist)
            .map(|(index, c)| (index, (1.0 - diversity) * relevance(c) - diversity * closest[index]))
            // Ties keep the input order, so equal scores give a stable answer.
            .fold(None, |best: Option<(usize, f32)>, (index, score)| match best {
                Some((_, best_score)) if best_score >= score => best,
                _ => Some((index, score)),
            });
        let Some((index, _)) = best else { break };
        taken[index] = true;
        let chosen = candidates[index];
        *per_artist.entry(chosen.artist).or_default() += 1;
        for (other, candidate) in candidates.iter().enumerate() {
            closest[other] = closest[other].max(likeness(&chosen, candidate));
        }
        picked.push(chosen);
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(item: u32, relevance: f32, artist: u32, genre: u32) -> Candidate {
        Candidate { item, relevance, artist, genre: Some(genre) }
    }

    #[test]
    fn without_diversity_the_order_is_relevance_within_the_artist_cap() {
        let candidates =
            [candidate(1, 0.9, 7, 0), candidate(2, 0.8, 7, 0), candidate(3, 0.7, 7, 0), candidate(4, 0.1, 8, 0)];
        let rules = RerankRules { limit: 3, per_artist: 2, diversity: 0.0 };
        let items: Vec<u32> = rerank(&candidates, &rules).iter().map(|c| c.item).collect();
        assert_eq!(items, [1, 2, 4]);
    }

    #[test]
    fn diversity_interleaves_artists() {
        let candidates =
            [candidate(1, 1.0, 7, 0), candidate(2, 0.95, 7, 0), candidate(3, 0.9, 8, 1), candidate(4, 0.85, 8, 1)];
        let rules = RerankRules { limit: 4, per_artist: 4, diversity: 0.5 };
        let artists: Vec<u32> = rerank(&candidates, &rules).iter().map(|c| c.artist).collect();
        assert_eq!(artists, [7, 8, 7, 8]);
    }

    #[test]
    fn empty_input_and_a_zero_limit_give_nothing() {
        let rules = RerankRules { limit: 5, per_artist: 1, diversity: 0.3 };
        assert!(rerank(&[], &rules).is_empty());
        let rules = RerankRules { limit: 0, ..rules };
        assert!(rerank(&[candidate(1, 1.0, 1, 1)], &rules).is_empty());
    }
}
