//! Adaptive streaming over HTTP, checked by real tools: ffprobe and ffmpeg read the HLS and
//! DASH outputs, segments decrypt with the key endpoint's key (and not with another), keys
//! follow the tier, jobs are shared, and broken sources fail cleanly.

use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use serde_json::Value;
use tonearm_media::encryption::decrypt_segment;
use tonearm_testkit::{AudioKind, add_track, require_tool};

use crate::helpers::{Engine, TestApp, assert_error, on_every_engine, spawn_app};

on_every_engine!(
    ffprobe_reads_every_rendition_through_the_master_playlist,
    a_whole_rendition_decodes_to_the_source_duration,
    segments_decrypt_with_the_key_endpoints_key_only,
    keys_follow_the_tier,
    free_listeners_get_the_renditions_within_their_cap,
    public_files_are_immutable_and_addresses_cannot_be_forged,
    fifty_requests_for_a_cold_segment_run_one_encode,
    a_corrupt_source_answers_a_clear_error_once,
    dash_manifest_plays_through_signed_links,
    renditions_share_segment_boundaries,
    tracks_link_their_adaptive_streams,
    lossless_sources_get_a_flac_rung_for_premium_listeners,
    progressive_transcodes_play_in_every_format,
    progressive_bitrates_follow_the_tier_and_bad_requests_are_refused,
    tonearm_transcode_prebuilds_every_rendition_a_listener_then_reads,
    cached_segments_are_their_files_over_http1_and_http2,
);

/// 14 s at 44.1 kHz: three segments of about 6 s.
const LONG_SECONDS: f64 = 14.0;

