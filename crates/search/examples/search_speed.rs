//! Search latency on a generated 100,000-track catalog (issue #5's figure), in-process.
//!
//! `cargo run --release -p tonearm-search --example search_speed [-- TRACKS]`
//!
//! Builds the index in a temporary directory, then times a realistic query mix (words
//! being typed, typos, whole names, accents left out, CJK) through `SearchIndex::search`
//! with typo tolerance on, and as the reference the same texts through tantivy's own
//! `QueryParser` (all words required, no prefixes, no typos) on the same index.

use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tonearm_catalog::{AlbumRef, AlbumSummary, ArtistRef, ArtistSummary, CatalogListing, GenreSummary, TrackSummary};
use tonearm_domain::{AlbumId, ArtistId, AudioFormat, GenreId, TrackId};
use tonearm_search::{Item, Kind, SearchIndex, SearchRequest, SearchText, Unplayed};

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
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
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

fn catalog(tracks: usize, random: &mut Random) -> CatalogListing {
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Typing,
    Typo,
    Exact,
    Unaccented,
    Cjk,
}

const CLASSES: [Class; 5] = [Class::Typing, Class::Typo, Class::Exact, Class::Unaccented, Class::Cjk];

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

fn query_mix(listing: &CatalogListing, count: usize, random: &mut Random) -> Vec<(Class, String)> {
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

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{name:<34} n={:<5} p50 {:>7.3} ms  p99 {:>7.3} ms  mean {:>7.3} ms",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        mean.as_secs_f64() * 1000.0
    );
}

fn main() {
    let tracks: usize = std::env::args().nth(1).and_then(|raw| raw.parse().ok()).unwrap_or(100_000);
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let listing = catalog(tracks, &mut random);
    let queries = query_mix(&listing, 5_000, &mut random);
    let items = Item::all_of(listing);
    let documents = items.len();

    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("search-index");
    let index = SearchIndex::open(&path).expect("index opens");
    let started = Instant::now();
    index.replace_all(items, &Unplayed).expect("index builds");
    println!("indexed {documents} items ({tracks} tracks) in {:.2} s", started.elapsed().as_secs_f64());

    let requests: Vec<(Class, SearchRequest)> = queries
        .iter()
        .map(|(class, text)| {
            let request = SearchRequest {
                text: SearchText::parse(text).expect("valid text"),
                kinds: Kind::ALL.to_vec(),
                limit: 10,
                offset: 0,
                viewer: None,
            };
            (*class, request)
        })
        .collect();
    for (_, request) in requests.iter().take(500) {
        index.search(request).expect("search");
    }
    let mut ours: Vec<(Class, Duration)> = Vec::with_capacity(requests.len());
    let mut empty = 0;
    for (class, request) in &requests {
        let started = Instant::now();
        let results = index.search(request).expect("search");
        ours.push((*class, started.elapsed()));
        empty += usize::from(results.top.is_none());
    }

    // The reference: tantivy's query parser on the same files, all words required.
    let reference_index = tantivy::Index::open_in_dir(&path).expect("reference opens the index");
    reference_index.tokenizers().register(
        "tonearm_words",
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build(),
    );
    let schema = reference_index.schema();
    let fields = ["name", "secondary"].map(|name| schema.get_field(name).expect("field"));
    let mut parser = QueryParser::for_index(&reference_index, fields.to_vec());
    parser.set_conjunction_by_default();
    let searcher = reference_index.reader().expect("reader").searcher();
    let plain = |text: &str| -> String { text.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect() };
    let mut reference: Vec<(Class, Duration)> = Vec::with_capacity(queries.len());
    for (class, text) in &queries {
        let text = plain(text);
        let started = Instant::now();
        let (query, _) = parser.parse_query_lenient(&text);
        searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count)).expect("reference search");
        reference.push((*class, started.elapsed()));
    }

    println!("queries with no result: {empty} of {}", requests.len());
    for (name, timings) in [("tonearm-search (typos on)", &ours), ("reference: QueryParser", &reference)] {
        summary(&format!("{name}, all"), timings.iter().map(|(_, time)| *time).collect());
        for class in CLASSES {
            let times: Vec<Duration> =
                timings.iter().filter(|(query_class, _)| *query_class == class).map(|(_, time)| *time).collect();
            summary(&format!("  {class:?}"), times);
        }
    }
}
