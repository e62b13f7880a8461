//! `--watch`: rescans when files under the library roots change. A rescan is incremental
//! (unchanged files cost a stat), so a debounced full rescan is simpler than per-event
//! bookkeeping and catches moves that arrive as unrelated delete + create events.

use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::{IngestError, Scanner};

/// Quiet time after the last event before rescanning: a copy of a whole album settles first.
const DEBOUNCE: Duration = Duration::from_millis(750);

/// Watches the scanner's roots until `shutdown` resolves.
pub async fn watch_libraries(
    scanner: Arc<Scanner>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), IngestError> {
    let (events, mut changed) = mpsc::unbounded_channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
        Ok(event) if !event.kind.is_access() => {
            let _ = events.send(());
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "file watcher error"),
    })
    .map_err(|error| IngestError::Watch(error.to_string()))?;
    for root in scanner.roots() {
        watcher.watch(root, RecursiveMode::Recursive).map_err(|error| IngestError::Watch(error.to_string()))?;
    }
    tracing::info!(roots = scanner.roots().len(), "watching library folders for changes");
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            event = changed.recv() => if event.is_none() { return Ok(()) },
        }
        // Drain the burst: wait until no event arrived for DEBOUNCE.
        while let Ok(Some(())) = tokio::time::timeout(DEBOUNCE, changed.recv()).await {}
        if let Err(error) = scanner.scan().await {
            tracing::error!(%error, "rescan after a library change failed");
        }
    }
}
