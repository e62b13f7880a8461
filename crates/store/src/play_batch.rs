//! The in-memory half of recording a batch of play events, shared by both engines: which
//! events go to the database (each client id once), what became of each event once the
//! database has answered, the counted plays summed per track, and the latest play of each.

use std::collections::{BTreeMap, HashSet};

use tonearm_model::{PlayEvent, PlayEventKind, RecordedBatch};

/// Events sent to the database per multi-row insert: 9 binds a row stays far below
/// SQLite's 32,766 limit, and a whole batch (at most 500 events) is one statement.
pub(crate) const EVENTS_PER_STATEMENT: usize = 1000;

/// A batch as the database sees it: the first event of each client id, in batch order.
/// A client id repeated within the batch is the same event sent twice, so only its first
/// occurrence is inserted and the repeats share its fate.
pub(crate) struct PlayBatch<'a> {
    events: &'a [PlayEvent],
    /// Indexes into `events` of the first occurrence of each client id.
    firsts: Vec<usize>,
}

/// What the database said about the first occurrences.
#[derive(Default)]
pub(crate) struct Outcome {
    /// Client ids the insert stored (its `RETURNING` rows).
    pub inserted: HashSet<String>,
    /// Client ids not inserted that the listener had stored before: duplicates. The rest
    /// of the not-inserted ones name a track that does not exist.
    pub stored_before: HashSet<String>,
}

/// Counted plays of one track within a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrackTally {
    pub plays: i64,
    /// The latest `occurred_at` among them.
    pub last_played_at: i64,
}

impl<'a> PlayBatch<'a> {
    pub fn of(events: &'a [PlayEvent]) -> Self {
        let mut seen = HashSet::with_capacity(events.len());
        let firsts = (0..events.len()).filter(|&index| seen.insert(events[index].client_event_id.as_str())).collect();
        Self { events, firsts }
    }

    /// The events to insert, each client id once, in batch order (ids follow it, which
    /// orders plays of the same instant).
    pub fn to_insert(&self) -> impl ExactSizeIterator<Item = &'a PlayEvent> + '_ {
        self.firsts.iter().map(|&index| &self.events[index])
    }

    /// Client ids sent but not inserted: seen before, or naming a missing track.
    pub fn not_inserted(&self, inserted: &HashSet<String>) -> Vec<&'a str> {
        self.to_insert().map(|event| event.client_event_id.as_str()).filter(|id| !inserted.contains(*id)).collect()
    }

    /// Counted plays among the inserted events, summed per track; in track order, so that
    /// concurrent batches lock `track_plays` rows in the same order and cannot deadlock.
    pub fn counted_plays(&self, inserted: &HashSet<String>) -> BTreeMap<i64, TrackTally> {
        let mut tallies: BTreeMap<i64, TrackTally> = BTreeMap::new();
        for event in self.to_insert() {
            if !event.counts_as_play() || !inserted.contains(event.client_event_id.as_str()) {
                continue;
            }
            tallies
                .entry(event.track_id.0)
                .and_modify(|tally| {
                    tally.plays += 1;
                    tally.last_played_at = tally.last_played_at.max(event.occurred_at);
                })
                .or_insert(TrackTally { plays: 1, last_played_at: event.occurred_at });
        }
        tallies
    }

    /// The latest start or end of each track among the inserted events (of the same
    /// instant, the later in the batch); in track order, as `counted_plays`.
    pub fn latest_plays(&self, inserted: &HashSet<String>) -> BTreeMap<i64, &'a PlayEvent> {
        let mut latest: BTreeMap<i64, &PlayEvent> = BTreeMap::new();
        let played = self.to_insert().filter(|event| {
            event.kind != PlayEventKind::PlayProgress && inserted.contains(event.client_event_id.as_str())
        });
        for event in played {
            latest
                .entry(event.track_id.0)
                .and_modify(|kept| {
                    if event.occurred_at >= kept.occurred_at {
                        *kept = event;
                    }
                })
                .or_insert(event);
        }
        latest
    }

    /// The answer for every event of the batch, in batch order: stored the first time a
    /// client id is inserted, a duplicate when stored before or repeated after a stored
    /// or duplicate occurrence, an unknown track otherwise (each occurrence listed).
    pub fn recorded(&self, outcome: &Outcome) -> RecordedBatch {
        let mut batch = RecordedBatch::default();
        let mut answered: HashSet<&str> = HashSet::with_capacity(self.firsts.len());
        for event in self.events {
            let id = event.client_event_id.as_str();
            let first = answered.insert(id);
            if first && outcome.inserted.contains(id) {
                batch.stored += 1;
            } else if outcome.inserted.contains(id) || outcome.stored_before.contains(id) {
                batch.duplicates += 1;
            } else {
                batch.unknown_tracks.push(event.client_event_id.clone());
            }
        }
        batch
    }
}

