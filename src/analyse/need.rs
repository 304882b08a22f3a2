//! Need and targets from population figures: the share of children aged 0–4 expected to
//! need parent-infant relationship support, an uplift for areas of increased deprivation,
//! and a first target as a share of the total. The percentages come from the data.

use crate::model::{NeedModel, Population};
use serde::Serialize;

/// A whole percentage as an integer, so pages show "35%" rather than "35.0%".
fn plain_number<S: serde::Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        s.serialize_i64(*value as i64)
    } else {
        s.serialize_f64(*value)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedFigures {
    pub population_year: u16,
    pub aged_0_4: u64,
    pub in_deprived_areas: Option<u64>,
    #[serde(serialize_with = "plain_number")]
    pub base_rate_percent: f64,
    #[serde(serialize_with = "plain_number")]
    pub uplift_percent: f64,
    #[serde(serialize_with = "plain_number")]
    pub target_percent: f64,
    pub base_need: u64,
    /// Needs the count of children in deprived areas.
    pub additional_need: Option<u64>,
    pub total_need: Option<u64>,
    /// From the computed total, or else from the stated total.
    pub initial_target: Option<u64>,
    pub stated_base_need: Option<u64>,
    pub stated_additional_need: Option<u64>,
    pub stated_total_need: Option<u64>,
    pub stated_initial_target: Option<u64>,
    /// Sentences saying which stated figures do not follow from the model, and by how much.
    pub mismatches: Vec<Mismatch>,
    /// Which total the calculated initial target is worked out from.
    pub target_basis: Option<TargetBasis>,
}

/// The total an initial target is a share of, and the other total where they differ.
#[derive(Debug, Clone, Serialize)]
pub struct TargetBasis {
    /// `calculated` (the model's total) or `printed` (the source's, when the model cannot
    /// give one).
    pub from: String,
    pub total: u64,
    /// The other total: the printed one beside a calculated total, or the printed figures
    /// added up beside a printed total; `None` when there is none or it is the same.
    pub other_total: Option<u64>,
    /// The target the other total would give.
    pub other_target: Option<u64>,
    /// Both totals and both targets in words, when the totals differ.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// `base_need`, `additional_need`, `total_need` or `initial_target`.
    pub field: String,
    pub text: String,
}

fn share(n: u64, percent: f64) -> u64 {
    (n as f64 * percent / 100.0).round() as u64
}

/// Thousands separated by commas: 111629 → "111,629".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn off(stated: u64, expected: u64) -> String {
    thousands(stated.abs_diff(expected))
}

