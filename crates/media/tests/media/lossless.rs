//! The lossless rung gives back the source bit for bit, on the ladder's timeline.

use tonearm_media::Rendition;

use crate::support::{decode_exact, make_source, probe, render, seconds};

struct Case {
    name: &'static str,
    lavfi: &'static str,
    codec_args: &'static [&'static str],
    rate: u32,
    channels: u64,
    bits: &'static str,
}

/// Pink noise barely compresses, so every FLAC predictor and residual path is exercised.
const CASES: [Case; 4] = [
    Case {
        name: "noise-16bit-44k.flac",
        lavfi: "anoisesrc=color=pink:seed=3:amplitude=0.6:r=44100:d=13.3,pan=stereo|c0=c0|c1=0.5*c0",
        codec_args: &["-c:a", "flac", "-sample_fmt", "s16"],
        rate: 44_100,
        channels: 2,
        bits: "16",
    },
    Case {
        name: "noise-24bit-48k.wav",
        lavfi: "anoisesrc=color=pink:seed=4:amplitude=0.6:r=48000:d=7.01,pan=stereo|c0=c0|c1=0.25*c0",
        codec_args: &["-c:a", "pcm_s24le"],
        rate: 48_000,
        channels: 2,
        bits: "24",
    },
    Case {
        name: "tone-16bit-mono.m4a",
        lavfi: "sine=f=523:r=44100:d=3.7",
        codec_args: &["-c:a", "alac", "-sample_fmt", "s16p"],
        rate: 44_100,
        channels: 1,
        bits: "16",
    },
    Case {
        name: "short-24bit.flac",
        lavfi: "anoisesrc=color=white:seed=5:amplitude=0.3:r=48000:d=0.05",
        codec_args: &["-c:a", "flac", "-sample_fmt", "s32"],
        rate: 48_000,
        channels: 1,
        bits: "24",
    },
];

#[test]
fn flac_rendition_probes_as_flac_and_decodes_to_the_source_sample_for_sample() {
    let dir = tempfile::tempdir().expect("temp dir");
    for case in CASES {
        let source = make_source(dir.path(), case.name, case.lavfi, case.codec_args);
        let rendered = render(&source, &Rendition::flac(), dir.path());
        let stream = probe(&rendered.file);
        let context = case.name;
        assert_eq!(stream["codec_name"], "flac", "{context}");
        assert_eq!(stream["channels"].as_u64(), Some(case.channels), "{context}");
        assert_eq!(stream["sample_rate"].as_str(), Some(case.rate.to_string().as_str()), "{context}");
        assert_eq!(stream["bits_per_raw_sample"].as_str(), Some(case.bits), "{context}");
        // The same priming as the AAC rungs, hidden by the edit list.
        let start = seconds(&stream["format_start_time"]);
        assert!((start + 6144.0 / f64::from(case.rate)).abs() < 1e-6, "{context}: starts at {start} s");

        let expected = decode_exact(&source);
        let decoded = decode_exact(&rendered.file);
        assert_eq!(decoded.len(), expected.len(), "{context}: sample count");
        let first_difference = decoded.iter().zip(&expected).position(|(a, b)| a != b);
        assert_eq!(first_difference, None, "{context}: samples differ");
    }
}
