//! Recent answers, kept per index generation: while typing, many listeners send the same
//! few prefixes (`b`, `be`, `bea`), and an answer read back costs a copy instead of a search.
//!
//! A key holds everything an answer depends on: the analysed text (so `Bea` and `bea` share
//! one), the kinds, the page, the viewer when the answer is personal (playlists asked for by
//! a listener who has private ones), and the generation of the index searched. Each reload of the index is a
//! new generation, and the first answer of a new generation empties the cache, so an
//! answer is never served after the contents it came from changed.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use tonearm_domain::UserId;

use crate::query::SearchText;
use crate::request::{SearchRequest, SearchResults};
use crate::schema::Kind;

/// Answers kept: a few megabytes at most (an answer is about 5 kB of summaries), and far
/// more than the distinct prefixes being typed at any moment.
const CAPACITY: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct AnswerKey {
    text: SearchText,
    kinds: Vec<Kind>,
    limit: usize,
    offset: usize,
    /// Only for a personal answer: others are the same for everyone.
    viewer: Option<UserId>,
}

impl AnswerKey {
    /// The key of `request`; `personal` when the answer may hold the viewer's private
    /// playlists (see `SearchIndex::is_personal`).
    pub fn of(request: &SearchRequest, personal: bool) -> AnswerKey {
        AnswerKey {
            text: request.text.clone(),
            kinds: request.kinds.clone(),
            limit: request.limit,
            offset: request.offset,
            viewer: request.viewer.filter(|_| personal),
        }
    }
}

#[derive(Default)]
pub(crate) struct AnswerCache {
    inner: Mutex<Answers>,
}

#[derive(Default)]
struct Answers {
    generation: u64,
    by_key: HashMap<AnswerKey, SearchResults>,
    /// Keys in the order they were added: the oldest goes first when the cache is full.
    order: VecDeque<AnswerKey>,
}

impl AnswerCache {
    /// The answer for `key` computed on index generation `generation`, if kept.
    pub fn get(&self, generation: u64, key: &AnswerKey) -> Option<SearchResults> {
        let answers = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if answers.generation != generation {
            return None;
        }
        answers.by_key.get(key).cloned()
    }

    /// Keeps `results`, the answer for `key` on index generation `generation`; an answer
    /// from a generation older than the cache's is dropped (its search outlived a reload).
    pub fn put(&self, generation: u64, key: AnswerKey, results: &SearchResults) {
        let mut answers = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if generation < answers.generation {
            return;
        }
        if generation > answers.generation {
            *answers = Answers { generation, ..Answers::default() };
        }
        if answers.by_key.contains_key(&key) {
            return;
        }
        if answers.order.len() >= CAPACITY
            && let Some(oldest) = answers.order.pop_front()
        {
            answers.by_key.remove(&oldest);
        }
        answers.order.push_back(key.clone());
        answers.by_key.insert(key, results.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str, kinds: &[Kind], viewer: Option<i64>) -> AnswerKey {
        let request = SearchRequest {
            text: SearchText::parse(text).unwrap(),
            kinds: kinds.to_vec(),
            limit: 10,
            offset: 0,
            viewer: viewer.map(UserId),
        };
        AnswerKey::of(&request, kinds.contains(&Kind::Playlist))
    }

    fn answer(total: usize) -> SearchResults {
        SearchResults { top: None, groups: vec![crate::request::Group { kind: Kind::Track, total, items: Vec::new() }] }
    }

    #[test]
    fn texts_that_analyse_alike_share_an_answer() {
        let cache = AnswerCache::default();
        cache.put(1, key("Beyoncé", &[Kind::Artist], Some(1)), &answer(3));
        assert_eq!(cache.get(1, &key("beyonce", &[Kind::Artist], Some(2))), Some(answer(3)));
        assert_eq!(cache.get(1, &key("beyonce ", &[Kind::Artist], None)), None, "a finished word differs");
        assert_eq!(cache.get(1, &key("beyonce", &[Kind::Album], None)), None);
    }

    #[test]
    fn playlist_answers_are_per_viewer() {
        let cache = AnswerCache::default();
        cache.put(1, key("mix", &[Kind::Playlist], Some(1)), &answer(2));
        assert_eq!(cache.get(1, &key("mix", &[Kind::Playlist], Some(1))), Some(answer(2)));
        assert_eq!(cache.get(1, &key("mix", &[Kind::Playlist], Some(2))), None);
    }

    #[test]
    fn a_new_generation_forgets_older_answers_and_refuses_late_ones() {
        let cache = AnswerCache::default();
        cache.put(1, key("queen", &[Kind::Artist], None), &answer(1));
        cache.put(2, key("abba", &[Kind::Artist], None), &answer(2));
        assert_eq!(cache.get(2, &key("queen", &[Kind::Artist], None)), None);
        cache.put(1, key("queen", &[Kind::Artist], None), &answer(1));
        assert_eq!(cache.get(1, &key("queen", &[Kind::Artist], None)), None);
        assert_eq!(cache.get(2, &key("abba", &[Kind::Artist], None)), Some(answer(2)));
    }

    #[test]
    fn the_oldest_answer_goes_when_full() {
        let cache = AnswerCache::default();
        let word = |index: usize| format!("word{index}");
        for index in 0..=CAPACITY {
            cache.put(1, key(&word(index), &[Kind::Track], None), &answer(index));
        }
        assert_eq!(cache.get(1, &key(&word(0), &[Kind::Track], None)), None);
        assert_eq!(cache.get(1, &key(&word(CAPACITY), &[Kind::Track], None)), Some(answer(CAPACITY)));
    }
}
