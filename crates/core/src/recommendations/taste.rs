//! One listener's taste as they are now: their plays, likes and follows read live, so a
//! pick in the taste picker or this morning's plays count at once, before any training.

use std::collections::HashSet;

use tonearm_domain::UserId;
use tonearm_recommend::content::TasteProfile;
use tonearm_recommend::signals::{ConfidenceWeights, Evidence, confidence};

use super::facts::CatalogFacts;
use crate::ServiceResult;
use crate::clock::now_millis;
use crate::stores::Listening;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Listening older than this no longer describes the listener.
pub const HISTORY_DAYS: i64 = 365;
/// Mixes and radio leave out what the listener heard this recently, unless too little is left.
const RECENT_DAYS: i64 = 2;

/// What a listener did, on the facts' items.
pub struct ListenerTaste {
    /// `(item, confidence)`, positive confidences only.
    pub evidence: Vec<(u32, f32)>,
    pub profile: TasteProfile,
    pub heard: HashSet<u32>,
    pub heard_recently: HashSet<u32>,
    /// Artist indexes the listener follows.
    pub followed: HashSet<u32>,
}

impl ListenerTaste {
    /// Nothing played, liked or followed: a newcomer.
    pub fn is_new(&self) -> bool {
        self.evidence.is_empty() && self.followed.is_empty()
    }
}

/// The listener's evidence: four reads of their own rows, side by side.
pub async fn taste_of(listening: &Listening, facts: &CatalogFacts, user: UserId) -> ServiceResult<ListenerTaste> {
    let now = now_millis();
    let (plays, tracks, albums, artists) = tokio::try_join!(
        listening.track_plays(user, Some(now - HISTORY_DAYS * DAY_MS)),
        listening.liked_tracks(user),
        listening.liked_albums(user),
        listening.liked_artists(user),
    )?;
    let mut evidence: std::collections::HashMap<u32, Evidence> = std::collections::HashMap::new();
    let mut heard = HashSet::new();
    let mut heard_recently = HashSet::new();
    for play in plays {
        let Some(item) = facts.item(play.id) else { continue };
        heard.insert(item);
        if play.last_played_at >= now - RECENT_DAYS * DAY_MS {
            heard_recently.insert(item);
        }
        let entry = evidence.entry(item).or_default();
        // The listener's history counts plays, not how they ended: a counted play is
        // most of a completed one.
        entry.completed_plays += play.plays.max(0) as u32;
        entry.age_days = (now - play.last_played_at) as f32 / DAY_MS as f32;
    }
    for liked in tracks {
        if let Some(item) = facts.item(liked.id) {
            evidence.entry(item).or_default().liked = true;
        }
    }
    for liked in albums {
        for &item in facts.items_of_album(liked.id) {
            evidence.entry(item).or_default().playlist_adds += 1;
        }
    }
    let followed: HashSet<u32> = artists.iter().filter_map(|liked| facts.artist_index(liked.id)).collect();
    for &artist in &followed {
        for &item in facts.items_by_artist(artist) {
            evidence.entry(item).or_default().artist_followed = true;
        }
    }
    let weights = ConfidenceWeights::default();
    let mut evidence: Vec<(u32, f32)> = evidence
        .into_iter()
        .map(|(item, evidence)| (item, confidence(&evidence, &weights)))
        .filter(|&(_, confidence)| confidence > 0.0)
        .collect();
    evidence.sort_unstable_by_key(|&(item, _)| item);
    let profile = TasteProfile::from_evidence(&evidence, &facts.content);
    Ok(ListenerTaste { evidence, profile, heard, heard_recently, followed })
}

impl ListenerTaste {
    /// No one in particular: for answers that are the same for every listener.
    pub fn nobody() -> Self {
        Self {
            evidence: Vec::new(),
            profile: TasteProfile::default(),
            heard: HashSet::new(),
            heard_recently: HashSet::new(),
            followed: HashSet::new(),
        }
    }
}
