//! From request headers and a representation to the response's status and headers.

use std::time::SystemTime;

use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use crate::EntityTag;
use crate::conditional::{Precondition, evaluate, range_still_valid};
use crate::range::{self, ByteSpan, RangeRequest};

/// The stored file as HTTP sees it.
#[derive(Debug, Clone)]
pub struct Representation {
    pub length: u64,
    pub modified: SystemTime,
    pub etag: EntityTag,
    pub content_type: &'static str,
}

/// What to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    NotModified,
    PreconditionFailed,
    Full,
    Partial(ByteSpan),
    Unsatisfiable,
}

/// HEAD is planned exactly like GET, so its headers describe what GET would send.
pub fn plan(method: &Method, headers: &HeaderMap, representation: &Representation) -> Plan {
    match evaluate(method, headers, &representation.etag, representation.modified) {
        Precondition::NotModified => return Plan::NotModified,
        Precondition::Failed => return Plan::PreconditionFailed,
        Precondition::Proceed => {}
    }
    let ranged = method == Method::GET || method == Method::HEAD;
    let Some(range_header) = headers.get(header::RANGE).and_then(|value| value.to_str().ok()).filter(|_| ranged) else {
        return Plan::Full;
    };
    if !range_still_valid(headers, &representation.etag, representation.modified) {
        return Plan::Full;
    }
    match range::evaluate(range_header, representation.length) {
        RangeRequest::Ignore => Plan::Full,
        RangeRequest::Satisfiable(span) => Plan::Partial(span),
        RangeRequest::Unsatisfiable => Plan::Unsatisfiable,
    }
}

pub fn response_headers(plan: &Plan, representation: &Representation) -> (StatusCode, HeaderMap) {
    let mut headers = HeaderMap::new();
    let length = representation.length;
    let value = |text: String| HeaderValue::from_str(&text).expect("generated header values are ASCII");
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::ETAG, value(representation.etag.to_header_value()));
    headers.insert(header::LAST_MODIFIED, value(httpdate::fmt_http_date(representation.modified)));
    // Private (per-listener access), but revalidation with the ETag is cheap.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=0, must-revalidate"));
    let status = match plan {
        Plan::NotModified => StatusCode::NOT_MODIFIED,
        Plan::PreconditionFailed => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
            StatusCode::PRECONDITION_FAILED
        }
        Plan::Full => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(representation.content_type));
            headers.insert(header::CONTENT_LENGTH, value(length.to_string()));
            StatusCode::OK
        }
        Plan::Partial(span) => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(representation.content_type));
            headers.insert(header::CONTENT_LENGTH, value(span.len().to_string()));
            headers
                .insert(header::CONTENT_RANGE, value(format!("bytes {}-{}/{length}", span.start, span.end_inclusive)));
            StatusCode::PARTIAL_CONTENT
        }
        Plan::Unsatisfiable => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
            headers.insert(header::CONTENT_RANGE, value(format!("bytes */{length}")));
            StatusCode::RANGE_NOT_SATISFIABLE
        }
    };
    (status, headers)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn representation() -> Representation {
        let modified = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        Representation {
            length: 1000,
            modified,
            etag: EntityTag::strong_from_parts("abc", 1000, modified),
            content_type: "audio/flac",
        }
    }

    fn request(pairs: &[(header::HeaderName, String)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn http_date(offset_secs: i64) -> String {
        httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs((1_700_000_000 + offset_secs) as u64))
    }

    #[test]
    fn partial_response_headers_are_exact() {
        let rep = representation();
        let plan = plan(&Method::GET, &request(&[(header::RANGE, "bytes=10-19".into())]), &rep);
        let (status, headers) = response_headers(&plan, &rep);
        assert_eq!(status, StatusCode::PARTIAL_CONTENT);
        assert_eq!(headers[header::CONTENT_RANGE], "bytes 10-19/1000");
        assert_eq!(headers[header::CONTENT_LENGTH], "10");
        assert_eq!(headers[header::CONTENT_TYPE], "audio/flac");
        assert_eq!(headers[header::ACCEPT_RANGES], "bytes");
        assert_eq!(headers[header::LAST_MODIFIED], http_date(0));
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
    }

    #[test]
    fn unsatisfiable_range_names_the_length() {
        let rep = representation();
        let plan = plan(&Method::GET, &request(&[(header::RANGE, "bytes=5000-".into())]), &rep);
        let (status, headers) = response_headers(&plan, &rep);
        assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(headers[header::CONTENT_RANGE], "bytes */1000");
    }

    #[test]
    fn head_mirrors_get() {
        let rep = representation();
        let headers = request(&[(header::RANGE, "bytes=-10".into())]);
        assert_eq!(plan(&Method::HEAD, &headers, &rep), plan(&Method::GET, &headers, &rep));
        assert_eq!(plan(&Method::HEAD, &headers, &rep), Plan::Partial(ByteSpan { start: 990, end_inclusive: 999 }));
    }

    #[test]
    fn if_none_match_and_if_modified_since_give_304() {
        let rep = representation();
        let etag = rep.etag.to_header_value();
        assert_eq!(plan(&Method::GET, &request(&[(header::IF_NONE_MATCH, etag)]), &rep), Plan::NotModified);
        assert_eq!(plan(&Method::GET, &request(&[(header::IF_NONE_MATCH, "\"stale\"".into())]), &rep), Plan::Full);
        assert_eq!(plan(&Method::GET, &request(&[(header::IF_MODIFIED_SINCE, http_date(0))]), &rep), Plan::NotModified);
        assert_eq!(plan(&Method::GET, &request(&[(header::IF_MODIFIED_SINCE, http_date(-60))]), &rep), Plan::Full);
        // If-None-Match takes precedence: a stale tag means modified, whatever the date says.
        let both = request(&[(header::IF_NONE_MATCH, "\"stale\"".into()), (header::IF_MODIFIED_SINCE, http_date(60))]);
        assert_eq!(plan(&Method::GET, &both, &rep), Plan::Full);
    }

    #[test]
    fn failing_if_match_or_if_unmodified_since_give_412() {
        let rep = representation();
        assert_eq!(
            plan(&Method::GET, &request(&[(header::IF_MATCH, "\"stale\"".into())]), &rep),
            Plan::PreconditionFailed
        );
        assert_eq!(
            plan(&Method::GET, &request(&[(header::IF_UNMODIFIED_SINCE, http_date(-60))]), &rep),
            Plan::PreconditionFailed
        );
        assert_eq!(plan(&Method::GET, &request(&[(header::IF_MATCH, rep.etag.to_header_value())]), &rep), Plan::Full);
        let (status, _) = response_headers(&Plan::PreconditionFailed, &rep);
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    }

    #[test]
    fn if_range_keeps_the_range_only_while_the_validator_matches() {
        let rep = representation();
        let range = (header::RANGE, "bytes=0-9".to_owned());
        let partial = Plan::Partial(ByteSpan { start: 0, end_inclusive: 9 });
        assert_eq!(
            plan(&Method::GET, &request(&[range.clone(), (header::IF_RANGE, rep.etag.to_header_value())]), &rep),
            partial
        );
        assert_eq!(
            plan(&Method::GET, &request(&[range.clone(), (header::IF_RANGE, "\"stale\"".into())]), &rep),
            Plan::Full
        );
        assert_eq!(plan(&Method::GET, &request(&[range.clone(), (header::IF_RANGE, http_date(0))]), &rep), partial);
        assert_eq!(plan(&Method::GET, &request(&[range, (header::IF_RANGE, http_date(-1))]), &rep), Plan::Full);
    }
}
