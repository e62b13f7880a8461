//! Access tokens already verified on this node, so a client's next requests cost a map
//! lookup instead of a JWT decode and HMAC. An entry is only trusted until the token's own
//! expiry; the map is bounded and simply starts afresh when full.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tonearm_auth::{AccessClaims, Keyring, TokenError};

const MAX_ENTRIES: usize = 10_000;

#[derive(Clone, Default)]
pub struct VerifiedTokens {
    entries: Arc<RwLock<HashMap<String, AccessClaims>>>,
}

impl VerifiedTokens {
    pub fn verify(&self, keyring: &Keyring, token: &str, now_seconds: i64) -> Result<AccessClaims, TokenError> {
        let known = self.entries.read().unwrap_or_else(|p| p.into_inner()).get(token).cloned();
        if let Some(claims) = known {
            return if claims.exp > now_seconds { Ok(claims) } else { Err(TokenError::Expired) };
        }
        let claims = keyring.verify(token)?;
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
    use tonearm_auth::SigningKey;
    use tonearm_domain::{Role, Tier, UserId};

    use super::*;

    #[test]
    fn cached_tokens_still_expire_and_bad_tokens_are_never_cached() {
        let keyring = Keyring::new(vec![SigningKey::generate(1)]);
        let cache = VerifiedTokens::default();
        let now = 2_000_000_000;
        let token = keyring.issue(&AccessClaims::new(UserId(1), "s", Role::User, Tier::Free, now - 60)).unwrap();
        assert_eq!(cache.verify(&keyring, &token, now).unwrap().user(), UserId(1));
        // Cached now; past its expiry the cache refuses it too.
        assert_eq!(cache.verify(&keyring, &token, now + 24 * 3600), Err(TokenError::Expired));
        assert_eq!(cache.verify(&keyring, "forged", now), Err(TokenError::Invalid));
        assert_eq!(cache.entries.read().unwrap().len(), 1);
    }
}
