//! Cover art on disk: originals stored once by content digest, thumbnails made on first
//! request (or by the warm-up after a scan) and cached beside them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use image::ImageFormat;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use tonearm_domain::CoverId;
use tonearm_model::{CoverRecord, CoverSource};
use xxhash_rust::xxh3::xxh3_128;

use crate::IngestError;

/// The sizes thumbnails are made in; a request for another size gets the next larger one,
/// so a handful of files per cover serve every screen.
pub const THUMBNAIL_SIZES: [u32; 5] = [64, 128, 300, 640, 1200];

/// A playlist mosaic is two by two tiles of this many pixels.
const MOSAIC_TILE: u32 = 300;

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

    /// The 2×2 mosaic of four covers (left to right, top to bottom), made once: its id is a
    /// digest of the four covers' ids, themselves digests of their content, so the same
    /// four covers always name the same file. Blocking, like `thumbnail`.
    pub fn mosaic(&self, tiles: &[CoverId; 4]) -> Result<CoverId, image::ImageError> {
        let joined: Vec<&str> = tiles.iter().map(CoverId::as_str).collect();
        let id = CoverId::from_digest(xxh3_128(format!("mosaic:{}", joined.join(":")).as_bytes()));
        let path = self.original_path(&id);
        if path.exists() {
            return Ok(id);
        }
        let mut canvas = image::RgbImage::new(2 * MOSAIC_TILE, 2 * MOSAIC_TILE);
        for (position, tile) in (0_u32..).zip(tiles) {
            // The cached thumbnail decodes far faster than a large original.
            let thumbnail = self.thumbnail(tile, MOSAIC_TILE)?;
            let square = image::open(&thumbnail.path)?.resize_to_fill(MOSAIC_TILE, MOSAIC_TILE, FilterType::Lanczos3);
            let (x, y) = (position % 2 * MOSAIC_TILE, position / 2 * MOSAIC_TILE);
            image::imageops::replace(&mut canvas, &square.into_rgb8(), i64::from(x), i64::from(y));
        }
        let mut encoded = Vec::new();
        JpegEncoder::new_with_quality(&mut encoded, 85).encode_image(&canvas)?;
        write_atomically(&path, &encoded)?;
        Ok(id)
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

    fn plain_png(width: u32, height: u32, color: [u8; 3]) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb(color));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn a_mosaic_tiles_four_covers_and_is_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = CoverStore::open(dir.path()).unwrap();
        let colors = [[250, 0, 0], [0, 250, 0], [0, 0, 250], [250, 250, 0]];
        // Sizes and shapes differ: each tile is cropped to a square.
        let sizes = [(800, 800), (120, 120), (640, 300), (300, 900)];
        let tiles = std::array::from_fn(|n| {
            let (width, height) = sizes[n];
            store.store_original(&plain_png(width, height, colors[n]), CoverSource::Embedded).unwrap().unwrap().id
        });
        let id = store.mosaic(&tiles).unwrap();
        let reader = image::ImageReader::open(store.original_path(&id)).unwrap().with_guessed_format().unwrap();
        let mosaic = reader.decode().unwrap().into_rgb8();
        assert_eq!(mosaic.dimensions(), (600, 600));
        for (n, (x, y)) in [(150, 150), (450, 150), (150, 450), (450, 450)].into_iter().enumerate() {
            let pixel = mosaic.get_pixel(x, y).0;
            let close = pixel.iter().zip(colors[n]).all(|(got, want)| got.abs_diff(want) < 12);
            assert!(close, "tile {n} at ({x}, {y}) is {pixel:?}, expected {:?}", colors[n]);
        }
        let modified = std::fs::metadata(store.original_path(&id)).unwrap().modified().unwrap();
        assert_eq!(store.mosaic(&tiles).unwrap(), id, "the same four covers name the same mosaic");
        assert_eq!(std::fs::metadata(store.original_path(&id)).unwrap().modified().unwrap(), modified, "made once");
        let reordered = [tiles[1].clone(), tiles[0].clone(), tiles[2].clone(), tiles[3].clone()];
        assert_ne!(store.mosaic(&reordered).unwrap(), id, "the order is part of the picture");
        assert_eq!(store.thumbnail(&id, 64).unwrap().size, 64, "served resized like any cover");
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
