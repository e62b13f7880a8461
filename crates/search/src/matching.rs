//! The documents of a segment that match a search text, and their match points, read
//! straight from the postings.
//!
//! Each query term marks, in one byte per document, the best way it matches that document
//! (`query::points`); the documents every term marked are the matches, scored by the sum of
//! their terms' points, plus `EXACT_NAME` when the whole text equals the name. That is what
//! a boolean query of one disjunction of six constant-score clauses per term computes, but
//! each posting list is read once and no scorer tree merges the clauses: with tantivy's
//! scorers, unions and intersections took three quarters of a search's time.
//!
//! The words a term may match are found by walking the field's term dictionary with a
//! Levenshtein automaton, built once per search and walked in both fields.

use std::io;

use tantivy::postings::TermInfo;
use tantivy::query::{DfaWrapper, FuzzyTermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, InvertedIndexReader, SegmentReader, Term};

use crate::query::{QueryTerm, SearchText, points};
use crate::schema::Fields;

/// The shortest word being typed whose typos are looked for among the words it begins.
/// A shorter one is compared with whole words only: one edit away from the beginning of a
/// word, four letters match a large part of the dictionary (and rarely what was meant),
/// while a whole-word typo (`qeen` → `queen`) stays found.
const SHORTEST_FUZZY_PREFIX: usize = 5;

/// A search text ready to be matched in any number of segments.
pub(crate) struct MatchPlan<'text> {
    terms: Vec<TermPlan<'text>>,
    exact_key: &'text str,
}

/// How one query term is looked for.
struct TermPlan<'text> {
    text: &'text str,
    /// The words it begins, when it is being typed.
    prefix: Option<DfaWrapper>,
    /// The words within its typo budget: whole words, or also the beginnings of words
    /// (then every word `prefix` accepts is among them).
    typo: Option<Typo>,
}

struct Typo {
    automaton: DfaWrapper,
    among_beginnings: bool,
}

/// What each way of matching a term is worth in one field.
struct FieldPoints {
    word: u8,
    prefix: u8,
    typo: u8,
}

const NAME_POINTS: FieldPoints =
    FieldPoints { word: points::NAME_WORD, prefix: points::NAME_PREFIX, typo: points::NAME_TYPO };
const SECONDARY_POINTS: FieldPoints =
    FieldPoints { word: points::SECONDARY_WORD, prefix: points::SECONDARY_PREFIX, typo: points::SECONDARY_TYPO };

