//! The store contract, checked on SQLite always and on PostgreSQL when
//! `TONEARM_TEST_DATABASE_URL` is set (each test in its own schema).

use std::sync::Arc;

use tonearm_domain::{AudioFormat, CoverId, Cursor, PageRequest, Role, Sort, Tier, TrackId};
use tonearm_model::{
    CatalogStore, CoverRecord, CoverSource, DownloadQuality, EndReason, EntriesEdit, LeaderJob, Leadership, LikeSignal,
    LikeTarget, ListeningStore, MusicBrainzIds, NewPlaylist, NewUser, PlayEvent, PlayEventKind, PlaylistAddSignal,
    PlaylistStore, Ranked, ReplayGain, ScanChange, ScannedTrack, SettingsChange, SignalStore, StoreError,
    StreamKeyStore, StreamingQuality, TrackPlays, TrackSignal, UserSettings, UserStore,
};
use tonearm_testkit::postgres::{self, FreshSchema};

struct TestStore {
    store: Arc<dyn CatalogStore>,
    users: Arc<dyn UserStore>,
    stream_keys: Arc<dyn StreamKeyStore>,
    listening: Arc<dyn ListeningStore>,
    playlists: Arc<dyn PlaylistStore>,
    signals: Arc<dyn SignalStore>,
    leadership: Arc<dyn Leadership>,
    _dir: tempfile::TempDir,
    /// The PostgreSQL schema to drop afterwards.
    schema: Option<FreshSchema>,
}

impl TestStore {
    async fn finish(self) {
        if let Some(schema) = self.schema {
            schema.drop().await;
        }
    }
}

async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let stores = tonearm_store::open(&format!("sqlite://{}/catalog.db", dir.path().display())).await.unwrap();
    TestStore {
        store: stores.catalog,
        users: stores.users,
        stream_keys: stores.stream_keys,
        listening: stores.listening,
        playlists: stores.playlists,
        signals: stores.signals,
        leadership: stores.leadership,
        _dir: dir,
        schema: None,
    }
}

/// A fresh schema on the test server, dropped by `finish`.
async fn postgres() -> Option<TestStore> {
    let schema = FreshSchema::create(&postgres::test_server()?).await;
    let stores = tonearm_store::open(&schema.url).await.unwrap();
    Some(TestStore {
        store: stores.catalog,
        users: stores.users,
        stream_keys: stores.stream_keys,
        listening: stores.listening,
        playlists: stores.playlists,
        signals: stores.signals,
        leadership: stores.leadership,
        _dir: tempfile::tempdir().unwrap(),
        schema: Some(schema),
    })
}

fn track(path: &str, title: &str, album: &str, cover: Option<&CoverId>, year: Option<i32>) -> ScannedTrack {
    ScannedTrack {
        path: path.to_owned(),
        file_size: 1000,
        mtime_ns: 1,
        fingerprint: format!("fp-{path}"),
        format: AudioFormat::Flac,
        title: title.to_owned(),
        artists: vec!["Artist".to_owned()],
        album: album.to_owned(),
        album_artist: "Artist".to_owned(),
        is_compilation: false,
        track_number: Some(1),
        track_total: None,
        disc_number: None,
        disc_total: None,
        year,
        date: None,
        genres: vec!["Genre".to_owned()],
        duration_ms: 1000,
        bitrate_kbps: None,
        sample_rate_hz: None,
        channels: None,
        bit_depth: None,
        musicbrainz: MusicBrainzIds::default(),
        replay_gain: ReplayGain::default(),
        cover: cover.cloned(),
    }
}

fn upsert(track: ScannedTrack) -> ScanChange {
    ScanChange::Upsert(Box::new(track))
}

async fn album_facts_come_from_any_track_in_any_order(store: &dyn CatalogStore) {
    let cover = CoverId::from_digest(42);
    store
        .upsert_cover(&CoverRecord {
            id: cover.clone(),
            mime_type: "image/png".into(),
            source: CoverSource::Embedded,
            byte_len: 1,
        })
        .await
        .unwrap();
    // The track with no cover and no year comes first in the batch.
    let changes = [
        upsert(track("/a/1.flac", "One", "Album", None, None)),
        upsert(track("/a/2.flac", "Two", "Album", Some(&cover), Some(1999))),
    ];
    store.apply_changes(&changes, 10).await.unwrap();
    let albums = store.list_albums(&PageRequest::first(Sort::Name, 10)).await.unwrap();
    assert_eq!(albums.items.len(), 1);
    assert_eq!(albums.items[0].cover_id.as_ref(), Some(&cover));
    assert_eq!(albums.items[0].year, Some(1999));
}

