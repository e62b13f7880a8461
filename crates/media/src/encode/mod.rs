//! The encoders, each streaming interleaved f32 PCM in and encoded audio out: the ladder's
//! codecs (AAC, FLAC, Opus) as access units, through the one type the transcoder drives; MP3
//! and Ogg Opus files for progressive downloads.

mod aac;
mod flac;
mod mp3;
mod ogg_opus;
mod opus;

pub use aac::{AacEncoder, AacStreamConfig};
pub use flac::{FlacEncoder, FlacStreamConfig};
pub use mp3::Mp3Encoder;
pub use ogg_opus::OggOpusEncoder;
pub use opus::{OpusEncoder, OpusStreamConfig};

use crate::error::MediaError;
use crate::ladder::{Codec, Rendition};
use crate::libopus::OPUS_SAMPLE_RATE;

/// What the init segment's sample entry says about an encoded stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamConfig {
    Aac(AacStreamConfig),
    Flac(FlacStreamConfig),
    Opus(OpusStreamConfig),
}

impl StreamConfig {
    pub fn sample_rate(&self) -> u32 {
        match self {
            Self::Aac(config) => config.sample_rate,
            Self::Flac(config) => config.sample_rate,
            Self::Opus(_) => OPUS_SAMPLE_RATE,
        }
    }

    pub fn channels(&self) -> u16 {
        match self {
            Self::Aac(config) => config.channels,
            Self::Flac(config) => config.channels,
            Self::Opus(config) => config.channels,
        }
    }

    /// The duration of every access unit but possibly the last, in frames: `trex`'s default.
    pub fn frames_per_access_unit(&self) -> u64 {
        match self {
            Self::Aac(config) => config.frames_per_access_unit,
            Self::Flac(config) => config.block_size,
            Self::Opus(_) => Codec::Opus.frames_per_access_unit(),
        }
    }

    /// Media frames before the first source frame, skipped by the edit list.
    pub fn priming_frames(&self) -> u64 {
        match self {
            Self::Aac(config) => config.priming_frames,
            Self::Flac(config) => config.priming_frames,
            Self::Opus(config) => config.pre_skip,
        }
    }
}

/// One encoded access unit and how many frames it lasts.
pub(crate) type AccessUnitSink<'a> = dyn FnMut(&[u8], u64) -> Result<(), MediaError> + 'a;

/// The encoder of one rendition, whatever its codec.
pub(crate) enum RenditionEncoder {
    Aac(AacEncoder),
    Flac(FlacEncoder),
    Opus(OpusEncoder),
}

impl RenditionEncoder {
    /// An encoder for `rendition` of a stream of `presented_frames` at `sample_rate`.
    /// `source_bits` is the source's sample resolution where it has one (lossless sources):
    /// the lossless rung keeps it. `source_sample_rate` is noted in Opus's header.
    pub fn new(
        rendition: &Rendition,
        sample_rate: u32,
        channels: u16,
        source_bits: Option<u32>,
        source_sample_rate: u32,
        presented_frames: u64,
    ) -> Result<Self, MediaError> {
        Ok(match rendition.codec {
            Codec::AacLc | Codec::HeAac => {
                Self::Aac(AacEncoder::new(rendition.codec, sample_rate, channels, rendition.bitrate_bps(channels))?)
            }
            Codec::Flac => Self::Flac(FlacEncoder::new(sample_rate, channels, source_bits, presented_frames)?),
            Codec::Opus => {
                debug_assert_eq!(sample_rate, OPUS_SAMPLE_RATE, "the timeline resamples for opus");
                Self::Opus(OpusEncoder::new(channels, rendition.bitrate_bps(channels), source_sample_rate)?)
            }
        })
    }

    pub fn config(&self) -> StreamConfig {
        match self {
            Self::Aac(encoder) => StreamConfig::Aac(encoder.config().clone()),
            Self::Flac(encoder) => StreamConfig::Flac(encoder.config().clone()),
            Self::Opus(encoder) => StreamConfig::Opus(encoder.config().clone()),
        }
    }

    pub fn encode(&mut self, interleaved: &[f32], sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        match self {
            Self::Aac(encoder) => {
                let frames = encoder.config().frames_per_access_unit;
                encoder.encode(interleaved, &mut |access_unit| sink(access_unit, frames))
            }
            Self::Flac(encoder) => encoder.encode(interleaved, sink),
            Self::Opus(encoder) => encoder.encode(interleaved, sink),
        }
    }

    /// Drains the encoder; returns the number of access units of the whole stream.
    pub fn finish(&mut self, sink: &mut AccessUnitSink<'_>) -> Result<u64, MediaError> {
        match self {
            Self::Aac(encoder) => {
                let frames = encoder.config().frames_per_access_unit;
                encoder.finish(&mut |access_unit| sink(access_unit, frames))
            }
            Self::Flac(encoder) => encoder.finish(sink),
            Self::Opus(encoder) => encoder.finish(sink),
        }
    }
}
