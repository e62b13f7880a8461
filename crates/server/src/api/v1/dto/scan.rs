//! Library scans as the admin routes report them: live progress, the last report, and the
//! files skipped.

use serde::Serialize;
use utoipa::ToSchema;

use super::list;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanPhase {
    Idle,
    Walking,
    Reading,
    Finishing,
}

/// A point-in-time view of the scan, as the admin API returns it.
#[derive(Debug, Serialize, ToSchema)]
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

/// What a scan did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanReport {
    pub files_seen: u64,
    pub unchanged: u64,
    pub added: u64,
    pub updated: u64,
    pub moved: u64,
    pub removed: u64,
    /// Files skipped by this scan, with the reason.
    pub failed: Vec<ScanIssue>,
    pub elapsed_ms: u64,
}

/// A file the scan skipped, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanIssue {
    pub path: String,
    /// A stable machine code: `empty_file`, `unreadable`, `unsupported_format`, `corrupt`, `truncated`.
    pub reason: String,
    /// What the reader said, for a person.
    pub detail: String,
    /// Unix milliseconds.
    pub detected_at: i64,
}

convert_variants!(tonearm_ingest::ScanPhase => ScanPhase { Idle, Walking, Reading, Finishing });
convert_fields!(tonearm_ingest::ScanSnapshot => ScanSnapshot {
    phase, files_found, files_done, files_per_second, eta_seconds, started_at, finished_at, scans_completed,
});
convert_fields!(tonearm_ingest::ScanReport => ScanReport {
    files_seen, unchanged, added, updated, moved, removed, failed: list, elapsed_ms,
});
convert_fields!(tonearm_model::ScanIssue => ScanIssue { path, reason, detail, detected_at });
