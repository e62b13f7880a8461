use reqwest::StatusCode;
use tonearm_server::app::tls::write_dev_certificate;

use tonearm_testkit::fixture_tracks;

use crate::helpers::{Engine, Options, access_token, on_every_engine, spawn_app_with};

on_every_engine!(https_is_served_with_a_generated_certificate, ranges_of_originals_stream_over_https);

async fn https_is_served_with_a_generated_certificate(engine: Engine) {
    let certificates = tempfile::tempdir().unwrap();
    let files = write_dev_certificate(certificates.path(), &["localhost".to_owned()]).unwrap();
    let app = spawn_app_with(&engine, Options { tls: Some(files.clone()), ..Options::default() }).await;
    assert!(app.url.starts_with("https://127.0.0.1:"), "{}", app.url);
    let address = app.url.trim_start_matches("https://").parse().unwrap();
    let https_url = format!("https://localhost:{}/healthz", app.url.rsplit(':').next().unwrap());

    let pem = std::fs::read(&files.cert).unwrap();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .resolve("localhost", address)
        .build()
        .unwrap();
    let response = trusting.get(&https_url).send().await.expect("a client trusting the certificate connects");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");

    let untrusting = reqwest::Client::builder().resolve("localhost", address).build().unwrap();
    assert!(untrusting.get(&https_url).send().await.is_err(), "an unknown certificate is rejected");
    let plain = reqwest::Client::new();
    let plain_url = https_url.replace("https://", "http://");
    assert!(plain.get(&plain_url).send().await.is_err(), "no plain HTTP on the TLS port");

    let key_mode =
        std::fs::metadata(&files.key).map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions())).unwrap();
    assert_eq!(key_mode & 0o777, 0o600, "the private key is readable by its owner only");
    app.stop().await;
}

/// Over TLS the original is read rather than mapped (the bytes are encrypted anyway).
async fn ranges_of_originals_stream_over_https(engine: Engine) {
    let certificates = tempfile::tempdir().unwrap();
    let files = write_dev_certificate(certificates.path(), &["localhost".to_owned()]).unwrap();
    let app = spawn_app_with(&engine, Options { tls: Some(files.clone()), ..Options::default() }).await;
    app.scanner.scan().await.expect("scan succeeds");
    let address = app.url.trim_start_matches("https://").parse().unwrap();
    let base = format!("https://localhost:{}", app.url.rsplit(':').next().unwrap());
    let mut headers = reqwest::header::HeaderMap::new();
    let token = access_token(app.database_url(), "admin").await;
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(&files.cert).unwrap()).unwrap())
        .resolve("localhost", address)
        .default_headers(headers)
        .build()
        .unwrap();
    let fixture = fixture_tracks().into_iter().find(|fixture| fixture.title == "Two Voices").unwrap();
    let bytes = std::fs::read(app.library_path(fixture.relative_path)).unwrap();
    let tracks: serde_json::Value =
        client.get(format!("{base}/api/v1/tracks?limit=500")).send().await.unwrap().json().await.unwrap();
    let track = tracks["items"].as_array().unwrap().iter().find(|t| t["title"] == "Two Voices").unwrap();
    let url = format!("{base}/api/v1/tracks/{}/stream", track["id"]);

    let whole = client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), StatusCode::OK);
    assert!(whole.bytes().await.unwrap() == bytes, "the whole file");
    let partial = client.get(&url).header(reqwest::header::RANGE, "bytes=100-1123").send().await.unwrap();
    assert_eq!(partial.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(partial.bytes().await.unwrap().as_ref(), &bytes[100..=1123]);
    app.stop().await;
}
