//! Radio: an endless station of songs like a seed (a track, an album, an artist or a
//! playlist). The station is a few hundred tracks made once and kept a while; pages walk it
//! and wrap around, so a player can always ask for more.

use tonearm_recommend::rerank::RerankRules;

use super::facts::CatalogFacts;
use super::published::Aligned;
use super::scoring::{Offer, pick, seed_scores};
use super::taste::ListenerTaste;

pub const STATION_TRACKS: usize = 200;
/// Seed items a station is made from: an artist's or a playlist's first ones.
const MAX_SEEDS: usize = 25;
const RADIO_RULES: RerankRules = RerankRules { limit: STATION_TRACKS, per_artist: 15, diversity: 0.2 };

/// The station's items, best first. `exclude_seeds`: a track, album or playlist radio
/// plays other songs than those; an artist radio plays the artist too.
pub fn station(
    facts: &CatalogFacts,
    model: Option<&Aligned>,
    taste: &ListenerTaste,
    seeds: &[u32],
    exclude_seeds: bool,
    premium: bool,
) -> Vec<u32> {
    let seeds = &seeds[..seeds.len().min(MAX_SEEDS)];
    let scores = seed_scores(facts, model, seeds, taste);
    let is_seed = |item: u32| exclude_seeds && seeds.contains(&item);
    pick(facts, &scores, &Offer { premium, excluded: &is_seed, only: None }, &RADIO_RULES)
}

/// The page of `limit` items from `offset`, wrapping around the station.
pub fn page(station: &[u32], offset: usize, limit: usize) -> Vec<u32> {
    if station.is_empty() {
        return Vec::new();
    }
    (0..limit.min(station.len())).map(|step| station[(offset + step) % station.len()]).collect()
}

#[cfg(test)]
mod tests {
    use super::page;

    #[test]
    fn pages_wrap_around_and_never_repeat_within_one_page() {
        let station = [1, 2, 3, 4, 5];
        assert_eq!(page(&station, 0, 2), [1, 2]);
        assert_eq!(page(&station, 4, 3), [5, 1, 2]);
        assert_eq!(page(&station, 12, 10), [3, 4, 5, 1, 2]);
        assert!(page(&[], 3, 5).is_empty());
    }
}
