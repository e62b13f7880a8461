//! One error shape for the whole API: `{"error": {"code": "…", "message": "…"}}`.
//! Statuses are decided in one exhaustive match, so a new error kind does not compile
//! until someone decides how clients see it. Internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tonearm_auth::policy::Refusal;
use tonearm_core::ServiceError;
use tonearm_media::MediaErrorKind;
use tonearm_model::StoreError;
use tonearm_packager::PackagerError;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("the file of track {0} is missing from the library")]
    TrackFileMissing(i64),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{message}")]
    Forbidden { code: &'static str, message: &'static str },
    /// The listener's tier does not include this (`tonearm_auth::policy` decided).
    #[error(transparent)]
    NotEntitled(#[from] Refusal),
    #[error("too many attempts: try again in {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: u64 },
    #[error("{0}")]
    Conflict(String),
    /// An `If-Match` edit of something that changed meanwhile: reload and retry.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("the catalog is unavailable")]
    Unavailable(#[source] StoreError),
    /// Making a rendition failed or must wait.
    #[error(transparent)]
    Media(#[from] PackagerError),
    /// A fault of ours: `context` says what was being done, `source` why it failed; both
    /// are logged, neither is sent.
    #[error("internal error")]
    Internal {
        context: &'static str,
        #[source]
        source: Option<BoxError>,
    },
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable and machine-readable, e.g. `not_found`, `invalid_cursor`.
    pub code: String,
    /// For people; may change between versions.
    pub message: String,
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest { code, message: message.into() }
    }

    pub fn internal(context: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Internal { context, source: Some(source.into()) }
    }

    pub fn internal_bare(context: &'static str) -> Self {
        Self::Internal { context, source: None }
    }

    /// When asking again can succeed (`Retry-After`, RFC 9110 §10.2.3).
    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::NotEntitled(refusal) => refusal.retry_after_seconds(),
            Self::TooManyRequests { retry_after_seconds } => Some(*retry_after_seconds),
            Self::Media(PackagerError::Busy | PackagerError::JobLost) => Some(2),
            _ => None,
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::TrackFileMissing(_) => (StatusCode::NOT_FOUND, "track_file_missing"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden { code, .. } => (StatusCode::FORBIDDEN, code),
            Self::NotEntitled(refusal) => (StatusCode::FORBIDDEN, refusal.code()),
            Self::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::PreconditionFailed(_) => (StatusCode::PRECONDITION_FAILED, "playlist_changed"),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::Internal { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            Self::Media(error) => media_status_and_code(error),
        }
    }
}

impl ApiError {
    /// What the client is told: media failures carry file paths and decoder internals, which
    /// are logged instead, so their message is fixed by kind.
    fn client_message(&self) -> String {
        let fixed = match self {
            Self::Media(PackagerError::JobFailed { kind, .. }) => match kind {
                MediaErrorKind::CorruptSource => "the track's file is damaged and cannot be played",
                MediaErrorKind::UnsupportedSource => "the track's file is in a format that cannot be transcoded",
                MediaErrorKind::SourceUnreadable => "the track's file cannot be read",
                MediaErrorKind::EncodingFailed => "internal error",
            },
            Self::Media(PackagerError::Store(_)) => "internal error",
            _ => return self.to_string(),
        };
        fixed.to_owned()
    }
}

fn media_status_and_code(error: &PackagerError) -> (StatusCode, &'static str) {
    match error {
        PackagerError::Busy | PackagerError::JobLost => (StatusCode::SERVICE_UNAVAILABLE, "transcoder_busy"),
        PackagerError::JobFailed { kind, .. } => match kind {
            // The file itself is at fault: asking again will not help, so not a 5xx.
            MediaErrorKind::CorruptSource | MediaErrorKind::UnsupportedSource => {
                (StatusCode::UNPROCESSABLE_ENTITY, "track_unplayable")
            }
            MediaErrorKind::SourceUnreadable => (StatusCode::NOT_FOUND, "track_file_missing"),
            MediaErrorKind::EncodingFailed => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        },
        PackagerError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::NotFound(error.to_string()),
            StoreError::Conflict(_) => Self::Conflict(error.to_string()),
            StoreError::Unavailable { .. } => Self::Unavailable(error),
            StoreError::Migration { .. } | StoreError::Query { .. } | StoreError::Corrupt(_) => {
                Self::internal("the catalog database failed", error)
            }
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound(message) => Self::NotFound(message),
            ServiceError::NotEntitled(refusal) => Self::NotEntitled(refusal),
            ServiceError::Invalid { code, message } => Self::BadRequest { code, message },
            ServiceError::Changed(message) => Self::PreconditionFailed(message),
            ServiceError::Conflict(message) => Self::Conflict(message),
            ServiceError::Unauthenticated(reason) => Self::Unauthorized(reason),
            ServiceError::Throttled(wait) => Self::TooManyRequests { retry_after_seconds: wait.seconds() },
            ServiceError::Store(error) => error.into(),
            ServiceError::Media(error) => Self::Media(error),
            ServiceError::Forbidden { code, message } => Self::Forbidden { code, message },
            ServiceError::Internal { context, source } => Self::Internal { context, source },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            Self::Internal { context, source } => {
                let cause = source.as_deref().map(|source| causes(source)).unwrap_or_default();
                tracing::error!(code, context, cause, "request failed")
            }
            Self::Unavailable(source) => tracing::error!(code, cause = causes(source), "request failed"),
            Self::Media(error @ PackagerError::Store(_)) => tracing::error!(code, %error, "request failed"),
            Self::Media(PackagerError::JobFailed { track, message, .. }) => {
                tracing::warn!(code, track, detail = %message, "request failed")
            }
            _ => tracing::info!(code, reason = %self, "request refused"),
        }
        let body = ErrorBody { error: ErrorDetail { code: code.to_owned(), message: self.client_message() } };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after_seconds() {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: say which scheme would be accepted.
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// An error and every error it came from, outermost first: what the log needs to find a
/// cause that the outer message only names ("database query failed: …: connection reset").
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        // `#[error(transparent)]` and `"{0}"` wrappers repeat their source's message.
        if !text.ends_with(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("reading the playlist failed")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_log_carries_every_cause_once() {
        let error = Outer(std::io::Error::other("connection reset"));
        assert_eq!(causes(&error), "reading the playlist failed: connection reset");
        let wrapped = ServiceError::internal("making a rendition failed", Outer(std::io::Error::other("disk full")));
        assert_eq!(causes(&wrapped), "making a rendition failed: reading the playlist failed: disk full");
        let repeated = StoreError::unavailable(std::io::Error::other("pool timed out"));
        assert_eq!(causes(&repeated), "the database is unreachable: pool timed out");
    }
}
