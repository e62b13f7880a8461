//! From what a listener typed to the words to look for: user text never reaches tantivy's
//! query parser, so `"`, `:`, `(`, `*` or `-` are just characters.
//!
//! Every query term must match the name or the secondary text, in the best way it can:
//! as a whole word, as a prefix (the last term, while it is still being typed), or within
//! its typo budget. Each way scores a fixed amount, so the score says how good the match
//! is rather than how rare the words are; `ranking` adds coverage and popularity.
//! `matching` finds the documents that match.

use crate::text::{self, Side};

/// Longer text is not a search a person types; refusing it bounds the work per request.
pub const MAX_QUERY_CHARS: usize = 200;

/// Why a search text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the search text is empty")]
    Empty,
    #[error("the search text is longer than {max} characters", max = MAX_QUERY_CHARS)]
    TooLong,
}

/// Score of each way a term can match; integers, so that the fractions `ranking` adds
/// (coverage, popularity) only ever break ties between matches of the same quality.
/// A term scores the best way it matches; a match scores the sum over its terms.
pub(crate) mod points {
    /// The whole query equals the whole name.
    pub const EXACT_NAME: u32 = 1000;
    pub const NAME_WORD: u8 = 6;
    pub const NAME_PREFIX: u8 = 5;
    pub const NAME_TYPO: u8 = 4;
    pub const SECONDARY_WORD: u8 = 3;
    pub const SECONDARY_PREFIX: u8 = 2;
    pub const SECONDARY_TYPO: u8 = 1;
}

/// One analysed query word and how loosely it may match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct QueryTerm {
    pub text: String,
    /// Still being typed: it matches the words it begins.
    pub prefix: bool,
    /// Edits (insertions, deletions, substitutions, transpositions) it may be away from a word.
    pub typos: u8,
}

/// A validated search text, analysed like the indexed names. Two texts that analyse the
/// same (case, accents, spacing) are equal, which is what the answer cache keys on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchText {
    terms: Vec<QueryTerm>,
    exact_key: String,
}

impl SearchText {
    pub fn parse(raw: &str) -> Result<SearchText, QueryError> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        if raw.trim().is_empty() {
            return Err(QueryError::Empty);
        }
        // A word followed by a space or punctuation is complete; the one under the cursor is not.
        let last_word_open = raw.chars().last().is_some_and(char::is_alphanumeric);
        let words = text::terms(raw, Side::Query);
        let last = words.len().saturating_sub(1);
        let terms = words
            .into_iter()
            .enumerate()
            .map(|(index, word)| {
                let cjk = word.chars().any(text::is_cjk);
                QueryTerm {
                    prefix: index == last && last_word_open && !cjk,
                    typos: if cjk { 0 } else { typo_budget(&word) },
                    text: word,
                }
            })
            .collect();
        Ok(SearchText { terms, exact_key: text::exact_key(raw) })
    }

    /// Characters of the whole text as compared with names (see `text::exact_key`).
    pub(crate) fn chars(&self) -> u64 {
        self.exact_key.chars().count() as u64
    }

    pub(crate) fn terms(&self) -> &[QueryTerm] {
        &self.terms
    }

    /// The whole text folded like a name (see `text::exact_key`).
    pub(crate) fn exact_key(&self) -> &str {
        &self.exact_key
    }
}

/// Typo tolerance by word length: short words have too many neighbours (`cat`, `bat`).
pub(crate) fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_budget_grows_with_word_length() {
        assert_eq!(typo_budget("cat"), 0);
        assert_eq!(typo_budget("qeen"), 1);
        assert_eq!(typo_budget("beatels"), 1);
        assert_eq!(typo_budget("bohemain"), 2);
        assert_eq!(typo_budget("éèêë"), 1, "counted in characters, not bytes");
    }

    #[test]
    fn only_the_word_being_typed_is_a_prefix() {
        let text = SearchText::parse("queen bohem").unwrap();
        let prefixes: Vec<bool> = text.terms().iter().map(|term| term.prefix).collect();
        assert_eq!(prefixes, [false, true]);
        let finished = SearchText::parse("queen bohemian ").unwrap();
        assert!(finished.terms().iter().all(|term| !term.prefix));
    }

    #[test]
    fn cjk_terms_are_neither_prefixes_nor_fuzzy() {
        let text = SearchText::parse("東京の夜").unwrap();
        assert!(text.terms().iter().all(|term| !term.prefix && term.typos == 0));
    }

    #[test]
    fn empty_and_over_long_texts_are_refused() {
        assert_eq!(SearchText::parse(""), Err(QueryError::Empty));
        assert_eq!(SearchText::parse("   \t "), Err(QueryError::Empty));
        assert_eq!(SearchText::parse(&"a".repeat(MAX_QUERY_CHARS + 1)), Err(QueryError::TooLong));
        assert!(SearchText::parse(&"é".repeat(MAX_QUERY_CHARS)).is_ok(), "the limit counts characters");
    }
}
