//! Playlists: their covers and the files other players read and write.

pub mod cover;
pub mod files;
