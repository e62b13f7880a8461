//! Browsing the catalog: what every listener sees the same, kept per catalog version.

pub mod summaries;
