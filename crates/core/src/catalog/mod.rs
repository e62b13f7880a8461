//! The catalog as listeners see it: browsing in pages, covers, the new releases of followed
//! artists, and what every short list draws (summaries, Premium flags), kept per catalog
//! version.

pub mod browse;
pub mod covers;
pub mod new_releases;
pub mod pages;
pub mod premium;
pub mod summaries;
