//! The signed-in account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tonearm_core::accounts::{Accounts, Credentials};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::accounts::{SessionSummary, UserSummary};
use crate::api::v1::dto::list;
use crate::auth::access::Authenticated;
use crate::http::client_address::Client;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;

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
    State(credentials): State<Credentials>,
    Authenticated(claims): Authenticated,
    client: Client,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    credentials
        .change_password(client.ip, claims.user(), &claims.sid, change.current_password, &change.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
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
    State(credentials): State<Credentials>,
    Authenticated(claims): Authenticated,
    client: Client,
    ApiJson(deletion): ApiJson<AccountDeletion>,
) -> Result<StatusCode, ApiError> {
    credentials.delete_account(client.ip, claims.user(), deletion.password).await?;
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
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
) -> Result<Json<SessionList>, ApiError> {
    let items = list(accounts.sessions(claims.user()).await?);
    Ok(Json(SessionList { items, current: claims.sid }))
}

/// Signs one device out: its refresh token stops working, and so do its access tokens here.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "account", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn sign_out_session(
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    accounts.sign_out(claims.user(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Signs every device out, this one included.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "account", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn sign_out_everywhere(
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
) -> Result<StatusCode, ApiError> {
    accounts.sign_out_everywhere(claims.user(), None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = UserSummary), (status = 401, body = ErrorBody)))]
async fn me(
    State(accounts): State<Accounts>,
    Authenticated(claims): Authenticated,
) -> Result<Json<UserSummary>, ApiError> {
    Ok(Json(accounts.signed_in(claims.user(), &claims.sid).await?.into()))
}
