//! The search rules of issue #5, each checked against a real on-disk index.

use std::collections::HashMap;

use tonearm_domain::{AlbumId, ArtistId, AudioFormat, GenreId, TrackId, UserId};
use tonearm_model::{
    AlbumRef, AlbumSummary, ArtistRef, ArtistSummary, GenreSummary, PlaylistOwner, PlaylistSummary, TrackSummary,
};
use tonearm_search::{
    Item, Kind, MAX_QUERY_CHARS, Popularity, QueryError, SearchIndex, SearchRequest, SearchResults, SearchText,
    Unplayed,
};

fn artist(id: i64, name: &str) -> Item {
    Item::Artist(ArtistSummary {
        id: ArtistId(id),
        name: name.to_owned(),
        album_count: 1,
        track_count: 1,
        cover_id: None,
        musicbrainz_id: None,
        added_at: 0,
    })
}

fn album(id: i64, title: &str, (artist_id, artist_name): (i64, &str)) -> Item {
    Item::Album(AlbumSummary {
        id: AlbumId(id),
        title: title.to_owned(),
        artist: ArtistRef { id: ArtistId(artist_id), name: artist_name.to_owned() },
        year: None,
        track_count: 1,
        duration_ms: 1000,
        cover_id: None,
        is_compilation: false,
        premium_only: false,
        added_at: 0,
    })
}

fn track(id: i64, title: &str, (artist_id, artist_name): (i64, &str), (album_id, album_title): (i64, &str)) -> Item {
    let artist = ArtistRef { id: ArtistId(artist_id), name: artist_name.to_owned() };
    Item::Track(TrackSummary {
        id: TrackId(id),
        title: title.to_owned(),
        artists: vec![artist.clone()],
        album: AlbumRef { id: AlbumId(album_id), title: album_title.to_owned() },
        album_artist: artist,
        track_number: None,
        disc_number: None,
        year: None,
        duration_ms: 1000,
        format: AudioFormat::Flac,
        cover_id: None,
        premium_only: false,
        added_at: 0,
    })
}

fn genre(id: i64, name: &str) -> Item {
    Item::Genre(GenreSummary { id: GenreId(id), name: name.to_owned(), album_count: 1, track_count: 1 })
}

fn playlist(id: i64, name: &str, owner: i64, public: bool) -> PlaylistSummary {
    PlaylistSummary {
        id,
        name: name.to_owned(),
        description: String::new(),
        public,
        owner: PlaylistOwner { id: UserId(owner), username: format!("listener{owner}") },
        track_count: 0,
        cover_id: None,
        version: 1,
        created_at: 0,
        updated_at: 0,
    }
}

const QUEEN: (i64, &str) = (2, "Queen");
const OPERA: (i64, &str) = (2, "A Night at the Opera");
const SAKAMOTO: (i64, &str) = (4, "坂本 龍");
const TOKYO: (i64, &str) = (3, "東京の夜");

fn library() -> Vec<Item> {
    vec![
        artist(1, "The Beatles"),
        artist(2, "Queen"),
        artist(3, "Beyoncé"),
        artist(4, "坂本 龍"),
        artist(5, "Bat for Lashes"),
        artist(6, "Cat Power"),
        artist(7, "AC/DC"),
        artist(8, "!!!"),
        album(1, "Abbey Road", (1, "The Beatles")),
        album(2, "A Night at the Opera", QUEEN),
        album(3, "東京の夜", SAKAMOTO),
        track(1, "Bohemian Rhapsody", QUEEN, OPERA),
        track(2, "Bohemian Rhapsody (Live at Wembley '86)", QUEEN, OPERA),
        track(3, "Love of My Life", QUEEN, OPERA),
        track(4, "Crazy in Love", (3, "Beyoncé"), (4, "Dangerously in Love")),
        track(5, "雨の音", SAKAMOTO, TOKYO),
        track(6, "Song \"2\": (Live) *", (7, "AC/DC"), (5, "Specials")),
        track(7, "Title: Song", (7, "AC/DC"), (5, "Specials")),
        track(8, "Come Together", (1, "The Beatles"), (1, "Abbey Road")),
        genre(1, "Rock"),
        genre(2, "J-Pop"),
    ]
}

