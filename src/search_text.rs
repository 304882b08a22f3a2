//! How the directory search reads text: the words it indexes and looks for.
//!
//! In: any text (a service's name, a town, a synonym, a query). Out: its words, folded to
//! lower case without accents, with apostrophes dropped ("Children's" is `childrens`),
//! split at anything that is not a letter or digit, without the few short words that say
//! nothing about a service ("and", "the", "for") and without single letters. The site's
//! search script (`assets/directory.js`) reads queries the same way; the stop words reach it
//! in the index, so the two cannot disagree about them.

use unicode_normalization::UnicodeNormalization;

/// Words too common to say anything about a service: never indexed, and dropped from
/// queries.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "the", "to", "with",
];

/// Text in lower case, without accents or apostrophes.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c) && *c != '\'' && *c != '\u{2019}')
        .collect()
}

/// The searchable words of `text`, in order (repeats kept).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_ascii_lowercase() && !c.is_ascii_digit())
        .filter(|w| is_searched(w))
        .map(str::to_string)
        .collect()
}

/// Whether a folded word is one the search looks at.
fn is_searched(word: &str) -> bool {
    let single_letter = word.len() == 1 && word.as_bytes()[0].is_ascii_lowercase();
    !(word.is_empty() || single_letter || STOP_WORDS.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_are_folded_and_split_without_stop_words() {
        assert_eq!(
            words("Children's Centres / Family Hubs"),
            ["childrens", "centres", "family", "hubs"]
        );
        assert_eq!(words("Mother and Baby Unit"), ["mother", "baby", "unit"]);
        assert_eq!(words("Café – 0-5s"), ["cafe", "0", "5s"]);
        assert_eq!(words("a B c"), Vec::<String>::new());
        assert_eq!(words("NHS’s PIMH"), ["nhss", "pimh"]);
    }
}
