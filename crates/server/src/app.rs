//! Start-up as a function that returns the running application, so `main` and the tests
//! build exactly the same server (tests with port 0 and a temporary data directory).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::serve::ListenerExt;
use axum_server::tls_rustls::RustlsConfig;
use tokio::net::TcpListener;
use tonearm_model::UserStore;
use tonearm_config::Settings;
use tonearm_ingest::{CoverStore, IngestError, Scanner};
use tonearm_search::{CatalogFollower, IndexedPlaylists, PlaylistChanges, SearchError, SearchIndex};
use tower::ServiceBuilder;
use tower::util::BoxCloneSyncServiceLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::map_response_body::MapResponseBodyLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::adaptive::AdaptiveStreaming;
use crate::authentication::{require_access, require_admin};
use crate::client_address::TrustedProxies;
use crate::oauth::OAuth;
use crate::open_originals::OpenOriginals;
use crate::request_id::ProcessRequestIds;
use crate::response_cache::{ResponseCache, cache_catalog_responses};
use crate::routes::{
    adaptive, admin, catalog, covers, entitlements, health, home_shelves, listening, me, new_releases, oauth,
    openapi::ApiDoc, playlist_transfer, playlists, search, settings, stream, web_app,
};
use crate::state::{AppState, Library, Shared};
use crate::stream_sources::StreamSources;
use crate::summaries::Summaries;
use crate::zero_copy::{OriginalBodies, ZeroCopyListener};

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
    Tls(#[from] crate::tls::TlsError),
    #[error("the demo accounts could not be prepared: {0}")]
    DemoAccounts(#[from] crate::accounts::AccountError),
    #[error("the demo library could not be generated: {0}")]
    Demo(String),
    #[error("cannot open the search index: {0}")]
    Search(#[from] SearchError),
    #[error(transparent)]
    Adaptive(#[from] crate::adaptive::AdaptiveSetupError),
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
        let library = Library { scanner, last_report: Arc::default() };
        let search = open_search_index(settings.data_dir.join("search-index")).await?;
        let tls = match &settings.tls {
            Some(files) => Some(crate::tls::load(files).await?),
            None => None,
        };
        let oauth = OAuth::load(stores.auth, Arc::clone(&stores.users), tls.is_some()).await?;
        let adaptive = Arc::new(AdaptiveStreaming::open(&settings.media, stores.stream_keys).await?);
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|source| StartupError::Bind { addr: settings.listen, source })?;
        let proxies = TrustedProxies::new(&settings.trusted_proxies);
        let playlist_changes = PlaylistChanges::default();
        let service_shelves = home_shelves::service_shelves(
            Arc::clone(&catalog),
            Arc::clone(&stores.listening),
            library.scanner.catalog_version(),
        );
        // TLS reads the bytes to encrypt them: nothing to gain from mapping, and a file
        // truncated meanwhile must not fault (see `zero_copy`).
        let originals = if tls.is_some() { OriginalBodies::Read } else { OriginalBodies::Mapped };
        let state = AppState::new(Shared {
            sources: StreamSources::new(Arc::clone(&catalog), library.scanner.catalog_version()),
            summaries: Summaries::new(Arc::clone(&catalog), library.scanner.catalog_version()),
            open_originals: OpenOriginals::new(library.scanner.catalog_version(), originals),
            catalog,
            service_shelves,
            listening: stores.listening,
            // Every playlist write reaches the search index through this wrapper.
            playlists: Arc::new(IndexedPlaylists { store: stores.playlists, changes: playlist_changes.clone() }),
            library,
            oauth,
            proxies,
            search,
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
        if self.settings.watch && !self.settings.libraries.is_empty() {
            let scanner = Arc::clone(&self.state.library.scanner);
            let mut watch_stop = stopping.clone();
            tokio::spawn(async move {
                let stopped = async move {
                    let _ = watch_stop.wait_for(|stopping| *stopping).await;
                };
                if let Err(error) = tonearm_ingest::watch_libraries(scanner, stopped).await {
                    tracing::error!(%error, "library watcher stopped");
                }
            });
        }
        let mut keyring_stop = stopping.clone();
        tokio::spawn(self.state.oauth.keyring.clone().reload_periodically(async move {
            let _ = keyring_stop.wait_for(|stopping| *stopping).await;
        }));
        let mut search_stop = stopping.clone();
        let follower = CatalogFollower {
            index: Arc::clone(&self.state.search),
            catalog: Arc::clone(&self.state.catalog),
            version: self.state.library.scanner.catalog_version(),
            plays: Arc::clone(&self.state.listening),
            playlists: Arc::clone(&self.state.playlists),
            playlist_changes: self.playlist_changes,
            timing: Default::default(),
        };
        tokio::spawn(follower.run(async move {
            let _ = search_stop.wait_for(|stopping| *stopping).await;
        }));
        let mut retention_stop = stopping.clone();
        tokio::spawn(crate::retention::compact_play_progress_periodically(
            Arc::clone(&self.state.listening),
            async move {
                let _ = retention_stop.wait_for(|stopping| *stopping).await;
            },
        ));
        let throttle = self.state.oauth.throttle.clone();
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                throttle.forget_idle();
            }
        });
        let router = router(self.state, &self.settings).into_make_service_with_connect_info::<SocketAddr>();
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
            tracing::info!("stopped");
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
        tracing::info!("stopped");
        Ok(())
    }
}

