//! Playlists out to other players (M3U8, XSPF) and in from them (M3U8): the round trip
//! keeps the tracks, entries that match nothing are reported, and the files are well formed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_scanned_app};
use crate::search::wait_for_the_index;

on_every_engine!(
    an_exported_m3u8_imports_back_to_the_same_tracks,
    imports_match_by_artist_and_title_and_report_the_lines_that_matched_nothing,
    xspf_exports_are_well_formed_and_escaped,
    bad_imports_and_exports_are_refused_clearly,
);

/// A playlist of `titles` (in order) owned by `client`; returns its id.
async fn playlist_of(app: &TestApp, client: &reqwest::Client, name: &str, titles: &[&str]) -> i64 {
    let created: Value = client
        .post(app.url("/api/v1/playlists"))
        .json(&json!({"name": name}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for title in titles {
        ids.push(app.track_by_title(title).await["id"].clone());
    }
    let added = client.post(app.url(&format!("/api/v1/playlists/{id}/tracks"))).json(&json!({"track_ids": ids}));
    assert_eq!(added.send().await.unwrap().status(), StatusCode::OK);
    id
}

async fn export(app: &TestApp, client: &reqwest::Client, id: i64, format: &str) -> (StatusCode, String, String) {
    let response = client.get(app.url(&format!("/api/v1/playlists/{id}/export?format={format}"))).send().await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

async fn import(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let response = client
        .post(app.url(&format!("/api/v1/playlists/import{query}")))
        .header("content-type", "audio/x-mpegurl")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn titles_of(app: &TestApp, client: &reqwest::Client, id: &Value) -> Vec<String> {
    let playlist: Value =
        client.get(app.url(&format!("/api/v1/playlists/{id}"))).send().await.unwrap().json().await.unwrap();
    playlist["entries"].as_array().unwrap().iter().map(|e| e["track"]["title"].as_str().unwrap().to_owned()).collect()
}

async fn an_exported_m3u8_imports_back_to_the_same_tracks(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let owner = app.client_as("free").await;
    let titles = ["Polar Night", "Île flottante", "雨の音", "Polar Night", "Two Voices"];
    let id = playlist_of(&app, &owner, "Road trip", &titles).await;

    let (status, content_type, m3u8) = export(&app, &owner, id, "m3u8").await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "audio/x-mpegurl; charset=utf-8"));
    let lines: Vec<&str> = m3u8.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "#EXTM3U",
            "#PLAYLIST:Road trip",
            "#EXTINF:2,Aurora Lane - Polar Night",
            "Aurora Lane/Northern Lights/01 - Polar Night.mp3"
        ],
        "{m3u8}"
    );
    assert!(lines.contains(&"#EXTINF:2,Alice Aster, Bob Birch - Two Voices"), "{m3u8}");
    assert!(lines.contains(&"Björk Ørsted/Ære/01 - Île.flac"), "paths relative to the library root: {m3u8}");

    let (status, imported) = import(&app, &owner, "", m3u8).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    assert_eq!((imported["matched"].as_u64(), imported["unmatched"].clone()), (Some(5), json!([])), "{imported}");
    assert_eq!(imported["playlist"]["name"], "Road trip");
    assert_eq!(imported["playlist"]["public"], false);
    assert_eq!(titles_of(&app, &owner, &imported["playlist"]["id"]).await, titles, "the same tracks in the same order");
    app.stop().await;
}

