//! Playlists that point players at a track's renditions: HLS and DASH, both written from
//! the segment timeline without encoding anything.

pub mod dash;
pub mod hls;
