use std::error::Error;

/// Failures of a catalog store. `NotFound` is the caller's problem; the rest are ours.
///
/// A failure the database or its driver reports keeps that error as its `source`, for
/// callers that inspect it and for logs that print the chain; its `message` says the same
/// in words, so a log that prints only this error still says what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: String },
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("the database is unreachable: {message}")]
    Unavailable {
        message: String,
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
    #[error("database migration failed: {message}")]
    Migration {
        message: String,
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
    #[error("database query failed: {message}")]
    Query {
        message: String,
        #[source]
        source: Box<dyn Error + Send + Sync>,
    },
    /// Stored values the store cannot read back: there is no underlying error to keep.
    #[error("the stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound { entity, id: id.to_string() }
    }

    /// The database cannot be reached because of `source`.
    pub fn unavailable(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        let source = source.into();
        Self::Unavailable { message: source.to_string(), source }
    }

    /// The schema could not be brought up to date (or is not) because of `source`.
    pub fn migration(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        let source = source.into();
        Self::Migration { message: source.to_string(), source }
    }

    /// A statement failed with `source`.
    pub fn query(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        let source = source.into();
        Self::Query { message: source.to_string(), source }
    }
}
