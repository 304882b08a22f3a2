//! `scopemap validate` on population figures and the need model: impossible figures are
//! errors, and each figure a report stated that does not follow from the model is a
//! warning naming the figure, what the model gives and the difference.

mod common;

use scopemap::commands::{Format, check_data, validate_command};
use scopemap::diag::{Diagnostic, Severity};
use std::path::Path;

const FRAMEWORK: &str = "scoping-data/framework.yaml";
const REGION: &str = "scoping-data/regions/north.yaml";

const NEED_MODEL: &str = "need_model:
  source: Test model
  base_rate_percent: 10
  deprivation_uplift_percent: 5
  initial_target_percent: 50
";

/// Appended to the region file (24 lines), so `population:` is line 25.
const POPULATION: &str = "population:
  year: 2020
  aged_0_4: 10000
  aged_0_4_in_deprived_areas: 2000
  source: Test figures
";

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let mut all = std::fs::read_to_string(&path).unwrap();
    all.push_str(text);
    std::fs::write(&path, all).unwrap();
}

/// The base fixture with `framework` appended to framework.yaml and `region` to the region.
fn validate_with(framework: &str, region: &str) -> Vec<Diagnostic> {
    let dir = common::base_with("");
    append(dir.path(), FRAMEWORK, framework);
    append(dir.path(), REGION, region);
    check_data(dir.path()).1
}

fn only<'a>(all: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code}, got {all:#?}");
    found[0]
}

fn at(d: &Diagnostic, file: &str, line: usize, column: usize) {
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        (file, line, column),
        "{d:#?}"
    );
}

#[test]
fn figures_that_follow_from_the_model_pass() {
    // 10% of 10,000 is 1,000; 5% of 2,000 is 100; the target is 50% of 1,100.
    let stated = "  stated:
    base_need: 1000
    additional_need: 100
    total_need: 1100
    initial_target: 550
";
    let all = validate_with(NEED_MODEL, &format!("{POPULATION}{stated}"));
    assert_eq!(all, vec![]);
}

#[test]
fn each_stated_figure_off_the_model_is_a_warning_at_that_figure() {
    let stated = "  stated:
    base_need: 900
    additional_need: 150
    total_need: 1000
    initial_target: 600
";
    let all = validate_with(NEED_MODEL, &format!("{POPULATION}{stated}"));
    assert_eq!(all.len(), 4, "{all:#?}");
    assert!(all.iter().all(|d| d.severity == Severity::Warning));
    let help = "check the figure against its source; if the source itself is wrong, keep it as stated and let this warning stand as the record";

    let base = only(&all, "W091");
    at(base, REGION, 31, 16);
    assert_eq!(
        base.message,
        "The stated need of 900 is not 10% of 10,000 children aged 0–4, which is 1,000 (off by 100)."
    );
    assert_eq!(base.help.as_deref(), Some(help));

    let additional = only(&all, "W092");
    at(additional, REGION, 32, 22);
    assert_eq!(
        additional.message,
        "The stated additional need of 150 is not 5% of 2,000 children in areas of increased deprivation, which is 100 (off by 50)."
    );

    let total = only(&all, "W093");
    at(total, REGION, 33, 17);
    assert_eq!(
        total.message,
        "The stated total need of 1,000 is not the sum of the stated figures, 900 + 150 = 1,050 (off by 50)."
    );

    // The target follows the total the model gives (1,000 + 100), not the stated one.
    let target = only(&all, "W094");
    at(target, REGION, 34, 21);
    assert_eq!(
        target.message,
        "The stated initial target of 600 is not 50% of a total need of 1,100, which is 550 (off by 50)."
    );
}

#[test]
fn additional_need_beyond_any_count_of_deprived_areas_is_a_warning() {
    // Without the count of children in deprived areas, the stated additional need can
    // still be no more than the uplift applied to every child: 5% of 10,000 is 500.
    let population = POPULATION.replace("  aged_0_4_in_deprived_areas: 2000\n", "");
    let stated = "  stated:\n    additional_need: 501\n";
    let all = validate_with(NEED_MODEL, &format!("{population}{stated}"));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "W092");
    at(d, REGION, 30, 22);
    assert_eq!(
        d.message,
        "The stated additional need of 501 cannot follow from the model: 5% of all 10,000 children aged 0–4 is only 500 (more by 1)."
    );
}

#[test]
fn more_children_in_deprived_areas_than_children_is_an_error() {
    let population = POPULATION.replace("deprived_areas: 2000", "deprived_areas: 20000");
    let dir = common::base_with("");
    append(dir.path(), FRAMEWORK, NEED_MODEL);
    append(dir.path(), REGION, &population);
    let mut printed = Vec::new();
    let code = validate_command(dir.path(), Format::Human, &mut printed);
    let printed = String::from_utf8(printed).unwrap();
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains(
            "error[E095]: 20000 children in deprived areas is more than all 10000 children aged 0–4\n  --> scoping-data/regions/north.yaml:28:31\n"
        ),
        "{printed}"
    );
    let all = check_data(dir.path()).1;
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E095");
    at(d, REGION, 28, 31);
    assert_eq!(d.width, "20000".len());
    assert_eq!(
        d.help.as_deref(),
        Some("check both figures against their source")
    );
}

#[test]
fn a_percentage_of_the_model_over_100_is_an_error() {
    let model = NEED_MODEL.replace("base_rate_percent: 10", "base_rate_percent: 650");
    let all = validate_with(&model, "");
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E096");
    at(d, FRAMEWORK, 45, 22);
    assert_eq!(d.message, "650 is not a percentage");
    assert_eq!(d.expected.as_deref(), Some("a number from 0 to 100"));
    assert_eq!(
        d.help.as_deref(),
        Some("write the percentage without the % sign, e.g. 6.5")
    );
}

#[test]
fn stated_figures_without_a_model_are_a_warning_that_they_cannot_be_checked() {
    let stated = "  stated:\n    base_need: 900\n";
    let all = validate_with("", &format!("{POPULATION}{stated}"));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "W097");
    assert_eq!(d.severity, Severity::Warning);
    at(d, REGION, 27, 13);
    assert_eq!(
        d.message,
        "stated need figures cannot be checked: the framework has no `need_model`"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("add `need_model:` with the percentages to scoping-data/framework.yaml")
    );
}
