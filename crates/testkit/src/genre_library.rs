//! A small library shaped for the recommender's tests: a few genres, each with its own
//! artists and albums, every track tagged with its genre and carrying its own audio (its
//! own chord), so no two tracks share a fingerprint.

use std::path::{Path, PathBuf};

use lofty::config::WriteOptions;
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::prelude::{Accessor, ItemKey};
use lofty::tag::Tag;

use crate::fixtures::cover_jpeg;
use crate::media::{AudioKind, encode_tone, require_tool};

/// One generated track and its tags.
#[derive(Debug, Clone)]
pub struct GenreTrack {
    pub path: PathBuf,
    pub title: String,
    pub artist: String,
    pub album: String,
    pub genre: String,
}

/// Writes `artists_per_genre` artists per genre, each with one album of `tracks_per_artist`
/// one-second MP3 tracks and a `cover.jpg`, under `root/Genres`. Titles are `"<genre> <artist n> song <t>"`.
pub fn genre_library(
    root: &Path,
    genres: &[&str],
    artists_per_genre: usize,
    tracks_per_artist: usize,
) -> Vec<GenreTrack> {
    require_tool("ffmpeg");
    let mut tracks = Vec::new();
    for (genre_index, genre) in genres.iter().enumerate() {
        for artist_number in 1..=artists_per_genre {
            let artist = format!("{genre} Artist {artist_number}");
            let album = format!("{genre} Album {artist_number}");
            let folder = root.join("Genres").join(&artist);
            std::fs::create_dir_all(&folder).expect("create genre folder");
            // Each album its own colour, so mosaics and cards have real covers to show.
            let shade = (37 * (genre_index * artists_per_genre + artist_number) % 256) as u8;
            std::fs::write(folder.join("cover.jpg"), cover_jpeg(160, [shade, 255 - shade, 120])).expect("write cover");
            for track_number in 1..=tracks_per_artist {
                let title = format!("{genre} {artist_number} song {track_number}");
                let path = folder.join(format!("{track_number:02} {title}.mp3"));
                let ordinal = (genre_index * artists_per_genre + artist_number) * tracks_per_artist + track_number;
                encode_tone(&path, AudioKind::Mp3, 1.0, 110.0 + 7.0 * ordinal as f64);
                tag(&path, &title, &artist, &album, genre, track_number as u32);
                tracks.push(GenreTrack {
                    path,
                    title,
                    artist: artist.clone(),
                    album: album.clone(),
                    genre: (*genre).to_owned(),
                });
            }
        }
    }
    tracks
}

fn tag(path: &Path, title: &str, artist: &str, album: &str, genre: &str, number: u32) {
    let mut file =
        lofty::read_from_path(path).unwrap_or_else(|error| panic!("lofty reads {}: {error}", path.display()));
    let mut tag = Tag::new(file.primary_tag_type());
    tag.set_title(title.to_owned());
    tag.set_artist(artist.to_owned());
    tag.insert_text(ItemKey::AlbumArtist, artist.to_owned());
    tag.set_album(album.to_owned());
    tag.set_genre(genre.to_owned());
    tag.set_track(number);
    tag.insert_text(ItemKey::RecordingDate, "2020".to_owned());
    file.insert_tag(tag);
    file.save_to_path(path, WriteOptions::default())
        .unwrap_or_else(|error| panic!("lofty writes {}: {error}", path.display()));
}
