//! `scoping-data/directory/<service-id>.yaml`: one service of the public directory.
//!
//! Field names follow Open Referral UK / HSDS 3.0 where a field exists there (`name`,
//! `alternate_name`, `description`, `url`, `email`, `status`, `organization`), so the
//! ORUK export is a mapping rather than a rewrite.
//!
//! Every fact is either stated with its source or absent: `sources` names the documents,
//! web pages and returns a service file draws on, and `source_of` says which of them
//! states each fact. Absent facts are shown as not stated, never given a default.

use super::vocab::Vocabulary;
use super::{Spanned, ordered_map, pairs_as_map};
use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: Spanned<String>,
    /// The service's id in Open Referral UK feeds, a UUID: kept from the feed it was
    /// imported from, so that the export publishes the id the feed's readers know it by.
    /// Absent: the export makes one from `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oruk_id: Option<Spanned<String>>,
    pub name: Spanned<String>,
    /// A short or familiar name, e.g. "BABS".
    #[serde(default)]
    pub alternate_name: Option<Spanned<String>>,
    /// Who runs the service; absent when no source names the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
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
    /// Age groups: `pregnancy`, `0-1`, `1-2`, `2-5`; empty when no source states them.
    #[serde(default)]
    pub age_groups: Vec<Spanned<String>>,
    /// Who it is for, in plain words (e.g. "parents of babies under six months").
    #[serde(default)]
    pub eligibility: Option<Spanned<String>>,
    /// How it is delivered: `home`, `community-venue`, `clinic`, `online`, `telephone`,
    /// `group`, `one-to-one`, `inpatient`; empty when not stated.
    #[serde(default)]
    pub delivery: Vec<Spanned<String>>,
    /// Who can refer: `self`, `professional`; empty when not stated.
    #[serde(default)]
    pub referral: Vec<Spanned<String>>,
    /// How to get the service, in plain words.
    #[serde(default)]
    pub how_to_access: Option<Spanned<String>>,
    /// `free` or `charge`; absent when not stated.
    #[serde(default)]
    pub cost: Option<Spanned<String>>,
    /// Absent when no source says how the service is funded.
    #[serde(default)]
    pub funding: Option<Funding>,
    /// Named interventions offered, e.g. "Video Interaction Guidance".
    #[serde(default)]
    pub interventions: Vec<Spanned<String>>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub phone: Option<Spanned<String>>,
    /// Named contacts at the service, as a source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// Where the service is delivered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// When the service is open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opening_times: Vec<OpeningTime>,
    /// `active`, `in-development`, `decommissioned`.
    pub status: Spanned<String>,
    /// For a decommissioned service: when it closed, as the source gives it ("March 2022").
    #[serde(default)]
    pub closed: Option<Spanned<String>>,
    /// When someone last checked the details with the service, `YYYY-MM-DD`; absent when
    /// nobody has (the details are then as their newest source gives them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked: Option<Spanned<String>>,
    /// The day the service's details in this file last changed, `YYYY-MM-DD`, as whoever
    /// changed them wrote it (an import takes it from the feed's `last_modified`). Absent
    /// when not stated; never taken from a file's modification time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_changed: Option<Spanned<String>>,
    /// The sources this file draws on, by the file's own short key, in the file's order.
    #[serde(
        default,
        deserialize_with = "ordered_map",
        serialize_with = "pairs_as_map"
    )]
    pub sources: Vec<(Spanned<String>, Source)>,
    /// For each fact (by field name), the keys of the sources that state it.
    #[serde(
        default,
        deserialize_with = "ordered_map",
        serialize_with = "pairs_as_map"
    )]
    pub source_of: Vec<(Spanned<String>, SourceKeys)>,
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

/// A named contact: a person or a role.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    /// The contact's job title or role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Spanned<String>>,
    /// The contact's own telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Spanned<String>>,
    /// The contact's own e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Spanned<String>>,
}

/// A place where the service is delivered.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Spanned<String>>,
    /// The street address (building and street).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<Spanned<String>>,
    /// The country's ISO 3166 code, e.g. `GB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Spanned<String>>,
}

/// When the service is open: in words, and/or on days between two times.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningTime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Spanned<String>>,
    /// Days of the week: `MO`, `TU`, `WE`, `TH`, `FR`, `SA`, `SU`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<Spanned<String>>,
    /// `HH:MM`, 24-hour clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// `recurrent`, `non-recurrent`, `fixed-term`; absent when the source does not say.
    #[serde(default)]
    pub status: Option<Spanned<String>>,
    /// For fixed-term funding, the last day funded, `YYYY-MM-DD`.
    #[serde(default)]
    pub ends: Option<Spanned<String>>,
    /// Who pays, in words.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// One source of a service's facts: a part of a scoping report, a web page read on a given
/// day, or a return. The fields are all optional here so that `validate` can say exactly
/// which combination is wrong.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `<year>/<region-id>` of a file in `scoping-data/reports/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Spanned<String>>,
    /// A section number as the report's contents page prints it, e.g. "2.4".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Spanned<u16>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_box: Option<Spanned<u16>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<Spanned<u16>>,
    /// A web page (or, for an imported feed, the feed's address or file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Spanned<String>>,
    /// When the page was read, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<Spanned<String>>,
    /// `<year>/<area-id>` of a return in `scoping-data/returns/`.
    #[serde(rename = "return", default, skip_serializing_if = "Option::is_none")]
    pub return_: Option<Spanned<String>>,
}

