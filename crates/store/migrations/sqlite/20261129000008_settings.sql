-- Each listener's preferences, one row per account once something was changed. NULL is
-- "never set": the server supplies the default, so adding a setting needs no back-fill.
CREATE TABLE user_settings (
    user_id           INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    streaming_quality TEXT CHECK (streaming_quality IN ('auto', 'low', 'normal', 'high', 'lossless')),
    download_quality  TEXT CHECK (download_quality IN ('normal', 'high', 'lossless')),
    notifications     BOOLEAN,
    updated_at        INTEGER NOT NULL
);