/// Opens (or recreates) the search index off the runtime: it may verify every file.
async fn open_search_index(directory: std::path::PathBuf) -> Result<Arc<SearchIndex>, StartupError> {
    let index = tokio::task::spawn_blocking(move || SearchIndex::open(&directory))
        .await
        .map_err(|error| SearchError::Task(error.to_string()))??;
    Ok(Arc::new(index))
}

/// The whole HTTP surface.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let cache = ResponseCache::new(state.library.scanner.catalog_version());
    let cached_catalog = catalog::router().layer(axum::middleware::from_fn_with_state(cache, cache_catalog_responses));
    let protected = OpenApiRouter::new()
        .merge(cached_catalog)
        .merge(stream::router())
        .merge(adaptive::router())
        .merge(search::router())
        .merge(me::router())
        .merge(entitlements::router())
        .merge(settings::router())
        .merge(listening::router())
        .merge(playlists::router())
        .merge(playlist_transfer::router())
        .merge(home_shelves::router())
        .merge(new_releases::router())
        .merge(admin::router().layer(axum::middleware::from_fn(require_admin)))
        .layer(axum::middleware::from_fn_with_state(state.oauth.clone(), require_access));
    // Covers stay public: their ids are unguessable content digests ("capability URLs"), so
    // `<img src>` needs no token and CDNs can cache them forever. So do HLS playlists and
    // segments: content-addressed, encrypted, and useless without a key from a protected route.
    // Routes carry their whole path (`/api/v1/…`) rather than being nested under the prefix:
    // nesting wraps every route in a layer that rewrites each request's URI.
    let (api, api_doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(protected.merge(covers::router()).merge(adaptive::public_router()))
        .split_for_parts();
    let api_doc = Arc::new(api_doc);
    let request_id = HeaderName::from_static("x-request-id");
    // Audio is already compressed and ranges must address the original bytes.
    let compressible = DefaultPredicate::new().and(NotForContentType::const_new("audio/"));
    // One stack, applied once: each `Router::layer` call boxes every route again, and a
    // request then clones and calls each box in turn (a tenth of a cached page's CPU when
    // these were a dozen calls). Outermost first.
    let stack = ServiceBuilder::new()
        // RFC 6797: HSTS is only meaningful, and only honoured, over HTTPS.
        .option_layer(
            settings
                .tls
                .is_some()
                .then(|| default_header(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains")),
        )
        .layer(cors(&settings.cors_origins))
        // CORS answers preflights with an empty body of the inner type: make it axum's.
        .layer(MapResponseBodyLayer::new(axum::body::Body::new))
        // Keep browsers from sniffing types, leaking referrers or framing our pages.
        .layer(default_header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(default_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(default_header(header::REFERRER_POLICY, "no-referrer"))
        .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(SetRequestIdLayer::new(request_id.clone(), ProcessRequestIds))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: query strings may carry signed-URL tokens later.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(CompressionLayer::new().compress_when(compressible))
        // Every request body here is a small form or JSON document.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    Router::new()
        .merge(api)
        .route("/api/openapi.json", axum::routing::get(move || async move { axum::Json(api_doc.as_ref().clone()) }))
        .merge(health::router())
        .merge(oauth::router())
        // The web app and its client routes; API prefixes keep the JSON 404.
        .fallback(web_app::serve)
        .with_state(state)
        // Boxed: the router's own wrapper moves the stack's future when it completes, and
        // the unboxed future is kilobytes.
        .layer(BoxCloneSyncServiceLayer::new(stack))
}

/// Cross-origin access for the configured origins only; none when the list is empty.
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::RANGE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([header::CONTENT_RANGE, header::ACCEPT_RANGES, header::ETAG, header::CONTENT_LENGTH])
        .max_age(Duration::from_secs(3600))
}

/// A header every response carries unless its handler set it.
fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

const MAX_BODY_BYTES: usize = 64 * 1024;

/// Same-origin everything; media and images may also come from `blob:` (the player's
/// Media Source buffers and downloaded covers).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
    style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'self'";
