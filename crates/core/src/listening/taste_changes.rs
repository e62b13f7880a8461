//! When a listener's evidence last changed on this node (a like, a follow, a stored play),
//! so that what was worked out from it (their recommendations) is worked out again at once
//! rather than when its copy expires. Another node's copy expires by itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tonearm_domain::UserId;

#[derive(Clone, Default)]
pub struct TasteChanges(Arc<Shared>);

#[derive(Default)]
struct Shared {
    /// Bumped on every change: a listener's revision is the counter at their last change.
    counter: AtomicU64,
    /// One entry per listener who changed anything since the start: a few bytes each.
    revisions: Mutex<HashMap<UserId, u64>>,
}

impl TasteChanges {
    pub fn changed(&self, user: UserId) {
        let revision = self.0.counter.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.revisions.lock().unwrap_or_else(|p| p.into_inner()).insert(user, revision);
    }

    /// 0 for a listener who changed nothing since the start.
    pub fn revision(&self, user: UserId) -> u64 {
        self.0.revisions.lock().unwrap_or_else(|p| p.into_inner()).get(&user).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_moves_only_its_listeners_revision() {
        let changes = TasteChanges::default();
        let (ada, bo) = (UserId(1), UserId(2));
        assert_eq!(changes.revision(ada), 0);
        changes.changed(ada);
        let first = changes.revision(ada);
        assert!(first > 0);
        assert_eq!(changes.revision(bo), 0);
        changes.changed(ada);
        assert!(changes.revision(ada) > first);
    }
}
