//! One rendition of one source, end to end: decode → (resample) → AAC, FLAC or Opus → CMAF segments, each
//! segment handed out as soon as its last access unit is encoded, so a server can answer a
//! request for segment N while later ones are still being made.

use std::collections::VecDeque;
use std::path::Path;

use crate::cmaf::{MediaSegment, MediaSegmentBuilder, init_segment};
use crate::decode::SourceDecoder;
use crate::encode::RenditionEncoder;
use crate::error::MediaError;
use crate::ladder::{Rendition, SegmentGrid};
use crate::pcm::EncodingPcm;
use crate::timeline::SegmentTimeline;

/// How a job is cut and how long the track is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TranscodeOptions {
    pub grid: SegmentGrid,
    /// The source's length in frames at its own rate, as the playlists were written from
    /// (`timeline::frames_in` of the catalog's duration). `None`: the container's declaration.
    pub source_frames: Option<u64>,
}

impl TranscodeOptions {
    /// The length a job keeps to: the caller's, else the container's.
    pub(crate) fn source_frames(&self, source: &SourceDecoder) -> Result<u64, MediaError> {
        self.source_frames.or(source.properties().declared_frames).ok_or_else(|| MediaError::CorruptSource {
            path: source.path().to_owned(),
            reason: "the container does not declare its length; pass the catalog's".to_owned(),
        })
    }
}

/// A transcoding job; iterate it for the media segments, in order.
///
/// The output follows the timeline exactly: decoded audio past its end is dropped and a
/// source that ends a little early is padded with silence, so the playlists written from the
/// timeline never lie. A source that ends much earlier than declared is truncated, and the
/// job fails with [`MediaError::CorruptSource`] at that point (see `pcm::EncodingPcm`).
pub struct Transcoder {
    pcm: EncodingPcm,
    encoder: RenditionEncoder,
    cutter: SegmentCutter,
    init_segment: Vec<u8>,
    done: bool,
}

impl Transcoder {
    pub fn open(source: &Path, rendition: &Rendition, options: &TranscodeOptions) -> Result<Self, MediaError> {
        let decoder = SourceDecoder::open(source)?;
        let properties = *decoder.properties();
        let timeline = SegmentTimeline::new(
            options.source_frames(&decoder)?,
            properties.sample_rate,
            rendition.codec,
            &options.grid,
        );
        let channels = properties.output_channels;
        let pcm = EncodingPcm::new(decoder, timeline.sample_rate(), timeline.total_frames())?;
        // The source's integers reach the encoder unchanged only when nothing resamples or mixes
        // them; the lossless rung then keeps their resolution.
        let exact_bits = properties
            .lossless_bits
            .filter(|_| !pcm.is_resampled() && properties.source_channels == usize::from(channels));
        let encoder = RenditionEncoder::new(
            rendition,
            timeline.sample_rate(),
            channels,
            exact_bits,
            properties.sample_rate,
            timeline.total_frames(),
        )?;
        let init_segment = init_segment(&encoder.config(), timeline.total_frames())?;
        Ok(Self {
            pcm,
            encoder,
            cutter: SegmentCutter::new(timeline, rendition.codec.frames_per_access_unit()),
            init_segment,
            done: false,
        })
    }

    /// The timeline the segments follow; the same as playlists compute from the catalog.
    pub fn timeline(&self) -> &SegmentTimeline {
        &self.cutter.timeline
    }

    /// The CMAF header (`ftyp` + `moov`), available before any audio is encoded.
    pub fn init_segment(&self) -> &[u8] {
        &self.init_segment
    }

    /// Decodes one chunk of the source and encodes it; at the end of the source, finishes.
    fn advance(&mut self) -> Result<(), MediaError> {
        let Some(pcm) = self.pcm.next_chunk()? else {
            return self.finish();
        };
        self.encoder.encode(pcm, &mut |access_unit, frames| self.cutter.accept(access_unit, frames))
    }

    /// Drains the encoder once the whole timeline's PCM is in.
    fn finish(&mut self) -> Result<(), MediaError> {
        let timeline = self.cutter.timeline;
        self.encoder.finish(&mut |access_unit, frames| self.cutter.accept(access_unit, frames))?;
        if self.cutter.next_segment != timeline.segment_count() {
            return Err(MediaError::Muxer(format!(
                "encoding ended after {} of {} segments",
                self.cutter.next_segment,
                timeline.segment_count()
            )));
        }
        self.done = true;
        Ok(())
    }
}

/// Groups access units into segments where the timeline cuts.
struct SegmentCutter {
    timeline: SegmentTimeline,
    builder: MediaSegmentBuilder,
    next_segment: u32,
    ready: VecDeque<MediaSegment>,
}

impl SegmentCutter {
    fn new(timeline: SegmentTimeline, frames_per_access_unit: u64) -> Self {
        Self {
            timeline,
            builder: MediaSegmentBuilder::new(frames_per_access_unit),
            next_segment: 0,
            ready: VecDeque::new(),
        }
    }

    fn accept(&mut self, access_unit: &[u8], frames: u64) -> Result<(), MediaError> {
        let Some(span) = self.timeline.segment(self.next_segment) else {
            return Err(MediaError::Muxer("more access units than the timeline has room for".to_owned()));
        };
        self.builder.push(access_unit, frames);
        if self.builder.access_units() == span.access_units {
            self.ready.push_back(self.builder.finish(span)?);
            self.next_segment += 1;
        }
        Ok(())
    }
}

impl Iterator for Transcoder {
    type Item = Result<MediaSegment, MediaError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(segment) = self.cutter.ready.pop_front() {
                return Some(Ok(segment));
            }
            if self.done {
                return None;
            }
            if let Err(error) = self.advance() {
                // A failed job stays failed: no half-made segment after an error.
                self.done = true;
                self.cutter.ready.clear();
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
