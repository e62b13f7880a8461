//! Every background job of a running server, registered here and nowhere else: the
//! library watcher, the keyring reload, the search index follower, the listening history's
//! retention and the sign-in throttle's forgetting.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tonearm_config::Settings;
use tonearm_core::jobs::BackgroundJobs;
use tonearm_core::listening::retention::compact_play_progress_periodically;
use tonearm_search::{CatalogFollower, PlaylistChanges};

use crate::state::AppState;

/// Starts the jobs; each ends once `stopping` turns `true`.
pub(crate) fn start(
    state: &AppState,
    settings: &Settings,
    playlist_changes: PlaylistChanges,
    stopping: watch::Receiver<bool>,
) -> BackgroundJobs {
    let mut jobs = BackgroundJobs::new(stopping);
    if settings.watch && !settings.libraries.is_empty() {
        let scanner = Arc::clone(&state.library.scanner);
        let stopped = jobs.stop_signal();
        jobs.spawn("library watcher", async move {
            if let Err(error) = tonearm_ingest::watch_libraries(scanner, stopped).await {
                tracing::error!(%error, "library watcher stopped");
            }
        });
    }
    let stopped = jobs.stop_signal();
    jobs.spawn("keyring reload", state.oauth.keyring.clone().reload_periodically(stopped));
    let follower = CatalogFollower {
        index: Arc::clone(&state.search_index),
        catalog: Arc::clone(&state.catalog),
        version: state.library.scanner.catalog_version(),
        plays: Arc::clone(&state.listening),
        playlists: Arc::clone(&state.playlists),
        playlist_changes,
        timing: Default::default(),
    };
    let stopped = jobs.stop_signal();
    jobs.spawn("search index follower", follower.run(stopped));
    let stopped = jobs.stop_signal();
    jobs.spawn("recommender training", state.recommendations.trainer().run(stopped));
    let stopped = jobs.stop_signal();
    jobs.spawn("play progress retention", compact_play_progress_periodically(Arc::clone(&state.listening), stopped));
    let credentials = state.oauth.credentials.clone();
    let stopped = jobs.stop_signal();
    jobs.spawn("sign-in throttle forgetting", async move {
        let forget = async {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                credentials.forget_idle();
            }
        };
        tokio::select! {
            () = forget => {}
            () = stopped => {}
        }
    });
    jobs
}
