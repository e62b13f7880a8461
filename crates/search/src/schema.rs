//! The index's fields. One document per searchable thing, whatever its kind, so one query
//! ranks artists, albums, tracks, genres and playlists against each other for the top result.
//!
//! Who may find a document is in two fast fields, `public` and `owner`: catalog items are
//! public; a private playlist is found by its owner only. Ranking checks them for every
//! match (`ranking::Visibility`), before a match is counted.

use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};

use crate::text::WORDS_TOKENIZER;

/// What a search result is. The discriminants are stored in the index: never reuse one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Artist = 0,
    Album = 1,
    Track = 2,
    Genre = 3,
    Playlist = 4,
}

impl Kind {
    /// In the order the top result prefers them when two kinds rank equal: a listener
    /// typing a name most likely means the artist, then the album.
    pub const ALL: [Kind; 5] = [Kind::Artist, Kind::Album, Kind::Track, Kind::Genre, Kind::Playlist];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Artist => "artist",
            Kind::Album => "album",
            Kind::Track => "track",
            Kind::Genre => "genre",
            Kind::Playlist => "playlist",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    pub(crate) fn code(self) -> u64 {
        self as u64
    }

    pub(crate) fn from_code(code: u64) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// The field handles of the one schema this crate writes and reads.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    /// `Kind::code()`; fast, for grouping while collecting.
    pub kind: Field,
    /// The display name's words (title of a track or album, name of an artist or genre).
    pub name: Field,
    /// Words that also find the item but rank below its own name: a track's artists and
    /// album, an album's artist.
    pub secondary: Field,
    /// `text::exact_key` of the name, one term: an equal query is an exact match.
    pub name_exact: Field,
    /// Characters of the exact key: how much of the name a query covers.
    pub name_chars: Field,
    /// Plays (or any count the caller feeds); fast, a tie-breaker between equal matches.
    pub popularity: Field,
    /// The catalog summary as JSON, returned as is.
    pub item: Field,
    /// Found by everyone; fast. Everything but a private playlist.
    pub public: Field,
    /// The listener a private playlist is found by (0 for catalog items); fast.
    pub owner: Field,
    /// A playlist's id, indexed: replacing one playlist deletes its document by this term.
    pub playlist: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(WORDS_TOKENIZER).set_index_option(IndexRecordOption::Basic),
        );
        let whole = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
        );
        let fields = Fields {
            kind: builder.add_u64_field("kind", FAST),
            name: builder.add_text_field("name", words.clone()),
            secondary: builder.add_text_field("secondary", words),
            name_exact: builder.add_text_field("name_exact", whole),
            name_chars: builder.add_u64_field("name_chars", FAST),
            popularity: builder.add_u64_field("popularity", FAST),
            item: builder.add_text_field("item", STORED),
            public: builder.add_bool_field("public", FAST),
            owner: builder.add_u64_field("owner", FAST),
            playlist: builder.add_u64_field("playlist", INDEXED),
        };
        (builder.build(), fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_names_and_codes() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(Kind::parse("playlists"), None);
    }
}
