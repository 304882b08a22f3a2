//! Open Referral UK (ORUK 3.0, a profile of HSDS 3.0) export and import of the service
//! directory.
//!
//! In (export): the loaded `Dataset`. Out: static ORUK JSON files — the API root
//! `oruk/index.json`, the paged list `oruk/services/index.json` and `page-<n>.json`, and one
//! fully nested record per service at `oruk/services/<uuid>.json` — as `OutputFile`s or
//! written to a folder.
//!
//! In (import): an ORUK/HSDS JSON feed (one service, a page with `contents`, a list, or a
//! folder of such files). Out: `scoping-data/directory/<id>.yaml` files and an
//! `ImportReport` saying what was written, skipped, left to fill in, or could not be read.
//!
//! Ids in the feed are UUID v5 values derived from scopemap's own ids in a fixed namespace,
//! so the same data always gives the same UUIDs.

mod export;
mod feed;
mod import;

pub use export::{Records, export_files, export_to_dir};
pub use feed::feed_groups;
pub use import::{ImportReport, import, import_on};

use crate::model::vocab::IdentifierScheme;
use uuid::Uuid;

/// Services per page of `oruk/services/page-<n>.json`.
pub const PAGE_SIZE: usize = 100;

/// The value of `version` at the API root: the name ORUK's validator uses for this profile.
pub const ORUK_VERSION: &str = "HSDS-UK-3.0";
/// Where the ORUK 3.0 profile is described.
pub const ORUK_PROFILE_URL: &str = "https://github.com/OpenReferralUK/uk-profile";
/// The OpenAPI file that defines the ORUK 3.0 endpoints.
pub const ORUK_OPENAPI_URL: &str = "https://openreferraluk.org/specifications/3.0/openapi.json";

/// Local taxonomy of the framework's service categories (term `code` = category id).
pub const TAXONOMY_CATEGORIES: &str = "scopemap-categories";
/// Local taxonomy of age groups (`AgeGroup`: `pregnancy`, `0-1`, ...).
pub const TAXONOMY_AGE_GROUPS: &str = "scopemap-age-groups";
/// Local taxonomy of ways a service is delivered (`Delivery`: `home`, `clinic`, ...).
pub const TAXONOMY_DELIVERY: &str = "scopemap-delivery";
/// Local taxonomy of referral routes (`Referral`: `self`, `professional`).
pub const TAXONOMY_REFERRAL: &str = "scopemap-referral";
/// Local taxonomy of scopemap's service status (`ServiceStatus`: `active`, `in-development`,
/// `decommissioned`),
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

/// The UUID of an organization, keyed by its name so services of one provider share it.
pub fn organization_uuid(name: &str) -> String {
    stable_id(&["organization", name.trim()])
}

/// The org-id.guide list code ORUK asks for in an organization identifier's
/// `identifier_scheme`; the readable `identifier_type` is the scheme's description.
pub fn org_id_list(scheme: IdentifierScheme) -> &'static str {
    match scheme {
        IdentifierScheme::Ods => "GB-NHS",
        IdentifierScheme::CharityEnglandWales => "GB-CHC",
        IdentifierScheme::Company => "GB-COH",
    }
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
