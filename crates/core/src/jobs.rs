//! Background work, registered in one place at start-up: each job is a future that runs
//! until the server stops (it is handed the stop signal) or until it ends by itself. A job
//! never blocks a request; its failures are its own to log.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The jobs of one running server and the signal that stops them.
pub struct BackgroundJobs {
    stopping: watch::Receiver<bool>,
    running: Vec<(&'static str, JoinHandle<()>)>,
}

impl BackgroundJobs {
    /// Jobs told to stop when `stopping` turns `true`.
    pub fn new(stopping: watch::Receiver<bool>) -> Self {
        Self { stopping, running: Vec::new() }
    }

    /// A future that resolves once the server is stopping, for a job to end on.
    pub fn stop_signal(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stopping = self.stopping.clone();
        async move {
            let _ = stopping.wait_for(|stopping| *stopping).await;
        }
    }

    /// Starts `job` on the runtime under `name` (for the logs).
    pub fn spawn(&mut self, name: &'static str, job: impl Future<Output = ()> + Send + 'static) {
        tracing::debug!(job = name, "background job started");
        let handle = tokio::spawn(async move {
            job.await;
            tracing::debug!(job = name, "background job ended");
        });
        self.running.push((name, handle));
    }

    /// Waits for the jobs to end after the stop signal, for at most `within`; returns the
    /// names of those that had not ended by then (they are left to the runtime's shutdown).
    pub async fn wait_until_stopped(self, within: Duration) -> Vec<&'static str> {
        let deadline = tokio::time::Instant::now() + within;
        let mut unfinished = Vec::new();
        for (name, handle) in self.running {
            if tokio::time::timeout_at(deadline, handle).await.is_err() {
                unfinished.push(name);
            }
        }
        unfinished
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stopping_waits_for_the_jobs_that_listen_and_names_those_that_do_not() {
        let (stop, stopping) = watch::channel(false);
        let mut jobs = BackgroundJobs::new(stopping);
        let stopped = jobs.stop_signal();
        jobs.spawn("listens", stopped);
        jobs.spawn("ends at once", async {});
        jobs.spawn("never listens", std::future::pending());
        stop.send(true).unwrap();
        assert_eq!(jobs.wait_until_stopped(Duration::from_millis(200)).await, ["never listens"]);
    }
}
