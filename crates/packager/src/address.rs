//! The names of a rendition's objects in the store. The digest makes them content
//! addresses: it covers everything the bytes depend on, so a name never changes meaning
//! and every URL built from it can be cached forever.

/// One rendition of one version of one track.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenditionAddress {
    pub track: i64,
    /// The ladder's id for it, e.g. `aac-lc-128`.
    pub rendition: String,
    /// Hex digest of the source version, encoding parameters and content key.
    pub digest: String,
}

/// A file of a rendition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaFile {
    /// The CMAF header: `ftyp` + `moov`, in the clear.
    Init,
    /// Media segment `n` (0-based, also its HLS media sequence number), encrypted.
    Segment(u32),
}

const ROOT: &str = "renditions";
/// Written last, holding the rendition's total size: its presence means complete.
const COMPLETE: &str = "complete";

impl RenditionAddress {
    /// The folder of the rendition's objects, `/`-terminated.
    pub fn prefix(&self) -> String {
        format!("{ROOT}/{}/{}/{}/", self.track, self.rendition, self.digest)
    }

    pub fn key_of(&self, file: MediaFile) -> String {
        match file {
            MediaFile::Init => format!("{}init.mp4", self.prefix()),
            MediaFile::Segment(index) => format!("{}{index}.m4s", self.prefix()),
        }
    }

    pub fn completion_key(&self) -> String {
        format!("{}{COMPLETE}", self.prefix())
    }

    /// The rendition an object key belongs to, and whether it is the completion marker.
    pub fn parse_object_key(key: &str) -> Option<(Self, bool)> {
        let mut parts = key.strip_prefix(ROOT)?.strip_prefix('/')?.split('/');
        let track = parts.next()?.parse().ok()?;
        let rendition = parts.next()?.to_owned();
        let digest = parts.next()?.to_owned();
        let file = parts.next()?;
        parts.next().is_none().then_some((Self { track, rendition, digest }, file == COMPLETE))
    }

    pub fn root_prefix() -> String {
        format!("{ROOT}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_keys_parse_back_to_their_rendition() {
        let address = RenditionAddress { track: 12, rendition: "aac-lc-128".into(), digest: "ab12".into() };
        assert_eq!(address.key_of(MediaFile::Segment(4)), "renditions/12/aac-lc-128/ab12/4.m4s");
        assert_eq!(address.key_of(MediaFile::Init), "renditions/12/aac-lc-128/ab12/init.mp4");
        assert_eq!(
            RenditionAddress::parse_object_key(&address.key_of(MediaFile::Init)),
            Some((address.clone(), false))
        );
        assert_eq!(RenditionAddress::parse_object_key(&address.completion_key()), Some((address, true)));
        assert_eq!(RenditionAddress::parse_object_key("renditions/x/a/b/c"), None);
        assert_eq!(RenditionAddress::parse_object_key("renditions/1/a/b/c/d"), None);
    }
}
