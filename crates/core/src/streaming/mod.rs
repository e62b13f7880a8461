//! Getting a track's sound to a listener: originals, renditions and progressive transcodes,
//! each through the tier policy.

pub mod access;
pub mod adaptive;
pub mod originals;
pub mod progressive;
pub mod renditions;
pub mod sources;
