//! Which page of a list a caller asks for, checked before any store is asked: the order
//! against those the list supports, the size against its bounds, the cursor against the
//! order it was issued for.

use tonearm_domain::{Cursor, PageRequest, Sort};

use crate::error::{ServiceError, ServiceResult};

/// A page of a catalog list as asked for, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct PageAsked {
    /// `name`, `date_added` or `year`; `name` when left out.
    pub sort: Option<String>,
    /// 1 to `PageRequest::MAX_LIMIT`; `PageRequest::DEFAULT_LIMIT` when left out.
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageAsked {
    /// The request, if this list (sortable by `supported`) can answer it.
    pub fn checked(&self, supported: &[Sort]) -> ServiceResult<PageRequest> {
        let sort = match &self.sort {
            None => Sort::Name,
            Some(raw) => Sort::parse(raw).map_err(|error| ServiceError::invalid("invalid_sort", error.to_string()))?,
        };
        if !supported.contains(&sort) {
            return Err(ServiceError::invalid(
                "invalid_sort",
                format!("this list cannot be sorted by {}", self.sort.as_deref().unwrap_or_default()),
            ));
        }
        let limit = checked_limit(self.limit, PageRequest::DEFAULT_LIMIT, PageRequest::MAX_LIMIT)?;
        let after = decoded_cursor(self.cursor.as_deref(), sort)?;
        Ok(PageRequest { sort, limit, after })
    }
}

/// `limit`, or `default` when left out, if it is between 1 and `max`.
pub(crate) fn checked_limit(limit: Option<u32>, default: u32, max: u32) -> ServiceResult<u32> {
    match limit.unwrap_or(default) {
        limit if (1..=max).contains(&limit) => Ok(limit),
        _ => Err(ServiceError::invalid("invalid_limit", format!("limit must be between 1 and {max}"))),
    }
}

/// The cursor a client sent back, if it is one this server issued for `sort`.
pub(crate) fn decoded_cursor(raw: Option<&str>, sort: Sort) -> ServiceResult<Option<Cursor>> {
    raw.map(|raw| Cursor::decode(raw, sort).map_err(|error| ServiceError::invalid("invalid_cursor", error.to_string())))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: ServiceResult<PageRequest>) -> &'static str {
        match result {
            Err(ServiceError::Invalid { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_page_defaults_to_fifty_by_name_and_refuses_what_the_list_cannot_do() {
        let first = PageAsked::default().checked(&[Sort::Name]).unwrap();
        assert_eq!(first, PageRequest { sort: Sort::Name, limit: 50, after: None });
        let by_year = PageAsked { sort: Some("year".into()), ..Default::default() };
        assert_eq!(code(by_year.checked(&[Sort::Name, Sort::DateAdded])), "invalid_sort");
        assert_eq!(
            code(PageAsked { sort: Some("size".into()), ..Default::default() }.checked(&[Sort::Name])),
            "invalid_sort"
        );
        assert_eq!(code(PageAsked { limit: Some(501), ..Default::default() }.checked(&[Sort::Name])), "invalid_limit");
        assert_eq!(code(PageAsked { limit: Some(0), ..Default::default() }.checked(&[Sort::Name])), "invalid_limit");
        let foreign = Cursor { sort: Sort::Year, text: None, number: 1999, id: 1 }.encode();
        assert_eq!(
            code(PageAsked { cursor: Some(foreign), ..Default::default() }.checked(&[Sort::Name])),
            "invalid_cursor"
        );
    }
}
