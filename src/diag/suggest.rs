//! "Did you mean" suggestions for misspelt ids and codes.

/// The known value closest to `value`, if it is close enough to be a likely typo.
pub fn nearest<'a>(value: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = value.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_lowercase()), k))
        .filter(|(distance, k)| *distance <= (k.chars().count() / 3).max(2))
        .min_by_key(|(distance, k)| (*distance, *k))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_close_id() {
        let known = ["health-visiting", "iapt-0-5", "maternal-mh-service"];
        assert_eq!(nearest("helth-visiting", known), Some("health-visiting"));
        assert_eq!(nearest("iapt-05", known), Some("iapt-0-5"));
    }

    #[test]
    fn gives_nothing_for_a_distant_value() {
        assert_eq!(
            nearest("something-else-entirely", ["health-visiting"]),
            None
        );
    }
}