#[cfg(test)]
mod tests {
    use tonearm_domain::TrackId;
    use tonearm_model::{EndReason, PlayEventKind};

    use super::*;

    fn end(id: &str, track: i64, at: i64) -> PlayEvent {
        PlayEvent {
            client_event_id: id.to_owned(),
            kind: PlayEventKind::PlayEnd,
            track_id: TrackId(track),
            occurred_at: at,
            ms_played: 60_000,
            reason: Some(EndReason::Completed),
            context: None,
        }
    }

    fn ids(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|id| (*id).to_owned()).collect()
    }

    #[test]
    fn repeats_within_a_batch_are_inserted_once_and_answered_as_duplicates() {
        let events = [end("a", 1, 10), end("b", 2, 20), end("a", 1, 10), end("c", 9, 30), end("c", 9, 30)];
        let batch = PlayBatch::of(&events);
        let sent: Vec<&str> = batch.to_insert().map(|event| event.client_event_id.as_str()).collect();
        assert_eq!(sent, ["a", "b", "c"]);
        let outcome = Outcome { inserted: ids(&["a", "b"]), stored_before: HashSet::new() };
        assert_eq!(batch.not_inserted(&outcome.inserted), ["c"]);
        let recorded = batch.recorded(&outcome);
        assert_eq!((recorded.stored, recorded.duplicates), (2, 1));
        assert_eq!(recorded.unknown_tracks, ["c", "c"], "every occurrence of a missing track is listed, as before");
    }

    #[test]
    fn events_stored_before_are_duplicates_and_not_counted_again() {
        let events = [end("old", 1, 10), end("new", 1, 40), end("new2", 1, 25), end("old", 1, 10)];
        let batch = PlayBatch::of(&events);
        let outcome = Outcome { inserted: ids(&["new", "new2"]), stored_before: ids(&["old"]) };
        let recorded = batch.recorded(&outcome);
        assert_eq!((recorded.stored, recorded.duplicates, recorded.unknown_tracks.len()), (2, 2, 0));
        let tallies = batch.counted_plays(&outcome.inserted);
        assert_eq!(tallies.get(&1), Some(&TrackTally { plays: 2, last_played_at: 40 }));
    }

    #[test]
    fn the_latest_play_of_each_track_is_the_newest_inserted_start_or_end() {
        let mut progress = end("progress", 1, 90);
        progress.kind = PlayEventKind::PlayProgress;
        let events = [
            end("a", 1, 30),
            end("b", 1, 50),
            end("c", 1, 50), // the same instant, later in the batch: it wins
            progress,        // a progress report is not a play's start or end
            end("old", 2, 99),
            end("d", 2, 20),
        ];
        let batch = PlayBatch::of(&events);
        let inserted = ids(&["a", "b", "c", "progress", "d"]);
        let latest: Vec<(i64, &str)> = batch
            .latest_plays(&inserted)
            .into_iter()
            .map(|(track, event)| (track, event.client_event_id.as_str()))
            .collect();
        assert_eq!(latest, [(1, "c"), (2, "d")], "an event stored before changes nothing");
    }
}
