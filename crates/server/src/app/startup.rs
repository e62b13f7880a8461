//! Start-up as a function that returns the running application, so `main` and the tests
//! build exactly the same server (tests with port 0 and a temporary data directory).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use axum_server::tls_rustls::RustlsConfig;
use tokio::net::TcpListener;
use tonearm_config::Settings;
use tonearm_core::accounts::{Accounts, Credentials};
use tonearm_core::admin::curation::Curation;
use tonearm_core::admin::scans::Scans;
use tonearm_core::admin::transcoding::Transcoding;
use tonearm_core::catalog::browse::Browse;
use tonearm_core::catalog::covers::Covers;
use tonearm_core::catalog::new_releases::NewReleases;
use tonearm_core::catalog::premium::PremiumAlbums;
use tonearm_core::catalog::summaries::Summaries;
use tonearm_core::health::Health;
use tonearm_core::home::Home;
use tonearm_core::jobs::BackgroundJobs;
use tonearm_core::listening::history::History;
use tonearm_core::listening::likes::Likes;
use tonearm_core::listening::taste_changes::TasteChanges;
use tonearm_core::playlists::PlaylistService;
use tonearm_core::recommendations::{RecommendationParts, Recommendations, TrainingSettings};
use tonearm_core::search::Search;
use tonearm_core::streaming::access::Skips;
use tonearm_core::streaming::adaptive::AdaptiveStreaming;
use tonearm_core::streaming::originals::Originals;
use tonearm_core::streaming::renditions::Renditions;
use tonearm_core::streaming::sources::StreamSources;
use tonearm_ingest::{CoverStore, IngestError, Scanner};
use tonearm_model::UserStore;
use tonearm_search::{IndexedPlaylists, PlaylistChanges, SearchError, SearchIndex};

