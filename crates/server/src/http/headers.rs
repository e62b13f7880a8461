//! Response headers several routes build the same way.

use axum::http::HeaderValue;

/// RFC 8187 §3.2.1: everything but `attr-char` is percent-encoded.
const NOT_ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// RFC 6266: an ASCII fallback name (`stem.extension`), and the real one UTF-8 encoded (RFC 8187).
pub fn attachment(stem: &str, extension: &str, file_name: &str) -> HeaderValue {
    let fallback: String = extension.chars().filter(char::is_ascii_alphanumeric).collect();
    let encoded = percent_encoding::utf8_percent_encode(file_name, NOT_ATTR_CHAR);
    HeaderValue::from_str(&format!("attachment; filename=\"{stem}.{fallback}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A version as an entity tag (`"v7"`): what `If-Match` sends back to edit that version.
pub fn version_etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("digits and quotes are a valid header value")
}
