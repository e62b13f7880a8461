use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};

use crate::helpers::{Engine, Options, on_every_engine, spawn_app, spawn_app_with, spawn_scanned_app};

on_every_engine!(
    health_and_readiness_report_the_database,
    openapi_document_describes_the_api,
    json_is_compressed_when_the_client_asks,
    every_response_carries_a_request_id,
    admin_scan_reports_progress_and_runs_on_request,
    responses_carry_security_headers,
    cors_allows_only_the_configured_origins,
);

async fn cors_allows_only_the_configured_origins(engine: Engine) {
    let allowed = "https://app.example.com";
    let app = spawn_app_with(&engine, Options { cors_origins: vec![allowed.to_owned()], ..Options::default() }).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/tracks"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let accepted = preflight(allowed).await.unwrap();
    assert_eq!(accepted.headers()["access-control-allow-origin"], allowed);
    assert!(accepted.headers()["access-control-allow-headers"].to_str().unwrap().contains("authorization"));
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());

    let simple = app.client.get(app.url("/api/v1/tracks")).header("origin", allowed).send().await.unwrap();
    assert_eq!(simple.headers()["access-control-allow-origin"], allowed);
    assert!(simple.headers()["access-control-expose-headers"].to_str().unwrap().contains("content-range"));
    app.stop().await;

    let closed = spawn_app(&engine).await;
    let response = closed.client.get(closed.url("/api/v1/tracks")).header("origin", allowed).send().await.unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none(), "no origin is allowed by default");
    closed.stop().await;
}

async fn responses_carry_security_headers(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let track = app.track_by_title("Polar Night").await;
    for path in [
        "/".to_owned(),
        "/healthz".to_owned(),
        "/api/v1/tracks".to_owned(),
        "/api/v1/no-such-thing".to_owned(),
        format!("/api/v1/tracks/{}/stream", track["id"]),
    ] {
        let response = app.get(&path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"), "{path}: {policy}");
    }
    app.stop().await;
}

async fn health_and_readiness_report_the_database(engine: Engine) {
    let app = spawn_app(&engine).await;
    let (status, health) = app.get_json("/healthz").await;
    assert_eq!((status, health["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (status, ready) = app.get_json("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["status"], "ready");
    let expected = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres(_) => "postgres",
    };
    assert_eq!(ready["database"], expected);
    app.stop().await;
}

async fn openapi_document_describes_the_api(engine: Engine) {
    let app = spawn_app(&engine).await;
    let (status, document) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/tracks",
        "/api/v1/tracks/{id}",
        "/api/v1/tracks/{id}/stream",
        "/api/v1/albums/{id}",
        "/api/v1/artists",
        "/api/v1/genres",
        "/api/v1/covers/{id}",
        "/api/v1/admin/scan/issues",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
    assert!(document["components"]["schemas"]["TrackSummary"].is_object());
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    app.stop().await;
}

async fn json_is_compressed_when_the_client_asks(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    for encoding in ["br", "gzip"] {
        let response =
            app.client.get(app.url("/api/v1/tracks?limit=50")).header(ACCEPT_ENCODING, encoding).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_ENCODING], encoding);
    }
    let plain = app.get("/api/v1/tracks?limit=50").await;
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    app.stop().await;
}

async fn every_response_carries_a_request_id(engine: Engine) {
    let app = spawn_app(&engine).await;
    let first = app.get("/healthz").await;
    let second = app.get("/api/v1/tracks/0").await;
    let id = |response: &reqwest::Response| response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id(&first), id(&second));
    let echoed = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(id(&echoed), "abc-123");
    app.stop().await;
}

async fn admin_scan_reports_progress_and_runs_on_request(engine: Engine) {
    let app = spawn_app(&engine).await;
    let (_, before) = app.get_json("/api/v1/admin/scan").await;
    assert_eq!(before["progress"]["scans_completed"], 0);
    let response = app.client.post(app.url("/api/v1/admin/scan")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let mut status = serde_json::Value::Null;
    for _ in 0..200 {
        (_, status) = app.get_json("/api/v1/admin/scan").await;
        if status["progress"]["scans_completed"] == 1 && status["last_report"].is_object() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status["progress"]["phase"], "idle");
    assert_eq!(status["progress"]["files_found"], status["progress"]["files_done"]);
    assert_eq!(status["last_report"]["added"], tonearm_testkit::fixture_tracks().len());
    app.stop().await;
}