use crate::auth::authority::OAuth;
use crate::http::client_address::TrustedProxies;
use crate::http::open_originals::OpenOriginals;
use crate::http::zero_copy::{OriginalBodies, ZeroCopyListener};
use crate::state::{AppState, Library, Playlists, Shared};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("cannot open the catalog database: {0}")]
    Store(#[from] tonearm_model::StoreError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(transparent)]
    Tls(#[from] crate::app::tls::TlsError),
    #[error("the demo accounts could not be prepared: {0}")]
    DemoAccounts(#[from] tonearm_core::accounts::AccountError),
    #[error("the demo library could not be generated: {0}")]
    Demo(String),
    #[error("cannot open the search index: {0}")]
    Search(#[from] SearchError),
    #[error(transparent)]
    Adaptive(#[from] tonearm_core::streaming::adaptive::AdaptiveSetupError),
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    users: Arc<dyn UserStore>,
    settings: Settings,
    tls: Option<RustlsConfig>,
    /// Playlists written since the search index last looked.
    playlist_changes: PlaylistChanges,
}

impl Application {
    /// Opens the store (migrating it), prepares the library scanner and binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|source| StartupError::DataDir { path: settings.data_dir.display().to_string(), source })?;
        let stores = tonearm_store::open(&settings.database_url).await?;
        let catalog = stores.catalog;
        tracing::info!(engine = catalog.engine(), "catalog database ready");
        let covers = CoverStore::open(&settings.covers_dir())?;
        let scanner = Arc::new(Scanner::new(Arc::clone(&catalog), covers, settings.libraries.clone()));
        let library = Library::new(scanner);
        let search_index = open_search_index(settings.data_dir.join("search-index")).await?;
        let tls = match &settings.tls {
            Some(files) => Some(crate::app::tls::load(files).await?),
            None => None,
        };
        let accounts = Accounts::new(Arc::clone(&stores.users), Arc::clone(&stores.auth));
        let credentials = Credentials::new(Arc::clone(&stores.auth), Arc::clone(&stores.users));
        let oauth = OAuth::load(stores.auth, Arc::clone(&stores.users), credentials, tls.is_some()).await?;
        let adaptive = Arc::new(AdaptiveStreaming::open(&settings.media, stores.stream_keys).await?);
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|source| StartupError::Bind { addr: settings.listen, source })?;
        let proxies = TrustedProxies::new(&settings.trusted_proxies);
        let playlist_changes = PlaylistChanges::default();
        let summaries = Summaries::new(Arc::clone(&catalog), library.scanner.catalog_version());
        // Every playlist write reaches the search index through this wrapper.
        let playlists: Playlists =
            Arc::new(IndexedPlaylists { store: stores.playlists, changes: playlist_changes.clone() });
        let sources = StreamSources::new(Arc::clone(&catalog), library.scanner.catalog_version());
        let skips = Skips::new(Arc::clone(&stores.users));
        let renditions = Renditions::new(sources.clone(), Arc::clone(&adaptive), skips.clone());
        let stream_originals =
            Originals::new(sources.clone(), Arc::clone(&catalog), Arc::clone(&stores.users), skips.clone());
        // Likes and plays tell the recommendations when a listener's taste changed.
        let taste_changes = TasteChanges::default();
        let history = History::new(Arc::clone(&stores.listening), summaries.clone(), taste_changes.clone());
        let likes = Likes::new(Arc::clone(&stores.listening), Arc::clone(&catalog), taste_changes.clone());
        let version = library.scanner.catalog_version();
        let browse = Browse::new(Arc::clone(&catalog));
        let covers = Covers::new(Arc::clone(&catalog), Arc::clone(&playlists), library.covers().clone());
        let new_releases = NewReleases::new(Arc::clone(&catalog), Arc::clone(&stores.listening));
        let premium = PremiumAlbums::new(Arc::clone(&catalog), version.clone());
        let playlist_service = PlaylistService::new(
            Arc::clone(&playlists),
            Arc::clone(&catalog),
            library.clone(),
            Arc::clone(&search_index),
        );
        let recommendations = Recommendations::new(RecommendationParts {
            catalog: Arc::clone(&catalog),
            listening: Arc::clone(&stores.listening),
            signals: stores.signals,
            leaders: stores.leadership,
            version: version.clone(),
            playlists: playlist_service.clone(),
            premium: premium.clone(),
            settings: TrainingSettings::default(),
            taste_changes,
        });
        let home = Home::new(
            summaries,
            Arc::clone(&catalog),
            Arc::clone(&stores.listening),
            Arc::clone(&playlists),
            version.clone(),
            recommendations.clone(),
        );
        let search = Search::new(Arc::clone(&search_index), premium);
        let scans = Scans::new(library.clone(), Arc::clone(&catalog));
        let curation = Curation::new(Arc::clone(&catalog), version);
        let transcoding = Transcoding::new(Arc::clone(&adaptive));
        let health = Health::new(Arc::clone(&catalog));
        // TLS reads the bytes to encrypt them: nothing to gain from mapping, and a file
        // truncated meanwhile must not fault (see `zero_copy`).
        let originals = if tls.is_some() { OriginalBodies::Read } else { OriginalBodies::Mapped };
        let state = AppState::new(Shared {
            sources,
            renditions,
            originals: stream_originals,
            open_originals: OpenOriginals::new(library.scanner.catalog_version(), originals),
            catalog,
            accounts,
            browse,
            covers,
            new_releases,
            search,
            scans,
            curation,
            transcoding,
            health,
            home,
            recommendations,
            likes,
            history,
            playlist_service,
            skips,
            listening: stores.listening,
            playlists,
            library,
            oauth,
            proxies,
            search_index,
            adaptive,
        });
        Ok(Self { listener, state, users: stores.users, settings, tls, playlist_changes })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.local_addr())
    }

    pub fn users(&self) -> &dyn UserStore {
        self.users.as_ref()
    }

    pub fn library(&self) -> &Library {
        &self.state.library
    }

    /// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests
    /// and streams finish for at most the configured grace period.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), StartupError> {
        let grace = Duration::from_secs(self.settings.shutdown_grace_secs);
        let (stopping_tx, mut stopping) = tokio::sync::watch::channel(false);
        let signal = async move {
            shutdown.await;
            tracing::info!(
                grace_secs = grace.as_secs(),
                "shutting down: no new connections, finishing in-flight requests"
            );
            let _ = stopping_tx.send(true);
        };
        let jobs = crate::app::tasks::start(&self.state, &self.settings, self.playlist_changes, stopping.clone());
        let router =
            crate::app::router::router(self.state, &self.settings).into_make_service_with_connect_info::<SocketAddr>();
        if let Some(tls) = self.tls {
            // axum-server bounds the grace period itself once told to shut down.
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(signal);
            tokio::spawn(async move {
                let _ = stopping.wait_for(|stopping| *stopping).await;
                stopper.graceful_shutdown(Some(grace));
            });
            let listener = self.listener.into_std().map_err(StartupError::Serve)?;
            axum_server::from_tcp_rustls(listener, tls)
                .map_err(StartupError::Serve)?
                .handle(handle)
                .serve(router)
                .await
                .map_err(StartupError::Serve)?;
            stop_jobs(jobs).await;
            return Ok(());
        }
        // TCP_NODELAY, as nginx sets on keep-alive connections: a response's last partial
        // segment is sent at once rather than held until the previous one is acknowledged.
        let listener = ZeroCopyListener(self.listener).tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "cannot set TCP_NODELAY");
            }
        });
        let server = axum::serve(listener, router).with_graceful_shutdown(signal);
        let deadline = async move {
            let _ = stopping.wait_for(|stopping| *stopping).await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = server => result.map_err(StartupError::Serve)?,
            () = deadline => tracing::warn!("grace period over: closing the remaining connections"),
        }
        stop_jobs(jobs).await;
        Ok(())
    }
}

/// Background jobs get a moment to finish what they are doing (a search index commit, say).
async fn stop_jobs(jobs: BackgroundJobs) {
    let unfinished = jobs.wait_until_stopped(Duration::from_secs(2)).await;
    if unfinished.is_empty() {
        tracing::info!("stopped");
    } else {
        tracing::warn!(?unfinished, "stopped; background jobs left unfinished");
    }
}

/// Opens (or recreates) the search index off the runtime: it may verify every file.
async fn open_search_index(directory: std::path::PathBuf) -> Result<Arc<SearchIndex>, StartupError> {
    let index = tokio::task::spawn_blocking(move || SearchIndex::open(&directory))
        .await
        .map_err(|error| SearchError::Task(error.to_string()))??;
    Ok(Arc::new(index))
}
