//! Row shapes shared by both engines, and their conversion into the catalog's read models.

use tonearm_domain::{AlbumId, ArtistId, AudioFormat, CoverId, Cursor, GenreId, Sort, TrackId};
use tonearm_model::{
    AlbumRef, AlbumSummary, ArtistRef, ArtistSummary, GenreRef, GenreSummary, MusicBrainzIds, ReplayGain, StoreError,
    TrackDetail, TrackSummary,
};

fn cover_id(raw: Option<String>) -> Option<CoverId> {
    raw.as_deref().and_then(CoverId::parse)
}

fn audio_format(raw: &str) -> Result<AudioFormat, StoreError> {
    AudioFormat::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown audio format `{raw}`")))
}

/// A row of a paginated list: it knows the cursor it leaves for the next page.
pub(crate) trait PagedRow {
    fn cursor(&self, sort: Sort) -> Cursor;
}

/// The cursor a row leaves for the next page, for any list sorted by `sort`.
pub(crate) fn cursor_after(sort: Sort, id: i64, sort_name: &str, added_at: i64, year: Option<i32>) -> Cursor {
    match sort {
        Sort::Name => Cursor { sort, text: Some(sort_name.to_owned()), number: 0, id },
        Sort::DateAdded => Cursor { sort, text: None, number: added_at, id },
        Sort::Year => Cursor { sort, text: None, number: i64::from(year.unwrap_or(0)), id },
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ArtistRow {
    pub id: i64,
    pub name: String,
    pub sort_name: String,
    pub musicbrainz_id: Option<String>,
    pub added_at: i64,
    pub album_count: i64,
    pub track_count: i64,
    pub cover_id: Option<String>,
}

impl PagedRow for ArtistRow {
    fn cursor(&self, sort: Sort) -> Cursor {
        cursor_after(sort, self.id, &self.sort_name, self.added_at, None)
    }
}

impl ArtistRow {
    pub fn into_summary(self) -> ArtistSummary {
        ArtistSummary {
            id: ArtistId(self.id),
            name: self.name,
            album_count: self.album_count,
            track_count: self.track_count,
            cover_id: cover_id(self.cover_id),
            musicbrainz_id: self.musicbrainz_id,
            added_at: self.added_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AlbumRow {
    pub id: i64,
    pub title: String,
    pub sort_name: String,
    pub artist_id: i64,
    pub artist_name: String,
    pub year: Option<i32>,
    pub is_compilation: bool,
    pub premium_only: bool,
    pub musicbrainz_release_id: Option<String>,
    pub cover_id: Option<String>,
    pub added_at: i64,
    pub track_count: i64,
    pub duration_ms: i64,
}

impl PagedRow for AlbumRow {
    fn cursor(&self, sort: Sort) -> Cursor {
        cursor_after(sort, self.id, &self.sort_name, self.added_at, self.year)
    }
}

impl AlbumRow {
    pub fn into_summary(self) -> AlbumSummary {
        AlbumSummary {
            id: AlbumId(self.id),
            title: self.title,
            artist: ArtistRef { id: ArtistId(self.artist_id), name: self.artist_name },
            year: self.year,
            track_count: self.track_count,
            duration_ms: self.duration_ms,
            cover_id: cover_id(self.cover_id),
            is_compilation: self.is_compilation,
            premium_only: self.premium_only,
            added_at: self.added_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct GenreRow {
    pub id: i64,
    pub name: String,
    pub sort_name: String,
    pub album_count: i64,
    pub track_count: i64,
}

impl PagedRow for GenreRow {
    fn cursor(&self, sort: Sort) -> Cursor {
        cursor_after(sort, self.id, &self.sort_name, 0, None)
    }
}

impl GenreRow {
    pub fn into_summary(self) -> GenreSummary {
        GenreSummary {
            id: GenreId(self.id),
            name: self.name,
            album_count: self.album_count,
            track_count: self.track_count,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct NamedRow {
    pub id: i64,
    pub name: String,
}

impl NamedRow {
    pub fn into_genre_ref(self) -> GenreRef {
        GenreRef { id: GenreId(self.id), name: self.name }
    }
}

/// One credited artist of a track, for attaching artists to a page of tracks in one query.
#[derive(sqlx::FromRow)]
pub(crate) struct TrackArtistRow {
    pub track_id: i64,
    pub artist_id: i64,
    pub name: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct TrackRow {
    pub id: i64,
    pub title: String,
    pub sort_name: String,
    pub album_id: i64,
    pub album_title: String,
    pub album_artist_id: i64,
    pub album_artist_name: String,
    pub track_number: Option<i32>,
    pub disc_number: Option<i32>,
    pub year: Option<i32>,
    pub duration_ms: i64,
    pub format: String,
    pub cover_id: Option<String>,
    pub premium_only: bool,
    pub added_at: i64,
}

impl PagedRow for TrackRow {
    fn cursor(&self, sort: Sort) -> Cursor {
        cursor_after(sort, self.id, &self.sort_name, self.added_at, self.year)
    }
}

impl TrackRow {
    pub fn into_summary(self, artists: Vec<ArtistRef>) -> Result<TrackSummary, StoreError> {
        Ok(TrackSummary {
            id: TrackId(self.id),
            title: self.title,
            artists,
            album: AlbumRef { id: AlbumId(self.album_id), title: self.album_title },
            album_artist: ArtistRef { id: ArtistId(self.album_artist_id), name: self.album_artist_name },
            track_number: self.track_number,
            disc_number: self.disc_number,
            year: self.year,
            duration_ms: self.duration_ms,
            format: audio_format(&self.format)?,
            cover_id: cover_id(self.cover_id),
            premium_only: self.premium_only,
            added_at: self.added_at,
        })
    }
}

/// The columns of a track beyond its summary.
#[derive(sqlx::FromRow)]
pub(crate) struct TrackExtraRow {
    pub track_total: Option<i32>,
    pub disc_total: Option<i32>,
    pub date: Option<String>,
    pub bitrate_kbps: Option<i32>,
    pub sample_rate_hz: Option<i32>,
    pub channels: Option<i32>,
    pub bit_depth: Option<i32>,
    pub file_size: i64,
    pub mb_recording_id: Option<String>,
    pub mb_track_id: Option<String>,
    pub mb_release_id: Option<String>,
    pub mb_artist_id: Option<String>,
    pub mb_release_artist_id: Option<String>,
    pub rg_track_gain_db: Option<f64>,
    pub rg_track_peak: Option<f64>,
    pub rg_album_gain_db: Option<f64>,
    pub rg_album_peak: Option<f64>,
}

impl TrackExtraRow {
    pub fn into_detail(self, summary: TrackSummary, genres: Vec<GenreRef>) -> TrackDetail {
        TrackDetail {
            summary,
            track_total: self.track_total,
            disc_total: self.disc_total,
            date: self.date,
            genres,
            bitrate_kbps: self.bitrate_kbps,
            sample_rate_hz: self.sample_rate_hz,
            channels: self.channels,
            bit_depth: self.bit_depth,
            file_size: self.file_size,
            musicbrainz: MusicBrainzIds {
                recording_id: self.mb_recording_id,
                track_id: self.mb_track_id,
                release_id: self.mb_release_id,
                artist_id: self.mb_artist_id,
                release_artist_id: self.mb_release_artist_id,
            },
            replay_gain: ReplayGain {
                track_gain_db: self.rg_track_gain_db,
                track_peak: self.rg_track_peak,
                album_gain_db: self.rg_album_gain_db,
                album_peak: self.rg_album_peak,
            },
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct StreamSourceRow {
    pub id: i64,
    pub path: String,
    pub file_size: i64,
    pub mtime_ns: i64,
    pub fingerprint: String,
    pub format: String,
    pub bitrate_kbps: Option<i32>,
    pub premium_only: bool,
    pub duration_ms: i64,
    pub sample_rate_hz: Option<i32>,
    pub channels: Option<i32>,
}

impl StreamSourceRow {
    pub fn into_source(self) -> Result<tonearm_model::StreamSource, StoreError> {
        Ok(tonearm_model::StreamSource {
            track_id: TrackId(self.id),
            path: self.path,
            file_size: self.file_size,
            mtime_ns: self.mtime_ns,
            fingerprint: self.fingerprint,
            format: audio_format(&self.format)?,
            bitrate_kbps: self.bitrate_kbps,
            premium_only: self.premium_only,
            duration_ms: self.duration_ms,
            sample_rate_hz: self.sample_rate_hz,
            channels: self.channels,
        })
    }
}
