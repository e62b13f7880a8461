//! Search latency on a generated 100,000-track catalog (issue #5's figure), in-process.
//!
//! `cargo run --release -p tonearm-search --example search_speed [-- TRACKS]`
//!
//! The catalog and the query mix come from `tonearm_testkit::generated_catalog`. Builds the index in a temporary directory, then times a realistic query mix (words
//! being typed, typos, whole names, accents left out, CJK) through `SearchIndex::search`
//! with typo tolerance on, and as the reference the same texts through tantivy's own
//! `QueryParser` (all words required, no prefixes, no typos) on the same index.
//!
//! The warm-up uses texts of its own, so the timed mix meets an empty answer cache (texts
//! repeated within the mix are answered from it, as they would be in service); a second
//! pass over the same mix then times answers read back from the cache.

use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tonearm_search::{Item, Kind, SearchIndex, SearchRequest, SearchText, Unplayed};
use tonearm_testkit::generated_catalog::{CLASSES, Class, Random, catalog, query_mix};

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
    let warm_up = query_mix(&listing, 500, &mut random);
    let items = Item::all_of(listing);
    let documents = items.len();

    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("search-index");
    let index = SearchIndex::open(&path).expect("index opens");
    let started = Instant::now();
    index.replace_all(items, &Unplayed).expect("index builds");
    println!("indexed {documents} items ({tracks} tracks) in {:.2} s", started.elapsed().as_secs_f64());

    let request = |text: &str| SearchRequest {
        text: SearchText::parse(text).expect("valid text"),
        kinds: Kind::ALL.to_vec(),
        limit: 10,
        offset: 0,
        viewer: None,
    };
    let requests: Vec<(Class, SearchRequest)> = queries.iter().map(|(class, text)| (*class, request(text))).collect();
    for (_, text) in &warm_up {
        index.search(&request(text)).expect("search");
    }
    let mut ours: Vec<(Class, Duration)> = Vec::with_capacity(requests.len());
    let mut empty = 0;
    for (class, request) in &requests {
        let started = Instant::now();
        let results = index.search(request).expect("search");
        ours.push((*class, started.elapsed()));
        empty += usize::from(results.top.is_none());
    }
    let cached: Vec<Duration> = requests
        .iter()
        .map(|(_, request)| {
            let started = Instant::now();
            index.search(request).expect("search");
            started.elapsed()
        })
        .collect();

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
    summary("tonearm-search, answer cache, all", cached);
    for (name, timings) in [("tonearm-search (typos on)", &ours), ("reference: QueryParser", &reference)] {
        summary(&format!("{name}, all"), timings.iter().map(|(_, time)| *time).collect());
        for class in CLASSES {
            let times: Vec<Duration> =
                timings.iter().filter(|(query_class, _)| *query_class == class).map(|(_, time)| *time).collect();
            summary(&format!("  {class:?}"), times);
        }
    }
}
