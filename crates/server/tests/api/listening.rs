//! Play events, history, top lists and likes: idempotent batches, durable before the
//! acknowledgement, and everything scoped to the listener who sent it.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    Engine, TestApp, access_token, assert_error, client_with_token, on_every_engine, spawn_scanned_app, start_binary,
};

on_every_engine!(
    play_events_are_stored_once_and_shape_history_and_top_lists,
    bad_event_batches_are_refused_whole,
    likes_are_idempotent_sorted_and_private,
    acknowledged_events_survive_a_killed_server,
    home_shows_the_listeners_shelves_and_the_services_trends,
    progress_retention_keeps_the_last_progress_of_each_play_and_changes_no_statistic,
);

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// A start and an end of one play of `track`, `minutes_ago` minutes ago.
fn play(id: &str, track: &Value, minutes_ago: i64, ms_played: i64, reason: &str) -> [Value; 2] {
    let ended = now_ms() - minutes_ago * 60_000;
    [
        json!({"id": format!("{id}-start"), "kind": "play_start", "track_id": track["id"], "occurred_at": ended - ms_played,
               "ms_played": 0, "context": {"kind": "album", "id": track["album"]["id"].to_string()}}),
        json!({"id": format!("{id}-end"), "kind": "play_end", "track_id": track["id"], "occurred_at": ended,
               "ms_played": ms_played, "reason": reason, "context": {"kind": "album", "id": track["album"]["id"].to_string()}}),
    ]
}

