//! On-demand renditions. The first request for a file of a rendition starts one
//! transcoding job (single-flight: later requests join it); each waits only until its own
//! file exists. Jobs run one per core on blocking threads, queued with back-pressure beyond
//! that; their output (clear init segment, AES-128 encrypted media segments) goes to the
//! object store, where finished renditions stay within a size bound, least recently used
//! evicted first; the most requested files are also kept in memory. No HTTP here: the server maps requests to [`RenditionAddress`]es.

mod address;
mod cache_index;
mod hot_files;
mod job;
mod packager;

pub use address::{MediaFile, RenditionAddress};
pub use job::JobSpec;
pub use packager::{Packager, PackagerConfig, PackagerError, PackagerStats};
