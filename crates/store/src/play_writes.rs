//! The database half of recording a batch of play events: each step a function of the
//! open transaction, so `ListeningStore::record_plays` reads as the order of the steps.

use std::collections::{BTreeMap, HashSet};

use sqlx::{Executor, QueryBuilder};
use tonearm_domain::UserId;
use tonearm_model::{EndReason, PlayEvent};

use crate::engine::{Engine, ROWS_PER_STATEMENT, SqlStore};
use crate::listening::{
    COUNT_PLAYS_HEAD, COUNT_PLAYS_TAIL, EVENTS_STORED_BEFORE, INSERT_EVENTS_END, INSERT_EVENTS_HEAD,
    INSERT_EVENTS_RECEIVED, INSERT_EVENTS_TAIL, LATEST_PLAYS_HEAD, LATEST_PLAYS_TAIL,
};
use crate::play_batch::{EVENTS_PER_STATEMENT, PlayBatch, TrackTally};
use crate::query::{BuildFetch, PushArg};

impl<DB: Engine> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Inserts the batch's events (each client id once) and returns the client ids stored.
    pub(crate) async fn insert_events(
        conn: &mut DB::Connection,
        user: UserId,
        batch: &PlayBatch<'_>,
        now_ms: i64,
    ) -> Result<HashSet<String>, sqlx::Error> {
        let to_insert: Vec<&PlayEvent> = batch.to_insert().collect();
        let mut inserted = HashSet::with_capacity(to_insert.len());
        for chunk in to_insert.chunks(EVENTS_PER_STATEMENT) {
            let mut insert = QueryBuilder::<DB>::new(INSERT_EVENTS_HEAD);
            insert.push_values(chunk.iter().enumerate(), |mut row, (ordinal, event)| {
                // A literal, not a bind: batches of the same size share one prepared statement.
                row.push(ordinal.to_string())
                    .push_arg(event.client_event_id.as_str())
                    .push_arg(event.kind.as_str())
                    .push_arg(event.track_id.0)
                    .push_arg(event.occurred_at)
                    .push_arg(event.ms_played)
                    .push_arg(event.reason.map(EndReason::as_str))
                    .push_arg(event.counts_as_play())
                    .push_arg(event.context.as_ref().map(|context| context.kind.as_str()))
                    .push_arg(event.context.as_ref().and_then(|context| context.id.as_deref()));
            });
            insert.push(INSERT_EVENTS_TAIL).push_arg(user.0);
            insert.push(INSERT_EVENTS_RECEIVED).push_arg(now_ms);
            insert.push(INSERT_EVENTS_END);
            let stored: Vec<String> = insert.build_scalars().fetch_all(&mut *conn).await?;
            inserted.extend(stored);
        }
        Ok(inserted)
    }

    /// Which of `client_event_ids` the listener had stored before this batch.
    pub(crate) async fn events_stored_before(
        conn: &mut DB::Connection,
        user: UserId,
        client_event_ids: &[&str],
    ) -> Result<HashSet<String>, sqlx::Error> {
        let mut stored_before = HashSet::new();
        for chunk in client_event_ids.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<DB>::new(EVENTS_STORED_BEFORE);
            query.push_arg(user.0).push(" AND client_event_id IN (");
            let mut ids = query.separated(", ");
            for id in chunk {
                ids.push_arg(*id);
            }
            query.push(")");
            let seen: Vec<String> = query.build_scalars().fetch_all(&mut *conn).await?;
            stored_before.extend(seen);
        }
        Ok(stored_before)
    }

    /// Adds the batch's counted plays to each track's play count.
    pub(crate) async fn count_plays(
        conn: &mut DB::Connection,
        tallies: &BTreeMap<i64, TrackTally>,
    ) -> Result<(), sqlx::Error> {
        let tallies: Vec<(&i64, &TrackTally)> = tallies.iter().collect();
        for chunk in tallies.chunks(ROWS_PER_STATEMENT) {
            let mut upsert = QueryBuilder::<DB>::new(COUNT_PLAYS_HEAD);
            upsert.push_values(chunk, |mut row, (track, tally)| {
                row.push_arg(**track).push_arg(tally.plays).push_arg(tally.last_played_at);
            });
            upsert.push(COUNT_PLAYS_TAIL).build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Keeps each track's latest start or end in `recent_plays`, unless a later one is there.
    pub(crate) async fn remember_latest_plays(
        conn: &mut DB::Connection,
        user: UserId,
        latest: &BTreeMap<i64, &PlayEvent>,
    ) -> Result<(), sqlx::Error> {
        let latest: Vec<(&i64, &&PlayEvent)> = latest.iter().collect();
        for chunk in latest.chunks(ROWS_PER_STATEMENT) {
            let mut upsert = QueryBuilder::<DB>::new(LATEST_PLAYS_HEAD);
            upsert.push_values(chunk, |mut row, (track, event)| {
                let context = event.context.as_ref();
                row.push_arg(user.0)
                    .push_arg(**track)
                    .push_arg(event.occurred_at)
                    .push_arg(context.map(|context| context.kind.as_str()))
                    .push_arg(context.and_then(|context| context.id.as_deref()));
            });
            upsert.push(LATEST_PLAYS_TAIL).build().execute(&mut *conn).await?;
        }
        Ok(())
    }
}
