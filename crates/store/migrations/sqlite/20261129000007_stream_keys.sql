-- Content keys of encrypted HLS renditions, one per track and rendition, stored wrapped
-- (AES-256-GCM) under the key-encryption key from the configuration: a copy of the
-- database alone decrypts nothing.
CREATE TABLE stream_keys (
    track_id    INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    rendition   TEXT    NOT NULL,
    wrapped_key BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (track_id, rendition)
);
