//! From what a listener typed to a tantivy query, built term by term: user text never
//! reaches tantivy's query parser, so `"`, `:`, `(`, `*` or `-` are just characters.
//!
//! Every query term must match the name or the secondary text, in the best way it can:
//! as a whole word, as a prefix (the last term, while it is still being typed), or within
//! its typo budget. Each way scores a fixed amount, so the score says how good the match
//! is rather than how rare the words are; `ranking` adds coverage and popularity.
//!
//! Building a Levenshtein automaton costs more than walking it (distance 2 most of all), so
//! each automaton is built once per word and walked in both fields (`SharedAutomatonQuery`).

use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{
    AutomatonWeight, BooleanQuery, ConstScoreQuery, DfaWrapper, DisjunctionMaxQuery, EnableScoring, FuzzyTermQuery,
    Occur, Query, TermQuery, Weight,
};
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

/// The shortest word being typed whose typos are looked for among the words it begins.
/// A shorter one is compared with whole words only: one edit away from the beginning of a
/// word, four letters match a large part of the dictionary (and rarely what was meant),
/// while a whole-word typo (`qeen` → `queen`) stays found.
const SHORTEST_FUZZY_PREFIX: usize = 5;

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

    #[cfg(test)]
    pub(crate) fn terms(&self) -> &[QueryTerm] {
        &self.terms
    }

    /// The tantivy query for this text.
    pub(crate) fn build(&self, fields: &Fields) -> tantivy::Result<Box<dyn Query>> {
        let exact = scored(
            Box::new(TermQuery::new(
                Term::from_field_text(fields.name_exact, &self.exact_key),
                IndexRecordOption::Basic,
            )),
            points::EXACT_NAME,
        );
        // Text of punctuation only (`!!!`) has no words: it can only match a name exactly.
        if self.terms.is_empty() {
            return Ok(exact);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .terms
            .iter()
            .map(|term| Ok((Occur::Must, term_query(term, fields)?)))
            .collect::<tantivy::Result<_>>()?;
        clauses.push((Occur::Should, exact));
        Ok(Box::new(BooleanQuery::new(clauses)))
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
fn term_query(term: &QueryTerm, fields: &Fields) -> tantivy::Result<Box<dyn Query>> {
    let prefix = if term.prefix { Some(automaton(fields, &term.text, 0, true)?) } else { None };
    let typo = match term.typos {
        0 => None,
        typos => {
            let among_beginnings = term.prefix && term.text.chars().count() >= SHORTEST_FUZZY_PREFIX;
            Some(automaton(fields, &term.text, typos, among_beginnings)?)
        }
    };
    let mut ways = Vec::with_capacity(6);
    for (field, [word, prefix_points, typo_points]) in [
        (fields.name, [points::NAME_WORD, points::NAME_PREFIX, points::NAME_TYPO]),
        (fields.secondary, [points::SECONDARY_WORD, points::SECONDARY_PREFIX, points::SECONDARY_TYPO]),
    ] {
        let exact_term = Term::from_field_text(field, &term.text);
        ways.push(scored(Box::new(TermQuery::new(exact_term, IndexRecordOption::Basic)), word));
        if let Some(automaton) = &prefix {
            ways.push(scored(SharedAutomatonQuery::boxed(field, automaton), prefix_points));
        }
        if let Some(automaton) = &typo {
            ways.push(scored(SharedAutomatonQuery::boxed(field, automaton), typo_points));
        }
    }
    Ok(Box::new(DisjunctionMaxQuery::new(ways)))
}

/// The automaton of the words within `typos` edits of `text` (or beginning so, for a
/// prefix). Transpositions count as one edit: `beatels` is one slip away from `beatles`.
/// The field only carries the text: the automaton is the same for every field.
fn automaton(fields: &Fields, text: &str, typos: u8, prefix: bool) -> tantivy::Result<Arc<DfaWrapper>> {
    let target = Term::from_field_text(fields.name, text);
    let query =
        if prefix { FuzzyTermQuery::new_prefix(target, typos, true) } else { FuzzyTermQuery::new(target, typos, true) };
    Ok(Arc::new(query.automaton()?))
}

/// Matches the words of `field` that `automaton` accepts, with an automaton built once and
/// shared (tantivy's `FuzzyTermQuery` builds its own for every field it is used on).
#[derive(Clone)]
struct SharedAutomatonQuery {
    field: Field,
    automaton: Arc<DfaWrapper>,
}

impl SharedAutomatonQuery {
    fn boxed(field: Field, automaton: &Arc<DfaWrapper>) -> Box<dyn Query> {
        Box::new(SharedAutomatonQuery { field, automaton: Arc::clone(automaton) })
    }
}

impl std::fmt::Debug for SharedAutomatonQuery {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("SharedAutomatonQuery").field("field", &self.field).finish_non_exhaustive()
    }
}

impl Query for SharedAutomatonQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<DfaWrapper>::new(self.field, Arc::clone(&self.automaton))))
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
