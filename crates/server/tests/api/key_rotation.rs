//! Signing-key rotation: `tonearm keys rotate` against a running deployment of two nodes
//! on one database, and the pruning of superseded keys on the real stores.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use tonearm_auth::SUPERSEDED_KEY_RETENTION_SECONDS;

use crate::helpers::{Engine, Options, on_every_engine, spawn_app_with};
use crate::oauth::Flow;

on_every_engine!(
    a_rotation_keeps_tokens_valid_and_reaches_every_node,
    superseded_keys_are_pruned_only_past_the_retention,
);

/// The `kid` in a JWT's header.
fn kid_of(token: &str) -> String {
    let header = token.split('.').next().unwrap();
    let header: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

/// `token` with its header's `kid` replaced; the signature no longer matches.
fn with_kid(token: &str, kid: &str) -> String {
    let (_, rest) = token.split_once('.').unwrap();
    let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"typ":"JWT","alg":"HS256","kid":"{kid}"}}"#));
    format!("{header}.{rest}")
}

/// Runs the real `tonearm keys rotate` on `database_url`; returns the new key's id.
async fn rotate_with_the_cli(database_url: &str) -> String {
    let data_dir = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_tonearm"))
        .args(["keys", "rotate", "--database-url", database_url, "--data-dir"])
        .arg(data_dir.path())
        .output()
        .await
        .expect("tonearm runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let line = stdout.lines().find_map(|line| line.strip_prefix("added signing key ")).expect("the new key is named");
    line.split(';').next().unwrap().to_owned()
}

async fn a_rotation_keeps_tokens_valid_and_reaches_every_node(engine: Engine) {
    let node_a = Flow::start(&engine).await;
    let (before, refresh_before) = node_a.session("free").await;
    let old_kid = kid_of(&before);

    let new_kid = rotate_with_the_cli(node_a.app.database_url()).await;
    assert_ne!(new_kid, old_kid);
    let shared = Options { shared_database: Some(node_a.app.database_url().to_owned()), ..Options::default() };
    let node_b = Flow::on(spawn_app_with(&engine, shared).await).await;

    // Node B verifies from its own keyring (nothing cached): the old key still counts.
    assert_eq!(node_b.me(&before).await.0, StatusCode::OK, "tokens issued before the rotation stay valid");
    let (minted_on_b, _) = node_b.session("premium").await;
    assert_eq!(kid_of(&minted_on_b), new_kid, "new tokens carry the new key");

    // Node A loaded its keys before the rotation; the unknown kid makes it reload.
    let (status, me) = node_a.me(&minted_on_b).await;
    assert_eq!((status, me["username"].as_str()), (StatusCode::OK, Some("premium")), "{me}");
    let (status, refreshed) = node_a.refresh(&refresh_before).await;
    assert_eq!(status, StatusCode::OK, "{refreshed}");
    assert_eq!(kid_of(refreshed["access_token"].as_str().unwrap()), new_kid, "node A now signs with the new key");

    // A bad signature is refused whether its kid is unknown or known.
    for forged in [with_kid(&minted_on_b, "00000000deadbeef"), with_kid(&before, &new_kid)] {
        let (status, body) = node_a.me(&forged).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(node_b.me(&forged).await.0, StatusCode::UNAUTHORIZED);
    }
    node_b.app.stop().await;
    node_a.app.stop().await;
}

async fn superseded_keys_are_pruned_only_past_the_retention(engine: Engine) {
    let data_dir = tempfile::tempdir().unwrap();
    let database = engine.database(data_dir.path()).await;
    let stores = tonearm_store::open(&database.url).await.unwrap();
    let store = stores.auth.as_ref();
    let kids =
        move || async move { store.signing_keys().await.unwrap().into_iter().map(|key| key.kid).collect::<Vec<_>>() };
    let rotate = move |now| tonearm_server::cli::key_rotation::rotate_keys(store, now);
    let day = 24 * 3600;

    let first = rotate(day).await.unwrap();
    let second = rotate(2 * day).await.unwrap();
    assert!(second.removed.is_empty(), "the first key was superseded just now");
    let third = rotate(2 * day + SUPERSEDED_KEY_RETENTION_SECONDS - 1).await.unwrap();
    assert!(third.removed.is_empty(), "one second short of the retention, the first key stays");
    assert_eq!(kids().await, [first.added.clone(), second.added.clone(), third.added.clone()]);

    let fourth = rotate(2 * day + SUPERSEDED_KEY_RETENTION_SECONDS).await.unwrap();
    assert_eq!(fourth.removed, [first.added]);
    assert_eq!(kids().await, [second.added, third.added, fourth.added]);
    database.drop().await;
}
