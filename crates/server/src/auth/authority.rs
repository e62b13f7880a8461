//! The OAuth 2.0 authorization server's state: signing keys, registered clients, and the
//! stores it needs. HTTP lives in `auth::oauth`; token logic in `tonearm_auth`;
//! password checks in `tonearm_core::accounts`.

use std::sync::Arc;

use tonearm_auth::{AccessClaims, MediaSignature, TokenError};
use tonearm_core::accounts::Credentials;
use tonearm_core::clock::now_seconds;
use tonearm_model::{AuthStore, StoreError, UserStore};

use crate::auth::keyring::SharedKeyring;
use crate::auth::verified_tokens::VerifiedTokens;

/// The first-party web app: a public client (no secret), PKCE required.
pub const WEB_CLIENT_ID: &str = "tonearm-web";
/// Its redirect URI's path, on the server's own origin.
pub const WEB_CLIENT_CALLBACK: &str = "/app/callback";
/// Authorization codes are exchanged within seconds; a minute is generous.
pub const CODE_SECONDS: i64 = 60;
/// A signed-in device stays signed in while it uses its refresh token at least monthly.
pub const REFRESH_SECONDS: i64 = 30 * 24 * 3600;

/// Cloned for every request (the access check is a middleware holding it), so it is one
/// `Arc`, like `AppState`.
#[derive(Clone)]
pub struct OAuth(Arc<OAuthParts>);

impl std::ops::Deref for OAuth {
    type Target = OAuthParts;

    fn deref(&self) -> &OAuthParts {
        &self.0
    }
}

pub struct OAuthParts {
    pub store: Arc<dyn AuthStore>,
    pub users: Arc<dyn UserStore>,
    pub keyring: SharedKeyring,
    pub verified: VerifiedTokens,
    /// Passwords checked behind the sign-in throttle.
    pub credentials: Credentials,
    /// Whether this node serves HTTPS itself (decides the scheme of its own origin).
    pub tls: bool,
}

impl OAuth {
    /// Loads the signing keys, creating the first one on a new instance.
    pub async fn load(
        store: Arc<dyn AuthStore>,
        users: Arc<dyn UserStore>,
        credentials: Credentials,
        tls: bool,
    ) -> Result<Self, StoreError> {
        Ok(Self(Arc::new(OAuthParts {
            keyring: SharedKeyring::load(Arc::clone(&store)).await?,
            store,
            users,
            verified: VerifiedTokens::default(),
            credentials,
            tls,
        })))
    }

    /// Verifies an access token: a map lookup when this node verified it before, else the
    /// keyring's check, after a reload when the token names a key this node lacks (one
    /// added by `tonearm keys rotate` and used by another node already).
    pub async fn verify_access_token(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let now = now_seconds();
        let check_signature = |token: &str| self.keyring.current().verify(token);
        match self.verified.verify(token, now, check_signature) {
            Err(TokenError::UnknownKey) => {
                self.keyring.reload_for_unknown_key().await;
                self.verified.verify(token, now, check_signature)
            }
            verified => verified,
        }
    }

    /// Whether `signature` grants `path` now; like access tokens, an unknown key id
    /// reloads the keyring first.
    pub async fn verify_media_path(&self, path: &str, signature: &MediaSignature) -> bool {
        let mut keyring = self.keyring.current();
        if !keyring.knows(&signature.kid) {
            self.keyring.reload_for_unknown_key().await;
            keyring = self.keyring.current();
        }
        keyring.verify_media_path(path, signature, now_seconds())
    }
}
