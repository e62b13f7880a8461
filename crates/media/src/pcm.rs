//! The PCM every encoder takes: a source decoded and, where its rate is not the encoding rate,
//! resampled, chunk by chunk, to exactly the length promised before encoding.

use crate::decode::SourceDecoder;
use crate::error::MediaError;
use crate::resample::StreamResampler;

/// Silence is padded in runs of at most this many frames, to keep memory flat.
const PADDING_CHUNK_FRAMES: usize = 4096;

/// The PCM of one source at the encoding rate, exactly `total_frames` long.
///
/// The length was promised before encoding (playlists, an MP3 header), so it is kept: decoded
/// audio past it is dropped, and a source that ends up to a second early (MP3 length estimates,
/// rounded catalog durations) is padded with silence. A source that ends earlier than that is
/// truncated, and reading fails with [`MediaError::CorruptSource`] there.
pub(crate) struct EncodingPcm {
    source: SourceDecoder,
    resampler: Option<StreamResampler>,
    sample_rate: u32,
    channels: usize,
    total_frames: u64,
    frames_out: u64,
    source_ended: bool,
    silence: Vec<f32>,
}

impl EncodingPcm {
    /// The PCM of `source` at `sample_rate`, with the source's output channels.
    pub fn new(source: SourceDecoder, sample_rate: u32, total_frames: u64) -> Result<Self, MediaError> {
        let properties = *source.properties();
        let resampler = (sample_rate != properties.sample_rate)
            .then(|| StreamResampler::new(properties.sample_rate, sample_rate, properties.output_channels))
            .transpose()?;
        Ok(Self {
            source,
            resampler,
            sample_rate,
            channels: usize::from(properties.output_channels),
            total_frames,
            frames_out: 0,
            source_ended: false,
            silence: Vec::new(),
        })
    }

    /// Whether the PCM is the decoder's own, not resampled.
    pub fn is_resampled(&self) -> bool {
        self.resampler.is_some()
    }

    /// The next run of interleaved PCM (possibly empty while the resampler fills up), or `None`
    /// once all `total_frames` are out.
    pub fn next_chunk(&mut self) -> Result<Option<&[f32]>, MediaError> {
        let left = (self.total_frames - self.frames_out) as usize;
        if left == 0 {
            return Ok(None);
        }
        let pcm: &[f32] = if self.source_ended {
            // Up to a second short is padded; more is a damaged file.
            if left as u64 > u64::from(self.sample_rate) {
                return Err(MediaError::CorruptSource {
                    path: self.source.path().to_owned(),
                    reason: format!("truncated: audio ends after {} of {} frames", self.frames_out, self.total_frames),
                });
            }
            self.silence.resize(PADDING_CHUNK_FRAMES * self.channels, 0.0);
            &self.silence
        } else {
            match (self.source.next_chunk()?, &mut self.resampler) {
                (Some(chunk), None) => chunk,
                (Some(chunk), Some(resampler)) => resampler.process(chunk)?,
                (None, resampler) => {
                    self.source_ended = true;
                    // The resampler's flush overshoots by up to a chunk of silence: cut below.
                    match resampler {
                        Some(resampler) => resampler.finish()?,
                        None => &[],
                    }
                }
            }
        };
        let frames = (pcm.len() / self.channels).min(left);
        self.frames_out += frames as u64;
        Ok(Some(&pcm[..frames * self.channels]))
    }
}