/// What a source is, once `validate` has found it well formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind<'a> {
    Report {
        year: u16,
        region: &'a str,
        part: ReportPart<'a>,
    },
    Url {
        url: &'a str,
        checked: &'a str,
    },
    Return {
        year: u16,
        area: &'a str,
    },
}

/// The part of a report a source cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPart<'a> {
    Section(&'a str),
    Table(u16),
    TextBox(u16),
    Figure(u16),
}

impl Source {
    /// What the source is, or `None` when it is not exactly one well-formed kind.
    pub fn kind(&self) -> Option<SourceKind<'_>> {
        let parts = [
            self.section.as_ref().map(|s| ReportPart::Section(&s.value)),
            self.table.as_ref().map(|n| ReportPart::Table(n.value)),
            self.text_box.as_ref().map(|n| ReportPart::TextBox(n.value)),
            self.figure.as_ref().map(|n| ReportPart::Figure(n.value)),
        ];
        let mut located = parts.into_iter().flatten();
        let part = located.next();
        let one_part = part.is_some() && located.next().is_none();
        match (&self.report, &self.url, &self.return_) {
            (Some(report), None, None) if one_part && self.checked.is_none() => {
                let (year, region) = year_and_id(&report.value)?;
                Some(SourceKind::Report {
                    year,
                    region,
                    part: part?,
                })
            }
            (None, Some(url), None) if part.is_none() => Some(SourceKind::Url {
                url: &url.value,
                checked: &self.checked.as_ref()?.value,
            }),
            (None, None, Some(ret)) if part.is_none() && self.checked.is_none() => {
                let (year, area) = year_and_id(&ret.value)?;
                Some(SourceKind::Return { year, area })
            }
            _ => None,
        }
    }
}

/// `2022/cheshire-and-merseyside` as (2022, "cheshire-and-merseyside").
pub fn year_and_id(reference: &str) -> Option<(u16, &str)> {
    let (year, id) = reference.split_once('/')?;
    let year = year.parse::<u16>().ok().filter(|_| year.len() == 4)?;
    (!id.is_empty() && !id.contains('/')).then_some((year, id))
}

/// The keys of the sources that state one fact: one key, or a list of keys.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(transparent)]
pub struct SourceKeys(pub Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for SourceKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = Spanned::<OneOrMany>::deserialize(deserializer)?;
        Ok(SourceKeys(match read.value {
            OneOrMany::One(key) => vec![Spanned {
                value: key,
                line: read.line,
                column: read.column,
            }],
            OneOrMany::Many(keys) => keys,
        }))
    }
}

/// A scalar or a list, read before positions are attached.
#[derive(Clone)]
enum OneOrMany {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source key or a list of source keys")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<Spanned<String>>()? {
                    keys.push(key);
                }
                Ok(OneOrMany::Many(keys))
            }
        }
        deserializer.deserialize_any(Keys)
    }
}

impl Service {
    /// The keys of the sources cited for `fact`, in the order written; empty when none.
    pub fn sources_of(&self, fact: &str) -> &[Spanned<String>] {
        self.source_of
            .iter()
            .find(|(name, _)| name.value == fact)
            .map(|(_, keys)| keys.0.as_slice())
            .unwrap_or(&[])
    }

    /// The source with this key.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, s)| s)
    }

    /// Whether the file states `fact` (a name from `FACTS`).
    pub fn states(&self, fact: &str) -> bool {
        match fact {
            "organization" => self.organization.is_some(),
            "areas" => !self.areas.is_empty() || !self.regions.is_empty(),
            "age_groups" => !self.age_groups.is_empty(),
            "eligibility" => self.eligibility.is_some(),
            "delivery" => !self.delivery.is_empty(),
            "referral" => !self.referral.is_empty(),
            "how_to_access" => self.how_to_access.is_some(),
            "cost" => self.cost.is_some(),
            "funding" => self
                .funding
                .as_ref()
                .is_some_and(|f| f.status.is_some() || f.ends.is_some() || f.source.is_some()),
            "interventions" => !self.interventions.is_empty(),
            "url" => self.url.is_some(),
            "email" => self.email.is_some(),
            "phone" => self.phone.is_some(),
            "contacts" => !self.contacts.is_empty(),
            "locations" => !self.locations.is_empty(),
            "opening_times" => !self.opening_times.is_empty(),
            "status" => true,
            _ => false,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.status.value == super::vocab::ServiceStatus::Decommissioned.code()
    }
}

/// The facts a service file can state, by field name, each needing a `source_of` entry.
/// `areas` also covers `regions`, and `status` also covers `closed`.
pub const FACTS: &[&str] = &[
    "organization",
    "areas",
    "age_groups",
    "eligibility",
    "delivery",
    "referral",
    "how_to_access",
    "cost",
    "funding",
    "interventions",
    "url",
    "email",
    "phone",
    "contacts",
    "locations",
    "opening_times",
    "status",
];
