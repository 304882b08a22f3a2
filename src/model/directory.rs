//! `scoping-data/directory/<service-id>.yaml`: one service of the public directory.
//!
//! Field names follow Open Referral UK / HSDS 3.0 where a field exists there (`name`,
//! `alternate_name`, `description`, `url`, `email`, `status`, `organization`), so the
//! ORUK export is a mapping rather than a rewrite.

use super::Spanned;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    /// A short or familiar name, e.g. "BABS".
    #[serde(default)]
    pub alternate_name: Option<Spanned<String>>,
    pub organization: Organization,
    /// One sentence shown in lists and search results.
    pub summary: Spanned<String>,
    /// A fuller description (markdown).
    pub description: Spanned<String>,
    /// Category ids from the framework; empty for a service that is none of the rated kinds.
    pub categories: Vec<Spanned<String>>,
    /// For a service with no categories: why it is none of the rated kinds, in plain words.
    #[serde(default)]
    pub not_categorised: Option<Spanned<String>>,
    /// Area ids (CCGs and/or Places) the service covers.
    #[serde(default)]
    pub areas: Vec<Spanned<String>>,
    /// Region ids, for a service known to work in a region when the report does not say
    /// in which of its areas.
    #[serde(default)]
    pub regions: Vec<Spanned<String>>,
    /// Age groups: `pregnancy`, `0-1`, `1-2`, `2-5`.
    pub age_groups: Vec<Spanned<String>>,
    /// Who it is for, in plain words (e.g. "parents of babies under six months").
    #[serde(default)]
    pub eligibility: Option<Spanned<String>>,
    /// How it is delivered: `home`, `community-venue`, `clinic`, `online`, `telephone`,
    /// `group`, `one-to-one`, `inpatient`.
    pub delivery: Vec<Spanned<String>>,
    /// Who can refer: `self`, `professional`.
    pub referral: Vec<Spanned<String>>,
    /// How to get the service, in plain words.
    #[serde(default)]
    pub how_to_access: Option<Spanned<String>>,
    /// `free` or `charge`.
    #[serde(default)]
    pub cost: Option<Spanned<String>>,
    pub funding: Funding,
    /// Named interventions offered, e.g. "Video Interaction Guidance".
    #[serde(default)]
    pub interventions: Vec<Spanned<String>>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub phone: Option<Spanned<String>>,
    /// `active`, `in-development`, `decommissioned`.
    pub status: Spanned<String>,
    /// `YYYY-MM-DD`.
    pub last_checked: Spanned<String>,
    /// Where the facts come from, e.g. "Cheshire and Merseyside scoping report 2022, §2.2".
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    /// Details for the network only (e.g. the commissioner's contact); never published in
    /// the public site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal: Option<super::InternalDetails>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: Spanned<String>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    /// Register identifiers, e.g. an NHS ODS code or a charity number.
    #[serde(default)]
    pub identifiers: Vec<OrganizationIdentifier>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationIdentifier {
    /// `ods`, `charity-england-wales`, `company`.
    pub scheme: Spanned<String>,
    pub value: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// `recurrent`, `non-recurrent`, `fixed-term`, `unknown`.
    pub status: Spanned<String>,
    /// For fixed-term funding, the last day funded, `YYYY-MM-DD`.
    #[serde(default)]
    pub ends: Option<Spanned<String>>,
    /// Who pays, in words.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}
