/// Failures of a catalog store. `NotFound` is the caller's problem; the rest are ours.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: String },
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("the database is unreachable: {0}")]
    Unavailable(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("database query failed: {0}")]
    Query(String),
    #[error("the stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound { entity, id: id.to_string() }
    }
}
