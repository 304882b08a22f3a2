//! The manifest: what each unit of a build (a page, or a group of generated files) was made
//! from and which files it wrote, kept in the output folder's marker so the next build can
//! tell what it may keep and what it must delete.
//!
//! In: the fingerprints and files of the units of one build. Out: the same, serialised into
//! the marker, and the files a newer manifest no longer lists.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the last build wrote: for each unit, its fingerprint and the files it produced.
/// Kept in the output folder's marker file so the next build can reuse unchanged files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub units: BTreeMap<String, UnitRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRecord {
    pub fingerprint: String,
    /// The files the unit wrote; left out when it is the one file named like the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
}

impl UnitRecord {
    /// The files written by the unit `name`.
    pub fn files<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        match &self.files {
            Some(files) => files.iter().map(String::as_str).collect(),
            None => vec![name],
        }
    }
}

impl Manifest {
    /// The files `previous` lists that this manifest does not: what a build must delete.
    pub fn dropped_since(&self, previous: &Manifest) -> Vec<String> {
        let candidates: Vec<&str> = previous
            .units
            .iter()
            .filter(|(name, unit)| {
                self.units
                    .get(*name)
                    .is_none_or(|now| now.files != unit.files)
            })
            .flat_map(|(name, unit)| unit.files(name))
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        let now: std::collections::HashSet<&str> = self.all_files().into_iter().collect();
        candidates
            .into_iter()
            .filter(|f| !now.contains(f))
            .map(String::from)
            .collect()
    }

    /// Every file the manifest lists, sorted.
    pub fn all_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .units
            .iter()
            .flat_map(|(name, u)| u.files(name))
            .collect();
        files.sort_unstable();
        files
    }
}
