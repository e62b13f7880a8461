//! SQL both engines accept as written: `$n` placeholders (SQLite reads them too),
//! `ON CONFLICT … DO UPDATE`, `RETURNING` and row-value comparisons.

pub const SELECT_ARTISTS: &str = "SELECT a.id, a.name, a.sort_name, a.musicbrainz_id, a.added_at, \
    (SELECT COUNT(*) FROM albums al WHERE al.artist_id = a.id) AS album_count, \
    (SELECT COUNT(*) FROM track_artists ta WHERE ta.artist_id = a.id) AS track_count, \
    (SELECT al.cover_id FROM albums al WHERE al.artist_id = a.id AND al.cover_id IS NOT NULL \
        ORDER BY COALESCE(al.year, 0) DESC, al.id LIMIT 1) AS cover_id \
    FROM artists a";

pub const SELECT_ALBUMS: &str = "SELECT al.id, al.title, al.sort_name, al.artist_id, ar.name AS artist_name, \
    al.year, al.is_compilation, al.premium_only, al.musicbrainz_release_id, al.cover_id, al.added_at, \
    (SELECT COUNT(*) FROM tracks t WHERE t.album_id = al.id) AS track_count, \
    (SELECT CAST(COALESCE(SUM(t.duration_ms), 0) AS BIGINT) FROM tracks t WHERE t.album_id = al.id) AS duration_ms \
    FROM albums al JOIN artists ar ON ar.id = al.artist_id";

pub const SELECT_GENRES: &str = "SELECT g.id, g.name, g.sort_name, \
    (SELECT COUNT(DISTINCT t.album_id) FROM track_genres tg JOIN tracks t ON t.id = tg.track_id \
        WHERE tg.genre_id = g.id) AS album_count, \
    (SELECT COUNT(*) FROM track_genres tg WHERE tg.genre_id = g.id) AS track_count \
    FROM genres g";

pub const SELECT_TRACKS: &str = "SELECT t.id, t.title, t.sort_name, t.album_id, al.title AS album_title, \
    al.artist_id AS album_artist_id, ar.name AS album_artist_name, t.track_number, t.disc_number, t.year, \
    t.duration_ms, t.format, COALESCE(t.cover_id, al.cover_id) AS cover_id, al.premium_only, t.added_at \
    FROM tracks t JOIN albums al ON al.id = t.album_id JOIN artists ar ON ar.id = al.artist_id";

pub const SELECT_TRACK_EXTRA: &str = "SELECT track_total, disc_total, date, bitrate_kbps, sample_rate_hz, \
    channels, bit_depth, file_size, mb_recording_id, mb_track_id, mb_release_id, mb_artist_id, \
    mb_release_artist_id, rg_track_gain_db, rg_track_peak, rg_album_gain_db, rg_album_peak \
    FROM tracks WHERE id = $1";

pub const SELECT_TRACK_ARTISTS: &str = "SELECT ta.track_id, a.id AS artist_id, a.name \
    FROM track_artists ta JOIN artists a ON a.id = ta.artist_id WHERE ta.track_id IN ";

/// Every credit of every track, grouped by track in tag order (the search index needs them all).
pub const SELECT_ALL_TRACK_ARTISTS: &str = "SELECT ta.track_id, a.id AS artist_id, a.name \
    FROM track_artists ta JOIN artists a ON a.id = ta.artist_id ORDER BY ta.track_id, ta.position";

pub const SELECT_TRACK_GENRES: &str = "SELECT g.id, g.name FROM track_genres tg JOIN genres g ON g.id = tg.genre_id \
    WHERE tg.track_id = $1 ORDER BY g.sort_name";

pub const SELECT_ALBUM_GENRES: &str = "SELECT DISTINCT g.id, g.name, g.sort_name FROM tracks t \
    JOIN track_genres tg ON tg.track_id = t.id JOIN genres g ON g.id = tg.genre_id \
    WHERE t.album_id = $1 ORDER BY g.sort_name";

pub const SELECT_STREAM_SOURCE: &str = "SELECT t.id, t.path, t.file_size, t.mtime_ns, t.fingerprint, t.format, \
    t.bitrate_kbps, al.premium_only, t.duration_ms, t.sample_rate_hz, t.channels FROM tracks t JOIN albums al ON al.id = t.album_id WHERE t.id = $1";

pub const SELECT_TRACK_PATHS: &str = "SELECT id, path FROM tracks";

pub const SET_ALBUM_PREMIUM_ONLY: &str = "UPDATE albums SET premium_only = $2 WHERE id = $1";

pub const SELECT_INDEXED_FILES: &str = "SELECT id, path, file_size, mtime_ns, fingerprint FROM tracks";

pub const SELECT_SCAN_ISSUES: &str = "SELECT path, reason, detail, detected_at FROM scan_issues ORDER BY path";

