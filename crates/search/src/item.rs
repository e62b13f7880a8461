//! What the index holds and returns: the catalog's own summaries, so a result can be drawn
//! like any list entry without asking the database again.

use serde::{Deserialize, Serialize};
use tonearm_model::{AlbumSummary, ArtistSummary, CatalogListing, GenreSummary, PlaylistSummary, TrackSummary};

use crate::schema::Kind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Artist(ArtistSummary),
    Album(AlbumSummary),
    Track(TrackSummary),
    Genre(GenreSummary),
    Playlist(PlaylistSummary),
}

impl Item {
    pub fn kind(&self) -> Kind {
        match self {
            Item::Artist(_) => Kind::Artist,
            Item::Album(_) => Kind::Album,
            Item::Track(_) => Kind::Track,
            Item::Genre(_) => Kind::Genre,
            Item::Playlist(_) => Kind::Playlist,
        }
    }

    /// The database id within its kind.
    pub fn id(&self) -> i64 {
        match self {
            Item::Artist(artist) => artist.id.0,
            Item::Album(album) => album.id.0,
            Item::Track(track) => track.id.0,
            Item::Genre(genre) => genre.id.0,
            Item::Playlist(playlist) => playlist.id,
        }
    }

    /// What the item is called: matched first and compared whole for an exact match.
    pub fn name(&self) -> &str {
        match self {
            Item::Artist(artist) => &artist.name,
            Item::Album(album) => &album.title,
            Item::Track(track) => &track.title,
            Item::Genre(genre) => &genre.name,
            Item::Playlist(playlist) => &playlist.name,
        }
    }

    /// Other words that should find it: who made it and where it appears.
    pub fn secondary_text(&self) -> String {
        match self {
            Item::Artist(_) | Item::Genre(_) => String::new(),
            Item::Playlist(playlist) => format!("{} \u{2022} {}", playlist.owner.username, playlist.description),
            Item::Album(album) => album.artist.name.clone(),
            Item::Track(track) => {
                let mut words: Vec<&str> = track.artists.iter().map(|artist| artist.name.as_str()).collect();
                if !track.artists.iter().any(|artist| artist.id == track.album_artist.id) {
                    words.push(&track.album_artist.name);
                }
                words.push(&track.album.title);
                words.join(" \u{2022} ")
            }
        }
    }

    /// Whether everyone may find it, and otherwise whose it is.
    pub(crate) fn visibility(&self) -> (bool, u64) {
        match self {
            Item::Playlist(playlist) => (playlist.public, u64::try_from(playlist.owner.id.0).unwrap_or(0)),
            _ => (true, 0),
        }
    }

    /// Every artist, album, track and genre of a listing.
    pub fn all_of(listing: CatalogListing) -> Vec<Item> {
        let CatalogListing { artists, albums, tracks, genres } = listing;
        let mut items = Vec::with_capacity(artists.len() + albums.len() + tracks.len() + genres.len());
        items.extend(artists.into_iter().map(Item::Artist));
        items.extend(albums.into_iter().map(Item::Album));
        items.extend(tracks.into_iter().map(Item::Track));
        items.extend(genres.into_iter().map(Item::Genre));
        items
    }
}
