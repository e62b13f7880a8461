//! The fixture library: tracks in every supported format with known tags (Unicode, several
//! artists, a compilation, untagged files, folder art) and broken files with the reason the
//! scan must report. It is generated once per test process and copied into each test's
//! own folder, so tests can add, move and delete files without affecting each other.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lofty::config::WriteOptions;
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::picture::{MimeType, Picture, PictureType};
use lofty::prelude::{Accessor, ItemKey};
use lofty::tag::{ItemValue, Tag, TagItem};
use tempfile::TempDir;

use crate::media::{AudioKind, encode_tone, require_tool};

/// One generated track and the tags written into it (`None` where the file is untagged).
#[derive(Debug, Clone)]
pub struct FixtureTrack {
    pub relative_path: &'static str,
    pub kind: AudioKind,
    pub title: &'static str,
    pub artists: &'static [&'static str],
    pub album: &'static str,
    /// The album artist the catalog must show (tagged, derived or "Various Artists").
    pub album_artist: &'static str,
    pub track_number: Option<u32>,
    pub year: Option<u32>,
    pub genre: Option<&'static str>,
    pub tagged: bool,
    pub tag_album_artist: bool,
    pub compilation: bool,
    pub embedded_cover: bool,
    pub seconds: f64,
}

const fn track(
    relative_path: &'static str,
    kind: AudioKind,
    title: &'static str,
    artists: &'static [&'static str],
    album: &'static str,
    album_artist: &'static str,
    track_number: u32,
) -> FixtureTrack {
    FixtureTrack {
        relative_path,
        kind,
        title,
        artists,
        album,
        album_artist,
        track_number: Some(track_number),
        year: Some(2019),
        genre: Some("Ambient"),
        tagged: true,
        tag_album_artist: true,
        compilation: false,
        embedded_cover: false,
        seconds: 2.0,
    }
}

/// The tracks of the fixture library.
pub fn fixture_tracks() -> Vec<FixtureTrack> {
    use AudioKind::*;
    vec![
        FixtureTrack {
            embedded_cover: true,
            ..track(
                "Aurora Lane/Northern Lights/01 - Polar Night.mp3",
                Mp3,
                "Polar Night",
                &["Aurora Lane"],
                "Northern Lights",
                "Aurora Lane",
                1,
            )
        },
        track(
            "Aurora Lane/Northern Lights/02 - Solar Wind.mp3",
            Mp3Vbr,
            "Solar Wind",
            &["Aurora Lane"],
            "Northern Lights",
            "Aurora Lane",
            2,
        ),
        track(
            "Aurora Lane/Northern Lights/03 - Magnetosphere.m4a",
            AacM4a,
            "Magnetosphere",
            &["Aurora Lane"],
            "Northern Lights",
            "Aurora Lane",
            3,
        ),
        track(
            "Aurora Lane/Northern Lights/04 - Lossless Dawn.m4a",
            AlacM4a,
            "Lossless Dawn",
            &["Aurora Lane"],
            "Northern Lights",
            "Aurora Lane",
            4,
        ),
        FixtureTrack {
            year: Some(2021),
            genre: Some("Électronique"),
            ..track(
                "Björk Ørsted/Ære/01 - Île.flac",
                Flac,
                "Île flottante",
                &["Björk Ørsted"],
                "Ære",
                "Björk Ørsted",
                1,
            )
        },
        FixtureTrack {
            genre: Some("J-Pop"),
            ..track("坂本/東京の夜/01 - 雨の音.ogg", Vorbis, "雨の音", &["坂本 龍"], "東京の夜", "坂本 龍", 1)
        },
        FixtureTrack {
            genre: Some("طرب"),
            ..track("فيروز/أغاني/01 - قمر.opus", Opus, "🎸 قمر", &["فيروز"], "أغاني", "فيروز", 1)
        },
        track(
            "Duo/Together/01 - Two Voices.flac",
            Flac,
            "Two Voices",
            &["Alice Aster", "Bob Birch"],
            "Together",
            "Duo",
            1,
        ),
        FixtureTrack {
            tag_album_artist: false,
            compilation: true,
            genre: Some("Pop"),
            ..track(
                "Various/Summer Hits/01 - Sunny.wav",
                Wav,
                "Sunny",
                &["Sunny Day"],
                "Summer Hits",
                "Various Artists",
                1,
            )
        },
        FixtureTrack {
            tag_album_artist: false,
            compilation: true,
            genre: Some("Pop"),
            ..track(
                "Various/Summer Hits/02 - Breeze.flac",
                Flac,
                "Breeze",
                &["Sea Breeze"],
                "Summer Hits",
                "Various Artists",
                2,
            )
        },
        FixtureTrack {
            tagged: false,
            year: None,
            genre: None,
            ..track(
                "Fallback Artist/Fallback Album/07 - Nameless Song.mp3",
                Mp3,
                "Nameless Song",
                &["Fallback Artist"],
                "Fallback Album",
                "Fallback Artist",
                7,
            )
        },
        track(
            "Aurora Lane/Folder Art/01 - Framed.flac",
            Flac,
            "Framed",
            &["Aurora Lane"],
            "Folder Art",
            "Aurora Lane",
            1,
        ),
    ]
}

