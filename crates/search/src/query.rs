//! From what a listener typed to a tantivy query, built term by term: user text never
//! reaches tantivy's query parser, so `"`, `:`, `(`, `*` or `-` are just characters.
//!
//! Every query term must match the name or the secondary text, in the best way it can:
//! as a whole word, as a prefix (the last term, while it is still being typed), or within
//! its typo budget. Each way scores a fixed amount, so the score says how good the match
//! is rather than how rare the words are; `ranking` adds coverage and popularity.

use tantivy::Term;
use tantivy::query::{BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::schema::Fields;
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
pub(crate) mod points {
    /// The whole query equals the whole name.
    pub const EXACT_NAME: f32 = 1000.0;
    pub const NAME_WORD: f32 = 6.0;
    pub const NAME_PREFIX: f32 = 5.0;
    pub const NAME_TYPO: f32 = 4.0;
    pub const SECONDARY_WORD: f32 = 3.0;
    pub const SECONDARY_PREFIX: f32 = 2.0;
    pub const SECONDARY_TYPO: f32 = 1.0;
}

/// One analysed query word and how loosely it may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryTerm {
    pub text: String,
    /// Still being typed: it matches the words it begins.
    pub prefix: bool,
    /// Edits (insertions, deletions, substitutions, transpositions) it may be away from a word.
    pub typos: u8,
}

/// A validated search text, analysed like the indexed names.
#[derive(Debug, Clone, PartialEq, Eq)]
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

    #[cfg(test)]
    pub(crate) fn terms(&self) -> &[QueryTerm] {
        &self.terms
    }

    /// The tantivy query for this text.
    pub(crate) fn build(&self, fields: &Fields) -> Box<dyn Query> {
        let exact = scored(
            Box::new(TermQuery::new(
                Term::from_field_text(fields.name_exact, &self.exact_key),
                IndexRecordOption::Basic,
            )),
            points::EXACT_NAME,
        );
        // Text of punctuation only (`!!!`) has no words: it can only match a name exactly.
        if self.terms.is_empty() {
            return exact;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            self.terms.iter().map(|term| (Occur::Must, term_query(term, fields))).collect();
        clauses.push((Occur::Should, exact));
        Box::new(BooleanQuery::new(clauses))
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

/// The best of the ways `term` matches the name or the secondary text.
fn term_query(term: &QueryTerm, fields: &Fields) -> Box<dyn Query> {
    let mut ways = Vec::with_capacity(6);
    for (field, [word, prefix, typo]) in [
        (fields.name, [points::NAME_WORD, points::NAME_PREFIX, points::NAME_TYPO]),
        (fields.secondary, [points::SECONDARY_WORD, points::SECONDARY_PREFIX, points::SECONDARY_TYPO]),
    ] {
        let exact_term = Term::from_field_text(field, &term.text);
        ways.push(scored(Box::new(TermQuery::new(exact_term.clone(), IndexRecordOption::Basic)), word));
        if term.prefix {
            ways.push(scored(Box::new(FuzzyTermQuery::new_prefix(exact_term.clone(), 0, true)), prefix));
        }
        if term.typos > 0 {
            ways.push(scored(typo_query(field, term), typo));
        }
    }
    Box::new(DisjunctionMaxQuery::new(ways))
}

fn typo_query(field: Field, term: &QueryTerm) -> Box<dyn Query> {
    let target = Term::from_field_text(field, &term.text);
    // Transpositions count as one edit: `beatels` is one slip away from `beatles`.
    if term.prefix {
        Box::new(FuzzyTermQuery::new_prefix(target, term.typos, true))
    } else {
        Box::new(FuzzyTermQuery::new(target, term.typos, true))
    }
}

fn scored(query: Box<dyn Query>, points: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, points))
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
