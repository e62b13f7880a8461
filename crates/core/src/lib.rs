//! What Tonearm does, as services both APIs share (the JSON API under `/api/v1` today, the
//! Subsonic API later): typed inputs, domain results and one error type. This crate knows
//! neither HTTP nor SQL: the server maps requests to these calls and results to responses,
//! and the stores behind `tonearm_model`'s traits hold the SQL.

pub mod accounts;
pub mod admin;
pub mod cache;
pub mod catalog;
pub mod clock;
mod error;
pub mod health;
pub mod home;
pub mod jobs;
pub mod library;
pub mod listening;
pub mod playlists;
pub mod recommendations;
pub mod search;
pub mod stores;
pub mod streaming;

pub use error::{ServiceError, ServiceResult};
