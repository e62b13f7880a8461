//! `tonearm user …`: account administration from the command line.

use std::io::{BufRead, IsTerminal};

use tonearm_auth::{CredentialError, Email, NewPassword, PasswordHasher, Username};
use tonearm_config::Settings;
use tonearm_core::clock::{now_millis, now_seconds};
use tonearm_domain::{Role, Tier};
use tonearm_model::{AccountChange, NewUser, StoreError, UserStore, UserSummary};

use crate::cli::args::{UserAddArgs, UserSetArgs};

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
    let password = NewPassword::parse(&read_password()?)?;
    let users = tonearm_store::open(&settings.database_url).await?.users;
    let role = args.admin.then_some(Role::Admin);
    let tier = Tier::parse(&args.tier).unwrap_or(Tier::Free);
    create_account(users.as_ref(), &args.username, &args.email, password, role, tier).await
}

/// Validates and hashes, then stores; the one path every account is created by.
pub(crate) async fn create_account(
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
        .map_err(|error| AccountError::Hashing(error.to_string()))?
        .map_err(|error| AccountError::Hashing(error.to_string()))
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

/// Applies `tonearm user set`; disabling also signs the account out everywhere.
pub async fn set_user(settings: &Settings, args: &UserSetArgs) -> Result<UserSummary, AccountError> {
    let key = Username::parse(&args.username)?;
    let stores = tonearm_store::open(&settings.database_url).await?;
    let user = stores
        .users
        .list_users()
        .await?
        .into_iter()
        .find(|user| Username::parse(&user.username).is_ok_and(|name| name.key() == key.key()))
        .ok_or_else(|| StoreError::not_found("user", &args.username))?;
    let change = AccountChange {
        role: args.role.as_deref().and_then(Role::parse),
        tier: args.tier.as_deref().and_then(Tier::parse),
        disabled: if args.disable {
            Some(true)
        } else if args.enable {
            Some(false)
        } else {
            None
        },
    };
    let changed = stores.users.change_account(user.id, &change, now_millis()).await?;
    if args.disable {
        stores.auth.revoke_all_sessions(user.id, None, now_seconds()).await?;
    }
    Ok(changed)
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
