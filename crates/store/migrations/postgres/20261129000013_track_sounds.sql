-- What each track sounds like (loudness, brightness, noisiness, tempo), analysed from its
-- decoded audio in the background so the recommender can place a track nobody has played.
-- The measures are NULL when the file could not be analysed; the row stays so that it is
-- not tried again until the file changes (another fingerprint).
CREATE TABLE track_sounds (
    track_id      BIGINT PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    fingerprint   TEXT NOT NULL,
    loudness_db   DOUBLE PRECISION,
    brightness_hz DOUBLE PRECISION,
    flatness      DOUBLE PRECISION,
    tempo_bpm     DOUBLE PRECISION,
    analysed_at   BIGINT NOT NULL
);
