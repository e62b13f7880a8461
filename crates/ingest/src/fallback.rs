//! Names for files with missing tags, taken from the conventional
//! `Artist/Album/NN - Title.ext` layout, so nothing in the catalog is ever blank.

use std::path::Path;

pub const UNKNOWN_ARTIST: &str = "Unknown Artist";
pub const UNKNOWN_ALBUM: &str = "Unknown Album";

pub struct PathNames {
    pub title: String,
    pub track_number: Option<i32>,
    pub album: String,
    pub artist: String,
}

/// `root` is the library folder the file was found under; folders above it say nothing.
pub fn names_from_path(path: &Path, root: &Path) -> PathNames {
    let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let (track_number, title) = split_track_prefix(&stem);
    let parent = path.parent().filter(|parent| *parent != root && parent.starts_with(root));
    let grandparent = parent.and_then(Path::parent).filter(|dir| *dir != root && dir.starts_with(root));
    let folder_name =
        |dir: Option<&Path>| dir.and_then(Path::file_name).map(|name| name.to_string_lossy().trim().to_owned());
    PathNames {
        title: non_blank(title).unwrap_or_else(|| non_blank(&stem).unwrap_or_else(|| "Untitled".to_owned())),
        track_number,
        album: folder_name(parent).and_then(|name| non_blank(&name)).unwrap_or_else(|| UNKNOWN_ALBUM.to_owned()),
        artist: folder_name(grandparent).and_then(|name| non_blank(&name)).unwrap_or_else(|| UNKNOWN_ARTIST.to_owned()),
    }
}

fn non_blank(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// "03 - Song", "03. Song", "03 Song" → (3, "Song"); anything else is all title.
fn split_track_prefix(stem: &str) -> (Option<i32>, &str) {
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return (None, stem);
    }
    let rest = stem[digits..].trim_start_matches([' ', '-', '.', '_']);
    if rest.is_empty() || rest.len() == stem.len() - digits {
        return (None, stem);
    }
    (stem[..digits].parse().ok(), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_layout_gives_artist_album_title_and_number() {
        let root = Path::new("/music");
        let names = names_from_path(Path::new("/music/Nina Simone/Pastel Blues/03 - Be My Husband.flac"), root);
        assert_eq!(names.artist, "Nina Simone");
        assert_eq!(names.album, "Pastel Blues");
        assert_eq!(names.title, "Be My Husband");
        assert_eq!(names.track_number, Some(3));
    }

    #[test]
    fn files_at_the_root_get_unknown_names_not_blanks() {
        let names = names_from_path(Path::new("/music/1999.mp3"), Path::new("/music"));
        assert_eq!(names.title, "1999");
        assert_eq!(names.track_number, None);
        assert_eq!(names.album, UNKNOWN_ALBUM);
        assert_eq!(names.artist, UNKNOWN_ARTIST);
    }
}
