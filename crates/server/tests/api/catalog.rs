use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Engine, assert_error, on_every_engine, spawn_scanned_app};

on_every_engine!(
    pagination_has_no_duplicates_or_gaps_in_every_order,
    sort_orders_are_what_they_say,
    artist_album_and_track_link_to_each_other,
    genres_list_their_albums,
    errors_have_one_shape_and_the_right_status,
);

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|item| item["id"].as_i64().unwrap()).collect()
}

async fn pagination_has_no_duplicates_or_gaps_in_every_order(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    for (list, sorts) in [
        ("/api/v1/tracks", &["name", "date_added", "year"][..]),
        ("/api/v1/albums", &["name", "date_added", "year"][..]),
        ("/api/v1/artists", &["name", "date_added"][..]),
        ("/api/v1/genres", &["name"][..]),
    ] {
        let everything = ids(&app.collect_all(list, "name", 500).await);
        assert!(!everything.is_empty());
        for sort in sorts {
            for page_size in [1, 2, 3, 5] {
                let paged = ids(&app.collect_all(list, sort, page_size).await);
                let unique: HashSet<i64> = paged.iter().copied().collect();
                assert_eq!(unique.len(), paged.len(), "duplicates in {list} by {sort} in pages of {page_size}");
                assert_eq!(
                    unique,
                    everything.iter().copied().collect(),
                    "gaps in {list} by {sort} in pages of {page_size}"
                );
            }
        }
    }
    app.stop().await;
}

async fn sort_orders_are_what_they_say(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let by_name = app.collect_all("/api/v1/artists", "name", 2).await;
    let names: Vec<String> = by_name
        .iter()
        .map(|artist| artist["name"].as_str().unwrap().to_lowercase().trim_start_matches("the ").to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let albums = app.collect_all("/api/v1/albums", "year", 2).await;
    let years: Vec<i64> = albums.iter().map(|album| album["year"].as_i64().unwrap_or(0)).collect();
    assert!(years.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {years:?}");

    let added = app.collect_all("/api/v1/tracks", "date_added", 2).await;
    let stamps: Vec<i64> = added.iter().map(|track| track["added_at"].as_i64().unwrap()).collect();
    assert!(stamps.windows(2).all(|pair| pair[0] >= pair[1]), "newest first: {stamps:?}");
    app.stop().await;
}

async fn artist_album_and_track_link_to_each_other(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let track = app.track_by_title("Magnetosphere").await;
    let artist_id = &track["album_artist"]["id"];
    let (status, artist) = app.get_json(&format!("/api/v1/artists/{artist_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(artist["name"], "Aurora Lane");
    let album_titles: HashSet<&str> =
        artist["albums"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(album_titles, HashSet::from(["Northern Lights", "Folder Art"]));

    let (status, album) = app.get_json(&format!("/api/v1/albums/{}", track["album"]["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(album["title"], "Northern Lights");
    assert_eq!(album["artist"]["id"], *artist_id);
    let numbers: Vec<i64> =
        album["tracks"].as_array().unwrap().iter().map(|t| t["track_number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);
    assert_eq!(album["track_count"], 4);
    let total: i64 = album["tracks"].as_array().unwrap().iter().map(|t| t["duration_ms"].as_i64().unwrap()).sum();
    assert_eq!(album["duration_ms"], total);
    assert_eq!(album["genres"][0]["name"], "Ambient");

    // A featured artist lists the album they appear on, not as their own.
    let duet = app.track_by_title("Two Voices").await;
    let bob = duet["artists"].as_array().unwrap().iter().find(|a| a["name"] == "Bob Birch").unwrap();
    let (_, bob) = app.get_json(&format!("/api/v1/artists/{}", bob["id"])).await;
    assert_eq!(bob["albums"].as_array().unwrap().len(), 0);
    assert_eq!(bob["appears_on"][0]["title"], "Together");
    assert_eq!(bob["track_count"], 1);
    app.stop().await;
}

async fn genres_list_their_albums(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let genres = app.collect_all("/api/v1/genres", "name", 100).await;
    let pop = genres.iter().find(|genre| genre["name"] == "Pop").expect("Pop genre");
    assert_eq!(pop["track_count"], 2);
    assert_eq!(pop["album_count"], 1);
    let (status, detail) = app.get_json(&format!("/api/v1/genres/{}", pop["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["albums"][0]["title"], "Summer Hits");
    app.stop().await;
}

async fn errors_have_one_shape_and_the_right_status(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    for (path, status, code) in [
        ("/api/v1/tracks/999999999", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/albums/999999999", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/artists/999999999", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/genres/999999999", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/tracks/999999999/stream", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/tracks/not-a-number", StatusCode::BAD_REQUEST, "invalid_path"),
        ("/api/v1/tracks?limit=0", StatusCode::BAD_REQUEST, "invalid_limit"),
        ("/api/v1/tracks?limit=100000", StatusCode::BAD_REQUEST, "invalid_limit"),
        ("/api/v1/tracks?limit=many", StatusCode::BAD_REQUEST, "invalid_query"),
        ("/api/v1/tracks?sort=loudness", StatusCode::BAD_REQUEST, "invalid_sort"),
        ("/api/v1/genres?sort=year", StatusCode::BAD_REQUEST, "invalid_sort"),
        ("/api/v1/tracks?cursor=bm90IGEgY3Vyc29y", StatusCode::BAD_REQUEST, "invalid_cursor"),
        ("/api/v1/no-such-thing", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (actual_status, body) = app.get_json(path).await;
        assert_error(actual_status, &body, status, code);
    }
    // A cursor from one order cannot continue another.
    let (_, page) = app.get_json("/api/v1/tracks?sort=name&limit=1").await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let (status, body) = app.get_json(&format!("/api/v1/tracks?sort=year&cursor={cursor}")).await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_cursor");
    app.stop().await;
}
