//! Artists, albums, tracks and genres as the catalog routes (and search, Home and the
//! listening views) answer with them.

use serde::Serialize;
use tonearm_domain::{AlbumId, ArtistId, AudioFormat, CoverId, GenreId, TrackId};
use tonearm_model as model;
use utoipa::ToSchema;

use super::list;

#[derive(Debug, Serialize, ToSchema)]
pub struct ArtistRef {
    pub id: ArtistId,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlbumRef {
    pub id: AlbumId,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenreRef {
    pub id: GenreId,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct MusicBrainzIds {
    pub recording_id: Option<String>,
    pub track_id: Option<String>,
    pub release_id: Option<String>,
    pub artist_id: Option<String>,
    pub release_artist_id: Option<String>,
}

/// ReplayGain 2.0 values in dB and linear peak, as tagged.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayGain {
    pub track_gain_db: Option<f64>,
    pub track_peak: Option<f64>,
    pub album_gain_db: Option<f64>,
    pub album_peak: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackDetail {
    #[serde(flatten)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ArtistDetail {
    #[serde(flatten)]
    pub artist: ArtistSummary,
    /// Albums credited to this artist, newest first.
    pub albums: Vec<AlbumSummary>,
    /// Albums by others (compilations, features) this artist performs on.
    pub appears_on: Vec<AlbumSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlbumDetail {
    #[serde(flatten)]
    pub album: AlbumSummary,
    pub genres: Vec<GenreRef>,
    pub musicbrainz_release_id: Option<String>,
    /// In disc and track order.
    pub tracks: Vec<TrackSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenreSummary {
    pub id: GenreId,
    pub name: String,
    pub album_count: i64,
    pub track_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenreDetail {
    #[serde(flatten)]
    pub genre: GenreSummary,
    /// Albums with at least one track in this genre, alphabetically.
    pub albums: Vec<AlbumSummary>,
}

convert_fields!(model::ArtistRef => ArtistRef { id, name });
convert_fields!(model::AlbumRef => AlbumRef { id, title });
convert_fields!(model::GenreRef => GenreRef { id, name });
convert_fields!(model::ArtistSummary => ArtistSummary {
    id, name, album_count, track_count, cover_id, musicbrainz_id, added_at,
});
convert_fields!(model::AlbumSummary => AlbumSummary {
    id, title, artist, year, track_count, duration_ms, cover_id, is_compilation, premium_only, added_at,
});
convert_fields!(model::TrackSummary => TrackSummary {
    id, title, artists: list, album, album_artist, track_number, disc_number, year, duration_ms, format, cover_id,
    premium_only, added_at,
});
convert_fields!(model::MusicBrainzIds => MusicBrainzIds {
    recording_id, track_id, release_id, artist_id, release_artist_id,
});
convert_fields!(model::ReplayGain => ReplayGain { track_gain_db, track_peak, album_gain_db, album_peak });
convert_fields!(model::TrackDetail => TrackDetail {
    summary, track_total, disc_total, date, genres: list, bitrate_kbps, sample_rate_hz, channels, bit_depth,
    file_size, musicbrainz, replay_gain,
});
convert_fields!(model::ArtistDetail => ArtistDetail { artist, albums: list, appears_on: list });
convert_fields!(model::AlbumDetail => AlbumDetail { album, genres: list, musicbrainz_release_id, tracks: list });
convert_fields!(model::GenreSummary => GenreSummary { id, name, album_count, track_count });
convert_fields!(model::GenreDetail => GenreDetail { genre, albums: list });
