//! What each subcommand does, on top of `Application`.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tonearm_config::Settings;
use tonearm_core::accounts;
use tonearm_core::streaming::adaptive::AdaptiveStreaming;
use tonearm_domain::TrackId;
use tonearm_ingest::{ScanPhase, ScanProgress, ScanReport};

use crate::app::shutdown;
use crate::app::startup::{Application, StartupError};

pub async fn serve(settings: Settings) -> Result<(), StartupError> {
    let app = Application::build(settings).await?;
    announce(&app);
    let library = app.library().clone();
    tokio::spawn(async move {
        if let Err(error) = library.scan().await {
            tracing::error!(%error, "library scan at start failed");
        }
    });
    app.run_until(shutdown::signal()).await
}

pub async fn scan(settings: Settings) -> Result<ScanReport, StartupError> {
    let app = Application::build(Settings { listen: "127.0.0.1:0".parse().expect("valid"), ..settings }).await?;
    let library = app.library().clone();
    let display = tokio::spawn(show_progress(library.scanner.progress()));
    let report = library.scan().await;
    display.abort();
    let report = report?;
    print_report(&report);
    Ok(report)
}

/// Pre-builds every rendition of the chosen tracks and of the `top` most played ones. Opens
/// only the database and the rendition cache (not the search index or a listener), so it
/// runs beside a serving node; that node serves what this one made from the shared cache.
pub async fn transcode(settings: Settings, tracks: &[i64], top: Option<u32>) -> Result<TranscodeReport, StartupError> {
    let stores = tonearm_store::open(&settings.database_url).await?;
    let adaptive = AdaptiveStreaming::open(&settings.media, stores.stream_keys).await?;
    let mut chosen: Vec<TrackId> = tracks.iter().copied().map(TrackId).collect();
    if let Some(top) = top {
        for ranked in stores.listening.trending(0, top).await? {
            if !chosen.contains(&ranked.id) {
                chosen.push(ranked.id);
            }
        }
    }
    let mut report = TranscodeReport::default();
    for (position, track) in chosen.iter().enumerate() {
        let outcome = match stores.catalog.stream_source(*track).await {
            Ok(source) => adaptive.prebuild(source).await.map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match outcome {
            Ok(renditions) => {
                report.renditions += renditions;
                println!("[{}/{}] track {track}: {renditions} renditions ready", position + 1, chosen.len());
            }
            Err(reason) => {
                report.failed += 1;
                println!("[{}/{}] track {track}: failed: {reason}", position + 1, chosen.len());
            }
        }
    }
    let stats = adaptive.packager().stats();
    println!(
        "{} renditions ready, {} tracks failed; cache {} of {} MiB",
        report.renditions,
        report.failed,
        stats.cache_bytes >> 20,
        stats.cache_limit_bytes >> 20
    );
    Ok(report)
}

#[derive(Debug, Default)]
pub struct TranscodeReport {
    pub renditions: usize,
    pub failed: usize,
}

pub async fn demo(mut settings: Settings, demo_password: Option<String>) -> Result<(), StartupError> {
    let root = settings.data_dir.join("demo-library");
    println!("Preparing the demo library in {} …", root.display());
    let generated = generate_demo_library(&root).await?;
    println!(
        "Demo library: {} tracks ({} new, {} reused)",
        generated.tracks.len(),
        generated.written,
        generated.reused
    );
    settings.libraries = vec![root];
    let app = Application::build(settings).await?;
    let report = app.library().scan().await?;
    println!("Catalog: {} tracks added, {} unchanged", report.added, report.unchanged);
    let password = demo_password.unwrap_or_else(accounts::random_demo_password);
    accounts::ensure_demo_users(app.users(), &password).await?;
    println!("Demo accounts admin, free and premium; password: {password}");
    announce(&app);
    app.run_until(shutdown::signal()).await
}

async fn generate_demo_library(root: &Path) -> Result<tonearm_demo::GeneratedLibrary, StartupError> {
    let root = root.to_path_buf();
    tokio::task::spawn_blocking(move || tonearm_demo::generate_library(&root, &tonearm_demo::LibrarySpec::demo()))
        .await
        .map_err(|error| StartupError::Demo(error.to_string()))?
        .map_err(|error| StartupError::Demo(error.to_string()))
}

fn announce(app: &Application) {
    println!("Tonearm is listening on {}", app.url());
    tracing::info!(url = %app.url(), "listening");
}

/// A progress bar on a terminal; a log line every few seconds otherwise.
async fn show_progress(progress: Arc<ScanProgress>) {
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} files · {per_sec} · ETA {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        loop {
            let snapshot = progress.snapshot();
            bar.set_length(snapshot.files_found);
            bar.set_position(snapshot.files_done);
            bar.set_message(format!("{:?}", snapshot.phase).to_lowercase());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    } else {
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let snapshot = progress.snapshot();
            if snapshot.phase != ScanPhase::Idle {
                tracing::info!(
                    phase = ?snapshot.phase,
                    done = snapshot.files_done,
                    found = snapshot.files_found,
                    files_per_second = snapshot.files_per_second.round(),
                    eta_seconds = snapshot.eta_seconds.map(f64::round),
                    "scanning"
                );
            }
        }
    }
}

fn print_report(report: &ScanReport) {
    println!(
        "Scanned {} files in {:.3} s: {} added, {} updated, {} moved, {} removed, {} unchanged, {} unreadable",
        report.files_seen,
        report.elapsed_ms as f64 / 1000.0,
        report.added,
        report.updated,
        report.moved,
        report.removed,
        report.unchanged,
        report.failed.len()
    );
    for issue in &report.failed {
        println!("  skipped {} ({}): {}", issue.path, issue.reason, issue.detail);
    }
}
