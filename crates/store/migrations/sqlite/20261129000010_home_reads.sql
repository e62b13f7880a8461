-- What the Home screen reads, from indexes alone (measured by `bench/library.py home`,
-- docs/BENCHMARKS.md).
--
-- Counted plays: "trending this week" (every counted play of the week, by track) and a
-- listener's top tracks and artists over a window. `counted` is in the indexes because
-- SQLite counts a partial index as covering only when it holds the columns of its own WHERE.
DROP INDEX play_events_counted_by_time;
CREATE INDEX play_events_counted_by_time ON play_events (occurred_at, track_id, counted) WHERE counted;
CREATE INDEX play_events_counted_by_user_time ON play_events (user_id, occurred_at, track_id, counted) WHERE counted;

-- An artist's cover (its newest album with one, in every artist summary): without this,
-- PostgreSQL walked `albums_by_year` through every album looking for the artist's, 1.4 ms
-- per artist without a cover, 17 ms for the twelve "top artists".
CREATE INDEX albums_covers_by_artist ON albums (artist_id, COALESCE(year, 0) DESC, id) WHERE cover_id IS NOT NULL;
