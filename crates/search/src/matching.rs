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
//! The words a term may match are found by walking the segment's `Vocabulary` (the words of
//! both fields) with a Levenshtein automaton built once per search.

use std::io;
use std::sync::Arc;

use tantivy::postings::TermInfo;
use tantivy::query::{DfaWrapper, FuzzyTermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, InvertedIndexReader, SegmentReader, Term};

use crate::query::{QueryTerm, SearchText, points};
use crate::schema::Fields;
use crate::vocabulary::{InFields, Vocabulary};

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
    /// Being typed: the words it begins match too.
    prefix: bool,
    /// The automata of the words that match it beyond itself, walked in turn; none when
    /// only the word itself matches.
    automata: Vec<DfaWrapper>,
}

/// How a word of the index matches a query term, at best.
#[derive(Clone, Copy)]
enum Way {
    Word,
    Prefix,
    Typo,
}

impl Way {
    /// Points in the name and in the secondary text.
    fn points(self) -> [u8; 2] {
        match self {
            Way::Word => [points::NAME_WORD, points::SECONDARY_WORD],
            Way::Prefix => [points::NAME_PREFIX, points::SECONDARY_PREFIX],
            Way::Typo => [points::NAME_TYPO, points::SECONDARY_TYPO],
        }
    }
}

impl<'text> MatchPlan<'text> {
    /// Builds the automata of `text`'s terms; building them costs more than walking them
    /// (distance 2 most of all), so it is done once per search.
    pub fn of(text: &'text SearchText, fields: &Fields) -> tantivy::Result<MatchPlan<'text>> {
        let terms = text.terms().iter().map(|term| TermPlan::of(term, fields)).collect::<tantivy::Result<_>>()?;
        Ok(MatchPlan { terms, exact_key: text.exact_key() })
    }

    /// The live documents of `segment` that match, with their match points, in no order.
    pub fn matches(
        &self,
        segment: &SegmentReader,
        vocabulary: &Vocabulary,
        fields: &Fields,
    ) -> tantivy::Result<Vec<(DocId, u32)>> {
        let postings = [segment.inverted_index(fields.name)?, segment.inverted_index(fields.secondary)?];
        let mut marks = Marks::new(segment.max_doc());
        let mut matches: Vec<(DocId, u32)> = Vec::new();
        for (index, term) in self.terms.iter().enumerate() {
            term.mark(vocabulary, &postings, &mut marks)?;
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
            mark_postings(&exact_index, &exact, 1, &mut marks)?;
            if self.terms.is_empty() {
                // Text of punctuation only (`!!!`) has no words: it can only match a name exactly.
                matches = marks.touched.iter().map(|&doc| (doc, points::EXACT_NAME)).collect();
            } else {
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
        let mut automata = Vec::with_capacity(2);
        // Typos are looked for among the beginnings of words too when the word is typed far
        // enough: then that automaton accepts every word the term begins as well.
        let typos_among_beginnings = term.prefix && term.text.chars().count() >= SHORTEST_FUZZY_PREFIX;
        if term.typos > 0 {
            automata.push(automaton(fields.name, &term.text, term.typos, typos_among_beginnings)?);
        }
        if term.prefix && !(term.typos > 0 && typos_among_beginnings) {
            automata.push(automaton(fields.name, &term.text, 0, true)?);
        }
        Ok(TermPlan { text: &term.text, prefix: term.prefix, automata })
    }

    /// Marks the documents that match this term, each with the best way it matches: the
    /// word itself, a word it begins, or a word within its typo budget; in the name or in
    /// the secondary text (`postings`, in that order).
    fn mark(
        &self,
        vocabulary: &Vocabulary,
        postings: &[Arc<InvertedIndexReader>; 2],
        marks: &mut Marks,
    ) -> io::Result<()> {
        let text = self.text.as_bytes();
        let mut mark_word = |word: &[u8], in_fields: InFields<'_>| -> io::Result<()> {
            let way = if word == text {
                Way::Word
            } else if self.prefix && word.starts_with(text) {
                Way::Prefix
            } else {
                Way::Typo
            };
            for ((info, index), points) in
                [in_fields.name, in_fields.secondary].into_iter().zip(postings).zip(way.points())
            {
                if let Some(info) = info {
                    mark_postings(index, info, points, marks)?;
                }
            }
            Ok(())
        };
        // A word several automata accept is marked once by each, with the same points.
        for automaton in &self.automata {
            vocabulary.walk(automaton, &mut mark_word)?;
        }
        if self.automata.is_empty()
            && let Some(in_fields) = vocabulary.get(self.text)
        {
            mark_word(text, in_fields)?;
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
