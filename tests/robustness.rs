//! Whatever arrives, loading and validating returns diagnostics and never panics. Random
//! text and random damage to real files are thrown at the loader and validator.

use proptest::prelude::*;

const FRAMEWORK: &str = include_str!("fixtures/base/scoping-data/framework.yaml");
const REGION: &str = include_str!("fixtures/base/scoping-data/regions/north.yaml");
const RETURN: &str = include_str!("fixtures/base/scoping-data/returns/2022/north/alpha-ccg.yaml");
const SERVICE: &str = include_str!("fixtures/base/scoping-data/directory/alpha-babies.yaml");
const REPORT: &str = include_str!("fixtures/base/scoping-data/reports/2022/north.yaml");

fn with_one_replaced(index: usize, text: &str) -> Vec<(&'static str, String)> {
    let mut files = vec![
        ("framework.yaml", FRAMEWORK.to_string()),
        ("regions/north.yaml", REGION.to_string()),
        ("returns/2022/north/alpha-ccg.yaml", RETURN.to_string()),
        ("directory/alpha-babies.yaml", SERVICE.to_string()),
        ("reports/2022/north.yaml", REPORT.to_string()),
    ];
    files[index % 5].1 = text.to_string();
    files
}

fn check(files: &[(&'static str, String)]) -> Vec<scopemap::diag::Diagnostic> {
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    scopemap::commands::check_texts(&borrowed)
}

#[test]
fn the_untouched_files_are_clean() {
    assert_eq!(check(&with_one_replaced(0, FRAMEWORK)), vec![]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_yaml_like_text_never_panics(index in 0usize..5, text in "[a-z0-9 :\\-\\[\\]{}'\"#&*!|>,.?%@`\\n\\t]{0,300}") {
        let diagnostics = check(&with_one_replaced(index, &text));
        for d in &diagnostics {
            prop_assert!(!d.message.is_empty());
            prop_assert!(d.help.is_some(), "every diagnostic says how to fix it: {d:?}");
        }
    }

    #[test]
    fn damaged_real_files_never_panic(index in 0usize..5, cut in 0usize..2000, insert in "[^\\x00]{0,12}") {
        let original = [FRAMEWORK, REGION, RETURN, SERVICE, REPORT][index % 5];
        let mut at = cut.min(original.len());
        while !original.is_char_boundary(at) {
            at -= 1;
        }
        let damaged = format!("{}{}{}", &original[..at], insert, &original[at..]);
        let diagnostics = check(&with_one_replaced(index, &damaged));
        for d in &diagnostics {
            prop_assert!(d.help.is_some(), "every diagnostic says how to fix it: {d:?}");
        }
    }
}
