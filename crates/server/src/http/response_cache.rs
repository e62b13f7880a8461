//! Serialized catalog responses kept in memory ([`CatalogCache`]): a list page is built once
//! per catalog version instead of once per request.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tonearm_core::cache::CatalogCache;
use tonearm_model::CatalogVersion;

use crate::http::error::ApiError;

const MAX_ENTRIES: usize = 4096;
/// Larger responses are served uncached rather than pinned in memory.
const MAX_BODY_BYTES: usize = 512 * 1024;

/// Bodies with their content type, by request URI.
#[derive(Clone)]
pub struct ResponseCache(CatalogCache<String, (header::HeaderValue, Bytes)>);

impl ResponseCache {
    pub fn new(version: CatalogVersion) -> Self {
        Self(CatalogCache::new(version, MAX_ENTRIES))
    }
}

/// Middleware for catalog GETs: answers from the cache, or fills it from the handler.
pub async fn cache_catalog_responses(State(cache): State<ResponseCache>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let version = cache.0.version();
    if let Some((content_type, body)) = cache.0.get(&key, version) {
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
            cache.0.put(key, version, (content_type, bytes.clone()));
            Response::from_parts(parts, Body::from(bytes))
        }
        // Only an in-memory body of known size gets here, which cannot fail to collect.
        Err(error) => ApiError::internal("collecting a catalog response failed", error).into_response(),
    }
}
