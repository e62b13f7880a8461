//! The segment timeline of one track: how many segments, where each starts and how long it
//! is, from the track's length and sample rate alone. Playlists (HLS `EXTINF`, DASH
//! `SegmentTimeline`) are written from this without encoding anything, and the transcoder
//! cuts its output exactly here, so the two always agree.

use std::time::Duration;

use crate::ladder::{Codec, SegmentGrid};

/// Segment boundaries of a track at its encoding sample rate.
///
/// Two clocks are involved. *Presentation* time starts at the first source frame; segment `k`
/// presents frames `[k·S, (k+1)·S)` (the last one fewer). *Media* (decode) time, what `tfdt`
/// carries, runs ahead by the codec's priming: the init segment's edit list maps media time
/// `priming` to presentation time 0 (ISO/IEC 14496-12 §8.6.6). Segment 0 therefore also holds
/// the priming access units, and segment `k > 0` starts at media time `k·S + priming`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentTimeline {
    sample_rate: u32,
    total_frames: u64,
    segment_frames: u64,
    priming_frames: u64,
    frames_per_access_unit: u64,
}

/// One segment of a [`SegmentTimeline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentSpan {
    /// Zero-based; the `mfhd` sequence number is `index + 1`.
    pub index: u32,
    /// First presented frame.
    pub presentation_start: u64,
    /// Frames presented (the last segment ends at the track's last frame).
    pub presentation_frames: u64,
    /// `tfdt` base media decode time, in frames (the media timescale is the sample rate).
    pub decode_time: u64,
    /// Access units the segment carries, priming ones included.
    pub access_units: u64,
    sample_rate: u32,
}

impl SegmentSpan {
    /// The presented duration, as HLS `EXTINF` states it.
    pub fn duration(&self) -> Duration {
        frames_to_duration(self.presentation_frames, self.sample_rate)
    }

    pub fn start(&self) -> Duration {
        frames_to_duration(self.presentation_start, self.sample_rate)
    }
}

impl SegmentTimeline {
    /// The timeline of a source of `source_frames` frames at `source_sample_rate`, encoded with
    /// `codec` on `grid`. The catalog's duration gives the frames (see [`frames_in`]).
    pub fn new(source_frames: u64, source_sample_rate: u32, codec: Codec, grid: &SegmentGrid) -> Self {
        let sample_rate = codec.encoding_sample_rate(source_sample_rate);
        Self {
            sample_rate,
            total_frames: frames_at_rate(source_frames, source_sample_rate, sample_rate),
            segment_frames: grid.segment_frames_for(codec, sample_rate),
            priming_frames: codec.priming_frames(),
            frames_per_access_unit: codec.frames_per_access_unit(),
        }
    }

    /// The encoding sample rate, also the media timescale of every box.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Frames presented, at the encoding sample rate.
    pub fn total_frames(&self) -> u64 {
        self.total_frames
    }

    pub fn duration(&self) -> Duration {
        frames_to_duration(self.total_frames, self.sample_rate)
    }

    pub fn priming_frames(&self) -> u64 {
        self.priming_frames
    }

    /// The nominal segment length in frames (every segment but the last).
    pub fn segment_frames(&self) -> u64 {
        self.segment_frames
    }

    /// The longest segment, for HLS `EXT-X-TARGETDURATION` (RFC 8216 §4.3.3.1: the rounded
    /// `EXTINF` of every segment must not exceed it).
    pub fn max_segment_duration(&self) -> Duration {
        self.segments().map(|segment| segment.duration()).max().unwrap_or_default()
    }

    pub fn segment_count(&self) -> u32 {
        u32::try_from(self.total_frames.div_ceil(self.segment_frames)).expect("a track has fewer than 2^32 segments")
    }

    /// Access units of the whole stream: priming and source, the last one padded.
    pub fn access_unit_count(&self) -> u64 {
        (self.priming_frames + self.total_frames).div_ceil(self.frames_per_access_unit)
    }

    pub fn segment(&self, index: u32) -> Option<SegmentSpan> {
        if index >= self.segment_count() {
            return None;
        }
        let presentation_start = u64::from(index) * self.segment_frames;
        let presentation_end = (presentation_start + self.segment_frames).min(self.total_frames);
        let is_last = index + 1 == self.segment_count();
        let decode_time = if index == 0 { 0 } else { presentation_start + self.priming_frames };
        let first_access_unit = decode_time / self.frames_per_access_unit;
        let end_access_unit = if is_last {
            self.access_unit_count()
        } else {
            (presentation_end + self.priming_frames) / self.frames_per_access_unit
        };
        debug_assert_eq!(decode_time % self.frames_per_access_unit, 0, "segments start on access units");
        Some(SegmentSpan {
            index,
            presentation_start,
            presentation_frames: presentation_end - presentation_start,
            decode_time,
            access_units: end_access_unit - first_access_unit,
            sample_rate: self.sample_rate,
        })
    }

    pub fn segments(&self) -> impl Iterator<Item = SegmentSpan> + '_ {
        (0..self.segment_count()).filter_map(|index| self.segment(index))
    }
}

