-- Releases an administrator keeps for premium listeners; free listeners see them but
-- cannot play them.
ALTER TABLE albums ADD COLUMN premium_only BOOLEAN NOT NULL DEFAULT FALSE;

-- Skips counted against the free tier's hourly limit. Rows older than the window are
-- deleted as new ones arrive, so the table stays at a few rows per listener.
CREATE TABLE skips (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skipped_at INTEGER NOT NULL
);
CREATE INDEX skips_by_user ON skips (user_id, skipped_at);
