//! Values derived from the catalog, kept in memory until it changes. The catalog is read far
//! more often than it changes (scans and curation bump its version), so a value is built once
//! per catalog version instead of once per request. Entries also expire after a while (5 s
//! unless a cache says otherwise), which bounds how stale a node can be when another node
//! sharing the database changed it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tonearm_model::{CatalogVersion, StoreError};

const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5);

struct Entry<V> {
    version: u64,
    stored: Instant,
    value: V,
}

pub struct CatalogCache<K, V> {
    version: CatalogVersion,
    max_entries: usize,
    max_age: Duration,
    entries: Arc<RwLock<HashMap<K, Entry<V>>>>,
}

impl<K, V> Clone for CatalogCache<K, V> {
    fn clone(&self) -> Self {
        Self {
            version: self.version.clone(),
            max_entries: self.max_entries,
            max_age: self.max_age,
            entries: Arc::clone(&self.entries),
        }
    }
}

impl<K: Hash + Eq, V: Clone> CatalogCache<K, V> {
    pub fn new(version: CatalogVersion, max_entries: usize) -> Self {
        Self { version, max_entries, max_age: DEFAULT_MAX_AGE, entries: Arc::default() }
    }

    /// Entries expire after `max_age` rather than 5 s.
    pub fn kept_for(self, max_age: Duration) -> Self {
        Self { max_age, ..self }
    }

    /// The catalog's version now: read it before building a value, so that a change while
    /// it is built leaves the stored value stale rather than wrong.
    pub fn version(&self) -> u64 {
        self.version.current()
    }

    /// The value stored for `key` at `version`, unless it expired.
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q, version: u64) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        self.valid(entries.get(key)?, version)
    }

    /// What is stored for each of `keys` at `version`, in their order: one lock for all.
    pub fn get_all(&self, keys: &[K], version: u64) -> Vec<Option<V>> {
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        keys.iter().map(|key| self.valid(entries.get(key)?, version)).collect()
    }

    fn valid(&self, entry: &Entry<V>, version: u64) -> Option<V> {
        (entry.version == version && entry.stored.elapsed() < self.max_age).then(|| entry.value.clone())
    }

    pub fn put(&self, key: K, version: u64, value: V) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.max_entries {
            // Rare (a catalog version outlives thousands of distinct keys): start afresh.
            entries.clear();
        }
        entries.insert(key, Entry { version, stored: Instant::now(), value });
    }
}

/// What `cache` holds of `ids`, the rest fetched in one call and kept.
pub(crate) async fn kept_or_fetched<K, V, F>(
    cache: &CatalogCache<K, V>,
    ids: &[K],
    fetch: impl FnOnce(Vec<K>) -> F,
    id_of: fn(&V) -> K,
) -> Result<Vec<V>, StoreError>
where
    K: Hash + Eq + Copy,
    V: Clone,
    F: Future<Output = Result<Vec<V>, StoreError>>,
{
    // Read before fetching: a change meanwhile leaves what is kept stale rather than wrong.
    let version = cache.version();
    let mut found = cache.get_all(ids, version);
    let missing: Vec<K> = ids.iter().zip(&found).filter(|(_, kept)| kept.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let fetched: HashMap<K, V> = fetch(missing).await?.into_iter().map(|value| (id_of(&value), value)).collect();
        for (slot, id) in found.iter_mut().zip(ids).filter(|(slot, _)| slot.is_none()) {
            if let Some(value) = fetched.get(id) {
                cache.put(*id, version, value.clone());
                *slot = Some(value.clone());
            }
        }
    }
    Ok(found.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn a_value_lives_until_the_catalog_changes() {
        let version = CatalogVersion::default();
        let cache = CatalogCache::new(version.clone(), 10);
        let built_at = cache.version();
        cache.put("page".to_owned(), built_at, 1);
        assert_eq!(cache.get("page", cache.version()), Some(1));
        version.bump();
        assert_eq!(cache.get("page", cache.version()), None, "a scan or a curation change makes it stale");
    }

    #[test]
    fn entries_expire_after_their_age() {
        let cache = CatalogCache::new(CatalogVersion::default(), 10).kept_for(Duration::ZERO);
        cache.put(1, 0, "one");
        assert_eq!(cache.get_all(&[1], 0), [None], "another node may have changed it meanwhile");
        let kept = CatalogCache::new(CatalogVersion::default(), 10).kept_for(Duration::from_secs(60));
        kept.put(1, 0, "one");
        assert_eq!(kept.get_all(&[2, 1], 0), [None, Some("one")]);
    }

    #[test]
    fn a_full_cache_starts_afresh() {
        let cache = CatalogCache::new(CatalogVersion::default(), 2);
        for key in 0..3 {
            cache.put(key, 0, key);
        }
        assert_eq!((cache.get(&0, 0), cache.get(&1, 0), cache.get(&2, 0)), (None, None, Some(2)));
    }

    /// Fetches `n * 10` for each id but 13, which does not exist, and counts what it was asked.
    async fn fetch(asked: &AtomicUsize, ids: Vec<u32>) -> Result<Vec<u32>, StoreError> {
        asked.fetch_add(ids.len(), Ordering::Relaxed);
        Ok(ids.into_iter().filter(|&id| id != 13).map(|id| id * 10).collect())
    }

    #[tokio::test]
    async fn only_what_is_not_kept_is_fetched_and_the_order_is_the_ids() {
        let cache = CatalogCache::new(CatalogVersion::default(), 100);
        let asked = AtomicUsize::new(0);
        let id_of = |value: &u32| value / 10;

        let first = kept_or_fetched(&cache, &[3, 13, 1], |ids| fetch(&asked, ids), id_of).await.unwrap();
        assert_eq!(first, [30, 10], "missing ids are left out, the rest keep their order");
        assert_eq!(asked.load(Ordering::Relaxed), 3);

        let second = kept_or_fetched(&cache, &[2, 1, 3], |ids| fetch(&asked, ids), id_of).await.unwrap();
        assert_eq!(second, [20, 10, 30]);
        assert_eq!(asked.load(Ordering::Relaxed), 4, "only 2 was fetched");
    }

    #[tokio::test]
    async fn a_catalog_change_fetches_again() {
        let version = CatalogVersion::default();
        let cache = CatalogCache::new(version.clone(), 100);
        let asked = AtomicUsize::new(0);
        let id_of = |value: &u32| value / 10;
        kept_or_fetched(&cache, &[1, 2], |ids| fetch(&asked, ids), id_of).await.unwrap();
        version.bump();
        kept_or_fetched(&cache, &[1, 2], |ids| fetch(&asked, ids), id_of).await.unwrap();
        assert_eq!(asked.load(Ordering::Relaxed), 4, "a rename or a rescan must show at once");
    }
}
