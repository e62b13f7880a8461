//! Housekeeping of the listening history, off the request path. Players report progress
//! every few seconds while a track plays; once a play is a day old only its end (or, for a
//! play that never ended, its last progress) is worth keeping, so the superseded progress
//! rows go, in small batches that never hold the database's write lock for long.

use std::future::Future;
use std::time::Duration;

use tonearm_model::StoreError;

use crate::clock::now_millis;
use crate::stores::Listening;

/// Progress rows younger than this stay whole (a play may still be going on).
const KEEP_MS: i64 = 24 * 60 * 60 * 1000;
const EVERY: Duration = Duration::from_secs(60 * 60);
/// Rows per delete statement.
const BATCH: u32 = 5_000;

/// Compacts at start and then every hour until `stop` resolves.
pub async fn compact_play_progress_periodically(listening: Listening, stop: impl Future<Output = ()>) {
    let work = async {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            every.tick().await;
            match compact_play_progress(&listening).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "superseded play progress rows deleted"),
                Err(error) => tracing::error!(%error, "play progress retention failed; trying again in an hour"),
            }
        }
    };
    tokio::select! {
        () = work => {}
        () = stop => {}
    }
}

/// One pass: every superseded progress row older than a day; returns how many went.
async fn compact_play_progress(listening: &Listening) -> Result<u64, StoreError> {
    let before = now_millis() - KEEP_MS;
    let mut deleted = 0;
    loop {
        let batch = listening.compact_play_progress(before, BATCH).await?;
        deleted += batch;
        if batch < u64::from(BATCH) {
            return Ok(deleted);
        }
    }
}
