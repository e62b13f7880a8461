//! `/me/new-releases`: albums added after a moment, by the artists a listener likes (the
//! feed behind the app's notifications).

use reqwest::StatusCode;
use serde_json::Value;
use tonearm_testkit::{AudioKind, add_track};

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_scanned_app};

on_every_engine!(
    new_albums_of_liked_artists_only_newest_first_across_pages,
    the_feed_refuses_bad_parameters_and_strangers,
);

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.json().await.unwrap_or(Value::Null))
}

fn album_titles(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|album| album["title"].as_str().unwrap().to_owned()).collect()
}

fn now_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

async fn new_albums_of_liked_artists_only_newest_first_across_pages(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let listener = app.client_as("free").await;
    let other = app.client_as("premium").await;
    let aurora = app.track_by_title("Polar Night").await["artists"][0].clone();
    assert_eq!(aurora["name"], "Aurora Lane");
    let liked = listener.put(app.url(&format!("/api/v1/me/likes/artists/{}", aurora["id"]))).send().await.unwrap();
    assert!(liked.status().is_success(), "{}", liked.status());

    let since = now_millis();
    std::thread::sleep(std::time::Duration::from_millis(5));
    add_track(
        &app.library_path("Aurora Lane/Dawn Chorus/01 - First Bird.flac"),
        AudioKind::Flac,
        "First Bird",
        &["Aurora Lane"],
        "Dawn Chorus",
        1.0,
    );
    add_track(
        &app.library_path("Newcomer/First Light/01 - Hello.flac"),
        AudioKind::Flac,
        "Hello",
        &["Newcomer"],
        "First Light",
        1.0,
    );
    app.scanner.scan().await.unwrap();

    let (status, page) = get(&app, &listener, &format!("/api/v1/me/new-releases?since={since}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(album_titles(&page), ["Dawn Chorus"], "only the followed artist's new album");
    assert!(page["items"][0]["added_at"].as_i64().unwrap() > since);
    assert_eq!(page["next_cursor"], Value::Null);
    let (_, strangers) = get(&app, &other, &format!("/api/v1/me/new-releases?since={since}")).await;
    assert_eq!(album_titles(&strangers), Vec::<String>::new(), "another listener follows no one");

    // Since the beginning: every album of the artist, newest first, one per page.
    let mut seen: Vec<Value> = Vec::new();
    let mut path = "/api/v1/me/new-releases?since=0&limit=1".to_owned();
    loop {
        let (status, page) = get(&app, &listener, &path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(page["items"].as_array().unwrap().iter().cloned());
        let Some(cursor) = page["next_cursor"].as_str() else { break };
        path = format!("/api/v1/me/new-releases?since=0&limit=1&cursor={cursor}");
        assert!(seen.len() < 20, "pagination ends");
    }
    assert!(seen.len() >= 2, "the artist's older albums too: {seen:?}");
    assert_eq!(seen[0]["title"], "Dawn Chorus");
    assert!(seen.iter().all(|album| album["artist"]["name"] == "Aurora Lane"), "{seen:?}");
    let added: Vec<i64> = seen.iter().map(|album| album["added_at"].as_i64().unwrap()).collect();
    assert!(added.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {added:?}");
    let mut ids: Vec<i64> = seen.iter().map(|album| album["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), seen.len(), "each album once");
    app.stop().await;
}

async fn the_feed_refuses_bad_parameters_and_strangers(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let listener = app.client_as("free").await;
    for (query, code) in [
        ("since=0&limit=0", "invalid_limit"),
        ("since=0&limit=101", "invalid_limit"),
        ("since=0&cursor=nope", "invalid_cursor"),
        ("", "invalid_query"),
        ("since=yesterday", "invalid_query"),
    ] {
        let (status, body) = get(&app, &listener, &format!("/api/v1/me/new-releases?{query}")).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, code);
    }
    let anonymous = app.anonymous.get(app.url("/api/v1/me/new-releases?since=0")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}
