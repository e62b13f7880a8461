//! HTTP routes, one module per resource family.

pub mod adaptive;
pub mod admin;
pub mod catalog;
pub mod covers;
pub mod entitlements;
pub mod health;
pub mod home_shelves;
pub mod listening;
pub mod me;
pub mod new_releases;
pub mod oauth;
pub mod openapi;
pub mod playlist_transfer;
pub mod playlists;
pub mod search;
pub mod settings;
pub mod stream;
pub mod web_app;