async fn post_events(app: &TestApp, client: &reqwest::Client, events: &[Value]) -> (StatusCode, Value) {
    let response =
        client.post(app.url("/api/v1/me/play-events")).json(&json!({"events": events})).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> Value {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn titles(items: &Value, field: &str) -> Vec<String> {
    items["items"].as_array().unwrap().iter().map(|item| item[field]["title"].as_str().unwrap().to_owned()).collect()
}

async fn play_events_are_stored_once_and_shape_history_and_top_lists(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let listener = app.client_as("free").await;
    let (polar, solar, sunny) = (
        app.track_by_title("Polar Night").await,
        app.track_by_title("Solar Wind").await,
        app.track_by_title("Sunny").await,
    );
    let mut events: Vec<Value> = Vec::new();
    events.extend(play("a", &polar, 90, 120_000, "completed"));
    events.extend(play("b", &polar, 60, 45_000, "skipped"));
    events.extend(play("c", &solar, 30, 5_000, "completed")); // a short track heard to its end counts
    events.extend(play("d", &sunny, 10, 8_000, "skipped")); // a quick skip does not
    events.extend(play("e", &polar, 60 * 24 * 60, 200_000, "completed")); // two months ago
    events.push(
        json!({"id": "gone", "kind": "play_start", "track_id": 999_999, "occurred_at": now_ms(), "ms_played": 0}),
    );

    let (status, recorded) = post_events(&app, &listener, &events).await;
    assert_eq!(status, StatusCode::OK, "{recorded}");
    assert_eq!(recorded["stored"], 10);
    assert_eq!(recorded["duplicates"], 0);
    assert_eq!(recorded["unknown_tracks"], json!(["gone"]));
    let (_, again) = post_events(&app, &listener, &events).await;
    assert_eq!(
        (again["stored"].as_i64(), again["duplicates"].as_i64()),
        (Some(0), Some(10)),
        "a re-sent batch counts once"
    );

    let recent = get(&app, &listener, "/api/v1/me/recently-played").await;
    assert_eq!(titles(&recent, "track"), ["Sunny", "Solar Wind", "Polar Night"]);
    assert_eq!(recent["items"][0]["context"]["kind"], "album");

    let short = get(&app, &listener, "/api/v1/me/top/tracks?range=short_term").await;
    assert_eq!(titles(&short, "track"), ["Polar Night", "Solar Wind"]);
    assert_eq!(short["items"][0]["plays"], 2);
    let long = get(&app, &listener, "/api/v1/me/top/tracks?range=long_term").await;
    assert_eq!(long["items"][0]["plays"], 3, "the play two months ago counts in all time");
    let artists = get(&app, &listener, "/api/v1/me/top/artists?range=short_term").await;
    assert_eq!(artists["items"][0]["artist"]["name"], "Aurora Lane");
    assert_eq!(artists["items"][0]["plays"], 3);

    let other = app.client_as("premium").await;
    assert_eq!(get(&app, &other, "/api/v1/me/recently-played").await["items"], json!([]), "history is per listener");
    let (status, body) = {
        let response = listener.get(app.url("/api/v1/me/top/tracks?range=forever")).send().await.unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_query");
    app.stop().await;
}

async fn bad_event_batches_are_refused_whole(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let listener = app.client_as("free").await;
    let track = app.track_by_title("Polar Night").await;
    let good = play("ok", &track, 5, 60_000, "completed");
    for (bad, code) in [
        (
            json!({"id": "x", "kind": "play_start", "track_id": track["id"], "occurred_at": now_ms(), "ms_played": 0, "reason": "completed"}),
            "invalid_event",
        ),
        (
            json!({"id": "y", "kind": "play_end", "track_id": track["id"], "occurred_at": now_ms() + 3 * 86_400_000, "ms_played": 1, "reason": "completed"}),
            "invalid_event",
        ),
        (
            json!({"id": "", "kind": "play_start", "track_id": track["id"], "occurred_at": now_ms(), "ms_played": 0}),
            "invalid_event",
        ),
        (
            json!({"id": "z", "kind": "play_pause", "track_id": track["id"], "occurred_at": now_ms(), "ms_played": 0}),
            "invalid_body",
        ),
    ] {
        let (status, body) = post_events(&app, &listener, &[good[0].clone(), good[1].clone(), bad]).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, code);
    }
    let many: Vec<Value> = (0..501)
        .map(|n| json!({"id": format!("n{n}"), "kind": "play_start", "track_id": track["id"], "occurred_at": now_ms(), "ms_played": 0}))
        .collect();
    let (status, body) = post_events(&app, &listener, &many).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "batch_too_large");
    assert_eq!(get(&app, &listener, "/api/v1/me/recently-played").await["items"], json!([]), "nothing half-stored");
    app.stop().await;
}

async fn likes_are_idempotent_sorted_and_private(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (listener, other) = (app.client_as("free").await, app.client_as("premium").await);
    let (polar, ile) = (app.track_by_title("Polar Night").await, app.track_by_title("Île flottante").await);
    for track in [&polar, &ile, &polar] {
        let response = listener.put(app.url(&format!("/api/v1/me/likes/tracks/{}", track["id"]))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let liked = get(&app, &listener, "/api/v1/me/likes/tracks").await;
    assert_eq!(liked["total"], 2, "liking twice is one like");
    assert_eq!(titles(&liked, "track"), ["Île flottante", "Polar Night"], "newest like first");
    let by_name = get(&app, &listener, "/api/v1/me/likes/tracks?sort=name").await;
    // The catalog's name order: sort keys compare lower-cased text by code point.
    assert_eq!(titles(&by_name, "track"), ["Polar Night", "Île flottante"]);
    let by_artist = get(&app, &listener, "/api/v1/me/likes/tracks?sort=artist&limit=1&offset=1").await;
    assert_eq!((titles(&by_artist, "track"), by_artist["total"].as_i64()), (vec!["Île flottante".to_owned()], Some(2)));

    let album = &polar["album"]["id"];
    let artist = &polar["album_artist"]["id"];
    assert_eq!(
        listener.put(app.url(&format!("/api/v1/me/likes/albums/{album}"))).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        listener.put(app.url(&format!("/api/v1/me/likes/artists/{artist}"))).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(get(&app, &listener, "/api/v1/me/likes/albums").await["items"][0]["album"]["title"], "Northern Lights");
    assert_eq!(get(&app, &listener, "/api/v1/me/likes/artists").await["items"][0]["artist"]["name"], "Aurora Lane");
    let missing = listener.put(app.url("/api/v1/me/likes/albums/999999")).send().await.unwrap();
    let status = missing.status();
    assert_error(status, &missing.json().await.unwrap(), StatusCode::NOT_FOUND, "not_found");

    // Another listener's unlike touches only their own (empty) library.
    let unliked = other.delete(app.url(&format!("/api/v1/me/likes/tracks/{}", polar["id"]))).send().await.unwrap();
    assert_eq!(unliked.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&app, &other, "/api/v1/me/likes/tracks").await["total"], 0);
    assert_eq!(get(&app, &listener, "/api/v1/me/likes/tracks").await["total"], 2);
    let own = listener.delete(app.url(&format!("/api/v1/me/likes/tracks/{}", polar["id"]))).send().await.unwrap();
    assert_eq!(own.status(), StatusCode::NO_CONTENT);
    assert_eq!(titles(&get(&app, &listener, "/api/v1/me/likes/tracks").await, "track"), ["Île flottante"]);
    app.stop().await;
}

async fn acknowledged_events_survive_a_killed_server(engine: Engine) {
    let library = tonearm_testkit::fixture_library();
    let data_dir = tempfile::tempdir().unwrap();
    let database = engine.database(data_dir.path()).await;
    let serve = |database_url: String| {
        let (data, root) = (data_dir.path().to_str().unwrap().to_owned(), library.root().to_str().unwrap().to_owned());
        start_binary(
            None,
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                &data,
                "--database-url",
                &database_url,
                "--library",
                &root,
            ],
        )
    };
    let (mut server, url) = serve(database.url.clone());
    let listener = client_with_token(&access_token(&database.url, "free").await);
    let deadline = Instant::now() + Duration::from_secs(30);
    let track = loop {
        assert!(Instant::now() < deadline, "the start-up scan did not finish");
        let tracks: Value =
            listener.get(format!("{url}/api/v1/tracks?limit=500")).send().await.unwrap().json().await.unwrap();
        if let Some(track) = tracks["items"].as_array().unwrap().iter().find(|t| t["title"] == "Polar Night") {
            break track.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let events = play("durable", &track, 1, 90_000, "completed");
    let response =
        listener.post(format!("{url}/api/v1/me/play-events")).json(&json!({"events": events})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    server.kill().unwrap(); // SIGKILL right after the acknowledgement: no graceful anything
    server.wait().unwrap();

    let (mut restarted, url) = serve(database.url.clone());
    let recent: Value =
        listener.get(format!("{url}/api/v1/me/recently-played")).send().await.unwrap().json().await.unwrap();
    assert_eq!(recent["items"][0]["track"]["title"], "Polar Night", "{recent}");
    let top: Value = listener.get(format!("{url}/api/v1/me/top/tracks")).send().await.unwrap().json().await.unwrap();
    assert_eq!(top["items"][0]["plays"], 1);
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    database.drop().await;
}

async fn home_shows_the_listeners_shelves_and_the_services_trends(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (listener, newcomer) = (app.client_as("free").await, app.client_as("premium").await);
    let first_look = get(&app, &newcomer, "/api/v1/home").await;
    let ids = |home: &Value| -> Vec<String> {
        home["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
    };
    // Nothing personal yet, but never an empty Home: a popular mix until the listener plays.
    assert_eq!(ids(&first_look), ["made_for_you", "new_releases"], "{first_look}");
    assert_eq!(first_look["sections"][0]["items"][0]["id"], "popular");
    assert_eq!(first_look["sections"][1]["kind"], "albums");
    // The recommendation shelves have tests of their own (`recommendations.rs`).
    let own = |home: &Value| -> Vec<String> {
        ids(home)
            .into_iter()
            .filter(|id| !["made_for_you", "because_you_listened", "discover"].contains(&id.as_str()))
            .collect()
    };

    let polar = app.track_by_title("Polar Night").await;
    let mut events = Vec::new();
    events.extend(play("h1", &polar, 30, 100_000, "completed"));
    events.extend(play("h2", &polar, 20, 100_000, "completed"));
    assert_eq!(post_events(&app, &listener, &events).await.0, StatusCode::OK);
    let created = listener.post(app.url("/api/v1/playlists")).json(&json!({"name": "Mine"})).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);

    let home = get(&app, &listener, "/api/v1/home").await;
    assert_eq!(own(&home), ["recently_played", "your_playlists", "top_artists", "trending", "new_releases"]);
    assert_eq!(ids(&home)[1], "made_for_you", "{home}");
    let shelf =
        |home: &Value, id: &str| home["sections"].as_array().unwrap().iter().find(|s| s["id"] == id).cloned().unwrap();
    assert_eq!(shelf(&home, "recently_played")["items"][0]["title"], "Polar Night");
    assert_eq!(shelf(&home, "your_playlists")["items"][0]["name"], "Mine");
    assert_eq!(shelf(&home, "top_artists")["items"][0]["name"], "Aurora Lane");
    let trending = get(&app, &newcomer, "/api/v1/home").await;
    assert_eq!(own(&trending), ["trending", "new_releases"], "trends are service-wide, history is not");
    assert_eq!(shelf(&trending, "trending")["items"][0]["title"], "Polar Night");
    app.stop().await;
}

/// A play of `track` by the events `kinds` (`s`tart, `p`rogress, `e`nd), one a second,
/// starting `minutes_ago` minutes ago.
fn play_of(id: &str, track: &Value, minutes_ago: i64, kinds: &str) -> Vec<Value> {
    let start = now_ms() - minutes_ago * 60_000;
    kinds
        .chars()
        .enumerate()
        .map(|(n, kind)| {
            let at = n as i64 * 1000;
            let mut event = json!({"id": format!("{id}-{n}"), "track_id": track["id"], "occurred_at": start + at,
                                   "ms_played": at, "context": {"kind": "library"}});
            match kind {
                's' => event["kind"] = json!("play_start"),
                'p' => event["kind"] = json!("play_progress"),
                _ => {
                    event["kind"] = json!("play_end");
                    event["ms_played"] = json!(45_000);
                    event["reason"] = json!("completed");
                }
            }
            event
        })
        .collect()
}

async fn progress_retention_keeps_the_last_progress_of_each_play_and_changes_no_statistic(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let listener = app.client_as("free").await;
    let (polar, solar, sunny) = (
        app.track_by_title("Polar Night").await,
        app.track_by_title("Solar Wind").await,
        app.track_by_title("Sunny").await,
    );
    let two_days = 2 * 24 * 60;
    let mut events = Vec::new();
    events.extend(play_of("a", &polar, two_days + 30, "sppppe")); // 4 progress rows, superseded by the end
    events.extend(play_of("b", &polar, two_days + 20, "spppe")); // the same track again: 3 more
    events.extend(play_of("c", &solar, two_days + 10, "sppp")); // never ended: the last progress stays
    events.extend(play_of("d", &sunny, 60, "sppe")); // an hour old: untouched
    let (status, recorded) = post_events(&app, &listener, &events).await;
    assert_eq!((status, recorded["stored"].as_u64()), (StatusCode::OK, Some(events.len() as u64)), "{recorded}");
    let views = [
        "/api/v1/me/recently-played",
        "/api/v1/me/top/tracks?range=long_term",
        "/api/v1/me/top/tracks?range=short_term",
        "/api/v1/me/top/artists?range=long_term",
        "/api/v1/home",
    ];
    let mut before = Vec::new();
    for view in views {
        before.push(get(&app, &listener, view).await);
    }

    let stores = tonearm_store::open(app.database_url()).await.unwrap();
    let a_day_ago = now_ms() - 24 * 60 * 60 * 1000;
    assert_eq!(stores.listening.compact_play_progress(a_day_ago, 5).await.unwrap(), 5, "batches are bounded");
    assert_eq!(stores.listening.compact_play_progress(a_day_ago, 5).await.unwrap(), 4, "4 + 3 + 2 superseded in all");
    assert_eq!(stores.listening.compact_play_progress(a_day_ago, 5).await.unwrap(), 0);
    let polar_id = tonearm_domain::TrackId(polar["id"].as_i64().unwrap());
    assert_eq!(stores.listening.play_counts(&[polar_id]).await.unwrap()[0].plays, 2);
    for (view, before) in views.into_iter().zip(before) {
        assert_eq!(get(&app, &listener, view).await, before, "{view} is unchanged by the retention job");
    }
    // A client re-sending a compacted batch brings back progress rows, never plays.
    let (status, _) = post_events(&app, &listener, &events[..6]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get(&app, &listener, views[1]).await["items"][0]["plays"], 2);
    app.stop().await;
}
