//! Access tokens already verified on this node, so a client's next requests cost a map
//! lookup instead of a JWT decode and HMAC. An entry is only trusted until the token's own
//! expiry; the map is bounded and simply starts afresh when full.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tonearm_auth::{AccessClaims, TokenError};

const MAX_ENTRIES: usize = 10_000;

#[derive(Clone, Default)]
pub struct VerifiedTokens {
    entries: Arc<RwLock<HashMap<String, AccessClaims>>>,
}

impl VerifiedTokens {
    /// The claims of `token`: cached ones while the token lasts, else what
    /// `check_signature` finds (only successes are cached).
    pub fn verify(
        &self,
        token: &str,
        now_seconds: i64,
        check_signature: impl FnOnce(&str) -> Result<AccessClaims, TokenError>,
    ) -> Result<AccessClaims, TokenError> {
        let known = self.entries.read().unwrap_or_else(|p| p.into_inner()).get(token).cloned();
        if let Some(claims) = known {
            return if claims.exp > now_seconds { Ok(claims) } else { Err(TokenError::Expired) };
        }
        let claims = check_signature(token)?;
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(token.to_owned(), claims.clone());
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use tonearm_auth::{Keyring, SigningKey};
    use tonearm_domain::{Role, Tier, UserId};

    use super::*;

    #[test]
    fn cached_tokens_still_expire_and_bad_tokens_are_never_cached() {
        let keyring = Keyring::new(vec![SigningKey::generate(1)]);
        let cache = VerifiedTokens::default();
        let now = 2_000_000_000;
        let token = keyring.issue(&AccessClaims::new(UserId(1), "s", Role::User, Tier::Free, now - 60)).unwrap();
        let check = |token: &str| keyring.verify(token);
        assert_eq!(cache.verify(&token, now, check).unwrap().user(), UserId(1));
        // Cached now; past its expiry the cache refuses it too.
        assert_eq!(cache.verify(&token, now + 24 * 3600, check), Err(TokenError::Expired));
        assert_eq!(cache.verify("forged", now, check), Err(TokenError::Invalid));
        assert_eq!(cache.entries.read().unwrap().len(), 1);
    }
}
