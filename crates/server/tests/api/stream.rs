use reqwest::header::{
    ACCEPT_ENCODING, ACCEPT_RANGES, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG,
    IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, LAST_MODIFIED, RANGE,
};
use reqwest::{StatusCode, Version};
use tonearm_testkit::{AudioKind, add_track, fixture_tracks};

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_app, spawn_scanned_app};

on_every_engine!(
    full_stream_is_the_file_with_its_media_type,
    every_range_form_returns_the_right_bytes,
    unsatisfiable_ranges_get_416,
    head_answers_like_get_without_a_body,
    conditional_requests_revalidate,
    audio_is_never_compressed,
    a_missing_file_is_reported_not_served,
    a_file_replaced_or_rewritten_is_served_anew,
    a_file_that_shrinks_mid_stream_ends_the_response_not_the_server,
    http2_serves_whole_files_and_ranges,
);

const EXPECTED_TYPES: [(&str, &str); 7] = [
    ("mp3", "audio/mpeg"),
    ("aac", "audio/mp4"),
    ("alac", "audio/mp4"),
    ("flac", "audio/flac"),
    ("vorbis", "audio/ogg"),
    ("opus", "audio/ogg"),
    ("wav", "audio/wav"),
];

/// The stream URL and file bytes of the fixture track with this title.
async fn stream_of(app: &TestApp, title: &str) -> (String, Vec<u8>) {
    let track = app.track_by_title(title).await;
    let fixture = fixture_tracks().into_iter().find(|fixture| fixture.title == title).unwrap();
    (format!("/api/v1/tracks/{}/stream", track["id"]), std::fs::read(app.library_path(fixture.relative_path)).unwrap())
}

async fn full_stream_is_the_file_with_its_media_type(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    for fixture in fixture_tracks() {
        let (url, bytes) = stream_of(&app, fixture.title).await;
        let response = app.get(&url).await;
        assert_eq!(response.status(), StatusCode::OK);
        let expected_type =
            EXPECTED_TYPES.iter().find(|(format, _)| *format == fixture.kind.catalog_format()).unwrap().1;
        assert_eq!(response.headers()[CONTENT_TYPE], expected_type, "{}", fixture.title);
        assert_eq!(response.headers()[ACCEPT_RANGES], "bytes");
        assert_eq!(response.headers()[CONTENT_LENGTH], bytes.len().to_string().as_str());
        assert!(response.headers().contains_key(ETAG) && response.headers().contains_key(LAST_MODIFIED));
        assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice(), "{}", fixture.title);
    }
    app.stop().await;
}

async fn every_range_form_returns_the_right_bytes(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, bytes) = stream_of(&app, "Two Voices").await;
    let length = bytes.len();
    for (range, start, end) in [
        ("bytes=0-0".to_owned(), 0, 0),
        ("bytes=100-1123".to_owned(), 100, 1123),
        (format!("bytes={}-", length - 500), length - 500, length - 1),
        ("bytes=-700".to_owned(), length - 700, length - 1),
        (format!("bytes=1000-{}", length * 2), 1000, length - 1),
        (format!("bytes=-{}", length * 3), 0, length - 1),
    ] {
        let response = app.client.get(app.url(&url)).header(RANGE, &range).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(response.headers()[CONTENT_RANGE], format!("bytes {start}-{end}/{length}").as_str(), "{range}");
        assert_eq!(response.headers()[CONTENT_LENGTH], (end - start + 1).to_string().as_str());
        assert_eq!(response.bytes().await.unwrap().as_ref(), &bytes[start..=end], "{range}");
    }
    // Malformed ranges and multi-range requests get the whole file (RFC 9110 §14.2).
    for range in ["bytes=abc", "bytes=5-1", "bytes=0-1,5-9", "lines=1-2"] {
        let response = app.client.get(app.url(&url)).header(RANGE, range).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{range}");
        assert_eq!(response.bytes().await.unwrap().len(), length);
    }
    app.stop().await;
}

