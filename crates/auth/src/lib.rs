//! Accounts without HTTP: what a valid user name, email and password are, and how
//! passwords are stored, OAuth 2.0 tokens, and what each tier may do (`policy`).

mod credentials;
mod password;
pub mod pkce;
pub mod policy;
mod rotation;
pub mod secrets;
pub mod stream_keys;
mod tokens;

pub use credentials::{CredentialError, Email, NewPassword, Username};
pub use password::{HashingError, PasswordHasher};
pub use rotation::{KEYRING_RELOAD_SECONDS, SUPERSEDED_KEY_RETENTION_SECONDS, expired_keys};
pub use tokens::{
    ACCESS_TOKEN_SECONDS, AccessClaims, Keyring, MEDIA_LINK_SECONDS, MediaSignature, SigningKey, TokenError,
};
