//! The transcoder's state as the admin route reports it.

use serde::Serialize;
use tonearm_core::admin::transcoding::PackagerStats;
use utoipa::ToSchema;

/// The transcoder and its rendition cache, for operators.
#[derive(Serialize, ToSchema)]
pub struct TranscodingStatus {
    /// Jobs started since the server started (one per rendition made).
    pub jobs_started: u64,
    pub jobs_failed: u64,
    pub jobs_running: usize,
    /// Jobs waiting for a free encoder.
    pub jobs_queued: usize,
    pub cached_renditions: usize,
    pub cache_bytes: u64,
    pub cache_limit_bytes: u64,
    /// Renditions evicted to stay within the bound since the server started.
    pub evicted_renditions: u64,
}

convert_fields!(PackagerStats => TranscodingStatus {
    jobs_started, jobs_failed, jobs_running, jobs_queued, cached_renditions, cache_bytes, cache_limit_bytes,
    evicted_renditions,
});
