//! A listener's history: play events taken in idempotent batches (checked here, durable
//! before the answer), recently played, and the most played tracks and artists of a window.

use std::collections::HashMap;

use tonearm_domain::{TrackId, UserId};
use tonearm_model::{EndReason, PlayContext, PlayEvent, PlayEventKind, RecordedBatch, TrackSummary};

use super::taste_changes::TasteChanges;
use crate::catalog::summaries::Summaries;
use crate::clock::now_millis;
use crate::error::{ServiceError, ServiceResult};
use crate::home::top_artists::{self, TopArtist};
use crate::stores::Listening;

/// Events per batch: a day of listening fits several times over.
pub const MAX_BATCH: usize = 500;
const MAX_CLIENT_ID_CHARS: usize = 100;
/// Clocks drift; an event a day in the future is a bug, not drift.
const MAX_CLOCK_SKEW_MS: i64 = 24 * 3600 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A play event as a player reports it, before it is checked.
#[derive(Debug, Clone)]
pub struct ReportedPlay {
    /// Chosen by the client and kept across retries of the batch.
    pub id: String,
    pub kind: PlayEventKind,
    pub track_id: i64,
    /// Unix milliseconds.
    pub occurred_at: i64,
    pub ms_played: i64,
    /// Only on `play_end`.
    pub reason: Option<EndReason>,
    pub context: Option<PlayContext>,
}

impl ReportedPlay {
    fn checked(self, now_ms: i64) -> ServiceResult<PlayEvent> {
        let invalid = |why: &str| ServiceError::invalid("invalid_event", format!("event `{}`: {why}", self.id));
        if self.id.is_empty() || self.id.chars().count() > MAX_CLIENT_ID_CHARS {
            return Err(ServiceError::invalid("invalid_event", "event ids are 1 to 100 characters"));
        }
        if self.occurred_at <= 0 || self.occurred_at > now_ms + MAX_CLOCK_SKEW_MS {
            return Err(invalid("occurred_at must be Unix milliseconds, not in the future"));
        }
        if !(0..=MAX_CLOCK_SKEW_MS).contains(&self.ms_played) {
            return Err(invalid("ms_played must be between 0 and a day"));
        }
        if self.reason.is_some() != (self.kind == PlayEventKind::PlayEnd) {
            return Err(invalid("play_end events carry a reason, and only they do"));
        }
        Ok(PlayEvent {
            client_event_id: self.id,
            kind: self.kind,
            track_id: TrackId(self.track_id),
            occurred_at: self.occurred_at,
            ms_played: self.ms_played,
            reason: self.reason,
            context: self.context,
        })
    }
}

/// Spotify's three windows: about 4 weeks, about 6 months, and all time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TimeRange {
    Weeks,
    #[default]
    Months,
    AllTime,
}

impl TimeRange {
    fn since_ms(self, now_ms: i64) -> Option<i64> {
        match self {
            Self::Weeks => Some(now_ms - 28 * DAY_MS),
            Self::Months => Some(now_ms - 182 * DAY_MS),
            Self::AllTime => None,
        }
    }
}

/// A track the listener played, at its latest play.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentTrack {
    pub track: TrackSummary,
    /// Unix milliseconds.
    pub played_at: i64,
    pub context: Option<PlayContext>,
}

/// A track with the listener's counted plays of it in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct TopTrack {
    pub track: TrackSummary,
    pub plays: i64,
}

#[derive(Clone)]
pub struct History {
    listening: Listening,
    summaries: Summaries,
    changes: TasteChanges,
}

impl History {
    pub fn new(listening: Listening, summaries: Summaries, changes: TasteChanges) -> Self {
        Self { listening, summaries, changes }
    }

    /// Stores a batch of play events, on disk when this returns; a batch sent again stores
    /// nothing twice. One bad event refuses the whole batch, so nothing is half stored.
    pub async fn record(&self, user: UserId, batch: Vec<ReportedPlay>) -> ServiceResult<RecordedBatch> {
        if batch.len() > MAX_BATCH {
            return Err(ServiceError::invalid("batch_too_large", format!("send at most {MAX_BATCH} events at once")));
        }
        let now_ms = now_millis();
        let events = batch.into_iter().map(|event| event.checked(now_ms)).collect::<ServiceResult<Vec<_>>>()?;
        let recorded = self.listening.record_plays(user, &events, now_ms).await?;
        tracing::debug!(%user, stored = recorded.stored, duplicates = recorded.duplicates, "play events recorded");
        if recorded.stored > 0 {
            self.changes.changed(user);
        }
        Ok(recorded)
    }

