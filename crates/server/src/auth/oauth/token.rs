//! The token endpoint (RFC 6749 §3.2, §4.1.3, §6), revocation (RFC 7009) and server
//! metadata (RFC 8414). Errors use OAuth's own shape: `{"error", "error_description"}`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tonearm_auth::{ACCESS_TOKEN_SECONDS, AccessClaims, pkce, secrets};
use tonearm_core::accounts::throttle::{Budget, Wait};
use tonearm_core::clock::now_seconds;
use tonearm_model::{RefreshOutcome, UserSummary};

use super::request_origin;
use crate::auth::authority::{OAuth, REFRESH_SECONDS, WEB_CLIENT_CALLBACK, WEB_CLIENT_ID};
use crate::http::client_address::Client;

#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    refresh_token: String,
}

/// An OAuth error response; tokens responses are never cached (RFC 6749 §5.1).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    tracing::info!(error, description, "token request refused");
    let body = Json(json!({ "error": error, "error_description": description }));
    (status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

/// `429` with `Retry-After`; `slow_down` is OAuth's word for it (RFC 8628 §3.5).
fn slow_down(wait: Wait) -> Response {
    let mut response = oauth_error(StatusCode::TOO_MANY_REQUESTS, "slow_down", "too many requests: wait and retry");
    response.headers_mut().insert(header::RETRY_AFTER, wait.seconds().into());
    response
}

pub async fn exchange(State(oauth): State<OAuth>, client: Client, Form(request): Form<TokenRequest>) -> Response {
    if let Err(wait) = oauth.credentials.admit(Budget::Tokens, client.ip) {
        return slow_down(wait);
    }
    if request.client_id.as_deref() != Some(WEB_CLIENT_ID) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client");
    }
    match request.grant_type.as_str() {
        "authorization_code" => exchange_code(&oauth, &request).await,
        "refresh_token" => refresh(&oauth, &request).await,
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "use authorization_code or refresh_token"),
    }
}

async fn exchange_code(oauth: &OAuth, request: &TokenRequest) -> Response {
    let (Some(code), Some(verifier)) = (&request.code, &request.code_verifier) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "code and code_verifier are required");
    };
    let now = now_seconds();
    // Taken (deleted) before any check: a code is spent by its first exchange, right or wrong.
    let code = match oauth.store.take_code(&secrets::digest(code), now).await {
        Ok(Some(code)) => code,
        Ok(None) => return invalid_grant("the code is unknown, expired or already used"),
        Err(error) => return server_error(&error),
    };
    if request.redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) || code.client_id != WEB_CLIENT_ID {
        return invalid_grant("redirect_uri does not match the authorization request");
    }
    if !pkce::verifier_matches(verifier, &code.code_challenge) {
        return invalid_grant("the code_verifier does not match the code_challenge");
    }
    let user = match oauth.users.user(code.user_id).await {
        Ok(user) if !user.disabled => user,
        Ok(_) => return invalid_grant("the account is disabled"),
        Err(error) => return server_error(&error),
    };
    let session_id = secrets::new_secret();
    let refresh_token = secrets::new_secret();
    let started = oauth
        .store
        .start_session(
            &session_id,
            user.id,
            WEB_CLIENT_ID,
            &secrets::digest(&refresh_token),
            now + REFRESH_SECONDS,
            now,
        )
        .await;
    if let Err(error) = started {
        return server_error(&error);
    }
    tracing::info!(user = %user.id, "signed in");
    issue(oauth, &user, &session_id, refresh_token, now)
}

async fn refresh(oauth: &OAuth, request: &TokenRequest) -> Response {
    let Some(presented) = &request.refresh_token else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "refresh_token is required");
    };
    let now = now_seconds();
    let successor = secrets::new_secret();
    let outcome = oauth
        .store
        .rotate_refresh(&secrets::digest(presented), &secrets::digest(&successor), now + REFRESH_SECONDS, now)
        .await;
    match outcome {
        Ok(RefreshOutcome::Rotated { user, session_id }) => issue(oauth, &user, &session_id, successor, now),
        Ok(RefreshOutcome::Reused) => {
            tracing::warn!("a spent refresh token was presented again: its session is revoked");
            invalid_grant("the refresh token was already used; the session has been signed out")
        }
        Ok(RefreshOutcome::Invalid) => invalid_grant("the refresh token is unknown, expired or signed out"),
        Err(error) => server_error(&error),
    }
}

fn issue(oauth: &OAuth, user: &UserSummary, session_id: &str, refresh_token: String, now: i64) -> Response {
    let claims = AccessClaims::new(user.id, session_id, user.role, user.tier, now);
    match oauth.keyring.current().issue(&claims) {
        Ok(access_token) => {
            let body =
                TokenResponse { access_token, token_type: "Bearer", expires_in: ACCESS_TOKEN_SECONDS, refresh_token };
            ([(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], Json(body)).into_response()
        }
        Err(error) => server_error(&error),
    }
}

fn server_error(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "token endpoint failed");
    oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "try again later")
}

#[derive(Debug, Deserialize)]
pub struct RevokeRequest {
    token: String,
}

/// RFC 7009 §2.2: answer 200 whether or not the token was known.
pub async fn revoke(State(oauth): State<OAuth>, client: Client, Form(request): Form<RevokeRequest>) -> Response {
    if let Err(wait) = oauth.credentials.admit(Budget::Tokens, client.ip) {
        return slow_down(wait);
    }
    if let Err(error) = oauth.store.revoke_by_refresh(&secrets::digest(&request.token), now_seconds()).await {
        return server_error(&error);
    }
    StatusCode::OK.into_response()
}

/// RFC 8414 server metadata, for the origin the client reached.
pub async fn metadata(State(oauth): State<OAuth>, client: Client, headers: HeaderMap) -> Response {
    let issuer = request_origin(&client, &headers, oauth.tls).unwrap_or_default();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "revocation_endpoint": format!("{issuer}/oauth/revoke"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "tonearm_web_redirect_path": WEB_CLIENT_CALLBACK,
    }))
    .into_response()
}
