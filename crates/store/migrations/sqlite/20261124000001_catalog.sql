-- The catalog: what the library scan found. Ids are stable across rescans and moves,
-- so later tables (playlists, play events, recommendations) can reference tracks.

CREATE TABLE covers (
    id        TEXT PRIMARY KEY,            -- content digest of the original image
    mime_type TEXT NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('embedded', 'folder')),
    byte_len  INTEGER NOT NULL
);

CREATE TABLE artists (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    match_key      TEXT NOT NULL UNIQUE,   -- folded name: one artist however it is spelled in case/accents form
    sort_name      TEXT NOT NULL,
    musicbrainz_id TEXT,
    added_at       INTEGER NOT NULL
);
CREATE INDEX artists_by_sort_name ON artists (sort_name, id);
CREATE INDEX artists_by_added_at ON artists (added_at, id);

CREATE TABLE albums (
    id                     INTEGER PRIMARY KEY,
    title                  TEXT NOT NULL,
    match_key              TEXT NOT NULL UNIQUE, -- album artist key + U+001F + title key
    sort_name              TEXT NOT NULL,
    artist_id              INTEGER NOT NULL REFERENCES artists (id),
    year                   INTEGER,
    is_compilation         BOOLEAN NOT NULL DEFAULT FALSE,
    musicbrainz_release_id TEXT,
    cover_id               TEXT REFERENCES covers (id),
    added_at               INTEGER NOT NULL
);
CREATE INDEX albums_by_sort_name ON albums (sort_name, id);
CREATE INDEX albums_by_added_at ON albums (added_at, id);
CREATE INDEX albums_by_year ON albums (COALESCE(year, 0), id);
CREATE INDEX albums_by_artist ON albums (artist_id);

CREATE TABLE genres (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    match_key TEXT NOT NULL UNIQUE,
    sort_name TEXT NOT NULL
);
CREATE INDEX genres_by_sort_name ON genres (sort_name, id);

CREATE TABLE tracks (
    id                   INTEGER PRIMARY KEY,
    path                 TEXT NOT NULL UNIQUE,
    file_size            INTEGER NOT NULL,
    mtime_ns             INTEGER NOT NULL,
    fingerprint          TEXT NOT NULL,
    format               TEXT NOT NULL,
    title                TEXT NOT NULL,
    sort_name            TEXT NOT NULL,
    album_id             INTEGER NOT NULL REFERENCES albums (id),
    track_number         INTEGER,
    track_total          INTEGER,
    disc_number          INTEGER,
    disc_total           INTEGER,
    year                 INTEGER,
    date                 TEXT,
    duration_ms          INTEGER NOT NULL,
    bitrate_kbps         INTEGER,
    sample_rate_hz       INTEGER,
    channels             INTEGER,
    bit_depth            INTEGER,
    mb_recording_id      TEXT,
    mb_track_id          TEXT,
    mb_release_id        TEXT,
    mb_artist_id         TEXT,
    mb_release_artist_id TEXT,
    rg_track_gain_db     REAL,
    rg_track_peak        REAL,
    rg_album_gain_db     REAL,
    rg_album_peak        REAL,
    cover_id             TEXT REFERENCES covers (id),
    added_at             INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX tracks_by_fingerprint ON tracks (fingerprint);
CREATE INDEX tracks_by_album ON tracks (album_id, disc_number, track_number);
CREATE INDEX tracks_by_sort_name ON tracks (sort_name, id);
CREATE INDEX tracks_by_added_at ON tracks (added_at, id);
CREATE INDEX tracks_by_year ON tracks (COALESCE(year, 0), id);

CREATE TABLE track_artists (
    track_id  INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    artist_id INTEGER NOT NULL REFERENCES artists (id),
    PRIMARY KEY (track_id, position)
);
CREATE INDEX track_artists_by_artist ON track_artists (artist_id);

CREATE TABLE track_genres (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    genre_id INTEGER NOT NULL REFERENCES genres (id),
    PRIMARY KEY (track_id, genre_id)
);
CREATE INDEX track_genres_by_genre ON track_genres (genre_id);

CREATE TABLE scan_issues (
    path        TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    detected_at INTEGER NOT NULL
);
