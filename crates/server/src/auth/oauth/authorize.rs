//! The authorize step (RFC 6749 §4.1.1, RFC 7636): check the request, show the sign-in
//! form, check the credentials, and send the browser back to the client with a one-time
//! code. Sign-up (`sign_up`) ends the same way.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tonearm_auth::{pkce, secrets};
use tonearm_core::accounts::SignIn;
use tonearm_core::accounts::throttle::{Budget, Wait};
use tonearm_core::clock::now_seconds;
use tonearm_domain::UserId;
use tonearm_model::AuthorizationCode;

use super::params::AuthorizeParams;
use super::{page, request_origin};
use crate::auth::authority::{CODE_SECONDS, OAuth, WEB_CLIENT_CALLBACK, WEB_CLIENT_ID};
use crate::http::client_address::Client;

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    username: String,
    password: String,
}

/// A request that may go on: where to send the code, and the PKCE challenge to bind it to.
pub(super) struct Accepted {
    redirect_uri: String,
    challenge: String,
}

/// Why an authorize request stops.
pub(super) enum Refusal {
    /// The client or redirect URI is not trusted: explained on our own page.
    Untrusted(&'static str),
    /// Anything else goes back to the client as `error=` (RFC 6749 §4.1.2.1).
    ToClient { redirect_uri: String, error: &'static str, description: Option<&'static str> },
}

impl Refusal {
    pub(super) fn into_response(self, state: Option<&str>) -> Response {
        match self {
            Self::Untrusted(message) => page::refusal(message),
            Self::ToClient { redirect_uri, error, description } => {
                let mut pairs = vec![("error", error)];
                pairs.extend(description.map(|description| ("error_description", description)));
                redirect_with(&redirect_uri, &pairs, state)
            }
        }
    }
}

pub async fn show(
    State(oauth): State<OAuth>,
    client: Client,
    headers: HeaderMap,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    match check(&oauth, &client, &headers, &params) {
        Ok(_) => page::sign_in(&params, None, StatusCode::OK),
        Err(refusal) => refusal.into_response(params.state.as_deref()),
    }
}

pub async fn submit(
    State(oauth): State<OAuth>,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    // Every post spends the address's budget, well-formed or not.
    if let Err(wait) = oauth.credentials.admit(Budget::Credentials, client.ip) {
        tracing::info!(reason = "too many requests", client = %client.ip, "sign-in refused");
        return too_many_attempts(&form.params, wait);
    }
    let accepted = match check(&oauth, &client, &headers, &form.params) {
        Ok(accepted) => accepted,
        Err(refusal) => return refusal.into_response(form.params.state.as_deref()),
    };
    let user = match oauth.credentials.sign_in(client.ip, &form.username, form.password).await {
        SignIn::Accepted(user) => user,
        SignIn::WrongCredentials => {
            tracing::info!(reason = "wrong credentials", client = %client.ip, "sign-in refused");
            return page::sign_in(&form.params, Some("Wrong user name or password."), StatusCode::UNAUTHORIZED);
        }
        SignIn::Throttled(wait) => {
            tracing::info!(reason = "too many attempts", client = %client.ip, "sign-in refused");
            return too_many_attempts(&form.params, wait);
        }
    };
    redirect_with_code(&oauth, accepted, user, form.params.state.as_deref()).await
}

/// The end of every successful authorize step, sign-in or sign-up: a one-time code for
/// `user`, bound to the accepted request, sent back to the client with its `state`.
pub(super) async fn redirect_with_code(
    oauth: &OAuth,
    accepted: Accepted,
    user: UserId,
    state: Option<&str>,
) -> Response {
    let code = secrets::new_secret();
    let record = AuthorizationCode {
        code_hash: secrets::digest(&code),
        client_id: WEB_CLIENT_ID.to_owned(),
        user_id: user,
        redirect_uri: accepted.redirect_uri.clone(),
        code_challenge: accepted.challenge,
        expires_at: now_seconds() + CODE_SECONDS,
    };
    if let Err(error) = oauth.store.save_code(&record).await {
        tracing::error!(%error, "authorization code could not be stored");
        return redirect_with(&accepted.redirect_uri, &[("error", "server_error")], state);
    }
    redirect_with(&accepted.redirect_uri, &[("code", &code)], state)
}

/// The sign-in form again, saying how long to wait (`429` with `Retry-After`).
fn too_many_attempts(params: &AuthorizeParams, wait: Wait) -> Response {
    let mut response = page::sign_in(params, Some(&wait.message()), StatusCode::TOO_MANY_REQUESTS);
    response.headers_mut().insert(header::RETRY_AFTER, wait.seconds().into());
    response
}

/// Checks the client, its redirect URI, the response type and PKCE, in that order.
pub(super) fn check(
    oauth: &OAuth,
    client: &Client,
    headers: &HeaderMap,
    params: &AuthorizeParams,
) -> Result<Accepted, Refusal> {
    if params.client_id.as_deref() != Some(WEB_CLIENT_ID) {
        return Err(Refusal::Untrusted("The application asking you to sign in is not registered with this server."));
    }
    let expected = request_origin(client, headers, oauth.tls).map(|origin| format!("{origin}{WEB_CLIENT_CALLBACK}"));
    let Some(redirect_uri) = params.redirect_uri.clone().filter(|uri| Some(uri) == expected.as_ref()) else {
        return Err(Refusal::Untrusted("This application may not receive sign-ins at that address."));
    };
    if params.response_type.as_deref() != Some("code") {
        return Err(Refusal::ToClient { redirect_uri, error: "unsupported_response_type", description: None });
    }
    let challenge = params.code_challenge.clone().filter(|challenge| pkce::is_valid_challenge(challenge));
    let Some(challenge) = challenge.filter(|_| params.code_challenge_method.as_deref() == Some("S256")) else {
        let description = Some("PKCE with code_challenge_method=S256 is required");
        return Err(Refusal::ToClient { redirect_uri, error: "invalid_request", description });
    };
    Ok(Accepted { redirect_uri, challenge })
}

/// 303 to the client's redirect URI with `pairs` and the client's `state`.
fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> Response {
    let mut query: Vec<(&str, &str)> = pairs.to_vec();
    if let Some(state) = state {
        query.push(("state", state));
    }
    let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{redirect_uri}{separator}{encoded}"))]).into_response()
}
