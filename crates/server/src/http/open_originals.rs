//! Original files held open between requests, and on plain HTTP/1 mapped whole: a player
//! fetches a track as a run of range requests, and each of them is then answered with an
//! `fstat` of the open file (is it still what was opened?) and the `sendfile` of its span,
//! instead of an open on the blocking pool (two thread hops) and a mapping of its own.
//!
//! Entries live as long as [`CatalogCache`] keeps them: until the catalog changes, 5 s at
//! most. A file changed in place (another length or time), deleted, or replaced by a new
//! file under its name (the old one then has no link left) is reopened at once.

use std::fs::{File, Metadata};
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::Version;
use tonearm_core::cache::CatalogCache;
use tonearm_domain::TrackId;
use tonearm_model::{CatalogVersion, StreamSource};

use crate::http::error::ApiError;
use crate::http::file_body::span_body;
use crate::http::zero_copy::{OriginalBodies, map_span};

/// Open files (and mappings) at most: well under the usual limit of 1,024 descriptors,
/// which the connections share.
const MAX_OPEN: usize = 256;

#[derive(Clone)]
pub struct OpenOriginals {
    held: CatalogCache<TrackId, Arc<OpenOriginal>>,
    /// How this server sends originals (mapped on plain HTTP, read with TLS).
    bodies: OriginalBodies,
}

pub struct OpenOriginal {
    file: File,
    metadata: Metadata,
    /// The whole file as a mapping that the connection sends with `sendfile`.
    mapped: Option<Bytes>,
}

impl OpenOriginals {
    pub fn new(version: CatalogVersion, bodies: OriginalBodies) -> Self {
        Self { held: CatalogCache::new(version, MAX_OPEN), bodies }
    }

    /// How this server sends files (originals and rendition files alike), whatever the
    /// HTTP version.
    pub fn sending(&self) -> OriginalBodies {
        self.bodies
    }

    /// How a response of this HTTP version sends an original's bytes.
    pub fn bodies(&self, version: Version) -> OriginalBodies {
        self.bodies.for_version(version)
    }

    /// The open file of `source`: the one held when it is unchanged, else opened (and for
    /// `Mapped` bodies mapped) on the blocking pool.
    pub async fn open(&self, source: &StreamSource, bodies: OriginalBodies) -> std::io::Result<Arc<OpenOriginal>> {
        let version = self.held.version();
        if let Some(held) = self.held.get(&source.track_id, version)
            && held.unchanged()
            && (held.mapped.is_some() || bodies == OriginalBodies::Read)
        {
            return Ok(held);
        }
        let path = source.path.clone();
        let opened = tokio::task::spawn_blocking(move || OpenOriginal::open(&path, bodies))
            .await
            .map_err(std::io::Error::other)??;
        let opened = Arc::new(opened);
        self.held.put(source.track_id, version, Arc::clone(&opened));
        Ok(opened)
    }
}

impl OpenOriginal {
    fn open(path: &str, bodies: OriginalBodies) -> std::io::Result<Self> {
        let file = File::open(path)?;
        let metadata = file.metadata()?;
        let mapped = match bodies {
            OriginalBodies::Mapped if metadata.len() > 0 => {
                // The mapping keeps a descriptor of its own; a file that cannot be mapped is read.
                map_span(file.try_clone()?, 0, metadata.len()).ok()
            }
            _ => None,
        };
        Ok(Self { file, metadata, mapped })
    }

    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Still linked under a name, with the length and time it had when opened. An `fstat`
    /// of an open file reads the inode in memory, never the disk, so it runs here rather
    /// than on the blocking pool.
    fn unchanged(&self) -> bool {
        self.file.metadata().is_ok_and(|now| {
            now.nlink() > 0 && now.len() == self.metadata.len() && now.modified().ok() == self.metadata.modified().ok()
        })
    }

    /// `length` bytes from `start`: a slice of the mapping on plain HTTP/1, else read.
    pub async fn body(&self, bodies: OriginalBodies, start: u64, length: u64) -> Result<Body, ApiError> {
        if let (OriginalBodies::Mapped, Some(mapped)) = (bodies, &self.mapped)
            && let (Ok(start), Ok(length)) = (usize::try_from(start), usize::try_from(length))
        {
            return Ok(Body::from(mapped.slice(start..start + length)));
        }
        let file = self.file.try_clone().map_err(|error| ApiError::internal("reopening a file failed", error))?;
        span_body(file, bodies, start, length).await
    }
}