async fn imports_match_by_artist_and_title_and_report_the_lines_that_matched_nothing(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    wait_for_the_index(&app).await;
    let owner = app.client_as("premium").await;
    let file = "#EXTM3U\n\
        #EXTINF:2,AURORA LANE - polar   night\n\
        /somewhere/else/Polar Night.mp3\n\
        #EXTINF:3,Bjork Orsted - ile flottante\n\
        C:\\Music\\Ile.flac\n\
        #EXTINF:1,Nobody - Nothing\n\
        missing/file.mp3\n\
        \n\
        ./Aurora Lane/Northern Lights/../Northern Lights/02 - Solar Wind.mp3\n\
        just/a/path.mp3\n";
    let (status, imported) = import(&app, &owner, "?name=From%20elsewhere", file).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    assert_eq!(imported["playlist"]["name"], "From elsewhere");
    assert_eq!(imported["matched"], 3, "{imported}");
    assert_eq!(
        imported["unmatched"],
        json!([
            {"line": 7, "location": "missing/file.mp3", "artist": "Nobody", "title": "Nothing"},
            {"line": 10, "location": "just/a/path.mp3", "artist": null, "title": null},
        ])
    );
    let titles = titles_of(&app, &owner, &imported["playlist"]["id"]).await;
    assert_eq!(titles, ["Polar Night", "Île flottante", "Solar Wind"]);
    app.stop().await;
}

async fn xspf_exports_are_well_formed_and_escaped(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let owner = app.client_as("free").await;
    let name = "Rock & <Roll> \"mix\" it's";
    let id = playlist_of(&app, &owner, name, &["Polar Night", "Île flottante", "🎸 قمر"]).await;
    let (status, content_type, xspf) = export(&app, &owner, id, "xspf").await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/xspf+xml; charset=utf-8"));
    assert!(xspf.contains("Rock &amp; &lt;Roll&gt; &quot;mix&quot; it&apos;s"), "{xspf}");

    let document = roxmltree::Document::parse(&xspf).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("playlist", Some("http://xspf.org/ns/0/")));
    let child = |node: roxmltree::Node<'_, '_>, tag: &str| {
        node.children()
            .find(|child| child.has_tag_name(tag))
            .and_then(|child| child.text())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(child(root, "title"), name, "the name survives escaping");
    let tracks: Vec<_> = root.descendants().filter(|node| node.has_tag_name("track")).collect();
    assert_eq!(tracks.len(), 3);
    assert_eq!(
        (child(tracks[0], "title"), child(tracks[0], "creator"), child(tracks[0], "album")),
        ("Polar Night".to_owned(), "Aurora Lane".to_owned(), "Northern Lights".to_owned())
    );
    assert!(child(tracks[0], "duration").parse::<u64>().unwrap().abs_diff(2000) < 200);
    let location = child(tracks[1], "location");
    assert!(location.is_ascii() && !location.contains(' '), "a URI reference: {location}");
    let decoded = percent_encoding::percent_decode_str(&location).decode_utf8().unwrap();
    assert_eq!(decoded, "Björk Ørsted/Ære/01 - Île.flac");
    assert_eq!(child(tracks[2], "title"), "🎸 قمر");
    app.stop().await;
}

async fn bad_imports_and_exports_are_refused_clearly(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (owner, other) = (app.client_as("free").await, app.client_as("premium").await);
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (vec![0xff, 0xfe, b'x'], StatusCode::BAD_REQUEST, "invalid_playlist_file"),
        (b"#EXTM3U\n# nothing here\n".to_vec(), StatusCode::BAD_REQUEST, "invalid_playlist_file"),
        ("a.mp3\n".repeat(10_001).into_bytes(), StatusCode::BAD_REQUEST, "playlist_full"),
        (vec![b'a'; 5 * 1024 * 1024], StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    ];
    for (body, status, code) in cases {
        let (got, error) = import(&app, &owner, "", body).await;
        assert_error(got, &error, status, code);
    }
    let (status, error) = import(&app, &owner, "?name=%20", "a.mp3\n").await;
    assert_error(status, &error, StatusCode::BAD_REQUEST, "invalid_name");
    let mine: Value = owner.get(app.url("/api/v1/me/playlists")).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["items"], json!([]), "a refused import creates nothing");

    let id = playlist_of(&app, &owner, "Private", &["Sunny"]).await;
    let (status, _, body) = export(&app, &owner, id, "pls").await;
    assert_error(status, &serde_json::from_str(&body).unwrap(), StatusCode::BAD_REQUEST, "invalid_format");
    let (status, _, body) = export(&app, &other, id, "m3u8").await;
    assert_error(status, &serde_json::from_str(&body).unwrap(), StatusCode::NOT_FOUND, "not_found");
    app.stop().await;
}