async fn moves_keep_ids_and_removals_prune_orphans(store: &dyn CatalogStore) {
    store
        .apply_changes(
            &[
                upsert(track("/b/1.flac", "Stay", "Kept", None, None)),
                upsert(track("/c/1.flac", "Go", "Gone", None, None)),
            ],
            10,
        )
        .await
        .unwrap();
    let files = store.indexed_files().await.unwrap();
    let stay = files.iter().find(|f| f.path == "/b/1.flac").unwrap().track_id;
    let go = files.iter().find(|f| f.path == "/c/1.flac").unwrap().track_id;
    store
        .apply_changes(
            &[
                ScanChange::Move { track_id: stay, path: "/moved.flac".into(), file_size: 1000, mtime_ns: 2 },
                ScanChange::Remove(go),
            ],
            20,
        )
        .await
        .unwrap();
    assert_eq!(store.prune_orphans().await.unwrap(), 1, "the emptied album goes");
    assert_eq!(store.stream_source(stay).await.unwrap().path, "/moved.flac");
    assert!(store.track(go).await.is_err());
    let albums = store.list_albums(&PageRequest::first(Sort::Name, 10)).await.unwrap();
    assert_eq!(albums.items.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["Kept"]);
}

async fn equal_sort_keys_paginate_by_id(store: &dyn CatalogStore) {
    let changes: Vec<ScanChange> =
        (0..7).map(|i| upsert(track(&format!("/same/{i}.flac"), "Same Title", "Album", None, None))).collect();
    store.apply_changes(&changes, 10).await.unwrap();
    let mut seen: Vec<TrackId> = Vec::new();
    let mut page = PageRequest::first(Sort::Name, 3);
    loop {
        let result = store.list_tracks(&page).await.unwrap();
        seen.extend(result.items.iter().map(|t| t.id));
        let Some(next) = result.next_cursor else { break };
        page.after = Some(Cursor::decode(&next, Sort::Name).unwrap());
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (7, 7));
}

async fn a_failing_batch_leaves_nothing_behind(store: &dyn CatalogStore) {
    let missing_cover = CoverId::from_digest(7);
    // The second track references a cover that was never stored: the whole batch must roll back.
    let changes = [
        upsert(track("/x/1.flac", "First", "X", None, None)),
        upsert(track("/x/2.flac", "Second", "X", Some(&missing_cover), None)),
    ];
    assert!(store.apply_changes(&changes, 10).await.is_err());
    assert!(store.indexed_files().await.unwrap().is_empty());
    assert!(store.list_albums(&PageRequest::first(Sort::Name, 10)).await.unwrap().items.is_empty());
}

