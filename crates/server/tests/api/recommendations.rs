//! Recommendations learned from listening, through the real server on both engines: mixes
//! follow a listener's genres, radio stays near its seed and never plays it, free listeners
//! never get Premium-only albums, removed tracks never come back, and a newcomer gets the
//! taste picker and a popular mix rather than an empty Home.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tonearm_testkit::genre_library;

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_app};

on_every_engine!(
    a_jazz_listener_gets_a_jazz_mix_discover_and_because_you_listened,
    song_radio_never_plays_its_seed_stays_in_genre_and_never_ends,
    free_listeners_are_never_offered_premium_only_albums,
    removed_tracks_never_come_back,
    a_newcomer_gets_the_picker_and_a_popular_mix_then_picks_shape_the_mixes,
    fans_also_like_artists_of_the_same_genre,
);

const GENRES: [&str; 3] = ["Jazz", "Rock", "Electronic"];

/// The server with the fixture library and 3 genres × 3 artists × 4 tracks, scanned.
async fn spawn_genre_app(engine: &Engine) -> TestApp {
    let app = spawn_app(engine).await;
    genre_library(app.library.root(), &GENRES, 3, 4);
    app.scanner.scan().await.expect("scan succeeds");
    app
}

async fn get(client: &reqwest::Client, url: String) -> Value {
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.json().await.unwrap()
}

/// Every generated track of `genre`, as the catalog lists them.
async fn tracks_of(app: &TestApp, genre: &str) -> Vec<Value> {
    let tracks = app.collect_all("/api/v1/tracks", "name", 100).await;
    tracks.into_iter().filter(|track| genre_of(track) == Some(genre.to_owned())).collect()
}

/// The genre a generated track's album is named after.
fn genre_of(track: &Value) -> Option<String> {
    let album = track["album"]["title"].as_str()?;
    GENRES.iter().find(|genre| album.starts_with(&format!("{genre} Album"))).map(|genre| (*genre).to_owned())
}

/// One completed play of each track, as the app reports them.
async fn listen(app: &TestApp, client: &reqwest::Client, tracks: &[Value], tag: &str) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let events: Vec<Value> = tracks
        .iter()
        .enumerate()
        .flat_map(|(index, track)| {
            let ended = now - 60_000 * (tracks.len() - index) as i64;
            let context = json!({"kind": "album", "id": track["album"]["id"].to_string()});
            [
                json!({"id": format!("{tag}-{index}-start"), "kind": "play_start", "track_id": track["id"],
                       "occurred_at": ended - 1000, "ms_played": 0, "context": context}),
                json!({"id": format!("{tag}-{index}-end"), "kind": "play_end", "track_id": track["id"],
                       "occurred_at": ended, "ms_played": 1000, "reason": "completed", "context": context}),
            ]
        })
        .collect();
    let response =
        client.post(app.url("/api/v1/me/play-events")).json(&json!({"events": events})).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

