//! The wall clock every service reads, in Unix time: one place, so that the time a
//! service acts at comes from here rather than from each caller's own reading.

use std::time::{SystemTime, UNIX_EPOCH};

/// Unix milliseconds: play events, skips, playlist versions and timestamps shown to people.
pub fn now_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as i64)
}

/// Unix seconds: token lifetimes and signed links.
pub fn now_seconds() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs() as i64)
}