/// Plays per item; unlisted items have none.
struct Plays(HashMap<(Kind, i64), u64>);

impl Popularity for Plays {
    fn of(&self, kind: Kind, id: i64) -> u64 {
        self.0.get(&(kind, id)).copied().unwrap_or(0)
    }
}

struct Fixture {
    index: SearchIndex,
    _directory: tempfile::TempDir,
}

fn index_of(items: Vec<Item>, popularity: &dyn Popularity) -> Fixture {
    let directory = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(&directory.path().join("search-index")).unwrap();
    index.replace_all(items, popularity).unwrap();
    Fixture { index, _directory: directory }
}

fn search_in(fixture: &Fixture, text: &str, kinds: &[Kind], limit: usize, offset: usize) -> SearchResults {
    search_as(fixture, None, text, kinds, limit, offset)
}

fn search_as(
    fixture: &Fixture,
    viewer: Option<UserId>,
    text: &str,
    kinds: &[Kind],
    limit: usize,
    offset: usize,
) -> SearchResults {
    let request =
        SearchRequest { text: SearchText::parse(text).unwrap(), kinds: kinds.to_vec(), limit, offset, viewer };
    fixture.index.search(&request).unwrap()
}

fn search(fixture: &Fixture, text: &str) -> SearchResults {
    search_in(fixture, text, &Kind::ALL, 10, 0)
}

fn top_name(fixture: &Fixture, text: &str) -> Option<String> {
    search(fixture, text).top.map(|item| item.name().to_owned())
}

/// Names found for `text` in the group of `kind`, best first.
fn names(fixture: &Fixture, text: &str, kind: Kind) -> Vec<String> {
    let results = search_in(fixture, text, &[kind], 10, 0);
    results.groups[0].items.iter().map(|item| item.name().to_owned()).collect()
}

#[test]
fn a_typo_still_finds_the_artist() {
    let fixture = index_of(library(), &Unplayed);
    assert_eq!(top_name(&fixture, "beatels").as_deref(), Some("The Beatles"));
}

#[test]
fn the_word_being_typed_matches_as_a_prefix() {
    let fixture = index_of(library(), &Unplayed);
    let tracks = names(&fixture, "bohem", Kind::Track);
    assert_eq!(tracks, ["Bohemian Rhapsody", "Bohemian Rhapsody (Live at Wembley '86)"]);
    assert!(names(&fixture, "bohem ", Kind::Track).is_empty(), "a finished word is not a prefix");
}

#[test]
fn accents_and_case_fold_away() {
    let fixture = index_of(library(), &Unplayed);
    for text in ["beyonce", "BEYONCE", "Beyoncé", "beyoncé crazy"] {
        let found = search(&fixture, text);
        let hits: Vec<&str> = found.groups.iter().flat_map(|group| &group.items).map(Item::name).collect();
        assert!(hits.contains(&"Beyoncé") || hits.contains(&"Crazy in Love"), "{text}: {hits:?}");
    }
    assert_eq!(top_name(&fixture, "beyonce").as_deref(), Some("Beyoncé"));
}

#[test]
fn cjk_text_is_found_by_its_characters() {
    let fixture = index_of(library(), &Unplayed);
    assert_eq!(names(&fixture, "東京", Kind::Album), ["東京の夜"]);
    assert_eq!(names(&fixture, "雨の", Kind::Track), ["雨の音"]);
    assert_eq!(names(&fixture, "夜", Kind::Album), ["東京の夜"], "a single character");
    assert_eq!(top_name(&fixture, "坂本").as_deref(), Some("坂本 龍"));
    assert!(names(&fixture, "京東", Kind::Album).is_empty(), "order matters within a bigram");
}

#[test]
fn an_exact_name_beats_popular_partial_matches() {
    let mut items = library();
    items.push(artist(20, "Queensrÿche"));
    items.push(track(20, "Killer Queen", QUEEN, OPERA));
    items.push(track(21, "Queen", (20, "Queensrÿche"), (20, "Rage for Order")));
    let plays = Plays(HashMap::from([((Kind::Artist, 20), 1_000_000), ((Kind::Track, 20), 1_000_000)]));
    let fixture = index_of(items, &plays);
    assert_eq!(search(&fixture, "queen").top, Some(artist(2, "Queen")));
    assert_eq!(names(&fixture, "queen", Kind::Track)[0], "Queen");
}

