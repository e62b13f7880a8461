//! Abuse protection for the endpoints that check secrets (sign-in, sign-up, tokens,
//! password confirmation): a request budget per client address, and exponential back-off
//! per account and per address after repeated failures (OWASP Authentication Cheat Sheet).
//! The state is per node: behind a load balancer an address gets one budget per node,
//! which still bounds guessing to a fixed rate.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Which budget a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Sign-in, sign-up and password forms: 10 at once, then one every 3 s per address.
    Credentials,
    /// Code exchanges, refreshes and revocations: 30 at once, then one a second.
    Tokens,
}

/// Who a failure counts against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An account by its normalised name key (or id): whether or not it exists, so the
    /// answers for "no such user" and "wrong password" stay identical.
    Account(String),
    Address(IpAddr),
}

impl Subject {
    /// Failures tolerated before back-off starts: a person mistypes a few times; one
    /// address may front many people (NAT), so it gets more.
    fn free_failures(&self) -> u32 {
        match self {
            Self::Account(_) => 5,
            Self::Address(_) => 20,
        }
    }
}

/// How long to wait before asking again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait(pub Duration);

impl Wait {
    /// Whole seconds for `Retry-After`, never zero.
    pub fn seconds(self) -> u64 {
        self.0.as_millis().div_ceil(1000).max(1) as u64
    }

    /// What a person reads on a refused form.
    pub fn message(self) -> String {
        format!("Too many attempts. Try again in {} seconds.", self.seconds())
    }
}

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// Entries kept before idle ones are dropped; bounds memory under a spray of names.
const MAX_TRACKED_SUBJECTS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    blocked_until: Instant,
    last_failure: Instant,
}

#[derive(Clone)]
pub struct Throttle {
    credentials: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    tokens: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    failures: Arc<Mutex<HashMap<Subject, Failures>>>,
}

impl Default for Throttle {
    fn default() -> Self {
        let quota = |period: Duration, burst: u32| {
            Quota::with_period(period).expect("non-zero period").allow_burst(NonZeroU32::new(burst).expect("non-zero"))
        };
        Self {
            credentials: Arc::new(DefaultKeyedRateLimiter::keyed(quota(Duration::from_secs(3), 10))),
            tokens: Arc::new(DefaultKeyedRateLimiter::keyed(quota(Duration::from_secs(1), 30))),
            failures: Arc::default(),
        }
    }
}

impl Throttle {
    /// Spends one request of `budget` for `address`, or says how long until one is left.
    pub fn admit(&self, budget: Budget, address: IpAddr) -> Result<(), Wait> {
        let limiter = match budget {
            Budget::Credentials => &self.credentials,
            Budget::Tokens => &self.tokens,
        };
        limiter.check_key(&address).map_err(|not_until| Wait(not_until.wait_time_from(DefaultClock::default().now())))
    }

    /// Refuses while any of `subjects` is backing off after repeated failures.
    pub fn check(&self, subjects: &[Subject]) -> Result<(), Wait> {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let longest = subjects
            .iter()
            .filter_map(|subject| failures.get(subject))
            .map(|entry| entry.blocked_until.saturating_duration_since(now))
            .max()
            .unwrap_or_default();
        if longest.is_zero() { Ok(()) } else { Err(Wait(longest)) }
    }

    /// Counts a failure against each subject; past its free failures, each one doubles
    /// the wait, from one second up to fifteen minutes.
    pub fn failed(&self, subjects: &[Subject]) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() >= MAX_TRACKED_SUBJECTS {
            failures.retain(|_, entry| entry.blocked_until > now);
        }
        for subject in subjects {
            let entry =
                failures.entry(subject.clone()).or_insert(Failures { count: 0, blocked_until: now, last_failure: now });
            entry.count += 1;
            entry.last_failure = now;
            if let Some(excess) = entry.count.checked_sub(subject.free_failures() + 1) {
                let backoff = FIRST_BACKOFF.saturating_mul(2u32.saturating_pow(excess.min(20))).min(MAX_BACKOFF);
                entry.blocked_until = now + backoff;
            }
        }
    }

    /// A success forgets the subjects' failures.
    pub fn succeeded(&self, subjects: &[Subject]) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for subject in subjects {
            failures.remove(subject);
        }
    }

    /// Drops what no longer limits anyone: full budgets, and failures an hour old.
    pub fn forget_idle(&self) {
        self.credentials.retain_recent();
        self.tokens.retain_recent();
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.retain(|_, entry| {
            entry.blocked_until > now || now.duration_since(entry.last_failure) < Duration::from_secs(3600)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> IpAddr {
        "203.0.113.7".parse().unwrap()
    }

    #[test]
    fn budgets_allow_a_burst_then_refuse_with_a_wait() {
        let throttle = Throttle::default();
        for attempt in 0..10 {
            assert_eq!(throttle.admit(Budget::Credentials, address()), Ok(()), "attempt {attempt}");
        }
        let wait = throttle.admit(Budget::Credentials, address()).unwrap_err();
        assert!(wait.0 > Duration::ZERO && wait.0 <= Duration::from_secs(3), "{wait:?}");
        assert_eq!(throttle.admit(Budget::Credentials, "203.0.113.8".parse().unwrap()), Ok(()), "per address");
        assert_eq!(throttle.admit(Budget::Tokens, address()), Ok(()), "budgets are separate");
    }

    #[test]
    fn backoff_starts_after_the_free_failures_and_doubles() {
        let throttle = Throttle::default();
        let account = [Subject::Account("maya".into())];
        for _ in 0..5 {
            throttle.failed(&account);
            assert_eq!(throttle.check(&account), Ok(()), "a few mistakes cost nothing");
        }
        throttle.failed(&account);
        let first = throttle.check(&account).unwrap_err();
        assert!(first.0 <= FIRST_BACKOFF && first.0 > FIRST_BACKOFF / 2, "{first:?}");
        throttle.failed(&account);
        let second = throttle.check(&account).unwrap_err();
        assert!(second.0 > FIRST_BACKOFF && second.0 <= FIRST_BACKOFF * 2, "{second:?}");
        for _ in 0..40 {
            throttle.failed(&account);
        }
        assert!(throttle.check(&account).unwrap_err().0 <= MAX_BACKOFF, "capped");
        assert_eq!(throttle.check(&[Subject::Account("other".into())]), Ok(()));
        throttle.succeeded(&account);
        assert_eq!(throttle.check(&account), Ok(()), "a success forgives");
    }

    #[test]
    fn waits_round_up_to_whole_seconds() {
        assert_eq!(Wait(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(Wait(Duration::from_millis(2001)).seconds(), 3);
        assert_eq!(Wait(Duration::ZERO).seconds(), 1);
    }
}
