//! Every format the library scanner accepts transcodes to a clean rendition.

use tonearm_media::{Rendition, TranscodeOptions, Transcoder};
use tonearm_testkit::{AudioKind, encode_tone};

use crate::support::{correlation_peak, decode_mono, make_source, render};

#[test]
fn every_library_format_transcodes_to_its_length() {
    let dir = tempfile::tempdir().expect("temp dir");
    for kind in AudioKind::ALL {
        let source = dir.path().join(format!("tone-{kind:?}.{}", kind.extension()));
        encode_tone(&source, kind, 3.0, 330.0);
        let rendered = render(&source, &Rendition::aac_lc(128), dir.path());
        let decoded_seconds = decode_mono(&rendered.file, 44_100).len() as f64 / 44_100.0;
        // MP3 and AAC sources carry their own encoder delay and padding, which not every
        // container declares: allow a few of their frames beside ours.
        assert!((decoded_seconds - 3.0).abs() < 0.1, "{kind:?}: {decoded_seconds} s");
    }
}

#[test]
fn the_catalog_length_decides_when_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("tone.flac");
    encode_tone(&source, AudioKind::Flac, 3.0, 330.0);
    let options = TranscodeOptions { source_frames: Some(44_100 * 2), ..TranscodeOptions::default() };
    let job = Transcoder::open(&source, &Rendition::aac_lc(64), &options).expect("opens");
    assert_eq!(job.timeline().total_frames(), 88_200);
    assert_eq!(job.map(|segment| segment.expect("encodes").span.presentation_frames).sum::<u64>(), 88_200);
}

#[test]
fn opus_sources_decode_without_their_pre_skip_to_their_granule_length() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, lavfi, frames_at_48k) in [
        ("noise-48k.opus", "anoisesrc=color=pink:seed=9:amplitude=0.5:r=48000:d=5,pan=stereo|c0=c0|c1=c0", 240_000),
        // Opus codes at 48 kHz whatever the input: the source's 44.1 kHz is only a header note.
        ("noise-44k-mono.opus", "anoisesrc=color=pink:seed=10:amplitude=0.5:r=44100:d=3", 144_000),
    ] {
        let source = make_source(dir.path(), name, lavfi, &["-c:a", "libopus", "-b:a", "128k"]);
        let job = Transcoder::open(&source, &Rendition::aac_lc(128), &TranscodeOptions::default()).expect("opens");
        assert_eq!(job.timeline().sample_rate(), 48_000, "{name}");
        // The last granule position less the pre-skip, exactly.
        assert_eq!(job.timeline().total_frames(), frames_at_48k, "{name}");
        drop(job);

        let rendered = render(&source, &Rendition::aac_lc(256), dir.path());
        let reference = decode_mono(&source, 48_000);
        let decoded = decode_mono(&rendered.file, 48_000);
        assert_eq!(reference.len(), frames_at_48k as usize, "{name}: ffmpeg's own decode");
        assert!(decoded.len().abs_diff(reference.len()) < 1024, "{name}: {} frames decoded", decoded.len());
        // Same start (the pre-skip is dropped, as ffmpeg drops it) and same level (gain).
        let (lag, peak) = correlation_peak(&reference, &decoded, 10_000..40_000, 2_500);
        assert_eq!(lag, 0, "{name}: shifted by {lag} frames");
        assert!(peak > 0.9, "{name}: normalised correlation {peak}");
        let energy = |signal: &[f32]| signal[10_000..40_000].iter().map(|&x| f64::from(x).powi(2)).sum::<f64>();
        let level_ratio = (energy(&decoded) / energy(&reference)).sqrt();
        assert!((level_ratio - 1.0).abs() < 0.1, "{name}: level ratio {level_ratio}");
    }
}