/// A server whose library holds, besides the fixtures, a 14 s WAV ("Long Tone").
async fn app_with_long_track(engine: &Engine) -> (TestApp, i64) {
    require_tool("ffmpeg");
    let app = spawn_app(engine).await;
    add_track(
        &app.library_path("Long/Album/01 - Long Tone.wav"),
        AudioKind::Wav,
        "Long Tone",
        &["Tester"],
        "Long Album",
        LONG_SECONDS,
    );
    app.scanner.scan().await.expect("scan succeeds");
    let id = app.track_by_title("Long Tone").await["id"].as_i64().unwrap();
    (app, id)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn token_for(app: &TestApp, username: &str) -> String {
    crate::helpers::access_token(app.database_url(), username).await
}

/// The master playlist's URL for a listener, after the entry point's redirect.
async fn master_url(app: &TestApp, id: i64, token: &str) -> String {
    let response = no_redirects()
        .get(app.url(&format!("/api/v1/tracks/{id}/hls/master.m3u8")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    app.url(response.headers()[LOCATION].to_str().unwrap())
}

async fn text(app: &TestApp, url: &str) -> String {
    let response = app.anonymous.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.text().await.unwrap()
}

/// The media playlist URLs a master lists, in order.
fn variant_urls(app: &TestApp, master: &str) -> Vec<String> {
    master.lines().filter(|line| line.starts_with('/')).map(|line| app.url(line)).collect()
}

/// The URIs of a media playlist's segments.
fn segment_urls(app: &TestApp, playlist: &str) -> Vec<String> {
    playlist.lines().filter(|line| line.ends_with(".m4s")).map(|line| app.url(line)).collect()
}

fn init_url(app: &TestApp, playlist: &str) -> String {
    let line = playlist.lines().find(|line| line.starts_with("#EXT-X-MAP:URI=")).unwrap();
    app.url(line.trim_start_matches("#EXT-X-MAP:URI=").trim_matches('"'))
}

fn key_url(app: &TestApp, playlist: &str) -> String {
    let line = playlist.lines().find(|line| line.starts_with("#EXT-X-KEY:")).unwrap();
    let uri = line.split("URI=\"").nth(1).unwrap().split('"').next().unwrap();
    app.url(uri)
}

/// Runs a media tool off the runtime (the server runs on the same runtime).
async fn run(program: &'static str, args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || Command::new(program).args(&args).output().expect("tool runs")).await.unwrap()
}

/// ffmpeg arguments that decode `url` to mono 16-bit PCM at 44.1 kHz as a player presents
/// it: the edit list puts the encoder's priming before time 0, and players drop what lies
/// before 0 (MSE's append window); `-copyts` keeps those timestamps and `atrim=start=0` drops
/// the same samples, without the test knowing how many there are.
fn presented_pcm_args(token: &str, url: &str) -> Vec<String> {
    let mut args = ["-v", "error", "-headers", &auth_header(token)].map(str::to_owned).to_vec();
    args.extend(presented_pcm_of(url));
    args
}

/// The same, for a local file.
fn presented_pcm_of(input: &str) -> Vec<String> {
    ["-v", "error", "-copyts", "-i", input, "-af", "atrim=start=0", "-ac", "1", "-ar", "44100", "-f", "s16le", "-"]
        .map(str::to_owned)
        .to_vec()
}

fn auth_header(token: &str) -> String {
    format!("Authorization: Bearer {token}\r\n")
}

async fn ffprobe_reads_every_rendition_through_the_master_playlist(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let token = token_for(&app, "premium").await;
    let entry = app.url(&format!("/api/v1/tracks/{id}/hls/master.m3u8"));
    let output = run(
        "ffprobe",
        [
            "-v",
            "error",
            "-headers",
            &auth_header(&token),
            "-show_entries",
            "stream=codec_name,sample_rate,channels",
            "-of",
            "json",
            &entry,
        ]
        .map(str::to_owned)
        .to_vec(),
    )
    .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let probe: Value = serde_json::from_slice(&output.stdout).unwrap();
    let streams = probe["streams"].as_array().unwrap();
    let codecs: Vec<&str> = streams.iter().map(|stream| stream["codec_name"].as_str().unwrap()).collect();
    assert_eq!(codecs, ["aac", "aac", "aac", "aac", "flac"], "one audio stream per rendition: {probe}");
    assert!(streams.iter().all(|stream| stream["sample_rate"] == "44100"), "{probe}");
    app.stop().await;
}

async fn a_whole_rendition_decodes_to_the_source_duration(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let token = token_for(&app, "premium").await;
    let master = text(&app, &master_url(&app, id, &token).await).await;
    for playlist in variant_urls(&app, &master) {
        let output = run("ffmpeg", presented_pcm_args(&token, &playlist)).await;
        assert!(output.status.success(), "{playlist}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stderr.is_empty(), "no decode errors: {}", String::from_utf8_lossy(&output.stderr));
        let frames = output.stdout.len() as i64 / 2;
        let source_frames = (LONG_SECONDS * 44_100.0) as i64;
        // The priming is removed by the edit list; at most one access unit of padding
        // remains at the end (ffmpeg ignores the edit's end in fragmented files).
        let extra = frames - source_frames;
        assert!((0..=2048).contains(&extra), "{playlist}: {frames} frames decoded for {source_frames}");
    }
    app.stop().await;
}

async fn segments_decrypt_with_the_key_endpoints_key_only(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let premium = app.client_as("premium").await;
    let token = token_for(&app, "premium").await;
    let master = text(&app, &master_url(&app, id, &token).await).await;
    let playlist = text(&app, &variant_urls(&app, &master)[2]).await;
    let key = premium.get(key_url(&app, &playlist)).send().await.unwrap().bytes().await.unwrap();
    let key: [u8; 16] = key.as_ref().try_into().expect("a 16-byte key");
    let init = app.anonymous.get(init_url(&app, &playlist)).send().await.unwrap().bytes().await.unwrap();
    let segment_url = &segment_urls(&app, &playlist)[1];
    let sealed = app.anonymous.get(segment_url).send().await.unwrap().bytes().await.unwrap();
    assert_ne!(&sealed[4..8], b"styp", "segments travel encrypted");
    let clear = decrypt_segment(&key, 1, &sealed).expect("segment 1 decrypts with IV 1");
    assert_eq!(&clear[4..8], b"styp");

    // A valid fMP4 fragment: the init segment and it decode without errors.
    let dir = tempfile::tempdir().unwrap();
    let fragment = dir.path().join("fragment.mp4");
    std::fs::write(&fragment, [init.as_ref(), &clear].concat()).unwrap();
    let decoded =
        run("ffmpeg", ["-v", "error", "-i", fragment.to_str().unwrap(), "-f", "null", "-"].map(str::to_owned).to_vec())
            .await;
    assert!(decoded.status.success() && decoded.stderr.is_empty(), "{}", String::from_utf8_lossy(&decoded.stderr));

    let mut wrong_key = key;
    wrong_key[0] ^= 0xff;
    let wrong = decrypt_segment(&wrong_key, 1, &sealed);
    assert!(wrong.is_none_or(|bytes| &bytes[4..8] != b"styp"), "another key gives garbage");
    app.stop().await;
}

async fn keys_follow_the_tier(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let path = |rendition: &str| app.url(&format!("/api/v1/tracks/{id}/hls/keys/{rendition}"));
    let anonymous = app.anonymous.get(path("aac-lc-128")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let free = app.client_as("free").await;
    let refused = free.get(path("aac-lc-256")).send().await.unwrap();
    let status = refused.status();
    assert_error(status, &refused.json().await.unwrap(), StatusCode::FORBIDDEN, "premium_required");

    let granted = free.get(path("aac-lc-128")).send().await.unwrap();
    assert_eq!(granted.status(), StatusCode::OK);
    assert_eq!(granted.headers()[CACHE_CONTROL], "no-store");
    assert_eq!(granted.headers()[CONTENT_TYPE], "application/octet-stream");
    let free_key = granted.bytes().await.unwrap();
    assert_eq!(free_key.len(), 16);
    let premium = app.client_as("premium").await;
    let premium_key = premium.get(path("aac-lc-128")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(premium_key, free_key, "one key per rendition, whoever asks");
    let other = premium.get(path("aac-lc-64")).send().await.unwrap().bytes().await.unwrap();
    assert_ne!(other, free_key, "each rendition has its own key");
    let unknown = premium.get(path("opus-999")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn free_listeners_get_the_renditions_within_their_cap(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let free_master = text(&app, &master_url(&app, id, &token_for(&app, "free").await).await).await;
    let premium_master = text(&app, &master_url(&app, id, &token_for(&app, "premium").await).await).await;
    let bandwidths = |master: &str| -> Vec<u32> {
        master
            .lines()
            .filter_map(|line| line.strip_prefix("#EXT-X-STREAM-INF:BANDWIDTH="))
            .map(|rest| rest.split(',').next().unwrap().parse().unwrap())
            .collect()
    };
    assert_eq!(bandwidths(&free_master).len(), 3, "{free_master}");
    assert!(bandwidths(&free_master).iter().all(|bps| *bps < 160_000), "{free_master}");
    assert_eq!(bandwidths(&premium_master).len(), 5, "four AAC rungs and lossless: {premium_master}");
    assert!(premium_master.contains("CODECS=\"mp4a.40.5\"") && premium_master.contains("AVERAGE-BANDWIDTH="));
    assert!(free_master.starts_with("#EXTM3U\n#EXT-X-VERSION:7"));
    app.stop().await;
}

async fn public_files_are_immutable_and_addresses_cannot_be_forged(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let master_url = master_url(&app, id, &token_for(&app, "free").await).await;
    let response = app.anonymous.get(&master_url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/vnd.apple.mpegurl");
    let master = response.text().await.unwrap();
    let playlist_url = &variant_urls(&app, &master)[0];
    let playlist = text(&app, playlist_url).await;
    assert!(playlist.contains("#EXT-X-ENDLIST") && playlist.contains("#EXT-X-TARGETDURATION:6"));
    let segment = app.anonymous.get(&segment_urls(&app, &playlist)[0]).send().await.unwrap();
    assert_eq!(segment.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");

    let forged = playlist_url.replace("/index.m3u8", "").rsplit_once('/').unwrap().0.to_owned() + "/0000/0.m4s";
    let response = app.anonymous.get(&forged).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{forged}");
    let beyond = playlist_url.replace("index.m3u8", "99.m4s");
    assert_eq!(app.anonymous.get(&beyond).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let bogus_master = master_url.replace("/free/", "/premium/");
    assert_eq!(app.anonymous.get(&bogus_master).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let stats = app.get_json("/api/v1/admin/transcoding").await.1;
    assert_eq!(stats["jobs_started"], 1, "forged and out-of-range requests start no job: {stats}");
    app.stop().await;
}

async fn fifty_requests_for_a_cold_segment_run_one_encode(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let master = text(&app, &master_url(&app, id, &token_for(&app, "premium").await).await).await;
    let playlist = text(&app, &variant_urls(&app, &master)[3]).await;
    let segment = segment_urls(&app, &playlist)[2].clone();
    let requests: Vec<_> = (0..50)
        .map(|_| {
            let client = app.anonymous.clone();
            let segment = segment.clone();
            tokio::spawn(async move { client.get(segment).send().await.unwrap().bytes().await.unwrap() })
        })
        .collect();
    let mut bodies = Vec::new();
    for request in requests {
        bodies.push(request.await.unwrap());
    }
    assert!(bodies.iter().all(|body| body == &bodies[0] && body.len() > 1000), "every request got the segment");
    // The job goes on with the rest of the track after segment 2.
    let stats = transcoding_when_idle(&app).await;
    assert_eq!(stats["jobs_started"], 1, "{stats}");
    assert_eq!(stats["cached_renditions"], 1, "{stats}");
    app.stop().await;
}

/// The transcoding figures once no job runs (at most 30 s).
async fn transcoding_when_idle(app: &TestApp) -> Value {
    for _ in 0..300 {
        let stats = app.get_json("/api/v1/admin/transcoding").await.1;
        if stats["jobs_running"] == 0 && stats["jobs_queued"] == 0 {
            return stats;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("a transcoding job still runs after 30 s");
}

async fn a_corrupt_source_answers_a_clear_error_once(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let master = text(&app, &master_url(&app, id, &token_for(&app, "premium").await).await).await;
    let playlist = text(&app, &variant_urls(&app, &master)[1]).await;
    // The file is damaged after the scan: same size, garbage inside.
    let path = app.library_path("Long/Album/01 - Long Tone.wav");
    let length = std::fs::metadata(&path).unwrap().len() as usize;
    std::fs::write(&path, vec![0x5a; length]).unwrap();
    let library = app.library_path("");
    let library = library.to_str().unwrap().trim_end_matches('/');
    for _ in 0..3 {
        let response = app.anonymous.get(&segment_urls(&app, &playlist)[0]).send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(!body.contains(library) && !body.contains("01 - Long Tone"), "no server path is sent: {body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "track_unplayable");
    }
    let stats = app.get_json("/api/v1/admin/transcoding").await.1;
    assert_eq!((stats["jobs_started"].as_u64(), stats["jobs_failed"].as_u64()), (Some(1), Some(1)), "{stats}");
    app.stop().await;
}

async fn dash_manifest_plays_through_signed_links(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let token = token_for(&app, "premium").await;
    let manifest_url = app.url(&format!("/api/v1/tracks/{id}/dash/manifest.mpd"));
    let anonymous = app.anonymous.get(&manifest_url).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let response = app.client_as("premium").await.get(&manifest_url).send().await.unwrap();
    assert_eq!(response.headers()[CONTENT_TYPE], "application/dash+xml");
    assert_eq!(response.headers()[CACHE_CONTROL], "private, no-store");
    let mpd = response.text().await.unwrap();
    assert_eq!(mpd.matches("<Representation ").count(), 5, "{mpd}");

    let media = mpd.split("media=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let first = app.url(&media.replace("$Number$", "0"));
    let segment = app.anonymous.get(&first).send().await.unwrap();
    assert_eq!(segment.status(), StatusCode::OK, "the signed link works without a token");
    assert_eq!(segment.headers()[CACHE_CONTROL], "private, max-age=3600");
    assert_eq!(&segment.bytes().await.unwrap()[4..8], b"styp", "DASH segments are clear");
    let tampered = first.replace("sig=", "sig=x");
    assert_eq!(app.anonymous.get(&tampered).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let output = run("ffmpeg", presented_pcm_args(&token, &manifest_url)).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let seconds = output.stdout.len() as f64 / 2.0 / 44_100.0;
    assert!((seconds - LONG_SECONDS).abs() < 0.1, "DASH decodes to {seconds} s");
    app.stop().await;
}

async fn renditions_share_segment_boundaries(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let master = text(&app, &master_url(&app, id, &token_for(&app, "premium").await).await).await;
    let mut durations = Vec::new();
    for url in variant_urls(&app, &master) {
        let playlist = text(&app, &url).await;
        let extinf: Vec<String> =
            playlist.lines().filter(|line| line.starts_with("#EXTINF:")).map(str::to_owned).collect();
        assert_eq!(extinf.len(), 3, "{playlist}");
        durations.push(extinf);
    }
    assert!(durations.windows(2).all(|pair| pair[0] == pair[1]), "{durations:?}");
    app.stop().await;
}

async fn tracks_link_their_adaptive_streams(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let (status, track) = app.get_json(&format!("/api/v1/tracks/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(track["streams"]["hls"], format!("/api/v1/tracks/{id}/hls/master.m3u8"));
    assert_eq!(track["streams"]["dash"], format!("/api/v1/tracks/{id}/dash/manifest.mpd"));
    app.stop().await;
}

async fn lossless_sources_get_a_flac_rung_for_premium_listeners(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let premium = text(&app, &master_url(&app, id, &token_for(&app, "premium").await).await).await;
    let free = text(&app, &master_url(&app, id, &token_for(&app, "free").await).await).await;
    assert!(premium.contains("CODECS=\"fLaC\""), "{premium}");
    assert!(!free.contains("fLaC"), "{free}");
    let refused =
        app.client_as("free").await.get(app.url(&format!("/api/v1/tracks/{id}/hls/keys/flac"))).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The lossless rung decodes to exactly the source's samples (the WAV is 16-bit PCM).
    let token = token_for(&app, "premium").await;
    let flac = variant_urls(&app, &premium).into_iter().find(|url| url.contains("/flac/")).unwrap();
    let output = run("ffmpeg", presented_pcm_args(&token, &flac)).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let source = run(
        "ffmpeg",
        [
            "-v",
            "error",
            "-i",
            app.library_path("Long/Album/01 - Long Tone.wav").to_str().unwrap(),
            "-ac",
            "1",
            "-f",
            "s16le",
            "-",
        ]
        .map(str::to_owned)
        .to_vec(),
    )
    .await;
    assert_eq!(output.stdout.len(), source.stdout.len(), "as long as the source");
    assert!(output.stdout == source.stdout, "sample for sample");

    let lossy = app.track_by_title("Polar Night").await["id"].as_i64().unwrap();
    let lossy_master = text(&app, &master_url(&app, lossy, &token).await).await;
    assert!(!lossy_master.contains("fLaC"), "no lossless rung for an MP3: {lossy_master}");
    app.stop().await;
}

/// ffprobe's view of a file: format name, duration in seconds, bit rate.
async fn probe_file(path: &std::path::Path) -> (String, f64, f64) {
    let output = run(
        "ffprobe",
        ["-v", "error", "-show_entries", "format=format_name,duration,bit_rate", "-of", "json", path.to_str().unwrap()]
            .map(str::to_owned)
            .to_vec(),
    )
    .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let probe: Value = serde_json::from_slice(&output.stdout).unwrap();
    let number = |field: &str| probe["format"][field].as_str().and_then(|value| value.parse().ok()).unwrap_or(f64::NAN);
    (probe["format"]["format_name"].as_str().unwrap().to_owned(), number("duration"), number("bit_rate"))
}

async fn progressive_transcodes_play_in_every_format(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let premium = app.client_as("premium").await;
    let dir = tempfile::tempdir().unwrap();
    for (format, content_type, container) in
        [("mp3", "audio/mpeg", "mp3"), ("aac", "audio/mp4", "mp4"), ("opus", "audio/ogg; codecs=opus", "ogg")]
    {
        let response = premium
            .get(app.url(&format!("/api/v1/tracks/{id}/stream?format={format}&bitrate=128")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        assert_eq!(response.headers()[CONTENT_TYPE], content_type);
        assert_eq!(response.headers()["accept-ranges"], "none");
        let path = dir.path().join(format!("out.{format}"));
        std::fs::write(&path, response.bytes().await.unwrap()).unwrap();
        let (format_name, _, _) = probe_file(&path).await;
        assert!(format_name.contains(container), "{format}: {format_name}");
        let decoded = run("ffmpeg", presented_pcm_of(path.to_str().unwrap())).await;
        assert!(decoded.status.success() && decoded.stderr.is_empty(), "{}", String::from_utf8_lossy(&decoded.stderr));
        let seconds = decoded.stdout.len() as f64 / 2.0 / 44_100.0;
        assert!((seconds - LONG_SECONDS).abs() < 0.05, "{format} plays {seconds} s");
    }
    app.stop().await;
}

async fn progressive_bitrates_follow_the_tier_and_bad_requests_are_refused(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let free = app.client_as("free").await;
    let response =
        free.get(app.url(&format!("/api/v1/tracks/{id}/stream?format=mp3&bitrate=320"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "a free listener gets the transcode, at the cap");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capped.mp3");
    std::fs::write(&path, response.bytes().await.unwrap()).unwrap();
    let (_, _, bit_rate) = probe_file(&path).await;
    assert!((bit_rate - 128_000.0).abs() < 8_000.0, "free streams are capped at 128 kbps: {bit_rate}");

    for (query, code) in [("format=wma", "unsupported_format"), ("format=mp3&bitrate=1000", "invalid_bitrate")] {
        let response = free.get(app.url(&format!("/api/v1/tracks/{id}/stream?{query}"))).send().await.unwrap();
        let status = response.status();
        assert_error(status, &response.json().await.unwrap(), StatusCode::BAD_REQUEST, code);
    }
    app.stop().await;
}

async fn tonearm_transcode_prebuilds_every_rendition_a_listener_then_reads(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    // `tonearm transcode` is a second process on the same data: run its code with the same settings.
    let overrides = tonearm_config::Overrides {
        data_dir: Some(app.data_dir.path().to_path_buf()),
        database_url: Some(app.database_url().to_owned()),
        listen: Some("127.0.0.1:0".parse().unwrap()),
        ..tonearm_config::Overrides::default()
    };
    let settings = tonearm_config::Settings::resolve(tonearm_config::FileSettings::default(), overrides).unwrap();
    let report = tonearm_server::cli::commands::transcode(settings, &[id, 999_999], None).await.unwrap();
    assert_eq!((report.renditions, report.failed), (5, 1), "four AAC rungs and lossless; the unknown track fails");
    let markers = walkdir_count(&app.data_dir.path().join("media-cache/renditions").join(id.to_string()), "complete");
    assert_eq!(markers, 5);

    // The running server serves them from the cache without encoding anything.
    let master = text(&app, &master_url(&app, id, &token_for(&app, "premium").await).await).await;
    for playlist_url in variant_urls(&app, &master) {
        let playlist = text(&app, &playlist_url).await;
        for segment in segment_urls(&app, &playlist) {
            assert_eq!(app.anonymous.get(&segment).send().await.unwrap().status(), StatusCode::OK);
        }
    }
    let stats = app.get_json("/api/v1/admin/transcoding").await.1;
    assert_eq!(stats["jobs_started"], 0, "{stats}");
    app.stop().await;
}

/// Files named `name` anywhere under `folder`.
fn walkdir_count(folder: &std::path::Path, name: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else { return 0 };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() { walkdir_count(&path, name) } else { usize::from(entry.file_name() == name) }
        })
        .sum()
}

/// A cached segment goes out as its file (or from memory once requested): byte for byte the
/// stored object over HTTP/1 and HTTP/2; and a rendition whose files vanished from the cache
/// is made again rather than answered with an error.
async fn cached_segments_are_their_files_over_http1_and_http2(engine: Engine) {
    let (app, id) = app_with_long_track(&engine).await;
    let token = token_for(&app, "premium").await;
    let master = text(&app, &master_url(&app, id, &token).await).await;
    let playlist = text(&app, &variant_urls(&app, &master)[2]).await;
    let segment = segment_urls(&app, &playlist)[1].clone();
    let made = app.anonymous.get(&segment).send().await.unwrap().bytes().await.unwrap();
    let folder = segment.rsplit_once("/1.m4s").unwrap().0.replacen(&app.url("/api/v1/media/hls/"), "", 1);
    let stored_path = app.data_dir.path().join("media-cache/renditions").join(&folder).join("1.m4s");
    let stored = std::fs::read(&stored_path).unwrap();
    assert!(made == stored && stored.len() > 1000, "the first answer is the stored object");

    let http2 = app.http2_client().await;
    for (client, version) in [(&app.anonymous, reqwest::Version::HTTP_11), (&http2, reqwest::Version::HTTP_2)] {
        for _ in 0..2 {
            let response = client.get(&segment).send().await.unwrap();
            assert_eq!((response.status(), response.version()), (StatusCode::OK, version));
            assert_eq!(response.headers()[CONTENT_LENGTH], stored.len().to_string().as_str());
            assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
            assert!(response.bytes().await.unwrap() == stored, "{version:?}: byte-identical to the stored file");
        }
    }
    let key = app.client_as("premium").await.get(key_url(&app, &playlist)).send().await.unwrap();
    let key: [u8; 16] = key.bytes().await.unwrap().as_ref().try_into().unwrap();
    assert_eq!(&decrypt_segment(&key, 1, &stored).expect("decrypts")[4..8], b"styp");

    // The cache folder is emptied behind the server's back (a disk cleaner, an operator).
    transcoding_when_idle(&app).await;
    std::fs::remove_dir_all(stored_path.parent().unwrap()).unwrap();
    let unread = segment_urls(&app, &playlist)[2].clone();
    for client in [&app.anonymous, &http2] {
        let response = client.get(&segment).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.bytes().await.unwrap() == stored, "a segment served before is still in memory");
        let response = client.get(&unread).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let made_again = response.bytes().await.unwrap();
        assert_eq!(&decrypt_segment(&key, 2, &made_again).expect("made again, with the same key")[4..8], b"styp");
    }
    let stats = app.get_json("/api/v1/admin/transcoding").await.1;
    assert_eq!(stats["jobs_started"], 2, "one job, and one more for the lost files: {stats}");
    app.stop().await;
}
