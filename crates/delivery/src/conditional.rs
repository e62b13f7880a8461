//! Preconditions (RFC 9110 §13.2.2), evaluated in the order the RFC prescribes.

use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderMap, Method, header};

use crate::EntityTag;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// Go on to the range and the body.
    Proceed,
    NotModified,
    Failed,
}

/// HTTP dates have whole seconds: compare at that resolution.
pub fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

fn date(headers: &HeaderMap, name: header::HeaderName) -> Option<u64> {
    let value = headers.get(name)?.to_str().ok()?;
    httpdate::parse_http_date(value).ok().map(whole_seconds)
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name)?.to_str().ok()
}

pub fn evaluate(method: &Method, headers: &HeaderMap, etag: &EntityTag, modified: SystemTime) -> Precondition {
    let modified = whole_seconds(modified);
    // Step 1 and 2: If-Match, else If-Unmodified-Since.
    if let Some(if_match) = text(headers, header::IF_MATCH) {
        if !etag.matches_strongly_any(if_match) {
            return Precondition::Failed;
        }
    } else if let Some(since) = date(headers, header::IF_UNMODIFIED_SINCE)
        && modified > since
    {
        return Precondition::Failed;
    }
    let safe = method == Method::GET || method == Method::HEAD;
    // Step 3 and 4: If-None-Match, else If-Modified-Since (GET and HEAD only).
    if let Some(if_none_match) = text(headers, header::IF_NONE_MATCH) {
        if etag.matches_weakly_any(if_none_match) {
            return if safe { Precondition::NotModified } else { Precondition::Failed };
        }
    } else if safe
        && let Some(since) = date(headers, header::IF_MODIFIED_SINCE)
        && modified <= since
    {
        return Precondition::NotModified;
    }
    Precondition::Proceed
}

/// Step 5 (§13.1.5): a Range applies only if `If-Range` is absent or still validates.
pub fn range_still_valid(headers: &HeaderMap, etag: &EntityTag, modified: SystemTime) -> bool {
    let Some(if_range) = text(headers, header::IF_RANGE) else {
        return true;
    };
    if if_range.trim_start().starts_with('"') || if_range.trim_start().starts_with("W/") {
        return etag.matches_strongly(if_range);
    }
    // A date validates only when it exactly equals Last-Modified.
    httpdate::parse_http_date(if_range).is_ok_and(|date| whole_seconds(date) == whole_seconds(modified))
}
