//! Adaptive streaming core: the rendition ladder, decoding, AAC encoding and CMAF packaging.
//!
//! No HTTP and no async here. A server computes playlists from [`timeline::SegmentTimeline`]
//! (no encoding needed), runs a [`transcode::Transcoder`] on a blocking thread per rendition,
//! and stores or serves each [`cmaf::MediaSegment`] as it comes out.

pub mod cmaf;
pub mod decode;
mod downmix;
pub mod encode;
pub mod encryption;
pub mod error;
pub mod ladder;
pub mod manifest;
pub mod resample;
pub mod timeline;
pub mod transcode;

pub use error::{MediaError, MediaErrorKind};
pub use ladder::{Codec, Ladder, Rendition, SegmentGrid};
pub use timeline::{SegmentSpan, SegmentTimeline};
pub use transcode::{TranscodeOptions, Transcoder};
