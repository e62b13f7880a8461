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
    Ok(sink.as_slice().to_vec())
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
