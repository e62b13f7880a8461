//! `/me/settings`: preferences validated and kept on the server, per account.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_app};

on_every_engine!(
    settings_start_at_defaults_and_a_change_keeps_the_others,
    unknown_setting_values_are_refused_and_change_nothing,
    each_listener_reads_and_changes_only_their_own_settings,
);

async fn patch(app: &TestApp, client: &reqwest::Client, body: Value) -> (StatusCode, Value) {
    let response = client.patch(app.url("/api/v1/me/settings")).json(&body).send().await.unwrap();
    (response.status(), response.json().await.unwrap_or(Value::Null))
}

async fn read(app: &TestApp, client: &reqwest::Client) -> Value {
    let response = client.get(app.url("/api/v1/me/settings")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn defaults() -> Value {
    json!({"streaming_quality": "auto", "download_quality": "high", "notifications": false})
}

async fn settings_start_at_defaults_and_a_change_keeps_the_others(engine: Engine) {
    let app = spawn_app(&engine).await;
    let listener = app.client_as("free").await;
    assert_eq!(read(&app, &listener).await, defaults());

    let (status, body) = patch(&app, &listener, json!({"streaming_quality": "lossless"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["streaming_quality"], "lossless");
    let (status, body) = patch(&app, &listener, json!({"notifications": true, "download_quality": null})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected = json!({"streaming_quality": "lossless", "download_quality": "high", "notifications": true});
    assert_eq!(body, expected, "what a change leaves out keeps its value");

    // Another device of the same account (a fresh token) sees the same settings.
    let other_device = app.client_as("free").await;
    assert_eq!(read(&app, &other_device).await, expected);
    let anonymous = app.anonymous.get(app.url("/api/v1/me/settings")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

async fn unknown_setting_values_are_refused_and_change_nothing(engine: Engine) {
    let app = spawn_app(&engine).await;
    let listener = app.client_as("premium").await;
    let (status, body) = patch(&app, &listener, json!({"download_quality": "low", "notifications": true})).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_setting");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("normal, high, lossless") && message.contains("`low`"), "{message}");
    let (status, body) = patch(&app, &listener, json!({"streaming_quality": "ultra"})).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_setting");
    let (status, body) = patch(&app, &listener, json!({"notifications": "yes"})).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_body");
    let (status, body) = patch(&app, &listener, json!({"theme": "light"})).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_body");
    assert_eq!(read(&app, &listener).await, defaults(), "a refused change changes nothing, not even half of it");
    app.stop().await;
}

/// Settings live under `/me`: no request can name another account's. What one listener
/// changes never shows for another.
async fn each_listener_reads_and_changes_only_their_own_settings(engine: Engine) {
    let app = spawn_app(&engine).await;
    let (free, premium) = (app.client_as("free").await, app.client_as("premium").await);
    let (status, _) = patch(&app, &free, json!({"streaming_quality": "low", "notifications": true})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read(&app, &premium).await, defaults());
    let (status, _) = patch(&app, &premium, json!({"streaming_quality": "lossless"})).await;
    assert_eq!(status, StatusCode::OK);
    let free_settings = read(&app, &free).await;
    assert_eq!(free_settings["streaming_quality"], "low");
    assert_eq!(free_settings["notifications"], true);
    app.stop().await;
}
