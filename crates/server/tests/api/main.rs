//! Integration tests: the real server on an ephemeral port, a real library of generated
//! files, HTTP from the outside. Every test runs on SQLite, and again on PostgreSQL when
//! `TONEARM_TEST_DATABASE_URL` is set.

mod helpers;

mod access;
mod accounts;
mod adaptive;
mod catalog;
mod covers;
mod entitlements;
mod key_rotation;
mod listening;
mod logs;
mod new_releases;
mod oauth;
mod openapi_snapshot;
mod operations;
mod playlist_transfer;
mod playlists;
mod recommend_eval;
mod recommend_synth;
mod recommendations;
mod scan;
mod search;
mod settings;
mod shutdown;
mod sign_up;
mod stream;
mod throttling;
mod tls;
mod watch;
mod web_app;
