//! The three encoders the binary carries: FLAC (flacenc, pure Rust), MP3 (LAME, bundled
//! C), WAV (hound). Each takes interleaved 16-bit stereo and returns the file's bytes.

use flacenc::component::BitRepr;
use flacenc::error::Verify;
use mp3lame_encoder::{Bitrate, Builder, FlushNoGap, InterleavedPcm, Quality};

use crate::DemoError;

pub const CHANNELS: u16 = 2;

pub fn flac(samples: &[i16], sample_rate: u32) -> Result<Vec<u8>, DemoError> {
    let wide: Vec<i32> = samples.iter().map(|&sample| i32::from(sample)).collect();
    let config = flacenc::config::Encoder::default()
        .into_verified()
        .map_err(|(_, error)| DemoError::Encode(format!("flac configuration: {error:?}")))?;
    let source = flacenc::source::MemSource::from_samples(&wide, usize::from(CHANNELS), 16, sample_rate as usize);
    let stream = flacenc::encode_with_fixed_block_size(&config, source, config.block_size)
        .map_err(|error| DemoError::Encode(format!("flac: {error:?}")))?;
    let mut sink = flacenc::bitsink::ByteSink::new();
    stream.write(&mut sink).map_err(|error| DemoError::Encode(format!("flac output: {error:?}")))?;
    let mut bytes = sink.as_slice().to_vec();
    // Every block but the last has the one fixed size: the minimum RFC 9639 means.
    bytes.copy_within(MAXIMUM_BLOCK_SIZE, MINIMUM_BLOCK_SIZE.start);
    debug_assert!(!has_nonconforming_streaminfo(&bytes));
    Ok(bytes)
}

/// STREAMINFO's minimum and maximum block size, after `fLaC` and the block's header.
const MINIMUM_BLOCK_SIZE: std::ops::Range<usize> = 8..10;
const MAXIMUM_BLOCK_SIZE: std::ops::Range<usize> = 10..12;

/// flacenc writes the size of the last, shorter block as STREAMINFO's minimum block size,
/// which RFC 9639 §8.2 defines without the last block; symphonia then takes the fixed-size
/// stream for a variable-size one and refuses it (as truncated). True for the demo's FLAC
/// files written that way (demo libraries generated before this was corrected are rewritten):
/// their blocks all have one size, so a smaller minimum can only be the last block's.
pub fn has_nonconforming_streaminfo(head: &[u8]) -> bool {
    let size = |range: std::ops::Range<usize>| head.get(range).map(|bytes| u16::from_be_bytes([bytes[0], bytes[1]]));
    head.starts_with(b"fLaC")
        && matches!((size(MINIMUM_BLOCK_SIZE), size(MAXIMUM_BLOCK_SIZE)), (Some(minimum), Some(maximum)) if minimum < maximum)
}

pub fn mp3(samples: &[i16], sample_rate: u32) -> Result<Vec<u8>, DemoError> {
    let lame_error = |what: &str, error: &dyn std::fmt::Debug| DemoError::Encode(format!("mp3 {what}: {error:?}"));
    let mut builder = Builder::new().ok_or_else(|| DemoError::Encode("LAME could not be initialised".into()))?;
    builder.set_num_channels(CHANNELS as u8).map_err(|e| lame_error("channels", &e))?;
    builder.set_sample_rate(sample_rate).map_err(|e| lame_error("sample rate", &e))?;
    // 128 kbps: the free tier's cap, so the demo's free account has tracks it may play
    // before the transcoded renditions exist.
    builder.set_brate(Bitrate::Kbps128).map_err(|e| lame_error("bit rate", &e))?;
    builder.set_quality(Quality::Good).map_err(|e| lame_error("quality", &e))?;
    let mut encoder = builder.build().map_err(|e| lame_error("build", &e))?;
    let mut out = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(samples.len() / 2));
    encoder.encode_to_vec(InterleavedPcm(samples), &mut out).map_err(|e| lame_error("encode", &e))?;
    encoder.flush_to_vec::<FlushNoGap>(&mut out).map_err(|e| lame_error("flush", &e))?;
    Ok(out)
}

pub fn wav(samples: &[i16], sample_rate: u32) -> Result<Vec<u8>, DemoError> {
    let spec = hound::WavSpec {
        channels: CHANNELS,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::with_capacity(samples.len() * 2 + 44));
    let mut writer =
        hound::WavWriter::new(&mut bytes, spec).map_err(|error| DemoError::Encode(format!("wav: {error}")))?;
    for &sample in samples {
        writer.write_sample(sample).map_err(|error| DemoError::Encode(format!("wav: {error}")))?;
    }
    writer.finalize().map_err(|error| DemoError::Encode(format!("wav: {error}")))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flac_streaminfo_states_the_fixed_block_size_as_its_minimum() {
        // 1.1 s at 44.1 kHz: eleven 4096-frame blocks and a last one of 3454 frames.
        let samples = vec![0_i16; 48_510 * usize::from(CHANNELS)];
        let bytes = flac(&samples, 44_100).unwrap();
        assert_eq!(bytes[MINIMUM_BLOCK_SIZE], bytes[MAXIMUM_BLOCK_SIZE]);
        assert_eq!(u16::from_be_bytes([bytes[10], bytes[11]]), 4096);
        assert!(!has_nonconforming_streaminfo(&bytes));
    }

    #[test]
    fn a_last_block_counted_as_the_minimum_is_recognised() {
        let mut head = b"fLaC\0\0\0\x22\x00\x6c\x10\x00".to_vec();
        assert!(has_nonconforming_streaminfo(&head));
        head[8..10].copy_from_slice(&4096_u16.to_be_bytes());
        assert!(!has_nonconforming_streaminfo(&head));
        assert!(!has_nonconforming_streaminfo(b"ID3\x04"));
    }
}
