//! Analyse: derived views of a validated dataset — matrices, counts, gap sentences, area
//! profiles and comparisons.
//!
//! In: a `Dataset` that passed validation. Out: plain serialisable view structs that
//! templates and exports read. Pure functions: no I/O, no HTML, no knowledge of URLs.

mod area;
mod dated;
mod gaps;
mod lineage;
mod matrix;
mod names;
mod need;
mod shortcodes;
mod trend;

pub use area::{AreaGap, AreaYear, Comparison, RatingOf, area_comparison, area_gaps, area_history};
pub use dated::{
    DatedBy, Period, Precision, SourceDate, newest_source_date, newest_source_year, printed_date,
    source_dates,
};
pub use gaps::{CategoryCount, GapSentence, category_counts, gap_sentences, rating_counts_phrase};
pub use lineage::{Earlier, EarlierCode, Lineage, ancestors, earlier_phrase};
pub use matrix::{
    Awaiting, Cell, Column, KeyEntry, Matrix, MatrixRow, ReturnsRow, cell_for, compare_ranks,
    key_in, matrix, returns_table, shared_return_sentences,
};
pub use names::{
    AreaRef, NamedArea, area_as_of, described_in, join_names, now_phrase, same_boundary,
    service_area_labels, service_area_labels_as_described, service_area_names_now,
    service_areas_as_of, successors_now,
};
pub use need::{NeedFigures, need_figures, thousands};
pub use shortcodes::shortcode_target;
pub use trend::{Change, ChangeMatrix, ChangeRow, TrendRow, area_trend, change_matrix};

/// Years that have returns for a region, ascending.
pub fn region_years(ds: &crate::model::Dataset, region_id: &str) -> Vec<u16> {
    let mut years: Vec<u16> = ds
        .returns
        .iter()
        .filter(|r| r.value.region.value == region_id)
        .map(|r| r.value.year.value)
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}
