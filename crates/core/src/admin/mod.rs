//! What administrators do: library scans, curation of the catalog, and the transcoder's
//! state (accounts are changed through `crate::accounts`, which `tonearm user set` shares).

pub mod curation;
pub mod scans;
pub mod transcoding;
