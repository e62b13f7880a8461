//! The crate's one error type: what went wrong and, through [`MediaErrorKind`], how a caller
//! (the server's status mapping, a job queue's retry policy) should treat it.

use std::path::PathBuf;

/// How a caller should treat a [`MediaError`]: the server maps each kind to a status in one
/// exhaustive match, and a job queue never retries a source that is corrupt or unsupported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaErrorKind {
    /// The source cannot be read (missing, permissions, disk error): may succeed later.
    SourceUnreadable,
    /// The source's format or codec is not one this crate decodes (Opus for now).
    UnsupportedSource,
    /// The source is damaged: truncated, malformed, or without audio. Retrying will not help.
    CorruptSource,
    /// The encoder or muxer refused its input: a bug or a configuration it cannot encode.
    EncodingFailed,
}

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("cannot read source {path}: {source}")]
    SourceUnreadable { path: PathBuf, source: std::io::Error },
    #[error("unsupported source {path}: {reason}")]
    UnsupportedSource { path: PathBuf, reason: String },
    #[error("corrupt source {path}: {reason}")]
    CorruptSource { path: PathBuf, reason: String },
    #[error("encoder failed: {0}")]
    Encoder(String),
    #[error("resampler failed: {0}")]
    Resampler(String),
    #[error("cannot write mp4 box: {0}")]
    Muxer(String),
}

impl MediaError {
    pub fn kind(&self) -> MediaErrorKind {
        match self {
            Self::SourceUnreadable { .. } => MediaErrorKind::SourceUnreadable,
            Self::UnsupportedSource { .. } => MediaErrorKind::UnsupportedSource,
            Self::CorruptSource { .. } => MediaErrorKind::CorruptSource,
            Self::Encoder(_) | Self::Resampler(_) | Self::Muxer(_) => MediaErrorKind::EncodingFailed,
        }
    }
}

impl From<mp4_atom::Error> for MediaError {
    fn from(error: mp4_atom::Error) -> Self {
        Self::Muxer(error.to_string())
    }
}
