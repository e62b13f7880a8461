//! One incremental scan: walk, compare with the catalog, read what is new or changed on
//! worker threads, and write the changes in atomic batches while reading goes on.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::mpsc;
use tonearm_domain::CoverId;
use tonearm_model::{CatalogStore, CatalogVersion, CoverRecord, CoverSource, IndexedFile, ScanChange, ScanIssue};

use crate::covers::folder_cover;
use crate::fingerprint::fingerprint;
use crate::progress::now_ms;
use crate::read::{FileProblem, ProblemKind, read_track};
use crate::walk::{FoundFile, walk};
use crate::{CoverStore, IngestError, ScanProgress};

/// Changes per transaction: large enough to amortise commits, small enough that the
/// catalog fills visibly during a first scan.
const BATCH_SIZE: usize = 500;
/// Thumbnail sizes made right after a scan, so the first screenful of covers is instant.
const WARM_SIZES: [u32; 2] = [64, 300];

/// What a scan did.
#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    pub files_seen: u64,
    pub unchanged: u64,
    pub added: u64,
    pub updated: u64,
    pub moved: u64,
    pub removed: u64,
    /// Files skipped by this scan, with the reason.
    pub failed: Vec<ScanIssue>,
    pub elapsed_ms: u64,
}

pub struct Scanner {
    store: Arc<dyn CatalogStore>,
    covers: CoverStore,
    roots: Vec<PathBuf>,
    progress: Arc<ScanProgress>,
    version: CatalogVersion,
    running: tokio::sync::Mutex<()>,
}

/// A file the walk found that must be read.
struct Job {
    file: FoundFile,
    root: PathBuf,
    /// Whether its path is already in the catalog (its content changed).
    known: bool,
}

enum Outcome {
    Read(Box<tonearm_model::ScannedTrack>, Vec<CoverRecord>),
    Moved(ScanChange),
    Failed(ScanIssue),
}

/// Shared by the reader threads of one scan.
struct ReadContext {
    covers: CoverStore,
    /// Catalogued files that vanished, by fingerprint: a new file matching one is a move.
    vanished: Mutex<HashMap<String, Vec<IndexedFile>>>,
    folder_covers: Mutex<HashMap<PathBuf, Option<CoverRecord>>>,
}

