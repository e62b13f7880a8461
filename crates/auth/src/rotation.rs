//! Which signing keys a rotation may delete. A key is superseded when a newer one is
//! added; what it signed stays valid for a while after that, so it is kept until nothing
//! it can have signed is still valid.

use crate::SigningKey;
use crate::tokens::{ACCESS_TOKEN_SECONDS, MEDIA_LINK_SECONDS};

/// Nodes reload their keyring at least this often, so each signs with a superseded key
/// for at most this long after a rotation.
pub const KEYRING_RELOAD_SECONDS: i64 = 60;

/// Longest signature (1 h media link) + 1 min until every node reloads + 1 h for clock skew and missed reloads.
pub const SUPERSEDED_KEY_RETENTION_SECONDS: i64 =
    max(MEDIA_LINK_SECONDS, ACCESS_TOKEN_SECONDS) + KEYRING_RELOAD_SECONDS + 3600;

const fn max(a: i64, b: i64) -> i64 {
    if a > b { a } else { b }
}

/// The ids of the keys superseded at least `SUPERSEDED_KEY_RETENTION_SECONDS` before `now`
/// (Unix seconds). A key is superseded when the next newer key was created; the newest key
/// is never among them.
pub fn expired_keys(keys: &[SigningKey], now: i64) -> Vec<String> {
    let mut by_age: Vec<&SigningKey> = keys.iter().collect();
    by_age.sort_by_key(|key| key.created_at);
    by_age
        .windows(2)
        .filter(|pair| now - pair[1].created_at >= SUPERSEDED_KEY_RETENTION_SECONDS)
        .map(|pair| pair[0].kid.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, created_at: i64) -> SigningKey {
        SigningKey { kid: kid.to_owned(), secret: vec![0; 32], created_at }
    }

    #[test]
    fn keys_are_pruned_only_once_superseded_for_the_whole_retention() {
        let day = 24 * 3600;
        // "a" was superseded by "b" at day 1, "b" by "c" at day 2; "c" signs.
        let keys = [key("c", 2 * day), key("a", 0), key("b", day)];
        let superseded_b = 2 * day;

        assert_eq!(expired_keys(&keys, superseded_b), vec!["a"], "b was superseded just now");
        assert_eq!(expired_keys(&keys, superseded_b + SUPERSEDED_KEY_RETENTION_SECONDS - 1), vec!["a"]);
        assert_eq!(expired_keys(&keys, superseded_b + SUPERSEDED_KEY_RETENTION_SECONDS), vec!["a", "b"]);
        assert!(expired_keys(&keys, 100 * day).iter().all(|kid| kid != "c"), "the newest key always stays");
    }

    #[test]
    fn a_key_just_superseded_stays_however_old_it_is() {
        let keys = [key("old", 0), key("new", 10 * 24 * 3600)];
        assert!(expired_keys(&keys, 10 * 24 * 3600).is_empty());
        assert!(expired_keys(&[key("only", 0)], i64::MAX / 2).is_empty());
    }
}
