//! Ranking and grouping in one pass over the matches: each match gets its final rank
//! (match quality from the query, then how much of the name the query covers, then
//! popularity) and goes to the bounded top list of its kind, which also counts it.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, SegmentOrdinal, SegmentReader};

use crate::schema::Kind;

/// Plays at which popularity is worth half of what it can add.
const POPULARITY_HALF_POINT: f32 = 100.0;
/// What coverage and popularity can add stays below one point, the smallest difference in
/// match quality (see `query::points`), so they only order matches of equal quality.
const COVERAGE_WEIGHT: f32 = 0.8;
const POPULARITY_WEIGHT: f32 = 0.19;

/// The final rank of a match.
pub(crate) fn rank(match_points: u32, query_chars: u64, name_chars: u64, popularity: u64) -> f32 {
    let coverage = (query_chars as f32 / name_chars.max(1) as f32).min(1.0);
    // In tenths: names of comparable length tie, and popularity decides between them.
    let coverage = (coverage * 10.0).floor() / 10.0;
    let popularity = popularity as f32 / (popularity as f32 + POPULARITY_HALF_POINT);
    match_points as f32 + COVERAGE_WEIGHT * coverage + POPULARITY_WEIGHT * popularity
}

/// A match with its rank. Greater is better; equal ranks order by kind (`Kind::ALL`),
/// then by index position, so results are stable between identical requests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub rank: f32,
    pub kind: Kind,
    pub address: DocAddress,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank
            .total_cmp(&other.rank)
            .then_with(|| other.kind.cmp(&self.kind))
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// The best `keep` matches of one kind, best first, and how many matched in all.
#[derive(Debug, Default)]
pub(crate) struct KindTop {
    pub total: usize,
    pub best: Vec<Ranked>,
}

/// Keeps the best `keep` matches of each requested kind that `viewer` may see.
pub(crate) struct GroupedTop {
    pub kinds: Vec<Kind>,
    pub keep: usize,
    pub query_chars: u64,
    /// The listener searching, whose private playlists are found too; 0 for nobody.
    pub viewer: u64,
}

const KINDS: usize = Kind::ALL.len();

/// The best matches of each kind seen so far, indexed by `Kind as usize`.
pub(crate) type Tops = [Bounded; KINDS];

impl GroupedTop {
    pub fn tops(&self) -> Tops {
        Kind::ALL.map(|_| Bounded::default())
    }

    /// Ranks the matches of `segment` (documents with their match points) into `tops`.
    pub fn offer(
        &self,
        ordinal: SegmentOrdinal,
        segment: &SegmentReader,
        matches: &[(DocId, u32)],
        tops: &mut Tops,
    ) -> tantivy::Result<()> {
        let fast = segment.fast_fields();
        let (kinds, name_chars, popularity) = (fast.u64("kind")?, fast.u64("name_chars")?, fast.u64("popularity")?);
        let visibility = Visibility { public: fast.bool("public")?, owner: fast.u64("owner")?, viewer: self.viewer };
        for &(doc, match_points) in matches {
            let Some(kind) = kinds.first(doc).and_then(Kind::from_code) else { continue };
            if !self.kinds.contains(&kind) || !visibility.allows(doc) {
                continue;
            }
            let name_chars = name_chars.first(doc).unwrap_or(0);
            let popularity = popularity.first(doc).unwrap_or(0);
            let ranked = Ranked {
                rank: rank(match_points, self.query_chars, name_chars, popularity),
                kind,
                address: DocAddress::new(ordinal, doc),
            };
            tops[kind as usize].offer(ranked, self.keep);
        }
        Ok(())
    }

    /// The requested kinds in order, each with its best `keep` matches, best first.
    pub fn finish(&self, tops: Tops) -> Vec<(Kind, KindTop)> {
        self.kinds
            .iter()
            .map(|&kind| {
                let top = &tops[kind as usize];
                let mut best: Vec<Ranked> = top.heap.iter().map(|Reverse(ranked)| *ranked).collect();
                best.sort_unstable_by(|a, b| b.cmp(a));
                (kind, KindTop { total: top.total, best })
            })
            .collect()
    }
}

/// A min-heap of the best matches seen, never larger than `keep`.
#[derive(Default)]
pub(crate) struct Bounded {
    total: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl Bounded {
    fn offer(&mut self, ranked: Ranked, keep: usize) {
        self.total += 1;
        if self.heap.len() < keep {
            self.heap.push(Reverse(ranked));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && ranked > worst.0
        {
            *worst = Reverse(ranked);
        }
    }
}

/// Who may find a document: public ones, or the viewer's own. A private playlist does not
/// exist for anyone else, not even in a count.
struct Visibility {
    public: Column<bool>,
    owner: Column<u64>,
    viewer: u64,
}

impl Visibility {
    fn allows(&self, doc: DocId) -> bool {
        self.public.first(doc).unwrap_or(false) || (self.viewer != 0 && self.owner.first(doc) == Some(self.viewer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::points;

    #[test]
    fn popularity_never_outweighs_a_better_match() {
        let popular_prefix = rank(points::NAME_PREFIX.into(), 5, 5, u64::MAX / 2);
        let obscure_word = rank(points::NAME_WORD.into(), 5, 40, 0);
        assert!(obscure_word > popular_prefix);
    }

    #[test]
    fn popularity_orders_equal_matches() {
        assert!(rank(points::NAME_WORD.into(), 5, 10, 1_000) > rank(points::NAME_WORD.into(), 5, 10, 3));
    }

    #[test]
    fn shorter_names_rank_above_longer_ones_for_the_same_words() {
        assert!(rank(points::NAME_PREFIX.into(), 5, 17, 0) > rank(points::NAME_PREFIX.into(), 5, 36, 0));
    }

    #[test]
    fn the_bounded_top_keeps_the_best_and_counts_everything() {
        let mut top = Bounded::default();
        for (doc, rank) in [3.0, 9.0, 1.0, 7.0, 5.0].into_iter().enumerate() {
            top.offer(Ranked { rank, kind: Kind::Track, address: DocAddress::new(0, doc as DocId) }, 2);
        }
        let mut kept: Vec<f32> = top.heap.into_iter().map(|Reverse(ranked)| ranked.rank).collect();
        kept.sort_by(f32::total_cmp);
        assert_eq!((top.total, kept), (5, vec![7.0, 9.0]));
    }
}
