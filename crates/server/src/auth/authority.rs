//! The OAuth 2.0 authorization server's state: signing keys, registered clients, and the
//! stores it needs. HTTP lives in `routes::oauth`; token logic in `tonearm_auth`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tonearm_auth::{AccessClaims, MediaSignature, PasswordHasher, TokenError};
use tonearm_core::clock::now_seconds;
use tonearm_model::{AuthStore, StoreError, UserStore};

use crate::auth::keyring::SharedKeyring;
use crate::auth::throttle::{Throttle, Wait};
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
    pub hasher: PasswordHasher,
    /// Argon2id checks allowed at once: half the cores, so a flood of sign-ins cannot take
    /// every core from streaming.
    password_checks: Arc<Semaphore>,
    pub throttle: Throttle,
    /// Whether this node serves HTTPS itself (decides the scheme of its own origin).
    pub tls: bool,
}

/// How long a password check may queue for a turn before the client is told to come back.
const PASSWORD_CHECK_QUEUE: Duration = Duration::from_secs(10);

impl OAuth {
    /// Loads the signing keys, creating the first one on a new instance.
    pub async fn load(store: Arc<dyn AuthStore>, users: Arc<dyn UserStore>, tls: bool) -> Result<Self, StoreError> {
        Ok(Self(Arc::new(OAuthParts {
            keyring: SharedKeyring::load(Arc::clone(&store)).await?,
            store,
            users,
            verified: VerifiedTokens::default(),
            hasher: PasswordHasher::default(),
            password_checks: Arc::new(Semaphore::new(password_check_slots())),
            throttle: Throttle::default(),
            tls,
        })))
    }

    /// Whether `password` matches `stored`; with no stored hash (no such account) it costs
    /// the same and answers `false`. `Err` when the checks are too busy to take a turn.
    pub async fn check_password(&self, password: String, stored: Option<String>) -> Result<bool, Wait> {
        let permit = tokio::time::timeout(PASSWORD_CHECK_QUEUE, Arc::clone(&self.password_checks).acquire_owned())
            .await
            .map_err(|_| Wait(Duration::from_secs(5)))?
            .expect("the semaphore is never closed");
        let hasher = self.hasher.clone();
        let checked = tokio::task::spawn_blocking(move || {
            let _turn = permit;
            match stored {
                Some(stored) => hasher.verify(&password, &stored),
                None => {
                    hasher.verify_against_nobody(&password);
                    false
                }
            }
        })
        .await;
        Ok(checked.unwrap_or(false))
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

fn password_check_slots() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| (cores.get() / 2).max(1))
}
