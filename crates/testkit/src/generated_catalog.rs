//! A generated catalog for benchmarks: 100,000 tracks take a second, not hours of audio
//! files. Names are drawn from an English word list with accented words (`café`,
//! `smørrebrød`) and, one in twenty, CJK; the query mix is drawn from the catalog: a title
//! being typed, titles with one slip, whole names, accented titles typed without accents,
//! two CJK characters. Deterministic: the same every run.

use tonearm_domain::{AlbumId, ArtistId, AudioFormat, GenreId, TrackId};
use tonearm_model::{AlbumRef, AlbumSummary, ArtistRef, ArtistSummary, CatalogListing, GenreSummary, TrackSummary};

const WORDS: &[&str] = &[
    "midnight",
    "river",
    "golden",
    "shadow",
    "electric",
    "dream",
    "summer",
    "winter",
    "heart",
    "fire",
    "ocean",
    "silver",
    "wild",
    "blue",
    "velvet",
    "thunder",
    "paper",
    "glass",
    "neon",
    "echo",
    "city",
    "light",
    "rain",
    "morning",
    "stranger",
    "highway",
    "garden",
    "mirror",
    "ghost",
    "honey",
    "crystal",
    "desert",
    "storm",
    "satellite",
    "harbor",
    "lullaby",
    "carnival",
    "avalanche",
    "horizon",
    "wonder",
    "machine",
    "orchid",
    "signal",
    "kingdom",
    "rebel",
    "static",
    "parade",
    "lantern",
    "voyage",
    "canyon",
    "feather",
    "gravity",
    "hollow",
    "jupiter",
    "karma",
    "lemonade",
    "marble",
    "nocturne",
    "oracle",
    "phantom",
    "quartz",
    "riddle",
    "saffron",
    "tangerine",
    "umbrella",
    "vertigo",
    "whisper",
    "xylophone",
    "yesterday",
    "zephyr",
    "anthem",
    "ballad",
    "cascade",
    "dynamite",
    "ember",
    "fable",
    "galaxy",
    "harmony",
    "island",
    "jasmine",
    "kaleidoscope",
    "lighthouse",
    "café",
    "été",
    "señor",
    "über",
    "fjörd",
    "naïve",
    "déjà",
    "mañana",
    "coração",
    "smørrebrød",
    "élan",
    "rêverie",
    "château",
    "piñata",
    "garçon",
    "jalapeño",
    "müller",
    "crème",
    "façade",
    "öresund",
    "björk",
    "ångström",
];

const CJK_WORDS: &[&str] = &[
    "東京",
    "夜",
    "雨",
    "音",
    "愛",
    "花火",
    "さくら",
    "海",
    "空",
    "夢",
    "光",
    "風",
    "星",
    "心",
    "사랑",
    "하늘",
    "바다",
    "青春",
    "月光",
    "ありがとう",
    "未来",
    "桜",
    "秋",
    "冬",
    "歌",
];

/// A small deterministic generator: the catalog and the query mix are the same every run.
pub struct Random(pub u64);

