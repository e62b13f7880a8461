//! Adaptive streaming core: the rendition ladder, decoding (Opus included), AAC and FLAC
//! encoding, CMAF packaging, and progressive AAC/MP3 files.
//!
//! No HTTP and no async here. A server computes playlists from [`timeline::SegmentTimeline`]
//! (no encoding needed), runs a [`transcode::Transcoder`] on a blocking thread per rendition,
//! and stores or serves each [`cmaf::MediaSegment`] as it comes out; a
//! [`progressive::ProgressiveTranscoder`] streams one whole file the same way.

pub mod cmaf;
pub mod decode;
mod downmix;
pub mod encode;
pub mod encryption;
pub mod error;
pub mod ladder;
mod libopus;
pub mod manifest;
mod pcm;
pub mod progressive;
pub mod resample;
pub mod timeline;
pub mod transcode;

pub use error::{MediaError, MediaErrorKind};
pub use ladder::{Codec, Ladder, Rendition, SegmentGrid};
pub use progressive::{ProgressiveFormat, ProgressiveTranscoder};
pub use timeline::{SegmentSpan, SegmentTimeline};
pub use transcode::{TranscodeOptions, Transcoder};
