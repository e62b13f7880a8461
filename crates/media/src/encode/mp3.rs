//! MP3 encoding with LAME (`mp3lame-encoder`, LGPL, its C sources bundled), for progressive
//! downloads only: constant bitrate, joint stereo.
//!
//! Gapless and exact length: decoders learn LAME's delay and padding, and the frame count,
//! from the Info tag (the Xing header of CBR files) with LAME's extension, in a frame of its
//! own before the audio. LAME writes it only once encoding ends, into the first frame, which a
//! stream has sent by then; but for CBR every field follows from the source's length, known
//! before encoding, and LAME's framing (its `lame_encode_flush`): the first source frame
//! enters at 576 (`ENCDELAY`), and the end is padded to whole 1152-frame frames with at least
//! 576 frames, so decoders have the overlap they need. So the tag is written up front here,
//! and LAME's own is off.

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

/// LAME 3.100's encoder delay (`ENCDELAY`), in frames.
const LAME_ENCODER_DELAY: u64 = 576;

/// Frames per MPEG-1 Layer III frame.
const FRAME_SAMPLES: u64 = 1152;

/// Streams interleaved f32 PCM in, MP3 frames out.
pub struct Mp3Encoder {
    encoder: mp3lame_encoder::Encoder,
    sample_rate: u32,
    channels: u16,
    bitrate_kbps: u32,
    total_frames: u64,
}

impl Mp3Encoder {
    /// A CBR encoder at the MP3 bitrate nearest `bitrate_kbps` from below (at least 32), for a
    /// stream of exactly `total_frames`. 44.1 and 48 kHz, mono or stereo.
    pub fn new(sample_rate: u32, channels: u16, bitrate_kbps: u32, total_frames: u64) -> Result<Self, MediaError> {
        if sample_rate_index(sample_rate).is_none() {
            return Err(MediaError::Encoder(format!("mp3 at {sample_rate} Hz: 44.1 or 48 kHz only")));
        }
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
        Ok(Self { encoder, sample_rate, channels, bitrate_kbps, total_frames })
    }

    /// The bitrate actually encoded.
    pub fn bitrate_kbps(&self) -> u32 {
        self.bitrate_kbps
    }

    /// The Info tag frame (Xing header with LAME's extension) that leads the stream: frame
    /// count, byte count, a linear seek table, and the encoder delay and padding.
    pub fn info_frame(&self) -> Vec<u8> {
        let samples_to_encode = LAME_ENCODER_DELAY + self.total_frames;
        let mut end_padding = FRAME_SAMPLES - samples_to_encode % FRAME_SAMPLES;
        if end_padding < LAME_ENCODER_DELAY {
            end_padding += FRAME_SAMPLES;
        }
        let frames = (samples_to_encode + end_padding) / FRAME_SAMPLES;
        // The tag needs about 200 bytes: a frame of at least 64 kbps holds it, whatever the
        // stream's bitrate (decoders take the tag frame's bitrate for nothing).
        let tag_kbps = self.bitrate_kbps.max(64);
        let frame_bytes = |kbps: u64| 144 * 1000 * kbps / u64::from(self.sample_rate);
        let tag_bytes = frame_bytes(u64::from(tag_kbps)) as usize;
        let audio_bytes = frames * 144 * 1000 * u64::from(self.bitrate_kbps) / u64::from(self.sample_rate);
        let total_bytes = u32::try_from(tag_bytes as u64 + audio_bytes).unwrap_or(u32::MAX);

        let mut frame = Vec::with_capacity(tag_bytes);
        // ISO/IEC 11172-3 §2.4.1.3: sync, MPEG-1, Layer III, no CRC; bitrate and rate indices,
        // no padding; joint stereo (as LAME encodes stereo) or mono.
        let bitrate_index = BITRATES.iter().position(|&(kbps, _)| kbps >= tag_kbps).map_or(14, |index| index + 1);
        let rate_index = sample_rate_index(self.sample_rate).unwrap_or(0);
        let (mode, side_info_bytes) = if self.channels == 1 { (0b11, 17) } else { (0b01, 32) };
        frame.extend([0xff, 0xfb, (bitrate_index as u8) << 4 | rate_index << 2, mode << 6]);
        frame.resize(4 + side_info_bytes, 0);
        // The Xing header: "Info" marks a CBR file; flags: frames, bytes, TOC, quality.
        frame.extend(b"Info");
        frame.extend(0x0f_u32.to_be_bytes());
        frame.extend(u32::try_from(frames).unwrap_or(u32::MAX).to_be_bytes());
        frame.extend(total_bytes.to_be_bytes());
        frame.extend((0..100_u32).map(|percent| (percent * 256 / 100) as u8));
        frame.extend(0_u32.to_be_bytes());
        // LAME's extension (the "LAME tag", rev. 0): version, CBR method, no lowpass, peak or
        // gains noted, the bitrate, then delay and padding as two 12-bit fields.
        frame.extend(b"LAME3.100");
        frame.extend([0x01, 0]);
        frame.extend([0; 4 + 2 + 2 + 1]);
        frame.push(self.bitrate_kbps.min(255) as u8);
        let delay_and_padding = (LAME_ENCODER_DELAY << 12) | end_padding.min(0xfff);
        frame.extend(&delay_and_padding.to_be_bytes()[5..]);
        frame.extend([0; 1 + 1 + 2]);
        frame.extend(total_bytes.to_be_bytes());
        frame.extend([0; 2]);
        // The tag's CRC-16 (the reflected 0x8005 polynomial) covers the frame up to itself.
        let crc = crc16(&frame);
        frame.extend(crc.to_be_bytes());
        frame.resize(tag_bytes, 0);
        frame
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

/// ISO/IEC 11172-3 §2.4.2.3 sampling_frequency index.
fn sample_rate_index(sample_rate: u32) -> Option<u8> {
    match sample_rate {
        44_100 => Some(0),
        48_000 => Some(1),
        _ => None,
    }
}

/// CRC-16 with the reflected polynomial 0x8005 (0xA001) and no initial value, as the LAME tag
/// uses.
fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0_u16, |crc, &byte| {
        (0..8).fold(crc ^ u16::from(byte), |crc, _| if crc & 1 == 1 { (crc >> 1) ^ 0xa001 } else { crc >> 1 })
    })
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
    fn the_tag_crc_is_crc16_arc() {
        // CRC-16/ARC's check value (the CRC of "123456789").
        assert_eq!(crc16(b"123456789"), 0xbb3d);
    }

    #[test]
    fn the_info_frame_is_a_whole_frame_with_the_delay_and_padding() {
        let encoder = Mp3Encoder::new(44_100, 2, 128, 44_100).expect("encoder");
        let frame = encoder.info_frame();
        // 128 kbps at 44.1 kHz: 417 bytes; "Info" after the header and 32 bytes of side info.
        assert_eq!((frame.len(), &frame[36..40]), (417, b"Info".as_slice()));
        // 576 + 44 100 frames end 900 into a frame; 252 frames would pad less than LAME's 576,
        // so 1404 do: 40 frames.
        assert_eq!(u32::from_be_bytes(frame[44..48].try_into().unwrap()), 40);
        assert_eq!(frame[177..180], [0x24, 0x05, 0x7c]);
    }

    #[test]
    fn frames_come_out_with_mpeg1_layer3_sync_for_a_second_of_mono_or_stereo() {
        for channels in [1, 2] {
            let mut encoder = Mp3Encoder::new(44_100, channels, 128, 44_100).expect("encoder");
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
