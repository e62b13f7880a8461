//! The signed-in account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tonearm_auth::{NewPassword, Username};
use tonearm_core::clock::{now_millis, now_seconds};
use tonearm_domain::UserId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::accounts::{SessionSummary, UserSummary};
use crate::api::v1::dto::list;
use crate::app::state::AppState;
use crate::auth::access::Authenticated;
use crate::auth::authority::OAuth;
use crate::auth::throttle::{Budget, Subject};
use crate::http::client_address::Client;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, delete_account))
        .routes(routes!(list_sessions, sign_out_everywhere))
        .routes(routes!(sign_out_session))
        .routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Changes the password after checking the current one; every other device is signed out.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "account", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn change_password(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
    client: Client,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let new_password = NewPassword::parse(&change.new_password)
        .map_err(|error| ApiError::bad_request("weak_password", error.to_string()))?;
    let key = confirm_password(&oauth, &client, claims.user(), change.current_password).await?;
    let hasher = oauth.hasher.clone();
    let new_hash = tokio::task::spawn_blocking(move || hasher.hash(&new_password))
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    oauth.users.set_password_hash(key.key(), &new_hash, now_millis()).await?;
    let signed_out = oauth.store.revoke_all_sessions(claims.user(), Some(&claims.sid), now_seconds()).await?;
    tracing::info!(user = %claims.user(), signed_out, "password changed");
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the account's password and returns the account's name key; `403
/// wrong_password` when it does not match, `429` after too many attempts (a stolen access
/// token must not become a way to guess the password).
async fn confirm_password(
    oauth: &OAuth,
    client: &Client,
    user: UserId,
    password: String,
) -> Result<Username, ApiError> {
    let subjects = [Subject::Account(format!("id:{user}")), Subject::Address(client.ip)];
    oauth
        .throttle
        .admit(Budget::Credentials, client.ip)
        .and_then(|()| oauth.throttle.check(&subjects))
        .map_err(|wait| ApiError::TooManyRequests { retry_after_seconds: wait.seconds() })?;
    let account = oauth.users.user(user).await?;
    let key = Username::parse(&account.username).map_err(|error| ApiError::Internal(error.to_string()))?;
    let (_, stored) =
        oauth.store.credentials(key.key()).await?.ok_or(ApiError::Unauthorized("this account is disabled"))?;
    let matches = oauth
        .check_password(password, Some(stored))
        .await
        .map_err(|wait| ApiError::TooManyRequests { retry_after_seconds: wait.seconds() })?;
    if !matches {
        oauth.throttle.failed(&subjects);
        return Err(ApiError::Forbidden { code: "wrong_password", message: "the password is not correct" });
    }
    oauth.throttle.succeeded(&subjects[..1]);
    Ok(key)
}

#[derive(Deserialize, ToSchema)]
struct AccountDeletion {
    /// The account's password, to confirm.
    password: String,
}

/// Deletes the account and everything that is only its own (sessions, tokens, and later
/// playlists, likes and history); cannot be undone.
#[utoipa::path(delete, path = "/api/v1/me", tag = "account", request_body = AccountDeletion, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn delete_account(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
    client: Client,
    ApiJson(deletion): ApiJson<AccountDeletion>,
) -> Result<StatusCode, ApiError> {
    confirm_password(&oauth, &client, claims.user(), deletion.password).await?;
    oauth.users.delete_user(claims.user()).await?;
    tracing::info!(user = %claims.user(), "account deleted");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
struct SessionList {
    items: Vec<SessionSummary>,
    /// The session the request's token belongs to.
    current: String,
}

/// Devices signed in to this account.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
) -> Result<Json<SessionList>, ApiError> {
    let items = list(oauth.store.sessions(claims.user()).await?);
    Ok(Json(SessionList { items, current: claims.sid }))
}

/// Signs one device out: its refresh token stops working, and so do its access tokens here.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "account", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn sign_out_session(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    oauth.store.revoke_session(claims.user(), &id, now_seconds()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Signs every device out, this one included.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "account", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn sign_out_everywhere(
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
) -> Result<StatusCode, ApiError> {
    oauth.store.revoke_all_sessions(claims.user(), None, now_seconds()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = UserSummary), (status = 401, body = ErrorBody)))]
async fn me(State(oauth): State<OAuth>, Authenticated(claims): Authenticated) -> Result<Json<UserSummary>, ApiError> {
    // This endpoint reads the account anyway, so it also honours sign-outs at once.
    if !oauth.store.session_active(&claims.sid).await? {
        return Err(ApiError::Unauthorized("this session was signed out"));
    }
    let user = oauth.users.user(claims.user()).await?;
    if user.disabled {
        return Err(ApiError::Unauthorized("this account is disabled"));
    }
    Ok(Json(user.into()))
}
