//! A Tonearm server over a generated catalog (no audio files), for `bench/library.py`:
//!
//! `cargo run --release -p tonearm-server --example library_bench_server -- [TRACKS] [DATABASE_URL]`
//!
//! Fills a fresh catalog with `tonearm_testkit::generated_catalog` (100,000 tracks by
//! default; SQLite in a temporary directory unless a `postgres://` URL is given), starts
//! the real server on a free port and prints, one per line: `url URL`, `token TOKEN` (a
//! Premium listener's access token), `tracks FIRST LAST` (the range of track ids),
//! `queries FILE` (the search mix, one text per line) and, once the search index holds the
//! catalog, `ready`. Serves until killed.

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tonearm_catalog::{MusicBrainzIds, ReplayGain, ScanChange, ScannedTrack, TrackSummary};
use tonearm_config::{FileSettings, Overrides, Settings};
use tonearm_domain::AudioFormat;
use tonearm_server::Application;
use tonearm_testkit::generated_catalog::{Random, catalog, query_mix};

/// Tracks per store transaction, as the scanner writes them.
const BATCH: usize = 500;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let tracks: usize = args.next().map_or(100_000, |count| count.parse().expect("TRACKS is a number"));
    let data_dir = tempfile::Builder::new().prefix("tonearm-bench-").tempdir().expect("temporary directory");
    let database_url =
        args.next().unwrap_or_else(|| format!("sqlite://{}", data_dir.path().join("tonearm.db").display()));

    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let listing = catalog(tracks, &mut random);
    let queries = query_mix(&listing, 5_000, &mut random);
    let queries_file = data_dir.path().join("queries.txt");
    let texts: Vec<&str> = queries.iter().map(|(_, text)| text.as_str()).collect();
    std::fs::write(&queries_file, texts.join("\n")).expect("queries written");

    let stores = tonearm_store::open(&database_url).await.expect("database opens");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis() as i64;
    for chunk in listing.tracks.chunks(BATCH) {
        let changes: Vec<ScanChange> = chunk.iter().map(|track| ScanChange::Upsert(Box::new(scanned(track)))).collect();
        stores.catalog.apply_changes(&changes, now).await.expect("catalog written");
    }
    let ids: Vec<i64> =
        stores.catalog.indexed_files().await.expect("files listed").iter().map(|f| f.track_id.0).collect();
    let (first, last) = (ids.iter().min().expect("tracks"), ids.iter().max().expect("tracks"));

    let overrides = Overrides {
        listen: Some("127.0.0.1:0".parse().expect("an address")),
        data_dir: Some(data_dir.path().to_path_buf()),
        database_url: Some(database_url),
        ..Overrides::default()
    };
    let app = Application::build(Settings::resolve(FileSettings::default(), overrides).expect("settings"))
        .await
        .expect("server starts");
    let url = app.url();
    tokio::spawn(app.run_until(std::future::pending()));
    let token = premium_token(&stores).await;

    let mut out = std::io::stdout().lock();
    writeln!(out, "url {url}\ntoken {token}\ntracks {first} {last}\nqueries {}", queries_file.display()).unwrap();
    out.flush().unwrap();
    drop(out);
    wait_for_the_index(&url, &token, &listing.tracks[0].title).await;
    println!("ready");
    std::future::pending::<()>().await;
}

/// What a scan of the track's file would have read.
fn scanned(track: &TrackSummary) -> ScannedTrack {
    ScannedTrack {
        path: format!("/generated/{}.flac", track.id),
        file_size: 1_000_000,
        mtime_ns: 0,
        fingerprint: format!("generated-{}", track.id),
        format: AudioFormat::Flac,
        title: track.title.clone(),
        artists: track.artists.iter().map(|artist| artist.name.clone()).collect(),
        album: track.album.title.clone(),
        album_artist: track.album_artist.name.clone(),
        is_compilation: false,
        track_number: track.track_number,
        track_total: None,
        disc_number: None,
        disc_total: None,
        year: track.year,
        date: None,
        genres: Vec::new(),
        duration_ms: track.duration_ms,
        bitrate_kbps: Some(900),
        sample_rate_hz: Some(44_100),
        channels: Some(2),
        bit_depth: Some(16),
        musicbrainz: MusicBrainzIds::default(),
        replay_gain: ReplayGain::default(),
        cover: None,
    }
}

/// An access token of the demo account `premium`, signed with the server's key.
async fn premium_token(stores: &tonearm_store::Stores) -> String {
    tonearm_server::accounts::ensure_demo_users(stores.users.as_ref(), "a benchmark-only password")
        .await
        .expect("demo accounts");
    let users = stores.users.list_users().await.expect("users");
    let user = users.into_iter().find(|user| user.username == "premium").expect("premium account");
    let keys = stores.auth.signing_keys().await.expect("signing keys");
    let keyring = tonearm_auth::Keyring::new(
        keys.into_iter()
            .map(|key| tonearm_auth::SigningKey { kid: key.kid, secret: key.secret, created_at: key.created_at })
            .collect(),
    );
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    keyring.issue(&tonearm_auth::AccessClaims::new(user.id, "bench", user.role, user.tier, now)).expect("token")
}

/// Returns once a search finds `title`: the index is rebuilt in the background at start.
async fn wait_for_the_index(url: &str, token: &str, title: &str) {
    let client = reqwest::Client::new();
    loop {
        let found = client
            .get(format!("{url}/api/v1/search"))
            .query(&[("q", title), ("types", "track")])
            .bearer_auth(token)
            .send()
            .await
            .ok()
            .filter(|response| response.status().is_success());
        if let Some(response) = found
            && response.text().await.is_ok_and(|body| body.contains(title))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
