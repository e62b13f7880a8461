//! Serialized catalog responses kept in memory. The catalog is read far more often than it
//! changes (only scans change it), so a list page is built once per catalog version instead
//! of once per request. Entries also expire after `MAX_AGE`, which bounds how stale a node
//! can be when another node sharing the database ran the scan.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tonearm_catalog::CatalogVersion;

use crate::error::ApiError;

const MAX_AGE: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 4096;
/// Larger responses are served uncached rather than pinned in memory.
const MAX_BODY_BYTES: usize = 512 * 1024;

struct Entry {
    version: u64,
    stored: Instant,
    content_type: header::HeaderValue,
    body: Bytes,
}

#[derive(Clone)]
pub struct ResponseCache {
    version: CatalogVersion,
    entries: Arc<RwLock<HashMap<String, Entry>>>,
}

impl ResponseCache {
    pub fn new(version: CatalogVersion) -> Self {
        Self { version, entries: Arc::default() }
    }

    fn get(&self, key: &str, version: u64) -> Option<(header::HeaderValue, Bytes)> {
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        let entry = entries.get(key)?;
        (entry.version == version && entry.stored.elapsed() < MAX_AGE)
            .then(|| (entry.content_type.clone(), entry.body.clone()))
    }

    fn put(&self, key: String, entry: Entry) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            // Rare (a catalog version outlives thousands of distinct pages): start afresh.
            entries.clear();
        }
        entries.insert(key, entry);
    }
}

/// Middleware for catalog GETs: answers from the cache, or fills it from the handler.
pub async fn cache_catalog_responses(State(cache): State<ResponseCache>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    // Read the version before the handler runs: a change meanwhile makes the entry stale.
    let version = cache.version.current();
    if let Some((content_type, body)) = cache.get(&key, version) {
        return ([(header::CONTENT_TYPE, content_type)], body).into_response();
    }
    let response = next.run(request).await;
    let Some(content_type) = response.headers().get(header::CONTENT_TYPE).cloned() else {
        return response;
    };
    let cacheable_size = response.body().size_hint().exact().is_some_and(|size| size as usize <= MAX_BODY_BYTES);
    if response.status() != StatusCode::OK || !cacheable_size {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => {
            cache.put(key, Entry { version, stored: Instant::now(), content_type, body: bytes.clone() });
            Response::from_parts(parts, Body::from(bytes))
        }
        // Only an in-memory body of known size gets here, which cannot fail to collect.
        Err(error) => ApiError::Internal(format!("collecting a catalog response failed: {error}")).into_response(),
    }
}
