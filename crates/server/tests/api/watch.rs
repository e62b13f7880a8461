use std::time::{Duration, Instant};

use tonearm_testkit::{AudioKind, add_track};

use crate::helpers::{Engine, Options, TestApp, on_every_engine, spawn_app_with};

on_every_engine!(watch_mode_follows_files_added_changed_and_removed_while_serving);

/// Polls the track list until `done` holds for it, or fails after 20 s.
async fn wait_for_tracks(app: &TestApp, what: &str, done: impl Fn(&[serde_json::Value]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let tracks = app.collect_all("/api/v1/tracks", "name", 500).await;
        if done(&tracks) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn watch_mode_follows_files_added_changed_and_removed_while_serving(engine: Engine) {
    let app = spawn_app_with(&engine, Options { watch: true, ..Options::default() }).await;
    app.scanner.scan().await.unwrap();
    let has = |title: &'static str| move |tracks: &[serde_json::Value]| tracks.iter().any(|t| t["title"] == title);

    add_track(&app.library_path("Live/Added/01 - Fresh.flac"), AudioKind::Flac, "Fresh", &["Live Wire"], "Added", 1.0);
    wait_for_tracks(&app, "the added file is catalogued", has("Fresh")).await;

    tonearm_testkit::retitle(&app.library_path("Live/Added/01 - Fresh.flac"), "Fresher");
    wait_for_tracks(&app, "the changed title shows", has("Fresher")).await;

    std::fs::remove_file(app.library_path("Live/Added/01 - Fresh.flac")).unwrap();
    wait_for_tracks(&app, "the removed file leaves the catalog", |tracks| !has("Fresher")(tracks)).await;
    app.stop().await;
}
