//! The demo catalog, derived deterministically from a seed: artists, albums, tracks, and
//! the musical parameters each track is synthesized from.

use crate::DemoFormat;

/// A small deterministic PRNG (splitmix64): the same seed always plans the same library.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The size of library to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrarySpec {
    pub albums: usize,
    pub tracks_per_album: usize,
    pub min_seconds: u32,
    pub max_seconds: u32,
    pub seed: u64,
}

impl LibrarySpec {
    /// What `tonearm demo` serves: 11 albums of 4 tracks, 30–120 s each.
    pub fn demo() -> Self {
        Self {
            albums: ARTISTS.len() + 1,
            tracks_per_album: 4,
            min_seconds: 30,
            max_seconds: 120,
            seed: 0x70_6e_65_61_72_6d,
        }
    }

    /// A few seconds of audio per track, for tests.
    pub fn tiny() -> Self {
        Self { albums: 3, tracks_per_album: 2, min_seconds: 2, max_seconds: 3, seed: 7 }
    }
}

struct ArtistSeed {
    name: &'static str,
    genre: &'static str,
    albums: &'static [&'static str],
    titles: &'static [&'static str],
}

const ARTISTS: [ArtistSeed; 10] = [
    ArtistSeed {
        name: "Aurora Lane",
        genre: "Ambient",
        albums: &["Northern Lights"],
        titles: &["Polar Night", "Solar Wind", "Magnetosphere", "Slow Glow", "Ice Halo"],
    },
    ArtistSeed {
        name: "The Copper Kettles",
        genre: "Folk",
        albums: &["Kitchen Songs"],
        titles: &["Whistle On", "Tea for the Road", "Oak and Ember", "Steam Ballad", "Porch Light"],
    },
    ArtistSeed {
        name: "Zoë Ångström",
        genre: "Electronic",
        albums: &["Fjärran"],
        titles: &["Älvdans", "Midnattssol", "Ström", "Glaciär", "Öde"],
    },
    ArtistSeed {
        name: "坂本 みどり",
        genre: "J-Pop",
        albums: &["東京の夜"],
        titles: &["夜明けの街", "雨のあと", "星の手紙", "青い電車", "さよなら夏"],
    },
    ArtistSeed {
        name: "Los Relámpagos",
        genre: "Latin",
        albums: &["Corazón de Trueno"],
        titles: &["Canción del Sur", "Bailando Sola", "Mañana", "Río Dorado", "Fuego Lento"],
    },
    ArtistSeed {
        name: "Nightjar Quartet",
        genre: "Jazz",
        albums: &["Blue Hours"],
        titles: &["Late Set", "Brushes", "Minor Detour", "Smoke Rings", "Last Call"],
    },
    ArtistSeed {
        name: "فرقة القمر",
        genre: "World",
        albums: &["ليالي"],
        titles: &["ليلة هادئة", "نسيم", "قمر الصحراء", "طريق", "فجر"],
    },
    ArtistSeed {
        name: "Pixel Harbor 🌊",
        genre: "Electronic",
        albums: &["8-Bit Tides"],
        titles: &["Save Point", "Lighthouse.exe", "Coin Drop", "Tidal Sprite", "Game Over, Sailor"],
    },
    ArtistSeed {
        name: "Maya Okonkwo",
        genre: "Soul",
        albums: &["Golden Hour"],
        titles: &["Honey", "Slow Burn", "Sunday Best", "Velvet", "Homecoming"],
    },
    ArtistSeed {
        name: "Grey Static",
        genre: "Rock",
        albums: &["Feedback Loop"],
        titles: &["Overdrive", "Concrete Sky", "Amp Hum", "Loose Wires", "Encore"],
    },
];

pub const VARIOUS_ARTISTS: &str = "Various Artists";
const COMPILATION_TITLE: &str = "Tonearm Sampler, Vol. 1";
/// Chord progressions in scale degrees (0-based), one chord per bar.
const PROGRESSIONS: [[usize; 4]; 4] = [[0, 4, 5, 3], [0, 5, 3, 4], [5, 3, 0, 4], [0, 3, 4, 3]];

/// Everything needed to synthesize one track.
#[derive(Debug, Clone, PartialEq)]
pub struct SongPlan {
    pub seconds: f64,
    /// MIDI note of the key's root.
    pub root_note: u8,
    pub minor: bool,
    pub tempo_bpm: f32,
    pub progression: [usize; 4],
    pub seed: u64,
    /// 0 = soft pads, 1 = bright, plucky.
    pub brightness: f32,
    pub drums: bool,
}

