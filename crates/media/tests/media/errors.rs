//! Sources that cannot be transcoded fail with a typed error, never a panic.

use std::path::Path;

use tonearm_media::{MediaErrorKind, Rendition, TranscodeOptions, Transcoder};

use crate::support::make_source;

/// Opens and runs a job to its end, returning the kind of the first error.
fn first_error(source: &Path) -> Option<MediaErrorKind> {
    let job = match Transcoder::open(source, &Rendition::aac_lc(128), &TranscodeOptions::default()) {
        Ok(job) => job,
        Err(error) => return Some(error.kind()),
    };
    job.into_iter().find_map(|segment| segment.err()).map(|error| error.kind())
}

#[test]
fn missing_file_is_unreadable() {
    assert_eq!(first_error(Path::new("/nonexistent/track.flac")), Some(MediaErrorKind::SourceUnreadable));
}

#[test]
fn garbage_and_empty_files_are_corrupt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = dir.path().join("garbage.mp3");
    std::fs::write(
        &garbage,
        (0..200_000u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 24) as u8).collect::<Vec<u8>>(),
    )
    .expect("written");
    assert_eq!(first_error(&garbage), Some(MediaErrorKind::CorruptSource));
    let empty = dir.path().join("empty.flac");
    std::fs::write(&empty, b"").expect("written");
    assert_eq!(first_error(&empty), Some(MediaErrorKind::CorruptSource));
}

#[test]
fn truncated_sources_fail_as_corrupt() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, codec) in [("cut.flac", "flac"), ("cut.wav", "pcm_s16le")] {
        let source = make_source(dir.path(), name, "sine=f=440:r=44100:d=20", &["-c:a", codec]);
        let bytes = std::fs::read(&source).expect("source");
        std::fs::write(&source, &bytes[..bytes.len() / 2]).expect("truncated");
        assert_eq!(first_error(&source), Some(MediaErrorKind::CorruptSource), "{name}");
    }
}

#[test]
fn surround_opus_sources_are_unsupported() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Six channels take Opus channel mapping family 1 (RFC 7845 §5.1.1.2), which is not decoded.
    let source = make_source(
        dir.path(),
        "surround.opus",
        "sine=f=440:r=48000:d=2,pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
        &["-c:a", "libopus"],
    );
    assert_eq!(first_error(&source), Some(MediaErrorKind::UnsupportedSource));
}
