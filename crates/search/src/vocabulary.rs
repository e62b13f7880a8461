//! The words of a segment's `name` and `secondary` fields in one dictionary, so the words a
//! query term may match are found in one walk of its automaton, not one per field: the walk,
//! not the reading of postings, is most of a match's cost (about 40 µs for one edit in a
//! dictionary of a 100,000-track catalog, whatever it finds). Most words are in both fields
//! (a track's artists and album are names of other documents), so the merged dictionary is
//! hardly larger than either. Segments never change: each one's is built once, when a
//! reload first shows it.
//!
//! CJK n-grams are kept apart and only looked up whole. Automata are walked only for words
//! being typed or allowed typos, never CJK ones (`query`), and such a word cannot match an
//! n-gram: it begins with a letter no n-gram begins with, and an n-gram has one or two
//! characters, too few to be within a typo budget of a word of four or more. Walking them
//! anyway was most of a walk's cost: after a first-letter typo, an automaton follows every
//! first character of the dictionary, and CJK text brings thousands.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::termdict::TermDictionary;
use tantivy::{Searcher, SegmentReader};
use tantivy_fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};

use crate::schema::Fields;
use crate::text;

/// Where a word's postings are in each field: its `TermInfo` there, if it occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InFields<'a> {
    pub name: Option<&'a TermInfo>,
    pub secondary: Option<&'a TermInfo>,
}

/// An FST from each word to the places of its `TermInfo`s in `name` and `secondary`, packed
/// as `name place + 1` in the high half and `secondary place + 1` in the low half (0: not
/// in that field). tantivy does not give a field's `TermInfo` by ordinal, hence the copies.
pub(crate) struct Vocabulary {
    words: Map<Vec<u8>>,
    cjk: Map<Vec<u8>>,
    name: Vec<TermInfo>,
    secondary: Vec<TermInfo>,
}

impl Vocabulary {
    pub fn of(segment: &SegmentReader, fields: &Fields) -> tantivy::Result<Vocabulary> {
        let name_index = segment.inverted_index(fields.name)?;
        let secondary_index = segment.inverted_index(fields.secondary)?;
        let (mut words, mut cjk) = (MapBuilder::memory(), MapBuilder::memory());
        let (mut name, mut secondary) = (Vec::new(), Vec::new());
        merge(name_index.terms(), secondary_index.terms(), |word, name_info, secondary_info| {
            let place = |info: Option<&TermInfo>, infos: &mut Vec<TermInfo>| {
                info.map_or(0, |info| {
                    infos.push(info.clone());
                    infos.len() as u64
                })
            };
            let packed = place(name_info, &mut name) << 32 | place(secondary_info, &mut secondary);
            if is_cjk(word) { cjk.insert(word, packed) } else { words.insert(word, packed) }
        })?;
        debug_assert!(name.len() < u32::MAX as usize && secondary.len() < u32::MAX as usize);
        Ok(Vocabulary { words: finish(words)?, cjk: finish(cjk)?, name, secondary })
    }

    /// Calls `visit` with each word `automaton` accepts, in order, until it fails; CJK
    /// n-grams are not walked (see the module documentation).
    pub fn walk<A: Automaton, E>(
        &self,
        automaton: A,
        mut visit: impl FnMut(&[u8], InFields<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stream = self.words.search(automaton).into_stream();
        while let Some((word, packed)) = stream.next() {
            visit(word, self.unpack(packed))?;
        }
        Ok(())
    }

    pub fn get(&self, word: &str) -> Option<InFields<'_>> {
        let words = if is_cjk(word.as_bytes()) { &self.cjk } else { &self.words };
        words.get(word).map(|packed| self.unpack(packed))
    }

    fn unpack(&self, packed: u64) -> InFields<'_> {
        InFields {
            name: placed(&self.name, packed >> 32),
            secondary: placed(&self.secondary, packed & u64::from(u32::MAX)),
        }
    }
}

/// The `TermInfo` at `place - 1` (0: none).
fn placed(infos: &[TermInfo], place: u64) -> Option<&TermInfo> {
    place.checked_sub(1).map(|place| &infos[place as usize])
}

/// Feeds `insert` the union of two dictionaries, in order, each word once with its
/// `TermInfo` in each.
fn merge(
    name: &TermDictionary,
    secondary: &TermDictionary,
    mut insert: impl FnMut(&[u8], Option<&TermInfo>, Option<&TermInfo>) -> tantivy_fst::Result<()>,
) -> tantivy::Result<()> {
    let (mut names, mut secondaries) = (name.stream()?, secondary.stream()?);
    let (mut name_left, mut secondary_left) = (names.advance(), secondaries.advance());
    while name_left || secondary_left {
        let order = match (name_left, secondary_left) {
            (true, true) => names.key().cmp(secondaries.key()),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Less => insert(names.key(), Some(names.value()), None),
            Ordering::Greater => insert(secondaries.key(), None, Some(secondaries.value())),
            Ordering::Equal => insert(names.key(), Some(names.value()), Some(secondaries.value())),
        }
        .map_err(fst_error)?;
        if order.is_le() {
            name_left = names.advance();
        }
        if order.is_ge() {
            secondary_left = secondaries.advance();
        }
    }
    Ok(())
}