async fn unsatisfiable_ranges_get_416(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, bytes) = stream_of(&app, "Sunny").await;
    for range in [
        format!("bytes={}-", bytes.len()),
        format!("bytes={}-{}", bytes.len() + 10, bytes.len() + 20),
        "bytes=-0".to_owned(),
    ] {
        let response = app.client.get(app.url(&url)).header(RANGE, &range).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
        assert_eq!(response.headers()[CONTENT_RANGE], format!("bytes */{}", bytes.len()).as_str());
    }
    app.stop().await;
}

async fn head_answers_like_get_without_a_body(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, bytes) = stream_of(&app, "Magnetosphere").await;
    let head = app.client.head(app.url(&url)).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()[CONTENT_LENGTH], bytes.len().to_string().as_str());
    assert_eq!(head.headers()[CONTENT_TYPE], "audio/mp4");
    let etag = head.headers()[ETAG].clone();
    assert!(head.bytes().await.unwrap().is_empty());

    let ranged = app.client.head(app.url(&url)).header(RANGE, "bytes=10-19").send().await.unwrap();
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.headers()[CONTENT_RANGE], format!("bytes 10-19/{}", bytes.len()).as_str());
    assert_eq!(ranged.headers()[ETAG], etag);
    app.stop().await;
}

async fn conditional_requests_revalidate(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, bytes) = stream_of(&app, "Île flottante").await;
    let first = app.get(&url).await;
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
    let last_modified = first.headers()[LAST_MODIFIED].to_str().unwrap().to_owned();

    let not_modified = app.client.get(app.url(&url)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
    assert!(not_modified.bytes().await.unwrap().is_empty());
    let by_date = app.client.get(app.url(&url)).header(IF_MODIFIED_SINCE, &last_modified).send().await.unwrap();
    assert_eq!(by_date.status(), StatusCode::NOT_MODIFIED);
    let stale = app.client.get(app.url(&url)).header(IF_NONE_MATCH, "\"stale\"").send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::OK);

    // If-Range: the range applies while the validator matches, else the whole file comes.
    let resumed =
        app.client.get(app.url(&url)).header(RANGE, "bytes=50-99").header(IF_RANGE, &etag).send().await.unwrap();
    assert_eq!(resumed.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(resumed.bytes().await.unwrap().as_ref(), &bytes[50..100]);
    let changed =
        app.client.get(app.url(&url)).header(RANGE, "bytes=50-99").header(IF_RANGE, "\"stale\"").send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.bytes().await.unwrap().len(), bytes.len());
    app.stop().await;
}

async fn audio_is_never_compressed(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, bytes) = stream_of(&app, "Sunny").await;
    for range in [None, Some("bytes=0-4095")] {
        let mut request = app.client.get(app.url(&url)).header(ACCEPT_ENCODING, "br, gzip");
        if let Some(range) = range {
            request = request.header(RANGE, range);
        }
        let response = request.send().await.unwrap();
        assert!(response.headers().get(CONTENT_ENCODING).is_none(), "{range:?}");
        let body = response.bytes().await.unwrap();
        assert_eq!(body.as_ref(), &bytes[..body.len()]);
    }
    app.stop().await;
}

/// Also when the server held the file open for earlier requests of the same stream.
async fn a_missing_file_is_reported_not_served(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, _) = stream_of(&app, "Breeze").await;
    assert_eq!(app.get(&url).await.status(), StatusCode::OK);
    std::fs::remove_file(app.library_path("Various/Summer Hits/02 - Breeze.flac")).unwrap();
    let response = app.get(&url).await;
    let status = response.status();
    let body = response.json().await.unwrap();
    assert_error(status, &body, StatusCode::NOT_FOUND, "track_file_missing");
    app.stop().await;
}

