//! The music library on disk: the scanner that keeps the catalog in step with it, and the
//! report of its last scan for the admin API.

use std::sync::Arc;

use tonearm_ingest::{CoverStore, ScanReport, Scanner};

/// The library scanner and what it produced last.
#[derive(Clone)]
pub struct Library {
    pub scanner: Arc<Scanner>,
    pub last_report: Arc<tokio::sync::RwLock<Option<ScanReport>>>,
}

impl Library {
    pub fn new(scanner: Arc<Scanner>) -> Self {
        Self { scanner, last_report: Arc::default() }
    }

    pub fn covers(&self) -> &CoverStore {
        self.scanner.covers()
    }

    /// Scans and remembers the report for the admin API.
    pub async fn scan(&self) -> Result<ScanReport, tonearm_ingest::IngestError> {
        let report = self.scanner.scan().await?;
        *self.last_report.write().await = Some(report.clone());
        Ok(report)
    }
}
