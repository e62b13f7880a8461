//! Playlists: ordered entries with duplicates, versioned edits that tell the loser of a
//! race, private playlists invisible to others, public ones read and followed by all.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    Engine, OwnedRequest, TestApp, assert_error, assert_only_the_owner_reaches, on_every_engine, spawn_app,
    spawn_scanned_app,
};

on_every_engine!(
    playlists_keep_their_order_through_adds_moves_and_removals,
    concurrent_edits_end_consistent_and_the_loser_is_told,
    private_playlists_are_invisible_and_public_ones_are_read_only_to_others,
    a_playlist_shows_its_first_album_cover_or_a_mosaic_of_four,
    a_database_failure_is_an_internal_error_never_a_missing_playlist,
);

async fn send(client: &reqwest::Client, request: reqwest::RequestBuilder) -> (StatusCode, Value, Option<String>) {
    let response = client.execute(request.build().unwrap()).await.unwrap();
    let status = response.status();
    let etag = response.headers().get("etag").map(|value| value.to_str().unwrap().to_owned());
    (status, response.json().await.unwrap_or(Value::Null), etag)
}

async fn create(app: &TestApp, client: &reqwest::Client, body: Value) -> (i64, String) {
    let (status, playlist, etag) = send(client, client.post(app.url("/api/v1/playlists")).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{playlist}");
    (playlist["id"].as_i64().unwrap(), etag.unwrap())
}

async fn detail(app: &TestApp, client: &reqwest::Client, id: i64) -> (Value, String) {
    let (status, playlist, etag) = send(client, client.get(app.url(&format!("/api/v1/playlists/{id}")))).await;
    assert_eq!(status, StatusCode::OK, "{playlist}");
    (playlist, etag.unwrap())
}

fn titles(playlist: &Value) -> Vec<String> {
    playlist["entries"].as_array().unwrap().iter().map(|e| e["track"]["title"].as_str().unwrap().to_owned()).collect()
}

fn entry_ids(playlist: &Value) -> Vec<i64> {
    playlist["entries"].as_array().unwrap().iter().map(|e| e["entry_id"].as_i64().unwrap()).collect()
}

async fn playlists_keep_their_order_through_adds_moves_and_removals(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let owner = app.client_as("free").await;
    let (polar, solar, sunny) = (
        app.track_by_title("Polar Night").await,
        app.track_by_title("Solar Wind").await,
        app.track_by_title("Sunny").await,
    );
    let (id, etag) = create(&app, &owner, json!({"name": "  Road trip  ", "description": "for the car"})).await;
    assert_eq!(etag, "\"v1\"");

    let add = |ids: Vec<&Value>, position: Option<usize>| {
        owner
            .post(app.url(&format!("/api/v1/playlists/{id}/tracks")))
            .json(&json!({"track_ids": ids, "position": position}))
    };
    let (status, summary, etag) = send(&owner, add(vec![&polar["id"], &solar["id"], &polar["id"]], None)).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!((summary["track_count"].as_i64(), etag.as_deref()), (Some(3), Some("\"v2\"")));
    send(&owner, add(vec![&sunny["id"]], Some(1))).await;
    let (playlist, _) = detail(&app, &owner, id).await;
    assert_eq!(playlist["name"], "Road trip");
    assert_eq!(titles(&playlist), ["Polar Night", "Sunny", "Solar Wind", "Polar Night"]);

    let entries = entry_ids(&playlist);
    let moved = owner
        .put(app.url(&format!("/api/v1/playlists/{id}/entries/{}/position", entries[3])))
        .json(&json!({"position": 0}));
    assert_eq!(send(&owner, moved).await.0, StatusCode::OK);
    let removed = owner.delete(app.url(&format!("/api/v1/playlists/{id}/entries/{}", entries[0])));
    assert_eq!(send(&owner, removed).await.0, StatusCode::OK);
    let (playlist, etag) = detail(&app, &owner, id).await;
    assert_eq!(titles(&playlist), ["Polar Night", "Sunny", "Solar Wind"], "the other copy stays");
    assert_eq!(entry_ids(&playlist)[0], entries[3]);
    assert_eq!(etag, "\"v5\"");

    let (status, body, _) = send(&owner, add(vec![&json!(999_999)], None)).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "unknown_track");
    let (status, body, _) =
        send(&owner, owner.patch(app.url(&format!("/api/v1/playlists/{id}"))).json(&json!({"name": " "}))).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_name");
    let gone = owner.delete(app.url(&format!("/api/v1/playlists/{id}/entries/123456789")));
    assert_eq!(send(&owner, gone).await.0, StatusCode::NOT_FOUND);
    assert_eq!(detail(&app, &owner, id).await.1, "\"v5\"", "refused edits change nothing, not even the version");

    let renamed =
        owner.patch(app.url(&format!("/api/v1/playlists/{id}"))).json(&json!({"name": "Night drive", "public": true}));
    let (status, summary, _) = send(&owner, renamed).await;
    assert_eq!(
        (status, summary["name"].as_str(), summary["public"].as_bool()),
        (StatusCode::OK, Some("Night drive"), Some(true))
    );
    let (_, mine, _) = send(&owner, owner.get(app.url("/api/v1/me/playlists"))).await;
    assert_eq!(mine["items"][0]["name"], "Night drive");
    assert_eq!(send(&owner, owner.delete(app.url(&format!("/api/v1/playlists/{id}")))).await.0, StatusCode::NO_CONTENT);
    assert_eq!(send(&owner, owner.get(app.url(&format!("/api/v1/playlists/{id}")))).await.0, StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn concurrent_edits_end_consistent_and_the_loser_is_told(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (phone, laptop) = (app.client_as("premium").await, app.client_as("premium").await);
    let tracks: Vec<Value> = tracks_titled(&app, &["Polar Night", "Solar Wind", "Sunny"]).await;
    let (id, _) = create(&app, &phone, json!({"name": "Shared"})).await;
    let ids: Vec<&Value> = tracks.iter().map(|track| &track["id"]).collect();
    send(&phone, phone.post(app.url(&format!("/api/v1/playlists/{id}/tracks"))).json(&json!({"track_ids": ids}))).await;
    let (playlist, version) = detail(&app, &phone, id).await;
    let entries = entry_ids(&playlist);

    // Both devices edit the same version at the same moment.
    let phone_move = phone
        .put(app.url(&format!("/api/v1/playlists/{id}/entries/{}/position", entries[0])))
        .header("If-Match", &version)
        .json(&json!({"position": 2}));
    let laptop_remove =
        laptop.delete(app.url(&format!("/api/v1/playlists/{id}/entries/{}", entries[1]))).header("If-Match", &version);
    let (phone_result, laptop_result) = tokio::join!(send(&phone, phone_move), send(&laptop, laptop_remove));
    let mut statuses = [phone_result.0, laptop_result.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "exactly one edit wins");
    let loser = if phone_result.0 == StatusCode::PRECONDITION_FAILED { &phone_result.1 } else { &laptop_result.1 };
    assert_error(StatusCode::PRECONDITION_FAILED, loser, StatusCode::PRECONDITION_FAILED, "playlist_changed");

    let (after, current) = detail(&app, &laptop, id).await;
    let expected = if phone_result.0 == StatusCode::OK {
        vec!["Solar Wind", "Sunny", "Polar Night"]
    } else {
        vec!["Polar Night", "Sunny"]
    };
    assert_eq!(titles(&after), expected, "the winner's edit, whole");
    assert_eq!(current, "\"v3\"");

    // The loser reloads and applies its edit to the new version.
    let rename = laptop
        .patch(app.url(&format!("/api/v1/playlists/{id}")))
        .header("If-Match", &current)
        .json(&json!({"name": "Ours"}));
    assert_eq!(send(&laptop, rename).await.0, StatusCode::OK);
    let stale = phone
        .patch(app.url(&format!("/api/v1/playlists/{id}")))
        .header("If-Match", &version)
        .json(&json!({"name": "Mine"}));
    let (status, body, _) = send(&phone, stale).await;
    assert_error(status, &body, StatusCode::PRECONDITION_FAILED, "playlist_changed");
    app.stop().await;
}

async fn tracks_titled(app: &TestApp, titles: &[&str]) -> Vec<Value> {
    let mut tracks = Vec::new();
    for title in titles {
        tracks.push(app.track_by_title(title).await);
    }
    tracks
}

async fn private_playlists_are_invisible_and_public_ones_are_read_only_to_others(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (owner, other) = (app.client_as("free").await, app.client_as("premium").await);
    let track = app.track_by_title("Polar Night").await;
    let (id, _) = create(&app, &owner, json!({"name": "Secret"})).await;
    send(
        &owner,
        owner.post(app.url(&format!("/api/v1/playlists/{id}/tracks"))).json(&json!({"track_ids": [track["id"]]})),
    )
    .await;
    let path = format!("/api/v1/playlists/{id}");
    let everything = |path: &str| {
        vec![
            OwnedRequest::new(Method::GET, path),
            OwnedRequest::new(Method::PATCH, path).with_body(json!({"name": "Mine now"})),
            OwnedRequest::new(Method::DELETE, path),
            OwnedRequest::new(Method::POST, format!("{path}/tracks")).with_body(json!({"track_ids": [track["id"]]})),
            OwnedRequest::new(Method::PUT, format!("{path}/followers/me")),
        ]
    };
    assert_only_the_owner_reaches(&app, &owner, &other, &path, &everything(&path)).await;
    let (status, body, _) = send(&other, other.get(app.url(&path))).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");

    let published = owner.patch(app.url(&path)).json(&json!({"public": true}));
    assert_eq!(send(&owner, published).await.0, StatusCode::OK);
    let (status, seen, _) = send(&other, other.get(app.url(&path))).await;
    assert_eq!(
        (status, seen["entries"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "public playlists are readable"
    );
    let writes: Vec<OwnedRequest> =
        everything(&path).into_iter().filter(|r| r.method != Method::GET && r.method != Method::PUT).collect();
    assert_only_the_owner_reaches(&app, &owner, &other, &path, &writes).await;
    let (status, body, _) = send(&other, other.patch(app.url(&path)).json(&json!({"name": "x"}))).await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "not_playlist_owner");

    assert_eq!(send(&other, other.put(app.url(&format!("{path}/followers/me")))).await.0, StatusCode::NO_CONTENT);
    let (_, followed, _) = send(&other, other.get(app.url("/api/v1/me/playlists"))).await;
    assert_eq!(followed["items"][0]["name"], "Secret");
    assert_eq!(followed["items"][0]["owner"]["username"], "free");
    let (status, body, _) = send(&owner, owner.put(app.url(&format!("{path}/followers/me")))).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "own_playlist");
    assert_eq!(send(&other, other.delete(app.url(&format!("{path}/followers/me")))).await.0, StatusCode::NO_CONTENT);
    let (_, after, _) = send(&other, other.get(app.url("/api/v1/me/playlists"))).await;
    assert_eq!(after["items"], json!([]));
    app.stop().await;
}

/// A plain-colour cover image beside an album's tracks.
fn write_folder_cover(app: &TestApp, album_folder: &str, color: [u8; 3]) {
    let image = image::RgbImage::from_pixel(240, 240, image::Rgb(color));
    image.save(app.library_path(album_folder).join("cover.png")).unwrap();
}

/// The mean colour of a square region of an image.
fn mean_color(image: &image::RgbImage, (x, y): (u32, u32), side: u32) -> [f64; 3] {
    let mut sum = [0.0; 3];
    for dy in 0..side {
        for dx in 0..side {
            let pixel = image.get_pixel(x + dx, y + dy).0;
            (0..3).for_each(|channel| sum[channel] += f64::from(pixel[channel]));
        }
    }
    sum.map(|total| total / f64::from(side * side))
}

async fn cover_image(app: &TestApp, cover: &Value, size: u32) -> image::RgbImage {
    let response =
        app.anonymous.get(app.url(&format!("/api/v1/covers/{}?size={size}", cover.as_str().unwrap()))).send();
    let response = response.await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "covers are public, mosaics too");
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    image::load_from_memory(&response.bytes().await.unwrap()).unwrap().into_rgb8()
}

async fn a_playlist_shows_its_first_album_cover_or_a_mosaic_of_four(engine: Engine) {
    let app = spawn_app(&engine).await;
    // With these, four albums have covers (two more are embedded or in the fixture's folder).
    write_folder_cover(&app, "Björk Ørsted/Ære", [20, 200, 60]);
    write_folder_cover(&app, "Duo/Together", [230, 220, 30]);
    app.scanner.scan().await.unwrap();
    let owner = app.client_as("free").await;
    let albums = tracks_titled(&app, &["Polar Night", "Solar Wind", "Île flottante", "Two Voices", "Framed"]).await;
    let (id, _) = create(&app, &owner, json!({"name": "Covers"})).await;
    assert_eq!(detail(&app, &owner, id).await.0["cover_id"], Value::Null, "an empty playlist has no cover");

    let add = |tracks: &[Value]| {
        let ids: Vec<&Value> = tracks.iter().map(|track| &track["id"]).collect();
        owner.post(app.url(&format!("/api/v1/playlists/{id}/tracks"))).json(&json!({"track_ids": ids}))
    };
    let (_, summary, _) = send(&owner, add(&albums[..2])).await;
    assert_eq!(summary["cover_id"], albums[0]["cover_id"], "one album: its cover");
    let (_, summary, _) = send(&owner, add(&albums[2..])).await;
    let mosaic = &summary["cover_id"];
    assert!(mosaic.is_string(), "{summary}");
    assert!(albums.iter().all(|track| &track["cover_id"] != mosaic), "four albums: a mosaic of their covers");
    assert_eq!(&detail(&app, &owner, id).await.0["cover_id"], mosaic);

    let whole = cover_image(&app, mosaic, 1200).await;
    assert_eq!(whole.dimensions(), (600, 600));
    let sources = [&albums[0], &albums[2], &albums[3], &albums[4]];
    for (quadrant, source) in sources.into_iter().enumerate() {
        let expected = mean_color(&cover_image(&app, &source["cover_id"], 300).await, (40, 40), 120);
        let corner = ((quadrant as u32 % 2) * 300 + 90, (quadrant as u32 / 2) * 300 + 90);
        let got = mean_color(&whole, corner, 120);
        let close = got.iter().zip(expected).all(|(got, expected)| (got - expected).abs() < 25.0);
        assert!(close, "quadrant {quadrant} of the mosaic is {got:?}, its album cover {expected:?}");
    }
    assert_eq!(cover_image(&app, mosaic, 64).await.dimensions(), (64, 64), "resized like album covers");

    // Taking out the first album leaves three: the cover of the new first one.
    let (playlist, _) = detail(&app, &owner, id).await;
    for entry in &entry_ids(&playlist)[..2] {
        send(&owner, owner.delete(app.url(&format!("/api/v1/playlists/{id}/entries/{entry}")))).await;
    }
    assert_eq!(detail(&app, &owner, id).await.0["cover_id"], albums[2]["cover_id"]);
    app.stop().await;
}

/// Runs one statement on the server's database behind its back.
async fn execute_behind_the_server(database_url: &str, statement: &'static str) {
    if database_url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(database_url).await.unwrap();
        sqlx::query(statement).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(database_url).await.unwrap();
        sqlx::query(statement).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

async fn a_database_failure_is_an_internal_error_never_a_missing_playlist(engine: Engine) {
    let app = spawn_app(&engine).await;
    let owner = app.client_as("free").await;
    let (id, _) = create(&app, &owner, json!({"name": "Kept"})).await;

    execute_behind_the_server(app.database_url(), "ALTER TABLE playlists RENAME TO playlists_away").await;
    let (status, body, _) = send(&owner, owner.get(app.url(&format!("/api/v1/playlists/{id}")))).await;
    assert_error(status, &body, StatusCode::INTERNAL_SERVER_ERROR, "internal");
    let (status, body, _) = send(&owner, owner.delete(app.url(&format!("/api/v1/playlists/{id}")))).await;
    assert_error(status, &body, StatusCode::INTERNAL_SERVER_ERROR, "internal");

    execute_behind_the_server(app.database_url(), "ALTER TABLE playlists_away RENAME TO playlists").await;
    let (playlist, _) = detail(&app, &owner, id).await;
    assert_eq!(playlist["name"], "Kept", "nothing was lost: {playlist}");
    app.stop().await;
}
