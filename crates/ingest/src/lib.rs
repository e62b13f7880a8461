//! Library ingest: finds audio files under the library roots, reads their tags, cover art
//! and a content fingerprint, and turns the difference from the catalog into `ScanChange`s.

mod block_reader;
mod covers;
mod error;
mod fallback;
mod fingerprint;
mod progress;
mod read;
mod scanner;
mod walk;
mod watch;

pub use covers::{CoverStore, THUMBNAIL_SIZES, Thumbnail};
pub use error::IngestError;
pub use progress::{ScanPhase, ScanProgress, ScanSnapshot};
pub use read::{FileProblem, ProblemKind};
pub use scanner::{ScanReport, Scanner};
pub use watch::watch_libraries;
