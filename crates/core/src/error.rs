//! What can go wrong in a service, by kind, so each API decides once how its clients see
//! each kind (the JSON API's statuses and codes, Subsonic's error numbers). Causes ride
//! along as sources and are logged whole; they are never shown to clients.

use tonearm_auth::policy::Refusal;
use tonearm_model::{PlaylistError, StoreError};
use tonearm_packager::PackagerError;

use crate::accounts::throttle::Wait;

pub type ServiceResult<T> = Result<T, ServiceError>;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The caller is not (or no longer) signed in as someone who may do this.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Too many attempts: asking again after the wait can succeed.
    #[error("too many attempts: try again in {} s", .0.seconds())]
    Throttled(Wait),
    /// What the request names does not exist (or is not visible to the caller).
    #[error("{0}")]
    NotFound(String),
    /// The listener's tier does not include this (`tonearm_auth::policy` decided).
    #[error(transparent)]
    NotEntitled(#[from] Refusal),
    /// The caller may see this but not do this to it; `code` is stable for clients.
    #[error("{message}")]
    Forbidden { code: &'static str, message: &'static str },
    /// The input is well formed but not acceptable; `code` is stable for clients.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// The request clashes with the state it would change (not a version: a rule).
    #[error("{0}")]
    Conflict(String),
    /// An edit made against a version that changed meanwhile: reload and retry.
    #[error("{0}")]
    Changed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Making a rendition failed or must wait.
    #[error(transparent)]
    Media(#[from] PackagerError),
    /// A fault of ours with no better kind; `context` says what was being done.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        source: Option<BoxError>,
    },
}

impl ServiceError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { code, message: message.into() }
    }

    pub fn internal(context: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Internal { context, source: Some(source.into()) }
    }

    pub fn internal_bare(context: &'static str) -> Self {
        Self::Internal { context, source: None }
    }
}

impl From<Wait> for ServiceError {
    fn from(wait: Wait) -> Self {
        Self::Throttled(wait)
    }
}

impl From<PlaylistError> for ServiceError {
    fn from(error: PlaylistError) -> Self {
        match error {
            PlaylistError::Store(store) => Self::Store(store),
            PlaylistError::VersionMismatch { .. } => Self::Changed(error.to_string()),
            PlaylistError::TooManyEntries => Self::invalid("playlist_full", error.to_string()),
            PlaylistError::TooManyPlaylists => Self::invalid("too_many_playlists", error.to_string()),
            PlaylistError::NoSuchEntry(_) => Self::NotFound(error.to_string()),
            PlaylistError::NoSuchTrack(_) => Self::invalid("unknown_track", error.to_string()),
        }
    }
}
