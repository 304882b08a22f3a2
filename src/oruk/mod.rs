//! Open Referral UK (ORUK 3.0, a profile of HSDS 3.0) export and import of the service
//! directory.
//!
//! In (export): the loaded `Dataset`. Out: static ORUK JSON files — the API root
//! `oruk/index.json`, the paged list `oruk/services/index.json` and `page-<n>.json`, and one
//! fully nested record per service at `oruk/services/<uuid>.json` — as `OutputFile`s or
//! written to a folder.
//!
//! In (import): an ORUK/HSDS JSON feed (one service, a page with `contents`, a list,
//! `service_at_location` records, or a folder of such files). Out: new
//! `scoping-data/directory/<id>.yaml` files, existing ones changed field by field where the
//! feed says otherwise, and an `ImportReport` saying what was written, changed, skipped
//! and not carried over, each with its reason.
//!
//! Ids in the feed are UUID v5 values derived from scopemap's own ids in a fixed namespace,
//! so the same data always gives the same UUIDs.

mod draft;
mod export;
mod feed;
pub mod hosting;
mod import;
mod position;
mod read;
mod resources;
mod yaml;

pub use draft::Change;
pub use export::{
    ExportOptions, Profile, Records, export_files, export_files_paged, export_files_with,
    export_to_dir, export_to_dir_with,
};
pub use feed::feed_groups;
pub use import::{
    ImportOptions, ImportReport, Skipped, Update, import, import_all, import_feeds, import_on,
    render as render_import,
};
pub use read::Dropped;
pub use yaml::quote as yaml_quote;

use uuid::Uuid;

/// Items per page of `oruk/<resource>/page/<n>/index.json`.
pub const PAGE_SIZE: usize = 100;

/// The value of `version` at the API root: the name ORUK's validator uses for this profile.
pub const ORUK_VERSION: &str = "HSDS-UK-3.0";
/// Where the ORUK 3.0 profile is described.
pub const ORUK_PROFILE_URL: &str = "https://github.com/OpenReferralUK/uk-profile";
/// The OpenAPI file that defines the ORUK 3.0 endpoints.
pub const ORUK_OPENAPI_URL: &str = "https://openreferraluk.org/specifications/3.0/openapi.json";

/// The alert of a service in development, which ORUK can only call inactive.
pub const ALERT_IN_DEVELOPMENT: &str = "This service is in development and not yet open.";
/// The alert of a decommissioned service with no closing date; with one, the alert is
/// "This service has been decommissioned (<closed>)."
pub const ALERT_DECOMMISSIONED: &str = "This service has been decommissioned.";

/// The API root's `version` for the HSDS profile.
pub const HSDS_VERSION: &str = "3.0";
/// Where HSDS 3.0 is described.
pub const HSDS_PROFILE_URL: &str = "https://docs.openreferral.org/en/3.0/hsds/overview.html";
/// The OpenAPI file of HSDS 3.0.
pub const HSDS_OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json";

/// Local taxonomy of the framework's service categories (term `code` = category id).
pub const TAXONOMY_CATEGORIES: &str = "scopemap-categories";
/// Local taxonomy of age groups: `pregnancy`, `0-1`, `1-2`, `2-5`.
pub const TAXONOMY_AGE_GROUPS: &str = "scopemap-age-groups";
/// Local taxonomy of ways a service is delivered (`home`, `clinic`, ...).
pub const TAXONOMY_DELIVERY: &str = "scopemap-delivery";
/// Local taxonomy of referral routes (`self`, `professional`).
pub const TAXONOMY_REFERRAL: &str = "scopemap-referral";
/// Local taxonomy of scopemap's service status (`active`, `in-development`, `decommissioned`),
/// kept because ORUK's own status cannot say "in development".
pub const TAXONOMY_STATUS: &str = "scopemap-status";

