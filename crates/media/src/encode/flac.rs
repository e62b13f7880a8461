//! FLAC encoding with `flacenc` (pure Rust), one fixed-size block per access unit.
//!
//! Lossless means the decoder gives back the integers the source decoder produced: the f32
//! PCM between the stages holds every 16- and 24-bit integer exactly (a 24-bit mantissa), so
//! scaling back by the same power of two and rounding recovers them bit for bit.

use flacenc::bitsink::ByteSink;
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::error::{Verified, Verify};
use flacenc::source::{Fill, FrameBuf};

use super::AccessUnitSink;
use crate::error::MediaError;
use crate::ladder::Codec;

/// What the `dfLa` box's STREAMINFO block says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlacStreamConfig {
    pub sample_rate: u32,
    pub channels: u16,
    /// 16 or 24.
    pub bits_per_sample: u8,
    /// Frames in every block but the last.
    pub block_size: u64,
    /// Blocks of digital silence before the source, to share the ladder's timeline.
    pub priming_frames: u64,
    /// Frames of the whole stream, priming included: STREAMINFO's total samples.
    pub media_frames: u64,
}

/// Streams interleaved f32 PCM in, FLAC frames out.
pub struct FlacEncoder {
    config: FlacStreamConfig,
    settings: Verified<flacenc::config::Encoder>,
    stream_info: StreamInfo,
    block: FrameBuf,
    /// Samples of the block being filled, interleaved.
    pending: Vec<i32>,
    /// Samples of a whole block, all channels.
    block_samples: usize,
    scale: f32,
    lead_in_frames: u64,
    blocks_out: u64,
    /// The frame being written, reused.
    frame_bytes: ByteSink,
}

impl FlacEncoder {
    /// An encoder for a stream presenting `presented_frames`. `source_bits`, the source's
    /// resolution when its integers reach the encoder unchanged, decides the output's: 16 bits
    /// for sources of up to 16, otherwise (24-bit sources, and any PCM that was resampled or
    /// mixed on the way, whose values are no longer integers) 24.
    pub fn new(
        sample_rate: u32,
        channels: u16,
        source_bits: Option<u32>,
        presented_frames: u64,
    ) -> Result<Self, MediaError> {
        let bits_per_sample: u8 = match source_bits {
            Some(bits) if bits <= 16 => 16,
            _ => 24,
        };
        let block_size = Codec::Flac.frames_per_access_unit();
        let priming_frames = Codec::Flac.priming_frames();
        let config = FlacStreamConfig {
            sample_rate,
            channels,
            bits_per_sample,
            block_size,
            priming_frames,
            media_frames: priming_frames + presented_frames,
        };
        let settings = flacenc::config::Encoder::default()
            .into_verified()
            .map_err(|(_, error)| flac_error("configuration", error))?;
        let stream_info = StreamInfo::new(sample_rate as usize, usize::from(channels), usize::from(bits_per_sample))
            .map_err(|error| flac_error("stream info", error))?;
        let block = FrameBuf::with_size(usize::from(channels), block_size as usize)
            .map_err(|error| flac_error("block", error))?;
        Ok(Self {
            config,
            settings,
            stream_info,
            block,
            pending: Vec::with_capacity(block_size as usize * usize::from(channels)),
            block_samples: block_size as usize * usize::from(channels),
            scale: (1_u32 << (bits_per_sample - 1)) as f32,
            lead_in_frames: priming_frames,
            blocks_out: 0,
            frame_bytes: ByteSink::new(),
        })
    }

    pub fn config(&self) -> &FlacStreamConfig {
        &self.config
    }

    /// Encodes interleaved samples (any length), handing each finished frame to `sink`.
    pub fn encode(&mut self, interleaved: &[f32], sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        debug_assert_eq!(interleaved.len() % usize::from(self.config.channels), 0);
        self.encode_lead_in(sink)?;
        let (low, high) = (-self.scale, self.scale - 1.0);
        for &sample in interleaved {
            self.pending.push((sample * self.scale).round().clamp(low, high) as i32);
            if self.pending.len() == self.block_samples {
                self.encode_block(sink)?;
            }
        }
        Ok(())
    }

    /// Encodes the last, possibly short, block; returns the number of frames of the stream.
    pub fn finish(&mut self, sink: &mut AccessUnitSink<'_>) -> Result<u64, MediaError> {
        self.encode_lead_in(sink)?;
        if !self.pending.is_empty() {
            self.encode_block(sink)?;
        }
        Ok(self.blocks_out)
    }

    fn encode_lead_in(&mut self, sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        debug_assert_eq!(self.lead_in_frames % self.config.block_size, 0, "the priming is whole blocks");
        while self.lead_in_frames > 0 {
            self.lead_in_frames -= self.config.block_size;
            self.pending.resize(self.block_samples, 0);
            self.encode_block(sink)?;
        }
        Ok(())
    }

    fn encode_block(&mut self, sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        self.block.fill_interleaved(&self.pending).map_err(|error| flac_error("block", error))?;
        let frame_number = usize::try_from(self.blocks_out).unwrap_or(usize::MAX);
        let frame = flacenc::encode_fixed_size_frame(&self.settings, &self.block, frame_number, &self.stream_info)
            .map_err(|error| flac_error("frame", error))?;
        let frames = (self.pending.len() / usize::from(self.config.channels)) as u64;
        self.pending.clear();
        self.blocks_out += 1;
        self.frame_bytes.clear();
        frame.write(&mut self.frame_bytes).map_err(|error| flac_error("output", error))?;
        sink(self.frame_bytes.as_slice(), frames)
    }
}

fn flac_error(what: &str, error: impl std::fmt::Debug) -> MediaError {
    MediaError::Encoder(format!("flac {what}: {error:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priming_is_silent_blocks_and_the_last_block_ends_with_the_source() {
        let mut encoder = FlacEncoder::new(44_100, 2, Some(16), 5000).expect("encoder opens");
        let mut frames = Vec::new();
        let mut sink = |bytes: &[u8], length: u64| {
            // Every FLAC frame starts with the fixed-blocksize sync code (RFC 9639 §9.1).
            assert_eq!(bytes[..2], [0xff, 0xf8]);
            frames.push((bytes.len(), length));
            Ok(())
        };
        let tone: Vec<f32> = (0..5000 * 2).map(|index| ((index / 2) as f32 * 0.05).sin() * 0.5).collect();
        encoder.encode(&tone, &mut sink).expect("encodes");
        let count = encoder.finish(&mut sink).expect("finishes");
        let lengths: Vec<u64> = frames.iter().map(|frame| frame.1).collect();
        assert_eq!(lengths, [2048, 2048, 2048, 2048, 2048, 5000 - 4096]);
        assert_eq!(count, 6);
        assert!(frames[..3].iter().all(|frame| frame.0 < 32), "silence costs a few bytes: {frames:?}");
        assert_eq!(encoder.config().media_frames, 6144 + 5000);
    }

    #[test]
    fn resolution_follows_the_source() {
        let bits = |source_bits| FlacEncoder::new(48_000, 1, source_bits, 1).expect("opens").config().bits_per_sample;
        assert_eq!((bits(Some(16)), bits(Some(8)), bits(Some(24)), bits(None)), (16, 16, 24, 24));
    }
}
