//! Every format the library scanner accepts (Opus aside) transcodes to a clean rendition.

use tonearm_media::{Rendition, TranscodeOptions, Transcoder};
use tonearm_testkit::{AudioKind, encode_tone};

use crate::support::{decode_mono, render};

#[test]
fn every_library_format_transcodes_to_its_length() {
    let dir = tempfile::tempdir().expect("temp dir");
    for kind in AudioKind::ALL.into_iter().filter(|kind| *kind != AudioKind::Opus) {
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
