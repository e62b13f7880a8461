use serde::{Deserialize, Serialize};

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

numeric_id!(
    /// A track's identity survives renames and moves (it follows the content fingerprint),
    /// so playlists and history that point at it stay valid.
    TrackId
);
numeric_id!(AlbumId);
numeric_id!(ArtistId);
numeric_id!(GenreId);

/// Cover art is content-addressed: the hex digest of the original image bytes,
/// so the same picture embedded in twelve tracks is stored and resized once.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "9f86d081884c7d659a2feaa0c55ad015"))]
pub struct CoverId(String);

impl CoverId {
    /// Accepts only what `from_digest` produces: 32 lowercase hex characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| Self(raw.to_owned()))
    }

    pub fn from_digest(digest: u128) -> Self {
        Self(format!("{digest:032x}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CoverId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_id_round_trips_and_rejects_foreign_text() {
        let id = CoverId::from_digest(0xabc);
        assert_eq!(CoverId::parse(id.as_str()), Some(id));
        assert_eq!(CoverId::parse("../../etc/passwd"), None);
        assert_eq!(CoverId::parse(&"A".repeat(32)), None);
    }
}
