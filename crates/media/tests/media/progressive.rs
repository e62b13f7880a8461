//! Progressive files: one playable file per job, read by ffprobe, as long as the source.

use std::path::Path;

use tonearm_media::{ProgressiveFormat, ProgressiveTranscoder, TranscodeOptions};

use crate::support::{decode_mono, make_source, probe, seconds};

/// Runs a job to its end and writes the file; returns it and how many chunks it came in.
fn transcode(source: &Path, format: ProgressiveFormat, bitrate_kbps: u32, dir: &Path) -> (std::path::PathBuf, usize) {
    let job = ProgressiveTranscoder::open(source, format, bitrate_kbps, &TranscodeOptions::default()).expect("opens");
    assert_eq!(job.content_type(), format.content_type());
    let expected_kbps = match format {
        ProgressiveFormat::Aac | ProgressiveFormat::Opus => bitrate_kbps,
        // 150 kbps is no MP3 bitrate: the next one down is used.
        ProgressiveFormat::Mp3 => 128,
    };
    assert_eq!(job.bitrate_kbps(), expected_kbps);
    let mut bytes = Vec::new();
    let mut chunks = 0;
    for chunk in job {
        bytes.extend_from_slice(&chunk.expect("chunk encodes"));
        chunks += 1;
    }
    let file =
        dir.join(format!("{}-{bitrate_kbps}.{}", source.file_stem().unwrap().to_string_lossy(), format.extension()));
    std::fs::write(&file, bytes).expect("written");
    (file, chunks)
}

const SECONDS: f64 = 14.5;

#[test]
fn aac_is_one_fragmented_mp4_of_the_source_length() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = make_source(
        dir.path(),
        "chord.flac",
        "aevalsrc=0.3*sin(2*PI*220*t)|0.3*sin(2*PI*330*t):s=44100:d=14.5",
        &["-c:a", "flac"],
    );
    let (file, chunks) = transcode(&source, ProgressiveFormat::Aac, 160, dir.path());
    assert_eq!(chunks, 4, "the init segment, then three media segments as they are made");
    let stream = probe(&file);
    assert_eq!((stream["codec_name"].as_str(), stream["profile"].as_str()), (Some("aac"), Some("LC")));
    let bitrate_kbps = std::fs::metadata(&file).expect("file").len() as f64 * 8.0 / SECONDS / 1000.0;
    assert!((bitrate_kbps / 160.0 - 1.0).abs() < 0.1, "{bitrate_kbps:.0} kbps");
    let one_frame = 1024.0 / 44_100.0;
    let decoded_seconds = decode_mono(&file, 44_100).len() as f64 / 44_100.0;
    assert!((decoded_seconds - SECONDS).abs() <= one_frame, "decodes to {decoded_seconds} s");
}

#[test]
fn mp3_is_a_constant_bitrate_stream_that_decodes_to_the_source_length() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, lavfi, rate, channels) in [
        ("chord.flac", "aevalsrc=0.3*sin(2*PI*220*t)|0.3*sin(2*PI*330*t):s=44100:d=14.5", 44_100, 2),
        ("mono-96k.wav", "sine=f=440:r=96000:d=14.5", 48_000, 1),
    ] {
        let source = make_source(dir.path(), name, lavfi, &[]);
        let (file, chunks) = transcode(&source, ProgressiveFormat::Mp3, 150, dir.path());
        assert!(chunks > 3, "{name}: handed out in {chunks} chunks");
        let stream = probe(&file);
        assert_eq!(stream["codec_name"], "mp3", "{name}");
        assert_eq!(stream["sample_rate"].as_str(), Some(rate.to_string().as_str()), "{name}");
        assert_eq!(stream["channels"].as_u64(), Some(channels), "{name}");
        assert_eq!(stream["bit_rate"].as_str(), Some("128000"), "{name}");
        // The Info tag up front tells decoders the frame count, LAME's delay and padding.
        assert_eq!(decode_mono(&file, rate).len(), (SECONDS * f64::from(rate)) as usize, "{name}: decoded frames");
        // ffprobe states start and duration with the delay and padding in, as it does for the
        // file ffmpeg's own LAME encoder writes (its tag rewritten at the end) from the source.
        let reference = make_source(
            dir.path(),
            &format!("{name}-lame.mp3"),
            &format!("amovie={}", source.display()),
            &["-c:a", "libmp3lame", "-b:a", "128k", "-ar", &rate.to_string()],
        );
        let expected = probe(&reference);
        for field in ["format_start_time", "format_duration"] {
            assert_eq!(stream[field], expected[field], "{name}: {field}");
        }
    }
}

#[test]
fn opus_is_an_ogg_opus_file_trimmed_to_the_source_length() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = make_source(
        dir.path(),
        "chord-44k.flac",
        "aevalsrc=0.3*sin(2*PI*220*t)|0.3*sin(2*PI*330*t):s=44100:d=14.5",
        &["-c:a", "flac"],
    );
    let (file, chunks) = transcode(&source, ProgressiveFormat::Opus, 96, dir.path());
    assert!(chunks > 1, "handed out in {chunks} chunks");
    let stream = probe(&file);
    assert_eq!(stream["codec_name"], "opus");
    assert_eq!(stream["sample_rate"].as_str(), Some("48000"));
    // ffprobe counts the pre-skip in (one packet here; as it does for files ffmpeg writes);
    // decoders drop it, and the last granule position ends the stream at the source's end.
    let probed = seconds(&stream["format_duration"]);
    assert!((probed - 960.0 / 48_000.0 - SECONDS).abs() < 1e-3, "probes to {probed} s");
    assert_eq!(decode_mono(&file, 48_000).len(), (SECONDS * 48_000.0) as usize);
}
