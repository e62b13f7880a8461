-- Play events as clients report them: the history that top lists, popularity,
-- recommendations and analytics are computed from. Millions of rows: every read goes
-- through one of the two indexes (a listener's events in time order, a track's events in
-- time order, and counted plays service-wide), and the client's id makes a re-sent batch a no-op.
CREATE TABLE play_events (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_event_id TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('play_start', 'play_progress', 'play_end')),
    track_id        INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    occurred_at     INTEGER NOT NULL,
    ms_played       INTEGER NOT NULL,
    reason          TEXT CHECK (reason IN ('completed', 'skipped', 'error')),
    counted         BOOLEAN NOT NULL,
    context_kind    TEXT,
    context_id      TEXT,
    received_at     INTEGER NOT NULL,
    UNIQUE (user_id, client_event_id)
);
CREATE INDEX play_events_by_user_time ON play_events (user_id, occurred_at);
CREATE INDEX play_events_by_track_time ON play_events (track_id, occurred_at);
-- Service-wide windows ("trending this week") read only counted plays, in time order.
CREATE INDEX play_events_counted_by_time ON play_events (occurred_at) WHERE counted;

-- Counted plays per track across the service (popularity), kept in step with play_events
-- in the same transaction so ranking never scans the events.
CREATE TABLE track_plays (
    track_id       INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    plays          INTEGER NOT NULL,
    last_played_at INTEGER NOT NULL
);

CREATE TABLE liked_tracks (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    liked_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, track_id)
);
CREATE INDEX liked_tracks_by_time ON liked_tracks (user_id, liked_at);

CREATE TABLE liked_albums (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    album_id INTEGER NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    liked_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, album_id)
);
CREATE INDEX liked_albums_by_time ON liked_albums (user_id, liked_at);

CREATE TABLE liked_artists (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    artist_id INTEGER NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    liked_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, artist_id)
);
CREATE INDEX liked_artists_by_time ON liked_artists (user_id, liked_at);
