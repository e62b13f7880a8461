//! A job's memory does not grow with the track: a 5-minute WAV (53 MB) transcodes within the
//! 32 MiB per-job budget. Its own test binary, so no other test shares the process's peak.

use std::process::Command;

use tonearm_media::{Rendition, TranscodeOptions, Transcoder};

const BUDGET_BYTES: u64 = 32 * 1024 * 1024;

fn peak_resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("linux /proc");
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).expect("VmHWM line");
    line.split_whitespace().nth(1).and_then(|kib| kib.parse::<u64>().ok()).expect("VmHWM in kB") * 1024
}

#[test]
fn a_long_track_transcodes_within_the_per_job_memory_budget() {
    tonearm_testkit::require_tool("ffmpeg");
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("five-minutes.wav");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:r=44100:d=300,pan=stereo|c0=c0|c1=c0"])
        .args(["-c:a", "pcm_s16le"])
        .arg(&source)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    assert!(std::fs::metadata(&source).expect("source").len() > BUDGET_BYTES, "the source must outsize the budget");

    let before = peak_resident_bytes();
    let job = Transcoder::open(&source, &Rendition::aac_lc(128), &TranscodeOptions::default()).expect("opens");
    let mut segments = 0;
    let mut bytes = 0;
    for segment in job {
        // Segments are handed on (here: dropped) as they come, as a server stores them.
        bytes += segment.expect("encodes").bytes.len();
        segments += 1;
    }
    let growth = peak_resident_bytes().saturating_sub(before);
    assert_eq!(segments, 51);
    assert!(bytes > 4_000_000, "{bytes} bytes of AAC for 5 minutes at 128 kbps");
    assert!(growth < BUDGET_BYTES, "peak memory grew by {} MiB", growth / (1024 * 1024));
}