#[test]
fn popularity_orders_equally_good_matches() {
    let mut items = library();
    items.push(track(30, "Intro", (1, "The Beatles"), (1, "Abbey Road")));
    items.push(track(31, "Intro", (3, "Beyoncé"), (4, "Dangerously in Love")));
    let plays = Plays(HashMap::from([((Kind::Track, 31), 500), ((Kind::Track, 30), 5)]));
    let fixture = index_of(items, &plays);
    let found = search_in(&fixture, "intro", &[Kind::Track], 10, 0);
    let ids: Vec<i64> = found.groups[0].items.iter().map(Item::id).collect();
    assert_eq!(ids, [31, 30]);
}

#[test]
fn query_syntax_characters_are_searched_literally() {
    let fixture = index_of(library(), &Unplayed);
    assert_eq!(names(&fixture, "\"2\": (live", Kind::Track), ["Song \"2\": (Live) *"]);
    assert_eq!(names(&fixture, "title:song", Kind::Track), ["Title: Song"]);
    assert!(names(&fixture, "-live", Kind::Track).contains(&"Song \"2\": (Live) *".to_owned()), "`-` excludes nothing");
    assert_eq!(top_name(&fixture, "AC/DC").as_deref(), Some("AC/DC"));
    assert_eq!(top_name(&fixture, "!!!").as_deref(), Some("!!!"));
    assert_eq!(top_name(&fixture, "*"), None, "punctuation alone matches no words");
    assert_eq!(names(&fixture, "bohemian AND rhapsody OR", Kind::Track), Vec::<String>::new(), "no operators");
}

#[test]
fn empty_and_over_long_texts_are_refused() {
    assert_eq!(SearchText::parse(" ").unwrap_err(), QueryError::Empty);
    assert_eq!(SearchText::parse(&"x".repeat(MAX_QUERY_CHARS + 1)).unwrap_err(), QueryError::TooLong);
}

#[test]
fn typo_budget_depends_on_word_length() {
    let fixture = index_of(library(), &Unplayed);
    assert_eq!(names(&fixture, "cat ", Kind::Artist), ["Cat Power"], "`cat` is too short for typos: not `bat`");
    assert_eq!(names(&fixture, "bat ", Kind::Artist), ["Bat for Lashes"]);
    assert_eq!(top_name(&fixture, "qeen").as_deref(), Some("Queen"), "one edit at four letters");
    assert!(names(&fixture, "beetels ", Kind::Artist).is_empty(), "two edits are too many at seven letters");
    assert_eq!(names(&fixture, "bohhemiam rapsody ", Kind::Track)[0], "Bohemian Rhapsody", "two edits at nine");
}

#[test]
fn secondary_text_finds_items_by_artist_and_album() {
    let fixture = index_of(library(), &Unplayed);
    assert_eq!(names(&fixture, "queen bohemian", Kind::Track)[0], "Bohemian Rhapsody");
    assert_eq!(names(&fixture, "abbey", Kind::Track), ["Come Together"]);
    assert_eq!(names(&fixture, "beatles", Kind::Album), ["Abbey Road"]);
}

#[test]
fn groups_are_counted_and_paged_and_the_top_result_stays() {
    let fixture = index_of(library(), &Unplayed);
    let first = search_in(&fixture, "queen", &[Kind::Track, Kind::Artist], 1, 0);
    let second = search_in(&fixture, "queen", &[Kind::Track, Kind::Artist], 1, 1);
    let kinds: Vec<Kind> = first.groups.iter().map(|group| group.kind).collect();
    assert_eq!(kinds, [Kind::Track, Kind::Artist], "groups in the requested order");
    assert_eq!(first.groups[0].total, 3, "every Queen track");
    assert_eq!((first.groups[0].items.len(), second.groups[0].items.len()), (1, 1));
    assert_ne!(first.groups[0].items, second.groups[0].items);
    assert_eq!(first.top, second.top);
    assert_eq!(first.top, Some(artist(2, "Queen")));
    let albums_only = search_in(&fixture, "queen", &[Kind::Album], 10, 0);
    assert_eq!(albums_only.top, Some(album(2, "A Night at the Opera", QUEEN)));
}