fn new_user(name: &str, email: &str, role: Option<Role>) -> NewUser {
    NewUser {
        username: name.to_owned(),
        username_key: name.to_lowercase(),
        email: email.to_owned(),
        email_key: email.to_lowercase(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role,
        tier: Tier::Free,
    }
}

async fn users_are_unique_by_key_and_the_first_is_admin(users: &dyn UserStore) {
    let first = users.create_user(&new_user("Maya", "maya@example.com", None), 1).await.unwrap();
    assert_eq!((first.role, first.tier), (Role::Admin, Tier::Free));
    let second = users.create_user(&new_user("zoe", "zoe@example.com", None), 2).await.unwrap();
    assert_eq!(second.role, Role::User);
    let same_name = users.create_user(&new_user("MAYA", "other@example.com", None), 3).await;
    assert!(matches!(same_name, Err(StoreError::Conflict("that user name"))), "{same_name:?}");
    let same_email = users.create_user(&new_user("maya2", "MAYA@example.com", None), 3).await;
    assert!(matches!(same_email, Err(StoreError::Conflict("that email address"))), "{same_email:?}");
    let listed: Vec<String> = users.list_users().await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(listed, ["Maya", "zoe"]);
}
async fn settings_start_at_defaults_and_change_one_at_a_time(users: &dyn UserStore) {
    let maya = users.create_user(&new_user("maya", "maya@example.com", None), 1).await.unwrap();
    let zoe = users.create_user(&new_user("zoe", "zoe@example.com", None), 1).await.unwrap();
    assert_eq!(users.settings(maya.id).await.unwrap(), UserSettings::default());

    let quality = SettingsChange { streaming_quality: Some(StreamingQuality::Lossless), ..SettingsChange::default() };
    let changed = users.change_settings(maya.id, &quality, 2).await.unwrap();
    assert_eq!(changed.streaming_quality, StreamingQuality::Lossless);
    let notify = SettingsChange { notifications: Some(true), ..SettingsChange::default() };
    let changed = users.change_settings(maya.id, &notify, 3).await.unwrap();
    let expected = UserSettings {
        streaming_quality: StreamingQuality::Lossless,
        download_quality: DownloadQuality::default(),
        notifications: true,
    };
    assert_eq!(changed, expected, "a change keeps what it does not name");
    assert_eq!(users.settings(maya.id).await.unwrap(), expected);
    assert_eq!(users.settings(zoe.id).await.unwrap(), UserSettings::default(), "settings are per account");

    let missing = users.change_settings(tonearm_domain::UserId(999_999), &notify, 4).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    users.delete_user(maya.id).await.unwrap();
    assert_eq!(users.settings(maya.id).await.unwrap(), UserSettings::default(), "deleted with the account");
}

async fn catalog_listing_holds_every_entity_with_its_credits(store: &dyn CatalogStore) {
    let mut duet = track("/l/1.flac", "Duet", "Pairs", None, Some(2001));
    duet.artists = vec!["Singer".to_owned(), "Artist".to_owned()];
    store.apply_changes(&[upsert(duet), upsert(track("/l/2.flac", "Solo", "Pairs", None, None))], 10).await.unwrap();
    let listing = store.catalog_listing().await.unwrap();
    let mut titles: Vec<&str> = listing.tracks.iter().map(|t| t.title.as_str()).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Duet", "Solo"]);
    let duet = listing.tracks.iter().find(|t| t.title == "Duet").unwrap();
    let credits: Vec<&str> = duet.artists.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(credits, ["Singer", "Artist"], "credits in tag order");
    assert_eq!(listing.albums.len(), 1);
    assert_eq!(listing.albums[0].track_count, 2);
    let mut artists: Vec<&str> = listing.artists.iter().map(|a| a.name.as_str()).collect();
    artists.sort_unstable();
    assert_eq!(artists, ["Artist", "Singer"]);
    assert_eq!(listing.genres.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["Genre"]);
}

async fn the_first_stream_key_of_a_rendition_wins(store: &dyn CatalogStore, keys: &dyn StreamKeyStore) {
    store.apply_changes(&[upsert(track("/l/k.flac", "Keyed", "Keys", None, None))], 10).await.unwrap();
    let id = store.indexed_files().await.unwrap()[0].track_id;
    assert_eq!(keys.stream_key(id, "aac-lc-128").await.unwrap(), None);
    let first = keys.stream_keys_or_insert(id, &[("aac-lc-128", b"first".as_slice())], 20).await.unwrap();
    let second = keys.stream_keys_or_insert(id, &[("aac-lc-128", b"second".as_slice())], 30).await.unwrap();
    assert_eq!((first, second), (vec![b"first".to_vec()], vec![b"first".to_vec()]));
    let both = keys
        .stream_keys_or_insert(id, &[("aac-lc-64", b"other".as_slice()), ("aac-lc-128", b"third".as_slice())], 30)
        .await
        .unwrap();
    assert_eq!(both, [b"other".to_vec(), b"first".to_vec()], "each rendition has its own key, in the order asked");
    assert_eq!(keys.stream_key(id, "aac-lc-128").await.unwrap().as_deref(), Some(b"first".as_slice()));
    let mut stored = keys.stream_keys(id).await.unwrap();
    stored.sort();
    assert_eq!(stored, [("aac-lc-128".to_owned(), b"first".to_vec()), ("aac-lc-64".to_owned(), b"other".to_vec())]);
    assert_eq!(keys.stream_keys_or_insert(id, &[], 40).await.unwrap(), Vec::<Vec<u8>>::new());
    let missing = keys.stream_keys_or_insert(TrackId(id.0 + 1000), &[("aac-lc-128", b"x".as_slice())], 40).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}

/// A track's first listeners ask at once, each with keys of its own: all get the same keys.
async fn concurrent_first_requests_get_the_same_stream_keys(store: &dyn CatalogStore, keys: Arc<dyn StreamKeyStore>) {
    store.apply_changes(&[upsert(track("/l/c.flac", "Raced", "Keys", None, None))], 10).await.unwrap();
    let id = store.indexed_files().await.unwrap()[0].track_id;
    let ladder = ["he-aac-48", "aac-lc-64", "aac-lc-128", "aac-lc-256", "flac"];
    let requests: Vec<_> = (0..8u8)
        .map(|listener| {
            let keys = Arc::clone(&keys);
            tokio::spawn(async move {
                let candidates: Vec<Vec<u8>> =
                    ladder.iter().map(|rendition| format!("{rendition}/{listener}").into_bytes()).collect();
                let pairs: Vec<(&str, &[u8])> =
                    ladder.iter().zip(&candidates).map(|(rendition, key)| (*rendition, key.as_slice())).collect();
                keys.stream_keys_or_insert(id, &pairs, 50).await.unwrap()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for request in requests {
        answers.push(request.await.unwrap());
    }
    assert!(answers.iter().all(|answer| answer == &answers[0]), "{answers:?}");
    for (rendition, key) in ladder.iter().zip(&answers[0]) {
        assert!(key.starts_with(format!("{rendition}/").as_bytes()), "each rendition keeps its own key");
        assert_eq!(keys.stream_key(id, rendition).await.unwrap().as_ref(), Some(key), "what is stored");
    }
}

fn play_end(id: &str, track: TrackId, at: i64) -> PlayEvent {
    PlayEvent {
        client_event_id: id.to_owned(),
        kind: PlayEventKind::PlayEnd,
        track_id: track,
        occurred_at: at,
        ms_played: 200_000,
        reason: Some(EndReason::Completed),
        context: None,
    }
}

fn by_track<const N: usize>(mut counts: [Ranked<TrackId>; N]) -> [Ranked<TrackId>; N] {
    counts.sort_by_key(|ranked| ranked.id);
    counts
}

fn by_track_plays<const N: usize>(mut plays: [TrackPlays; N]) -> [TrackPlays; N] {
    plays.sort_by_key(|track| track.id);
    plays
}

/// Two tracks and a listener, for the play-event cases.
async fn listener_and_two_tracks(test: &TestStore) -> (tonearm_domain::UserId, TrackId, TrackId) {
    let changes = [
        upsert(track("/p/1.flac", "First", "Plays", None, None)),
        upsert(track("/p/2.flac", "Second", "Plays", None, None)),
    ];
    test.store.apply_changes(&changes, 10).await.unwrap();
    let files = test.store.indexed_files().await.unwrap();
    let id_of = |path: &str| files.iter().find(|f| f.path == path).unwrap().track_id;
    let user = test.users.create_user(&new_user("ana", "ana@example.com", None), 1).await.unwrap();
    (user.id, id_of("/p/1.flac"), id_of("/p/2.flac"))
}

async fn repeats_within_a_batch_are_stored_and_counted_once(test: &TestStore) {
    let (user, first, second) = listener_and_two_tracks(test).await;
    let gone = TrackId(first.0.max(second.0) + 1000);
    let events = [
        play_end("a", first, 100),
        play_end("b", first, 300),
        play_end("a", first, 100),
        play_end("c", second, 200),
        play_end("x", gone, 250),
        play_end("b", first, 300),
    ];
    let recorded = test.listening.record_plays(user, &events, 1_000).await.unwrap();
    assert_eq!((recorded.stored, recorded.duplicates), (3, 2), "{recorded:?}");
    assert_eq!(recorded.unknown_tracks, ["x"]);
    let mut counts = test.listening.play_counts(&[first, second, gone]).await.unwrap();
    counts.sort_by_key(|ranked| ranked.id);
    assert_eq!(counts, by_track([Ranked { id: first, plays: 2 }, Ranked { id: second, plays: 1 }]));
    let top = test.listening.top_tracks(user, None, 10).await.unwrap();
    assert_eq!(top, [Ranked { id: first, plays: 2 }, Ranked { id: second, plays: 1 }]);
    let mut played = test.listening.track_plays(user, None).await.unwrap();
    played.sort_by_key(|track| track.id);
    let expected =
        [(first, 2, 300), (second, 1, 200)].map(|(id, plays, last_played_at)| TrackPlays { id, plays, last_played_at });
    assert_eq!(played, by_track_plays(expected));
    let since_250 = test.listening.track_plays(user, Some(250)).await.unwrap();
    assert_eq!(since_250, [TrackPlays { id: first, plays: 1, last_played_at: 300 }], "only plays in the window count");
    let recent: Vec<TrackId> =
        test.listening.recently_played(user, 10).await.unwrap().into_iter().map(|play| play.track_id).collect();
    assert_eq!(recent, [first, second]);
}

async fn a_batch_partly_seen_before_stores_and_counts_only_the_new_events(test: &TestStore) {
    let (user, first, second) = listener_and_two_tracks(test).await;
    let sent = [play_end("one", first, 100), play_end("two", second, 200)];
    let recorded = test.listening.record_plays(user, &sent, 1_000).await.unwrap();
    assert_eq!((recorded.stored, recorded.duplicates), (2, 0));

    // The retry of the first batch carries one more event, and repeats one of the old ones.
    let retried = [
        play_end("one", first, 100),
        play_end("three", first, 300),
        play_end("two", second, 200),
        play_end("one", first, 100),
    ];
    let recorded = test.listening.record_plays(user, &retried, 2_000).await.unwrap();
    assert_eq!((recorded.stored, recorded.duplicates), (1, 3), "{recorded:?}");
    assert!(recorded.unknown_tracks.is_empty());
    let mut counts = test.listening.play_counts(&[first, second]).await.unwrap();
    counts.sort_by_key(|ranked| ranked.id);
    assert_eq!(counts, by_track([Ranked { id: first, plays: 2 }, Ranked { id: second, plays: 1 }]));

    // The same client ids from another listener are other events.
    let other = test.users.create_user(&new_user("bo", "bo@example.com", None), 2).await.unwrap();
    let recorded = test.listening.record_plays(other.id, &sent, 3_000).await.unwrap();
    assert_eq!((recorded.stored, recorded.duplicates), (2, 0));
    let mut all = test.listening.all_play_counts().await.unwrap();
    all.sort_by_key(|ranked| ranked.id);
    assert_eq!(all, by_track([Ranked { id: first, plays: 3 }, Ranked { id: second, plays: 2 }]));
}

/// Recently played lists each track once, at its latest start or end, however long a run of
/// another track came after it; plays made offline and sent later never move a track back.
async fn recently_played_lists_each_track_at_its_latest_play(test: &TestStore) {
    let (user, first, second) = listener_and_two_tracks(test).await;
    let mut events = vec![play_end("second", second, 99), play_end("edge", first, 99)];
    events.extend((100..140).map(|at| play_end(&format!("run-{at}"), first, at)));
    assert_eq!(test.listening.record_plays(user, &events, 1_000).await.unwrap().stored, 42);
    let found = |recent: Vec<tonearm_model::RecentPlay>| -> Vec<(TrackId, i64)> {
        recent.iter().map(|play| (play.track_id, play.played_at)).collect()
    };
    assert_eq!(found(test.listening.recently_played(user, 10).await.unwrap()), [(first, 139), (second, 99)]);
    assert_eq!(found(test.listening.recently_played(user, 1).await.unwrap()), [(first, 139)]);

    let synced_late = [play_end("offline", second, 50), play_end("offline-2", first, 60)];
    test.listening.record_plays(user, &synced_late, 2_000).await.unwrap();
    assert_eq!(found(test.listening.recently_played(user, 10).await.unwrap()), [(first, 139), (second, 99)]);
    test.listening.record_plays(user, &[play_end("now", second, 200)], 3_000).await.unwrap();
    assert_eq!(found(test.listening.recently_played(user, 10).await.unwrap()), [(second, 200), (first, 139)]);
}

fn play_ended(id: &str, track: TrackId, at: i64, ms_played: i64, reason: EndReason) -> PlayEvent {
    PlayEvent { ms_played, reason: Some(reason), ..play_end(id, track, at) }
}

/// What the recommender learns from: ended plays summed per listener and track (starts and
/// progress ignored, early skips apart), likes of every kind, playlist entries by owner.
async fn signals_sum_each_listeners_ended_plays_likes_and_playlist_adds(test: &TestStore) {
    let (user, first, second) = listener_and_two_tracks(test).await;
    let events = [
        play_end("done-1", first, 100),
        play_end("done-2", first, 300),
        play_ended("half", first, 400, 45_000, EndReason::Skipped),
        play_ended("early", second, 500, 5_000, EndReason::Skipped),
        PlayEvent { kind: PlayEventKind::PlayStart, ..play_end("start", second, 600) },
    ];
    test.listening.record_plays(user, &events, 1_000).await.unwrap();
    let mut signals = test.signals.track_signals(0).await.unwrap();
    signals.sort_by_key(|signal| signal.track);
    let expected = [
        TrackSignal { user, track: first, counted_plays: 3, completed_plays: 2, early_skips: 0, last_played_at: 400 },
        TrackSignal { user, track: second, counted_plays: 0, completed_plays: 0, early_skips: 1, last_played_at: 500 },
    ];
    assert_eq!(signals, expected);
    let since_350 = test.signals.track_signals(350).await.unwrap();
    assert_eq!(since_350.len(), 2, "both tracks have an ended play at or after 350");
    assert!(since_350.iter().any(|signal| signal.track == first && signal.counted_plays == 1), "{since_350:?}");

    let album = test.store.track(first).await.unwrap().summary.album.id;
    test.listening.like(user, LikeTarget::Track(second), 700).await.unwrap();
    test.listening.like(user, LikeTarget::Album(album), 800).await.unwrap();
    let mut likes = test.signals.like_signals().await.unwrap();
    likes.sort_by_key(|like| like.liked_at);
    assert_eq!(
        likes,
        [
            LikeSignal { user, target: LikeTarget::Track(second), liked_at: 700 },
            LikeSignal { user, target: LikeTarget::Album(album), liked_at: 800 },
        ]
    );

    let playlist = NewPlaylist { name: "Mix".into(), description: String::new(), public: false };
    let playlist = test.playlists.create_playlist(user, &playlist, 900).await.unwrap();
    let add = EntriesEdit::Add { tracks: vec![second], position: None };
    test.playlists.edit_entries(playlist.id, &add, None, 950).await.unwrap();
    let adds = test.signals.playlist_add_signals().await.unwrap();
    assert_eq!(adds, [PlaylistAddSignal { user, track: second, added_at: 950 }]);
}

/// Each publication is the next version (older than the one before are dropped); a node that has
/// the latest is told there is nothing newer.
async fn published_models_are_versioned_and_the_latest_is_loaded(test: &TestStore) {
    assert_eq!(test.signals.latest_model(None).await.unwrap(), None, "nothing published yet");
    let versions = [
        test.signals.publish_model(10, b"one").await.unwrap(),
        test.signals.publish_model(20, b"two").await.unwrap(),
        test.signals.publish_model(30, b"three").await.unwrap(),
    ];
    assert_eq!(versions, [1, 2, 3]);
    let latest = test.signals.latest_model(None).await.unwrap().unwrap();
    assert_eq!((latest.version, latest.trained_at, latest.bytes.as_slice()), (3, 30, b"three".as_slice()));
    assert_eq!(test.signals.latest_model(Some(3)).await.unwrap(), None, "nothing newer than 3");
    assert_eq!(test.signals.latest_model(Some(2)).await.unwrap().map(|model| model.version), Some(3));
    assert_eq!(test.signals.publish_model(40, b"four").await.unwrap(), 4);
    assert_eq!(test.signals.latest_model(Some(1)).await.unwrap().map(|model| model.version), Some(4));
}

/// One holder leads a job at a time: the lease is refused while held, and comes back when it is
/// released or dropped (a node that dies drops it with its connection).
async fn a_job_has_one_leader_until_the_lease_is_given_back(test: &TestStore) {
    let job = LeaderJob::RecommenderTraining;
    let lease = test.leadership.try_lead(job).await.unwrap().expect("nobody leads yet");
    assert!(test.leadership.try_lead(job).await.unwrap().is_none(), "a second leader while the first holds it");
    lease.release().await.unwrap();
    let again = test.leadership.try_lead(job).await.unwrap().expect("released, so free again");
    drop(again);
    assert!(test.leadership.try_lead(job).await.unwrap().is_some(), "a dropped lease is given back");
}

/// The content model's genres: every genre of every track, by name.
async fn track_genres_name_every_genre_of_every_track(test: &TestStore) {
    let (_, first, second) = listener_and_two_tracks(test).await;
    let mut expected = Vec::new();
    for track in [first, second] {
        let detail = test.store.track(track).await.unwrap();
        expected.extend(detail.genres.into_iter().map(|genre| (track, genre.name)));
    }
    expected.sort();
    let mut genres = test.signals.track_genres().await.unwrap();
    genres.sort();
    assert!(!genres.is_empty(), "the test tracks are tagged with a genre");
    assert_eq!(genres, expected);
}

macro_rules! conformance {
    (
        catalog: [$($name:ident),+ $(,)?],
        users: [$($user_case:ident),+ $(,)?],
        stores: [$($stores_case:ident),+ $(,)?] $(,)?
    ) => {
        mod sqlite_store {
            $( #[tokio::test] async fn $stores_case() { let test = super::sqlite().await; super::$stores_case(&test).await; test.finish().await; } )+
            $( #[tokio::test] async fn $name() { let test = super::sqlite().await; super::$name(test.store.as_ref()).await; test.finish().await; } )+
            $( #[tokio::test] async fn $user_case() { let test = super::sqlite().await; super::$user_case(test.users.as_ref()).await; test.finish().await; } )+
            #[tokio::test]
            async fn the_first_stream_key_of_a_rendition_wins() {
                let test = super::sqlite().await;
                super::the_first_stream_key_of_a_rendition_wins(test.store.as_ref(), test.stream_keys.as_ref()).await;
                test.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_first_requests_get_the_same_stream_keys() {
                let test = super::sqlite().await;
                super::concurrent_first_requests_get_the_same_stream_keys(test.store.as_ref(), test.stream_keys.clone()).await;
                test.finish().await;
            }
        }
        mod postgres_store {
            $( #[tokio::test] async fn $stores_case() {
                match super::postgres().await {
                    Some(test) => { super::$stores_case(&test).await; test.finish().await; }
                    None => eprintln!("skipped: TONEARM_TEST_DATABASE_URL is not set"),
                }
            } )+
            $( #[tokio::test] async fn $name() {
                match super::postgres().await {
                    Some(test) => { super::$name(test.store.as_ref()).await; test.finish().await; }
                    None => eprintln!("skipped: TONEARM_TEST_DATABASE_URL is not set"),
                }
            } )+
            $( #[tokio::test] async fn $user_case() {
                match super::postgres().await {
                    Some(test) => { super::$user_case(test.users.as_ref()).await; test.finish().await; }
                    None => eprintln!("skipped: TONEARM_TEST_DATABASE_URL is not set"),
                }
            } )+
            #[tokio::test]
            async fn the_first_stream_key_of_a_rendition_wins() {
                if let Some(test) = super::postgres().await {
                    super::the_first_stream_key_of_a_rendition_wins(test.store.as_ref(), test.stream_keys.as_ref())
                        .await;
                    test.finish().await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_first_requests_get_the_same_stream_keys() {
                if let Some(test) = super::postgres().await {
                    super::concurrent_first_requests_get_the_same_stream_keys(test.store.as_ref(), test.stream_keys.clone())
                        .await;
                    test.finish().await;
                }
            }
        }
    };
}

conformance!(
    catalog: [
        album_facts_come_from_any_track_in_any_order,
        moves_keep_ids_and_removals_prune_orphans,
        equal_sort_keys_paginate_by_id,
        a_failing_batch_leaves_nothing_behind,
        catalog_listing_holds_every_entity_with_its_credits,
    ],
    users: [users_are_unique_by_key_and_the_first_is_admin, settings_start_at_defaults_and_change_one_at_a_time],
    stores: [
        repeats_within_a_batch_are_stored_and_counted_once,
        a_batch_partly_seen_before_stores_and_counts_only_the_new_events,
        recently_played_lists_each_track_at_its_latest_play,
        signals_sum_each_listeners_ended_plays_likes_and_playlist_adds,
        published_models_are_versioned_and_the_latest_is_loaded,
        a_job_has_one_leader_until_the_lease_is_given_back,
        track_genres_name_every_genre_of_every_track,
    ],
);
