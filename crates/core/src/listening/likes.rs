//! A listener's library of liked tracks, albums and artists: the likes joined with the
//! catalog's summaries, in the order asked for, one page at a time. Likes are few per
//! listener (thousands at most), so the join and the sort happen here, in memory, rather
//! than in a query per order and kind.

use std::collections::HashMap;
use std::hash::Hash;

use tonearm_domain::{AlbumId, ArtistId, TrackId, UserId, sort_key};
use tonearm_model::{AlbumSummary, ArtistSummary, LikeTarget, Liked, TrackSummary};

use super::taste_changes::TasteChanges;
use crate::clock::now_millis;
use crate::error::{ServiceError, ServiceResult};
use crate::stores::{Catalog, Listening};

/// The orders of the library views.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LibrarySort {
    /// Most recently liked first.
    #[default]
    DateAdded,
    Name,
    /// By artist, then name; artists themselves sort by name.
    Artist,
}

/// Which page of a library view: `limit` 1 to 500 (50 when left out), from `offset`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LibraryPage {
    pub sort: LibrarySort,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// A liked item with when it was liked (Unix milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct LikedItem<T> {
    pub item: T,
    pub liked_at: i64,
}

/// One page of a library view, and how many items the whole view has.
#[derive(Debug, Clone, PartialEq)]
pub struct LikedPage<T> {
    pub items: Vec<LikedItem<T>>,
    pub total: usize,
}

/// What a library view needs of the summaries it lists.
trait LibraryItem {
    type Id: Copy + Eq + Hash;
    fn id(&self) -> Self::Id;
    /// The key of `sort`; `None` keeps the order liked in.
    fn sort_key(&self, sort: LibrarySort) -> Option<(String, String)>;
}

impl LibraryItem for TrackSummary {
    type Id = TrackId;
    fn id(&self) -> TrackId {
        self.id
    }
    fn sort_key(&self, sort: LibrarySort) -> Option<(String, String)> {
        match sort {
            LibrarySort::DateAdded => None,
            LibrarySort::Name => Some((sort_key(&self.title), String::new())),
            LibrarySort::Artist => Some((sort_key(&self.album_artist.name), sort_key(&self.title))),
        }
    }
}

impl LibraryItem for AlbumSummary {
    type Id = AlbumId;
    fn id(&self) -> AlbumId {
        self.id
    }
    fn sort_key(&self, sort: LibrarySort) -> Option<(String, String)> {
        match sort {
            LibrarySort::DateAdded => None,
            LibrarySort::Name => Some((sort_key(&self.title), String::new())),
            LibrarySort::Artist => Some((sort_key(&self.artist.name), sort_key(&self.title))),
        }
    }
}

impl LibraryItem for ArtistSummary {
    type Id = ArtistId;
    fn id(&self) -> ArtistId {
        self.id
    }
    fn sort_key(&self, sort: LibrarySort) -> Option<(String, String)> {
        match sort {
            LibrarySort::DateAdded => None,
            LibrarySort::Name | LibrarySort::Artist => Some((sort_key(&self.name), String::new())),
        }
    }
}

#[derive(Clone)]
pub struct Likes {
    listening: Listening,
    catalog: Catalog,
    changes: TasteChanges,
}

impl Likes {
    pub fn new(listening: Listening, catalog: Catalog, changes: TasteChanges) -> Self {
        Self { listening, catalog, changes }
    }

    /// "Liked Songs".
    pub async fn tracks(&self, user: UserId, page: LibraryPage) -> ServiceResult<LikedPage<TrackSummary>> {
        let limit = checked_limit(page)?;
        let likes = self.listening.liked_tracks(user).await?;
        let ids: Vec<_> = likes.iter().map(|like| like.id).collect();
        let items = with_times(&likes, self.catalog.tracks_by_ids(&ids).await?);
        Ok(paged(items, page, limit))
    }

    pub async fn albums(&self, user: UserId, page: LibraryPage) -> ServiceResult<LikedPage<AlbumSummary>> {
        let limit = checked_limit(page)?;
        let likes = self.listening.liked_albums(user).await?;
        let ids: Vec<_> = likes.iter().map(|like| like.id).collect();
        let items = with_times(&likes, self.catalog.albums_by_ids(&ids).await?);
        Ok(paged(items, page, limit))
    }