pub const INSERT_ARTIST: &str = "INSERT INTO artists (name, match_key, sort_name, musicbrainz_id, added_at) \
    VALUES ($1, $2, $3, $4, $5) RETURNING id";
pub const FILL_ARTIST_MBID: &str = "UPDATE artists SET musicbrainz_id = $2 WHERE id = $1 AND musicbrainz_id IS NULL";

pub const INSERT_ALBUM: &str = "INSERT INTO albums \
    (title, match_key, sort_name, artist_id, year, is_compilation, musicbrainz_release_id, cover_id, added_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
/// An album's facts come from its tracks: the first track that knows one fills it in.
pub const FILL_ALBUM: &str = "UPDATE albums SET year = COALESCE(year, $2), \
    cover_id = COALESCE(cover_id, $3), musicbrainz_release_id = COALESCE(musicbrainz_release_id, $4), \
    is_compilation = (is_compilation OR $5) WHERE id = $1";

pub const INSERT_GENRE: &str = "INSERT INTO genres (name, match_key, sort_name) VALUES ($1, $2, $3) RETURNING id";

/// Followed by one `VALUES` row of these 31 columns per track, then `UPSERT_TRACKS_TAIL`.
pub const INSERT_TRACKS_HEAD: &str = "INSERT INTO tracks (path, file_size, mtime_ns, fingerprint, format, title, \
    sort_name, album_id, track_number, track_total, disc_number, disc_total, year, date, duration_ms, \
    bitrate_kbps, sample_rate_hz, channels, bit_depth, mb_recording_id, mb_track_id, mb_release_id, \
    mb_artist_id, mb_release_artist_id, rg_track_gain_db, rg_track_peak, rg_album_gain_db, rg_album_peak, \
    cover_id, added_at, updated_at) ";
/// A known path is updated in place: its id, and everything pointing at it, stays.
pub const UPSERT_TRACKS_TAIL: &str = " ON CONFLICT (path) DO UPDATE SET file_size = excluded.file_size, \
    mtime_ns = excluded.mtime_ns, fingerprint = excluded.fingerprint, format = excluded.format, \
    title = excluded.title, sort_name = excluded.sort_name, album_id = excluded.album_id, \
    track_number = excluded.track_number, track_total = excluded.track_total, disc_number = excluded.disc_number, \
    disc_total = excluded.disc_total, year = excluded.year, date = excluded.date, duration_ms = excluded.duration_ms, \
    bitrate_kbps = excluded.bitrate_kbps, sample_rate_hz = excluded.sample_rate_hz, \
    channels = excluded.channels, bit_depth = excluded.bit_depth, mb_recording_id = excluded.mb_recording_id, \
    mb_track_id = excluded.mb_track_id, mb_release_id = excluded.mb_release_id, \
    mb_artist_id = excluded.mb_artist_id, mb_release_artist_id = excluded.mb_release_artist_id, \
    rg_track_gain_db = excluded.rg_track_gain_db, rg_track_peak = excluded.rg_track_peak, \
    rg_album_gain_db = excluded.rg_album_gain_db, rg_album_peak = excluded.rg_album_peak, \
    cover_id = excluded.cover_id, updated_at = excluded.updated_at \
    RETURNING id, path";

pub const MOVE_TRACK: &str =
    "UPDATE tracks SET path = $2, file_size = $3, mtime_ns = $4, updated_at = $5 WHERE id = $1";
pub const DELETE_TRACK: &str = "DELETE FROM tracks WHERE id = $1";

pub const UPSERT_SCAN_ISSUE: &str = "INSERT INTO scan_issues (path, reason, detail, detected_at) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, \
    detail = excluded.detail, detected_at = excluded.detected_at";
pub const DELETE_SCAN_ISSUE: &str = "DELETE FROM scan_issues WHERE path = $1";

pub const UPSERT_COVER: &str = "INSERT INTO covers (id, mime_type, source, byte_len) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (id) DO NOTHING";
pub const SELECT_COVER: &str = "SELECT id, mime_type, source, byte_len FROM covers WHERE id = $1";

/// Run in order: albums first, so artists only credited as album artists go next.
pub const PRUNE_ORPHANS: [&str; 4] = [
    "DELETE FROM albums WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = albums.id)",
    "DELETE FROM artists WHERE NOT EXISTS (SELECT 1 FROM track_artists ta WHERE ta.artist_id = artists.id) \
        AND NOT EXISTS (SELECT 1 FROM albums al WHERE al.artist_id = artists.id)",
    "DELETE FROM genres WHERE NOT EXISTS (SELECT 1 FROM track_genres tg WHERE tg.genre_id = genres.id)",
    "DELETE FROM covers WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.cover_id = covers.id) \
        AND NOT EXISTS (SELECT 1 FROM albums al WHERE al.cover_id = covers.id) \
        AND NOT EXISTS (SELECT 1 FROM playlists p WHERE p.cover_id = covers.id)",
];