pub fn need_figures(model: &NeedModel, p: &Population) -> NeedFigures {
    let (base_rate, uplift, target) = (
        model.base_rate_percent.value,
        model.deprivation_uplift_percent.value,
        model.initial_target_percent.value,
    );
    let pop = p.aged_0_4.value;
    let deprived = p.aged_0_4_in_deprived_areas.as_ref().map(|d| d.value);
    let base_need = share(pop, base_rate);
    let additional_need = deprived.map(|d| share(d, uplift));
    let total_need = additional_need.map(|a| base_need + a);
    let stated = p.stated.as_ref();
    let get = |f: fn(&crate::model::StatedNeed) -> &Option<crate::model::Spanned<u64>>| {
        stated.and_then(|s| f(s).as_ref().map(|v| v.value))
    };
    let (s_base, s_add, s_total, s_target) = (
        get(|s| &s.base_need),
        get(|s| &s.additional_need),
        get(|s| &s.total_need),
        get(|s| &s.initial_target),
    );
    let initial_target = total_need.or(s_total).map(|t| share(t, target));
    let mut mismatches = Vec::new();
    let mut push = |field: &str, text: String| {
        mismatches.push(Mismatch {
            field: field.into(),
            text,
        })
    };
    if let Some(s) = s_base.filter(|s| s.abs_diff(base_need) > 1) {
        push(
            "base_need",
            format!(
                "The stated need of {} is not {base_rate}% of {} children aged 0–4, which is {} (off by {}).",
                thousands(s),
                thousands(pop),
                thousands(base_need),
                off(s, base_need)
            ),
        );
    }
    if let Some(s) = s_add {
        match additional_need {
            Some(a) if s.abs_diff(a) > 1 => push(
                "additional_need",
                format!(
                    "The stated additional need of {} is not {uplift}% of {} children in areas of increased deprivation, which is {} (off by {}).",
                    thousands(s),
                    thousands(deprived.unwrap_or(0)),
                    thousands(a),
                    off(s, a)
                ),
            ),
            None if s > share(pop, uplift) => push(
                "additional_need",
                format!(
                    "The stated additional need of {} cannot follow from the model: {uplift}% of all {} children aged 0–4 is only {} (more by {}).",
                    thousands(s),
                    thousands(pop),
                    thousands(share(pop, uplift)),
                    off(s, share(pop, uplift))
                ),
            ),
            _ => {}
        }
    }
    if let (Some(t), Some(b), Some(a)) = (s_total, s_base, s_add)
        && t.abs_diff(b + a) > 1
    {
        push(
            "total_need",
            format!(
                "The stated total need of {} is not the sum of the stated figures, {} + {} = {} (off by {}).",
                thousands(t),
                thousands(b),
                thousands(a),
                thousands(b + a),
                off(t, b + a)
            ),
        );
    }
    if let (Some(st), Some(t)) = (s_target, total_need.or(s_total)) {
        let expected = share(t, target);
        if st.abs_diff(expected) > 1 {
            push(
                "initial_target",
                format!(
                    "The stated initial target of {} is not {target}% of a total need of {}, which is {} (off by {}).",
                    thousands(st),
                    thousands(t),
                    thousands(expected),
                    off(st, expected)
                ),
            );
        }
    }
    let target_basis = target_basis(target, total_need, s_total, s_base.zip(s_add));
    NeedFigures {
        population_year: p.year.value,
        aged_0_4: pop,
        in_deprived_areas: deprived,
        base_rate_percent: base_rate,
        uplift_percent: uplift,
        target_percent: target,
        base_need,
        additional_need,
        total_need,
        initial_target,
        stated_base_need: s_base,
        stated_additional_need: s_add,
        stated_total_need: s_total,
        stated_initial_target: s_target,
        mismatches,
        target_basis,
    }
}

