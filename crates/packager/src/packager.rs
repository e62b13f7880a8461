//! The registry of renditions being made and made: a request for a file of a rendition is
//! answered from the cache, or waits for the one job producing that rendition (started by
//! the first request, joined by every later one), and only until its file exists.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tonearm_delivery::{ObjectBody, ObjectStore, ObjectStoreError};
use tonearm_media::MediaErrorKind;

use crate::address::{MediaFile, RenditionAddress};
use crate::cache_index::CacheIndex;
use crate::hot_files::HotFiles;
use crate::job::{JobSpec, Piece, encode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackagerConfig {
    /// The bound on finished renditions kept; least recently used go first beyond it.
    pub cache_limit_bytes: u64,
    /// The bound on rendition files also kept in memory (the most requested ones).
    pub memory_limit_bytes: usize,
    /// Jobs encoding at once (each takes one core).
    pub concurrent_jobs: usize,
    /// Jobs waiting for a free encoder beyond which new ones are refused (`Busy`).
    pub max_queued_jobs: usize,
}

impl Default for PackagerConfig {
    fn default() -> Self {
        Self {
            cache_limit_bytes: 2 << 30,
            memory_limit_bytes: 64 << 20,
            concurrent_jobs: std::thread::available_parallelism().map_or(1, usize::from),
            max_queued_jobs: 32,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum PackagerError {
    #[error("every encoder is busy and the queue is full: try again shortly")]
    Busy,
    /// The job for a rendition of `track` failed; `kind` says whether the source itself is at
    /// fault. `message` is for logs: it may name the source file.
    #[error("a rendition of track {track} cannot be made: {message}")]
    JobFailed { track: i64, kind: MediaErrorKind, message: String },
    #[error("the job producing this rendition stopped before the file was made")]
    JobLost,
    #[error("media cache: {0}")]
    Store(Arc<ObjectStoreError>),
}

impl From<ObjectStoreError> for PackagerError {
    fn from(error: ObjectStoreError) -> Self {
        Self::Store(Arc::new(error))
    }
}

/// Counters for operators (`/api/v1/admin/transcoding`) and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackagerStats {
    pub jobs_started: u64,
    pub jobs_failed: u64,
    pub jobs_running: usize,
    pub jobs_queued: usize,
    pub cached_renditions: usize,
    pub cache_bytes: u64,
    pub cache_limit_bytes: u64,
    pub evicted_renditions: u64,
}

/// How far a job has got; waiters watch it.
#[derive(Debug, Clone, Default)]
struct Progress {
    init_ready: bool,
    segments_ready: u32,
    failure: Option<PackagerError>,
}

impl Progress {
    fn has(&self, file: MediaFile) -> bool {
        match file {
            MediaFile::Init => self.init_ready,
            MediaFile::Segment(index) => index < self.segments_ready,
        }
    }
}

/// What a request for a file not found in the cache joins.
enum Joined<F> {
    /// The rendition's job, running or just started.
    Running(watch::Receiver<Progress>),
    /// No job: the rendition is complete (the job's spec comes back unused).
    Complete(F),
}

/// A failed job is remembered, so requests for a broken source fail at once instead of
/// starting a job per request. Sources at fault are remembered until their file changes
/// (which changes the address); other failures only briefly.
struct Failure {
    error: PackagerError,
    until: Option<Instant>,
}

const TRANSIENT_FAILURE_MEMORY: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Registry {
    running: HashMap<RenditionAddress, watch::Receiver<Progress>>,
    failed: HashMap<RenditionAddress, Failure>,
}

pub struct Packager {
    store: Arc<dyn ObjectStore>,
    registry: Mutex<Registry>,
    index: Mutex<CacheIndex>,
    hot: HotFiles,
    encoders: Arc<Semaphore>,
    config: PackagerConfig,
    queued: AtomicUsize,
    jobs_started: AtomicU64,
    jobs_failed: AtomicU64,
    evicted: AtomicU64,
}

impl Packager {
    /// Opens the cache: finished renditions are indexed (least recently used first by key
    /// order, as the store keeps no access times), and unfinished ones, left by a job that
    /// was interrupted, are deleted.
    pub async fn open(store: Arc<dyn ObjectStore>, config: PackagerConfig) -> Result<Arc<Self>, PackagerError> {
        let mut sizes: HashMap<RenditionAddress, (u64, bool)> = HashMap::new();
        for object in store.list(&RenditionAddress::root_prefix()).await? {
            if let Some((address, is_marker)) = RenditionAddress::parse_object_key(&object.key) {
                let entry = sizes.entry(address).or_default();
                entry.0 += object.size;
                entry.1 |= is_marker;
            }
        }
        let mut index = CacheIndex::new(config.cache_limit_bytes);
        for (address, (bytes, complete)) in sizes {
            if complete {
                index.insert(address, bytes);
            } else {
                store.delete_prefix(&address.prefix()).await?;
            }
        }
        let packager = Arc::new(Self {
            store,
            registry: Mutex::default(),
            index: Mutex::new(index),
            hot: HotFiles::new(config.memory_limit_bytes),
            encoders: Arc::new(Semaphore::new(config.concurrent_jobs.max(1))),
            config,
            queued: AtomicUsize::new(0),
            jobs_started: AtomicU64::new(0),
            jobs_failed: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
        });
        packager.evict_over_limit().await;
        Ok(packager)
    }

    /// The file when the cache has it; no job is started.
    pub async fn cached(
        &self,
        address: &RenditionAddress,
        file: MediaFile,
    ) -> Result<Option<ObjectBody>, PackagerError> {
        let key = address.key_of(file);
        if let Some(bytes) = self.hot.get(&key) {
            self.lock_index().touch(address);
            return Ok(Some(ObjectBody::Bytes(bytes)));
        }
        let body = self.store.get(&key).await?;
        if let Some(body) = &body {
            self.lock_index().touch(address);
            // Small objects come back read; larger ones are sent from their file, uncopied.
            if let ObjectBody::Bytes(bytes) = body {
                self.hot.insert(key, bytes.clone());
            }
        }
        Ok(body)
    }

    /// The file, from the cache or from the rendition's one job, started if none runs.
    /// `spec` is only called when a job must start (it may be costly: it unwraps a key).
    pub async fn file(
        self: &Arc<Self>,
        address: &RenditionAddress,
        file: MediaFile,
        spec: impl FnOnce() -> JobSpec,
    ) -> Result<ObjectBody, PackagerError> {
        match self.cached(address, file).await? {
            Some(body) => Ok(body),
            None => self.made(address, file, spec).await,
        }
    }

    /// A file the cache did not have ([`Self::cached`] said so): from the rendition's one
    /// job, started if none runs, as soon as the job has stored it (not when the job ends).
    /// A rendition finished since the cache was asked is read, never made again.
    pub async fn made(
        self: &Arc<Self>,
        address: &RenditionAddress,
        file: MediaFile,
        spec: impl FnOnce() -> JobSpec,
    ) -> Result<ObjectBody, PackagerError> {
        let mut progress = match self.join_or_start(address, spec)? {
            Joined::Running(progress) => progress,
            Joined::Complete(spec) => match self.cached(address, file).await? {
                Some(body) => return Ok(body),
                // Indexed as complete, yet the file is gone (deleted by hand, a disk
                // cleaner): the rendition is made again.
                None => {
                    tracing::warn!(track = address.track, rendition = %address.rendition, "cached rendition lost its files");
                    self.lock_index().remove(address);
                    match self.join_or_start(address, spec)? {
                        Joined::Running(progress) => progress,
                        Joined::Complete(_) => return Err(PackagerError::JobLost),
                    }
                }
            },
        };
        let reached = progress
            .wait_for(|progress| progress.has(file) || progress.failure.is_some())
            .await
            .map(|progress| progress.failure.clone());
        let failure = match reached {
            Ok(failure) => failure,
            // The job ended and dropped its sender; its last state decides.
            Err(_) => {
                let last = progress.borrow();
                if last.has(file) { None } else { Some(last.failure.clone().unwrap_or(PackagerError::JobLost)) }
            }
        };
        if let Some(error) = failure {
            return Err(error);
        }
        self.cached(address, file).await?.ok_or(PackagerError::JobLost)
    }

    /// Produces a whole rendition (for pre-building) and waits until it is cached.
    pub async fn prebuild(self: &Arc<Self>, spec: JobSpec) -> Result<(), PackagerError> {
        let address = spec.address.clone();
        if self.store.get(&address.completion_key()).await?.is_some() {
            return Ok(());
        }
        // Not stored, so not complete, whatever the index says.
        self.lock_index().remove(&address);
        let Joined::Running(mut progress) = self.join_or_start(&address, || spec)? else {
            return Ok(());
        };
        let _ = progress.wait_for(|progress| progress.failure.is_some()).await;
        if let Some(error) = progress.borrow().failure.clone() {
            return Err(error);
        }
        match self.store.get(&address.completion_key()).await? {
            Some(_) => Ok(()),
            None => Err(PackagerError::JobLost),
        }
    }

    /// A slot on the encoder pool for other blocking encoding work (progressive transcodes),
    /// so all encoding shares one bound; `Busy` when the queue is already full.
    pub async fn encoder_slot(&self) -> Result<OwnedSemaphorePermit, PackagerError> {
        if self.encoders.available_permits() == 0 && self.queued.load(Ordering::Relaxed) >= self.config.max_queued_jobs
        {
            return Err(PackagerError::Busy);
        }
        self.queued.fetch_add(1, Ordering::Relaxed);
        let permit = Arc::clone(&self.encoders).acquire_owned().await;
        self.queued.fetch_sub(1, Ordering::Relaxed);
        permit.map_err(|_| PackagerError::JobLost)
    }

    pub fn stats(&self) -> PackagerStats {
        let (cached_renditions, cache_bytes) = {
            let index = self.lock_index();
            (index.len(), index.total_bytes())
        };
        let running = self.lock_registry().running.len();
        let queued = self.queued.load(Ordering::Relaxed);
        PackagerStats {
            jobs_started: self.jobs_started.load(Ordering::Relaxed),
            jobs_failed: self.jobs_failed.load(Ordering::Relaxed),
            jobs_running: running.saturating_sub(queued),
            jobs_queued: queued,
            cached_renditions,
            cache_bytes,
            cache_limit_bytes: self.config.cache_limit_bytes,
            evicted_renditions: self.evicted.load(Ordering::Relaxed),
        }
    }

    /// The progress of the rendition's job, joined or started; `Complete` (with `spec`
    /// unused) when the rendition is already cached, as when a job finished between a cache
    /// miss and this call: it is indexed before it leaves `running`, and both are checked
    /// under the registry lock.
    fn join_or_start<F: FnOnce() -> JobSpec>(
        self: &Arc<Self>,
        address: &RenditionAddress,
        spec: F,
    ) -> Result<Joined<F>, PackagerError> {
        let mut registry = self.lock_registry();
        if let Some(progress) = registry.running.get(address) {
            return Ok(Joined::Running(progress.clone()));
        }
        if self.lock_index().contains(address) {
            return Ok(Joined::Complete(spec));
        }
        if let Some(failure) = registry.failed.get(address) {
            if failure.until.is_none_or(|until| Instant::now() < until) {
                return Err(failure.error.clone());
            }
            registry.failed.remove(address);
        }
        let waiting = self.queued.load(Ordering::Relaxed);
        if self.encoders.available_permits() == 0 && waiting >= self.config.max_queued_jobs {
            return Err(PackagerError::Busy);
        }
        let (sender, receiver) = watch::channel(Progress::default());
        registry.running.insert(address.clone(), receiver.clone());
        self.queued.fetch_add(1, Ordering::Relaxed);
        self.jobs_started.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(Arc::clone(self).run(spec(), sender));
        Ok(Joined::Running(receiver))
    }

    async fn run(self: Arc<Self>, spec: JobSpec, progress: watch::Sender<Progress>) {
        let address = spec.address.clone();
        let permit = Arc::clone(&self.encoders).acquire_owned().await;
        self.queued.fetch_sub(1, Ordering::Relaxed);
        let outcome = match permit {
            Ok(permit) => self.produce(spec, permit, &progress).await,
            Err(_) => Err(PackagerError::JobLost),
        };
        match outcome {
            Ok(bytes) => {
                self.lock_index().insert(address.clone(), bytes);
                self.lock_registry().running.remove(&address);
                tracing::info!(track = address.track, rendition = %address.rendition, bytes, "rendition cached");
                self.evict_over_limit().await;
            }
            Err(error) => {
                self.jobs_failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(track = address.track, rendition = %address.rendition, %error, "transcoding job failed");
                if let Err(cleanup) = self.store.delete_prefix(&address.prefix()).await {
                    tracing::warn!(%cleanup, "cannot delete the pieces of a failed rendition");
                }
                let until = match &error {
                    PackagerError::JobFailed {
                        kind: MediaErrorKind::CorruptSource | MediaErrorKind::UnsupportedSource,
                        ..
                    } => None,
                    _ => Some(Instant::now() + TRANSIENT_FAILURE_MEMORY),
                };
                let mut registry = self.lock_registry();
                registry.running.remove(&address);
                registry.failed.insert(address, Failure { error: error.clone(), until });
                drop(registry);
                progress.send_modify(|progress| progress.failure = Some(error));
            }
        }
    }

    /// Encodes on a blocking thread while storing each piece as it arrives; returns the
    /// rendition's size once its completion marker is written.
    async fn produce(
        self: &Arc<Self>,
        spec: JobSpec,
        permit: OwnedSemaphorePermit,
        progress: &watch::Sender<Progress>,
    ) -> Result<u64, PackagerError> {
        let started = Instant::now();
        let (pieces_tx, mut pieces) = mpsc::channel::<Piece>(2);
        let encoder_spec = spec.clone();
        let mut turn = EncoderTurn {
            permit: Some(permit),
            packager: Arc::clone(self),
            runtime: tokio::runtime::Handle::current(),
        };
        let encoder = tokio::task::spawn_blocking(move || encode(&encoder_spec, &pieces_tx, || turn.pass_if_awaited()));
        let mut total_bytes = 0u64;
        while let Some(piece) = pieces.recv().await {
            total_bytes += piece.bytes.len() as u64;
            self.store.put(&spec.address.key_of(piece.file), piece.bytes).await?;
            progress.send_modify(|progress| match piece.file {
                MediaFile::Init => progress.init_ready = true,
                MediaFile::Segment(index) => progress.segments_ready = index + 1,
            });
        }
        match encoder.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                return Err(PackagerError::JobFailed {
                    track: spec.address.track,
                    kind: error.kind(),
                    message: error.to_string(),
                });
            }
            Err(_) => return Err(PackagerError::JobLost),
        }
        let marker = Bytes::from(total_bytes.to_string());
        total_bytes += marker.len() as u64;
        self.store.put(&spec.address.completion_key(), marker).await?;
        tracing::debug!(
            track = spec.address.track,
            rendition = %spec.address.rendition,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "rendition encoded"
        );
        Ok(total_bytes)
    }

    async fn evict_over_limit(&self) {
        let evicted = {
            let mut index = self.lock_index();
            index.evict_over_limit()
        };
        for address in evicted {
            self.evicted.fetch_add(1, Ordering::Relaxed);
            if let Err(error) = self.store.delete_prefix(&address.prefix()).await {
                tracing::warn!(%error, "cannot delete an evicted rendition");
            }
        }
    }

    fn lock_registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock_index(&self) -> std::sync::MutexGuard<'_, CacheIndex> {
        self.index.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running job's hold on an encoder, passed on between segments whenever another job (or
/// a progressive transcode) waits for one: the semaphore is fair, so the waiter goes first
/// and this job queues behind it. Encoders are thus shared segment by segment: a track just
/// asked for gets its first segment after at most one segment of each running job, instead
/// of after whole tracks of jobs that are far ahead of their listeners. Runs on the job's
/// blocking thread, so waiting blocks only that thread.
struct EncoderTurn {
    permit: Option<OwnedSemaphorePermit>,
    packager: Arc<Packager>,
    runtime: tokio::runtime::Handle,
}

impl EncoderTurn {
    fn pass_if_awaited(&mut self) {
        let packager = &self.packager;
        if packager.queued.load(Ordering::Relaxed) == 0 {
            return;
        }
        drop(self.permit.take());
        packager.queued.fetch_add(1, Ordering::Relaxed);
        // The semaphore is never closed; were it, the job would go on without a turn.
        self.permit = self.runtime.block_on(Arc::clone(&packager.encoders).acquire_owned()).ok();
        packager.queued.fetch_sub(1, Ordering::Relaxed);
    }
}
