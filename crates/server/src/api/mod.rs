//! The protocols Tonearm answers: the JSON API (`v1`) and the health checks.

pub mod health;
pub mod v1;
