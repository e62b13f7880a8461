//! Worked-out answers kept for a while: a bounded LRU whose entries expire. The key holds
//! everything the answer was made from, so a changed catalog, model or taste misses.

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;

pub struct Kept<K: Hash + Eq, V> {
    fresh_for: Duration,
    entries: Mutex<LruCache<K, (Instant, Arc<V>)>>,
}

impl<K: Hash + Eq, V> Kept<K, V> {
    pub fn new(capacity: NonZeroUsize, fresh_for: Duration) -> Self {
        Self { fresh_for, entries: Mutex::new(LruCache::new(capacity)) }
    }

    /// The answer kept for `key`, unless it has expired.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(key).filter(|(made_at, _)| made_at.elapsed() < self.fresh_for).map(|(_, value)| value.clone())
    }

    pub fn put(&self, key: K, value: Arc<V>) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).put(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_kept_until_it_expires() {
        let kept = Kept::new(NonZeroUsize::new(2).unwrap(), Duration::from_millis(50));
        kept.put(1, Arc::new("one"));
        assert_eq!(kept.get(&1).as_deref(), Some(&"one"));
        assert_eq!(kept.get(&2), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(kept.get(&1), None, "expired");
    }
}
