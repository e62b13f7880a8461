//! Background work that must run on one node at a time (training the recommender today;
//! scans, retention and rollups later): a node leads a job while it holds the job's lease,
//! and the others skip it until the lease is given back or its holder dies.

use async_trait::async_trait;

use crate::StoreError;

/// A job only one node may run at a time; its key names the lock in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeaderJob {
    /// Training the recommender and publishing the model.
    RecommenderTraining,
}

impl LeaderJob {
    /// A number unique among Tonearm's jobs (the first half of a PostgreSQL advisory lock's
    /// key; the second names the schema, so services sharing a database do not contend).
    pub fn key(self) -> i32 {
        // "ton" in ASCII, then the job's ordinal: far from keys other software picks.
        const TONEARM: i32 = 0x746f_6e00;
        match self {
            Self::RecommenderTraining => TONEARM + 1,
        }
    }
}

/// Held while a node leads a job. Dropping it gives the lease back too; `release` does so
/// at once and says whether the database saw it.
#[async_trait]
pub trait LeaderLease: Send {
    async fn release(self: Box<Self>) -> Result<(), StoreError>;
}

#[async_trait]
pub trait Leadership: Send + Sync + 'static {
    /// The lease of `job` if no other holder has it, at once: never waits for it.
    async fn try_lead(&self, job: LeaderJob) -> Result<Option<Box<dyn LeaderLease>>, StoreError>;
}
