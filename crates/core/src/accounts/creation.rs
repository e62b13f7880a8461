//! The one path every account is created by (sign-up, `tonearm user add`, the demo), with
//! the username, email and password checked and the password hashed off the async workers.

use tonearm_auth::{CredentialError, Email, NewPassword, PasswordHasher, Username};
use tonearm_domain::{Role, Tier};
use tonearm_model::{NewUser, StoreError, UserStore, UserSummary};

use crate::clock::now_millis;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Invalid(#[from] CredentialError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("hashing the password failed")]
    Hashing(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Validates and hashes, then stores; the one path every account is created by.
pub async fn create_account(
    users: &dyn UserStore,
    username: &str,
    email: &str,
    password: NewPassword,
    role: Option<Role>,
    tier: Tier,
) -> Result<UserSummary, AccountError> {
    let username = Username::parse(username)?;
    let email = Email::parse(email)?;
    let new_user = NewUser {
        username: username.as_str().to_owned(),
        username_key: username.key().to_owned(),
        email: email.as_str().to_owned(),
        email_key: email.key().to_owned(),
        password_hash: hash(password).await?,
        role,
        tier,
    };
    Ok(users.create_user(&new_user, now_millis()).await?)
}

/// Argon2id is deliberately slow: it runs on the blocking pool.
async fn hash(password: NewPassword) -> Result<String, AccountError> {
    tokio::task::spawn_blocking(move || PasswordHasher::default().hash(&password))
        .await
        .map_err(|error| AccountError::Hashing(error.into()))?
        .map_err(|error| AccountError::Hashing(error.into()))
}

/// The demo's accounts: `admin` (premium), `free` and `premium`.
const DEMO_ACCOUNTS: [(&str, Role, Tier); 3] =
    [("admin", Role::Admin, Tier::Premium), ("free", Role::User, Tier::Free), ("premium", Role::User, Tier::Premium)];

/// Creates the demo accounts, or resets their password when they exist, so the password
/// printed at start always works.
pub async fn ensure_demo_users(users: &dyn UserStore, password: &str) -> Result<(), AccountError> {
    for (name, role, tier) in DEMO_ACCOUNTS {
        let email = format!("{name}@demo.tonearm.invalid");
        match create_account(users, name, &email, NewPassword::parse(password)?, Some(role), tier).await {
            Ok(_) => {}
            Err(AccountError::Store(StoreError::Conflict(_))) => {
                let hashed = hash(NewPassword::parse(password)?).await?;
                users.set_password_hash(Username::parse(name)?.key(), &hashed, now_millis()).await?;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// A random password for the demo accounts: 16 letters and digits (about 95 bits).
pub fn random_demo_password() -> String {
    use rand::Rng;
    rand::rng().sample_iter(rand::distr::Alphanumeric).take(16).map(char::from).collect()
}
