//! New releases from the artists a listener follows (has liked): the feed the app turns
//! into notifications when the listener allows them.

use std::collections::HashSet;

use tonearm_domain::{ArtistId, Cursor, Page, PageRequest, Sort, UserId};
use tonearm_model::AlbumSummary;

use crate::catalog::pages::{checked_limit, decoded_cursor};
use crate::error::{ServiceError, ServiceResult};
use crate::stores::{Catalog, Listening};

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// Which page of the feed: albums added strictly after `since` (Unix milliseconds),
/// `limit` 1 to 100 (20 when left out), after the `cursor` of the page before.
#[derive(Debug, Clone, Default)]
pub struct ReleasesAsked {
    pub since: i64,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Clone)]
pub struct NewReleases {
    catalog: Catalog,
    listening: Listening,
}

impl NewReleases {
    pub fn new(catalog: Catalog, listening: Listening) -> Self {
        Self { catalog, listening }
    }

    /// Albums added after `since` that are credited to an artist `listener` likes, newest
    /// first, each once.
    pub async fn of(&self, listener: UserId, asked: &ReleasesAsked) -> ServiceResult<Page<AlbumSummary>> {
        let limit = checked_limit(asked.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
        let after = decoded_cursor(asked.cursor.as_deref(), Sort::DateAdded)?;
        // Walk the catalog's newest albums (keyset pages, newest first) down to `since`: the
        // work is bounded by what was added since, not by how many artists a listener follows.
        let followed: HashSet<ArtistId> =
            self.listening.liked_artists(listener).await?.into_iter().map(|liked| liked.id).collect();
        let mut rows = Vec::new();
        let mut request = PageRequest { sort: Sort::DateAdded, limit: PageRequest::MAX_LIMIT, after };
        'pages: while !followed.is_empty() {
            let page = self.catalog.list_albums(&request).await?;
            for album in page.items {
                if album.added_at <= asked.since {
                    break 'pages;
                }
                if followed.contains(&album.artist.id) {
                    rows.push(album);
                    if rows.len() > limit as usize {
                        break 'pages;
                    }
                }
            }
            let Some(next) = page.next_cursor else { break };
            request.after = Some(
                Cursor::decode(&next, Sort::DateAdded)
                    .map_err(|error| ServiceError::internal("a cursor of our own did not decode", error))?,
            );
        }
        Ok(Page::from_rows(rows, limit, |album| Cursor {
            sort: Sort::DateAdded,
            text: None,
            number: album.added_at,
            id: album.id.0,
        }))
    }
}
