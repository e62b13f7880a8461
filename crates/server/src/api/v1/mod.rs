//! The JSON API under `/api/v1`: one module per resource family, each a few thin handlers
//! and the wire shapes only it uses; shapes several families share are in `dto` (the OpenAPI
//! document is generated from both).

pub mod adaptive;
pub mod admin;
pub mod catalog;
pub mod covers;
pub mod dto;
pub mod entitlements;
pub mod home;
pub mod listening;
pub mod me;
pub mod new_releases;
pub mod openapi;
pub mod params;
pub mod playlist_transfer;
pub mod playlists;
pub mod recommendations;
pub mod search;
pub mod settings;
pub mod stream;

use openapi::ApiDoc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::access::{require_access, require_admin};
use crate::http::response_cache::{ResponseCache, cache_catalog_responses};
use crate::state::AppState;

/// Every `/api/v1` route with its OpenAPI description. Routes carry their whole path
/// (`/api/v1/…`) rather than being nested under the prefix: nesting wraps every route in a
/// layer that rewrites each request's URI.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
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
        .merge(home::router())
        .merge(new_releases::router())
        .merge(recommendations::router())
        .merge(admin::router().merge(recommendations::admin_router()).layer(axum::middleware::from_fn(require_admin)))
        .layer(axum::middleware::from_fn_with_state(state.oauth.clone(), require_access));
    // Covers stay public: their ids are unguessable content digests ("capability URLs"), so
    // `<img src>` needs no token and CDNs can cache them forever. So do HLS playlists and
    // segments: content-addressed, encrypted, and useless without a key from a protected route.
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(protected.merge(covers::router()).merge(adaptive::public_router()))
}
