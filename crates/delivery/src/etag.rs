//! Entity tags (RFC 9110 §8.8.3) and their comparison.

use std::time::{SystemTime, UNIX_EPOCH};

/// A strong validator: it changes whenever the file's bytes may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityTag {
    /// The opaque part, without quotes.
    opaque: String,
}

impl EntityTag {
    /// Built from the content fingerprint, length and modification time, so a file rewritten
    /// in place (same name, new bytes) never matches a cached copy.
    pub fn strong_from_parts(fingerprint: &str, length: u64, modified: SystemTime) -> Self {
        let nanos = modified.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_nanos());
        let short_fingerprint = fingerprint.get(..16).unwrap_or(fingerprint);
        Self { opaque: format!("{short_fingerprint}-{length:x}-{nanos:x}") }
    }

    /// The header value, quoted.
    pub fn to_header_value(&self) -> String {
        format!("\"{}\"", self.opaque)
    }

    /// RFC 9110 §13.1.2: `If-None-Match` uses weak comparison against a list or `*`.
    pub fn matches_weakly_any(&self, header: &str) -> bool {
        list_matches(header, |candidate| candidate.opaque == self.opaque)
    }

    /// RFC 9110 §13.1.1: `If-Match` uses strong comparison; weak tags never match.
    pub fn matches_strongly_any(&self, header: &str) -> bool {
        list_matches(header, |candidate| !candidate.weak && candidate.opaque == self.opaque)
    }

    /// RFC 9110 §13.1.5: `If-Range` holds one strong entity tag.
    pub fn matches_strongly(&self, value: &str) -> bool {
        parse_one(value.trim()).is_some_and(|candidate| !candidate.weak && candidate.opaque == self.opaque)
    }
}

struct Candidate<'a> {
    weak: bool,
    opaque: &'a str,
}

fn parse_one(value: &str) -> Option<Candidate<'_>> {
    let (weak, quoted) = match value.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let opaque = quoted.strip_prefix('"')?.strip_suffix('"')?;
    (!opaque.contains('"')).then_some(Candidate { weak, opaque })
}

fn list_matches(header: &str, matches: impl Fn(&Candidate<'_>) -> bool) -> bool {
    if header.trim() == "*" {
        return true;
    }
    header.split(',').filter_map(|item| parse_one(item.trim())).any(|candidate| matches(&candidate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn tag() -> EntityTag {
        EntityTag::strong_from_parts("0123456789abcdef0123", 1000, UNIX_EPOCH + Duration::from_secs(5))
    }

    #[test]
    fn header_value_is_quoted_and_changes_with_the_file() {
        let value = tag().to_header_value();
        assert!(value.starts_with('"') && value.ends_with('"'));
        let other = EntityTag::strong_from_parts("0123456789abcdef0123", 1001, UNIX_EPOCH + Duration::from_secs(5));
        assert_ne!(other.to_header_value(), value);
    }

    #[test]
    fn weak_comparison_accepts_w_prefix_lists_and_star() {
        let value = tag().to_header_value();
        assert!(tag().matches_weakly_any(&value));
        assert!(tag().matches_weakly_any(&format!("W/{value}")));
        assert!(tag().matches_weakly_any(&format!("\"other\", {value}")));
        assert!(tag().matches_weakly_any("*"));
        assert!(!tag().matches_weakly_any("\"other\""));
    }

    #[test]
    fn strong_comparison_rejects_weak_tags() {
        let value = tag().to_header_value();
        assert!(tag().matches_strongly(&value));
        assert!(!tag().matches_strongly(&format!("W/{value}")));
        assert!(tag().matches_strongly_any(&format!("\"x\", {value}")));
        assert!(!tag().matches_strongly_any(&format!("W/{value}")));
    }
}
