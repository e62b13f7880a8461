//! Accounts without HTTP: what a valid user name, email and password are, and how
//! passwords are stored. OAuth 2.0 and tier policy build on this.

mod credentials;
mod password;

pub use credentials::{CredentialError, Email, NewPassword, Username};
pub use password::{HashingError, PasswordHasher};
