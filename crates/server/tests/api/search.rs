use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tonearm_testkit::{AudioKind, add_track};

use crate::helpers::{
    Engine, Options, TestApp, assert_error, on_every_engine, spawn_app, spawn_app_with, spawn_scanned_app,
};

on_every_engine!(
    search_finds_the_library_by_typos_prefixes_accents_and_cjk,
    search_returns_catalog_summaries_grouped_and_paged,
    bad_search_requests_are_refused_with_400,
    search_requires_an_access_token_and_is_documented,
    the_index_follows_rescans,
    a_damaged_index_is_rebuilt_from_the_catalog_at_start,
    plays_order_equal_matches_but_never_beat_an_exact_name,
    playlists_are_found_by_everyone_when_public_and_by_their_owner_when_private,
    search_answers_the_premium_flag_curation_set_on_any_node,
);

fn search_path(query: &str) -> String {
    let query: String = url_encode(query);
    format!("/api/v1/search?q={query}")
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The index is rebuilt in the background after a scan: asks until `expectation` holds
/// for the response to `path`, and returns that response.
async fn search_until(app: &TestApp, path: &str, expectation: impl Fn(&Value) -> bool) -> Value {
    search_as_until(app, &app.client, path, expectation).await
}

/// `search_until` for the listener `client` signs in.
async fn search_as_until(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    expectation: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let response = client.get(app.url(path)).send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        if expectation(&body) {
            return body;
        }
        assert!(Instant::now() < deadline, "{path} never met the expectation; last answer: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Titles or names of a group, best first.
fn names(body: &Value, group: &str) -> Vec<String> {
    body[group]["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item["title"].as_str().or(item["name"].as_str()).unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn top_name(body: &Value) -> Option<&str> {
    let item = &body["top"]["item"];
    item["title"].as_str().or(item["name"].as_str())
}

pub(crate) async fn wait_for_the_index(app: &TestApp) {
    search_until(app, &search_path("polar night"), |body| top_name(body) == Some("Polar Night")).await;
}

async fn search_finds_the_library_by_typos_prefixes_accents_and_cjk(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    wait_for_the_index(&app).await;

    let (_, typo) = app.get_json(&search_path("magnetospere")).await;
    assert_eq!(names(&typo, "tracks"), ["Magnetosphere"], "one letter missing: {typo}");
    let (_, prefix) = app.get_json(&search_path("lossl")).await;
    assert_eq!(top_name(&prefix), Some("Lossless Dawn"), "{prefix}");
    let (_, accents) = app.get_json(&search_path("bjork orsted")).await;
    assert_eq!((accents["top"]["kind"].as_str(), top_name(&accents)), (Some("artist"), Some("Björk Ørsted")));
    let (_, cjk) = app.get_json(&search_path("東京")).await;
    assert_eq!(names(&cjk, "albums"), ["東京の夜"], "{cjk}");
    let (_, whole) = app.get_json(&search_path("雨の音")).await;
    assert_eq!((whole["top"]["kind"].as_str(), top_name(&whole)), (Some("track"), Some("雨の音")));
    let (_, exact) = app.get_json(&search_path("aurora lane")).await;
    assert_eq!(exact["top"]["kind"], "artist", "the whole name first: {exact}");
    for literal in ["\"polar", "polar:", "(polar)", "polar*", "-polar"] {
        let (status, body) = app.get_json(&search_path(literal)).await;
        assert_eq!(status, StatusCode::OK, "{literal}: {body}");
        assert_eq!(top_name(&body), Some("Polar Night"), "{literal} is searched literally: {body}");
    }
    app.stop().await;
}

async fn search_returns_catalog_summaries_grouped_and_paged(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    wait_for_the_index(&app).await;
    let (_, body) = app.get_json(&search_path("polar night")).await;
    assert_eq!(body["top"]["item"], app.track_by_title("Polar Night").await, "the catalog's own summary");

    let (status, first) = app.get_json("/api/v1/search?q=aurora&types=track&limit=1").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(first.get("artists").is_none() && first.get("albums").is_none(), "only tracks: {first}");
    assert_eq!(first["tracks"]["total"], 5, "every Aurora Lane track: {first}");
    assert_eq!(first["tracks"]["items"].as_array().unwrap().len(), 1);
    let (_, second) = app.get_json("/api/v1/search?q=aurora&types=track&limit=1&offset=1").await;
    assert_ne!(first["tracks"]["items"], second["tracks"]["items"], "the next page");
    assert_eq!(first["top"], second["top"], "the top result does not page");

    let (_, nothing) = app.get_json(&search_path("zzzyzx")).await;
    assert_eq!(nothing["top"], Value::Null);
    assert_eq!(nothing["tracks"]["total"], 0);
    app.stop().await;
}

async fn bad_search_requests_are_refused_with_400(engine: Engine) {
    let app = spawn_app(&engine).await;
    let too_long = "a".repeat(201);
    for (path, code) in [
        ("/api/v1/search".to_owned(), "invalid_query"),
        ("/api/v1/search?q=".to_owned(), "invalid_query"),
        ("/api/v1/search?q=%20%20".to_owned(), "invalid_query"),
        (format!("/api/v1/search?q={too_long}"), "invalid_query"),
        ("/api/v1/search?q=a&types=track,podcast".to_owned(), "invalid_types"),
        ("/api/v1/search?q=a&limit=0".to_owned(), "invalid_limit"),
        ("/api/v1/search?q=a&limit=51".to_owned(), "invalid_limit"),
        ("/api/v1/search?q=a&offset=501".to_owned(), "invalid_offset"),
        ("/api/v1/search?q=a&limit=ten".to_owned(), "invalid_query"),
    ] {
        let (status, body) = app.get_json(&path).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, code);
    }
    app.stop().await;
}

async fn search_requires_an_access_token_and_is_documented(engine: Engine) {
    let app = spawn_app(&engine).await;
    let response = app.anonymous.get(app.url(&search_path("polar"))).send().await.unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized");
    let (_, document) = app.get_json("/api/openapi.json").await;
    assert!(document["paths"]["/api/v1/search"]["get"].is_object(), "the endpoint is documented");
    assert!(document["components"]["schemas"]["SearchResponse"].is_object());
    app.stop().await;
}

async fn the_index_follows_rescans(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    wait_for_the_index(&app).await;
    add_track(
        &app.library_path("Newcomer/First Light/01 - Hello.flac"),
        AudioKind::Flac,
        "Hello Horizon",
        &["Newcomer"],
        "First Light",
        1.0,
    );
    app.scanner.scan().await.unwrap();
    let added =
        search_until(&app, &search_path("hello horizon"), |body| names(body, "tracks") == ["Hello Horizon"]).await;
    assert_eq!(added["tracks"]["items"][0]["artists"][0]["name"], "Newcomer");

    std::fs::remove_file(app.library_path("Aurora Lane/Northern Lights/02 - Solar Wind.mp3")).unwrap();
    app.scanner.scan().await.unwrap();
    search_until(&app, &search_path("solar wind"), |body| body["tracks"]["total"] == 0).await;
    app.stop().await;
}

async fn a_damaged_index_is_rebuilt_from_the_catalog_at_start(engine: Engine) {
    let first = spawn_scanned_app(&engine).await;
    // A second node on the same, already scanned, database, whose index directory is garbage.
    let damage = |data_dir: &std::path::Path| {
        let index = data_dir.join("search-index");
        std::fs::create_dir_all(&index).unwrap();
        std::fs::write(index.join("meta.json"), b"\x00\x01 not an index").unwrap();
        std::fs::write(index.join("0123456789abcdef.idx"), b"garbage").unwrap();
    };
    let options = Options {
        shared_database: Some(first.database_url().to_owned()),
        prepare_data_dir: Some(Box::new(damage)),
        ..Options::default()
    };
    let second = spawn_app_with(&engine, options).await;
    wait_for_the_index(&second).await;
    let meta = std::fs::read(second.data_dir.path().join("search-index/meta.json")).unwrap();
    assert!(serde_json::from_slice::<Value>(&meta).is_ok(), "a whole index replaced the damaged one");
    second.stop().await;
    first.stop().await;
}

/// Titles of the tracks found for `query`, best first.
async fn track_titles(app: &TestApp, query: &str) -> Vec<String> {
    let (status, body) = app.get_json(&format!("{}&types=track&limit=50", search_path(query))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    names(&body, "tracks")
}

/// `times` complete listens of `track` by the admin.
async fn listen(app: &TestApp, track: &Value, times: usize) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let events: Vec<Value> = (0..times)
        .map(|n| {
            json!({"id": format!("{}-{n}", track["id"]), "kind": "play_end", "track_id": track["id"],
                   "occurred_at": now - n as i64 * 60_000, "ms_played": 60_000, "reason": "completed"})
        })
        .collect();
    let response = app.client.post(app.url("/api/v1/me/play-events")).json(&json!({"events": events})).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::OK);
}

async fn plays_order_equal_matches_but_never_beat_an_exact_name(engine: Engine) {
    let first = spawn_app(&engine).await;
    add_track(&first.library_path("Sol/Sol/01 - Solar.flac"), AudioKind::Flac, "Solar", &["Sol"], "Sol", 1.0);
    first.scanner.scan().await.unwrap();
    wait_for_the_index(&first).await;
    // Two titles of the same length by the same artist match `aurora` equally well.
    let equal = ["Magnetosphere", "Lossless Dawn"];
    let unplayed = track_titles(&first, "aurora").await;
    let position = |titles: &[String], title: &str| titles.iter().position(|found| found == title).unwrap();
    let second_before = *equal.iter().max_by_key(|title| position(&unplayed, title)).unwrap();
    let first_before = *equal.iter().find(|title| **title != second_before).unwrap();
    listen(&first, &first.track_by_title(second_before).await, 3).await;
    listen(&first, &first.track_by_title("Solar Wind").await, 20).await;

    // A node started now builds its index with the play counts.
    let options = Options { shared_database: Some(first.database_url().to_owned()), ..Options::default() };
    let second = spawn_app_with(&engine, options).await;
    wait_for_the_index(&second).await;
    let played = track_titles(&second, "aurora").await;
    assert!(
        position(&played, second_before) < position(&played, first_before),
        "the played track ranks first: {played:?} (before any plays: {unplayed:?})"
    );
    assert_eq!(track_titles(&second, "solar").await[..2], ["Solar", "Solar Wind"], "the exact title still leads");
    second.stop().await;
    first.stop().await;
}

async fn playlists_are_found_by_everyone_when_public_and_by_their_owner_when_private(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    wait_for_the_index(&app).await;
    let (owner, other) = (app.client_as("free").await, app.client_as("premium").await);
    let create = |body: Value| {
        let request = owner.post(app.url("/api/v1/playlists")).json(&body).send();
        async move { request.await.unwrap().json::<Value>().await.unwrap()["id"].as_i64().unwrap() }
    };
    let private = create(json!({"name": "Midnight Mix", "description": "for night owls"})).await;
    let public = create(json!({"name": "Midnight Drive", "public": true})).await;
    let playlists = |query: &str| format!("{}&types=playlist", search_path(query));
    let sorted_names = |body: &Value| {
        let mut found = names(body, "playlists");
        found.sort();
        found
    };

    let mine = search_as_until(&app, &owner, &playlists("midnight"), |body| sorted_names(body).len() == 2).await;
    assert_eq!(sorted_names(&mine), ["Midnight Drive", "Midnight Mix"], "the owner finds both");
    let by_description =
        search_as_until(&app, &owner, &playlists("owls"), |body| !names(body, "playlists").is_empty()).await;
    assert_eq!(names(&by_description, "playlists"), ["Midnight Mix"]);
    let (status, theirs) = {
        let response = other.get(app.url(&playlists("midnight"))).send().await.unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&theirs, "playlists"), ["Midnight Drive"], "another listener finds only the public one");
    assert_eq!(theirs["playlists"]["total"], 1, "and does not count the private one: {theirs}");
    assert_eq!(theirs["playlists"]["items"][0]["owner"]["username"], "free");
    let everything = search_as_until(&app, &other, &search_path("midnight mix"), |_| true).await;
    assert_ne!(everything["top"]["kind"], "playlist", "not even as the top result: {everything}");

    // Renames, visibility changes and deletions reach the index.
    let edit = |id: i64, body: Value| owner.patch(app.url(&format!("/api/v1/playlists/{id}"))).json(&body).send();
    assert_eq!(edit(public, json!({"name": "Sunrise Drive"})).await.unwrap().status(), StatusCode::OK);
    search_as_until(&app, &other, &playlists("sunrise"), |body| names(body, "playlists") == ["Sunrise Drive"]).await;
    assert_eq!(edit(private, json!({"public": true})).await.unwrap().status(), StatusCode::OK);
    search_as_until(&app, &other, &playlists("midnight"), |body| names(body, "playlists") == ["Midnight Mix"]).await;
    let deleted = owner.delete(app.url(&format!("/api/v1/playlists/{private}"))).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    search_as_until(&app, &owner, &playlists("midnight"), |body| body["playlists"]["total"] == 0).await;
    app.stop().await;
}

/// The Premium flag of `album_id` as an album and as the album of the track `Polar Night`,
/// in one search's answer.
fn premium_flags(body: &Value, album_id: &Value) -> (Value, Value) {
    let of = |group: &str, matches: &dyn Fn(&Value) -> bool| {
        let items = body[group]["items"].as_array().cloned().unwrap_or_default();
        items.into_iter().find(|item| matches(item)).map(|item| item["premium_only"].clone()).unwrap_or(Value::Null)
    };
    (of("albums", &|album| album["id"] == *album_id), of("tracks", &|track| track["title"] == "Polar Night"))
}

async fn search_answers_the_premium_flag_curation_set_on_any_node(engine: Engine) {
    let first = spawn_scanned_app(&engine).await;
    let options = Options { shared_database: Some(first.database_url().to_owned()), ..Options::default() };
    let second = spawn_app_with(&engine, options).await;
    wait_for_the_index(&first).await;
    wait_for_the_index(&second).await;
    let track = first.track_by_title("Polar Night").await;
    let album_id = track["album"]["id"].clone();
    let path = format!("{}&types=album,track&limit=50", search_path(track["album"]["title"].as_str().unwrap()));
    let (_, before) = first.get_json(&path).await;
    assert_eq!(premium_flags(&before, &album_id), (json!(false), json!(false)), "open to everyone at first: {before}");
    let (_, elsewhere) = second.get_json(&path).await;
    assert_eq!(premium_flags(&elsewhere, &album_id), (json!(false), json!(false)), "{elsewhere}");

    let set = |premium_only: bool| {
        let request = first.client.patch(first.url(&format!("/api/v1/admin/albums/{album_id}")));
        async move { request.json(&json!({ "premium_only": premium_only })).send().await.unwrap().status() }
    };
    assert_eq!(set(true).await, StatusCode::OK);
    let (_, marked) = first.get_json(&path).await;
    assert_eq!(
        premium_flags(&marked, &album_id),
        (json!(true), json!(true)),
        "at once on the node that changed it: {marked}"
    );
    // The other node's index is not rebuilt (its catalog version did not move), yet it answers the flag.
    search_until(&second, &path, |body| premium_flags(body, &album_id) == (json!(true), json!(true))).await;

    assert_eq!(set(false).await, StatusCode::OK);
    let (_, reopened) = first.get_json(&path).await;
    assert_eq!(premium_flags(&reopened, &album_id), (json!(false), json!(false)), "and back: {reopened}");
    search_until(&second, &path, |body| premium_flags(body, &album_id) == (json!(false), json!(false))).await;
    second.stop().await;
    first.stop().await;
}
