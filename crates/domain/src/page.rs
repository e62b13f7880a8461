//! Keyset ("cursor") pagination: a page ends with the sort key of its last row, and the
//! next page starts strictly after it, so rows inserted or removed meanwhile never cause
//! duplicates or gaps the way `OFFSET` does.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// The orders a list can be browsed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Alphabetical by sort key (articles ignored), ascending.
    Name,
    /// Most recently added first.
    DateAdded,
    /// Newest release year first; undated items last.
    Year,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown sort order `{0}`: expected name, date_added or year")]
pub struct SortError(pub String);

impl Sort {
    pub fn parse(raw: &str) -> Result<Self, SortError> {
        match raw {
            "name" => Ok(Self::Name),
            "date_added" => Ok(Self::DateAdded),
            "year" => Ok(Self::Year),
            other => Err(SortError(other.to_owned())),
        }
    }
}

/// Where the previous page stopped: the sort key and id of its last row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub sort: Sort,
    /// The textual sort key (for `Sort::Name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The numeric sort key (added-at milliseconds for `DateAdded`, year for `Year`).
    #[serde(default)]
    pub number: i64,
    pub id: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CursorError {
    #[error("the cursor is not one this server issued")]
    Malformed,
    #[error("the cursor belongs to a different sort order")]
    SortMismatch,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("a cursor always serialises");
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(raw: &str, expected_sort: Sort) -> Result<Self, CursorError> {
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| CursorError::Malformed)?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| CursorError::Malformed)?;
        if cursor.sort != expected_sort {
            return Err(CursorError::SortMismatch);
        }
        if cursor.sort == Sort::Name && cursor.text.is_none() {
            return Err(CursorError::Malformed);
        }
        Ok(cursor)
    }
}

/// A validated request for one page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub sort: Sort,
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 500;

    pub fn first(sort: Sort, limit: u32) -> Self {
        Self { sort, limit: limit.clamp(1, Self::MAX_LIMIT), after: None }
    }
}

/// One page of results and the cursor to continue from, absent on the last page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The same page with every item converted.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(convert).collect(), next_cursor: self.next_cursor }
    }

    /// Builds a page from up to `limit + 1` rows: the extra row only proves another page exists.
    pub fn from_rows(mut rows: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = if has_more { rows.last().map(|last| cursor_of(last).encode()) } else { None };
        Self { items: rows, next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_is_bound_to_its_sort() {
        let cursor = Cursor { sort: Sort::Name, text: Some("björk".into()), number: 0, id: 7 };
        let encoded = cursor.encode();
        assert_eq!(Cursor::decode(&encoded, Sort::Name), Ok(cursor));
        assert_eq!(Cursor::decode(&encoded, Sort::Year), Err(CursorError::SortMismatch));
        assert_eq!(Cursor::decode("not base64 !", Sort::Name), Err(CursorError::Malformed));
    }

    #[test]
    fn page_keeps_limit_rows_and_reports_more() {
        let cursor_of = |n: &i64| Cursor { sort: Sort::DateAdded, text: None, number: *n, id: *n };
        let page = Page::from_rows(vec![1, 2, 3], 2, cursor_of);
        assert_eq!(page.items, vec![1, 2]);
        let next = Cursor::decode(page.next_cursor.as_deref().unwrap(), Sort::DateAdded).unwrap();
        assert_eq!(next.id, 2);
        assert_eq!(Page::from_rows(vec![1, 2], 2, cursor_of).next_cursor, None);
    }
}
