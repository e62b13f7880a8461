//! Single byte ranges (RFC 9110 §14.1.2). Multipart responses are not offered: a request
//! for several ranges gets the whole representation, which §14.2 allows.

/// An inclusive span of bytes within the representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSpan {
    pub start: u64,
    pub end_inclusive: u64,
}

impl ByteSpan {
    pub fn len(&self) -> u64 {
        self.end_inclusive - self.start + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

/// What a `Range` header asks of a representation of `length` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// Absent, malformed, another unit or several ranges: send everything.
    Ignore,
    Satisfiable(ByteSpan),
    Unsatisfiable,
}

pub fn evaluate(header: &str, length: u64) -> RangeRequest {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return RangeRequest::Ignore;
    };
    if spec.contains(',') {
        return RangeRequest::Ignore;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Ignore;
    };
    let number = |text: &str| -> Option<u64> {
        let text = text.trim();
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
    };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        // bytes=-n: the last n bytes.
        (true, false) => match number(last) {
            None => RangeRequest::Ignore,
            Some(0) => RangeRequest::Unsatisfiable,
            Some(_) if length == 0 => RangeRequest::Unsatisfiable,
            Some(suffix) => {
                RangeRequest::Satisfiable(ByteSpan { start: length.saturating_sub(suffix), end_inclusive: length - 1 })
            }
        },
        // bytes=a-: from a to the end.
        (false, true) => match number(first) {
            None => RangeRequest::Ignore,
            Some(start) if start >= length => RangeRequest::Unsatisfiable,
            Some(start) => RangeRequest::Satisfiable(ByteSpan { start, end_inclusive: length - 1 }),
        },
        // bytes=a-b, b clamped to the end.
        (false, false) => match (number(first), number(last)) {
            (Some(start), Some(end)) if start <= end => {
                if start >= length {
                    RangeRequest::Unsatisfiable
                } else {
                    RangeRequest::Satisfiable(ByteSpan { start, end_inclusive: end.min(length - 1) })
                }
            }
            _ => RangeRequest::Ignore,
        },
        (true, true) => RangeRequest::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: u64, end_inclusive: u64) -> RangeRequest {
        RangeRequest::Satisfiable(ByteSpan { start, end_inclusive })
    }

    #[test]
    fn the_three_single_range_forms() {
        assert_eq!(evaluate("bytes=0-99", 1000), span(0, 99));
        assert_eq!(evaluate("bytes=900-", 1000), span(900, 999));
        assert_eq!(evaluate("bytes=-100", 1000), span(900, 999));
    }

    #[test]
    fn ends_past_the_file_are_clamped_and_long_suffixes_mean_everything() {
        assert_eq!(evaluate("bytes=500-5000", 1000), span(500, 999));
        assert_eq!(evaluate("bytes=-5000", 1000), span(0, 999));
    }

    #[test]
    fn unsatisfiable_ranges() {
        assert_eq!(evaluate("bytes=1000-", 1000), RangeRequest::Unsatisfiable);
        assert_eq!(evaluate("bytes=1000-1001", 1000), RangeRequest::Unsatisfiable);
        assert_eq!(evaluate("bytes=-0", 1000), RangeRequest::Unsatisfiable);
        assert_eq!(evaluate("bytes=0-", 0), RangeRequest::Unsatisfiable);
    }

    #[test]
    fn malformed_other_units_and_multiple_ranges_are_ignored() {
        for header in ["bytes=abc", "bytes=5-1", "items=0-1", "bytes=0-1,5-6", "bytes=-", "bytes=1-2-3", "bytes= -+5"] {
            assert_eq!(evaluate(header, 1000), RangeRequest::Ignore, "{header}");
        }
    }
}
