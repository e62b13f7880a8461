//! The most requested rendition files, kept in memory. Without a CDN in front, many
//! listeners of the same track ask for the same segments; each answer from the store costs
//! a trip to the blocking pool to open and read a file. Rendition files are immutable
//! (content-addressed), so a copy here never goes stale and needs no invalidation: only a
//! byte bound, least recently used out first.

use std::sync::Mutex;

use bytes::Bytes;
use lru::LruCache;

pub struct HotFiles {
    limit_bytes: usize,
    state: Mutex<State>,
}

struct State {
    files: LruCache<String, Bytes>,
    bytes: usize,
}

impl HotFiles {
    /// Holds at most `limit_bytes` of file contents; 0 keeps nothing.
    pub fn new(limit_bytes: usize) -> Self {
        Self { limit_bytes, state: Mutex::new(State { files: LruCache::unbounded(), bytes: 0 }) }
    }

    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.lock().files.get(key).cloned()
    }

    /// Keeps `bytes` as the file `key`, dropping the least recently used files beyond the
    /// bound. A file over an eighth of the bound is not kept: it would push out many others.
    pub fn insert(&self, key: String, bytes: Bytes) {
        if bytes.len() > self.limit_bytes / 8 {
            return;
        }
        let mut state = self.lock();
        state.bytes += bytes.len();
        if let Some(replaced) = state.files.put(key, bytes) {
            state.bytes -= replaced.len();
        }
        while state.bytes > self.limit_bytes {
            let Some((_, dropped)) = state.files.pop_lru() else { break };
            state.bytes -= dropped.len();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(len: usize) -> Bytes {
        Bytes::from(vec![7; len])
    }

    #[test]
    fn the_least_recently_used_files_go_first_beyond_the_bound() {
        let hot = HotFiles::new(800);
        hot.insert("a".into(), file(100));
        hot.insert("b".into(), file(100));
        hot.insert("c".into(), file(100));
        assert!(hot.get("a").is_some(), "a is now the most recently used");
        for n in 0..7 {
            hot.insert(format!("new{n}"), file(100));
        }
        assert_eq!(hot.get("a").map(|bytes| bytes.len()), Some(100));
        assert!(hot.get("b").is_none() && hot.get("c").is_none(), "b and c were used least recently");
        assert_eq!(hot.lock().bytes, 800);
    }

    #[test]
    fn large_files_are_not_kept_and_a_zero_bound_keeps_nothing() {
        let hot = HotFiles::new(800);
        hot.insert("large".into(), file(101));
        assert!(hot.get("large").is_none());
        let none = HotFiles::new(0);
        none.insert("a".into(), file(1));
        assert!(none.get("a").is_none());
    }

    #[test]
    fn replacing_a_file_counts_its_bytes_once() {
        let hot = HotFiles::new(800);
        hot.insert("a".into(), file(100));
        hot.insert("a".into(), file(50));
        assert_eq!(hot.lock().bytes, 50);
    }
}
