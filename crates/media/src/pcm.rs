//! The PCM every encoder takes: a source decoded and, where its rate is not the encoding rate,
//! resampled, chunk by chunk.

use crate::decode::SourceDecoder;
use crate::error::MediaError;
use crate::resample::StreamResampler;

pub(crate) struct EncodingPcm {
    source: SourceDecoder,
    resampling: Option<Resampling>,
    finished: bool,
}

struct Resampling {
    resampler: StreamResampler,
    from_rate: u64,
    to_rate: u64,
    channels: usize,
    frames_in: u64,
    frames_out: u64,
}

impl EncodingPcm {
    /// The PCM of `source` at `sample_rate`, with the source's output channels.
    pub fn new(source: SourceDecoder, sample_rate: u32) -> Result<Self, MediaError> {
        let properties = *source.properties();
        let resampling = if sample_rate == properties.sample_rate {
            None
        } else {
            Some(Resampling {
                resampler: StreamResampler::new(properties.sample_rate, sample_rate, properties.output_channels)?,
                from_rate: u64::from(properties.sample_rate),
                to_rate: u64::from(sample_rate),
                channels: usize::from(properties.output_channels),
                frames_in: 0,
                frames_out: 0,
            })
        };
        Ok(Self { source, resampling, finished: false })
    }

    pub fn source(&self) -> &SourceDecoder {
        &self.source
    }

    /// Whether the PCM is the decoder's own, not resampled.
    pub fn is_resampled(&self) -> bool {
        self.resampling.is_some()
    }

    /// The next run of interleaved PCM (possibly empty while the resampler fills up), or `None`
    /// once the source and the resampler's tail are out.
    pub fn next_chunk(&mut self) -> Result<Option<&[f32]>, MediaError> {
        if self.finished {
            return Ok(None);
        }
        match (self.source.next_chunk()?, &mut self.resampling) {
            (Some(chunk), None) => Ok(Some(chunk)),
            (Some(chunk), Some(resampling)) => {
                resampling.frames_in += (chunk.len() / resampling.channels) as u64;
                let output = resampling.resampler.process(chunk)?;
                resampling.frames_out += (output.len() / resampling.channels) as u64;
                Ok(Some(output))
            }
            (None, None) => {
                self.finished = true;
                Ok(None)
            }
            (None, Some(resampling)) => {
                self.finished = true;
                // The resampler's flush overshoots by up to a chunk of silence: the output ends
                // where the input's last frame does.
                let expected = (resampling.frames_in * resampling.to_rate).div_ceil(resampling.from_rate);
                let tail_frames = expected.saturating_sub(resampling.frames_out) as usize;
                let tail = resampling.resampler.finish()?;
                Ok(Some(&tail[..(tail_frames * resampling.channels).min(tail.len())]))
            }
        }
    }
}
