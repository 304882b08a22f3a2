//! Patching the cached data: the files that changed are read and parsed again and put in
//! place of their old values, and what they touch is noted so that the views kept from the
//! last build can be trimmed.
//!
//! In: the data as last loaded and the data files with their stamps now. Out: the data up
//! to date, or a refusal (files added or removed, or a changed file with a problem), after
//! which the build loads everything again.

use super::scan::{Scanned, Stamp};
use crate::audience::Audience;
use crate::load::{self, FileKind, Parsed};
use crate::model::{Dataset, SourceFile};

/// The data as last loaded, kept between rebuilds.
pub(super) struct Loaded {
    /// As in the files: what is validated and quoted in messages.
    pub(super) raw: Dataset,
    /// With the audience applied: what is rendered. Its source texts are dropped (for the
    /// public) and its digests kept.
    pub(super) prepared: Dataset,
    /// The data files in source order, with their stamps; empty when the load was not
    /// clean, so the next rebuild loads everything again.
    pub(super) files: Vec<(String, FileKind, Stamp)>,
    /// What the last patch changed.
    pub(super) stale: Stale,
}

impl Loaded {
    /// Re-read the files whose stamps changed and put their values in place; how many
    /// there were, or `None` when that cannot be done (files added or removed, or a
    /// changed file with a problem).
    pub(super) fn patch(&mut self, scanned: &[Scanned], audience: Audience) -> Option<usize> {
        if self.files.is_empty()
            || self.files.len() != scanned.len()
            || self
                .files
                .iter()
                .zip(scanned)
                .any(|((path, kind, _), f)| *path != f.found.rel_path || *kind != f.found.kind)
        {
            return None;
        }
        let changed: Vec<usize> = (0..scanned.len())
            .filter(|i| self.files[*i].2 != scanned[*i].stamp)
            .collect();
        let mut fresh = Vec::new();
        for &i in &changed {
            let found = &scanned[i].found;
            let mut problems = Vec::new();
            let text = load::read_text(&found.disk_path, &found.rel_path, &mut problems)?;
            let file = SourceFile {
                path: found.rel_path.clone(),
                disk_path: found.disk_path.clone(),
                text,
            };
            match load::parse_kind(found.kind, &file, &mut problems) {
                Some(value) if problems.is_empty() => fresh.push((i, file, value)),
                _ => return None,
            }
        }
        let mut stale = Stale::nothing();
        for (i, file, value) in fresh {
            stale.add(touches_source(&self.raw, i));
            if let Some(also) = touches_also(&value) {
                stale.add(also);
            }
            let mut prepared_value = value.clone();
            match &mut prepared_value {
                Parsed::Return(r) => crate::audience::prepare_return(r, audience),
                Parsed::Service(s) => crate::audience::prepare_service(s, audience),
                _ => {}
            }
            let digest = blake3::hash(file.text.as_bytes());
            if !load::replace(&mut self.raw, i, value)
                || !load::replace(&mut self.prepared, i, prepared_value)
            {
                // The kinds line up by construction; if not, start again from the disk.
                self.files.clear();
                return None;
            }
            if let Some(slot) = self.prepared.digests.get_mut(i) {
                *slot = digest;
            }
            if let Some(source) = self.prepared.sources.get_mut(i) {
                source.text = if audience == Audience::Internal {
                    file.text.clone()
                } else {
                    String::new()
                };
            }
            self.raw.sources[i] = file;
            self.files[i].2 = scanned[i].stamp;
        }
        self.stale = stale;
        Some(changed.len())
    }
}

/// What one data file feeds into the views kept between builds.
enum Touches {
    /// The matrices of one region's year (a return or a report file).
    Year(String, u16),
    /// The service cards of the service at this position (a service file).
    Service(usize),
    /// Everything (a framework or region file).
    All,
    /// None of those views (the search's synonyms, which only the search index reads).
    Nothing,
}

/// What a new value touches beyond what the value it replaces did (a return or report
/// may now name another region or year).
fn touches_also(value: &Parsed) -> Option<Touches> {
    match value {
        Parsed::Return(r) => Some(Touches::Year(r.region.value.clone(), r.year.value)),
        Parsed::Report(r) => Some(Touches::Year(r.region.value.clone(), r.year.value)),
        Parsed::Service(_) | Parsed::Synonyms(_) => None,
        Parsed::Framework(_) | Parsed::Region(_) => Some(Touches::All),
    }
}

/// What the value loaded from `source` feeds into the views kept between builds.
fn touches_source(ds: &Dataset, source: usize) -> Touches {
    if let Some(r) = ds.returns.iter().find(|r| r.source == source) {
        return Touches::Year(r.value.region.value.clone(), r.value.year.value);
    }
    if let Some(r) = ds.reports.iter().find(|r| r.source == source) {
        return Touches::Year(r.value.region.value.clone(), r.value.year.value);
    }
    if let Some(position) = ds.services().iter().position(|s| s.source == source) {
        return Touches::Service(position);
    }
    if ds.synonyms.as_ref().is_some_and(|s| s.source == source) {
        return Touches::Nothing;
    }
    Touches::All
}

/// What the last patch changed, for the views kept from the last build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stale {
    /// Everything may have changed (a framework or region file, or a full load).
    all: bool,
    /// These regions' years changed.
    years: Vec<(String, u16)>,
    /// The positions of the services that changed.
    services: Vec<usize>,
}

impl Stale {
    pub(super) fn nothing() -> Stale {
        Stale {
            all: false,
            years: Vec::new(),
            services: Vec::new(),
        }
    }

    pub(super) fn everything() -> Stale {
        Stale {
            all: true,
            ..Stale::nothing()
        }
    }

    fn add(&mut self, touched: Touches) {
        match touched {
            Touches::Year(region, year) => self.years.push((region, year)),
            Touches::Service(position) => self.services.push(position),
            Touches::All => self.all = true,
            Touches::Nothing => {}
        }
    }

    /// Whether a region's year's matrix may have changed.
    pub(super) fn covers(&self, region: &str, year: u16) -> bool {
        self.all || self.years.iter().any(|(r, y)| r == region && *y == year)
    }

    /// The positions of the services whose cards may have changed; `None` for all.
    pub(super) fn services_changed(&self) -> Option<&[usize]> {
        (!self.all).then_some(self.services.as_slice())
    }
}