/// The namespace of every UUID this module makes: UUID v5 of `urn:scopemap:oruk` in the
/// RFC 4122 URL namespace. Changing it would change every published id.
pub fn namespace() -> Uuid {
    // Every id in the feed is derived from it: hash it once, not once per id.
    static NAMESPACE: std::sync::LazyLock<Uuid> =
        std::sync::LazyLock::new(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:scopemap:oruk"));
    *NAMESPACE
}

/// A stable UUID for one thing, named by a kind and its key parts, e.g.
/// `stable_id(&["service", "babs-mersey-care"])`: the version 5 UUID of the parts joined
/// by U+001F in `namespace()`.
pub fn stable_id(parts: &[&str]) -> String {
    use sha1::Digest;
    // Parts are joined with a character that cannot appear in ids, so ("a:b", "c") and
    // ("a", "b:c") name different things. The feed has a dozen ids per service: the parts
    // are hashed in place rather than joined into a new string first.
    let mut hasher = sha1::Sha1::new();
    hasher.update(namespace().as_bytes());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hasher.update("\u{1f}".as_bytes());
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The UUID of a scopemap service in the feed.
pub fn service_uuid(service_id: &str) -> String {
    stable_id(&["service", service_id])
}

/// The id of a service in the feed: its `oruk_id`, else the UUID made from its id.
pub fn feed_id(s: &crate::model::Service) -> String {
    match &s.oruk_id {
        Some(id) => id.value.trim().to_ascii_lowercase(),
        None => service_uuid(&s.id.value),
    }
}

/// The description ORUK requires of an organization, for one the directory names only.
pub fn organization_description(name: &str) -> String {
    format!("{name}: an organization providing services in this directory.")
}

/// The UUID of an organization, keyed by its name so services of one provider share it.
pub fn organization_uuid(name: &str) -> String {
    stable_id(&["organization", name.trim()])
}

/// Organization identifier schemes: scopemap's scheme, the org-id.guide list code ORUK asks
/// for in `identifier_scheme`, and the readable `identifier_type`.
pub const IDENTIFIER_SCHEMES: &[(&str, &str, &str)] = &[
    ("ods", "GB-NHS", "NHS Organisation Data Service (ODS) code"),
    (
        "charity-england-wales",
        "GB-CHC",
        "Charity Commission for England and Wales registered charity number",
    ),
    ("company", "GB-COH", "Companies House company number"),
];

/// The codes of one of the directory format's vocabularies, as `scopemap validate` checks
/// them.
pub fn codes<V: crate::model::vocab::Vocabulary>() -> Vec<&'static str> {
    V::codes()
}

/// Age groups with the child's age range in whole years; pregnancy has none.
pub const AGE_RANGES: &[(&str, Option<(u32, u32)>)] = &[
    ("pregnancy", None),
    ("0-1", Some((0, 1))),
    ("1-2", Some((1, 2))),
    ("2-5", Some((2, 5))),
];

/// The child's age range in years that age groups cover, as the export gives it: pregnancy
/// alone has no child age, and with other groups starts the range at 0.
pub fn ages_of_groups(groups: &[&str]) -> (Option<u32>, Option<u32>) {
    let ranges: Vec<(u32, u32)> = groups
        .iter()
        .filter_map(|g| {
            AGE_RANGES
                .iter()
                .find(|(name, _)| name == g)
                .and_then(|(_, r)| *r)
        })
        .collect();
    if ranges.is_empty() {
        return (None, None);
    }
    let pregnancy = groups.contains(&"pregnancy");
    let low = ranges.iter().map(|r| r.0).min().unwrap_or(0);
    let high = ranges.iter().map(|r| r.1).max().unwrap_or(low);
    (Some(if pregnancy { 0 } else { low }), Some(high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_the_v5_uuids_of_the_joined_parts() {
        for parts in [
            &["service", "babs-mersey-care"][..],
            &["service-area", "babs", "area", "knowsley-place"],
            &[
                "organization",
                "Mersey Care NHS Foundation Trust – Perinatal",
            ],
            &["x"],
        ] {
            let joined = parts.join("\u{1f}");
            let expected = Uuid::new_v5(&namespace(), joined.as_bytes())
                .hyphenated()
                .to_string();
            assert_eq!(stable_id(parts), expected, "{parts:?}");
        }
        assert_ne!(stable_id(&["a:b", "c"]), stable_id(&["a", "b:c"]));
    }
}
