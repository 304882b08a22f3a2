//! Who a build is for. The public site must never carry what the data marks internal.
//!
//! In: a validated `Dataset` and an `Audience`. Out: the same dataset with, for the public,
//! every internal field removed and draft ratings withdrawn. This runs before analysis, so
//! no later stage (pages, exports, search index, ORUK feed) can see what was removed.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The published site: no internal fields, no draft ratings.
    Public,
    /// The network's own site: everything in the data.
    Internal,
}

/// Remove what the audience may not see.
pub fn prepare(ds: &mut crate::model::Dataset, audience: Audience) {
    if audience == Audience::Internal {
        return;
    }
    for ret in &mut ds.returns {
        prepare_return(&mut ret.value, audience);
    }
    for service in ds.services_mut() {
        prepare_service(&mut service.value, audience);
    }
    // The raw text of the files is kept only for quoting diagnostics; drop it as well so
    // nothing downstream could ever copy it into a page. Its hash stays, for rebuilds.
    // Freed, not just emptied: the pages rendered next reuse the memory.
    ds.digests = ds.source_digests().into_owned();
    for source in &mut ds.sources {
        source.text = String::new();
    }
}

/// Remove from one return what the audience may not see.
pub fn prepare_return(ret: &mut crate::model::Return, audience: Audience) {
    if audience == Audience::Internal {
        return;
    }
    ret.internal = None;
    ret.ratings.retain(|(_, entry)| !entry.value.draft);
    for (_, entry) in &mut ret.ratings {
        entry.value.internal_note = None;
    }
}

/// Remove from one service what the audience may not see.
pub fn prepare_service(service: &mut crate::model::Service, audience: Audience) {
    if audience == Audience::Internal {
        return;
    }
    service.internal = None;
}