/// Frames of a source of `duration` at `sample_rate`, rounded to the nearest frame: how the
/// catalog's duration becomes the `source_frames` of [`SegmentTimeline::new`].
pub fn frames_in(duration: Duration, sample_rate: u32) -> u64 {
    ((duration.as_nanos() * u128::from(sample_rate) + 500_000_000) / 1_000_000_000) as u64
}

/// The length of `frames` at `from_rate` once resampled to `to_rate`, rounded up.
pub(crate) fn frames_at_rate(frames: u64, from_rate: u32, to_rate: u32) -> u64 {
    (u128::from(frames) * u128::from(to_rate)).div_ceil(u128::from(from_rate.max(1))) as u64
}

fn frames_to_duration(frames: u64, sample_rate: u32) -> Duration {
    let nanos = u128::from(frames) * 1_000_000_000 / u128::from(sample_rate.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(frames: u64, rate: u32) -> SegmentTimeline {
        SegmentTimeline::new(frames, rate, Codec::AacLc, &SegmentGrid::default())
    }

    #[test]
    fn a_four_minute_track_has_41_segments_covering_it_exactly() {
        let track = timeline(240 * 44_100, 44_100);
        let segment_frames = track.segment_frames();
        assert_eq!(segment_frames, 129 * 2048);
        assert_eq!(track.segment_count(), 41);
        let spans: Vec<SegmentSpan> = track.segments().collect();
        assert_eq!(spans.iter().map(|span| span.presentation_frames).sum::<u64>(), 240 * 44_100);
        assert_eq!(spans.iter().map(|span| span.access_units).sum::<u64>(), track.access_unit_count());
        for pair in spans.windows(2) {
            assert_eq!(pair[0].presentation_start + pair[0].presentation_frames, pair[1].presentation_start);
            // Each segment's media ends where the next one's decode time begins.
            assert_eq!(pair[0].decode_time + pair[0].access_units * 1024, pair[1].decode_time);
        }
        assert_eq!(spans[0].decode_time, 0);
        assert_eq!(spans[1].start(), spans[0].duration());
        assert_eq!(spans[0].access_units, (segment_frames + 6144) / 1024);
        assert_eq!(spans[1].decode_time, segment_frames + 6144);
        assert_eq!(spans[40].presentation_frames, 240 * 44_100 - 40 * segment_frames);
    }

    #[test]
    fn short_track_is_one_segment() {
        let track = timeline(1000, 48_000);
        assert_eq!(track.segment_count(), 1);
        let only = track.segment(0).expect("one segment");
        assert_eq!((only.presentation_frames, only.access_units), (1000, 7));
        assert_eq!(track.segment(1), None);
    }

    #[test]
    fn he_aac_shares_the_boundaries_of_aac_lc() {
        let lc = timeline(20 * 48_000, 48_000);
        let he = SegmentTimeline::new(20 * 48_000, 48_000, Codec::HeAac, &SegmentGrid::default());
        let boundaries = |track: &SegmentTimeline| {
            track.segments().map(|span| (span.presentation_start, span.decode_time)).collect::<Vec<_>>()
        };
        assert_eq!(boundaries(&lc), boundaries(&he));
        assert!(he.segments().zip(lc.segments()).all(|(he, lc)| he.access_units * 2 == lc.access_units));
    }

    #[test]
    fn flac_shares_the_boundaries_of_aac_lc_and_opus_runs_on_its_own_packets() {
        let lc = timeline(20 * 44_100, 44_100);
        let flac = SegmentTimeline::new(20 * 44_100, 44_100, Codec::Flac, &SegmentGrid::default());
        let boundaries = |track: &SegmentTimeline| {
            track.segments().map(|span| (span.presentation_start, span.decode_time)).collect::<Vec<_>>()
        };
        assert_eq!(boundaries(&lc), boundaries(&flac));
        let opus = SegmentTimeline::new(20 * 44_100, 44_100, Codec::Opus, &SegmentGrid::default());
        assert_eq!((opus.sample_rate(), opus.total_frames(), opus.segment_count()), (48_000, 960_000, 4));
        assert!(opus.segments().all(|span| span.decode_time % 960 == 0));
        assert_eq!(opus.segment(1).map(|span| span.decode_time), Some(288_000 + 960));
        assert_eq!(opus.access_unit_count(), (960_000 + 960) / 960);
    }

    #[test]
    fn empty_track_has_no_segments() {
        assert_eq!(timeline(0, 44_100).segment_count(), 0);
    }

    #[test]
    fn resampled_sources_are_timed_at_the_encoding_rate() {
        let track = timeline(96_000 * 10, 96_000);
        assert_eq!(track.sample_rate(), 48_000);
        assert_eq!(track.total_frames(), 480_000);
        assert_eq!(track.duration(), Duration::from_secs(10));
    }

    #[test]
    fn catalog_durations_convert_to_frames() {
        assert_eq!(frames_in(Duration::from_millis(1500), 44_100), 66_150);
        assert!(
            timeline(frames_in(Duration::from_secs(240), 44_100), 44_100).max_segment_duration()
                <= Duration::from_secs(6)
        );
    }
}
