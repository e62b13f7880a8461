//! A Tonearm server over a generated catalog (no audio files), for `bench/library.py`:
//!
//! `cargo run --release -p tonearm-server --example library_bench_server -- [TRACKS] [DATABASE_URL]
//!     [--listeners COUNT --events COUNT]`
//!
//! Fills a fresh catalog with `tonearm_testkit::generated_catalog` (100,000 tracks by
//! default; SQLite in a temporary directory unless a `postgres://` URL is given), and with
//! `--listeners`, that many accounts with 90 days of play history (`--events` events in
//! all), playlists and likes (see `listeners.rs`). Starts the real server on a free port and
//! prints, one per line: `url URL`, `token TOKEN` (a Premium listener's access token),
//! `tracks FIRST LAST` (the range of track ids), `queries FILE` (the search mix, one text per
//! line), with `--listeners` also `listeners FILE` (their access tokens, one per line) and
//! `populated SECONDS` (how long writing them took), and, once the search index holds the
//! catalog, `ready`. Serves until killed.

mod listeners;

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tonearm_config::{FileSettings, Overrides, Settings};
use tonearm_domain::AudioFormat;
use tonearm_model::{MusicBrainzIds, ReplayGain, ScanChange, ScannedTrack, TrackSummary};
use tonearm_server::Application;
use tonearm_testkit::generated_catalog::{Random, catalog, query_mix};

/// Tracks per store transaction, as the scanner writes them.
const BATCH: usize = 500;

#[tokio::main]
async fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let listener_count = take_option(&mut args, "--listeners");
    let event_count = take_option(&mut args, "--events").unwrap_or(0);
    let mut args = args.into_iter();
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
    let (first, last) = (*ids.iter().min().expect("tracks"), *ids.iter().max().expect("tracks"));

    let overrides = Overrides {
        listen: Some("127.0.0.1:0".parse().expect("an address")),
        data_dir: Some(data_dir.path().to_path_buf()),
        database_url: Some(database_url.clone()),
        ..Overrides::default()
    };
    let app = Application::build(Settings::resolve(FileSettings::default(), overrides).expect("settings"))
        .await
        .expect("server starts");
    let url = app.url();
    tokio::spawn(app.run_until(std::future::pending()));
    // After the server started: it creates the signing keys the tokens are signed with.
    let keyring = keyring(&stores).await;
    let mut listed = String::new();
    if let Some(count) = listener_count {
        // SQLite has one writer: listeners written side by side would only wait for each other.
        let concurrency = if database_url.starts_with("postgres") { 8 } else { 1 };
        let started = std::time::Instant::now();
        let track_ids = ids.into_iter().map(tonearm_domain::TrackId).collect();
        let tokens = listeners::populate(&stores, &keyring, track_ids, count, event_count, concurrency, now).await;
        let tokens_file = data_dir.path().join("listeners.txt");
        std::fs::write(&tokens_file, tokens.join("\n")).expect("tokens written");
        listed = format!("listeners {}\npopulated {:.1}\n", tokens_file.display(), started.elapsed().as_secs_f64());
    }
    if database_url.starts_with("postgres") {
        settle(&database_url).await;
    }
    let token = premium_token(&stores, &keyring).await;

    let mut out = std::io::stdout().lock();
    write!(out, "url {url}\ntoken {token}\ntracks {first} {last}\nqueries {}\n{listed}", queries_file.display())
        .unwrap();
    out.flush().unwrap();
    drop(out);
    wait_for_the_index(&url, &token, &listing.tracks[0].title).await;
    println!("ready");
    std::future::pending::<()>().await;
}

/// What autovacuum does to a database in service: the planner's statistics, and the
/// visibility map that index-only scans need. This machine's PostgreSQL runs without
/// autovacuum, so tables just written would otherwise keep both empty for good.
async fn settle(database_url: &str) {
    let pool = sqlx::PgPool::connect(database_url).await.expect("PostgreSQL answers");
    // This schema's tables only: a bare VACUUM would visit every schema of the database.
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
            .fetch_all(&pool)
            .await
            .expect("tables listed");
    for table in tables {
        // The names come from the catalog of our own schema, not from input.
        let vacuum = sqlx::AssertSqlSafe(format!("VACUUM ANALYZE \"{table}\""));
        sqlx::query(vacuum).execute(&pool).await.expect("VACUUM ANALYZE");
    }
    pool.close().await;
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

/// `--NAME COUNT`, removed from `args`.
fn take_option(args: &mut Vec<String>, name: &str) -> Option<usize> {
    let at = args.iter().position(|arg| arg == name)?;
    let value = args.get(at + 1).and_then(|count| count.parse().ok()).unwrap_or_else(|| panic!("{name} COUNT"));
    args.drain(at..at + 2);
    Some(value)
}

/// The server's signing keys, as it will verify tokens with them.
async fn keyring(stores: &tonearm_store::Stores) -> tonearm_auth::Keyring {
    let keys = stores.auth.signing_keys().await.expect("signing keys");
    tonearm_auth::Keyring::new(
        keys.into_iter()
            .map(|key| tonearm_auth::SigningKey { kid: key.kid, secret: key.secret, created_at: key.created_at })
            .collect(),
    )
}

/// An access token of the demo account `premium`.
async fn premium_token(stores: &tonearm_store::Stores, keyring: &tonearm_auth::Keyring) -> String {
    tonearm_core::accounts::ensure_demo_users(stores.users.as_ref(), "a benchmark-only password")
        .await
        .expect("demo accounts");
    let users = stores.users.list_users().await.expect("users");
    let user = users.into_iter().find(|user| user.username == "premium").expect("premium account");
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
