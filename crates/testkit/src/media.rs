//! Real media made by real tools: ffmpeg encodes, so what the server reads is what
//! listeners' files look like.

use std::path::Path;
use std::process::Command;

/// The encodings fixtures are made in; each maps to an ffmpeg codec and container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioKind {
    Mp3,
    /// MP3 with a Xing header (VBR), as LAME writes by default.
    Mp3Vbr,
    AacM4a,
    AlacM4a,
    Flac,
    Vorbis,
    Opus,
    Wav,
}

impl AudioKind {
    pub const ALL: [AudioKind; 8] =
        [Self::Mp3, Self::Mp3Vbr, Self::AacM4a, Self::AlacM4a, Self::Flac, Self::Vorbis, Self::Opus, Self::Wav];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Mp3 | Self::Mp3Vbr => "mp3",
            Self::AacM4a | Self::AlacM4a => "m4a",
            Self::Flac => "flac",
            Self::Vorbis => "ogg",
            Self::Opus => "opus",
            Self::Wav => "wav",
        }
    }

    /// The format name the catalog API reports for it.
    pub fn catalog_format(self) -> &'static str {
        match self {
            Self::Mp3 | Self::Mp3Vbr => "mp3",
            Self::AacM4a => "aac",
            Self::AlacM4a => "alac",
            Self::Flac => "flac",
            Self::Vorbis => "vorbis",
            Self::Opus => "opus",
            Self::Wav => "wav",
        }
    }

    fn codec_args(self) -> &'static [&'static str] {
        match self {
            Self::Mp3 => &["-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0"],
            Self::Mp3Vbr => &["-c:a", "libmp3lame", "-q:a", "4"],
            Self::AacM4a => &["-c:a", "aac", "-b:a", "128k"],
            Self::AlacM4a => &["-c:a", "alac"],
            Self::Flac => &["-c:a", "flac"],
            Self::Vorbis => &["-c:a", "libvorbis", "-q:a", "3"],
            Self::Opus => &["-c:a", "libopus", "-b:a", "96k"],
            Self::Wav => &["-c:a", "pcm_s16le"],
        }
    }
}

/// Panics with a clear message when a tool the suite needs is missing.
pub fn require_tool(name: &str) {
    let found = Command::new(name).arg("-version").output().is_ok_and(|output| output.status.success());
    assert!(found, "`{name}` is required by this test (install Debian's ffmpeg package)");
}

/// Encodes `seconds` of a three-note chord (root `frequency`) into `path`, untagged.
pub fn encode_tone(path: &Path, kind: AudioKind, seconds: f64, frequency: f64) {
    let chord = format!(
        "aevalsrc=0.2*sin(2*PI*{f}*t)+0.15*sin(2*PI*{third}*t)+0.12*sin(2*PI*{fifth}*t)|0.2*sin(2*PI*{f}*t)+0.1*sin(2*PI*{fifth}*t):s=44100:d={seconds}",
        f = frequency,
        third = frequency * 1.26,
        fifth = frequency * 1.5,
    );
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", &chord])
        .args(kind.codec_args())
        .args(["-map_metadata", "-1"])
        .arg(path)
        .output()
        .expect("ffmpeg runs");
    assert!(
        output.status.success(),
        "ffmpeg failed for {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
