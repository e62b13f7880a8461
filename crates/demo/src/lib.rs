//! The demo library: synthesized music (chords, melody, bass, drums) encoded by the
//! binary's own encoders (FLAC, MP3, WAV), fully tagged, with generated cover art.
//! Deterministic from a seed, and idempotent: a second run reuses what exists.

mod cover;
mod encode;
mod plan;
mod synth;
mod tags;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use plan::{LibrarySpec, SongPlan, TrackPlan, plan_library};
pub use synth::synthesize;

pub const SAMPLE_RATE: u32 = 44_100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemoFormat {
    Flac,
    Mp3,
    Wav,
}

impl DemoFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Flac => "flac",
            Self::Mp3 => "mp3",
            Self::Wav => "wav",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot write {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("encoding failed: {0}")]
    Encode(String),
    #[error("cannot tag {path}: {detail}")]
    Tags { path: String, detail: String },
}

/// A track of the generated library.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedTrack {
    pub path: PathBuf,
    pub plan: TrackPlan,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedLibrary {
    pub root: PathBuf,
    pub tracks: Vec<GeneratedTrack>,
    /// Files that already existed and were kept.
    pub reused: usize,
    /// Files written by this run.
    pub written: usize,
}

/// Generates (or completes) the library under `root`, one encoding thread per core.
pub fn generate_library(root: &Path, spec: &LibrarySpec) -> Result<GeneratedLibrary, DemoError> {
    let tracks: Vec<GeneratedTrack> = plan_library(spec)
        .into_iter()
        .map(|plan| GeneratedTrack { path: root.join(relative_path(&plan)), plan })
        .collect();
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let first_error: Mutex<Option<DemoError>> = Mutex::new(None);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(track) = tracks.get(next.fetch_add(1, Ordering::Relaxed)) {
                    match write_track(track) {
                        Ok(true) => {
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(false) => {}
                        Err(error) => {
                            first_error.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(error);
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(error) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(error);
    }
    let written = written.into_inner();
    Ok(GeneratedLibrary { root: root.to_path_buf(), reused: tracks.len() - written, written, tracks })
}

/// `Album Artist/Year - Album/NN - Title.ext`, with characters file systems reject replaced.
fn relative_path(track: &TrackPlan) -> PathBuf {
    let clean = |name: &str| -> String {
        name.chars()
            .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0') { '_' } else { c })
            .collect()
    };
    PathBuf::from(clean(&track.album_artist)).join(format!("{} - {}", track.year, clean(&track.album))).join(format!(
        "{:02} - {}.{}",
        track.track_number,
        clean(&track.title),
        track.format.extension()
    ))
}

/// Writes one track unless it exists; `Ok(true)` when it was written.
fn write_track(track: &GeneratedTrack) -> Result<bool, DemoError> {
    if std::fs::metadata(&track.path).is_ok_and(|metadata| metadata.len() > 0) && !needs_rewrite(track) {
        return Ok(false);
    }
    let folder = track.path.parent().expect("tracks live in album folders");
    std::fs::create_dir_all(folder).map_err(|source| io_error(folder, source))?;
    let cover = cover::cover_jpeg(track.plan.album_index as u64 + 1)?;
    // Odd albums keep their art beside the tracks instead of inside them.
    let embed_cover = track.plan.album_index.is_multiple_of(2);
    if !embed_cover {
        let cover_path = folder.join("cover.jpg");
        if !cover_path.exists() {
            write_atomically(&cover_path, &cover)?;
        }
    }
    let samples = synth::to_i16(&synthesize(&track.plan.song, SAMPLE_RATE));
    let bytes = match track.plan.format {
        DemoFormat::Flac => encode::flac(&samples, SAMPLE_RATE)?,
        DemoFormat::Mp3 => encode::mp3(&samples, SAMPLE_RATE)?,
        DemoFormat::Wav => encode::wav(&samples, SAMPLE_RATE)?,
    };
    // Tag a temporary sibling (same extension, so lofty knows the format), then rename:
    // an interrupted run never leaves a half-written track behind.
    let temporary = folder.join(format!(".partial-{}", track.path.file_name().expect("a file name").to_string_lossy()));
    std::fs::write(&temporary, &bytes).map_err(|source| io_error(&temporary, source))?;
    tags::write_tags(&temporary, &track.plan, embed_cover.then_some(cover.as_slice()))?;
    std::fs::rename(&temporary, &track.path).map_err(|source| io_error(&track.path, source))?;
    Ok(true)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DemoError> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|source| io_error(path, source))
}

/// A FLAC track written before its STREAMINFO was corrected (`encode::has_nonconforming_streaminfo`).
fn needs_rewrite(track: &GeneratedTrack) -> bool {
    let mut head = [0_u8; 12];
    track.plan.format == DemoFormat::Flac
        && std::fs::File::open(&track.path).and_then(|mut file| std::io::Read::read_exact(&mut file, &mut head)).is_ok()
        && encode::has_nonconforming_streaminfo(&head)
}

fn io_error(path: &Path, source: std::io::Error) -> DemoError {
    DemoError::Io { path: path.display().to_string(), source }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use lofty::file::{AudioFile, TaggedFileExt};
    use lofty::prelude::{Accessor, ItemKey};

    use super::*;

    #[test]
    fn tiny_library_round_trips_tags_and_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let library = generate_library(dir.path(), &LibrarySpec::tiny()).unwrap();
        assert_eq!(library.written, library.tracks.len());
        let formats: HashSet<DemoFormat> = library.tracks.iter().map(|t| t.plan.format).collect();
        assert!(formats.contains(&DemoFormat::Flac) && formats.contains(&DemoFormat::Mp3));

        for track in &library.tracks {
            let file = lofty::read_from_path(&track.path).unwrap();
            let tag = file.primary_tag().or_else(|| file.first_tag()).expect("tagged");
            assert_eq!(tag.title().as_deref(), Some(track.plan.title.as_str()));
            assert_eq!(tag.album().as_deref(), Some(track.plan.album.as_str()));
            assert_eq!(tag.get_string(ItemKey::AlbumArtist), Some(track.plan.album_artist.as_str()));
            let artists: Vec<String> =
                tag.get_strings(ItemKey::TrackArtist).flat_map(|v| v.split('\0')).map(str::to_owned).collect();
            assert_eq!(artists, track.plan.artists, "{}", track.path.display());
            assert_eq!(tag.track(), Some(track.plan.track_number));
            let duration = file.properties().duration().as_secs_f64();
            assert!((duration - track.plan.song.seconds).abs() < 0.2, "{duration} vs {}", track.plan.song.seconds);
        }
        assert!(library.tracks.iter().any(|t| t.plan.artists.len() == 2), "the duet is in the tiny library");

        let again = generate_library(dir.path(), &LibrarySpec::tiny()).unwrap();
        assert_eq!((again.written, again.reused), (0, library.tracks.len()));
    }
}