#[test]
fn replacing_the_contents_drops_what_is_gone() {
    let fixture = index_of(library(), &Unplayed);
    let without_beatles: Vec<Item> = library().into_iter().filter(|item| !item.name().contains("Beatles")).collect();
    fixture.index.replace_all(without_beatles, &Unplayed).unwrap();
    assert_eq!(top_name(&fixture, "beatles"), Some("Abbey Road".to_owned()), "only the album credits remain");
    assert!(names(&fixture, "beatles", Kind::Artist).is_empty());
}

#[test]
fn a_damaged_index_is_recreated_and_a_whole_one_reopened() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("search-index");
    {
        let index = SearchIndex::open(&path).unwrap();
        index.replace_all(library(), &Unplayed).unwrap();
    }
    let reopened = Fixture { index: SearchIndex::open(&path).unwrap(), _directory: tempfile::tempdir().unwrap() };
    assert_eq!(top_name(&reopened, "queen").as_deref(), Some("Queen"), "kept across restarts");
    drop(reopened);

    std::fs::write(path.join("meta.json"), b"{ not json").unwrap();
    let recreated = SearchIndex::open(&path).expect("a damaged index never stops the server");
    recreated.replace_all(library(), &Unplayed).unwrap();
    let recreated = Fixture { index: recreated, _directory: directory };
    assert_eq!(top_name(&recreated, "queen").as_deref(), Some("Queen"));
}

#[test]
fn private_playlists_are_found_by_their_owner_only() {
    let mut items = library();
    items.push(Item::Playlist(playlist(1, "Queen for the road", 7, true)));
    items.push(Item::Playlist(playlist(2, "Queen at night", 8, false)));
    let fixture = index_of(items, &Unplayed);
    let found = |viewer: Option<i64>| {
        let results = search_as(&fixture, viewer.map(UserId), "queen", &[Kind::Playlist], 10, 0);
        let ids: Vec<i64> = results.groups[0].items.iter().map(Item::id).collect();
        (ids, results.groups[0].total)
    };
    assert_eq!(found(Some(8)), (vec![2, 1], 2), "the owner finds their own private playlist");
    assert_eq!(found(Some(7)), (vec![1], 1), "others find only the public one, and do not count the private one");
    assert_eq!(found(None), (vec![1], 1));
    let everything = search_as(&fixture, Some(UserId(7)), "queen at night", &Kind::ALL, 10, 0);
    assert!(everything.top.is_none_or(|top| top.kind() != Kind::Playlist), "never the top result either");

    // A rename, a change of visibility and a deletion reach the index one playlist at a time.
    fixture.index.update_playlists(vec![playlist(2, "Queen at dawn", 8, true)], &[1]).unwrap();
    assert_eq!(found(Some(7)), (vec![2], 1));
    let renamed = search_as(&fixture, Some(UserId(7)), "dawn", &[Kind::Playlist], 10, 0);
    assert_eq!(renamed.groups[0].items[0].name(), "Queen at dawn");
    assert!(search_as(&fixture, Some(UserId(7)), "night", &[Kind::Playlist], 10, 0).groups[0].items.is_empty());
}

#[test]
fn tracks_are_found_by_artist_and_title_whatever_the_case_and_accents() {
    let mut items = library();
    items.push(track(40, "Crazy in Love", (1, "The Beatles"), (1, "Abbey Road")));
    let fixture = index_of(items, &Unplayed);
    let ids = |artist: &str, title: &str| -> Vec<i64> {
        fixture.index.tracks_by(artist, title).unwrap().iter().map(|track| track.id.0).collect()
    };
    assert_eq!(ids("BEYONCE", "crazy  in love"), [4], "the other artist's song of that title is not it");
    assert_eq!(ids("the beatles", "Crazy In Love"), [40]);
    assert_eq!(ids("Queen", "bohemian rhapsody"), [1], "a title must match whole");
    assert!(ids("Queen", "Crazy in Love").is_empty());
    assert!(ids("Queen", "Queen").is_empty(), "only tracks");
}
