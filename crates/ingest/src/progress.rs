//! Live scan state, shared between the scanner, the terminal display and the admin API.

use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanPhase {
    Idle,
    Walking,
    Reading,
    Finishing,
}

/// A point-in-time view of the scan, as the admin API returns it.
#[derive(Debug, Clone)]
pub struct ScanSnapshot {
    pub phase: ScanPhase,
    /// Audio files found by the walk.
    pub files_found: u64,
    /// Files examined so far (unchanged ones included).
    pub files_done: u64,
    pub files_per_second: f64,
    /// Estimated seconds left, while reading.
    pub eta_seconds: Option<f64>,
    /// Unix milliseconds of the current or last scan's start.
    pub started_at: Option<i64>,
    /// Unix milliseconds of the last completed scan.
    pub finished_at: Option<i64>,
    pub scans_completed: u64,
}

#[derive(Debug)]
struct State {
    phase: ScanPhase,
    files_found: u64,
    files_done: u64,
    started: Option<(Instant, i64)>,
    finished_at: Option<i64>,
    scans_completed: u64,
}

#[derive(Debug)]
pub struct ScanProgress {
    state: Mutex<State>,
}

impl Default for ScanProgress {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                phase: ScanPhase::Idle,
                files_found: 0,
                files_done: 0,
                started: None,
                finished_at: None,
                scans_completed: 0,
            }),
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as i64)
}

impl ScanProgress {
    fn with_state<T>(&self, update: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        update(&mut state)
    }

    pub(crate) fn start(&self) {
        self.with_state(|state| {
            state.phase = ScanPhase::Walking;
            state.files_found = 0;
            state.files_done = 0;
            state.started = Some((Instant::now(), now_ms()));
        });
    }

    pub(crate) fn walked(&self, files_found: u64, already_done: u64) {
        self.with_state(|state| {
            state.phase = ScanPhase::Reading;
            state.files_found = files_found;
            state.files_done = already_done;
        });
    }

    pub(crate) fn advance(&self, files: u64) {
        self.with_state(|state| state.files_done += files);
    }

    pub(crate) fn finishing(&self) {
        self.with_state(|state| state.phase = ScanPhase::Finishing);
    }

    pub(crate) fn finish(&self) {
        self.with_state(|state| {
            state.phase = ScanPhase::Idle;
            state.finished_at = Some(now_ms());
            state.scans_completed += 1;
        });
    }

    pub fn snapshot(&self) -> ScanSnapshot {
        self.with_state(|state| {
            let elapsed = state.started.map_or(0.0, |(instant, _)| instant.elapsed().as_secs_f64());
            let files_per_second = if elapsed > 0.0 { state.files_done as f64 / elapsed } else { 0.0 };
            let remaining = state.files_found.saturating_sub(state.files_done) as f64;
            let eta_seconds =
                (state.phase == ScanPhase::Reading && files_per_second > 0.0).then(|| remaining / files_per_second);
            ScanSnapshot {
                phase: state.phase,
                files_found: state.files_found,
                files_done: state.files_done,
                files_per_second,
                eta_seconds,
                started_at: state.started.map(|(_, at)| at),
                finished_at: state.finished_at,
                scans_completed: state.scans_completed,
            }
        })
    }
}
