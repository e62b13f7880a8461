//! Library scans for administrators: the live progress, the last scan's report, the files
//! the scans skipped, and rescans started on request.

use tonearm_ingest::{ScanReport, ScanSnapshot};
use tonearm_model::ScanIssue;

use crate::error::ServiceResult;
use crate::library::Library;
use crate::stores::Catalog;

/// Where scanning stands: the current (or last) scan's progress and the last report.
#[derive(Debug, Clone)]
pub struct ScanStatus {
    pub progress: ScanSnapshot,
    pub last_report: Option<ScanReport>,
}

#[derive(Clone)]
pub struct Scans {
    library: Library,
    catalog: Catalog,
}

impl Scans {
    pub fn new(library: Library, catalog: Catalog) -> Self {
        Self { library, catalog }
    }

    pub async fn status(&self) -> ScanStatus {
        let last_report = self.library.last_report.read().await.clone();
        ScanStatus { progress: self.library.scanner.progress().snapshot(), last_report }
    }

    /// Starts a rescan in the background and returns the status as it starts; a failure is
    /// logged, and the status shows how the scan goes.
    pub async fn rescan(&self) -> ScanStatus {
        let scanning = self.library.clone();
        tokio::spawn(async move {
            if let Err(error) = scanning.scan().await {
                tracing::error!(%error, "requested rescan failed");
            }
        });
        self.status().await
    }

    /// Files the scans skipped, with the reason for each.
    pub async fn issues(&self) -> ServiceResult<Vec<ScanIssue>> {
        Ok(self.catalog.scan_issues().await?)
    }
}
