use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{Engine, on_every_engine, start_binary};

on_every_engine!(secrets_never_reach_the_logs);

/// Signs in and signs up over HTTP, refreshes, calls the API and a signed stream link, with the server
/// logging at debug level; then no password, code, verifier, token or signature may be in
/// its log.
async fn secrets_never_reach_the_logs(engine: Engine) {
    let library = tonearm_testkit::fixture_library();
    let data_dir = tempfile::tempdir().unwrap();
    let database = engine.database(data_dir.path()).await;
    let log = data_dir.path().join("server.log");
    let (mut child, url) = start_binary(
        Some(&log),
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
        ],
    );
    let password = "Secret-Passphrase-4711";
    tonearm_core::accounts::ensure_demo_users(
        tonearm_store::open(&database.url).await.unwrap().users.as_ref(),
        password,
    )
    .await
    .unwrap();

    let verifier = "Verifier-Never-Logged-0123456789-abcdefghijklmnop";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let callback = format!("{url}/app/callback");
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = [
        ("response_type", "code"),
        ("client_id", "tonearm-web"),
        ("redirect_uri", &callback),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
        ("state", "s"),
        ("username", "premium"),
        ("password", password),
    ];
    let redirect = browser.post(format!("{url}/oauth/authorize")).form(&form).send().await.unwrap();
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(location.split_once('?').unwrap().1).unwrap();
    let code = pairs.iter().find(|(name, _)| name == "code").unwrap().1.clone();
    let client = reqwest::Client::new();
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", &callback),
        ("client_id", "tonearm-web"),
        ("code_verifier", verifier),
    ];
    let tokens: Value =
        client.post(format!("{url}/oauth/token")).form(&exchange).send().await.unwrap().json().await.unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let renewal = [("grant_type", "refresh_token"), ("refresh_token", refresh.as_str()), ("client_id", "tonearm-web")];
    let renewed: Value =
        client.post(format!("{url}/oauth/token")).form(&renewal).send().await.unwrap().json().await.unwrap();
    let access = renewed["access_token"].as_str().unwrap().to_owned();

    let deadline = Instant::now() + Duration::from_secs(30);
    let track = loop {
        let page: Value =
            client.get(format!("{url}/api/v1/tracks")).bearer_auth(&access).send().await.unwrap().json().await.unwrap();
        if let Some(track) = page["items"].as_array().and_then(|items| items.first()).cloned() {
            break track;
        }
        assert!(Instant::now() < deadline, "the library was never scanned");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let signed: Value = client
        .get(format!("{url}/api/v1/tracks/{}/stream-url", track["id"]))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let signed_url = signed["url"].as_str().unwrap().to_owned();
    assert_eq!(client.get(format!("{url}{signed_url}")).send().await.unwrap().status(), StatusCode::OK);
    let wrong = [
        ("username", "premium"),
        ("password", "Wrong-Passphrase-0815"),
        ("client_id", "tonearm-web"),
        ("redirect_uri", &callback),
    ];
    browser.post(format!("{url}/oauth/authorize")).form(&wrong).send().await.unwrap();
    let sign_up = |password: &'static str, confirmation: &'static str| {
        let mut form: Vec<(&str, &str)> = form[..6].to_vec();
        form.extend([("username", "newcomer"), ("email", "newcomer@example.com")]);
        form.extend([("password", password), ("password_confirmation", confirmation)]);
        browser.post(format!("{url}/oauth/sign-up")).form(&form).send()
    };
    let mismatch = sign_up("Signup-Secret-Passphrase-99", "Signup-Other-Passphrase-98").await.unwrap();
    assert_eq!(mismatch.status(), StatusCode::BAD_REQUEST);
    let created = sign_up("Signup-Secret-Passphrase-99", "Signup-Secret-Passphrase-99").await.unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);

    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("signed in"), "the log is captured: {logged}");
    let signature = signed_url.split("sig=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    for secret in [
        password,
        "Wrong-Passphrase-0815",
        "Signup-Secret-Passphrase-99",
        "Signup-Other-Passphrase-98",
        verifier,
        &code,
        &refresh,
        renewed["refresh_token"].as_str().unwrap(),
        &access,
        tokens["access_token"].as_str().unwrap(),
        &signature,
    ] {
        assert!(!logged.contains(secret), "a secret reached the log: {secret}");
    }
    database.drop().await;
}