/// The server holds a stream's file open between its range requests: a file rewritten in
/// place or replaced under its name (as tag editors save) is sent as it is now, not as held.
async fn a_file_replaced_or_rewritten_is_served_anew(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, original) = stream_of(&app, "Sunny").await;
    let path =
        app.library_path(fixture_tracks().into_iter().find(|fixture| fixture.title == "Sunny").unwrap().relative_path);
    let body = |response: reqwest::Response| async move { response.bytes().await.unwrap().to_vec() };
    assert_eq!(body(app.get(&url).await).await, original);

    let mut replaced = original.clone();
    replaced.extend_from_slice(b"appended tag block");
    let temporary = path.with_extension("saving");
    std::fs::write(&temporary, &replaced).unwrap();
    std::fs::rename(&temporary, &path).unwrap();
    assert_eq!(body(app.get(&url).await).await, replaced, "a new file under the name");

    let mut rewritten = original.clone();
    rewritten[0..4].copy_from_slice(b"XXXX");
    std::fs::write(&path, &rewritten).unwrap();
    let range = app.client.get(app.url(&url)).header(RANGE, "bytes=0-3").send().await.unwrap();
    assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(range.headers()[CONTENT_RANGE], format!("bytes 0-3/{}", rewritten.len()).as_str());
    assert_eq!(body(range).await, b"XXXX", "the same file rewritten in place");
    app.stop().await;
}

async fn a_file_that_shrinks_mid_stream_ends_the_response_not_the_server(engine: Engine) {
    let app = spawn_app(&engine).await;
    // 180 s of WAV is about 31 MB: more than loopback socket buffers hold, so most of it is
    // still unsent when the file shrinks.
    let long_take = app.library_path("Long/Take/01 - Long Take.wav");
    add_track(&long_take, AudioKind::Wav, "Long Take", &["Slow Band"], "Take", 180.0);
    let full_length = std::fs::metadata(&long_take).unwrap().len();
    app.scanner.scan().await.expect("scan succeeds");
    let track = app.track_by_title("Long Take").await;
    let url = app.url(&format!("/api/v1/tracks/{}/stream", track["id"]));

    // HTTP/1 bodies are sent from a memory map; HTTP/2 (cleartext, prior knowledge) must not
    // be, or its user-space copies of the mapping would fault once the file is shorter.
    for (client, version) in [(app.client.clone(), Version::HTTP_11), (app.http2_client().await, Version::HTTP_2)] {
        let bytes = std::fs::read(&long_take).unwrap();
        let mut stream = client.get(&url).send().await.unwrap();
        assert_eq!((stream.status(), stream.version()), (StatusCode::OK, version));
        let mut received = stream.chunk().await.unwrap().expect("a first chunk").len() as u64;
        std::fs::OpenOptions::new().write(true).open(&long_take).unwrap().set_len(1 << 20).unwrap();
        let ended = loop {
            match stream.chunk().await {
                Ok(Some(chunk)) => received += chunk.len() as u64,
                Ok(None) => break "the body ended",
                Err(_) => break "the connection failed",
            }
        };
        assert!(
            received < full_length,
            "{version:?}: {ended} after {received} of {full_length} bytes: the cut was not noticed"
        );

        let health = app.anonymous.get(app.url("/healthz")).send().await.expect("the server is still up");
        assert_eq!(health.status(), StatusCode::OK);
        std::fs::write(&long_take, bytes).unwrap();
    }
    app.stop().await;
}

async fn http2_serves_whole_files_and_ranges(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let (url, bytes) = stream_of(&app, "Two Voices").await;
    let client = app.http2_client().await;
    let whole = client.get(app.url(&url)).send().await.unwrap();
    assert_eq!((whole.status(), whole.version()), (StatusCode::OK, Version::HTTP_2));
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let range = client.get(app.url(&url)).header(RANGE, "bytes=1000-").send().await.unwrap();
    assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(range.bytes().await.unwrap().as_ref(), &bytes[1000..]);
    app.stop().await;
}
