//! Response bodies that are spans of files: originals (whole or a range) and cached
//! rendition files. How the bytes travel depends on the connection ([`OriginalBodies`]): a
//! mapped span that the connection sends with `sendfile`, or chunks read on the blocking
//! pool. Mapping itself is `zero_copy`'s alone.

use axum::body::Body;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;
use tonearm_delivery::{ObjectBody, read_span};

use crate::http::error::ApiError;
use crate::http::zero_copy::{OriginalBodies, map_span};

/// Read size per chunk when bodies are read (TLS, HTTP/2): each read is a hop to the blocking
/// pool, so larger chunks cost less CPU per byte; 128 KiB keeps a thousand concurrent streams
/// within ~256 MiB of buffers (a chunk being read and one being written each).
const CHUNK_BYTES: usize = 128 * 1024;

/// Shorter spans are read in one trip to the blocking pool instead of mapped: a mapping
/// and its unmapping (a TLB shootdown across cores) cost more than copying a few pages.
const MAP_MIN_BYTES: u64 = 256 * 1024;

/// `length` bytes of `file` from `start`: a mapped span the connection sends with
/// `sendfile`, or read on the blocking pool (whole when short, else in chunks). A file that
/// cannot be mapped is read.
pub async fn span_body(file: std::fs::File, bodies: OriginalBodies, start: u64, length: u64) -> Result<Body, ApiError> {
    if length == 0 {
        return Ok(Body::empty());
    }
    if length < MAP_MIN_BYTES {
        let read = tokio::task::spawn_blocking(move || read_span(&file, start, length));
        let bytes = read.await.map_err(|error| ApiError::internal("the file reading task failed", error))?;
        return bytes.map(Body::from).map_err(|error| ApiError::internal("reading a file span failed", error));
    }
    let file = match bodies {
        OriginalBodies::Mapped => match map_span(file, start, length) {
            Ok(span) => return Ok(Body::from(span)),
            Err((file, error)) => {
                tracing::debug!(%error, "file not mapped, read instead");
                file
            }
        },
        OriginalBodies::Read => file,
    };
    let mut file = tokio::fs::File::from_std(file);
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|error| ApiError::internal("seeking in a file failed", error))?;
    }
    Ok(Body::from_stream(ReaderStream::with_capacity(file.take(length), CHUNK_BYTES)))
}

/// A stored object as a body: a local file is sent as a span of its file, never read whole.
pub async fn object_body(object: ObjectBody, bodies: OriginalBodies) -> Result<Body, ApiError> {
    match object {
        ObjectBody::File { file, len } => span_body(file, bodies, 0, len).await,
        ObjectBody::Bytes(bytes) => Ok(Body::from(bytes)),
    }
}
