use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tonearm_testkit::{AudioKind, add_track, fixture_library};

use crate::helpers::{Engine, on_every_engine, start_binary};

on_every_engine!(sigterm_lets_a_stream_in_flight_finish_then_exits_cleanly);

async fn sigterm_lets_a_stream_in_flight_finish_then_exits_cleanly(engine: Engine) {
    let library = fixture_library();
    let long_take = library.path_of("Long/Take/01 - Long Take.wav");
    add_track(&long_take, AudioKind::Wav, "Long Take", &["Slow Band"], "Take", 60.0);
    let expected = std::fs::read(&long_take).unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let database = engine.database(data_dir.path()).await;
    let (mut child, url) = start_binary(
        None,
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data_dir.path().to_str().unwrap(),
            "--database-url",
            &database.url,
            "--library",
            library.root().to_str().unwrap(),
            "--shutdown-grace-secs",
            "10",
        ],
    );
    let client = crate::helpers::client_with_token(&crate::helpers::access_token(&database.url, "admin").await);
    let deadline = Instant::now() + Duration::from_secs(30);
    let track_id = loop {
        assert!(Instant::now() < deadline, "the start-up scan did not finish");
        let tracks: serde_json::Value =
            client.get(format!("{url}/api/v1/tracks?limit=500")).send().await.unwrap().json().await.unwrap();
        if let Some(track) = tracks["items"].as_array().unwrap().iter().find(|t| t["title"] == "Long Take") {
            break track["id"].as_i64().unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    let mut stream = client.get(format!("{url}/api/v1/tracks/{track_id}/stream")).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut received = stream.chunk().await.unwrap().expect("a first chunk").to_vec();

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;

    // No new connections are accepted once shutdown began.
    let fresh = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    assert!(fresh.get(format!("{url}/healthz")).send().await.is_err(), "a new request was served during shutdown");

    // The stream in flight still completes, byte for byte, read slowly.
    while let Some(chunk) = stream.chunk().await.expect("the stream is not cut") {
        received.extend_from_slice(&chunk);
        if received.len() % (1 << 20) < chunk.len() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(received.len(), expected.len());
    assert!(received == expected, "the streamed bytes equal the file");

    let exit_deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < exit_deadline, "tonearm did not exit after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status.code(), Some(0));
    database.drop().await;
}
