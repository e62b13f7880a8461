//! Read models: what the catalog store returns. Wire shapes are each protocol's own (the
//! JSON API's live in the server), so nothing here knows HTTP or a serialization format,
//! except that the search index stores summaries as JSON documents: those derive serde for
//! it, and only the summaries and the references inside them do.

use serde::{Deserialize, Serialize};
use tonearm_domain::{AlbumId, ArtistId, AudioFormat, CoverId, GenreId, TrackId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtistRef {
    pub id: ArtistId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlbumRef {
    pub id: AlbumId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GenreRef {
    pub id: GenreId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtistSummary {
    pub id: ArtistId,
    pub name: String,
    /// Albums this artist is the album artist of.
    pub album_count: i64,
    /// Tracks this artist performs on, including compilations.
    pub track_count: i64,
    /// The cover of one of the artist's albums, until artist pictures exist.
    pub cover_id: Option<CoverId>,
    pub musicbrainz_id: Option<String>,
    /// Unix milliseconds.
    pub added_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlbumSummary {
    pub id: AlbumId,
    pub title: String,
    /// The album artist; "Various Artists" for compilations.
    pub artist: ArtistRef,
    pub year: Option<i32>,
    pub track_count: i64,
    pub duration_ms: i64,
    pub cover_id: Option<CoverId>,
    pub is_compilation: bool,
    /// Only Premium listeners may play it (set by an administrator).
    pub premium_only: bool,
    /// Unix milliseconds.
    pub added_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackSummary {
    pub id: TrackId,
    pub title: String,
    pub artists: Vec<ArtistRef>,
    pub album: AlbumRef,
    pub album_artist: ArtistRef,
    pub track_number: Option<i32>,
    pub disc_number: Option<i32>,
    pub year: Option<i32>,
    pub duration_ms: i64,
    pub format: AudioFormat,
    pub cover_id: Option<CoverId>,
    /// Its album is for Premium listeners only.
    pub premium_only: bool,
    /// Unix milliseconds.
    pub added_at: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MusicBrainzIds {
    pub recording_id: Option<String>,
    pub track_id: Option<String>,
    pub release_id: Option<String>,
    pub artist_id: Option<String>,
    pub release_artist_id: Option<String>,
}

/// ReplayGain 2.0 values in dB and linear peak, as tagged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplayGain {
    pub track_gain_db: Option<f64>,
    pub track_peak: Option<f64>,
    pub album_gain_db: Option<f64>,
    pub album_peak: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrackDetail {
    pub summary: TrackSummary,
    pub track_total: Option<i32>,
    pub disc_total: Option<i32>,
    /// The tagged release date as written (e.g. `2019-03-08`), when richer than a year.
    pub date: Option<String>,
    pub genres: Vec<GenreRef>,
    pub bitrate_kbps: Option<i32>,
    pub sample_rate_hz: Option<i32>,
    pub channels: Option<i32>,
    pub bit_depth: Option<i32>,
    pub file_size: i64,
    pub musicbrainz: MusicBrainzIds,
    pub replay_gain: ReplayGain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArtistDetail {
    pub artist: ArtistSummary,
    /// Albums credited to this artist, newest first.
    pub albums: Vec<AlbumSummary>,
    /// Albums by others (compilations, features) this artist performs on.
    pub appears_on: Vec<AlbumSummary>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlbumDetail {
    pub album: AlbumSummary,
    pub genres: Vec<GenreRef>,
    pub musicbrainz_release_id: Option<String>,
    /// In disc and track order.
    pub tracks: Vec<TrackSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenreSummary {
    pub id: GenreId,
    pub name: String,
    pub album_count: i64,
    pub track_count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GenreDetail {
    pub genre: GenreSummary,
    /// Albums with at least one track in this genre, alphabetically.
    pub albums: Vec<AlbumSummary>,
}

/// Every artist, album, track and genre at once, as the lists return them: what the search
/// index is built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogListing {
    pub artists: Vec<ArtistSummary>,
    pub albums: Vec<AlbumSummary>,
    pub tracks: Vec<TrackSummary>,
    pub genres: Vec<GenreSummary>,
}
