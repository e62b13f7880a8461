//! AAC-LC and HE-AAC encoding with Fraunhofer FDK through the safe `fdk-aac` wrapper.
//!
//! End of stream: the wrapper cannot send FDK's flush signal (`numInSamples = -1`), but FDK's
//! own flush does nothing more than encode its look-ahead against zeros. Feeding whole frames
//! of silence until every source frame has left the encoder gives the same access units, so
//! no `unsafe` FFI is needed; the edit list in the init segment then cuts the presentation at
//! the last source frame (see `cmaf::init`), which makes the silence inaudible.

use fdk_aac::enc::{AudioObjectType, BitRate, ChannelMode, Encoder, EncoderParams, Transport};

use crate::error::MediaError;
use crate::ladder::Codec;

/// What a decoder needs to know about the encoded stream, from the encoder itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AacStreamConfig {
    /// ISO/IEC 14496-3 §1.6.2.1 AudioSpecificConfig, carried in the `esds` box.
    pub audio_specific_config: Vec<u8>,
    pub sample_rate: u32,
    pub channels: u16,
    pub bitrate_bps: u32,
    pub frames_per_access_unit: u64,
    /// Encoder delay in frames: the first `priming_frames` decoded frames are not source audio.
    pub priming_frames: u64,
}

/// Streams interleaved f32 PCM in, raw AAC access units out.
pub struct AacEncoder {
    encoder: Encoder,
    config: AacStreamConfig,
    pcm: Vec<i16>,
    access_unit: Vec<u8>,
    /// Silence still to feed before the source: it tops the encoder's own delay up to the
    /// ladder's priming.
    lead_in_frames: u64,
    frames_in: u64,
    access_units_out: u64,
}

impl AacEncoder {
    /// An encoder for `codec` at a constant `bitrate_bps`, mono or stereo.
    pub fn new(codec: Codec, sample_rate: u32, channels: u16, bitrate_bps: u32) -> Result<Self, MediaError> {
        let channel_mode = match channels {
            1 => ChannelMode::Mono,
            2 => ChannelMode::Stereo,
            other => return Err(MediaError::Encoder(format!("{other} channels: downmix to mono or stereo first"))),
        };
        let audio_object_type = match codec {
            Codec::AacLc => AudioObjectType::Mpeg4LowComplexity,
            Codec::HeAac => AudioObjectType::Mpeg4HeAac,
            Codec::Flac | Codec::Opus => return Err(MediaError::Encoder(format!("{codec:?} is not an aac codec"))),
        };
        let encoder = Encoder::new(EncoderParams {
            bit_rate: BitRate::Cbr(bitrate_bps),
            sample_rate,
            // Raw access units: the MP4 sample is the AU, the AudioSpecificConfig lives in esds.
            transport: Transport::Raw,
            channels: channel_mode,
            audio_object_type,
        })
        .map_err(|error| {
            MediaError::Encoder(format!("cannot configure {bitrate_bps} bps at {sample_rate} Hz: {error}"))
        })?;
        let info = encoder.info().map_err(|error| MediaError::Encoder(error.to_string()))?;
        let encoder_delay = u64::from(info.nDelay);
        if encoder_delay > codec.priming_frames() || u64::from(info.frameLength) != codec.frames_per_access_unit() {
            // The timeline was promised to players before encoding: a different FDK build with a
            // different delay must fail loudly rather than shift every segment.
            return Err(MediaError::Encoder(format!(
                "fdk reports a delay of {encoder_delay} and frames of {}; the ladder assumes at most {} and {}",
                info.frameLength,
                codec.priming_frames(),
                codec.frames_per_access_unit()
            )));
        }
        let config_len = usize::try_from(info.confSize).unwrap_or(usize::MAX).min(info.confBuf.len());
        let config = AacStreamConfig {
            audio_specific_config: info.confBuf[..config_len].to_vec(),
            sample_rate,
            channels,
            bitrate_bps,
            frames_per_access_unit: codec.frames_per_access_unit(),
            priming_frames: codec.priming_frames(),
        };
        Ok(Self {
            encoder,
            config,
            pcm: Vec::new(),
            access_unit: vec![0; info.maxOutBufBytes as usize],
            lead_in_frames: codec.priming_frames() - encoder_delay,
            frames_in: 0,
            access_units_out: 0,
        })
    }

    pub fn config(&self) -> &AacStreamConfig {
        &self.config
    }

    /// Encodes interleaved samples (any length), handing each finished access unit to `sink`.
    pub fn encode(
        &mut self,
        interleaved: &[f32],
        sink: &mut impl FnMut(&[u8]) -> Result<(), MediaError>,
    ) -> Result<(), MediaError> {
        debug_assert_eq!(interleaved.len() % usize::from(self.config.channels), 0);
        self.encode_lead_in(sink)?;
        self.pcm.clear();
        self.pcm.extend(interleaved.iter().map(|&sample| to_i16(sample)));
        self.frames_in += (interleaved.len() / usize::from(self.config.channels)) as u64;
        let mut pcm = std::mem::take(&mut self.pcm);
        let result = self.encode_i16(&pcm, sink);
        pcm.clear();
        self.pcm = pcm;
        result
    }

