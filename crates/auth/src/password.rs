//! Password storage: Argon2id as PHC strings, so parameters can be raised later without
//! invalidating stored hashes. The OWASP Password Storage Cheat Sheet's minimum (19 MiB,
//! 2 passes) verifies in ~17 ms here; 64 MiB and 2 passes bring a check to ~110 ms, inside
//! the 50–250 ms a sign-in may cost (`cargo run --release -p tonearm-auth --example hash_cost`).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::NewPassword;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingError(String);

#[derive(Clone)]
pub struct PasswordHasher {
    argon2: Argon2<'static>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        let params = Params::new(64 * 1024, 2, 1, None).expect("valid Argon2 parameters");
        Self { argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params) }
    }
}

impl PasswordHasher {
    /// A salted PHC string (`$argon2id$v=19$m=65536,t=2,p=1$…`). CPU-heavy: call it off the
    /// async runtime.
    pub fn hash(&self, password: &NewPassword) -> Result<String, HashingError> {
        self.argon2
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| HashingError(error.to_string()))
    }

    /// Spends what checking a real account costs, for sign-ins naming no account, so the
    /// answer's timing does not tell which user names exist.
    pub fn verify_against_nobody(&self, password: &str) {
        static NOBODY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let stored = NOBODY.get_or_init(|| {
            let placeholder = NewPassword::parse("no account has this password").expect("valid");
            self.hash(&placeholder).unwrap_or_default()
        });
        let _ = self.verify(password, stored);
    }

    /// Whether `password` matches the stored PHC string; a malformed one never matches.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        PasswordHash::new(stored).is_ok_and(|hash| self.argon2.verify_password(password.as_bytes(), &hash).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify_only_the_right_password() {
        let hasher = PasswordHasher::default();
        let password = NewPassword::parse("correct horse battery").unwrap();
        let first = hasher.hash(&password).unwrap();
        let second = hasher.hash(&password).unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=65536,t=2,p=1$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(hasher.verify("correct horse battery", &first));
        assert!(!hasher.verify("correct horse batterY", &first));
        assert!(!hasher.verify("correct horse battery", "not a phc string"));
    }
}
