//! `tonearm user …`: account administration from the command line.

use std::io::{BufRead, IsTerminal};

use tonearm_auth::{CredentialError, NewPassword, Username};
use tonearm_config::Settings;
use tonearm_core::ServiceError;
use tonearm_core::accounts::{AccountError, Accounts, create_account};
use tonearm_domain::{Role, Tier};
use tonearm_model::{AccountChange, StoreError, UserSummary};

use crate::cli::args::{UserAddArgs, UserSetArgs};

/// Why a `tonearm user` command failed.
#[derive(Debug, thiserror::Error)]
pub enum UserCommandError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Invalid(#[from] CredentialError),
    #[error("cannot read the password: {0}")]
    PasswordInput(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Creates the account `args` describe, with the password read from the terminal or stdin.
pub async fn add_user(settings: &Settings, args: &UserAddArgs) -> Result<UserSummary, UserCommandError> {
    let password = NewPassword::parse(&read_password()?)?;
    let users = tonearm_store::open(&settings.database_url).await?.users;
    let role = args.admin.then_some(Role::Admin);
    let tier = Tier::parse(&args.tier).unwrap_or(Tier::Free);
    Ok(create_account(users.as_ref(), &args.username, &args.email, password, role, tier).await?)
}

/// Applies `tonearm user set`; disabling also signs the account out everywhere.
pub async fn set_user(settings: &Settings, args: &UserSetArgs) -> Result<UserSummary, UserCommandError> {
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
    Ok(Accounts::new(stores.users, stores.auth).change(None, user.id, &change).await?)
}

pub async fn list_users(settings: &Settings) -> Result<Vec<UserSummary>, UserCommandError> {
    Ok(tonearm_store::open(&settings.database_url).await?.users.list_users().await?)
}

/// Hidden input on a terminal; the first line of stdin otherwise (scripts, `--password-stdin` style).
fn read_password() -> Result<String, UserCommandError> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password: ").map_err(UserCommandError::PasswordInput);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(UserCommandError::PasswordInput)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
