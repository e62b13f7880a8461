use std::collections::HashSet;

use reqwest::StatusCode;
use tonearm_testkit::{AudioKind, BROKEN_FILES, add_track, fixture_tracks, retitle};

use crate::helpers::{Engine, on_every_engine, spawn_app, spawn_scanned_app};

on_every_engine!(
    scan_catalogues_every_format_with_its_tags,
    unicode_round_trips_unchanged,
    missing_tags_fall_back_to_folder_and_file_names,
    compilations_get_various_artists,
    bad_files_are_skipped_and_reported,
    rescan_follows_additions_changes_moves_and_deletions,
    unchanged_rescan_reads_nothing,
    repaired_file_leaves_the_issue_report,
);

async fn scan_catalogues_every_format_with_its_tags(engine: Engine) {
    let app = spawn_app(&engine).await;
    let report = app.scanner.scan().await.unwrap();
    let expected = fixture_tracks();
    assert_eq!(report.added as usize, expected.len());
    assert_eq!(report.failed.len(), BROKEN_FILES.len());

    let tracks = app.collect_all("/api/v1/tracks", "name", 100).await;
    assert_eq!(tracks.len(), expected.len());
    let formats: HashSet<&str> = tracks.iter().map(|track| track["format"].as_str().unwrap()).collect();
    let expected_formats: HashSet<&str> = AudioKind::ALL.iter().map(|kind| kind.catalog_format()).collect();
    assert_eq!(formats, expected_formats);

    for fixture in &expected {
        let track = tracks
            .iter()
            .find(|track| track["title"] == fixture.title)
            .unwrap_or_else(|| panic!("{} missing", fixture.title));
        let artists: Vec<&str> =
            track["artists"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(artists, fixture.artists, "artists of {}", fixture.title);
        assert_eq!(track["album"]["title"], fixture.album);
        assert_eq!(track["album_artist"]["name"], fixture.album_artist);
        assert_eq!(track["track_number"], fixture.track_number.unwrap());
        assert_eq!(track["format"], fixture.kind.catalog_format());
        let duration = track["duration_ms"].as_i64().unwrap();
        assert!((duration - (fixture.seconds * 1000.0) as i64).abs() < 150, "{} lasts {duration} ms", fixture.title);
    }

    let detail = app.track_by_title("Polar Night").await;
    let (status, detail) = app.get_json(&format!("/api/v1/tracks/{}", detail["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["year"], 2019);
    assert_eq!(detail["sample_rate_hz"], 44100);
    assert_eq!(detail["channels"], 2);
    assert_eq!(detail["genres"][0]["name"], "Ambient");
    assert_eq!(detail["musicbrainz"]["recording_id"], "8f3471b5-7e6a-48da-86a9-c1c07a0f47ae");
    assert_eq!(detail["replay_gain"]["track_gain_db"], -6.5);
    assert!(detail["bitrate_kbps"].as_i64().unwrap() > 0);
    assert!(detail["cover_id"].is_string(), "embedded cover art is catalogued");
    app.stop().await;
}

async fn unicode_round_trips_unchanged(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    for (title, artist, album, genre) in [
        ("Île flottante", "Björk Ørsted", "Ære", "Électronique"),
        ("雨の音", "坂本 龍", "東京の夜", "J-Pop"),
        ("🎸 قمر", "فيروز", "أغاني", "طرب"),
    ] {
        let track = app.track_by_title(title).await;
        assert_eq!(track["artists"][0]["name"], artist);
        assert_eq!(track["album"]["title"], album);
        let (_, detail) = app.get_json(&format!("/api/v1/tracks/{}", track["id"])).await;
        assert_eq!(detail["genres"][0]["name"], genre);
    }
    app.stop().await;
}

async fn missing_tags_fall_back_to_folder_and_file_names(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let track = app.track_by_title("Nameless Song").await;
    assert_eq!(track["artists"][0]["name"], "Fallback Artist");
    assert_eq!(track["album"]["title"], "Fallback Album");
    assert_eq!(track["track_number"], 7);
    let tracks = app.collect_all("/api/v1/tracks", "name", 100).await;
    for track in tracks {
        for field in
            [&track["title"], &track["album"]["title"], &track["album_artist"]["name"], &track["artists"][0]["name"]]
        {
            assert!(field.as_str().is_some_and(|text| !text.trim().is_empty()), "blank field in {track}");
        }
    }
    app.stop().await;
}

async fn compilations_get_various_artists(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let albums = app.collect_all("/api/v1/albums", "name", 100).await;
    let hits: Vec<_> = albums.iter().filter(|album| album["title"] == "Summer Hits").collect();
    assert_eq!(hits.len(), 1, "one compilation album, not one per artist");
    assert_eq!(hits[0]["artist"]["name"], "Various Artists");
    assert_eq!(hits[0]["is_compilation"], true);
    assert_eq!(hits[0]["track_count"], 2);
    app.stop().await;
}

async fn bad_files_are_skipped_and_reported(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (status, issues) = app.get_json("/api/v1/admin/scan/issues").await;
    assert_eq!(status, StatusCode::OK);
    let issues = issues["items"].as_array().unwrap();
    assert_eq!(issues.len(), BROKEN_FILES.len(), "{issues:#?}");
    for (relative, reason) in BROKEN_FILES {
        let path = app.library_path(relative);
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        let issue = issues
            .iter()
            .find(|issue| issue["path"] == path.to_str().unwrap())
            .unwrap_or_else(|| panic!("{relative} not reported in {issues:#?}"));
        assert_eq!(issue["reason"], reason, "{relative}");
        assert!(!issue["detail"].as_str().unwrap().is_empty());
    }
    let (_, status) = app.get_json("/api/v1/admin/scan").await;
    assert_eq!(status["last_report"]["failed"].as_array().unwrap().len(), BROKEN_FILES.len());
    app.stop().await;
}

async fn rescan_follows_additions_changes_moves_and_deletions(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let moved_before = app.track_by_title("Two Voices").await;
    let deleted = app.track_by_title("Solar Wind").await;
    let changed_before = app.track_by_title("Framed").await;

    let old_path = app.library_path("Duo/Together/01 - Two Voices.flac");
    let new_path = app.library_path("Duo/Renamed Folder/Two Voices (moved).flac");
    std::fs::create_dir_all(new_path.parent().unwrap()).unwrap();
    std::fs::rename(&old_path, &new_path).unwrap();
    std::fs::remove_file(app.library_path("Aurora Lane/Northern Lights/02 - Solar Wind.mp3")).unwrap();
    retitle(&app.library_path("Aurora Lane/Folder Art/01 - Framed.flac"), "Framed (Remastered)");
    add_track(
        &app.library_path("Newcomer/First Light/01 - Hello.flac"),
        AudioKind::Flac,
        "Hello",
        &["Newcomer"],
        "First Light",
        1.5,
    );

    let report = app.scanner.scan().await.unwrap();
    assert_eq!((report.added, report.updated, report.moved, report.removed), (1, 1, 1, 1), "{report:?}");

    let moved_after = app.track_by_title("Two Voices").await;
    assert_eq!(moved_after["id"], moved_before["id"], "a moved file keeps its identity");
    let (status, _) = app.get_json(&format!("/api/v1/tracks/{}", deleted["id"])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let changed_after = app.track_by_title("Framed (Remastered)").await;
    assert_eq!(changed_after["id"], changed_before["id"], "an edited file keeps its identity");
    let added = app.track_by_title("Hello").await;
    assert_eq!(added["artists"][0]["name"], "Newcomer");

    let moved_stream = app.get(&format!("/api/v1/tracks/{}/stream", moved_after["id"])).await;
    assert_eq!(moved_stream.status(), StatusCode::OK);
    assert_eq!(moved_stream.bytes().await.unwrap().as_ref(), std::fs::read(&new_path).unwrap().as_slice());
    app.stop().await;
}

async fn unchanged_rescan_reads_nothing(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let before = app.collect_all("/api/v1/tracks", "name", 100).await;
    let report = app.scanner.scan().await.unwrap();
    assert_eq!(report.unchanged as usize, before.len());
    assert_eq!((report.added, report.updated, report.moved, report.removed), (0, 0, 0, 0));
    assert_eq!(app.collect_all("/api/v1/tracks", "name", 100).await, before);
    app.stop().await;
}

async fn repaired_file_leaves_the_issue_report(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let broken = app.library_path("Broken/garbage.flac");
    std::fs::remove_file(&broken).unwrap();
    add_track(&broken, AudioKind::Flac, "Repaired", &["Fixer"], "Second Chances", 1.0);
    let report = app.scanner.scan().await.unwrap();
    assert_eq!(report.added, 1);
    let (_, issues) = app.get_json("/api/v1/admin/scan/issues").await;
    let paths: Vec<&str> =
        issues["items"].as_array().unwrap().iter().map(|issue| issue["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), BROKEN_FILES.len() - 1);
    assert!(!paths.iter().any(|path| path.ends_with("garbage.flac")));
    app.track_by_title("Repaired").await;
    app.stop().await;
}
