//! Sign-up in the authorize step: the same client, redirect and PKCE checks as sign-in,
//! the account created through `tonearm_core::accounts::create_account` (the one path accounts are
//! created by), and the same ending: a one-time code sent back to the client.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use tonearm_auth::{CredentialError, NewPassword};
use tonearm_core::accounts::throttle::Budget;
use tonearm_core::accounts::{AccountError, create_account};
use tonearm_domain::Tier;
use tonearm_model::StoreError;

use super::authorize::{check, redirect_with_code};
use super::page::{self, SignUpValues};
use super::params::AuthorizeParams;
use crate::auth::authority::OAuth;
use crate::http::client_address::Client;

#[derive(Debug, Deserialize)]
pub struct SignUpForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    username: String,
    email: String,
    password: String,
    password_confirmation: String,
}

/// Why a sign-up is shown again instead of going on, with what the person reads.
#[derive(Debug, thiserror::Error)]
enum SignUpError {
    #[error("The two passwords differ.")]
    ConfirmationMismatch,
    #[error("{}", sentence(&.0.to_string()))]
    Invalid(#[from] CredentialError),
    #[error("That user name is taken; choose another.")]
    UsernameTaken,
    #[error("That email address already has an account; sign in instead.")]
    EmailTaken,
    #[error("Your account could not be created; please try again later.")]
    Internal,
}

impl SignUpError {
    fn status(&self) -> StatusCode {
        match self {
            Self::ConfirmationMismatch | Self::Invalid(_) => StatusCode::BAD_REQUEST,
            Self::UsernameTaken | Self::EmailTaken => StatusCode::CONFLICT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<AccountError> for SignUpError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(invalid) => Self::Invalid(invalid),
            // The store names the taken field by its unique key; nothing else about the account.
            AccountError::Store(StoreError::Conflict(field)) if field.contains("email") => Self::EmailTaken,
            AccountError::Store(StoreError::Conflict(_)) => Self::UsernameTaken,
            AccountError::Store(_) | AccountError::Hashing(_) => {
                tracing::error!(%error, "sign-up failed");
                Self::Internal
            }
        }
    }
}

/// "passwords need …" → "Passwords need ….": credential errors read as sentences on a page.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

pub async fn show(
    State(oauth): State<OAuth>,
    client: Client,
    headers: HeaderMap,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    match check(&oauth, &client, &headers, &params) {
        Ok(_) => page::sign_up(&params, &SignUpValues::default(), None, StatusCode::OK),
        Err(refusal) => refusal.into_response(params.state.as_deref()),
    }
}

pub async fn submit(
    State(oauth): State<OAuth>,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<SignUpForm>,
) -> Response {
    let values = SignUpValues { username: &form.username, email: &form.email };
    // Sign-ups spend the same per-address budget as sign-ins: each costs an Argon2id hash.
    if let Err(wait) = oauth.credentials.admit(Budget::Credentials, client.ip) {
        tracing::info!(reason = "too many requests", client = %client.ip, "sign-up refused");
        let mut response = page::sign_up(&form.params, &values, Some(&wait.message()), StatusCode::TOO_MANY_REQUESTS);
        response.headers_mut().insert(header::RETRY_AFTER, wait.seconds().into());
        return response;
    }
    let accepted = match check(&oauth, &client, &headers, &form.params) {
        Ok(accepted) => accepted,
        Err(refusal) => return refusal.into_response(form.params.state.as_deref()),
    };
    match create(&oauth, &form).await {
        Ok(user) => redirect_with_code(&oauth, accepted, user, form.params.state.as_deref()).await,
        Err(error) => {
            tracing::info!(reason = ?error, "sign-up refused");
            page::sign_up(&form.params, &values, Some(&error.to_string()), error.status())
        }
    }
}

/// A new account is a free `user`, unless it is the instance's first (then the store makes it admin).
async fn create(oauth: &OAuth, form: &SignUpForm) -> Result<tonearm_domain::UserId, SignUpError> {
    if form.password != form.password_confirmation {
        return Err(SignUpError::ConfirmationMismatch);
    }
    let password = NewPassword::parse(&form.password)?;
    let user = create_account(oauth.users.as_ref(), &form.username, &form.email, password, None, Tier::Free).await?;
    tracing::info!(user = %user.id, role = user.role.as_str(), "account created by sign-up");
    Ok(user.id)
}
