//! What a search asks for and what it answers, apart from the index that computes the
//! answer: the answer cache keeps answers without knowing how they are made.

use tonearm_domain::UserId;

use crate::item::Item;
use crate::query::SearchText;
use crate::schema::Kind;

/// Results per group and page.
pub const MAX_LIMIT: usize = 50;
/// How deep a group can be paged: ranks past this are noise, and the bound caps the work.
pub const MAX_OFFSET: usize = 500;

/// What to search for, in which kinds, and which page of each group.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: SearchText,
    /// Groups to return, in this order; the top result is chosen among them.
    pub kinds: Vec<Kind>,
    /// At most `MAX_LIMIT`.
    pub limit: usize,
    /// At most `MAX_OFFSET`.
    pub offset: usize,
    /// Who is searching: their private playlists are found besides everyone's public ones.
    pub viewer: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The best match of any requested kind, whatever the page.
    pub top: Option<Item>,
    pub groups: Vec<Group>,
}

/// One page of the matches of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: Kind,
    /// Matches of this kind in all.
    pub total: usize,
    pub items: Vec<Item>,
}
