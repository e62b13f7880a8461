//! The keyring a node signs and verifies with, shared by every request and swapped whole
//! when the store's keys change, so `tonearm keys rotate` run anywhere reaches every node
//! without a restart: each node reloads every minute, and a token or link naming a key the
//! node has not loaded yet triggers an early reload, at most one per few seconds, so
//! made-up key ids cannot hammer the database.

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tonearm_auth::{KEYRING_RELOAD_SECONDS, Keyring, SigningKey};
use tonearm_core::clock::now_seconds;
use tonearm_model::{AuthStore, SigningKeyRecord, StoreError};

/// The least time between two reloads asked for by unknown key ids.
const UNKNOWN_KEY_RELOAD_INTERVAL: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct SharedKeyring {
    /// Readers clone the inner `Arc` and never wait for a reload's database query.
    current: Arc<RwLock<Arc<Keyring>>>,
    store: Arc<dyn AuthStore>,
    /// When the last reload for an unknown key id finished; held during one, so requests
    /// arriving meanwhile wait for it instead of querying again.
    last_unknown_key_reload: Arc<tokio::sync::Mutex<Option<Instant>>>,
}

impl SharedKeyring {
    /// Loads the signing keys, creating the first one on a new instance.
    pub async fn load(store: Arc<dyn AuthStore>) -> Result<Self, StoreError> {
        if store.signing_keys().await?.is_empty() {
            store.add_signing_key(&record_of(&SigningKey::generate(now_seconds()))).await?;
        }
        let keyring = Self {
            current: Arc::new(RwLock::new(Arc::new(Keyring::new(Vec::new())))),
            store,
            last_unknown_key_reload: Arc::default(),
        };
        keyring.reload().await?;
        Ok(keyring)
    }

    pub fn current(&self) -> Arc<Keyring> {
        Arc::clone(&self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Replaces the keyring with the store's keys; an empty table leaves it as it is, since a
    /// node that cannot sign is worse than one signing with a key about to be superseded.
    pub async fn reload(&self) -> Result<(), StoreError> {
        let keys: Vec<SigningKey> = self.store.signing_keys().await?.into_iter().map(key_of).collect();
        if keys.is_empty() {
            tracing::warn!("the signing_keys table is empty: keeping the keys already loaded");
            return Ok(());
        }
        let count = keys.len();
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(Keyring::new(keys));
        tracing::debug!(keys = count, "signing keys reloaded");
        Ok(())
    }

    /// For a token or link signed with a key this node does not hold, perhaps one added
    /// since the last reload: reloads, unless that was done moments ago. Verify again after.
    pub async fn reload_for_unknown_key(&self) {
        let mut last = self.last_unknown_key_reload.lock().await;
        if last.is_some_and(|at| at.elapsed() < UNKNOWN_KEY_RELOAD_INTERVAL) {
            return;
        }
        if let Err(error) = self.reload().await {
            tracing::warn!(%error, "signing keys could not be reloaded");
        }
        *last = Some(Instant::now());
    }

    /// Reloads every `KEYRING_RELOAD_SECONDS` until `stop` resolves.
    pub async fn reload_periodically(self, stop: impl Future<Output = ()>) {
        self.reload_every(Duration::from_secs(KEYRING_RELOAD_SECONDS.unsigned_abs()), stop).await;
    }

    async fn reload_every(self, period: Duration, stop: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return,
                _ = ticks.tick() => {
                    if let Err(error) = self.reload().await {
                        tracing::warn!(%error, "signing keys could not be reloaded");
                    }
                }
            }
        }
    }
}

pub(crate) fn key_of(record: SigningKeyRecord) -> SigningKey {
    SigningKey { kid: record.kid, secret: record.secret, created_at: record.created_at }
}

pub(crate) fn record_of(key: &SigningKey) -> SigningKeyRecord {
    SigningKeyRecord { kid: key.kid.clone(), secret: key.secret.clone(), created_at: key.created_at }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite_store(dir: &tempfile::TempDir) -> Arc<dyn AuthStore> {
        tonearm_store::open(&format!("sqlite://{}/keys.db", dir.path().display())).await.unwrap().auth
    }

    #[tokio::test]
    async fn periodic_reloads_pick_up_keys_added_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let store = sqlite_store(&dir).await;
        let keyring = SharedKeyring::load(Arc::clone(&store)).await.unwrap();
        let added = SigningKey::generate(now_seconds() + 1);
        store.add_signing_key(&record_of(&added)).await.unwrap();
        assert!(!keyring.current().knows(&added.kid));

        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let reloading = tokio::spawn(keyring.clone().reload_every(Duration::from_millis(20), async move {
            let _ = stopped.await;
        }));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(keyring.current().knows(&added.kid));
        stop.send(()).unwrap();
        reloading.await.unwrap();
    }

    #[tokio::test]
    async fn unknown_key_reloads_are_spaced_out() {
        let dir = tempfile::tempdir().unwrap();
        let store = sqlite_store(&dir).await;
        let keyring = SharedKeyring::load(Arc::clone(&store)).await.unwrap();
        let first = SigningKey::generate(now_seconds() + 1);
        store.add_signing_key(&record_of(&first)).await.unwrap();
        keyring.reload_for_unknown_key().await;
        assert!(keyring.current().knows(&first.kid));

        let second = SigningKey::generate(now_seconds() + 2);
        store.add_signing_key(&record_of(&second)).await.unwrap();
        keyring.reload_for_unknown_key().await;
        assert!(!keyring.current().knows(&second.kid), "a second reload right after the first is skipped");
    }
}