impl Scanner {
    /// `roots` are made absolute so catalog paths stay valid whatever the working directory.
    pub fn new(store: Arc<dyn CatalogStore>, covers: CoverStore, roots: Vec<PathBuf>) -> Self {
        let roots = roots.into_iter().map(|root| std::fs::canonicalize(&root).unwrap_or(root)).collect();
        Self {
            store,
            covers,
            roots,
            progress: Arc::default(),
            version: CatalogVersion::default(),
            running: tokio::sync::Mutex::new(()),
        }
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    pub fn progress(&self) -> Arc<ScanProgress> {
        Arc::clone(&self.progress)
    }

    pub fn covers(&self) -> &CoverStore {
        &self.covers
    }

    /// Bumped after every batch the scanner commits.
    pub fn catalog_version(&self) -> CatalogVersion {
        self.version.clone()
    }

    /// Scans every root; concurrent calls queue behind the running scan.
    pub async fn scan(&self) -> Result<ScanReport, IngestError> {
        let _one_at_a_time = self.running.lock().await;
        let started = Instant::now();
        self.progress.start();
        let result = self.scan_inner().await;
        self.progress.finish();
        let mut report = result?;
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        tracing::info!(
            seen = report.files_seen,
            unchanged = report.unchanged,
            added = report.added,
            updated = report.updated,
            moved = report.moved,
            removed = report.removed,
            failed = report.failed.len(),
            elapsed_ms = report.elapsed_ms,
            "library scan finished"
        );
        Ok(report)
    }

    async fn scan_inner(&self) -> Result<ScanReport, IngestError> {
        // The walk and the catalog's list of files do not depend on each other: overlap them.
        let roots = self.roots.clone();
        let walking = tokio::task::spawn_blocking(move || walk(&roots));
        let indexed = self.store.indexed_files().await?;
        let issues_before: HashSet<String> = self.store.scan_issues().await?.into_iter().map(|i| i.path).collect();
        let (found, walk_problems) = walking.await.map_err(|error| IngestError::Worker(error.to_string()))??;

        let mut report = ScanReport { files_seen: found.len() as u64, ..ScanReport::default() };
        let mut failed_paths = HashSet::new();
        let mut pending: Vec<ScanChange> = Vec::new();
        for problem in walk_problems {
            let issue = issue(&problem.path, FileProblem { kind: ProblemKind::Unreadable, detail: problem.detail });
            failed_paths.insert(issue.path.clone());
            report.failed.push(issue.clone());
            pending.push(ScanChange::Fail(issue));
        }

        let mut by_path: HashMap<String, IndexedFile> = indexed.into_iter().map(|f| (f.path.clone(), f)).collect();
        let mut jobs = Vec::new();
        for file in found {
            let root = self.root_of(&file.path);
            let Some(path) = file.path.to_str() else {
                let problem =
                    FileProblem { kind: ProblemKind::Unreadable, detail: "the path is not valid UTF-8".into() };
                let issue = issue(&file.path, problem);
                failed_paths.insert(issue.path.clone());
                report.failed.push(issue.clone());
                pending.push(ScanChange::Fail(issue));
                continue;
            };
            match by_path.remove(path) {
                Some(known) if known.file_size == file.size as i64 && known.mtime_ns == file.mtime_ns => {
                    report.unchanged += 1;
                }
                Some(_) => jobs.push(Job { file, root, known: true }),
                None => jobs.push(Job { file, root, known: false }),
            }
        }
        self.progress.walked(report.files_seen, report.unchanged);

        let mut vanished: HashMap<String, Vec<IndexedFile>> = HashMap::new();
        for file in by_path.into_values() {
            vanished.entry(file.fingerprint.clone()).or_default().push(file);
        }
        let context = ReadContext {
            covers: self.covers.clone(),
            vanished: Mutex::new(vanished),
            folder_covers: Mutex::new(HashMap::new()),
        };
        let (stored_covers, still_vanished) =
            self.read_and_apply(jobs, context, &mut report, &mut failed_paths, pending).await?;

        self.progress.finishing();
        let mut closing: Vec<ScanChange> = Vec::new();
        for file in still_vanished.into_values().flatten() {
            report.removed += 1;
            closing.push(ScanChange::Remove(file.track_id));
        }
        closing.extend(issues_before.difference(&failed_paths).cloned().map(ScanChange::ClearIssue));
        for batch in closing.chunks(BATCH_SIZE) {
            self.store.apply_changes(batch, now_ms()).await?;
            self.version.bump();
        }
        // Orphans appear only when tracks changed, moved away or went.
        if report.updated + report.moved + report.removed > 0 {
            self.store.prune_orphans().await?;
            self.version.bump();
        }
        self.warm_thumbnails(stored_covers);
        Ok(report)
    }

    fn root_of(&self, path: &Path) -> PathBuf {
        self.roots.iter().find(|root| path.starts_with(root)).cloned().unwrap_or_default()
    }

    /// Reads `jobs` on one thread per core and applies the results in batches as they come.
    /// Returns the covers stored and the vanished files no new file matched.
    async fn read_and_apply(
        &self,
        jobs: Vec<Job>,
        context: ReadContext,
        report: &mut ScanReport,
        failed_paths: &mut HashSet<String>,
        mut pending: Vec<ScanChange>,
    ) -> Result<(Vec<CoverId>, HashMap<String, Vec<IndexedFile>>), IngestError> {
        let (sender, mut receiver) = mpsc::channel::<(bool, Outcome)>(BATCH_SIZE * 2);
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(jobs.len().max(1));
        // The reader threads share `context` by reference, so they run in a scope on a blocking thread.
        let reader = tokio::task::spawn_blocking(move || {
            let next = AtomicUsize::new(0);
            std::thread::scope(|scope| {
                for _ in 0..workers {
                    let sender = sender.clone();
                    let (jobs, next, context) = (&jobs, &next, &context);
                    scope.spawn(move || {
                        while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let outcome = context.read(job);
                            if sender.blocking_send((job.known, outcome)).is_err() {
                                return;
                            }
                        }
                    });
                }
            });
            context.vanished.into_inner().unwrap_or_else(|p| p.into_inner())
        });

        let mut stored_covers: HashSet<CoverId> = HashSet::new();
        let mut new_covers: Vec<CoverRecord> = Vec::new();
        let mut processed = 0;
        while let Some((known, outcome)) = receiver.recv().await {
            processed += 1;
            match outcome {
                Outcome::Read(track, covers) => {
                    if known {
                        report.updated += 1
                    } else {
                        report.added += 1
                    }
                    for cover in covers {
                        if stored_covers.insert(cover.id.clone()) {
                            new_covers.push(cover);
                        }
                    }
                    pending.push(ScanChange::Upsert(track));
                }
                Outcome::Moved(change) => {
                    report.moved += 1;
                    pending.push(change);
                }
                Outcome::Failed(issue) => {
                    failed_paths.insert(issue.path.clone());
                    report.failed.push(issue.clone());
                    pending.push(ScanChange::Fail(issue));
                }
            }
            if pending.len() >= BATCH_SIZE {
                self.flush(&mut new_covers, &mut pending).await?;
                self.progress.advance(processed);
                processed = 0;
            }
        }
        self.flush(&mut new_covers, &mut pending).await?;
        self.progress.advance(processed);
        let vanished = reader.await.map_err(|error| IngestError::Worker(error.to_string()))?;
        Ok((stored_covers.into_iter().collect(), vanished))
    }

