//! `tonearm keys rotate`: a new signing key, which every node starts signing with once it
//! reloads its keyring, and the removal of keys that nothing still valid was signed with.
//! Tokens and links signed before stay valid: rotating logs nobody out.

use tonearm_auth::{SigningKey, expired_keys};
use tonearm_config::Settings;
use tonearm_core::clock::now_seconds;
use tonearm_model::{AuthStore, StoreError};

use crate::auth::keyring::{key_of, record_of};

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    /// The id of the key that signs from now on.
    pub added: String,
    /// The ids of the superseded keys deleted.
    pub removed: Vec<String>,
}

pub async fn rotate(settings: &Settings) -> Result<Rotation, StoreError> {
    let store = tonearm_store::open(&settings.database_url).await?.auth;
    rotate_keys(store.as_ref(), now_seconds()).await
}

/// Adds a key created at `now` (Unix seconds), then deletes the keys superseded long enough
/// before `now` (`tonearm_auth::SUPERSEDED_KEY_RETENTION_SECONDS`).
pub async fn rotate_keys(store: &dyn AuthStore, now: i64) -> Result<Rotation, StoreError> {
    let key = SigningKey::generate(now);
    store.add_signing_key(&record_of(&key)).await?;
    let keys: Vec<SigningKey> = store.signing_keys().await?.into_iter().map(key_of).collect();
    let removed = expired_keys(&keys, now);
    for kid in &removed {
        store.remove_signing_key(kid).await?;
    }
    tracing::info!(added = %key.kid, removed = removed.len(), "signing keys rotated");
    Ok(Rotation { added: key.kid, removed })
}
