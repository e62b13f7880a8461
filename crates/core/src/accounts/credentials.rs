//! Checking what a person types: passwords against their Argon2id hashes, a bounded number
//! at once (half the cores, so a flood of sign-ins cannot take every core from streaming),
//! behind the throttle that slows guessing per address and per account. Every protocol
//! that takes a password (the OAuth sign-in form, password confirmation, later Subsonic)
//! goes through here.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tonearm_auth::{NewPassword, PasswordHasher, Username};
use tonearm_domain::UserId;
use tonearm_model::AuthStore;

use super::throttle::{Budget, Subject, Throttle, Wait};
use crate::clock::{now_millis, now_seconds};
use crate::error::{ServiceError, ServiceResult};
use crate::stores::Users;

/// How long a password check may queue for a turn before the client is told to come back.
const PASSWORD_CHECK_QUEUE: Duration = Duration::from_secs(10);

/// What a sign-in with a name and password came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    Accepted(UserId),
    /// No such account, or the wrong password: the two are never told apart.
    WrongCredentials,
    Throttled(Wait),
}

#[derive(Clone)]
pub struct Credentials {
    auth: Arc<dyn AuthStore>,
    users: Users,
    hasher: PasswordHasher,
    checks: Arc<Semaphore>,
    throttle: Throttle,
}

impl Credentials {
    pub fn new(auth: Arc<dyn AuthStore>, users: Users) -> Self {
        Self {
            auth,
            users,
            hasher: PasswordHasher::default(),
            checks: Arc::new(Semaphore::new(password_check_slots())),
            throttle: Throttle::default(),
        }
    }

    /// Spends one request of `client`'s `budget`, or says how long to wait.
    pub fn admit(&self, budget: Budget, client: IpAddr) -> Result<(), Wait> {
        self.throttle.admit(budget, client)
    }

    /// Drops what the throttle remembers of subjects idle for long (a background job).
    pub fn forget_idle(&self) {
        self.throttle.forget_idle();
    }

    /// The account `username` and `password` name, from `client`. Failures count against
    /// the name as typed (whether or not such an account exists) and the address.
    pub async fn sign_in(&self, client: IpAddr, username: &str, password: String) -> SignIn {
        let subjects = [Subject::Account(account_key(username)), Subject::Address(client)];
        if let Err(wait) = self.throttle.check(&subjects) {
            return SignIn::Throttled(wait);
        }
        let account = match Username::parse(username) {
            Ok(name) => self.auth.credentials(name.key()).await.ok().flatten(),
            Err(_) => None,
        };
        let (user, stored) = account.map_or((None, None), |(user, stored)| (Some(user.id), Some(stored)));
        let matches = match self.check_password(password, stored).await {
            Ok(matches) => matches,
            Err(wait) => return SignIn::Throttled(wait),
        };
        match user.filter(|_| matches) {
            Some(user) => {
                self.throttle.succeeded(&subjects[..1]);
                SignIn::Accepted(user)
            }
            None => {
                self.throttle.failed(&subjects);
                SignIn::WrongCredentials
            }
        }
    }

    /// Checks a signed-in account's password again before a change that needs it (a
    /// stolen access token must not become a way to guess the password); answers the
    /// account's name.
    pub async fn confirm(&self, client: IpAddr, user: UserId, password: String) -> ServiceResult<Username> {
        let subjects = [Subject::Account(format!("id:{user}")), Subject::Address(client)];
        self.throttle
            .admit(Budget::Credentials, client)
            .and_then(|()| self.throttle.check(&subjects))
            .map_err(ServiceError::from)?;
        let account = self.users.user(user).await?;
        let key = Username::parse(&account.username)
            .map_err(|error| ServiceError::internal("a stored username does not parse", error))?;
        let (_, stored) =
            self.auth.credentials(key.key()).await?.ok_or(ServiceError::Unauthenticated("this account is disabled"))?;
        if !self.check_password(password, Some(stored)).await? {
            self.throttle.failed(&subjects);
            return Err(ServiceError::Forbidden { code: "wrong_password", message: "the password is not correct" });
        }
        self.throttle.succeeded(&subjects[..1]);
        Ok(key)
    }

    /// Changes the password after checking the current one; every other session of the
    /// account (all but `session`) is signed out.
    pub async fn change_password(
        &self,
        client: IpAddr,
        user: UserId,
        session: &str,
        current: String,
        new: &str,
    ) -> ServiceResult<()> {
        let new = NewPassword::parse(new).map_err(|error| ServiceError::invalid("weak_password", error.to_string()))?;
        let key = self.confirm(client, user, current).await?;
        let hasher = self.hasher.clone();
        let new_hash = tokio::task::spawn_blocking(move || hasher.hash(&new))
            .await
            .map_err(|error| ServiceError::internal("the password hashing task failed", error))?
            .map_err(|error| ServiceError::internal("hashing a password failed", error))?;
        self.users.set_password_hash(key.key(), &new_hash, now_millis()).await?;
        let signed_out = self.auth.revoke_all_sessions(user, Some(session), now_seconds()).await?;
        tracing::info!(%user, signed_out, "password changed");
        Ok(())
    }

    /// Deletes the account after checking its password, with everything only its own.
    pub async fn delete_account(&self, client: IpAddr, user: UserId, password: String) -> ServiceResult<()> {
        self.confirm(client, user, password).await?;
        self.users.delete_user(user).await?;
        tracing::info!(%user, "account deleted");
        Ok(())
    }

    /// Whether `password` matches `stored`; with no stored hash (no such account) it costs
    /// the same and answers `false`. `Err` when the checks are too busy to take a turn.
    async fn check_password(&self, password: String, stored: Option<String>) -> Result<bool, Wait> {
        let permit = tokio::time::timeout(PASSWORD_CHECK_QUEUE, Arc::clone(&self.checks).acquire_owned())
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
}

/// The key failures of a typed name count against: its normalised form when it is a
/// valid name, else the text as typed.
fn account_key(username: &str) -> String {
    Username::parse(username).map_or_else(|_| username.to_lowercase(), |name| name.key().to_owned())
}

fn password_check_slots() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| (cores.get() / 2).max(1))
}
