//! Each rendition is a valid MP4 that ffprobe describes correctly and ffmpeg decodes cleanly.

use tonearm_media::{Codec, Ladder, Rendition};

use crate::support::{decode_mono, make_source, probe, render, seconds};

const CHORD: &str = "0.2*sin(2*PI*220*t)+0.15*sin(2*PI*277*t)+0.12*sin(2*PI*330*t)";

struct Case {
    name: &'static str,
    lavfi: String,
    seconds: f64,
    expected_rate: u32,
    expected_channels: u64,
}

fn cases() -> Vec<Case> {
    let stereo = |rate: u32| format!("aevalsrc={CHORD}|{CHORD}:s={rate}:d=");
    vec![
        Case {
            name: "stereo-44k.flac",
            lavfi: stereo(44_100) + "20",
            seconds: 20.0,
            expected_rate: 44_100,
            expected_channels: 2,
        },
        Case {
            name: "stereo-48k.flac",
            lavfi: stereo(48_000) + "7.3",
            seconds: 7.3,
            expected_rate: 48_000,
            expected_channels: 2,
        },
        Case {
            name: "stereo-96k.flac",
            lavfi: stereo(96_000) + "7",
            seconds: 7.0,
            expected_rate: 48_000,
            expected_channels: 2,
        },
        Case {
            name: "mono-22k.flac",
            lavfi: format!("aevalsrc={CHORD}:s=22050:d=5"),
            seconds: 5.0,
            expected_rate: 44_100,
            expected_channels: 1,
        },
        Case {
            name: "surround-5.1.flac",
            lavfi: format!("aevalsrc={CHORD}|{CHORD}|{CHORD}|{CHORD}|{CHORD}|{CHORD}:s=48000:c=5.1:d=4"),
            seconds: 4.0,
            expected_rate: 48_000,
            expected_channels: 2,
        },
    ]
}

#[test]
fn every_rendition_probes_as_aac_with_the_source_length_and_decodes_without_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    for case in cases() {
        let source = make_source(dir.path(), case.name, &case.lavfi, &["-c:a", "flac"]);
        for rendition in Ladder::default().renditions() {
            let rendered = render(&source, rendition, dir.path());
            let stream = probe(&rendered.file);
            let context = format!("{} as {}", case.name, rendition.id);
            assert_eq!(stream["codec_name"], "aac", "{context}");
            let profile = match rendition.codec {
                Codec::AacLc => "LC",
                Codec::HeAac => "HE-AAC",
                Codec::Flac | Codec::Opus => {
                    unreachable!("the default ladder is AAC only; lossless.rs and opus.rs cover the others")
                }
            };
            assert_eq!(stream["profile"], profile, "{context}");
            // A mono HE-AAC stream may carry parametric stereo without saying so (implicit PS
            // signalling, ISO/IEC 14496-3 §1.6.6), so ffmpeg decodes it to two equal channels.
            let expected_channels = match (rendition.codec, case.expected_channels) {
                (Codec::HeAac, 1) => 2,
                (_, channels) => channels,
            };
            assert_eq!(stream["channels"].as_u64(), Some(expected_channels), "{context}");
            assert_eq!(stream["sample_rate"].as_str(), Some(case.expected_rate.to_string().as_str()), "{context}");
            let one_frame = rendition.codec.frames_per_access_unit() as f64 / f64::from(case.expected_rate);
            // The edit list puts the priming before time zero, where ffprobe reports it.
            let start = seconds(&stream["format_start_time"]);
            let priming = rendered.timeline.priming_frames() as f64 / f64::from(case.expected_rate);
            assert!((start + priming).abs() < 1e-6, "{context}: starts at {start} s");
            // ffmpeg 5.1 ignores the edit list's duration in fragmented files, so the end it
            // reports includes the last access unit's padding: less than one frame.
            let end = start + seconds(&stream["format_duration"]);
            assert!((end - case.seconds).abs() <= one_frame, "{context}: ends at {end} s, source {} s", case.seconds);

            let decoded = decode_mono(&rendered.file, case.expected_rate);
            let decoded_seconds = decoded.len() as f64 / f64::from(case.expected_rate);
            assert!(
                (decoded_seconds - case.seconds).abs() <= one_frame,
                "{context}: decodes to {decoded_seconds} s, source {} s",
                case.seconds
            );
        }
    }
}

#[test]
fn bitrates_follow_the_ladder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = make_source(
        dir.path(),
        "noise.flac",
        "anoisesrc=color=pink:seed=7:r=44100:d=12,pan=stereo|c0=c0|c1=c0",
        &["-c:a", "flac"],
    );
    for kbps in [64, 128, 256] {
        let rendered = render(&source, &Rendition::aac_lc(kbps), dir.path());
        let bytes = std::fs::metadata(&rendered.file).expect("file").len() as f64;
        let measured_kbps = bytes * 8.0 / 12.0 / 1000.0;
        assert!(
            (measured_kbps / f64::from(kbps) - 1.0).abs() < 0.1,
            "{kbps} kbps rendition measures {measured_kbps:.1} kbps"
        );
    }
}
