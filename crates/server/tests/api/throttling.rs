//! Abuse protection: a request budget per client address, exponential back-off per account
//! and per address after repeated failures, identical answers whether or not the account
//! exists, and forwarded addresses believed from configured proxies only.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Engine, Options, assert_error, on_every_engine};
use crate::oauth::{Flow, PASSWORD};

on_every_engine!(
    sign_in_failures_back_off_the_same_for_unknown_accounts_then_recover,
    the_address_budget_refuses_floods_and_forwarded_headers_need_a_trusted_proxy,
    the_token_endpoint_has_a_budget_per_address,
    password_confirmation_backs_off_after_repeated_failures,
);

/// Posts a sign-in form that is refused before any password check (an unknown client):
/// cheap, so a test spends an address's budget faster than it refills.
async fn cheap_post_from(flow: &Flow, client: &str) -> StatusCode {
    let form = [("client_id", "someone-else"), ("username", "premium"), ("password", PASSWORD)];
    let request = flow.browser.post(flow.app.url("/oauth/authorize")).header("X-Forwarded-For", client);
    request.form(&form).send().await.unwrap().status()
}

/// Posts the sign-in form as if through a proxy that says the client is `client`.
async fn sign_in_from(flow: &Flow, client: &str, username: &str, password: &str) -> reqwest::Response {
    let mut form = flow.params();
    form.push(("username", username.into()));
    form.push(("password", password.into()));
    let request = flow.browser.post(flow.app.url("/oauth/authorize")).header("X-Forwarded-For", client);
    request.form(&form).send().await.unwrap()
}

fn behind_a_proxy() -> Options {
    Options { trusted_proxies: vec!["127.0.0.1".into()], ..Options::default() }
}

async fn sign_in_failures_back_off_the_same_for_unknown_accounts_then_recover(engine: Engine) {
    let flow = Flow::start_with(&engine, behind_a_proxy()).await;
    // One address per account, so the address budget stays out of the way.
    let mut answers = Vec::new();
    for (client, username) in [("198.51.100.1", "free"), ("198.51.100.2", "nobody-at-all")] {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(sign_in_from(&flow, client, username, "wrong password entirely").await.status());
        }
        // Even the right password waits now: the back-off is decided before checking.
        let locked = sign_in_from(&flow, client, username, PASSWORD).await;
        statuses.push(locked.status());
        let retry_after = locked.headers()["retry-after"].to_str().unwrap().to_owned();
        assert_eq!(retry_after, "1", "the first back-off is one second");
        assert!(locked.text().await.unwrap().contains("Too many attempts. Try again in 1 seconds."));
        // Another address is held back too: the account is.
        statuses.push(sign_in_from(&flow, "198.51.100.3", username, PASSWORD).await.status());
        answers.push(statuses);
    }
    let expected = [[StatusCode::UNAUTHORIZED; 6].as_slice(), &[StatusCode::TOO_MANY_REQUESTS; 2]].concat();
    assert_eq!(answers[0], expected);
    assert_eq!(answers[1], expected, "an unknown account is answered exactly like a known one");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let recovered = sign_in_from(&flow, "198.51.100.1", "free", PASSWORD).await;
    assert_eq!(recovered.status(), StatusCode::SEE_OTHER, "the back-off ends and the right password works");
    // The success forgave the account: one more mistake is not yet punished.
    assert_eq!(sign_in_from(&flow, "198.51.100.4", "free", "wrong again").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in_from(&flow, "198.51.100.4", "free", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    flow.app.stop().await;
}

async fn the_address_budget_refuses_floods_and_forwarded_headers_need_a_trusted_proxy(engine: Engine) {
    // No trusted proxy: a client cannot escape its budget by inventing forwarded addresses.
    let flow = Flow::start_with(&engine, Options::default()).await;
    for attempt in 0..10 {
        assert_eq!(cheap_post_from(&flow, &format!("192.0.2.{attempt}")).await, StatusCode::BAD_REQUEST, "{attempt}");
    }
    let flooded = sign_in_from(&flow, "192.0.2.200", "premium", PASSWORD).await;
    assert_eq!(flooded.status(), StatusCode::TOO_MANY_REQUESTS);
    let mut sign_up = flow.params();
    sign_up.extend([("username", "newcomer".into()), ("email", "new@example.com".into())]);
    sign_up.extend([
        ("password", "a long new passphrase".into()),
        ("password_confirmation", "a long new passphrase".into()),
    ]);
    let refused = flow.browser.post(flow.app.url("/oauth/sign-up")).form(&sign_up).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "sign-ups spend the same budget");
    assert!(refused.text().await.unwrap().contains("Too many attempts"));
    let retry_after: u64 = flooded.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3).contains(&retry_after), "{retry_after}");
    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    assert_eq!(sign_in_from(&flow, "192.0.2.1", "premium", PASSWORD).await.status(), StatusCode::SEE_OTHER, "recovers");
    let metadata: Value = flow
        .app
        .anonymous
        .get(flow.app.url("/.well-known/oauth-authorization-server"))
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "evil.example")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(metadata["issuer"].as_str(), Some(flow.app.url("").as_str()), "forwarded headers ignored");
    flow.app.stop().await;

    // Behind a trusted proxy each forwarded client has its own budget.
    let flow = Flow::start_with(&engine, behind_a_proxy()).await;
    for _ in 0..10 {
        assert_eq!(cheap_post_from(&flow, "192.0.2.10").await, StatusCode::BAD_REQUEST);
    }
    assert_eq!(sign_in_from(&flow, "192.0.2.10", "premium", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_in_from(&flow, "192.0.2.11", "premium", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let metadata: Value = flow
        .app
        .anonymous
        .get(flow.app.url("/.well-known/oauth-authorization-server"))
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "music.example.com")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(metadata["issuer"], "https://music.example.com", "the proxy's view of the origin is used");
    flow.app.stop().await;
}

async fn the_token_endpoint_has_a_budget_per_address(engine: Engine) {
    let flow = Flow::start_with(&engine, Options::default()).await;
    let form = [("grant_type", "refresh_token"), ("refresh_token", "not-a-real-token"), ("client_id", "tonearm-web")];
    for attempt in 0..30 {
        let (status, body, _) = flow.token(&form).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{attempt}");
    }
    let (status, body, headers) = flow.token(&form).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("slow_down")));
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(headers["cache-control"], "no-store");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(flow.token(&form).await.0, StatusCode::BAD_REQUEST, "the budget refills");
    flow.app.stop().await;
}

async fn password_confirmation_backs_off_after_repeated_failures(engine: Engine) {
    let flow = Flow::start_with(&engine, Options::default()).await;
    let (access, _) = flow.session("free").await;
    let change = |current: &str| {
        let body = serde_json::json!({ "current_password": current, "new_password": "a brand new passphrase" });
        flow.app.anonymous.put(flow.app.url("/api/v1/me/password")).bearer_auth(access.clone()).json(&body).send()
    };
    for _ in 0..6 {
        let response = change("a wrong guess").await.unwrap();
        let status = response.status();
        assert_error(status, &response.json().await.unwrap(), StatusCode::FORBIDDEN, "wrong_password");
    }
    let response = change(PASSWORD).await.unwrap();
    assert_eq!(response.headers()["retry-after"], "1");
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(change(PASSWORD).await.unwrap().status(), StatusCode::NO_CONTENT, "recovers with the right password");
    flow.app.stop().await;
}
