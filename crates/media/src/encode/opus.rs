//! Opus encoding with libopus (see `crate::libopus`), 20 ms packets at 48 kHz.
//!
//! Priming works as for AAC: libopus delays its input by a look-ahead (312 frames), and
//! silence tops that up to the codec's priming (one packet), so the first source frame
//! decodes at media time 960 exactly and segment boundaries stay on packet boundaries. The
//! `dOps` pre-skip and the edit list both say 960.

use super::AccessUnitSink;
use crate::error::MediaError;
use crate::ladder::Codec;
use crate::libopus::OpusPacketEncoder;

/// What the `dOps` box says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpusStreamConfig {
    pub channels: u16,
    pub bitrate_bps: u32,
    /// Frames a decoder drops from the start: the priming.
    pub pre_skip: u64,
    /// The source's rate, for information only (RFC 7845 §5.1).
    pub input_sample_rate: u32,
}

/// Streams interleaved f32 PCM at 48 kHz in, Opus packets out.
pub struct OpusEncoder {
    encoder: OpusPacketEncoder,
    config: OpusStreamConfig,
    /// Samples of the packet being filled, interleaved.
    pending: Vec<f32>,
    packet_samples: usize,
    lead_in_frames: u64,
    frames_in: u64,
    packets_out: u64,
}

impl OpusEncoder {
    pub fn new(channels: u16, bitrate_bps: u32, input_sample_rate: u32) -> Result<Self, MediaError> {
        let opus_error = |error| MediaError::Encoder(format!("opus: {error}"));
        let mut encoder = OpusPacketEncoder::new(channels, bitrate_bps).map_err(opus_error)?;
        let lookahead = encoder.lookahead().map_err(opus_error)?;
        let priming = Codec::Opus.priming_frames();
        if lookahead > priming {
            // As with FDK: the timeline was promised before encoding, so fail rather than shift.
            return Err(MediaError::Encoder(format!(
                "libopus reports a look-ahead of {lookahead} frames; the ladder assumes at most {priming}"
            )));
        }
        let packet_samples = Codec::Opus.frames_per_access_unit() as usize * usize::from(channels);
        Ok(Self {
            encoder,
            config: OpusStreamConfig { channels, bitrate_bps, pre_skip: priming, input_sample_rate },
            pending: Vec::with_capacity(packet_samples),
            packet_samples,
            lead_in_frames: priming - lookahead,
            frames_in: 0,
            packets_out: 0,
        })
    }

    pub fn config(&self) -> &OpusStreamConfig {
        &self.config
    }

    /// Source frames taken so far.
    pub fn source_frames(&self) -> u64 {
        self.frames_in
    }

    /// Encodes interleaved samples at 48 kHz (any length), handing each packet to `sink`.
    pub fn encode(&mut self, interleaved: &[f32], sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        debug_assert_eq!(interleaved.len() % usize::from(self.config.channels), 0);
        self.encode_lead_in(sink)?;
        self.frames_in += (interleaved.len() / usize::from(self.config.channels)) as u64;
        self.push(interleaved, sink)
    }

    /// Feeds silence until every source frame, after the look-ahead, is inside a packet;
    /// returns the number of packets of the whole stream.
    pub fn finish(&mut self, sink: &mut AccessUnitSink<'_>) -> Result<u64, MediaError> {
        self.encode_lead_in(sink)?;
        let packet_frames = Codec::Opus.frames_per_access_unit();
        let needed = (self.config.pre_skip + self.frames_in).div_ceil(packet_frames);
        let silence = vec![0.0; self.packet_samples];
        while self.packets_out < needed {
            let missing = self.packet_samples - self.pending.len();
            self.push(&silence[..missing], sink)?;
        }
        Ok(needed)
    }

    fn encode_lead_in(&mut self, sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        let frames = std::mem::take(&mut self.lead_in_frames) as usize;
        self.push(&vec![0.0; frames * usize::from(self.config.channels)], sink)
    }

    fn push(&mut self, mut interleaved: &[f32], sink: &mut AccessUnitSink<'_>) -> Result<(), MediaError> {
        while !interleaved.is_empty() {
            let take = (self.packet_samples - self.pending.len()).min(interleaved.len());
            self.pending.extend_from_slice(&interleaved[..take]);
            interleaved = &interleaved[take..];
            if self.pending.len() == self.packet_samples {
                let packet = self
                    .encoder
                    .encode(&self.pending)
                    .map_err(|error| MediaError::Encoder(format!("opus: {error}")))?;
                sink(packet, Codec::Opus.frames_per_access_unit())?;
                self.pending.clear();
                self.packets_out += 1;
            }
        }
        Ok(())
    }
}
