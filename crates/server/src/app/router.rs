//! The whole HTTP surface: the API, the OAuth pages, the health checks and the web app,
//! under one middleware stack applied once.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use tonearm_config::Settings;
use tower::ServiceBuilder;
use tower::util::BoxCloneSyncServiceLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::map_response_body::MapResponseBodyLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::api::{health, v1};
use crate::app::request_id::ProcessRequestIds;
use crate::app::web_app;
use crate::auth::oauth;
use crate::state::AppState;

/// The whole HTTP surface.
pub(crate) fn router(state: AppState, settings: &Settings) -> Router {
    let (api, api_doc) = v1::router(&state).split_for_parts();
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
