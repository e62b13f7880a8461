//! Who is calling: the bearer access token, verified with the keyring alone (no database
//! query), so any stateless node can check it.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use tonearm_auth::{AccessClaims, TokenError};

use crate::error::ApiError;
use crate::oauth::OAuth;

/// The verified claims of the request's access token.
pub struct Authenticated(pub AccessClaims);

impl<S> FromRequestParts<S> for Authenticated
where
    S: Send + Sync,
    OAuth: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
        let Some(token) = header.and_then(|value| value.strip_prefix("Bearer ")) else {
            return Err(ApiError::Unauthorized("sign in: this needs an access token (Authorization: Bearer …)"));
        };
        match OAuth::from_ref(state).keyring.verify(token.trim()) {
            Ok(claims) => Ok(Self(claims)),
            Err(TokenError::Expired) => Err(ApiError::Unauthorized("the access token has expired: refresh it")),
            Err(TokenError::Invalid | TokenError::NoKey) => {
                Err(ApiError::Unauthorized("the access token is not valid"))
            }
        }
    }
}
