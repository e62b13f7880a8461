use tonearm_model::StoreError;

/// Failures of the index itself; a refused search text is a `QueryError` instead.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index failure: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot prepare the search index directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("the search index is damaged: {0}")]
    Damaged(String),
    #[error("a stored search result is unreadable: {0}")]
    StoredItem(#[from] serde_json::Error),
    #[error("the catalog could not be listed for indexing: {0}")]
    Catalog(#[from] StoreError),
    #[error("the indexing task failed: {0}")]
    Task(String),
}