/// Which total the target is a share of: the model's total when it can be worked out,
/// else the printed one. Where the printed total differs from the one worked out (the
/// model's, or else the printed figures added up), both are given, with both targets.
fn target_basis(
    percent: f64,
    calculated: Option<u64>,
    printed: Option<u64>,
    printed_parts: Option<(u64, u64)>,
) -> Option<TargetBasis> {
    let differs = |a: u64, b: u64| a.abs_diff(b) > 1;
    let (from, total, other, text) = match (calculated, printed) {
        (Some(t), printed) => {
            let other = printed.filter(|p| differs(*p, t));
            let text = other.map(|p| {
                format!(
                    "The calculated initial target, {}, is {percent}% of the calculated total need of {}. The source prints a total need of {}, of which {percent}% would be {}.",
                    thousands(share(t, percent)),
                    thousands(t),
                    thousands(p),
                    thousands(share(p, percent))
                )
            });
            ("calculated", t, other, text)
        }
        (None, Some(p)) => {
            let parts = printed_parts.filter(|(b, a)| differs(b + a, p));
            let text = parts.map(|(b, a)| {
                format!(
                    "The calculated initial target, {}, is {percent}% of the printed total need of {}, as the model's own total needs the number of children in deprived areas. The printed figures add up to a total of {} ({} + {}), of which {percent}% would be {}.",
                    thousands(share(p, percent)),
                    thousands(p),
                    thousands(b + a),
                    thousands(b),
                    thousands(a),
                    thousands(share(b + a, percent))
                )
            });
            ("printed", p, parts.map(|(b, a)| b + a), text)
        }
        (None, None) => return None,
    };
    Some(TargetBasis {
        from: from.into(),
        total,
        other_total: other,
        other_target: other.map(|o| share(o, percent)),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Spanned, StatedNeed};

    fn model() -> NeedModel {
        NeedModel {
            source: Spanned::synthetic("test".into()),
            published: None,
            base_rate_percent: Spanned::synthetic(6.5),
            deprivation_uplift_percent: Spanned::synthetic(5.0),
            initial_target_percent: Spanned::synthetic(35.0),
            category: None,
        }
    }

    fn population(pop: u64, deprived: Option<u64>, stated: [Option<u64>; 4]) -> Population {
        let s = |v: Option<u64>| v.map(Spanned::synthetic);
        Population {
            year: Spanned::synthetic(2020),
            aged_0_4: Spanned::synthetic(pop),
            aged_0_4_in_deprived_areas: deprived.map(Spanned::synthetic),
            source: Spanned::synthetic("test".into()),
            stated: Some(StatedNeed {
                base_need: s(stated[0]),
                additional_need: s(stated[1]),
                total_need: s(stated[2]),
                initial_target: s(stated[3]),
            }),
        }
    }

    #[test]
    fn computes_need_and_target_from_the_model() {
        let f = need_figures(
            &model(),
            &population(
                10_000,
                Some(4_000),
                [Some(650), Some(200), Some(850), Some(298)],
            ),
        );
        assert_eq!(
            (
                f.base_need,
                f.additional_need,
                f.total_need,
                f.initial_target
            ),
            (650, Some(200), Some(850), Some(298))
        );
        assert!(f.mismatches.is_empty(), "{:?}", f.mismatches);
    }

    #[test]
    fn the_cheshire_and_merseyside_table_4_row_does_not_reconcile() {
        let f = need_figures(
            &model(),
            &population(
                111_629,
                None,
                [Some(3_628), Some(8_576), Some(10_251), Some(3_588)],
            ),
        );
        let fields: Vec<&str> = f.mismatches.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["base_need", "additional_need", "total_need"]);
        assert!(
            f.mismatches[0]
                .text
                .contains("which is 7,256 (off by 3,628)"),
            "{}",
            f.mismatches[0].text
        );
        assert!(
            f.mismatches[1].text.contains("is only 5,581"),
            "{}",
            f.mismatches[1].text
        );
        assert!(
            f.mismatches[2]
                .text
                .contains("3,628 + 8,576 = 12,204 (off by 1,953)"),
            "{}",
            f.mismatches[2].text
        );
        assert_eq!(f.initial_target, Some(3_588), "35% of the stated total");
        let basis = f.target_basis.unwrap();
        assert_eq!(
            (
                basis.from.as_str(),
                basis.total,
                basis.other_total,
                basis.other_target
            ),
            ("printed", 10_251, Some(12_204), Some(4_271))
        );
        assert_eq!(
            basis.text.unwrap(),
            "The calculated initial target, 3,588, is 35% of the printed total need of 10,251, as the model's own total needs the number of children in deprived areas. The printed figures add up to a total of 12,204 (3,628 + 8,576), of which 35% would be 4,271."
        );
    }

    #[test]
    fn a_calculated_total_is_set_beside_a_different_printed_one() {
        let f = need_figures(
            &model(),
            &population(10_000, Some(4_000), [None, None, Some(900), None]),
        );
        let basis = f.target_basis.unwrap();
        assert_eq!(
            (
                basis.from.as_str(),
                basis.total,
                basis.other_total,
                basis.other_target
            ),
            ("calculated", 850, Some(900), Some(315))
        );
        assert_eq!(
            basis.text.unwrap(),
            "The calculated initial target, 298, is 35% of the calculated total need of 850. The source prints a total need of 900, of which 35% would be 315."
        );
        // The same total printed and worked out: nothing to set beside it.
        let same = need_figures(
            &model(),
            &population(10_000, Some(4_000), [None, None, Some(850), None]),
        );
        assert_eq!(same.target_basis.unwrap().text, None);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(111_629), "111,629");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
