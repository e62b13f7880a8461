//! Listening turned into confidence: how sure we are that a listener likes a track.

/// What one listener did with one track.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    pub counted_plays: u32,
    pub completed_plays: u32,
    pub early_skips: u32,
    pub liked: bool,
    pub playlist_adds: u32,
    pub artist_followed: bool,
    /// Days since the latest of these.
    pub age_days: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfidenceWeights {
    pub counted_play: f32,
    pub completed_play: f32,
    pub like: f32,
    pub playlist_add: f32,
    pub followed_artist: f32,
    pub early_skip: f32,
    /// Evidence this old counts half.
    pub half_life_days: f32,
}

impl Default for ConfidenceWeights {
    fn default() -> Self {
        Self {
            counted_play: 0.5,
            completed_play: 1.0,
            like: 3.0,
            playlist_add: 2.0,
            followed_artist: 0.5,
            early_skip: -0.75,
            half_life_days: 90.0,
        }
    }
}

/// The confidence `evidence` gives; not positive means "no evidence the listener likes it".
pub fn confidence(evidence: &Evidence, weights: &ConfidenceWeights) -> f32 {
    let raw = weights.counted_play * evidence.counted_plays as f32
        + weights.completed_play * evidence.completed_plays as f32
        + weights.early_skip * evidence.early_skips as f32
        + weights.playlist_add * evidence.playlist_adds as f32
        + if evidence.liked { weights.like } else { 0.0 }
        + if evidence.artist_followed { weights.followed_artist } else { 0.0 };
    raw * 0.5_f32.powf(evidence.age_days.max(0.0) / weights.half_life_days)
}
