-- OAuth 2.0: signing keys of access tokens, pending authorization codes, sessions (one per
-- signed-in device, the family of its refresh tokens) and refresh tokens. Codes and refresh
-- tokens are stored as SHA-256 digests, never as issued.
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,             -- base64 of 256 random bits
    created_at INTEGER NOT NULL
);

CREATE TABLE authorization_codes (
    code_hash      TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
