//! Generates the benchmark library: `cargo run --release -p tonearm-testkit --example
//! bench_library -- DIR [TRACKS]`. Five source encodings (MP3 with and without a Xing
//! header, FLAC, AAC in M4A, Ogg Vorbis) are made once with ffmpeg, then copied and
//! tagged with unique titles, artists and albums: a 10,000-track library in seconds.

use std::path::{Path, PathBuf};

use lofty::config::WriteOptions;
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::prelude::{Accessor, ItemKey};
use lofty::tag::Tag;
use tonearm_testkit::{AudioKind, encode_tone, require_tool};

const KINDS: [AudioKind; 5] =
    [AudioKind::Mp3, AudioKind::Mp3Vbr, AudioKind::Flac, AudioKind::AacM4a, AudioKind::Vorbis];
const TRACKS_PER_ALBUM: usize = 10;
const ALBUMS_PER_ARTIST: usize = 4;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: bench_library DIR [TRACKS]"));
    let tracks: usize = args.next().map_or(10_000, |n| n.parse().expect("TRACKS is a number"));
    require_tool("ffmpeg");
    let sources = root.join(".sources");
    std::fs::create_dir_all(&sources).expect("create the library folder");
    let templates: Vec<PathBuf> = KINDS
        .iter()
        .enumerate()
        .map(|(index, kind)| {
            let path = sources.join(format!("source-{index}.{}", kind.extension()));
            if !path.exists() {
                encode_tone(&path, *kind, 20.0, 220.0 + 30.0 * index as f64);
            }
            path
        })
        .collect();
    for index in 0..tracks {
        let album = index / TRACKS_PER_ALBUM;
        let artist = album / ALBUMS_PER_ARTIST;
        let template = &templates[index % templates.len()];
        let extension = template.extension().and_then(|e| e.to_str()).expect("an extension");
        let path = root
            .join(format!("Artist {artist:04}"))
            .join(format!("Album {album:05}"))
            .join(format!("{:02} - Track {index:06}.{extension}", index % TRACKS_PER_ALBUM + 1));
        if path.exists() {
            continue;
        }
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create album folder");
        std::fs::copy(template, &path).expect("copy the source file");
        tag(&path, index, artist, album);
    }
    println!("{tracks} tracks in {}", root.display());
}

fn tag(path: &Path, index: usize, artist: usize, album: usize) {
    let mut file = lofty::read_from_path(path).expect("lofty reads the copy");
    let mut tag = Tag::new(file.primary_tag_type());
    tag.set_title(format!("Track {index:06}"));
    tag.set_artist(format!("Artist {artist:04}"));
    tag.insert_text(ItemKey::AlbumArtist, format!("Artist {artist:04}"));
    tag.set_album(format!("Album {album:05}"));
    tag.set_track((index % TRACKS_PER_ALBUM + 1) as u32);
    tag.set_genre(["Rock", "Jazz", "Ambient", "Folk", "Soul", "Electronic"][album % 6].to_owned());
    tag.insert_text(ItemKey::RecordingDate, (1970 + album % 55).to_string());
    file.insert_tag(tag);
    file.save_to_path(path, WriteOptions::default()).expect("lofty writes the tags");
}
