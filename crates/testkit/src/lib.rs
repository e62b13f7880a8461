//! Test support shared by the integration suites: a real music library generated with
//! ffmpeg (audio) and lofty (tags), in every format Tonearm accepts, plus broken files;
//! a large generated catalog (no files) for benchmarks; and throwaway PostgreSQL schemas.

mod fixtures;
pub mod generated_catalog;
mod genre_library;
mod media;
pub mod postgres;

pub use fixtures::{
    BROKEN_FILES, FOLDER_COVER_ALBUM, FixtureLibrary, FixtureTrack, add_track, fixture_library, fixture_tracks, retitle,
};
pub use genre_library::{GenreTrack, genre_library};
pub use media::{AudioKind, encode_tone, require_tool};
