//! `Leadership` per engine. PostgreSQL, shared by many nodes, uses a session advisory lock (keyed
//! by job and schema) held on one pooled connection for as long as the lease lives: if the node dies, its
//! connection closes and the lock goes with it. SQLite is one node's file, so a lease is an
//! entry in this store's own set of held jobs.

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Sqlite};
use tonearm_model::{LeaderJob, LeaderLease, Leadership, StoreError};

use crate::engine::{HeldJobs, SqlStore, query_error};

#[async_trait]
impl Leadership for SqlStore<Sqlite> {
    async fn try_lead(&self, job: LeaderJob) -> Result<Option<Box<dyn LeaderLease>>, StoreError> {
        let taken = self.held.lock().insert(job);
        Ok(taken.then(|| Box::new(HeldJob { job, held: self.held.clone() }) as Box<dyn LeaderLease>))
    }
}

struct HeldJob {
    job: LeaderJob,
    held: HeldJobs,
}

impl Drop for HeldJob {
    fn drop(&mut self) {
        self.held.lock().remove(&self.job);
    }
}

#[async_trait]
impl LeaderLease for HeldJob {
    async fn release(self: Box<Self>) -> Result<(), StoreError> {
        Ok(())
    }
}

#[async_trait]
impl Leadership for SqlStore<Postgres> {
    async fn try_lead(&self, job: LeaderJob) -> Result<Option<Box<dyn LeaderLease>>, StoreError> {
        let mut connection = self.pool.acquire().await.map_err(StoreError::unavailable)?;
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext(current_schema()))")
            .bind(job.key())
            .fetch_one(&mut *connection)
            .await
            .map_err(query_error)?;
        Ok(taken.then(|| Box::new(AdvisoryLock { job, connection: Some(connection) }) as Box<dyn LeaderLease>))
    }
}

/// The connection that holds the lock: the lock is the session's, so it must stay out of
/// the pool until unlocked.
struct AdvisoryLock {
    job: LeaderJob,
    connection: Option<PoolConnection<Postgres>>,
}

impl Drop for AdvisoryLock {
    fn drop(&mut self) {
        // Not released: close the session instead of pooling it, which ends the lock.
        if let Some(connection) = self.connection.take() {
            drop(connection.detach());
        }
    }
}

#[async_trait]
impl LeaderLease for AdvisoryLock {
    async fn release(mut self: Box<Self>) -> Result<(), StoreError> {
        let Some(mut connection) = self.connection.take() else { return Ok(()) };
        let unlocked: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1, hashtext(current_schema()))")
            .bind(self.job.key())
            .fetch_one(&mut *connection)
            .await
            .map_err(query_error)?;
        if !unlocked {
            // The session did not hold it (it cannot happen unless the lock was taken twice);
            // keep the connection out of the pool all the same.
            drop(connection.detach());
            return Err(StoreError::Corrupt(format!("advisory lock {} was not held", self.job.key())));
        }
        Ok(())
    }
}
