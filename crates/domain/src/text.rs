use unicode_normalization::UnicodeNormalization;

/// NFC-normalises text so that the same name typed on two systems (precomposed vs
/// decomposed accents, as macOS file names are) is one artist, not two.
pub fn unicode_fold(text: &str) -> String {
    text.nfc().collect()
}

/// The key lists are sorted and entities are matched by: NFC, lower case, and a
/// leading English article dropped ("The Beatles" sorts under B, as in record shops).
pub fn sort_key(name: &str) -> String {
    let folded: String = name.trim().nfc().flat_map(char::to_lowercase).collect();
    for article in ["the ", "a ", "an "] {
        if let Some(rest) = folded.strip_prefix(article)
            && !rest.trim().is_empty()
        {
            return rest.trim_start().to_owned();
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_key_drops_articles_and_case() {
        assert_eq!(sort_key("The Beatles"), "beatles");
        assert_eq!(sort_key("  ABBA "), "abba");
        assert_eq!(sort_key("The"), "the");
        assert_eq!(sort_key("Theremin Trio"), "theremin trio");
    }

    #[test]
    fn composed_and_decomposed_accents_fold_to_one_key() {
        assert_eq!(sort_key("Beyonce\u{301}"), sort_key("Beyoncé"));
        assert_eq!(unicode_fold("e\u{301}"), "é");
    }
}
