//! Which finished renditions the cache holds, how large they are and when each was last
//! served: the bookkeeping behind the size bound and least-recently-used eviction.

use std::collections::HashMap;

use crate::address::RenditionAddress;

#[derive(Debug)]
pub struct CacheIndex {
    limit_bytes: u64,
    total_bytes: u64,
    /// A logical clock: each use takes the next tick, so "least recent" is exact and cheap.
    clock: u64,
    entries: HashMap<RenditionAddress, Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    bytes: u64,
    last_used: u64,
}

impl CacheIndex {
    pub fn new(limit_bytes: u64) -> Self {
        Self { limit_bytes, total_bytes: 0, clock: 0, entries: HashMap::new() }
    }

    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Records a finished rendition as just used.
    pub fn insert(&mut self, address: RenditionAddress, bytes: u64) {
        self.clock += 1;
        let previous = self.entries.insert(address, Entry { bytes, last_used: self.clock });
        self.total_bytes = self.total_bytes + bytes - previous.map_or(0, |entry| entry.bytes);
    }

    pub fn contains(&self, address: &RenditionAddress) -> bool {
        self.entries.contains_key(address)
    }

    /// Forgets a rendition whose objects are gone (deleted behind the index's back).
    pub fn remove(&mut self, address: &RenditionAddress) {
        if let Some(entry) = self.entries.remove(address) {
            self.total_bytes -= entry.bytes;
        }
    }

    /// Marks a rendition as used now; unknown ones (still being produced) are ignored.
    pub fn touch(&mut self, address: &RenditionAddress) {
        self.clock += 1;
        if let Some(entry) = self.entries.get_mut(address) {
            entry.last_used = self.clock;
        }
    }

    /// Removes least-recently-used renditions until the total is within the limit, and
    /// returns them for their objects to be deleted. The most recently used one always stays,
    /// even alone over the limit: it was just made for a listener who is reading it.
    pub fn evict_over_limit(&mut self) -> Vec<RenditionAddress> {
        let mut evicted = Vec::new();
        while self.total_bytes > self.limit_bytes && self.entries.len() > 1 {
            let Some(oldest) =
                self.entries.iter().min_by_key(|(_, entry)| entry.last_used).map(|(address, _)| address.clone())
            else {
                break;
            };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.total_bytes -= entry.bytes;
            }
            evicted.push(oldest);
        }
        evicted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(track: i64) -> RenditionAddress {
        RenditionAddress { track, rendition: "aac-lc-128".into(), digest: "d".into() }
    }

    #[test]
    fn the_least_recently_used_go_first_until_within_the_limit() {
        let mut index = CacheIndex::new(250);
        index.insert(address(1), 100);
        index.insert(address(2), 100);
        index.insert(address(3), 50);
        index.touch(&address(1));
        assert!(index.evict_over_limit().is_empty(), "250 bytes fit");
        index.insert(address(4), 120);
        assert_eq!(index.evict_over_limit(), [address(2), address(3)], "least recently used first, until within");
        assert_eq!((index.total_bytes(), index.len()), (220, 2));
        index.insert(address(5), 500);
        let evicted = index.evict_over_limit();
        assert_eq!(evicted, [address(1), address(4)], "everything older goes");
        assert_eq!((index.total_bytes(), index.len()), (500, 1), "the newest stays even alone over the bound");
    }

    #[test]
    fn reinserting_replaces_the_size() {
        let mut index = CacheIndex::new(1000);
        index.insert(address(1), 100);
        index.insert(address(1), 40);
        assert_eq!((index.total_bytes(), index.len()), (40, 1));
    }
}
