//! A listener's history and likes.

pub mod likes;
pub mod retention;
