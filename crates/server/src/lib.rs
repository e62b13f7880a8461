//! The `tonearm` server: the only crate that knows HTTP. Start-up, state, routes and the
//! mapping of every error to a status live here; everything below is plain Rust.

pub mod accounts;
pub mod adaptive;
pub mod app;
mod authentication;
mod catalog_cache;
pub mod cli;
mod client_address;
pub mod commands;
mod error;
mod extract;
mod file_body;
pub mod key_rotation;
mod keyring;
mod oauth;
mod open_originals;
mod playlist_cover;
mod playlist_files;
mod progressive;
mod request_id;
mod response_cache;
mod retention;
mod routes;
mod service_shelves;
mod shutdown;
mod state;
mod stream_sources;
mod summaries;
pub mod telemetry;
mod throttle;
pub mod tls;
mod top_artists;
pub mod verified_tokens;
mod zero_copy;

pub use app::{Application, StartupError};
pub use state::Library;
