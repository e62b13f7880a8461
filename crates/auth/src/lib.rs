//! Accounts without HTTP: what a valid user name, email and password are, and how
//! passwords are stored, OAuth 2.0 tokens, and what each tier may do (`policy`).

mod credentials;
mod password;
pub mod pkce;
pub mod policy;
pub mod secrets;
mod tokens;

pub use credentials::{CredentialError, Email, NewPassword, Username};
pub use password::{HashingError, PasswordHasher};
pub use tokens::{ACCESS_TOKEN_SECONDS, AccessClaims, Keyring, MediaSignature, SigningKey, TokenError};
