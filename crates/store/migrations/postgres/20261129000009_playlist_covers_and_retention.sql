-- A playlist's cover, derived from its entries by the server: the cover of its first
-- album, or a 2x2 mosaic of its first four albums' covers. A mosaic lives in the cover
-- store but has no row in `covers` (its sources do), so no foreign key; setting it does
-- not bump the playlist's version, since no listener edited anything.
ALTER TABLE playlists ADD COLUMN cover_id TEXT;
CREATE INDEX playlists_by_cover ON playlists (cover_id);

-- Retention of play_progress rows (server::retention): old progress rows by time, and the
-- next event of the same listener and track, each found through an index. The progress
-- index shrinks as rows are compacted.
CREATE INDEX play_events_by_user_track_time ON play_events (user_id, track_id, occurred_at);
CREATE INDEX play_events_progress_by_time ON play_events (occurred_at) WHERE kind = 'play_progress';
