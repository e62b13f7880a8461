use reqwest::StatusCode;
use tonearm_server::tls::write_dev_certificate;

use crate::helpers::{Engine, Options, on_every_engine, spawn_app_with};

on_every_engine!(https_is_served_with_a_generated_certificate);

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
