//! Fuzz load + validate: the input's first byte picks which data file it replaces in a small
//! valid site; the rest is that file's text. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILES: [(&str, &str); 5] = [
    ("framework.yaml", include_str!("../../tests/fixtures/base/scoping-data/framework.yaml")),
    ("regions/north.yaml", include_str!("../../tests/fixtures/base/scoping-data/regions/north.yaml")),
    ("returns/2022/north/alpha-ccg.yaml", include_str!("../../tests/fixtures/base/scoping-data/returns/2022/north/alpha-ccg.yaml")),
    ("directory/alpha-babies.yaml", include_str!("../../tests/fixtures/base/scoping-data/directory/alpha-babies.yaml")),
    ("reports/2022/north.yaml", include_str!("../../tests/fixtures/base/scoping-data/reports/2022/north.yaml")),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut files: Vec<(&str, &str)> = FILES.to_vec();
    files[pick as usize % FILES.len()].1 = text;
    let _ = scopemap::commands::check_texts(&files);
});
