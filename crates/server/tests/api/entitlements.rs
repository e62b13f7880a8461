//! The tier policy at the edge: free listeners are held to 128 kbps, no downloads, no
//! premium-only releases and six skips an hour; Premium listeners are not.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_scanned_app};

on_every_engine!(
    free_listeners_are_refused_premium_quality_and_downloads,
    premium_listeners_download_the_original_file,
    premium_only_albums_play_for_premium_listeners_only,
    free_listeners_skip_six_times_an_hour,
    the_hls_entry_counts_skips_too,
);

async fn status_and_body(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn stream_url(app: &TestApp, client: &reqwest::Client, track: &Value, query: &str) -> (StatusCode, Value) {
    let path = format!("/api/v1/tracks/{}/stream-url{query}", track["id"]);
    status_and_body(client.get(app.url(&path)).send().await.unwrap()).await
}

async fn free_listeners_are_refused_premium_quality_and_downloads(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let free = app.client_as("free").await;
    let lossless = app.track_by_title("Lossless Dawn").await;
    let cbr_128 = app.track_by_title("Polar Night").await;

    let (status, body) = stream_url(&app, &free, &lossless, "").await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "premium_required");
    assert!(body["error"]["message"].as_str().unwrap().contains("lossless"), "{body}");
    let bearer_stream = free.get(app.url(&format!("/api/v1/tracks/{}/stream", lossless["id"]))).send().await.unwrap();
    let (status, body) = status_and_body(bearer_stream).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "premium_required");

    let (status, body) = stream_url(&app, &free, &cbr_128, "").await;
    assert_eq!(status, StatusCode::OK, "a 128 kbps file is within the free tier: {body}");
    let signed = app.anonymous.get(app.url(body["url"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(signed.status(), StatusCode::OK);

    let download = free.get(app.url(&format!("/api/v1/tracks/{}/download", cbr_128["id"]))).send().await.unwrap();
    let (status, body) = status_and_body(download).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "premium_required");
    assert!(body["error"]["message"].as_str().unwrap().contains("offline"), "{body}");

    let (status, rights) = status_and_body(free.get(app.url("/api/v1/me/entitlements")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rights["tier"], "free");
    assert_eq!(rights["max_stream_kbps"], 128);
    assert_eq!(rights["lossless"], false);
    assert_eq!(rights["offline_downloads"], false);
    assert_eq!(rights["skips"]["per_hour"], 6);
    assert_eq!(rights["skips"]["remaining"], 6);
    app.stop().await;
}

async fn premium_listeners_download_the_original_file(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let premium = app.client_as("premium").await;
    let track = app.track_by_title("Île flottante").await;
    let (status, body) = stream_url(&app, &premium, &track, "").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let path = format!("/api/v1/tracks/{}/download", track["id"]);
    let download = premium.get(app.url(&path)).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    // RFC 8187: the real name, UTF-8 and percent-encoded, beside an ASCII fallback.
    assert!(
        disposition.contains("filename*=UTF-8''Bj%C3%B6rk%20%C3%98rsted%20-%20%C3%8Ele%20flottante.flac"),
        "{disposition}"
    );
    assert!(disposition.contains(&format!("filename=\"track-{}.flac\"", track["id"])), "{disposition}");
    let file = std::fs::read(app.library.path_of("Björk Ørsted/Ære/01 - Île.flac")).unwrap();
    assert_eq!(download.bytes().await.unwrap().as_ref(), file.as_slice());

    let resumed = premium.get(app.url(&path)).header("Range", "bytes=100-").send().await.unwrap();
    assert_eq!(resumed.status(), StatusCode::PARTIAL_CONTENT, "an interrupted download resumes");
    assert_eq!(resumed.bytes().await.unwrap().as_ref(), &file[100..]);

    let (_, rights) = status_and_body(premium.get(app.url("/api/v1/me/entitlements")).send().await.unwrap()).await;
    assert_eq!(rights["max_stream_kbps"], Value::Null);
    assert_eq!(rights["lossless"], true);
    assert_eq!(rights["offline_downloads"], true);
    assert_eq!(rights["skips"]["per_hour"], Value::Null);
    app.stop().await;
}

async fn premium_only_albums_play_for_premium_listeners_only(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (free, premium) = (app.client_as("free").await, app.client_as("premium").await);
    let track = app.track_by_title("Polar Night").await;
    let album_path = format!("/api/v1/admin/albums/{}", track["album"]["id"]);
    assert_eq!(stream_url(&app, &free, &track, "").await.0, StatusCode::OK, "open to everyone at first");

    let refused = free.patch(app.url(&album_path)).json(&serde_json::json!({"premium_only": true})).send().await;
    let (status, body) = status_and_body(refused.unwrap()).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "admin_required");

    let marked = app.client.patch(app.url(&album_path)).json(&serde_json::json!({"premium_only": true})).send().await;
    let (status, album) = status_and_body(marked.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{album}");
    assert_eq!(album["premium_only"], true);
    let (_, listed) = app.get_json(&format!("/api/v1/tracks/{}", track["id"])).await;
    assert_eq!(listed["premium_only"], true, "the catalog shows the flag at once: {listed}");

    let (status, body) = stream_url(&app, &free, &track, "").await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "premium_required");
    assert!(body["error"]["message"].as_str().unwrap().contains("Premium listeners only"), "{body}");
    assert_eq!(stream_url(&app, &premium, &track, "").await.0, StatusCode::OK);

    let reopened =
        app.client.patch(app.url(&album_path)).json(&serde_json::json!({"premium_only": false})).send().await;
    assert_eq!(reopened.unwrap().status(), StatusCode::OK);
    assert_eq!(stream_url(&app, &free, &track, "").await.0, StatusCode::OK);

    let missing =
        app.client.patch(app.url("/api/v1/admin/albums/999999")).json(&serde_json::json!({"premium_only": true}));
    let (status, body) = status_and_body(missing.send().await.unwrap()).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    app.stop().await;
}

async fn free_listeners_skip_six_times_an_hour(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (free, premium) = (app.client_as("free").await, app.client_as("premium").await);
    let track = app.track_by_title("Polar Night").await;
    for skip in 1..=6 {
        let (status, body) = stream_url(&app, &free, &track, "?skip=true").await;
        assert_eq!(status, StatusCode::OK, "skip {skip}: {body}");
    }
    let refused = free.get(app.url(&format!("/api/v1/tracks/{}/stream-url?skip=true", track["id"]))).send().await;
    let refused = refused.unwrap();
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&retry_after), "the oldest skip returns in about an hour: {retry_after}");
    let (status, body) = status_and_body(refused).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "skip_limit_reached");

    let (status, _) = stream_url(&app, &free, &track, "").await;
    assert_eq!(status, StatusCode::OK, "a track that ended on its own is not a skip");
    let (_, rights) = status_and_body(free.get(app.url("/api/v1/me/entitlements")).send().await.unwrap()).await;
    assert_eq!(rights["skips"]["remaining"], 0);
    assert!(rights["skips"]["next_skip_returns_at"].as_i64().is_some(), "{rights}");

    let (status, _) = stream_url(&app, &free, &track, "?skip=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a malformed flag is refused, not ignored");
    for _ in 0..10 {
        assert_eq!(stream_url(&app, &premium, &track, "?skip=true").await.0, StatusCode::OK, "premium skips freely");
    }
    app.stop().await;
}

/// A player streaming through HLS asks for the next track at the HLS entry: the same skips
/// are counted there, on tracks whose original the free tier may not stream.
async fn the_hls_entry_counts_skips_too(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let free = app.client_as("free").await;
    let lossless = app.track_by_title("Lossless Dawn").await;
    let entry = |query: &str| app.url(&format!("/api/v1/tracks/{}/hls/master.m3u8{query}", lossless["id"]));
    for skip in 1..=6 {
        let response = free.get(entry("?skip=true")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "skip {skip} reaches the master playlist");
    }
    let (status, body) = status_and_body(free.get(entry("?skip=true")).send().await.unwrap()).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "skip_limit_reached");
    let (status, _) = stream_url(&app, &free, &lossless, "?skip=true").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the lossless original stays refused to the free tier");
    assert_eq!(
        free.get(entry("")).send().await.unwrap().status(),
        StatusCode::OK,
        "a track that ended on its own is not a skip"
    );
    let (_, rights) = status_and_body(free.get(app.url("/api/v1/me/entitlements")).send().await.unwrap()).await;
    assert_eq!(rights["skips"]["remaining"], 0);
    app.stop().await;
}
