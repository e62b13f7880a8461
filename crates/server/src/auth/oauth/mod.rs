//! OAuth 2.0 authorization server (OAuth 2.1 profile): authorization code with PKCE (S256
//! only) at `/oauth/authorize` and `/oauth/token`, revocation (RFC 7009) and server
//! metadata (RFC 8414). The authorize step signs in or signs up. No implicit and no
//! password grant.

mod authorize;
mod page;
mod params;
mod sign_up;
mod token;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};

use crate::http::client_address::Client;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth/authorize", get(authorize::show).post(authorize::submit))
        .route(page::SIGN_UP_PATH, get(sign_up::show).post(sign_up::submit))
        .route("/oauth/token", post(token::exchange))
        .route("/oauth/revoke", post(token::revoke))
        .route("/.well-known/oauth-authorization-server", get(token::metadata))
}

/// The origin the client reached us at: from `Host` and our own TLS, or from what a
/// trusted reverse proxy forwarded (`Client` only carries those from trusted proxies).
pub(crate) fn request_origin(client: &Client, headers: &HeaderMap, tls: bool) -> Option<String> {
    let host = match &client.forwarded_host {
        Some(host) => host.as_str(),
        None => headers.get(axum::http::header::HOST)?.to_str().ok()?,
    };
    let scheme = client.forwarded_proto.as_deref().unwrap_or(if tls { "https" } else { "http" });
    Some(format!("{scheme}://{host}"))
}
