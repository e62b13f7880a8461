//! What a listener did with a track, turned into the one confidence number the models learn
//! from. Plays that finish say more than plays abandoned half-way, a like or a playlist add
//! is a deliberate statement, an early skip is evidence against; and taste moves, so
//! listening loses half its weight every `half_life_days`.

/// The evidence of one listener about one track; the store aggregates it from events.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// Plays past the counting threshold that did not reach the end.
    pub counted_plays: u32,
    /// Plays that reached the end (not also counted in `counted_plays`).
    pub completed_plays: u32,
    /// Skips within the first 30 seconds.
    pub early_skips: u32,
    pub liked: bool,
    pub playlist_adds: u32,
    /// The listener follows the track's artist.
    pub artist_followed: bool,
    /// Days since the listener last played or skipped the track.
    pub age_days: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfidenceWeights {
    pub counted_play: f32,
    pub completed_play: f32,
    /// Negative: an early skip is evidence against.
    pub early_skip: f32,
    pub like: f32,
    pub playlist_add: f32,
    pub followed_artist: f32,
    /// Listening (plays and skips) this many days old counts half; 0 or less turns decay off.
    pub half_life_days: f32,
}

impl Default for ConfidenceWeights {
    fn default() -> Self {
        Self {
            counted_play: 0.5,
            completed_play: 1.0,
            early_skip: -0.75,
            like: 3.0,
            playlist_add: 2.0,
            followed_artist: 0.5,
            half_life_days: 90.0,
        }
    }
}

/// The confidence of the pair; zero or less means "do not learn from it" (`Dataset` drops
/// such pairs). Likes, playlist adds and follows are standing statements, so they do not
/// decay; plays and skips do.
pub fn confidence(evidence: &Evidence, weights: &ConfidenceWeights) -> f32 {
    let listening = evidence.counted_plays as f32 * weights.counted_play
        + evidence.completed_plays as f32 * weights.completed_play
        + evidence.early_skips as f32 * weights.early_skip;
    let decay = if weights.half_life_days > 0.0 {
        0.5f32.powf(evidence.age_days.max(0.0) / weights.half_life_days)
    } else {
        1.0
    };
    let statements = f32::from(u8::from(evidence.liked)) * weights.like
        + evidence.playlist_adds as f32 * weights.playlist_add
        + f32::from(u8::from(evidence.artist_followed)) * weights.followed_artist;
    listening * decay + statements
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-5
    }

    #[test]
    fn each_signal_adds_its_weight() {
        let weights = ConfidenceWeights::default();
        let evidence = Evidence {
            counted_plays: 2,
            completed_plays: 3,
            early_skips: 1,
            liked: true,
            playlist_adds: 1,
            artist_followed: true,
            age_days: 0.0,
        };
        assert!(close(confidence(&evidence, &weights), 2.0 * 0.5 + 3.0 - 0.75 + 3.0 + 2.0 + 0.5));
    }

    #[test]
    fn listening_halves_every_half_life_but_a_like_does_not() {
        let weights = ConfidenceWeights::default();
        let plays = Evidence { completed_plays: 4, age_days: 90.0, ..Evidence::default() };
        assert!(close(confidence(&plays, &weights), 2.0));
        let older = Evidence { age_days: 180.0, ..plays };
        assert!(close(confidence(&older, &weights), 1.0));
        let liked = Evidence { liked: true, age_days: 900.0, ..Evidence::default() };
        assert!(close(confidence(&liked, &weights), 3.0));
        let no_decay = ConfidenceWeights { half_life_days: 0.0, ..weights };
        assert!(close(confidence(&older, &no_decay), 4.0));
    }

    #[test]
    fn mostly_skipped_tracks_are_not_positive() {
        let skipped = Evidence { counted_plays: 1, early_skips: 3, ..Evidence::default() };
        assert!(confidence(&skipped, &ConfidenceWeights::default()) < 0.0);
        assert_eq!(confidence(&Evidence::default(), &ConfidenceWeights::default()), 0.0);
    }

    #[test]
    fn a_future_timestamp_does_not_inflate_the_weight() {
        let clock_skew = Evidence { completed_plays: 1, age_days: -30.0, ..Evidence::default() };
        assert!(close(confidence(&clock_skew, &ConfidenceWeights::default()), 1.0));
    }
}