/// One planned track, with its place in the library.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackPlan {
    pub title: String,
    pub artists: Vec<String>,
    pub album: String,
    pub album_artist: String,
    pub genre: String,
    pub year: u32,
    pub track_number: u32,
    pub track_total: u32,
    pub format: DemoFormat,
    pub song: SongPlan,
    pub album_index: usize,
}

/// Plans the whole library: one album per artist (cycling when more albums are asked
/// for), then a compilation with tracks by several artists.
pub fn plan_library(spec: &LibrarySpec) -> Vec<TrackPlan> {
    let mut rng = Rng::new(spec.seed);
    let mut tracks = Vec::new();
    let formats = [DemoFormat::Flac, DemoFormat::Mp3, DemoFormat::Flac, DemoFormat::Mp3, DemoFormat::Wav];
    let own_albums = spec.albums.saturating_sub(1).max(1);
    for album_index in 0..own_albums {
        let artist = &ARTISTS[album_index % ARTISTS.len()];
        let album = artist.albums[0].to_owned();
        let format = formats[album_index % formats.len()];
        let year = 1998 + rng.below(27) as u32;
        for number in 0..spec.tracks_per_album {
            let mut artists = vec![artist.name.to_owned()];
            // One duet: a second, separately tagged artist on a track.
            if album_index == 1 && number == 1 {
                artists.push(ARTISTS[ARTISTS.len() - 1].name.to_owned());
            }
            tracks.push(TrackPlan {
                title: artist.titles[number % artist.titles.len()].to_owned(),
                artists,
                album: album.clone(),
                album_artist: artist.name.to_owned(),
                genre: artist.genre.to_owned(),
                year,
                track_number: number as u32 + 1,
                track_total: spec.tracks_per_album as u32,
                format,
                song: plan_song(&mut rng, spec, artist.genre),
                album_index,
            });
        }
    }
    if spec.albums > 1 {
        let year = 2024;
        for number in 0..spec.tracks_per_album {
            let artist = &ARTISTS[(number * 3 + 1) % ARTISTS.len()];
            tracks.push(TrackPlan {
                title: format!("{} (Sampler Edit)", artist.titles[4 % artist.titles.len()]),
                artists: vec![artist.name.to_owned()],
                album: COMPILATION_TITLE.to_owned(),
                album_artist: VARIOUS_ARTISTS.to_owned(),
                genre: artist.genre.to_owned(),
                year,
                track_number: number as u32 + 1,
                track_total: spec.tracks_per_album as u32,
                format: formats[number % 2],
                song: plan_song(&mut rng, spec, artist.genre),
                album_index: own_albums,
            });
        }
    }
    tracks
}

fn plan_song(rng: &mut Rng, spec: &LibrarySpec, genre: &str) -> SongPlan {
    let span = u64::from(spec.max_seconds.saturating_sub(spec.min_seconds)) + 1;
    let calm = matches!(genre, "Ambient" | "Jazz" | "Soul" | "World");
    SongPlan {
        seconds: f64::from(spec.min_seconds) + rng.below(span) as f64,
        root_note: 45 + rng.below(12) as u8,
        minor: rng.below(3) == 0,
        tempo_bpm: if calm { 72.0 + rng.below(30) as f32 } else { 100.0 + rng.below(40) as f32 },
        progression: *rng.pick(&PROGRESSIONS),
        seed: rng.next_u64(),
        brightness: if calm { 0.2 + rng.unit() * 0.3 } else { 0.5 + rng.unit() * 0.5 },
        drums: genre != "Ambient",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_demo_plan_meets_the_catalog_minimums() {
        let tracks = plan_library(&LibrarySpec::demo());
        assert!(tracks.len() >= 40);
        let artists: HashSet<&str> = tracks.iter().flat_map(|t| t.artists.iter().map(String::as_str)).collect();
        assert!(artists.len() >= 8);
        let albums: HashSet<&str> = tracks.iter().map(|t| t.album.as_str()).collect();
        assert!(albums.len() >= 10);
        let genres: HashSet<&str> = tracks.iter().map(|t| t.genre.as_str()).collect();
        assert!(genres.len() >= 5);
        let formats: HashSet<DemoFormat> = tracks.iter().map(|t| t.format).collect();
        assert_eq!(formats.len(), 3);
        assert!(tracks.iter().all(|t| (30.0..=120.0).contains(&t.song.seconds)));
        assert!(tracks.iter().any(|t| t.artists.len() > 1), "a multi-artist track");
        assert!(tracks.iter().any(|t| t.album_artist == VARIOUS_ARTISTS), "a compilation");
    }

    #[test]
    fn the_same_seed_plans_the_same_library() {
        assert_eq!(plan_library(&LibrarySpec::demo()), plan_library(&LibrarySpec::demo()));
    }
}