    pub async fn artists(&self, user: UserId, page: LibraryPage) -> ServiceResult<LikedPage<ArtistSummary>> {
        let limit = checked_limit(page)?;
        let likes = self.listening.liked_artists(user).await?;
        let ids: Vec<_> = likes.iter().map(|like| like.id).collect();
        let items = with_times(&likes, self.catalog.artists_by_ids(&ids).await?);
        Ok(paged(items, page, limit))
    }

    /// Likes (`liked`) or unlikes `target`; both are idempotent.
    pub async fn set(&self, user: UserId, target: LikeTarget, liked: bool) -> ServiceResult<()> {
        if liked {
            self.listening.like(user, target, now_millis()).await?;
        } else {
            self.listening.unlike(user, target).await?;
        }
        self.changes.changed(user);
        Ok(())
    }
}

fn checked_limit(page: LibraryPage) -> ServiceResult<usize> {
    match page.limit.unwrap_or(DEFAULT_LIMIT) {
        limit @ 1..=MAX_LIMIT => Ok(limit as usize),
        _ => Err(ServiceError::invalid("invalid_limit", "limit must be between 1 and 500")),
    }
}

/// The summaries of the liked items (in the order liked: the store's), each with when it
/// was liked; an item gone from the catalog is not among them.
fn with_times<T: LibraryItem>(likes: &[Liked<T::Id>], summaries: Vec<T>) -> Vec<LikedItem<T>> {
    let liked_at: HashMap<T::Id, i64> = likes.iter().map(|like| (like.id, like.liked_at)).collect();
    summaries
        .into_iter()
        .map(|item| LikedItem { liked_at: liked_at.get(&item.id()).copied().unwrap_or_default(), item })
        .collect()
}

fn paged<T: LibraryItem>(mut items: Vec<LikedItem<T>>, page: LibraryPage, limit: usize) -> LikedPage<T> {
    if page.sort != LibrarySort::DateAdded {
        items.sort_by_cached_key(|liked| liked.item.sort_key(page.sort));
    }
    let total = items.len();
    let items = items.into_iter().skip(page.offset.unwrap_or(0) as usize).take(limit).collect();
    LikedPage { items, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artist(id: i64, name: &str) -> ArtistSummary {
        ArtistSummary {
            id: ArtistId(id),
            name: name.to_owned(),
            album_count: 1,
            track_count: 1,
            cover_id: None,
            musicbrainz_id: None,
            added_at: 0,
        }
    }

    fn liked(items: &[(i64, &str)]) -> Vec<LikedItem<ArtistSummary>> {
        items
            .iter()
            .enumerate()
            .map(|(at, (id, name))| LikedItem { item: artist(*id, name), liked_at: at as i64 })
            .collect()
    }

    fn names(page: &LikedPage<ArtistSummary>) -> Vec<&str> {
        page.items.iter().map(|liked| liked.item.name.as_str()).collect()
    }

    #[test]
    fn a_page_keeps_the_order_liked_or_sorts_by_name_and_counts_everything() {
        let items = [(1, "Zola"), (2, "The Beatles"), (3, "ABBA")];
        let by_date = paged(liked(&items), LibraryPage::default(), 2);
        assert_eq!((names(&by_date), by_date.total), (vec!["Zola", "The Beatles"], 3));
        let by_name = LibraryPage { sort: LibrarySort::Name, offset: Some(1), ..Default::default() };
        assert_eq!(names(&paged(liked(&items), by_name, 50)), ["The Beatles", "Zola"], "case and articles aside");
    }

    #[test]
    fn likes_join_the_summaries_that_still_exist_with_their_times() {
        let likes = [Liked { id: ArtistId(1), liked_at: 10 }, Liked { id: ArtistId(2), liked_at: 20 }];
        let joined = with_times(&likes, vec![artist(2, "Only one left")]);
        assert_eq!(joined, [LikedItem { item: artist(2, "Only one left"), liked_at: 20 }]);
        assert!(checked_limit(LibraryPage { limit: Some(0), ..Default::default() }).is_err());
        assert!(checked_limit(LibraryPage { limit: Some(501), ..Default::default() }).is_err());
    }
}
