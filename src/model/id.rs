//! Ids: how categories, regions, areas and services are named in files and web addresses,
//! and the one way of making an id-like slug from a name or a heading.
//!
//! In: any text. Out: a slug that follows the id rules of docs/data-format.md (lowercase
//! letters `a`–`z`, digits and single hyphens, no hyphen at either end, at most
//! `MAX_ID_CHARS` characters). Used for the ids `import oruk` gives services, the
//! suggestion of E040, heading anchors and report section ids, and the synthetic data.

/// The longest an id may be, in characters.
pub const MAX_ID_CHARS: usize = 80;

/// `text` as an id: its letters and digits in lower case (common accented Latin letters as
/// their plain forms, "ß" as "ss", "&" as "and"), every other run of characters (spaces,
/// punctuation, apostrophes) one hyphen, cut to `MAX_ID_CHARS` with no hyphen at either
/// end. Empty when nothing usable is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out.chars().take(MAX_ID_CHARS).collect();
    cut.trim_end_matches('-').to_string()
}

/// Common accented Latin letters to their plain forms, so "Café" becomes "cafe".
pub(crate) fn fold(c: char) -> Vec<char> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ŵ' | 'Ŵ' => 'w',
        'ŷ' | 'Ŷ' => 'y',
        'ß' => return vec!['s', 's'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        '&' => return vec![' ', 'a', 'n', 'd', ' '],
        other => other,
    };
    vec![plain]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("St. Helen's CCG"), "st-helen-s-ccg");
        assert_eq!(slug("Parents' Group"), "parents-group");
        assert_eq!(slug("  BABS!"), "babs");
        assert_eq!(slug("Café & Crèche — Ynys Môn"), "cafe-and-creche-ynys-mon");
        assert_eq!(slug("2.5.1"), "2-5-1");
        assert_eq!(slug("!!"), "");
    }

    #[test]
    fn a_long_slug_is_cut_to_an_id_and_never_ends_with_a_hyphen() {
        let long = format!("{} b", "a".repeat(MAX_ID_CHARS - 1));
        let cut = slug(&long);
        assert_eq!(cut, "a".repeat(MAX_ID_CHARS - 1));
        assert!(slug(&"word ".repeat(40)).chars().count() <= MAX_ID_CHARS);
        assert!(!slug(&"word ".repeat(40)).ends_with('-'));
    }
}
