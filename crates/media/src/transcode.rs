//! One rendition of one source, end to end: decode → (resample) → AAC → CMAF segments, each
//! segment handed out as soon as its last access unit is encoded, so a server can answer a
//! request for segment N while later ones are still being made.

use std::collections::VecDeque;
use std::path::Path;

use crate::cmaf::{MediaSegment, MediaSegmentBuilder, init_segment};
use crate::decode::SourceDecoder;
use crate::encode::AacEncoder;
use crate::error::MediaError;
use crate::ladder::{Rendition, SegmentGrid};
use crate::resample::StreamResampler;
use crate::timeline::SegmentTimeline;

/// Silence is padded in runs of at most this many frames, to keep memory flat.
const PADDING_CHUNK_FRAMES: u64 = 4096;

/// How a job is cut and how long the track is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TranscodeOptions {
    pub grid: SegmentGrid,
    /// The source's length in frames at its own rate, as the playlists were written from
    /// (`timeline::frames_in` of the catalog's duration). `None`: the container's declaration.
    pub source_frames: Option<u64>,
}

/// A transcoding job; iterate it for the media segments, in order.
///
/// The output follows the timeline exactly: decoded audio past its end is dropped and a
/// source that ends a little early is padded with silence, so the playlists written from the
/// timeline never lie. A source that ends much earlier than declared is truncated, and the
/// job fails with [`MediaError::CorruptSource`] at that point.
pub struct Transcoder {
    source: SourceDecoder,
    resampler: Option<StreamResampler>,
    encoder: AacEncoder,
    timeline: SegmentTimeline,
    init_segment: Vec<u8>,
    builder: MediaSegmentBuilder,
    next_segment: u32,
    ready: VecDeque<MediaSegment>,
    /// Frames handed to the encoder, at the encoding rate.
    frames_encoded: u64,
    done: bool,
}

impl Transcoder {
    pub fn open(source: &Path, rendition: &Rendition, options: &TranscodeOptions) -> Result<Self, MediaError> {
        let decoder = SourceDecoder::open(source)?;
        let properties = *decoder.properties();
        let source_frames =
            options.source_frames.or(properties.declared_frames).ok_or_else(|| MediaError::CorruptSource {
                path: source.to_owned(),
                reason: "the container does not declare its length; pass the catalog's".to_owned(),
            })?;
        let timeline = SegmentTimeline::new(source_frames, properties.sample_rate, rendition.codec, &options.grid);
        let channels = properties.output_channels;
        let resampler = (timeline.sample_rate() != properties.sample_rate)
            .then(|| StreamResampler::new(properties.sample_rate, timeline.sample_rate(), channels))
            .transpose()?;
        let encoder =
            AacEncoder::new(rendition.codec, timeline.sample_rate(), channels, rendition.bitrate_bps(channels))?;
        let init_segment = init_segment(encoder.config(), timeline.total_frames())?;
        Ok(Self {
            source: decoder,
            resampler,
            encoder,
            timeline,
            init_segment,
            builder: MediaSegmentBuilder::default(),
            next_segment: 0,
            ready: VecDeque::new(),
            frames_encoded: 0,
            done: false,
        })
    }

    /// The timeline the segments follow; the same as playlists compute from the catalog.
    pub fn timeline(&self) -> &SegmentTimeline {
        &self.timeline
    }

    /// The CMAF header (`ftyp` + `moov`), available before any audio is encoded.
    pub fn init_segment(&self) -> &[u8] {
        &self.init_segment
    }

    /// Decodes one chunk of the source and encodes it; at the end, pads and drains.
    fn advance(&mut self) -> Result<(), MediaError> {
        let Self { source, resampler, encoder, timeline, builder, next_segment, ready, frames_encoded, done, .. } =
            self;
        let timeline = *timeline;
        let channels = usize::from(encoder.config().channels);
        let mut sink = |access_unit: &[u8]| -> Result<(), MediaError> {
            let Some(span) = timeline.segment(*next_segment) else {
                return Err(MediaError::Muxer("more access units than the timeline has room for".to_owned()));
            };
            builder.push(access_unit);
            if builder.access_units() == span.access_units {
                ready.push_back(builder.finish(span)?);
                *next_segment += 1;
            }
            Ok(())
        };

        if let Some(chunk) = source.next_chunk()? {
            let pcm = match resampler {
                Some(resampler) => resampler.process(chunk)?,
                None => chunk,
            };
            return encode_within(timeline, encoder, frames_encoded, pcm, &mut sink);
        }
        if let Some(resampler) = resampler {
            encode_within(timeline, encoder, frames_encoded, resampler.finish()?, &mut sink)?;
        }
        let missing = timeline.total_frames() - *frames_encoded;
        // Up to a second short (MP3 length estimates, rounding of catalog durations) is padded;
        // more is a damaged file.
        if missing > u64::from(timeline.sample_rate()) {
            return Err(MediaError::CorruptSource {
                path: source.path().to_owned(),
                reason: format!(
                    "truncated: audio ends after {} of {} frames",
                    *frames_encoded,
                    timeline.total_frames()
                ),
            });
        }
        let silence = vec![0.0; PADDING_CHUNK_FRAMES as usize * channels];
        while *frames_encoded < timeline.total_frames() {
            let frames = (timeline.total_frames() - *frames_encoded).min(PADDING_CHUNK_FRAMES) as usize;
            encode_within(timeline, encoder, frames_encoded, &silence[..frames * channels], &mut sink)?;
        }
        encoder.finish(&mut sink)?;
        if *next_segment != timeline.segment_count() {
            return Err(MediaError::Muxer(format!(
                "encoding ended after {next_segment} of {} segments",
                timeline.segment_count()
            )));
        }
        *done = true;
        Ok(())
    }
}

/// Encodes `pcm`, dropping whatever lies past the end of the timeline.
fn encode_within(
    timeline: SegmentTimeline,
    encoder: &mut AacEncoder,
    frames_encoded: &mut u64,
    pcm: &[f32],
    sink: &mut impl FnMut(&[u8]) -> Result<(), MediaError>,
) -> Result<(), MediaError> {
    let channels = usize::from(encoder.config().channels);
    let frames = ((pcm.len() / channels) as u64).min(timeline.total_frames() - *frames_encoded);
    *frames_encoded += frames;
    encoder.encode(&pcm[..frames as usize * channels], sink)
}

impl Iterator for Transcoder {
    type Item = Result<MediaSegment, MediaError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(segment) = self.ready.pop_front() {
                return Some(Ok(segment));
            }
            if self.done {
                return None;
            }
            if let Err(error) = self.advance() {
                // A failed job stays failed: no half-made segment after an error.
                self.done = true;
                self.ready.clear();
                return Some(Err(error));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_can_move_to_a_worker_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<Transcoder>();
    }
}
