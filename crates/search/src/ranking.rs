//! Ranking and grouping in one pass over the matches: each match gets its final rank
//! (match quality from the query, then how much of the name the query covers, then
//! popularity) and goes to the bounded top list of its kind, which also counts it.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::Kind;

/// Plays at which popularity is worth half of what it can add.
const POPULARITY_HALF_POINT: f32 = 100.0;
/// What coverage and popularity can add stays below one point, the smallest difference in
/// match quality (see `query::points`), so they only order matches of equal quality.
const COVERAGE_WEIGHT: f32 = 0.8;
const POPULARITY_WEIGHT: f32 = 0.19;

/// The final rank of a match.
pub(crate) fn rank(match_points: Score, query_chars: u64, name_chars: u64, popularity: u64) -> f32 {
    let coverage = (query_chars as f32 / name_chars.max(1) as f32).min(1.0);
    // In tenths: names of comparable length tie, and popularity decides between them.
    let coverage = (coverage * 10.0).floor() / 10.0;
    let popularity = popularity as f32 / (popularity as f32 + POPULARITY_HALF_POINT);
    match_points + COVERAGE_WEIGHT * coverage + POPULARITY_WEIGHT * popularity
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

/// Collects the best `keep` matches of each requested kind that `viewer` may see.
pub(crate) struct GroupedTopCollector {
    pub kinds: Vec<Kind>,
    pub keep: usize,
    pub query_chars: u64,
    /// The listener searching, whose private playlists are found too; 0 for nobody.
    pub viewer: u64,
}

const KINDS: usize = Kind::ALL.len();

impl Collector for GroupedTopCollector {
    type Fruit = Vec<(Kind, KindTop)>;
    type Child = GroupedTopSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<GroupedTopSegment> {
        let fast = reader.fast_fields();
        Ok(GroupedTopSegment {
            segment,
            kinds: self.kinds.clone(),
            keep: self.keep,
            query_chars: self.query_chars,
            kind: fast.u64("kind")?,
            name_chars: fast.u64("name_chars")?,
            popularity: fast.u64("popularity")?,
            public: fast.bool("public")?,
            owner: fast.u64("owner")?,
            viewer: self.viewer,
            tops: Kind::ALL.map(|_| Bounded::default()),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<[Bounded; KINDS]>) -> tantivy::Result<Vec<(Kind, KindTop)>> {
        let mut merged: [KindTop; KINDS] = Default::default();
        for tops in segments {
            for (into, top) in merged.iter_mut().zip(tops) {
                into.total += top.total;
                into.best.extend(top.heap.into_iter().map(|Reverse(ranked)| ranked));
            }
        }
        Ok(self
            .kinds
            .iter()
            .map(|&kind| {
                let mut top = std::mem::take(&mut merged[kind as usize]);
                top.best.sort_unstable_by(|a, b| b.cmp(a));
                top.best.truncate(self.keep);
                (kind, top)
            })
            .collect())
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

pub(crate) struct GroupedTopSegment {
    segment: SegmentOrdinal,
    kinds: Vec<Kind>,
    keep: usize,
    query_chars: u64,
    kind: Column<u64>,
    name_chars: Column<u64>,
    popularity: Column<u64>,
    public: Column<bool>,
    owner: Column<u64>,
    viewer: u64,
    /// Indexed by `Kind as usize`.
    tops: [Bounded; KINDS],
}

impl SegmentCollector for GroupedTopSegment {
    type Fruit = [Bounded; KINDS];

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(kind) = self.kind.first(doc).and_then(Kind::from_code) else { return };
        if !self.kinds.contains(&kind) || !self.visible(doc) {
            return;
        }
        let name_chars = self.name_chars.first(doc).unwrap_or(0);
        let popularity = self.popularity.first(doc).unwrap_or(0);
        let ranked = Ranked {
            rank: rank(score, self.query_chars, name_chars, popularity),
            kind,
            address: DocAddress::new(self.segment, doc),
        };
        self.tops[kind as usize].offer(ranked, self.keep);
    }

    fn harvest(self) -> [Bounded; KINDS] {
        self.tops
    }
}

impl GroupedTopSegment {
    /// Public, or the viewer's own: a private playlist does not exist for anyone else,
    /// not even in a count.
    fn visible(&self, doc: DocId) -> bool {
        self.public.first(doc).unwrap_or(false) || (self.viewer != 0 && self.owner.first(doc) == Some(self.viewer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::points;

    #[test]
    fn popularity_never_outweighs_a_better_match() {
        let popular_prefix = rank(points::NAME_PREFIX, 5, 5, u64::MAX / 2);
        let obscure_word = rank(points::NAME_WORD, 5, 40, 0);
        assert!(obscure_word > popular_prefix);
    }

    #[test]
    fn popularity_orders_equal_matches() {
        assert!(rank(points::NAME_WORD, 5, 10, 1_000) > rank(points::NAME_WORD, 5, 10, 3));
    }

    #[test]
    fn shorter_names_rank_above_longer_ones_for_the_same_words() {
        assert!(rank(points::NAME_PREFIX, 5, 17, 0) > rank(points::NAME_PREFIX, 5, 36, 0));
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
