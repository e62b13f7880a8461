use tonearm_model::StoreError;

/// Why a scan as a whole failed. A single unreadable file is never one of these: it is
/// recorded as a `ScanIssue` and the scan goes on.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("library folder {path} cannot be read: {source}")]
    LibraryUnreadable { path: String, source: std::io::Error },
    #[error("cover store at {path} cannot be written: {source}")]
    CoverStore { path: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a scan worker stopped unexpectedly: {0}")]
    Worker(String),
    #[error("the file watcher failed: {0}")]
    Watch(String),
}
