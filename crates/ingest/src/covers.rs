//! Cover art on disk: originals stored once by content digest, thumbnails made on first
//! request (or by the warm-up after a scan) and cached beside them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use image::ImageFormat;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use tonearm_catalog::{CoverRecord, CoverSource};
use tonearm_domain::CoverId;
use xxhash_rust::xxh3::xxh3_128;

use crate::IngestError;

/// The sizes thumbnails are made in; a request for another size gets the next larger one,
/// so a handful of files per cover serve every screen.
pub const THUMBNAIL_SIZES: [u32; 5] = [64, 128, 300, 640, 1200];

/// The names a folder's own cover image goes by, in order of preference.
const FOLDER_COVER_NAMES: [&str; 4] = ["cover", "folder", "front", "album"];
const IMAGE_EXTENSIONS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

#[derive(Debug, Clone)]
pub struct CoverStore {
    originals: PathBuf,
    thumbnails: PathBuf,
}

/// A resized cover ready to send.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub path: PathBuf,
    pub mime_type: &'static str,
    pub size: u32,
}

impl CoverStore {
    pub fn open(dir: &Path) -> Result<Self, IngestError> {
        let store = Self { originals: dir.join("originals"), thumbnails: dir.join("thumbnails") };
        for folder in [&store.originals, &store.thumbnails] {
            std::fs::create_dir_all(folder)
                .map_err(|source| IngestError::CoverStore { path: folder.display().to_string(), source })?;
        }
        Ok(store)
    }

    /// Stores image bytes once per distinct picture. Bytes that are not a known image
    /// format are ignored (a broken picture frame must not fail its track).
    pub fn store_original(&self, bytes: &[u8], source: CoverSource) -> std::io::Result<Option<CoverRecord>> {
        let Ok(format) = image::guess_format(bytes) else {
            return Ok(None);
        };
        let id = CoverId::from_digest(xxh3_128(bytes));
        let path = self.original_path(&id);
        if !path.exists() {
            write_atomically(&path, bytes)?;
        }
        Ok(Some(CoverRecord {
            id,
            mime_type: format.to_mime_type().to_owned(),
            source,
            byte_len: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        }))
    }

    pub fn original_path(&self, id: &CoverId) -> PathBuf {
        self.originals.join(id.as_str())
    }

    /// The cached thumbnail for `requested` pixels, made now if missing. Blocking: decodes
    /// and encodes images, so callers run it off the async runtime.
    pub fn thumbnail(&self, id: &CoverId, requested: u32) -> Result<Thumbnail, image::ImageError> {
        let size = THUMBNAIL_SIZES.into_iter().find(|size| *size >= requested).unwrap_or(1200);
        let path = self.thumbnails.join(format!("{id}-{size}.jpg"));
        if !path.exists() {
            // Originals are stored without an extension: the content says what they are.
            let original = image::ImageReader::open(self.original_path(id))?.with_guessed_format()?.decode()?;
            // Never upscale: a 200 px original asked for at 640 stays 200 px.
            let target = size.min(original.width().max(original.height()));
            let resized = original.resize(target, target, FilterType::Lanczos3).into_rgb8();
            let mut encoded = Vec::new();
            JpegEncoder::new_with_quality(&mut encoded, 85).encode_image(&resized)?;
            write_atomically(&path, &encoded)?;
        }
        Ok(Thumbnail { path, mime_type: ImageFormat::Jpeg.to_mime_type(), size })
    }
}

/// The cover image a folder holds beside its tracks (`cover.jpg`, `folder.png`, …).
pub fn folder_cover(dir: &Path) -> Option<PathBuf> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir).ok()?.filter_map(|entry| Some(entry.ok()?.path())).collect();
    FOLDER_COVER_NAMES.iter().find_map(|name| {
        entries
            .iter()
            .find(|path| {
                let stem_matches =
                    path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.eq_ignore_ascii_case(name));
                let ext_matches = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(e)));
                stem_matches && ext_matches && path.is_file()
            })
            .cloned()
    })
}

/// Writes to a temporary sibling and renames, so readers never see half a file. The
/// temporary name is unique per write: two scan threads may store the same picture at once.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let unique = WRITES.fetch_add(1, Ordering::Relaxed);
    let temporary = path.with_extension(format!("tmp-{}-{unique}", std::process::id()));
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn identical_pictures_are_stored_once_and_thumbnails_snap_to_known_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let store = CoverStore::open(dir.path()).unwrap();
        let bytes = png(800, 800);
        let first = store.store_original(&bytes, CoverSource::Embedded).unwrap().unwrap();
        let second = store.store_original(&bytes, CoverSource::Embedded).unwrap().unwrap();
        assert_eq!(first.id, second.id);
        assert_eq!(first.mime_type, "image/png");

        let thumb = store.thumbnail(&first.id, 250).unwrap();
        assert_eq!(thumb.size, 300);
        let decoded = image::open(&thumb.path).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (300, 300));
    }

    #[test]
    fn small_originals_are_not_upscaled_and_garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let store = CoverStore::open(dir.path()).unwrap();
        let record = store.store_original(&png(100, 50), CoverSource::Folder).unwrap().unwrap();
        let decoded = image::open(store.thumbnail(&record.id, 640).unwrap().path).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (100, 50));
        assert!(store.store_original(b"not an image", CoverSource::Folder).unwrap().is_none());
    }
}
