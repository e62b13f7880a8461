//! Recommending by what tracks are rather than who played them: the cold start of a new
//! track (nobody played it, so a learned model has nothing to say) and of a new listener (a
//! few picks or plays are enough to know their genres and artists).

use std::collections::HashMap;

use crate::sound::{self, Sound};

/// What is known of a track without listening data. Indexes are the caller's dense ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemContent {
    pub artist: u32,
    pub genre: Option<u32>,
    pub year: Option<i32>,
    /// From the decoded audio, once analysed.
    pub sound: Option<Sound>,
}

/// Years this far apart are no longer "of the same time".
const YEAR_HORIZON: f32 = 10.0;

/// How much sounding alike counts when both tracks were analysed.
const SOUND_WEIGHT: f32 = 0.15;

/// Likeness of two tracks in `[0, 1]`: the same artist counts most, then the same genre,
/// then being of the same decade; sounding alike, when both were analysed, tells apart
/// tracks the tags call equal.
pub fn similarity(a: &ItemContent, b: &ItemContent) -> f32 {
    let tags = tag_similarity(a, b);
    match (&a.sound, &b.sound) {
        (Some(x), Some(y)) => (1.0 - SOUND_WEIGHT) * tags + SOUND_WEIGHT * sound::likeness(x, y),
        _ => tags,
    }
}

fn tag_similarity(a: &ItemContent, b: &ItemContent) -> f32 {
    let artist = if a.artist == b.artist { 0.5 } else { 0.0 };
    let genre = if a.genre.is_some() && a.genre == b.genre { 0.35 } else { 0.0 };
    let era = match (a.year, b.year) {
        (Some(x), Some(y)) => 0.15 * (1.0 - ((x - y).abs() as f32 / YEAR_HORIZON)).max(0.0),
        _ => 0.0,
    };
    artist + genre + era
}

/// A listener's taste by content: the share of their evidence on each genre and artist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TasteProfile {
    pub genres: HashMap<u32, f32>,
    pub artists: HashMap<u32, f32>,
}

impl TasteProfile {
    /// Sums `(item, confidence)` evidence by genre and artist, each share in `[0, 1]`.
    pub fn from_evidence(evidence: &[(u32, f32)], content: &[ItemContent]) -> Self {
        let mut profile = Self::default();
        let mut total = 0.0;
        for &(item, confidence) in evidence {
            let Some(item) = content.get(item as usize) else { continue };
            if confidence <= 0.0 {
                continue;
            }
            total += confidence;
            *profile.artists.entry(item.artist).or_default() += confidence;
            if let Some(genre) = item.genre {
                *profile.genres.entry(genre).or_default() += confidence;
            }
        }
        if total > 0.0 {
            profile.genres.values_mut().for_each(|share| *share /= total);
            profile.artists.values_mut().for_each(|share| *share /= total);
        }
        profile
    }

    pub fn is_empty(&self) -> bool {
        self.artists.is_empty()
    }

    /// How well one track fits the taste, in `[0, 1]`.
    pub fn affinity(&self, item: &ItemContent) -> f32 {
        let genre = item.genre.and_then(|genre| self.genres.get(&genre)).copied().unwrap_or(0.0);
        let artist = self.artists.get(&item.artist).copied().unwrap_or(0.0);
        (0.7 * genre + 0.3 * artist).min(1.0)
    }

    /// Genres by share, largest first, those of at least `min_share`.
    pub fn main_genres(&self, min_share: f32) -> Vec<(u32, f32)> {
        ranked(&self.genres, min_share)
    }

    /// Artists by share, largest first.
    pub fn main_artists(&self) -> Vec<(u32, f32)> {
        ranked(&self.artists, 0.0)
    }
}

fn ranked(shares: &HashMap<u32, f32>, min_share: f32) -> Vec<(u32, f32)> {
    let mut ranked: Vec<(u32, f32)> =
        shares.iter().filter(|&(_, &share)| share >= min_share).map(|(&key, &share)| (key, share)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAZZ: u32 = 0;
    const ROCK: u32 = 1;

    fn item(artist: u32, genre: u32, year: i32) -> ItemContent {
        ItemContent { artist, genre: Some(genre), year: Some(year), sound: None }
    }

    #[test]
    fn the_same_artist_is_closer_than_the_same_genre_which_is_closer_than_nothing() {
        let seed = item(1, JAZZ, 1960);
        let same_artist = similarity(&seed, &item(1, JAZZ, 1961));
        let same_genre = similarity(&seed, &item(2, JAZZ, 1961));
        let other = similarity(&seed, &item(3, ROCK, 1990));
        assert!(same_artist > same_genre && same_genre > other, "{same_artist} {same_genre} {other}");
        assert_eq!(similarity(&seed, &seed), 1.0);
        assert_eq!(similarity(&seed, &item(2, ROCK, 1930)), 0.0);
    }

    #[test]
    fn sounding_alike_tells_apart_tracks_the_tags_call_equal() {
        let sound = |loudness_db, brightness_hz, tempo| Sound {
            loudness_db,
            brightness_hz,
            flatness: 0.1,
            tempo_bpm: Some(tempo),
        };
        let seed = ItemContent { sound: Some(sound(-12.0, 1500.0, 120.0)), ..item(1, JAZZ, 1960) };
        let alike = ItemContent { sound: Some(sound(-13.0, 1600.0, 122.0)), ..item(2, JAZZ, 1960) };
        let unlike = ItemContent { sound: Some(sound(-25.0, 5000.0, 170.0)), ..item(3, JAZZ, 1960) };
        let unknown = item(4, JAZZ, 1960);
        assert!(similarity(&seed, &alike) > similarity(&seed, &unlike));
        assert_eq!(similarity(&seed, &unknown), similarity(&item(1, JAZZ, 1960), &unknown), "no sound, tags alone");
        assert!((similarity(&seed, &seed) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_profile_shares_the_evidence_by_genre_and_artist() {
        let content = [item(1, JAZZ, 1960), item(2, JAZZ, 1965), item(3, ROCK, 1990)];
        let profile = TasteProfile::from_evidence(&[(0, 2.0), (1, 1.0), (2, 1.0), (9, 5.0), (2, -1.0)], &content);
        assert_eq!(profile.main_genres(0.1), [(JAZZ, 0.75), (ROCK, 0.25)]);
        assert_eq!(profile.main_genres(0.3), [(JAZZ, 0.75)]);
        assert_eq!(profile.main_artists()[0], (1, 0.5));
        assert!(profile.affinity(&content[0]) > profile.affinity(&content[2]));
        assert!(TasteProfile::from_evidence(&[], &content).is_empty());
    }
}
