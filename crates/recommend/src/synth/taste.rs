//! A listener's taste: one to four clusters, each a genre with a few favourite artists in it,
//! and how much of the listener's time each cluster takes.

use rand::Rng;
use serde::Serialize;

use super::catalog::Catalog;

/// How many clusters listeners have, one to four: most have one or two.
const CLUSTER_COUNT_CUMULATIVE: [f64; 4] = [0.35, 0.65, 0.85, 1.0];
const MOST_FAVOURITE_ARTISTS: usize = 4;

/// One taste cluster: a genre and the artists the listener returns to inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TasteCluster {
    pub genre: u16,
    pub favourite_artists: Vec<u32>,
}

#[derive(Debug, Clone)]
pub(super) struct Taste {
    pub(super) clusters: Vec<TasteCluster>,
    /// Running sums of the clusters' shares of the listener's sessions.
    pub(super) cumulative_shares: Vec<f64>,
}

impl Taste {
    pub(super) fn draw(catalog: &Catalog, rng: &mut impl Rng) -> Self {
        let wanted = super::catalog::draw_cumulative(&CLUSTER_COUNT_CUMULATIVE, rng) + 1;
        let count = wanted.min(catalog.genres());
        let mut clusters: Vec<TasteCluster> = Vec::with_capacity(count);
        while clusters.len() < count {
            // Popular genres are more often someone's taste; a genre is only one cluster.
            let genre = catalog.draw_genre(rng);
            if clusters.iter().any(|cluster| cluster.genre == genre) {
                continue;
            }
            let mut favourite_artists: Vec<u32> =
                (0..rng.random_range(1..=MOST_FAVOURITE_ARTISTS)).map(|_| catalog.draw_artist(genre, rng)).collect();
            favourite_artists.sort_unstable();
            favourite_artists.dedup();
            clusters.push(TasteCluster { genre, favourite_artists });
        }
        let mut cumulative_shares = Vec::with_capacity(count);
        let mut sum = 0.0;
        for _ in 0..count {
            // Uneven shares: a main taste and side tastes, in no fixed order.
            sum += rng.random_range(0.2..1.0);
            cumulative_shares.push(sum);
        }
        Self { clusters, cumulative_shares }
    }

    pub(super) fn holds_genre(&self, genre: u16) -> bool {
        self.clusters.iter().any(|cluster| cluster.genre == genre)
    }
}
