-- Playlists. `version` is bumped by every change: edits based on an older version are
-- refused, so two devices editing at once never silently overwrite each other.
CREATE TABLE playlists (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    public      BOOLEAN NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX playlists_by_owner ON playlists (owner_id, updated_at);
CREATE INDEX playlists_public ON playlists (public, updated_at);

-- One row per place in a playlist: the same track may appear twice, each entry with its
-- own id, so "remove this one" and "move this one" are never ambiguous.
CREATE TABLE playlist_entries (
    id          INTEGER PRIMARY KEY,
    playlist_id INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    track_id    INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    added_at    INTEGER NOT NULL
);
CREATE INDEX playlist_entries_in_order ON playlist_entries (playlist_id, position);
CREATE INDEX playlist_entries_by_track ON playlist_entries (track_id);

CREATE TABLE playlist_follows (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    playlist_id INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    followed_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, playlist_id)
);
