//! The JSON shapes `/api/v1` reads and writes, kept apart from the store contracts
//! (`tonearm_model`, `tonearm_ingest`) so another protocol can answer with shapes of its
//! own. Each mirrors the type of the same name field for field (the OpenAPI document names
//! its schemas after them) and converts from it, or into it for request bodies.

/// `From<$from> for $to` between two structs with the same fields, each converted with
/// `Into`, or with the function given after it (`list` for a `Vec`).
macro_rules! convert_fields {
    ($from:ty => $to:ty { $($field:ident $(: $convert:path)?),+ $(,)? }) => {
        impl From<$from> for $to {
            fn from(from: $from) -> Self {
                Self { $($field: convert_fields!(@field from.$field $(, $convert)?)),+ }
            }
        }
    };
    (@field $value:expr) => { $value.into() };
    (@field $value:expr, $convert:path) => { $convert($value) };
}

/// `From<$from> for $to` between two enums with the same unit variants.
macro_rules! convert_variants {
    ($from:ty => $to:ty { $($variant:ident),+ $(,)? }) => {
        impl From<$from> for $to {
            fn from(from: $from) -> Self {
                type Source = $from;
                match from { $(Source::$variant => Self::$variant),+ }
            }
        }
    };
}

pub mod accounts;
pub mod catalog;
pub mod listening;
pub mod playlists;
pub mod recommendations;
pub mod scan;
pub mod settings;
pub mod transcoding;

/// Every item of a list converted.
pub(crate) fn list<Model, Wire: From<Model>>(items: Vec<Model>) -> Vec<Wire> {
    items.into_iter().map(Wire::from).collect()
}
