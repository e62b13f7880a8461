//! `tonearm user …`: account administration from the command line.

use std::io::{BufRead, IsTerminal};

use tonearm_auth::{CredentialError, Email, NewPassword, PasswordHasher, Username};
use tonearm_catalog::{NewUser, StoreError, UserSummary};
use tonearm_config::Settings;
use tonearm_domain::{Role, Tier};

use crate::cli::UserAddArgs;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Invalid(#[from] CredentialError),
    #[error("cannot read the password: {0}")]
    PasswordInput(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Hashing(String),
}

/// Creates the account `args` describe, with the password read from the terminal or stdin.
pub async fn add_user(settings: &Settings, args: &UserAddArgs) -> Result<UserSummary, AccountError> {
    let username = Username::parse(&args.username)?;
    let email = Email::parse(&args.email)?;
    let password = NewPassword::parse(&read_password()?)?;
    let password_hash = tokio::task::spawn_blocking(move || PasswordHasher::default().hash(&password))
        .await
        .map_err(|error| AccountError::Hashing(error.to_string()))?
        .map_err(|error| AccountError::Hashing(error.to_string()))?;
    let users = tonearm_store::open(&settings.database_url).await?.users;
    let new_user = NewUser {
        username: username.as_str().to_owned(),
        username_key: username.key().to_owned(),
        email: email.as_str().to_owned(),
        email_key: email.key().to_owned(),
        password_hash,
        role: args.admin.then_some(Role::Admin),
        tier: Tier::parse(&args.tier).unwrap_or(Tier::Free),
    };
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    Ok(users.create_user(&new_user, now_ms).await?)
}

pub async fn list_users(settings: &Settings) -> Result<Vec<UserSummary>, AccountError> {
    Ok(tonearm_store::open(&settings.database_url).await?.users.list_users().await?)
}

/// Hidden input on a terminal; the first line of stdin otherwise (scripts, `--password-stdin` style).
fn read_password() -> Result<String, AccountError> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password: ").map_err(AccountError::PasswordInput);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(AccountError::PasswordInput)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