    /// Drains the encoder: silence goes in until every source frame, after the priming, is
    /// inside an access unit. Returns the number of access units the whole stream has.
    pub fn finish(&mut self, sink: &mut impl FnMut(&[u8]) -> Result<(), MediaError>) -> Result<u64, MediaError> {
        self.encode_lead_in(sink)?;
        let frame = self.config.frames_per_access_unit;
        let needed = (self.config.priming_frames + self.frames_in).div_ceil(frame);
        let silence = vec![0_i16; (frame as usize) * usize::from(self.config.channels)];
        // FDK holds back at most its delay plus one frame; more rounds than that means it stalled.
        let mut rounds_left = needed - self.access_units_out.min(needed) + 4;
        let mut delivered = self.access_units_out;
        while self.access_units_out < needed {
            if rounds_left == 0 {
                return Err(MediaError::Encoder("encoder did not drain after end of stream".to_owned()));
            }
            rounds_left -= 1;
            self.encode_i16(&silence, &mut |access_unit| {
                // Access units past `needed` hold only silence beyond the end: drop them.
                if delivered >= needed {
                    return Ok(());
                }
                delivered += 1;
                sink(access_unit)
            })?;
        }
        Ok(needed)
    }

    fn encode_lead_in(&mut self, sink: &mut impl FnMut(&[u8]) -> Result<(), MediaError>) -> Result<(), MediaError> {
        if self.lead_in_frames == 0 {
            return Ok(());
        }
        let silence = vec![0; std::mem::take(&mut self.lead_in_frames) as usize * usize::from(self.config.channels)];
        self.encode_i16(&silence, sink)
    }

    fn encode_i16(
        &mut self,
        mut pcm: &[i16],
        sink: &mut impl FnMut(&[u8]) -> Result<(), MediaError>,
    ) -> Result<(), MediaError> {
        // FDK takes at most one frame of input per call and returns at most one access unit.
        while !pcm.is_empty() {
            let result = self
                .encoder
                .encode(pcm, &mut self.access_unit)
                .map_err(|error| MediaError::Encoder(error.to_string()))?;
            if result.output_size > 0 {
                sink(&self.access_unit[..result.output_size])?;
                self.access_units_out += 1;
            }
            if result.input_consumed == 0 && result.output_size == 0 {
                return Err(MediaError::Encoder("encoder made no progress".to_owned()));
            }
            pcm = &pcm[result.input_consumed.min(pcm.len())..];
        }
        Ok(())
    }
}

/// FDK is built with 16-bit PCM input; AAC's own quantisation noise is far above 16-bit
/// rounding, so no dither is added.
fn to_i16(sample: f32) -> i16 {
    (sample * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode_tone(
        codec: Codec,
        sample_rate: u32,
        channels: u16,
        bitrate_bps: u32,
        frames: usize,
    ) -> (AacStreamConfig, Vec<Vec<u8>>) {
        let mut encoder = AacEncoder::new(codec, sample_rate, channels, bitrate_bps).expect("encoder opens");
        let pcm: Vec<f32> = (0..frames * usize::from(channels))
            .map(|index| {
                let frame = (index / usize::from(channels)) as f32;
                0.5 * (frame * 440.0 * std::f32::consts::TAU / sample_rate as f32).sin()
            })
            .collect();
        let mut access_units = Vec::new();
        let mut sink = |access_unit: &[u8]| {
            access_units.push(access_unit.to_vec());
            Ok(())
        };
        for chunk in pcm.chunks(1000 * usize::from(channels)) {
            encoder.encode(chunk, &mut sink).expect("encodes");
        }
        let total = encoder.finish(&mut sink).expect("drains");
        assert_eq!(total as usize, access_units.len());
        (encoder.config().clone(), access_units)
    }

    #[test]
    fn delay_fits_the_ladder_at_every_rung_and_rate() {
        for sample_rate in [44_100, 48_000] {
            for (codec, bitrate_bps) in
                [(Codec::AacLc, 64_000), (Codec::AacLc, 128_000), (Codec::AacLc, 256_000), (Codec::HeAac, 48_000)]
            {
                let encoder = AacEncoder::new(codec, sample_rate, 2, bitrate_bps).expect("encoder opens");
                assert_eq!(encoder.config().priming_frames, codec.priming_frames());
            }
        }
        for (codec, bitrate_bps) in [(Codec::AacLc, 32_000), (Codec::HeAac, 24_000)] {
            AacEncoder::new(codec, 44_100, 1, bitrate_bps).expect("mono encoder opens");
        }
    }

    #[test]
    fn finish_emits_exactly_the_access_units_covering_priming_and_source() {
        let frames = 44_100 + 17;
        for (codec, bitrate_bps, config_prefix) in
            [(Codec::AacLc, 128_000, [0x12, 0x10]), (Codec::HeAac, 48_000, [0x2b, 0x92])]
        {
            let (config, access_units) = encode_tone(codec, 44_100, 2, bitrate_bps, frames);
            let expected = (config.priming_frames + frames as u64).div_ceil(codec.frames_per_access_unit());
            assert_eq!(access_units.len() as u64, expected, "{codec:?}");
            assert!(access_units.iter().all(|access_unit| !access_unit.is_empty()));
            // AudioSpecificConfig: LC is object type 2 at 44.1 kHz (index 4), 2 channels; HE-AAC
            // is object type 5 with a 22.05 kHz core extended to 44.1 kHz.
            assert_eq!(config.audio_specific_config[..2], config_prefix, "{codec:?}");
        }
    }

    #[test]
    fn more_than_two_channels_is_refused() {
        assert!(AacEncoder::new(Codec::AacLc, 48_000, 6, 256_000).is_err());
    }
}
