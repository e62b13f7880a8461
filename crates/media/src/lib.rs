//! Adaptive streaming core: the rendition ladder, decoding, AAC encoding and CMAF packaging.

pub mod decode;
mod downmix;
pub mod encode;
pub mod error;
pub mod ladder;
pub mod timeline;
