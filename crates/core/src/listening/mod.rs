//! A listener's history and likes.

pub mod history;
pub mod likes;
pub mod retention;
pub mod taste_changes;
