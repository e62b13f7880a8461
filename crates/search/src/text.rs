//! Text analysis shared by the indexer and the query builder, so both see the same terms:
//! words split on anything that is not a letter, digit or combining mark, lower-cased and
//! folded to ASCII where a folding exists (`Beyoncé` → `beyonce`); runs of CJK characters,
//! which are written without spaces, become character bigrams (and, in the index, single
//! characters too, so a one-character title or query still matches).

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The analyzer of the `name` and `secondary` fields, registered under this name.
pub(crate) const WORDS_TOKENIZER: &str = "tonearm_words";

/// Terms longer than this are noise (hashes, run-together strings) and are dropped.
const LONGEST_TERM_BYTES: usize = 64;

/// Whether a word comes from an index document or from a query: documents index CJK
/// unigrams besides bigrams; queries use bigrams (or the lone character) only, so every
/// query term must be present in a matching document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Document,
    Query,
}

/// The analyzer for `side`.
pub(crate) fn words_analyzer(side: Side) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer { side })
        .filter(RemoveLongFilter::limit(LONGEST_TERM_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The terms of `text` as `side` sees them, in order.
pub(crate) fn terms(text: &str, side: Side) -> Vec<String> {
    let mut analyzer = words_analyzer(side);
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

/// The whole name, folded like the words but with its punctuation kept and its spaces
/// collapsed: a query equal to it is an exact match (`AC/DC`, `!!!`, `Bohemian Rhapsody`).
pub(crate) fn exact_key(text: &str) -> String {
    let mut analyzer =
        TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    let normalized: String = text.nfc().collect();
    let mut stream = analyzer.token_stream(&normalized);
    let folded = stream.next().map(|token| token.text.clone()).unwrap_or_default();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scripts written without spaces between words: Han, kana and Hangul.
pub(crate) fn is_cjk(character: char) -> bool {
    matches!(character,
        '\u{1100}'..='\u{11FF}'     // Hangul Jamo
        | '\u{2E80}'..='\u{2FDF}'   // CJK radicals
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}'   // Hangul compatibility Jamo
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{20000}'..='\u{2FA1F}' // CJK extensions B–F, compatibility supplement
    )
}

fn is_word_character(character: char) -> bool {
    character.is_alphanumeric() || is_combining_mark(character)
}

/// Splits text into words and CJK n-grams; see the module documentation.
#[derive(Debug, Clone)]
struct WordTokenizer {
    side: Side,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokens {
        // NFC first: a decomposed `é` (as macOS file names have it) folds like a composed one.
        let text: String = text.nfc().collect();
        WordTokens { tokens: split(&text, self.side).into_iter(), current: Token::default() }
    }
}

pub(crate) struct WordTokens {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl TokenStream for WordTokens {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// A maximal run of word characters, all CJK or none.
struct Run {
    start: usize,
    end: usize,
    cjk: bool,
}

fn runs(text: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut open: Option<Run> = None;
    for (offset, character) in text.char_indices() {
        let end = offset + character.len_utf8();
        if !is_word_character(character) {
            runs.extend(open.take());
            continue;
        }
        // A combining mark belongs to the run it follows, whatever its script.
        let cjk = match &open {
            Some(run) if is_combining_mark(character) => run.cjk,
            _ => is_cjk(character),
        };
        if let Some(run) = open.as_mut().filter(|run| run.cjk == cjk) {
            run.end = end;
            continue;
        }
        runs.extend(open.take());
        open = Some(Run { start: offset, end, cjk });
    }
    runs.extend(open);
    runs
}

fn split(text: &str, side: Side) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut push = |from: usize, to: usize| {
        let position = tokens.len();
        tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text[from..to].to_owned(),
            position_length: 1,
        });
    };
    for run in runs(text) {
        if !run.cjk {
            push(run.start, run.end);
            continue;
        }
        // (start, end) of each character of the run.
        let characters: Vec<(usize, usize)> = text[run.start..run.end]
            .char_indices()
            .map(|(offset, character)| (run.start + offset, run.start + offset + character.len_utf8()))
            .collect();
        if characters.len() == 1 {
            push(run.start, run.end);
            continue;
        }
        for (index, &(from, to)) in characters.iter().enumerate() {
            if side == Side::Document {
                push(from, to);
            }
            if let Some(&(_, next_to)) = characters.get(index + 1) {
                push(from, next_to);
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_folded_to_ascii() {
        assert_eq!(terms("Beyoncé — Crazy in Love!", Side::Query), ["beyonce", "crazy", "in", "love"]);
        assert_eq!(terms("Sigur Rós: Ágætis byrjun", Side::Query), ["sigur", "ros", "agaetis", "byrjun"]);
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        assert_eq!(terms("Beyonce\u{301}", Side::Query), terms("Beyoncé", Side::Query));
    }

    #[test]
    fn cjk_runs_become_bigrams_and_documents_keep_unigrams() {
        assert_eq!(terms("東京の夜", Side::Query), ["東京", "京の", "の夜"]);
        assert_eq!(terms("東京の夜", Side::Document), ["東", "東京", "京", "京の", "の", "の夜", "夜"]);
        assert_eq!(terms("愛", Side::Query), ["愛"]);
        assert_eq!(terms("坂本 龍", Side::Query), ["坂本", "龍"]);
    }

    #[test]
    fn mixed_scripts_split_where_the_script_changes() {
        assert_eq!(terms("J-Pop東京2020", Side::Query), ["j", "pop", "東京", "2020"]);
    }

    #[test]
    fn exact_key_keeps_punctuation_and_collapses_spaces() {
        assert_eq!(exact_key("  AC/DC  "), "ac/dc");
        assert_eq!(exact_key("Bohemian   Rhapsody"), "bohemian rhapsody");
        assert_eq!(exact_key("Beyoncé"), "beyonce");
        assert_eq!(exact_key("!!!"), "!!!");
    }
}