impl Random {
    fn next_u64(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    pub fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

fn capitalized(word: &str) -> String {
    let mut characters = word.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

/// One to `most_words` words, one time in twenty CJK.
fn phrase(random: &mut Random, most_words: usize) -> String {
    let words = 1 + random.below(most_words);
    if random.below(20) == 0 {
        return (0..words.min(2)).map(|_| random.pick(CJK_WORDS)).collect::<Vec<_>>().join("");
    }
    (0..words).map(|_| capitalized(random.pick(WORDS))).collect::<Vec<_>>().join(" ")
}

/// Artists (one per 20 tracks), albums (one per 10) and tracks, plus ten genres.
pub fn catalog(tracks: usize, random: &mut Random) -> CatalogListing {
    let artist_count = (tracks / 20).max(1);
    let album_count = (tracks / 10).max(1);
    let artists: Vec<ArtistSummary> = (0..artist_count)
        .map(|index| ArtistSummary {
            id: ArtistId(index as i64 + 1),
            name: if random.below(5) == 0 { format!("The {}", phrase(random, 1)) } else { phrase(random, 2) },
            album_count: 2,
            track_count: 20,
            cover_id: None,
            musicbrainz_id: None,
            added_at: 0,
        })
        .collect();
    let albums: Vec<AlbumSummary> = (0..album_count)
        .map(|index| {
            let artist = &artists[index % artists.len()];
            AlbumSummary {
                id: AlbumId(index as i64 + 1),
                title: phrase(random, 3),
                artist: ArtistRef { id: artist.id, name: artist.name.clone() },
                year: Some(1960 + random.below(65) as i32),
                track_count: 10,
                duration_ms: 2_400_000,
                cover_id: None,
                is_compilation: false,
                premium_only: false,
                added_at: 0,
            }
        })
        .collect();
    let tracks: Vec<TrackSummary> = (0..tracks)
        .map(|index| {
            let album = &albums[index % albums.len()];
            TrackSummary {
                id: TrackId(index as i64 + 1),
                title: phrase(random, 4),
                artists: vec![album.artist.clone()],
                album: AlbumRef { id: album.id, title: album.title.clone() },
                album_artist: album.artist.clone(),
                track_number: Some((index % 10) as i32 + 1),
                disc_number: None,
                year: album.year,
                duration_ms: 240_000,
                format: AudioFormat::Flac,
                cover_id: None,
                premium_only: false,
                added_at: 0,
            }
        })
        .collect();
    let genres = ["Rock", "Jazz", "Électronique", "Hip-Hop", "J-Pop", "K-Pop", "Ambient", "Folk", "Soul", "Metal"]
        .iter()
        .enumerate()
        .map(|(index, name)| GenreSummary {
            id: GenreId(index as i64 + 1),
            name: (*name).to_owned(),
            album_count: 100,
            track_count: 1000,
        })
        .collect();
    CatalogListing { artists, albums, tracks, genres }
}

/// What a query of the mix stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Class {
    Typing,
    Typo,
    Exact,
    Unaccented,
    Cjk,
}

/// The classes in the order the mix cycles through them.
pub const CLASSES: [Class; 5] = [Class::Typing, Class::Typo, Class::Exact, Class::Unaccented, Class::Cjk];

/// One slip: a swapped, dropped or doubled letter inside a word of 5 or more.
fn with_typo(word: &str, random: &mut Random) -> String {
    let mut characters: Vec<char> = word.chars().collect();
    let at = 1 + random.below(characters.len() - 2);
    match random.below(3) {
        0 => characters.swap(at, at + 1),
        1 => {
            characters.remove(at);
        }
        _ => characters.insert(at, characters[at]),
    }
    characters.into_iter().collect()
}

/// `count` queries, the classes in turn.
pub fn query_mix(listing: &CatalogListing, count: usize, random: &mut Random) -> Vec<(Class, String)> {
    let latin_titles: Vec<&str> =
        listing.tracks.iter().map(|t| t.title.as_str()).filter(|title| title.is_ascii()).collect();
    let accented_titles: Vec<&str> = listing
        .tracks
        .iter()
        .map(|t| t.title.as_str())
        .filter(|title| !title.is_ascii() && title.contains(char::is_alphabetic) && title.contains(' '))
        .filter(|title| !title.chars().any(|c| c as u32 >= 0x1100))
        .collect();
    let cjk_titles: Vec<&str> = listing
        .tracks
        .iter()
        .map(|t| t.title.as_str())
        .filter(|title| title.chars().any(|c| c as u32 >= 0x3040))
        .collect();
    (0..count)
        .map(|index| {
            let class = CLASSES[index % CLASSES.len()];
            let text = match class {
                Class::Typing => {
                    // A title typed up to the middle of a word, with its artist first half the time.
                    let track = &listing.tracks[random.below(listing.tracks.len())];
                    let words: Vec<&str> = track.title.split(' ').collect();
                    let typed = random.below(words.len());
                    let partial: String = words[typed].chars().take(1 + random.below(4)).collect();
                    let mut text = words[..typed].join(" ");
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&partial);
                    if random.below(2) == 0 { format!("{} {text}", track.artists[0].name) } else { text }
                }
                Class::Typo => {
                    let title = latin_titles[random.below(latin_titles.len())];
                    title
                        .split(' ')
                        .map(|word| if word.len() >= 5 { with_typo(word, random) } else { word.to_owned() })
                        .collect::<Vec<_>>()
                        .join(" ")
                        + " "
                }
                Class::Exact => {
                    if random.below(2) == 0 {
                        listing.artists[random.below(listing.artists.len())].name.clone()
                    } else {
                        latin_titles[random.below(latin_titles.len())].to_owned()
                    }
                }
                Class::Unaccented => accented_titles[random.below(accented_titles.len())]
                    .chars()
                    .map(|c| match c {
                        'é' | 'è' | 'ê' | 'É' => 'e',
                        'ñ' => 'n',
                        'ü' | 'Ü' => 'u',
                        'ö' | 'ø' | 'Ö' => 'o',
                        'ï' => 'i',
                        'à' | 'â' | 'å' | 'Å' => 'a',
                        'ç' => 'c',
                        'ã' => 'a',
                        other => other,
                    })
                    .collect(),
                Class::Cjk => {
                    let title = cjk_titles[random.below(cjk_titles.len())];
                    title.chars().take(2).collect()
                }
            };
            (class, text)
        })
        .collect()
}
