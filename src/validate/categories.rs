//! Rules across the directory and the returns: a service filed under a category must not
//! contradict the ratings of the areas it serves.
//!
//! In: the services, the returns and the framework. Out: W161 for each running service
//! filed under a category in an area whose latest return rates that category "no
//! provision". Such a service is either not that kind of provision (its categories are
//! wider than the framework's definition) or the rating is wrong.

use super::path_of;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Return};
use std::collections::HashMap;

/// The code of the rating that means "no provision".
const NO_PROVISION: &str = "R";

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let Some(fw) = ds.framework() else { return };
    let Some(none) = fw.rating(NO_PROVISION) else {
        return;
    };
    let latest = latest_returns(ds);
    for loaded in ds.services() {
        let s = &loaded.value;
        if s.is_closed() {
            continue;
        }
        let file = path_of(ds, loaded.source);
        for cat in &s.categories {
            let Some(category) = fw.category(&cat.value) else {
                continue;
            };
            let rated_none: Vec<(&str, u16)> = s
                .areas
                .iter()
                .filter_map(|a| latest.get(a.value.as_str()))
                .filter(|ret| {
                    ret.rating(&cat.value)
                        .and_then(|e| fw.level_of(&e.rating.value))
                        .is_some_and(|level| level.code.value == none.code.value)
                })
                .map(|ret| (ret.area.value.as_str(), ret.year.value))
                .collect();
            if rated_none.is_empty() {
                continue;
            }
            let places = rated_none
                .iter()
                .map(|(area, year)| format!("`{area}` ({year})"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::warning(
                    "W161",
                    file,
                    format!(
                        "the service is filed under `{}`, but the latest return of {places} rates that category {} ({})",
                        cat.value,
                        none.code.value,
                        none.label.value
                    ),
                )
                .at_value(cat, cat.value.chars().count())
                .expected(format!("{}: {}", category.name.value, category.description.value))
                .help(
                    "file the service only under categories it is, as `framework.yaml` defines \
                     them (`categories: []` and `not_categorised:` when it is none of them), or correct the rating",
                ),
            );
        }
    }
}

/// Each area's most recent return.
fn latest_returns(ds: &Dataset) -> HashMap<&str, &Return> {
    let mut latest: HashMap<&str, &Return> = HashMap::new();
    for loaded in &ds.returns {
        let ret = &loaded.value;
        let entry = latest.entry(ret.area.value.as_str()).or_insert(ret);
        if ret.year.value > entry.year.value {
            *entry = ret;
        }
    }
    latest
}
