//! The Opus group: valid Opus-in-MP4 that ffmpeg decodes in time with the source, on its own
//! 48 kHz timeline of whole packets.

use tonearm_media::{Codec, Ladder};

use crate::support::{correlation_peak, decode_mono, make_source, probe, render, seconds};

#[test]
fn opus_renditions_probe_as_opus_follow_their_timeline_and_decode_in_time_with_the_source() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, rate, source_seconds) in [("noise-44k.flac", 44_100, 13.1), ("noise-48k.flac", 48_000, 6.5)] {
        let lavfi = format!(
            "anoisesrc=color=pink:seed=21:amplitude=0.5:r={rate}:d={source_seconds},pan=stereo|c0=c0|c1=0.5*c0"
        );
        let source = make_source(dir.path(), name, &lavfi, &["-c:a", "flac"]);
        let reference = decode_mono(&source, 48_000);
        for rendition in Ladder::opus().renditions() {
            let context = format!("{name} as {}", rendition.id);
            let rendered = render(&source, rendition, dir.path());
            assert_eq!(rendered.timeline.sample_rate(), 48_000, "{context}");
            assert_eq!(rendered.timeline.segment_frames(), 300 * 960, "{context}: exactly 6 s");
            let expected = rendered.expected_fragments();
            assert_eq!(rendered.fragments, expected, "{context}: the boxes say what the timeline says");

            let stream = probe(&rendered.file);
            assert_eq!(stream["codec_name"], "opus", "{context}");
            assert_eq!(stream["channels"].as_u64(), Some(2), "{context}");
            assert_eq!(stream["sample_rate"].as_str(), Some("48000"), "{context}");
            let start = seconds(&stream["format_start_time"]);
            let priming = Codec::Opus.priming_frames() as f64 / 48_000.0;
            assert!((start + priming).abs() < 1e-6, "{context}: starts at {start} s");
            let bitrate_kbps =
                std::fs::metadata(&rendered.file).expect("file").len() as f64 * 8.0 / source_seconds / 1000.0;
            // Opus is variable bitrate: noise takes about what it is given.
            let ratio = bitrate_kbps / f64::from(rendition.bitrate_kbps);
            assert!((0.8..1.2).contains(&ratio), "{context}: {bitrate_kbps:.0} kbps");

            let decoded = decode_mono(&rendered.file, 48_000);
            // ffmpeg 5.1 ignores the edit list's end in fragmented files: up to one packet more.
            assert!(
                decoded.len() >= reference.len() && decoded.len() - reference.len() < 960,
                "{context}: {} frames decoded, source has {}",
                decoded.len(),
                reference.len()
            );
            let (lag, peak) = correlation_peak(&reference, &decoded, 20_000..40_000, 1_000);
            assert_eq!(lag, 0, "{context}: shifted by {lag} frames");
            assert!(peak > 0.8, "{context}: normalised correlation {peak}");
            let (start_lag, _) = correlation_peak(&reference, &decoded, 0..8_192, 1_000);
            assert_eq!(start_lag, 0, "{context}: the first frames are shifted by {start_lag}");
        }
    }
}
