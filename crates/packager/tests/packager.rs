//! The packager against a real source file and a real on-disk store: single-flight jobs,
//! encrypted segments, the size bound, failures that are not retried, and recovery.

use std::path::Path;
use std::sync::Arc;

use tonearm_delivery::{LocalObjectStore, ObjectStore};
use tonearm_media::encryption::decrypt_segment;
use tonearm_media::{Rendition, TranscodeOptions};
use tonearm_packager::{JobSpec, MediaFile, Packager, PackagerConfig, PackagerError, RenditionAddress};
use tonearm_testkit::{AudioKind, encode_tone, require_tool};

const KEY: [u8; 16] = *b"0123456789abcdef";

fn spec(track: i64, source: &Path) -> JobSpec {
    JobSpec {
        address: RenditionAddress { track, rendition: "aac-lc-64".into(), digest: format!("d{track}") },
        source: source.to_owned(),
        rendition: Rendition::aac_lc(64),
        options: TranscodeOptions::default(),
        content_key: KEY,
    }
}

fn tone(dir: &Path, name: &str, seconds: f64) -> std::path::PathBuf {
    require_tool("ffmpeg");
    let path = dir.join(name);
    encode_tone(&path, AudioKind::Wav, seconds, 330.0);
    path
}

async fn packager(store_dir: &Path, config: PackagerConfig) -> Arc<Packager> {
    let store: Arc<dyn ObjectStore> = Arc::new(LocalObjectStore::open(store_dir).unwrap());
    Packager::open(store, config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_requests_for_a_cold_segment_share_one_job() {
    let dir = tempfile::tempdir().unwrap();
    let source = tone(dir.path(), "tone.wav", 20.0);
    let packager = packager(&dir.path().join("cache"), PackagerConfig::default()).await;
    let job = spec(1, &source);
    let requests = (0..50).map(|n| {
        let packager = Arc::clone(&packager);
        let job = job.clone();
        tokio::spawn(async move {
            let file = if n % 2 == 0 { MediaFile::Segment(2) } else { MediaFile::Init };
            let body = packager.file(&job.address.clone(), file, || job).await?;
            Ok::<_, PackagerError>(body.into_bytes().await.unwrap())
        })
    });
    let results = futures_join(requests).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert_eq!(packager.stats().jobs_started, 1, "one encode for fifty requests");
    let segment = results[0].as_ref().unwrap();
    let clear = decrypt_segment(&KEY, 2, segment).expect("segment 2 decrypts with IV 2");
    assert_eq!(&clear[4..8], b"styp", "a CMAF media segment");
    assert_eq!(&results[1].as_ref().unwrap()[4..8], b"ftyp", "the init segment is clear");
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn the_cache_stays_within_its_bound_evicting_the_least_recently_used() {
    let dir = tempfile::tempdir().unwrap();
    let sources: Vec<_> = (1..=3).map(|n| tone(dir.path(), &format!("{n}.wav"), 12.0)).collect();
    let cache = dir.path().join("cache");
    // One 12 s rendition at 64 kbps is about 100 kB: the bound holds two.
    let config = PackagerConfig { cache_limit_bytes: 250_000, ..PackagerConfig::default() };
    let packager = packager(&cache, config).await;
    for (n, source) in sources.iter().enumerate().take(2) {
        packager.prebuild(spec(n as i64 + 1, source)).await.unwrap();
    }
    // Track 1 is played again, so track 2 is now the least recently used.
    assert!(packager.cached(&spec(1, &sources[0]).address, MediaFile::Init).await.unwrap().is_some());
    packager.prebuild(spec(3, &sources[2])).await.unwrap();
    let stats = packager.stats();
    assert!(stats.cache_bytes <= 250_000, "{stats:?}");
    assert_eq!((stats.cached_renditions, stats.evicted_renditions), (2, 1), "{stats:?}");
    assert!(!cache.join(spec(2, &sources[1]).address.prefix()).exists(), "track 2's files are deleted");
    assert!(cache.join(spec(1, &sources[0]).address.prefix()).exists());
    assert!(cache.join(spec(3, &sources[2]).address.prefix()).exists());
}

#[tokio::test]
async fn a_corrupt_source_fails_cleanly_and_is_not_retried() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("broken.mp3");
    std::fs::write(&source, b"ID3 this is not audio at all, only text pretending").unwrap();
    let packager = packager(&dir.path().join("cache"), PackagerConfig::default()).await;
    let job = spec(9, &source);
    for _ in 0..3 {
        let error = packager.file(&job.address, MediaFile::Segment(0), || job.clone()).await.unwrap_err();
        assert!(matches!(error, PackagerError::JobFailed { .. }), "{error:?}");
    }
    let stats = packager.stats();
    assert_eq!((stats.jobs_started, stats.jobs_failed), (1, 1), "the failure is remembered: {stats:?}");
    assert!(!dir.path().join("cache").join(job.address.prefix()).exists(), "nothing half-made stays");
}

#[tokio::test]
async fn reopening_keeps_finished_renditions_and_drops_unfinished_ones() {
    let dir = tempfile::tempdir().unwrap();
    let source = tone(dir.path(), "tone.wav", 8.0);
    let cache = dir.path().join("cache");
    let finished = spec(1, &source);
    packager(&cache, PackagerConfig::default()).await.prebuild(finished.clone()).await.unwrap();
    // What a job killed halfway leaves: pieces without the completion marker.
    let store = LocalObjectStore::open(&cache).unwrap();
    let unfinished = spec(2, &source).address;
    store.put(&unfinished.key_of(MediaFile::Init), bytes::Bytes::from_static(b"partial")).await.unwrap();

    let reopened = packager(&cache, PackagerConfig::default()).await;
    let stats = reopened.stats();
    assert_eq!(stats.cached_renditions, 1, "{stats:?}");
    assert!(stats.cache_bytes > 50_000, "{stats:?}");
    assert!(reopened.cached(&finished.address, MediaFile::Segment(1)).await.unwrap().is_some());
    assert!(store.get(&unfinished.key_of(MediaFile::Init)).await.unwrap().is_none());
}

/// With one encoder busy on a long track, a new track's first segment comes after a segment
/// of the running job, not after all of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_job_gets_its_first_segment_while_a_long_job_is_still_running() {
    let dir = tempfile::tempdir().unwrap();
    let long = tone(dir.path(), "long.wav", 120.0);
    let short = tone(dir.path(), "short.wav", 12.0);
    let config = PackagerConfig { concurrent_jobs: 1, ..PackagerConfig::default() };
    let packager = packager(&dir.path().join("cache"), config).await;
    let running = spec(1, &long);
    packager.file(&running.address.clone(), MediaFile::Segment(0), || running.clone()).await.unwrap();

    let new = spec(2, &short);
    let first = packager.file(&new.address.clone(), MediaFile::Segment(0), || new.clone()).await.unwrap();

    assert!(first.len() > 1000);
    let last = packager.cached(&running.address, MediaFile::Segment(19)).await.unwrap();
    assert!(last.is_none(), "the long job is far from done: {:?}", packager.stats());
    packager.prebuild(running).await.unwrap();
    assert!(packager.cached(&new.address, MediaFile::Segment(1)).await.unwrap().is_some(), "both finish");
}

#[tokio::test]
async fn a_requested_file_is_then_answered_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let source = tone(dir.path(), "tone.wav", 8.0);
    let cache = dir.path().join("cache");
    let job = spec(1, &source);
    let address = job.address.clone();
    let kept = packager(&cache, PackagerConfig::default()).await;
    kept.prebuild(job.clone()).await.unwrap();
    let first = kept.cached(&address, MediaFile::Segment(0)).await.unwrap().unwrap().into_bytes().await.unwrap();
    // Gone from the store, the file is still answered, byte for byte, from memory.
    std::fs::remove_file(cache.join(address.key_of(MediaFile::Segment(0)))).unwrap();
    let again = kept.cached(&address, MediaFile::Segment(0)).await.unwrap().expect("kept in memory");
    assert_eq!(again.into_bytes().await.unwrap(), first);
    assert!(kept.cached(&address, MediaFile::Segment(1)).await.unwrap().is_some(), "other files from the store");

    let without_memory = packager(&cache, PackagerConfig { memory_limit_bytes: 0, ..PackagerConfig::default() }).await;
    std::fs::remove_file(cache.join(address.key_of(MediaFile::Segment(1)))).unwrap();
    assert!(without_memory.cached(&address, MediaFile::Segment(1)).await.unwrap().is_none());
}
