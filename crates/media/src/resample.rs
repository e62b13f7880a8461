//! Sample-rate conversion for sources AAC should not be encoded at directly (see
//! `ladder::encoding_sample_rate`), streaming in fixed chunks with rubato's FFT resampler.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use crate::error::MediaError;

/// Input frames per resampler call: small enough to keep latency and memory low, large enough
/// that the FFT overhead per frame is negligible.
const CHUNK_FRAMES: usize = 1024;

/// Converts interleaved PCM from one rate to another, aligned: output frame 0 corresponds to
/// input frame 0 (the resampler's own delay is trimmed).
pub struct StreamResampler {
    resampler: Fft<f32>,
    channels: usize,
    pending: Vec<f32>,
    chunk_out: Vec<f32>,
    output: Vec<f32>,
    delay_frames_left: usize,
}

impl StreamResampler {
    pub fn new(from_rate: u32, to_rate: u32, channels: u16) -> Result<Self, MediaError> {
        let channels = usize::from(channels);
        let resampler = Fft::<f32>::new(from_rate as usize, to_rate as usize, CHUNK_FRAMES, channels, FixedSync::Input)
            .map_err(|error| MediaError::Resampler(error.to_string()))?;
        let delay_frames_left = resampler.output_delay();
        let chunk_out = vec![0.0; resampler.output_frames_max() * channels];
        Ok(Self { resampler, channels, pending: Vec::new(), chunk_out, output: Vec::new(), delay_frames_left })
    }

    /// Resamples `input`, returning the output frames that became ready (possibly none).
    pub fn process(&mut self, input: &[f32]) -> Result<&[f32], MediaError> {
        self.output.clear();
        self.pending.extend_from_slice(input);
        let chunk_samples = CHUNK_FRAMES * self.channels;
        let mut consumed = 0;
        while self.pending.len() - consumed >= chunk_samples {
            self.resample_chunk(consumed, None)?;
            consumed += chunk_samples;
        }
        self.pending.drain(..consumed);
        Ok(&self.output)
    }

    /// Flushes what is pending and the resampler's delay line; returns the last frames.
    pub fn finish(&mut self) -> Result<&[f32], MediaError> {
        self.output.clear();
        let pending_frames = self.pending.len() / self.channels;
        self.pending.resize(CHUNK_FRAMES * self.channels, 0.0);
        self.resample_chunk(0, Some(pending_frames))?;
        // Silence pushes the delayed tail out; the caller cuts at the exact length it expects.
        let delay_chunks = self.resampler.output_delay().div_ceil(self.resampler.output_frames_next().max(1)) + 1;
        self.pending.fill(0.0);
        for _ in 0..delay_chunks {
            self.resample_chunk(0, None)?;
        }
        self.pending.clear();
        Ok(&self.output)
    }

    fn resample_chunk(&mut self, offset_samples: usize, partial_frames: Option<usize>) -> Result<(), MediaError> {
        let input = &self.pending[offset_samples..offset_samples + CHUNK_FRAMES * self.channels];
        let input = InterleavedSlice::new(input, self.channels, CHUNK_FRAMES).map_err(resampler_error)?;
        let out_frames = self.chunk_out.len() / self.channels;
        let mut output =
            InterleavedSlice::new_mut(&mut self.chunk_out, self.channels, out_frames).map_err(resampler_error)?;
        let indexing = Indexing { partial_len: partial_frames, ..Indexing::new() };
        let (_, produced) =
            self.resampler.process_into_buffer(&input, &mut output, Some(&indexing)).map_err(resampler_error)?;
        let skip = self.delay_frames_left.min(produced);
        self.delay_frames_left -= skip;
        self.output.extend_from_slice(&self.chunk_out[skip * self.channels..produced * self.channels]);
        Ok(())
    }
}

fn resampler_error(error: impl std::fmt::Display) -> MediaError {
    MediaError::Resampler(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, frames: usize, frequency: f32) -> Vec<f32> {
        (0..frames).map(|frame| (frame as f32 * frequency * std::f32::consts::TAU / rate as f32).sin() * 0.5).collect()
    }

    #[test]
    fn resampled_length_and_phase_follow_the_input() {
        let input = sine(96_000, 96_000, 1000.0);
        let mut resampler = StreamResampler::new(96_000, 48_000, 1).expect("resampler");
        let mut output = Vec::new();
        for chunk in input.chunks(777) {
            output.extend_from_slice(resampler.process(chunk).expect("resamples"));
        }
        output.extend_from_slice(resampler.finish().expect("flushes"));
        assert!(output.len() >= 48_000, "{} frames", output.len());
        // Aligned: output frame n is the input sine at time n / 48 kHz.
        let expected = sine(48_000, 48_000, 1000.0);
        let error: f32 =
            output[1000..47_000].iter().zip(&expected[1000..47_000]).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(error < 0.01, "max deviation {error}");
    }
}
