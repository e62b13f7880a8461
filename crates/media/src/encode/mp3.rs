//! MP3 encoding with LAME (`mp3lame-encoder`, LGPL, its C sources bundled), for progressive
//! downloads only: constant bitrate, joint stereo, no VBR tag.
//!
//! No tag: LAME's Xing/Info tag, which carries the frame count and the encoder delay and
//! padding, can only be written once encoding ends, into the first frame, which a stream has
//! already sent by then. Without it LAME would leave a silent placeholder frame at the start.

use mp3lame_encoder::{Bitrate, Builder, FlushGap, InterleavedPcm, MonoPcm, Quality};

use crate::error::MediaError;

/// The MPEG-1 Layer III bitrates (ISO/IEC 11172-3 §2.4.2.3) from 32 kbps up, as LAME takes them.
const BITRATES: [(u32, Bitrate); 13] = [
    (32, Bitrate::Kbps32),
    (40, Bitrate::Kbps40),
    (48, Bitrate::Kbps48),
    (64, Bitrate::Kbps64),
    (80, Bitrate::Kbps80),
    (96, Bitrate::Kbps96),
    (112, Bitrate::Kbps112),
    (128, Bitrate::Kbps128),
    (160, Bitrate::Kbps160),
    (192, Bitrate::Kbps192),
    (224, Bitrate::Kbps224),
    (256, Bitrate::Kbps256),
    (320, Bitrate::Kbps320),
];

/// Streams interleaved f32 PCM in, MP3 frames out.
pub struct Mp3Encoder {
    encoder: mp3lame_encoder::Encoder,
    channels: u16,
    bitrate_kbps: u32,
}

impl Mp3Encoder {
    /// A CBR encoder at the MP3 bitrate nearest `bitrate_kbps` from below (at least 32).
    /// 44.1 and 48 kHz, mono or stereo.
    pub fn new(sample_rate: u32, channels: u16, bitrate_kbps: u32) -> Result<Self, MediaError> {
        let lame =
            |what: &str, error: mp3lame_encoder::BuildError| MediaError::Encoder(format!("lame {what}: {error}"));
        let (bitrate_kbps, bitrate) = mp3_bitrate(bitrate_kbps);
        let mut builder = Builder::new().ok_or_else(|| MediaError::Encoder("lame could not be initialised".into()))?;
        builder.set_num_channels(channels as u8).map_err(|error| lame("channels", error))?;
        builder.set_sample_rate(sample_rate).map_err(|error| lame("sample rate", error))?;
        builder.set_brate(bitrate).map_err(|error| lame("bitrate", error))?;
        // LAME's recommended quality setting (`-q 2`): near its best, at a fraction of the cost.
        builder.set_quality(Quality::NearBest).map_err(|error| lame("quality", error))?;
        builder.set_to_write_vbr_tag(false).map_err(|error| lame("tag", error))?;
        let encoder = builder.build().map_err(|error| lame("setup", error))?;
        Ok(Self { encoder, channels, bitrate_kbps })
    }

    /// The bitrate actually encoded.
    pub fn bitrate_kbps(&self) -> u32 {
        self.bitrate_kbps
    }

    /// Encodes interleaved samples, appending whatever frames are ready to `output`.
    pub fn encode(&mut self, interleaved: &[f32], output: &mut Vec<u8>) -> Result<(), MediaError> {
        output.reserve(mp3lame_encoder::max_required_buffer_size(interleaved.len()));
        // LAME's interleaved entry points always read two channels.
        let result = match self.channels {
            1 => self.encoder.encode_to_vec(MonoPcm(interleaved), output),
            _ => self.encoder.encode_to_vec(InterleavedPcm(interleaved), output),
        };
        result.map_err(|error| MediaError::Encoder(format!("lame: {error}")))?;
        Ok(())
    }

    /// Pads the last frame with silence and appends the remaining frames to `output`.
    pub fn finish(&mut self, output: &mut Vec<u8>) -> Result<(), MediaError> {
        output.reserve(mp3lame_encoder::max_required_buffer_size(0));
        self.encoder.flush_to_vec::<FlushGap>(output).map_err(|error| MediaError::Encoder(format!("lame: {error}")))?;
        Ok(())
    }
}

fn mp3_bitrate(kbps: u32) -> (u32, Bitrate) {
    let index = BITRATES.iter().rposition(|&(rate, _)| rate <= kbps).unwrap_or(0);
    BITRATES[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitrates_round_down_to_mp3_rates_within_32_to_320() {
        let rates: Vec<u32> = [0, 32, 100, 128, 129, 320, 1000].map(|kbps| mp3_bitrate(kbps).0).to_vec();
        assert_eq!(rates, [32, 32, 96, 128, 128, 320, 320]);
    }

    #[test]
    fn frames_come_out_with_mpeg1_layer3_sync_for_a_second_of_mono_or_stereo() {
        for channels in [1, 2] {
            let mut encoder = Mp3Encoder::new(44_100, channels, 128).expect("encoder");
            let mut output = Vec::new();
            let tone: Vec<f32> = (0..44_100 * usize::from(channels))
                .map(|index| ((index / usize::from(channels)) as f32 * 0.06).sin() * 0.4)
                .collect();
            encoder.encode(&tone, &mut output).expect("encodes");
            encoder.finish(&mut output).expect("flushes");
            // Frame sync, MPEG-1, Layer III (ISO/IEC 11172-3 §2.4.1.3), from the very first byte.
            assert_eq!((output[0], output[1] & 0xfe), (0xff, 0xfa));
            // One second at 128 kbps, give or take the delay and the last frame.
            assert!((15_000..18_000).contains(&output.len()), "{channels} channels: {} bytes", output.len());
        }
    }
}