/// Whether an indexed word is a CJK n-gram (a run of CJK characters, see `text`).
fn is_cjk(word: &[u8]) -> bool {
    String::from_utf8_lossy(word).chars().any(text::is_cjk)
}

fn finish(builder: MapBuilder<Vec<u8>>) -> tantivy::Result<Map<Vec<u8>>> {
    Map::from_bytes(builder.into_inner().map_err(fst_error)?).map_err(fst_error)
}

fn fst_error(error: tantivy_fst::Error) -> tantivy::TantivyError {
    tantivy::TantivyError::InternalError(format!("building the search vocabulary: {error}"))
}

/// The vocabulary of each segment of the current generation.
#[derive(Default)]
pub(crate) struct Vocabularies {
    by_segment: RwLock<HashMap<SegmentId, Arc<Vocabulary>>>,
}

impl Vocabularies {
    /// Keeps the vocabularies of `searcher`'s segments, building those of new ones, and
    /// forgets those of segments merged away or deleted.
    pub fn follow(&self, searcher: &Searcher, fields: &Fields) -> tantivy::Result<()> {
        let known = self.by_segment.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let mut current = HashMap::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let vocabulary = match known.get(&segment.segment_id()) {
                Some(vocabulary) => Arc::clone(vocabulary),
                None => Arc::new(Vocabulary::of(segment, fields)?),
            };
            current.insert(segment.segment_id(), vocabulary);
        }
        *self.by_segment.write().unwrap_or_else(std::sync::PoisonError::into_inner) = current;
        Ok(())
    }

    /// The vocabulary of `segment`; built for this search alone when the segment is newer
    /// than the last `follow` (a search racing a reload).
    pub fn of(&self, segment: &SegmentReader, fields: &Fields) -> tantivy::Result<Arc<Vocabulary>> {
        let known = self.by_segment.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        match known.get(&segment.segment_id()) {
            Some(vocabulary) => Ok(Arc::clone(vocabulary)),
            None => Ok(Arc::new(Vocabulary::of(segment, fields)?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::FuzzyTermQuery;
    use tantivy::{Index, IndexWriter, TantivyDocument, Term};

    use super::*;
    use crate::text::{Side, WORDS_TOKENIZER, words_analyzer};

    /// A one-segment index of documents given as (name, secondary text).
    fn vocabulary_of(documents: &[(&str, &str)]) -> (Vocabulary, Fields) {
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(WORDS_TOKENIZER, words_analyzer(Side::Document));
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (name, secondary) in documents {
            let mut document = TantivyDocument::default();
            document.add_text(fields.name, name);
            document.add_text(fields.secondary, secondary);
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        (Vocabulary::of(&searcher.segment_readers()[0], &fields).unwrap(), fields)
    }

    fn doc_freqs(found: InFields<'_>) -> (Option<u32>, Option<u32>) {
        (found.name.map(|info| info.doc_freq), found.secondary.map(|info| info.doc_freq))
    }

    #[test]
    fn each_word_knows_its_postings_in_both_fields() {
        let (vocabulary, _) = vocabulary_of(&[("Queen", "Bohemian"), ("Bohemian Rhapsody", "Queen"), ("Abba", "")]);
        assert_eq!(vocabulary.get("queen").map(doc_freqs), Some((Some(1), Some(1))));
        assert_eq!(vocabulary.get("rhapsody").map(doc_freqs), Some((Some(1), None)));
        assert_eq!(vocabulary.get("abba").map(doc_freqs), Some((Some(1), None)));
        assert_eq!(vocabulary.get("queens"), None);
    }

    #[test]
    fn cjk_ngrams_are_looked_up_but_not_walked() {
        let (vocabulary, fields) = vocabulary_of(&[("東京", "Tokyo"), ("Tokio Hotel", "")]);
        assert_eq!(vocabulary.get("東京").map(doc_freqs), Some((Some(1), None)));
        assert_eq!(vocabulary.get("京").map(doc_freqs), Some((Some(1), None)));
        let every_word =
            FuzzyTermQuery::new_prefix(Term::from_field_text(fields.name, ""), 0, true).automaton().unwrap();
        let mut walked = Vec::new();
        vocabulary
            .walk(&every_word, |word, _| {
                walked.push(String::from_utf8_lossy(word).into_owned());
                Ok::<(), ()>(())
            })
            .unwrap();
        assert_eq!(walked, ["hotel", "tokio", "tokyo"]);
    }
}
