//! Finds the candidate audio files under the library roots.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use crate::IngestError;

/// Extensions the library accepts; anything else (cover images, cue sheets, notes) is not audio.
const AUDIO_EXTENSIONS: [&str; 10] = ["mp3", "m4a", "m4b", "mp4", "aac", "flac", "ogg", "oga", "opus", "wav"];

#[derive(Debug, Clone)]
pub struct FoundFile {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
}

/// A path the walk could not even stat or descend into.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub detail: String,
}

pub fn is_audio_path(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| AUDIO_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(ext)))
}

pub fn mtime_ns(metadata: &std::fs::Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|modified| modified.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| i64::try_from(since.as_nanos()).unwrap_or(i64::MAX))
}

/// Walks every root, following symlinks (libraries are often assembled from links).
pub fn walk(roots: &[PathBuf]) -> Result<(Vec<FoundFile>, Vec<WalkProblem>), IngestError> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for root in roots {
        std::fs::read_dir(root)
            .map_err(|source| IngestError::LibraryUnreadable { path: root.display().to_string(), source })?;
        for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    if is_audio_path(&path)
                        || error.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
                    {
                        problems.push(WalkProblem { path, detail: error.to_string() });
                    }
                    continue;
                }
            };
            // Hidden files are editor, OS ("._" AppleDouble) or partial-download leftovers.
            let hidden = entry.file_name().to_str().is_some_and(|name| name.starts_with('.'));
            if hidden || !entry.file_type().is_file() || !is_audio_path(entry.path()) {
                continue;
            }
            match entry.metadata() {
                Ok(metadata) => found.push(FoundFile {
                    path: entry.into_path(),
                    size: metadata.len(),
                    mtime_ns: mtime_ns(&metadata),
                }),
                Err(error) => problems.push(WalkProblem { path: entry.into_path(), detail: error.to_string() }),
            }
        }
    }
    Ok((found, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangling_links_are_reported_and_hidden_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/nonexistent/tonearm/gone.mp3", dir.path().join("dangling.mp3")).unwrap();
        std::fs::write(dir.path().join("._hidden.mp3"), b"x").unwrap();
        std::fs::write(dir.path().join("song.mp3"), b"x").unwrap();
        std::fs::write(dir.path().join("cover.jpg"), b"x").unwrap();
        let (found, problems) = walk(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = found.iter().map(|file| file.path.file_name().unwrap().to_owned()).collect();
        assert_eq!(names, ["song.mp3"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].path.ends_with("dangling.mp3"));
    }
}