/// Broken files and the reason code the scan must report for each.
pub const BROKEN_FILES: [(&str, &str); 6] = [
    ("Broken/dangling.mp3", "unreadable"),
    ("Broken/empty.mp3", "empty_file"),
    ("Broken/garbage.flac", "not_audio"),
    ("Broken/notes.mp3", "not_audio"),
    ("Broken/truncated.wav", "truncated"),
    ("Broken/cut.m4a", "corrupt"),
];

/// The folder holding a cover image beside its (coverless) tracks.
pub const FOLDER_COVER_ALBUM: &str = "Aurora Lane/Folder Art";

/// A private copy of the fixture library in a temporary folder.
pub struct FixtureLibrary {
    dir: TempDir,
    pub tracks: Vec<FixtureTrack>,
}

impl FixtureLibrary {
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path_of(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn track(&self, title: &str) -> &FixtureTrack {
        self.tracks.iter().find(|track| track.title == title).unwrap_or_else(|| panic!("no fixture titled {title}"))
    }
}

/// A fresh copy of the fixture library for one test.
pub fn fixture_library() -> FixtureLibrary {
    static TEMPLATE: OnceLock<TempDir> = OnceLock::new();
    let template = TEMPLATE.get_or_init(build_template);
    let dir = tempfile::Builder::new().prefix("tonearm-library-").tempdir().expect("temporary folder");
    copy_tree(template.path(), dir.path());
    FixtureLibrary { dir, tracks: fixture_tracks() }
}

fn build_template() -> TempDir {
    require_tool("ffmpeg");
    let dir = tempfile::Builder::new().prefix("tonearm-fixtures-").tempdir().expect("temporary folder");
    let cover = cover_jpeg(200, [200, 80, 40]);
    for (index, track) in fixture_tracks().iter().enumerate() {
        let path = dir.path().join(track.relative_path);
        std::fs::create_dir_all(path.parent().expect("has a folder")).expect("create album folder");
        encode_tone(&path, track.kind, track.seconds, 196.0 + 20.0 * index as f64);
        if track.tagged {
            write_tags(&path, track, track.embedded_cover.then_some(cover.as_slice()));
        }
    }
    std::fs::write(dir.path().join(FOLDER_COVER_ALBUM).join("cover.jpg"), cover_jpeg(320, [30, 90, 200]))
        .expect("folder cover");
    write_broken_files(dir.path());
    dir
}

fn write_tags(path: &Path, track: &FixtureTrack, cover: Option<&[u8]>) {
    let mut file =
        lofty::read_from_path(path).unwrap_or_else(|error| panic!("lofty reads {}: {error}", path.display()));
    let mut tag = Tag::new(file.primary_tag_type());
    tag.set_title(track.title.to_owned());
    tag.set_album(track.album.to_owned());
    for artist in track.artists {
        tag.push(TagItem::new(ItemKey::TrackArtist, ItemValue::Text((*artist).to_owned())));
    }
    if track.tag_album_artist {
        tag.insert_text(ItemKey::AlbumArtist, track.album_artist.to_owned());
    }
    if track.compilation {
        tag.insert_text(ItemKey::FlagCompilation, "1".to_owned());
    }
    if let Some(number) = track.track_number {
        tag.set_track(number);
    }
    if let Some(year) = track.year {
        tag.insert_text(ItemKey::RecordingDate, year.to_string());
    }
    if let Some(genre) = track.genre {
        tag.set_genre(genre.to_owned());
    }
    tag.insert_text(ItemKey::MusicBrainzRecordingId, "8f3471b5-7e6a-48da-86a9-c1c07a0f47ae".to_owned());
    tag.insert_text(ItemKey::ReplayGainTrackGain, "-6.50 dB".to_owned());
    if let Some(cover) = cover {
        tag.push_picture(
            Picture::unchecked(cover.to_vec()).pic_type(PictureType::CoverFront).mime_type(MimeType::Jpeg).build(),
        );
    }
    file.insert_tag(tag);
    file.save_to_path(path, WriteOptions::default())
        .unwrap_or_else(|error| panic!("lofty writes {}: {error}", path.display()));
}

fn write_broken_files(root: &Path) {
    let broken = root.join("Broken");
    std::fs::create_dir_all(&broken).expect("broken folder");
    std::fs::write(broken.join("empty.mp3"), b"").expect("write");
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(broken.join("garbage.flac"), garbage).expect("write");
    std::fs::write(broken.join("notes.mp3"), "shopping list: milk, eggs, a better amplifier\n".repeat(50))
        .expect("write");

    // A link to a file that no longer exists (an unmounted drive, a deleted original).
    std::os::unix::fs::symlink("/nonexistent/tonearm/gone.mp3", broken.join("dangling.mp3")).expect("symlink");
    // Hidden files (macOS AppleDouble, partial downloads) are not music and not reported.
    std::fs::write(broken.join("._Polar Night.mp3"), [0u8; 4096]).expect("write");

    let wav = broken.join("full.wav");
    encode_tone(&wav, AudioKind::Wav, 3.0, 440.0);
    let bytes = std::fs::read(&wav).expect("read");
    std::fs::write(broken.join("truncated.wav"), &bytes[..bytes.len() / 2]).expect("write");
    std::fs::remove_file(&wav).expect("remove");

    let m4a = broken.join("full.m4a");
    encode_tone(&m4a, AudioKind::AacM4a, 3.0, 440.0);
    let bytes = std::fs::read(&m4a).expect("read");
    // ffmpeg writes `moov` after the media data: cutting the tail removes the index.
    std::fs::write(broken.join("cut.m4a"), &bytes[..bytes.len() / 3]).expect("write");
    std::fs::remove_file(&m4a).expect("remove");
}

pub(crate) fn cover_jpeg(size: u32, color: [u8; 3]) -> Vec<u8> {
    let image = image::RgbImage::from_fn(size, size, |x, y| {
        let shade = ((x + y) * 255 / (2 * size)) as u8;
        image::Rgb([color[0].saturating_add(shade / 3), color[1], color[2].saturating_sub(shade / 4)])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Jpeg).expect("encode jpeg");
    bytes.into_inner()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        let file_type = entry.file_type().expect("file type");
        if file_type.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).expect("read link"), &target).expect("symlink");
        } else if file_type.is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture");
        }
    }
}

/// Rewrites a file's title tag in place (a listener fixing a typo), changing size and mtime.
pub fn retitle(path: &Path, title: &str) {
    let mut file =
        lofty::read_from_path(path).unwrap_or_else(|error| panic!("lofty reads {}: {error}", path.display()));
    let tag = match file.primary_tag_mut() {
        Some(tag) => tag,
        None => {
            file.insert_tag(Tag::new(file.primary_tag_type()));
            file.primary_tag_mut().expect("just inserted")
        }
    };
    tag.set_title(title.to_owned());
    file.save_to_path(path, WriteOptions::default())
        .unwrap_or_else(|error| panic!("lofty writes {}: {error}", path.display()));
}

/// Writes a new tagged track (the "added while serving" case).
pub fn add_track(
    path: &Path,
    kind: AudioKind,
    title: &'static str,
    artists: &'static [&'static str],
    album: &'static str,
    seconds: f64,
) {
    std::fs::create_dir_all(path.parent().expect("has a folder")).expect("create folder");
    encode_tone(path, kind, seconds, 330.0);
    let album_artist = artists.first().copied().unwrap_or("Unknown Artist");
    write_tags(path, &FixtureTrack { seconds, ..track("", kind, title, artists, album, album_artist, 1) }, None);
}