    async fn flush(&self, new_covers: &mut Vec<CoverRecord>, pending: &mut Vec<ScanChange>) -> Result<(), IngestError> {
        // Covers first: tracks reference them.
        for cover in new_covers.drain(..) {
            self.store.upsert_cover(&cover).await?;
        }
        if !pending.is_empty() {
            self.store.apply_changes(pending, now_ms()).await?;
            self.version.bump();
            pending.clear();
        }
        Ok(())
    }

    /// Makes the common thumbnail sizes in the background; requests make any that are missing.
    fn warm_thumbnails(&self, covers: Vec<CoverId>) {
        if covers.is_empty() {
            return;
        }
        let store = self.covers.clone();
        tokio::task::spawn_blocking(move || {
            for cover in &covers {
                for size in WARM_SIZES {
                    if let Err(error) = store.thumbnail(cover, size) {
                        tracing::warn!(cover = %cover, size, %error, "cover thumbnail failed");
                    }
                }
            }
        });
    }
}

impl ReadContext {
    fn read(&self, job: &Job) -> Outcome {
        let path = &job.file.path;
        let size = job.file.size;
        let unreadable = |error: std::io::Error| {
            issue(path, FileProblem { kind: ProblemKind::Unreadable, detail: error.to_string() })
        };
        // One open for the fingerprint and the tags: both read with positioned reads.
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(error) => return Outcome::Failed(unreadable(error)),
        };
        let fingerprint = match fingerprint(&file, size) {
            Ok(fingerprint) => fingerprint,
            Err(error) => return Outcome::Failed(unreadable(error)),
        };
        if !job.known
            && let Some(original) = self.take_vanished(&fingerprint)
        {
            return Outcome::Moved(ScanChange::Move {
                track_id: original.track_id,
                path: path.to_string_lossy().into_owned(),
                file_size: size as i64,
                mtime_ns: job.file.mtime_ns,
            });
        }
        let read = match read_track(&file, path, &job.root, size) {
            Ok(read) => read,
            Err(problem) => return Outcome::Failed(issue(path, problem)),
        };
        let mut track = read.track;
        track.mtime_ns = job.file.mtime_ns;
        track.fingerprint = fingerprint;
        let mut covers = Vec::new();
        let embedded = read.embedded_cover.and_then(|bytes| self.store_cover(path, &bytes, CoverSource::Embedded));
        let cover = embedded.or_else(|| path.parent().and_then(|dir| self.folder_cover(dir)));
        if let Some(cover) = cover {
            track.cover = Some(cover.id.clone());
            covers.push(cover);
        }
        Outcome::Read(Box::new(track), covers)
    }

    fn take_vanished(&self, fingerprint: &str) -> Option<IndexedFile> {
        let mut vanished = self.vanished.lock().unwrap_or_else(|p| p.into_inner());
        let candidates = vanished.get_mut(fingerprint)?;
        let original = candidates.pop();
        if candidates.is_empty() {
            vanished.remove(fingerprint);
        }
        original
    }

    fn store_cover(&self, path: &Path, bytes: &[u8], source: CoverSource) -> Option<CoverRecord> {
        self.covers.store_original(bytes, source).unwrap_or_else(|error| {
            tracing::warn!(path = %path.display(), %error, "cover art could not be stored");
            None
        })
    }

    fn folder_cover(&self, dir: &Path) -> Option<CoverRecord> {
        if let Some(known) = self.folder_covers.lock().unwrap_or_else(|p| p.into_inner()).get(dir) {
            return known.clone();
        }
        let cover = folder_cover(dir).and_then(|image| {
            let bytes = std::fs::read(&image).ok()?;
            self.store_cover(&image, &bytes, CoverSource::Folder)
        });
        self.folder_covers.lock().unwrap_or_else(|p| p.into_inner()).insert(dir.to_path_buf(), cover.clone());
        cover
    }
}

fn issue(path: &Path, problem: FileProblem) -> ScanIssue {
    tracing::warn!(path = %path.display(), reason = problem.kind.code(), detail = %problem.detail, "skipped unreadable file");
    ScanIssue {
        path: path.to_string_lossy().into_owned(),
        reason: problem.kind.code().to_owned(),
        detail: problem.detail,
        detected_at: now_ms(),
    }
}
