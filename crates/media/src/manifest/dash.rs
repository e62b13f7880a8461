//! A static DASH MPD (ISO/IEC 23009-1) over the same CMAF segments as HLS: one audio
//! adaptation set, a `SegmentTemplate` with a `SegmentTimeline` per representation.

use std::fmt::Write;
use std::time::Duration;

use crate::timeline::SegmentTimeline;

/// One rendition as the MPD announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representation {
    pub id: String,
    pub codecs: String,
    pub bandwidth_bps: u32,
    pub channels: u16,
    pub timeline: SegmentTimeline,
    /// The init segment's URL.
    pub initialization: String,
    /// The media URL template; `$Number$` stands for the segment index.
    pub media: String,
}

/// The whole MPD of one track.
pub fn mpd(representations: &[Representation]) -> String {
    let duration = representations.first().map(|first| first.timeline.duration()).unwrap_or_default();
    let max_segment = representations
        .iter()
        .map(|representation| representation.timeline.max_segment_duration())
        .max()
        .unwrap_or_default();
    let mut mpd = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" \
         type=\"static\" mediaPresentationDuration=\"{}\" maxSegmentDuration=\"{}\" minBufferTime=\"PT2S\">\n\
         <Period id=\"0\" start=\"PT0S\">\n\
         <AdaptationSet id=\"0\" contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\" \
         startWithSAP=\"1\" lang=\"und\">\n",
        iso8601(duration),
        iso8601(max_segment)
    );
    for representation in representations {
        write_representation(&mut mpd, representation);
    }
    mpd.push_str("</AdaptationSet>\n</Period>\n</MPD>\n");
    mpd
}

fn write_representation(mpd: &mut String, representation: &Representation) {
    let timeline = &representation.timeline;
    // `writeln!` into a String cannot fail.
    let _ = writeln!(
        mpd,
        "<Representation id=\"{}\" codecs=\"{}\" bandwidth=\"{}\" audioSamplingRate=\"{}\">\n\
         <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"{}\"/>\n\
         <SegmentTemplate timescale=\"{}\" presentationTimeOffset=\"{}\" startNumber=\"0\" initialization=\"{}\" media=\"{}\">\n\
         <SegmentTimeline>",
        xml_escape(&representation.id),
        xml_escape(&representation.codecs),
        representation.bandwidth_bps,
        timeline.sample_rate(),
        representation.channels,
        timeline.sample_rate(),
        // The edit list's job in DASH terms: media time `priming` is presentation time 0.
        timeline.priming_frames(),
        xml_escape(&representation.initialization),
        xml_escape(&representation.media),
    );
    for run in segment_runs(timeline) {
        match run.repeat {
            0 => {
                let _ = writeln!(mpd, "<S t=\"{}\" d=\"{}\"/>", run.start, run.duration);
            }
            repeat => {
                let _ = writeln!(mpd, "<S t=\"{}\" d=\"{}\" r=\"{repeat}\"/>", run.start, run.duration);
            }
        }
    }
    mpd.push_str("</SegmentTimeline>\n</SegmentTemplate>\n</Representation>\n");
}

/// Consecutive segments of equal media duration, as one `<S>` element.
#[derive(Debug, PartialEq, Eq)]
struct SegmentRun {
    start: u64,
    duration: u64,
    repeat: u32,
}

/// Media-time durations: segment 0 also carries the priming, so it is longer than the rest;
/// the last is as long as what it presents.
fn segment_runs(timeline: &SegmentTimeline) -> Vec<SegmentRun> {
    let spans: Vec<_> = timeline.segments().collect();
    let mut runs: Vec<SegmentRun> = Vec::new();
    for (position, span) in spans.iter().enumerate() {
        let duration = match spans.get(position + 1) {
            Some(next) => next.decode_time - span.decode_time,
            None if span.index == 0 => span.presentation_frames + timeline.priming_frames(),
            None => span.presentation_frames,
        };
        match runs.last_mut() {
            Some(run) if run.duration == duration => run.repeat += 1,
            _ => runs.push(SegmentRun { start: span.decode_time, duration, repeat: 0 }),
        }
    }
    runs
}

/// `PT1234.567S`: xs:duration with millisecond precision.
fn iso8601(duration: Duration) -> String {
    format!("PT{}.{:03}S", duration.as_secs(), duration.subsec_millis())
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{Codec, SegmentGrid};

    fn timeline(frames: u64) -> SegmentTimeline {
        SegmentTimeline::new(frames, 44_100, Codec::AacLc, &SegmentGrid::default())
    }

    #[test]
    fn runs_cover_the_media_timeline_without_gaps() {
        let timeline = timeline(44_100 * 20);
        let runs = segment_runs(&timeline);
        let mut expected_start = 0;
        for run in &runs {
            assert_eq!(run.start, expected_start, "no gap before {run:?}");
            expected_start = run.start + run.duration * u64::from(run.repeat + 1);
        }
        let spans: Vec<_> = timeline.segments().collect();
        assert_eq!(runs.iter().map(|run| run.repeat + 1).sum::<u32>(), timeline.segment_count());
        assert_eq!(runs[0].duration, spans[1].decode_time, "segment 0 holds the priming too");
        assert_eq!(expected_start, timeline.priming_frames() + timeline.total_frames());
    }

    #[test]
    fn mpd_is_static_with_escaped_urls_and_the_priming_offset() {
        let timeline = timeline(44_100 * 10);
        let text = mpd(&[Representation {
            id: "aac-lc-128".into(),
            codecs: "mp4a.40.2".into(),
            bandwidth_bps: 130_000,
            channels: 2,
            timeline,
            initialization: "/m/init.mp4?exp=1&sig=x".into(),
            media: "/m/$Number$.m4s?exp=1&sig=x".into(),
        }]);
        assert!(text.contains("type=\"static\""));
        assert!(text.contains("mediaPresentationDuration=\"PT10.000S\""));
        assert!(text.contains("initialization=\"/m/init.mp4?exp=1&amp;sig=x\""));
        assert!(text.contains("media=\"/m/$Number$.m4s?exp=1&amp;sig=x\""));
        assert!(text.contains(&format!("presentationTimeOffset=\"{}\"", timeline.priming_frames())));
        assert!(!text.contains("&sig"), "no raw ampersand: {text}");
    }

    #[test]
    fn a_one_segment_track_lasts_its_frames_plus_priming() {
        let timeline = timeline(1000);
        let runs = segment_runs(&timeline);
        assert_eq!(runs, [SegmentRun { start: 0, duration: 1000 + timeline.priming_frames(), repeat: 0 }]);
    }
}