async fn train(app: &TestApp) -> Value {
    let response = app.client.post(app.url("/api/v1/admin/recommender")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn share_of(tracks: &[Value], genre: &str) -> f64 {
    let matching = tracks.iter().filter(|track| genre_of(track).as_deref() == Some(genre)).count();
    matching as f64 / tracks.len().max(1) as f64
}

fn mix_tracks(mix: &Value) -> Vec<Value> {
    mix["tracks"].as_array().unwrap().iter().map(|item| item["track"].clone()).collect()
}

async fn a_jazz_listener_gets_a_jazz_mix_discover_and_because_you_listened(engine: Engine) {
    let app = spawn_genre_app(&engine).await;
    let jazz = tracks_of(&app, "Jazz").await;
    let rock = tracks_of(&app, "Rock").await;
    let electronic = tracks_of(&app, "Electronic").await;
    let listener = app.client_as("premium").await;
    // Half of the jazz, so Discover has jazz left to find.
    listen(&app, &listener, &jazz[..6], "premium").await;
    let others = app.client_as("free").await;
    listen(&app, &others, &[&rock[..], &electronic[..], &jazz[..2]].concat(), "free").await;

    let trained = train(&app).await;
    assert!(trained["model_version"].as_i64().unwrap() >= 1, "{trained}");
    assert!(trained["listeners"].as_u64().unwrap() >= 2, "{trained}");
    // Every generated track is a decodable tone: each one's sound was measured.
    let measured = trained["tracks_with_sound"].as_u64().unwrap() as usize;
    assert!(measured >= GENRES.len() * 3 * 4, "{trained}");

    let mixes = get(&listener, app.url("/api/v1/me/mixes")).await;
    let first = &mixes["items"][0];
    assert_eq!(first["title"], "Jazz Mix", "{mixes}");
    let covers = first["cover_ids"].as_array().unwrap();
    assert!((2..=4).contains(&covers.len()), "a mosaic of the mix's albums: {mixes}");
    let mix = get(&listener, app.url(&format!("/api/v1/me/mixes/{}", first["id"].as_str().unwrap()))).await;
    let tracks = mix_tracks(&mix);
    assert!(tracks.len() >= 8, "{mix}");
    assert!(share_of(&tracks, "Jazz") >= 0.8, "a jazz listener's mix is mostly jazz: {mix}");
    assert!(mix["tracks"][0]["reason"]["text"].as_str().unwrap().starts_with("Because you listened to"), "{mix}");

    let discover = get(&listener, app.url("/api/v1/me/discover")).await;
    let found: Vec<Value> = discover["items"].as_array().unwrap().iter().map(|item| item["track"].clone()).collect();
    let played: Vec<&Value> = jazz[..6].iter().map(|track| &track["id"]).collect();
    assert!(!found.is_empty(), "{discover}");
    assert!(found.iter().all(|track| !played.contains(&&track["id"])), "Discover plays nothing heard: {discover}");
    assert!(share_of(&found[..found.len().min(4)], "Jazz") >= 0.75, "the best finds are jazz: {discover}");

    let home = get(&listener, app.url("/api/v1/home")).await;
    let ids: Vec<&str> = home["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(&ids[..2], ["recently_played", "made_for_you"], "{home}");
    assert!(ids.contains(&"discover") && ids.contains(&"because_you_listened"), "{ids:?}");
    let because = home["sections"].as_array().unwrap().iter().find(|s| s["id"] == "because_you_listened").unwrap();
    assert!(because["title"].as_str().unwrap().starts_with("Because you listened to Jazz Artist"), "{because}");
    assert_error(
        StatusCode::NOT_FOUND,
        &get_raw(&listener, app.url("/api/v1/me/mixes/mix-9")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    app.stop().await;
}

async fn get_raw(client: &reqwest::Client, url: String) -> Value {
    client.get(url).send().await.unwrap().json().await.unwrap()
}

async fn song_radio_never_plays_its_seed_stays_in_genre_and_never_ends(engine: Engine) {
    let app = spawn_genre_app(&engine).await;
    let rock = tracks_of(&app, "Rock").await;
    let listener = app.client_as("premium").await;
    listen(&app, &listener, &rock[..3], "premium").await;
    train(&app).await;
    let seed = &rock[0];
    let radio = |offset: usize, limit: usize| {
        app.url(&format!("/api/v1/radio?seed=track:{}&offset={offset}&limit={limit}", seed["id"]))
    };

    let first = get(&listener, radio(0, 10)).await;
    assert_eq!(first["next_offset"], 10);
    assert!(first["title"].as_str().unwrap().ends_with(" Radio"), "{first}");
    let tracks: Vec<Value> = first["items"].as_array().unwrap().iter().map(|item| item["track"].clone()).collect();
    assert_eq!(tracks.len(), 10);
    assert!(tracks.iter().all(|track| track["id"] != seed["id"]), "the seed never plays: {first}");
    assert!(share_of(&tracks[..6], "Rock") >= 0.8, "radio stays near its seed: {first}");
    let seed_artist = &seed["artists"][0]["name"];
    assert!(tracks[..4].iter().any(|track| &track["artists"][0]["name"] == seed_artist), "{first}");
    assert_eq!(first["items"][0]["reason"]["kind"], "radio");

    // Far past the station's end there is still music, and still never the seed.
    let later = get(&listener, radio(5_000, 25)).await;
    let later_tracks = later["items"].as_array().unwrap();
    assert_eq!(later_tracks.len(), 25, "{later}");
    assert!(later_tracks.iter().all(|item| item["track"]["id"] != seed["id"]));

    for (query, code) in [
        ("seed=song:1", "invalid_seed"),
        ("seed=track:abc", "invalid_seed"),
        ("seed=track:1&limit=0", "invalid_limit"),
        ("seed=track:1&limit=101", "invalid_limit"),
    ] {
        let response = listener.get(app.url(&format!("/api/v1/radio?{query}"))).send().await.unwrap();
        let status = response.status();
        assert_error(status, &response.json().await.unwrap(), StatusCode::BAD_REQUEST, code);
    }
    let response = listener.get(app.url("/api/v1/radio?seed=track:999999")).send().await.unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::NOT_FOUND, "not_found");
    app.stop().await;
}

async fn free_listeners_are_never_offered_premium_only_albums(engine: Engine) {
    let app = spawn_genre_app(&engine).await;
    let jazz = tracks_of(&app, "Jazz").await;
    let premium_album = jazz[0]["album"]["id"].clone();
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/admin/albums/{premium_album}")))
        .json(&json!({"premium_only": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let free = app.client_as("free").await;
    let premium = app.client_as("premium").await;
    let others: Vec<Value> = jazz.iter().filter(|track| track["album"]["id"] != premium_album).cloned().collect();
    listen(&app, &free, &others[..4], "free").await;
    listen(&app, &premium, &jazz, "premium").await;
    train(&app).await;

    let offered = |body: &Value, path: &str| -> Vec<Value> {
        body.pointer(path).and_then(Value::as_array).cloned().unwrap_or_default()
    };
    let mut seen = Vec::new();
    for mix in offered(&get(&free, app.url("/api/v1/me/mixes")).await, "/items") {
        let mix = get(&free, app.url(&format!("/api/v1/me/mixes/{}", mix["id"].as_str().unwrap()))).await;
        seen.extend(offered(&mix, "/tracks"));
    }
    seen.extend(offered(&get(&free, app.url("/api/v1/me/discover")).await, "/items"));
    let radio = format!("/api/v1/radio?seed=track:{}&limit=100", others[0]["id"]);
    seen.extend(offered(&get(&free, app.url(&radio)).await, "/items"));
    assert!(seen.len() > 20, "the free listener was offered plenty");
    assert!(
        seen.iter().all(|item| item["track"]["album"]["id"] != premium_album),
        "a Premium-only album offered to a free listener"
    );
    let premium_radio = offered(&get(&premium, app.url(&radio)).await, "/items");
    assert!(premium_radio.iter().any(|item| item["track"]["album"]["id"] == premium_album), "Premium listeners get it");
    app.stop().await;
}

async fn removed_tracks_never_come_back(engine: Engine) {
    let app = spawn_genre_app(&engine).await;
    let jazz = tracks_of(&app, "Jazz").await;
    let listener = app.client_as("premium").await;
    listen(&app, &listener, &jazz[..3], "premium").await;
    train(&app).await;
    // Removed after training: the served model still knows the track, the catalog does not.
    let removed = jazz.iter().find(|track| track["title"] == "Jazz 1 song 4").unwrap().clone();
    std::fs::remove_file(app.library_path("Genres/Jazz Artist 1/04 Jazz 1 song 4.mp3")).unwrap();
    app.scanner.scan().await.expect("rescan");

    let mut seen = Vec::new();
    for mix in get(&listener, app.url("/api/v1/me/mixes")).await["items"].as_array().unwrap() {
        let mix = get(&listener, app.url(&format!("/api/v1/me/mixes/{}", mix["id"].as_str().unwrap()))).await;
        seen.extend(mix_tracks(&mix));
    }
    let radio = get(&listener, app.url(&format!("/api/v1/radio?seed=track:{}&limit=100", jazz[0]["id"]))).await;
    seen.extend(radio["items"].as_array().unwrap().iter().map(|item| item["track"].clone()));
    assert!(seen.len() > 10);
    assert!(seen.iter().all(|track| track["id"] != removed["id"]), "a removed track was offered");
    app.stop().await;
}

async fn a_newcomer_gets_the_picker_and_a_popular_mix_then_picks_shape_the_mixes(engine: Engine) {
    let app = spawn_genre_app(&engine).await;
    let newcomer = app.client_as("free").await;
    let picker = get(&newcomer, app.url("/api/v1/me/taste-picker")).await;
    assert_eq!(picker["show"], true, "{picker}");
    let artists = picker["artists"].as_array().unwrap();
    let names: Vec<&str> = artists.iter().map(|artist| artist["name"].as_str().unwrap()).collect();
    for genre in GENRES {
        assert!(names.iter().take(8).any(|name| name.starts_with(genre)), "every genre early in the picker: {names:?}");
    }

    let home = get(&newcomer, app.url("/api/v1/home")).await;
    let made_for_you = home["sections"].as_array().unwrap().iter().find(|s| s["id"] == "made_for_you");
    let made_for_you = made_for_you.unwrap_or_else(|| panic!("a newcomer's Home has a mix: {home}"));
    assert_eq!(made_for_you["items"][0]["id"], "popular");
    assert!(made_for_you["items"][0]["track_count"].as_u64().unwrap() >= 10);

    // Picking three rock artists: the picker goes away and the mixes turn to rock at once.
    let rock: Vec<&Value> =
        artists.iter().filter(|artist| artist["name"].as_str().unwrap().starts_with("Rock")).collect();
    for artist in rock.iter().take(3) {
        let response =
            newcomer.put(app.url(&format!("/api/v1/me/likes/artists/{}", artist["id"]))).send().await.unwrap();
        assert!(response.status().is_success());
    }
    assert_eq!(get(&newcomer, app.url("/api/v1/me/taste-picker")).await["show"], false);
    let mixes = get(&newcomer, app.url("/api/v1/me/mixes")).await;
    assert_eq!(mixes["items"][0]["title"], "Rock Mix", "{mixes}");
    app.stop().await;
}

async fn fans_also_like_artists_of_the_same_genre(engine: Engine) {
    let app = spawn_genre_app(&engine).await;
    let electronic = tracks_of(&app, "Electronic").await;
    let listener = app.client_as("premium").await;
    listen(&app, &listener, &electronic, "premium").await;
    train(&app).await;
    let artist = &electronic[0]["artists"][0];
    let related = get(&listener, app.url(&format!("/api/v1/artists/{}/related", artist["id"]))).await;
    let names: Vec<&str> = related["items"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert!(names.len() >= 2, "{related}");
    assert!(!names.contains(&artist["name"].as_str().unwrap()), "an artist is not their own fan");
    assert!(names[..2].iter().all(|name| name.starts_with("Electronic")), "{names:?}");
    let response = listener.get(app.url("/api/v1/artists/999999/related")).send().await.unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::NOT_FOUND, "not_found");
    app.stop().await;
}
