//! Searching the catalog and the playlists a listener may see (`tonearm_search` matches and
//! ranks): the request checked, the search run off the async workers, and each album's and
//! track's Premium flag answered as curation left it, not as it was when indexed.

use std::collections::HashSet;
use std::sync::Arc;

use tonearm_domain::{AlbumId, UserId};
use tonearm_search::{MAX_LIMIT, MAX_OFFSET, SearchIndex, SearchRequest, SearchText};

pub use tonearm_search::{Group, Item, Kind, SearchResults};

use crate::catalog::premium::PremiumAlbums;
use crate::error::{ServiceError, ServiceResult};

pub const DEFAULT_LIMIT: usize = 10;

/// A search as asked for, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct SearchAsked {
    /// What the listener typed, 1–200 characters.
    pub text: Option<String>,
    /// Comma-separated kinds (`artist`, `album`, `track`, `genre`, `playlist`); all when left out.
    pub kinds: Option<String>,
    /// Items per kind, 1–50; 10 when left out.
    pub limit: Option<usize>,
    /// Items of each kind to skip, 0–500.
    pub offset: Option<usize>,
}

impl SearchAsked {
    fn checked(&self, viewer: UserId) -> ServiceResult<SearchRequest> {
        let text = SearchText::parse(self.text.as_deref().unwrap_or_default())
            .map_err(|error| ServiceError::invalid("invalid_query", error.to_string()))?;
        let kinds = match &self.kinds {
            None => Kind::ALL.to_vec(),
            Some(raw) => parse_kinds(raw)?,
        };
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ServiceError::invalid("invalid_limit", format!("limit must be between 1 and {MAX_LIMIT}")));
        }
        let offset = self.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(ServiceError::invalid("invalid_offset", format!("offset must be at most {MAX_OFFSET}")));
        }
        Ok(SearchRequest { text, kinds, limit, offset, viewer: Some(viewer) })
    }
}

/// `track,album` → the kinds in the order given, each once.
fn parse_kinds(raw: &str) -> ServiceResult<Vec<Kind>> {
    let mut kinds = Vec::new();
    for name in raw.split(',').map(str::trim) {
        let kind = Kind::parse(name).ok_or_else(|| {
            ServiceError::invalid(
                "invalid_types",
                format!("unknown type `{name}`: use artist, album, track, genre or playlist, separated by commas"),
            )
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

#[derive(Clone)]
pub struct Search {
    index: Arc<SearchIndex>,
    premium: PremiumAlbums,
}

impl Search {
    pub fn new(index: Arc<SearchIndex>, premium: PremiumAlbums) -> Self {
        Self { index, premium }
    }

    /// A top result and the best matches of each kind asked for, for `viewer` (who also
    /// finds their own private playlists).
    pub async fn search(&self, viewer: UserId, asked: &SearchAsked) -> ServiceResult<SearchResults> {
        let request = asked.checked(viewer)?;
        let index = Arc::clone(&self.index);
        // Matching and ranking are CPU work: off the async workers.
        let mut results = tokio::task::spawn_blocking(move || index.search(&request))
            .await
            .map_err(|error| ServiceError::internal("the search task failed", error))?
            .map_err(|error| ServiceError::internal("the search index failed", error))?;
        self.with_current_flags(&mut results).await;
        Ok(results)
    }

    /// The index holds each album's flag as it was at the last rebuild, which follows a
    /// curation change only after a moment, and another node's never: the catalog's own
    /// flags (kept per catalog version) replace them. Should the catalog not answer, the
    /// indexed flags stay: search never needed the database, and does not start to here.
    async fn with_current_flags(&self, results: &mut SearchResults) {
        let mut items: Vec<&mut Item> = results.top.iter_mut().collect();
        items.extend(results.groups.iter_mut().flat_map(|group| group.items.iter_mut()));
        let albums: HashSet<AlbumId> =
            items.iter_mut().filter_map(|item| premium_flag(item)).map(|(album, _)| album).collect();
        if albums.is_empty() {
            return;
        }
        let flags = match self.premium.of(&albums.into_iter().collect::<Vec<_>>()).await {
            Ok(flags) => flags,
            Err(error) => {
                tracing::warn!(%error, "premium flags unavailable: search answers those it indexed");
                return;
            }
        };
        for (album, premium_only) in items.into_iter().filter_map(premium_flag) {
            if let Some(&current) = flags.get(&album) {
                *premium_only = current;
            }
        }
    }
}

/// The album whose Premium flag an item shows, and that flag, if it shows one.
fn premium_flag(item: &mut Item) -> Option<(AlbumId, &mut bool)> {
    match item {
        Item::Album(album) => Some((album.id, &mut album.premium_only)),
        Item::Track(track) => Some((track.album.id, &mut track.premium_only)),
        Item::Artist(_) | Item::Genre(_) | Item::Playlist(_) => None,
    }
}
