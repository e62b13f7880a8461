//! The web app at `/`: client routes answer with the app (or, before `npm run build`, a page
//! that says how to build it), hashed assets are cached forever, and the API keeps its JSON 404.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};

use crate::helpers::{Engine, assert_error, spawn_app};

/// Whether this checkout has a built web app for the server to serve.
fn web_app_is_built() -> bool {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist/index.html").is_file()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_routes_serve_the_app_and_api_paths_keep_json_errors() {
    let app = spawn_app(&Engine::Sqlite).await;

    for path in ["/api/v1/no-such-thing", "/api/nothing", "/oauth/nothing"] {
        let response = app.anonymous.get(app.url(path)).send().await.unwrap();
        let status = response.status();
        let body = response.json().await.unwrap_or_else(|error| panic!("{path} is not JSON: {error}"));
        assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    }

    let mut index = String::new();
    for path in ["/", "/app/callback?code=x&state=y", "/album/1", "/library"] {
        let response = app.anonymous.get(app.url(path)).send().await.unwrap();
        assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{path}");
        if web_app_is_built() {
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()[CACHE_CONTROL], "no-cache", "{path}");
        } else {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        }
        index = response.text().await.unwrap();
    }

    if !web_app_is_built() {
        assert!(index.contains("npm --prefix web run build"), "explains how to build the app: {index}");
        app.stop().await;
        return;
    }
    let script = index
        .split('"')
        .find(|part| part.starts_with("/assets/") && part.ends_with(".js"))
        .expect("index.html loads a hashed script");
    let response = app.anonymous.get(app.url(script)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().contains("javascript"));

    let worker = app.anonymous.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(worker.status(), StatusCode::OK);
    assert_eq!(worker.headers()[CACHE_CONTROL], "no-cache");
    let manifest = app.anonymous.get(app.url("/manifest.webmanifest")).send().await.unwrap();
    assert_eq!(manifest.headers()[CONTENT_TYPE], "application/manifest+json");

    let stale = app.anonymous.get(app.url("/assets/index-0000000.js")).send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::NOT_FOUND, "a missing bundle is never answered with HTML");
    app.stop().await;
}
