//! The feed as part of a site build: the Open Referral files handed to the render stage as
//! file groups, like the site's other generated files.
//!
//! In: the dataset and the records kept from the last build. Out: one file group for the
//! feed's root and list pages, and one for each service's record.

use super::Records;
use crate::model::Dataset;
use crate::render::{Dep, Emit, FileGroup};
use std::sync::Arc;

/// The feed as file groups of the site: each service's record is a group of its own, so
/// editing one service writes one record (and the list pages) again, not the whole feed.
/// `records` may hold the records of an earlier build for the services that did not change.
pub fn feed_groups<'a>(ds: &'a Dataset, records: &Arc<Records>) -> Vec<FileGroup<'a>> {
    let list = Arc::clone(records);
    let mut groups = vec![FileGroup::new(
        "oruk",
        vec![Dep::AllServices],
        move |emit: &Emit| {
            list.list_files(ds, emit);
            Ok(())
        },
    )];
    groups.extend(ds.services().iter().enumerate().map(|(i, s)| {
        let records = Arc::clone(records);
        FileGroup::new(
            format!("oruk/services/{}", s.value.id.value),
            vec![Dep::Service(i)],
            move |emit: &Emit| {
                if let Some(file) = records.service_file(ds, i) {
                    emit(file);
                }
                Ok(())
            },
        )
    }));
    groups
}
