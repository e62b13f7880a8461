//! "Fans also like": artists whose tracks are most like an artist's own, by the learned
//! model where listeners played both, and by genre and era where nobody did yet.

use std::collections::HashMap;

use super::facts::CatalogFacts;
use super::published::Aligned;
use super::scoring::seed_scores;
use super::taste::ListenerTaste;

/// An artist's most played tracks stand for them.
const SEED_TRACKS: usize = 10;

/// Up to `limit` artist indexes like `artist`, most alike first.
pub fn related_artists(
    facts: &CatalogFacts,
    model: Option<&Aligned>,
    artist: u32,
    limit: usize,
    taste: &ListenerTaste,
) -> Vec<u32> {
    let mut seeds = facts.items_by_artist(artist).to_vec();
    seeds.sort_by(|&a, &b| facts.popularity[b as usize].total_cmp(&facts.popularity[a as usize]).then(a.cmp(&b)));
    seeds.truncate(SEED_TRACKS);
    if seeds.is_empty() {
        return Vec::new();
    }
    let scores = seed_scores(facts, model, &seeds, taste);
    // An artist is as alike as their best track, and a little more for every other alike one.
    let mut by_artist: HashMap<u32, (f32, f32)> = HashMap::new();
    for (item, &score) in scores.iter().enumerate() {
        let other = facts.content[item].artist;
        if other == artist || other == u32::MAX || score <= 0.0 {
            continue;
        }
        let entry = by_artist.entry(other).or_default();
        entry.0 = entry.0.max(score);
        entry.1 += score;
    }
    let mut ranked: Vec<(u32, f32)> =
        by_artist.into_iter().map(|(other, (best, sum))| (other, best + 0.05 * sum)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(limit).map(|(other, _)| other).collect()
}