impl<'text> MatchPlan<'text> {
    /// Builds the automata of `text`'s terms; building them costs more than walking them
    /// (distance 2 most of all), so it is done once per search.
    pub fn of(text: &'text SearchText, fields: &Fields) -> tantivy::Result<MatchPlan<'text>> {
        let terms = text.terms().iter().map(|term| TermPlan::of(term, fields)).collect::<tantivy::Result<_>>()?;
        Ok(MatchPlan { terms, exact_key: text.exact_key() })
    }

    /// The live documents of `segment` that match, with their match points, in no order.
    pub fn matches(&self, segment: &SegmentReader, fields: &Fields) -> tantivy::Result<Vec<(DocId, u32)>> {
        let mut marks = Marks::new(segment.max_doc());
        let mut matches: Vec<(DocId, u32)> = Vec::new();
        for (index, term) in self.terms.iter().enumerate() {
            term.mark(&*segment.inverted_index(fields.name)?, &NAME_POINTS, &mut marks)?;
            term.mark(&*segment.inverted_index(fields.secondary)?, &SECONDARY_POINTS, &mut marks)?;
            if index == 0 {
                matches = marks.touched.iter().map(|&doc| (doc, u32::from(marks.best[doc as usize]))).collect();
            } else {
                matches.retain_mut(|(doc, sum)| {
                    let best = marks.best[*doc as usize];
                    *sum += u32::from(best);
                    best > 0
                });
            }
            marks.clear();
            if matches.is_empty() {
                return Ok(matches);
            }
        }
        let exact_index = segment.inverted_index(fields.name_exact)?;
        let exact = exact_index.get_term_info(&Term::from_field_text(fields.name_exact, self.exact_key))?;
        if let Some(exact) = exact {
            if self.terms.is_empty() {
                // Text of punctuation only (`!!!`) has no words: it can only match a name exactly.
                mark_postings(&exact_index, &exact, 1, &mut marks)?;
                matches = marks.touched.iter().map(|&doc| (doc, points::EXACT_NAME)).collect();
            } else {
                mark_postings(&exact_index, &exact, 1, &mut marks)?;
                for (doc, sum) in &mut matches {
                    *sum += points::EXACT_NAME * u32::from(marks.best[*doc as usize]);
                }
            }
        }
        if let Some(alive) = segment.alive_bitset() {
            matches.retain(|(doc, _)| alive.is_alive(*doc));
        }
        Ok(matches)
    }
}

impl<'text> TermPlan<'text> {
    fn of(term: &'text QueryTerm, fields: &Fields) -> tantivy::Result<TermPlan<'text>> {
        let prefix = if term.prefix { Some(automaton(fields.name, &term.text, 0, true)?) } else { None };
        let typo = match term.typos {
            0 => None,
            typos => {
                let among_beginnings = term.prefix && term.text.chars().count() >= SHORTEST_FUZZY_PREFIX;
                Some(Typo { automaton: automaton(fields.name, &term.text, typos, among_beginnings)?, among_beginnings })
            }
        };
        Ok(TermPlan { text: &term.text, prefix, typo })
    }

    /// Marks the documents whose `index` field matches this term, each with the best way
    /// it matches: the word itself, a word it begins, or a word within its typo budget.
    fn mark(&self, index: &InvertedIndexReader, worth: &FieldPoints, marks: &mut Marks) -> io::Result<()> {
        let words = index.terms();
        let points_of = |word: &[u8]| {
            if word == self.text.as_bytes() {
                worth.word
            } else if self.prefix.is_some() && word.starts_with(self.text.as_bytes()) {
                worth.prefix
            } else {
                worth.typo
            }
        };
        if let Some(typo) = &self.typo {
            let mut stream = words.search(&typo.automaton).into_stream()?;
            while stream.advance() {
                mark_postings(index, stream.value(), points_of(stream.key()), marks)?;
            }
        }
        if let Some(prefix) =
            self.prefix.as_ref().filter(|_| !self.typo.as_ref().is_some_and(|typo| typo.among_beginnings))
        {
            // Words both automata accept are marked twice, with the same points.
            let mut stream = words.search(prefix).into_stream()?;
            while stream.advance() {
                mark_postings(index, stream.value(), points_of(stream.key()), marks)?;
            }
        }
        if self.prefix.is_none()
            && self.typo.is_none()
            && let Some(word) = words.get(self.text.as_bytes())?
        {
            mark_postings(index, &word, worth.word, marks)?;
        }
        Ok(())
    }
}

/// The automaton of the words within `typos` edits of `text` (or beginning so, for a
/// prefix). Transpositions count as one edit: `beatels` is one slip away from `beatles`.
/// The field only carries the text: the automaton is the same for every field.
fn automaton(field: Field, text: &str, typos: u8, prefix: bool) -> tantivy::Result<DfaWrapper> {
    let target = Term::from_field_text(field, text);
    let query =
        if prefix { FuzzyTermQuery::new_prefix(target, typos, true) } else { FuzzyTermQuery::new(target, typos, true) };
    query.automaton()
}

/// The best points each document got from the term being matched, and which documents
/// got any (so that clearing costs what marking did, not the segment's size).
struct Marks {
    best: Vec<u8>,
    touched: Vec<DocId>,
}

impl Marks {
    fn new(max_doc: DocId) -> Marks {
        Marks { best: vec![0; max_doc as usize], touched: Vec::new() }
    }

    fn clear(&mut self) {
        for &doc in &self.touched {
            self.best[doc as usize] = 0;
        }
        self.touched.clear();
    }
}

/// Marks every document of a word's postings with `points`, unless it has more already.
fn mark_postings(index: &InvertedIndexReader, word: &TermInfo, points: u8, marks: &mut Marks) -> io::Result<()> {
    let mut postings = index.read_block_postings_from_terminfo(word, IndexRecordOption::Basic)?;
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for &doc in docs {
            let best = &mut marks.best[doc as usize];
            if *best == 0 {
                marks.touched.push(doc);
            }
            *best = (*best).max(points);
        }
        postings.advance();
    }
}
