//! Who may call the API: a bearer access token, verified with the keyring alone (no
//! database query, so any stateless node can check it), or, for media elements that cannot
//! send headers, a short-lived signed URL. One middleware guards every protected route, so
//! no handler can forget.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tonearm_auth::{AccessClaims, MediaSignature, TokenError};
use tonearm_domain::{Role, UserId};

use crate::auth::authority::OAuth;
use crate::http::error::ApiError;

/// Admits requests with a valid access token (its claims go into the request's extensions)
/// or, for GET and HEAD, a valid media signature for exactly this path.
pub async fn require_access(State(oauth): State<OAuth>, mut request: Request, next: Next) -> Response {
    let bearer = request.headers().get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
    if let Some(token) = bearer.and_then(|value| value.strip_prefix("Bearer ")) {
        return match oauth.verify_access_token(token.trim()).await {
            Ok(claims) => {
                request.extensions_mut().insert(claims);
                next.run(request).await
            }
            Err(TokenError::Expired) => {
                ApiError::Unauthorized("the access token has expired: refresh it").into_response()
            }
            Err(TokenError::Invalid | TokenError::UnknownKey | TokenError::NoKey) => {
                ApiError::Unauthorized("the access token is not valid").into_response()
            }
        };
    }
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    let signature = request.uri().query().and_then(|query| serde_urlencoded::from_str::<MediaSignature>(query).ok());
    match signature.filter(|_| readable) {
        Some(signature) if oauth.verify_media_path(request.uri().path(), &signature).await => {
            request.extensions_mut().insert(SignedFor(UserId(signature.uid)));
            next.run(request).await
        }
        Some(_) => ApiError::Unauthorized("the signed link is not valid or has expired").into_response(),
        None => ApiError::Unauthorized("sign in: this needs an access token (Authorization: Bearer …)").into_response(),
    }
}

/// For routes under `require_access`: only administrators pass.
pub async fn require_admin(request: Request, next: Next) -> Response {
    match request.extensions().get::<AccessClaims>() {
        Some(claims) if claims.role == Role::Admin => next.run(request).await,
        Some(_) => {
            ApiError::Forbidden { code: "admin_required", message: "only administrators may do this" }.into_response()
        }
        None => ApiError::Unauthorized("sign in as an administrator").into_response(),
    }
}

/// The listener a signed media link was issued to (such requests carry no claims).
#[derive(Debug, Clone, Copy)]
pub struct SignedFor(pub UserId);

/// The verified claims of the request's access token (signed media URLs carry none).
pub struct Authenticated(pub AccessClaims);

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<AccessClaims>()
            .cloned()
            .map(Self)
            .ok_or(ApiError::Unauthorized("this needs an access token, not a signed link"))
    }
}