    /// Tracks recently played, newest first, each once.
    pub async fn recently_played(&self, user: UserId, limit: Option<u32>) -> ServiceResult<Vec<RecentTrack>> {
        let plays = self.listening.recently_played(user, checked_limit(limit)?).await?;
        let ids: Vec<TrackId> = plays.iter().map(|play| play.track_id).collect();
        let mut tracks: HashMap<TrackId, TrackSummary> =
            self.summaries.tracks(&ids).await?.into_iter().map(|track| (track.id, track)).collect();
        Ok(plays
            .into_iter()
            .filter_map(|play| {
                let track = tracks.remove(&play.track_id)?;
                Some(RecentTrack { track, played_at: play.played_at, context: play.context })
            })
            .collect())
    }

    /// The listener's most played tracks in a window.
    pub async fn top_tracks(&self, user: UserId, range: TimeRange, limit: Option<u32>) -> ServiceResult<Vec<TopTrack>> {
        let since = range.since_ms(now_millis());
        let ranked = self.listening.top_tracks(user, since, checked_limit(limit)?).await?;
        let ids: Vec<TrackId> = ranked.iter().map(|entry| entry.id).collect();
        let plays: HashMap<TrackId, i64> = ranked.iter().map(|entry| (entry.id, entry.plays)).collect();
        Ok(self
            .summaries
            .tracks(&ids)
            .await?
            .into_iter()
            .map(|track| TopTrack { plays: plays.get(&track.id).copied().unwrap_or_default(), track })
            .collect())
    }

    /// The listener's most played artists in a window (every credited artist of a track).
    pub async fn top_artists(
        &self,
        user: UserId,
        range: TimeRange,
        limit: Option<u32>,
    ) -> ServiceResult<Vec<TopArtist>> {
        let since = range.since_ms(now_millis());
        let limit = checked_limit(limit)? as usize;
        Ok(top_artists::top_artists(&self.listening, &self.summaries, user, since, limit).await?)
    }
}

/// 1 to 100; 20 when left out.
fn checked_limit(requested: Option<u32>) -> ServiceResult<u32> {
    match requested.unwrap_or(20) {
        limit @ 1..=100 => Ok(limit),
        _ => Err(ServiceError::invalid("invalid_limit", "limit must be between 1 and 100")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn play(id: &str, kind: PlayEventKind, reason: Option<EndReason>) -> ReportedPlay {
        ReportedPlay {
            id: id.to_owned(),
            kind,
            track_id: 7,
            occurred_at: 1_000,
            ms_played: 30_000,
            reason,
            context: None,
        }
    }

    fn code(result: ServiceResult<PlayEvent>) -> &'static str {
        match result {
            Err(ServiceError::Invalid { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_reported_play_is_checked_before_it_becomes_an_event() {
        let now = 2_000;
        let event = play("a", PlayEventKind::PlayEnd, Some(EndReason::Completed)).checked(now).unwrap();
        assert_eq!((event.client_event_id.as_str(), event.track_id), ("a", TrackId(7)));
        assert_eq!(code(play("", PlayEventKind::PlayStart, None).checked(now)), "invalid_event");
        assert_eq!(code(play(&"x".repeat(101), PlayEventKind::PlayStart, None).checked(now)), "invalid_event");
        assert_eq!(
            code(play("b", PlayEventKind::PlayEnd, None).checked(now)),
            "invalid_event",
            "an end needs a reason"
        );
        let early = play("c", PlayEventKind::PlayStart, Some(EndReason::Completed));
        assert_eq!(code(early.checked(now)), "invalid_event", "only an end has a reason");
        let future =
            ReportedPlay { occurred_at: now + 2 * MAX_CLOCK_SKEW_MS, ..play("d", PlayEventKind::PlayStart, None) };
        assert_eq!(code(future.checked(now)), "invalid_event");
    }

    #[test]
    fn the_windows_end_now_and_all_time_has_no_start() {
        let now = 1_000 * DAY_MS;
        assert_eq!(TimeRange::Weeks.since_ms(now), Some(now - 28 * DAY_MS));
        assert_eq!(TimeRange::Months.since_ms(now), Some(now - 182 * DAY_MS));
        assert_eq!(TimeRange::AllTime.since_ms(now), None);
        assert!(checked_limit(Some(0)).is_err() && checked_limit(Some(101)).is_err());
        assert_eq!(checked_limit(None).unwrap(), 20);
    }
}
