//! What a library scan hands the store, and what it reads back to stay incremental.

use tonearm_domain::{AudioFormat, CoverId, TrackId};

use crate::model::{MusicBrainzIds, ReplayGain};

/// A file the catalog already knows, with what decides whether it must be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedFile {
    pub track_id: TrackId,
    pub path: String,
    pub file_size: i64,
    pub mtime_ns: i64,
    pub fingerprint: String,
}

/// Everything read from one audio file. Text fields are never empty: missing tags were
/// already replaced by folder and file names.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedTrack {
    pub path: String,
    pub file_size: i64,
    pub mtime_ns: i64,
    pub fingerprint: String,
    pub format: AudioFormat,
    pub title: String,
    /// At least one; in tag order.
    pub artists: Vec<String>,
    pub album: String,
    pub album_artist: String,
    pub is_compilation: bool,
    pub track_number: Option<i32>,
    pub track_total: Option<i32>,
    pub disc_number: Option<i32>,
    pub disc_total: Option<i32>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub genres: Vec<String>,
    pub duration_ms: i64,
    pub bitrate_kbps: Option<i32>,
    pub sample_rate_hz: Option<i32>,
    pub channels: Option<i32>,
    pub bit_depth: Option<i32>,
    pub musicbrainz: MusicBrainzIds,
    pub replay_gain: ReplayGain,
    pub cover: Option<CoverId>,
}

/// One change a scan applies; a batch of them is applied atomically.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanChange {
    /// A new file, or a known path whose size or mtime changed: inserted or updated by path.
    Upsert(Box<ScannedTrack>),
    /// A known track found under a new path (same content fingerprint): keeps its id.
    Move { track_id: TrackId, path: String, file_size: i64, mtime_ns: i64 },
    /// The file is gone.
    Remove(TrackId),
    /// The file could not be read; recorded for the admin report.
    Fail(ScanIssue),
    /// A previously failing path that now reads fine or is gone.
    ClearIssue(String),
}

/// A file the scan skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanIssue {
    pub path: String,
    /// A stable machine code: `empty_file`, `unreadable`, `unsupported_format`, `corrupt`, `truncated`.
    pub reason: String,
    /// What the reader said, for a person.
    pub detail: String,
    /// Unix milliseconds.
    pub detected_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverSource {
    Embedded,
    Folder,
}

impl CoverSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Embedded => "embedded",
            Self::Folder => "folder",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "embedded" => Some(Self::Embedded),
            "folder" => Some(Self::Folder),
            _ => None,
        }
    }
}

/// The metadata of a stored original cover image; the bytes live in the cover store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverRecord {
    pub id: CoverId,
    pub mime_type: String,
    pub source: CoverSource,
    pub byte_len: i64,
}

/// What streaming a track's original file needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamSource {
    pub track_id: TrackId,
    pub path: String,
    pub file_size: i64,
    pub mtime_ns: i64,
    pub fingerprint: String,
    pub format: AudioFormat,
    pub bitrate_kbps: Option<i32>,
    /// Its album is for Premium listeners only.
    pub premium_only: bool,
    pub duration_ms: i64,
    pub sample_rate_hz: Option<i32>,
    pub channels: Option<i32>,
}
