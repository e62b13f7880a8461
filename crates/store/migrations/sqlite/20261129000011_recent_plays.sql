-- Each listener's latest start or end of each track, kept in step with play_events in the
-- same transaction: "recently played" (on Home, in the library) reads a dozen rows of it
-- instead of walking the listener's events until enough distinct tracks turn up
-- (measured by `bench/library.py home`, docs/BENCHMARKS.md). Ties of the same instant go
-- to the track with the higher id.
CREATE TABLE recent_plays (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id     INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    played_at    INTEGER NOT NULL,
    context_kind TEXT,
    context_id   TEXT,
    PRIMARY KEY (user_id, track_id)
);
CREATE INDEX recent_plays_by_user_time ON recent_plays (user_id, played_at, track_id);

-- From the history so far: the newest start or end of each listener and track (the later
-- event of the same instant, as ids order them).
INSERT INTO recent_plays (user_id, track_id, played_at, context_kind, context_id)
SELECT user_id, track_id, occurred_at, context_kind, context_id FROM (
    SELECT user_id, track_id, occurred_at, context_kind, context_id,
        ROW_NUMBER() OVER (PARTITION BY user_id, track_id ORDER BY occurred_at DESC, id DESC) AS nth
    FROM play_events WHERE kind <> 'play_progress'
) AS latest WHERE nth = 1;
