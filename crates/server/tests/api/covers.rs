use reqwest::StatusCode;

use crate::helpers::{Engine, assert_error, on_every_engine, spawn_scanned_app};

on_every_engine!(
    covers_are_served_resized_and_cached,
    folder_covers_are_used_when_nothing_is_embedded,
    bad_cover_requests_are_refused
);

async fn covers_are_served_resized_and_cached(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let track = app.track_by_title("Polar Night").await;
    let cover = track["cover_id"].as_str().expect("embedded cover");
    // Tracks without their own picture show their album's.
    assert_eq!(app.track_by_title("Solar Wind").await["cover_id"], cover);
    for (requested, expected) in [(64, 64), (300, 200), (50, 64)] {
        let response = app.get(&format!("/api/v1/covers/{cover}?size={requested}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert!(response.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let image = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
        // The fixture cover is 200 px: never upscaled.
        assert_eq!(image.width().max(image.height()), expected, "size={requested}");
    }
    let cached = std::fs::read_dir(app.data_dir.path().join("covers/thumbnails")).unwrap().count();
    assert!(cached >= 2, "thumbnails are cached on disk");
    app.stop().await;
}

async fn folder_covers_are_used_when_nothing_is_embedded(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let track = app.track_by_title("Framed").await;
    let cover = track["cover_id"].as_str().expect("folder cover");
    let response = app.get(&format!("/api/v1/covers/{cover}?size=640")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let image = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(image.width(), 320, "the 320 px cover.jpg, not upscaled");
    let (_, album) = app.get_json(&format!("/api/v1/albums/{}", track["album"]["id"])).await;
    assert_eq!(album["cover_id"], cover);
    app.stop().await;
}

async fn bad_cover_requests_are_refused(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let cover = app.track_by_title("Polar Night").await["cover_id"].as_str().unwrap().to_owned();
    for (path, status, code) in [
        (format!("/api/v1/covers/{cover}?size=0"), StatusCode::BAD_REQUEST, "invalid_size"),
        (format!("/api/v1/covers/{cover}?size=5000"), StatusCode::BAD_REQUEST, "invalid_size"),
        ("/api/v1/covers/00000000000000000000000000000000".to_owned(), StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/covers/..%2F..%2Fetc%2Fpasswd".to_owned(), StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (actual, body) = app.get_json(&path).await;
        assert_error(actual, &body, status, code);
    }
    app.stop().await;
}
