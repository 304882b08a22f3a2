//! `scoping-data/returns/<year>/<region-id>/<area-id>.yaml`: one area's return for one year.

use super::vocab::{SubmissionStatus, Vocabulary};
use super::{Spanned, ordered_map};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Return {
    pub year: Spanned<u16>,
    pub region: Spanned<String>,
    pub area: Spanned<String>,
    /// The area's name as the year's report prints it, when it differs from the area name.
    #[serde(default)]
    pub reported_name: Option<Spanned<String>>,
    /// Whether the form came back (the report's Table 1).
    pub submission: Submission,
    /// Who compiled the return.
    #[serde(default)]
    pub compiled_by: Option<Spanned<String>>,
    /// When the return was compiled, `YYYY-MM-DD`.
    #[serde(default)]
    pub compiled_on: Option<Spanned<String>>,
    /// Details for the network only; never published in the public site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal: Option<InternalDetails>,
    /// Rating of every category graded that year, keyed by category id, in report order.
    #[serde(deserialize_with = "ordered_map")]
    pub ratings: Vec<(Spanned<String>, Spanned<RatingEntry>)>,
    /// For a return awaiting its form: categories whose predecessors were rated
    /// differently, with what each of them said, so no single rating is carried forward.
    #[serde(
        default,
        deserialize_with = "ordered_map",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub predecessor_ratings: Vec<(Spanned<String>, Vec<EarlierRating>)>,
}

/// Where a carried-forward rating came from: the year and area of a confirmed return.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedFrom {
    pub year: Spanned<u16>,
    pub area: Spanned<String>,
}

/// One predecessor's confirmed rating of a category, kept as context.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EarlierRating {
    pub area: Spanned<String>,
    pub year: Spanned<u16>,
    pub rating: Spanned<String>,
    #[serde(default)]
    pub note: Option<Spanned<String>>,
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// `received`, `not-received`, `not-listed` (the report rates the area but its returns
    /// table has no row for it), or `awaiting-return` (made by `new-year`, not returned yet).
    pub status: Spanned<String>,
    /// The label of the returns-table row this return belongs to, when one form covered
    /// several areas (e.g. "Blackpool, Fylde & Wyre").
    #[serde(default)]
    pub listed_as: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<Spanned<String>>,
}

/// Contact details and notes kept for the network: shown only with `--audience internal`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct InternalDetails {
    #[serde(default)]
    pub contact_name: Option<Spanned<String>>,
    #[serde(default)]
    pub contact_email: Option<Spanned<String>>,
    #[serde(default)]
    pub contact_phone: Option<Spanned<String>>,
    #[serde(default)]
    pub notes: Option<Spanned<String>>,
}

/// A rating, written either as a bare code (`A`) or as a mapping with a note and evidence.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RatingEntry {
    pub rating: Spanned<String>,
    pub note: Option<Spanned<String>>,
    /// Ids of directory services that evidence the rating.
    pub evidence: Vec<Spanned<String>>,
    /// A note for the network only.
    pub internal_note: Option<Spanned<String>>,
    /// A rating not yet agreed: published only to the internal audience.
    pub draft: bool,
    /// Copied from last year's return by `scopemap new-year` and not yet confirmed.
    pub carried_forward: bool,
    /// The confirmed returns a carried-forward rating was copied from.
    pub carried_from: Vec<CarriedFrom>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatingEntryLong {
    rating: Spanned<String>,
    #[serde(default)]
    note: Option<Spanned<String>>,
    #[serde(default)]
    evidence: Vec<Spanned<String>>,
    #[serde(default)]
    internal_note: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    carried_forward: bool,
    #[serde(default)]
    carried_from: Vec<CarriedFrom>,
}

impl<'de> Deserialize<'de> for RatingEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = RatingEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a rating code such as `G`, or a mapping with `rating:`, `note:` and `evidence:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RatingEntry, E> {
                Ok(RatingEntry {
                    rating: Spanned::synthetic(v.to_string()),
                    ..Default::default()
                })
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RatingEntry, E> {
                self.visit_str(if v { "true" } else { "false" })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RatingEntry, A::Error> {
                let long =
                    RatingEntryLong::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RatingEntry {
                    rating: long.rating,
                    note: long.note,
                    evidence: long.evidence,
                    internal_note: long.internal_note,
                    draft: long.draft,
                    carried_forward: long.carried_forward,
                    carried_from: long.carried_from,
                })
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl Return {
    pub fn rating(&self, category: &str) -> Option<&RatingEntry> {
        self.ratings
            .iter()
            .find(|(k, _)| k.value == category)
            .map(|(_, v)| &v.value)
    }

    /// The submission status, when it is one of the list's (`validate` refuses others).
    pub fn submission_status(&self) -> Option<SubmissionStatus> {
        SubmissionStatus::from_code(&self.submission.status.value)
    }

    pub fn was_received(&self) -> bool {
        self.submission_status() == Some(SubmissionStatus::Received)
    }

    /// Made by `new-year` and not returned yet: its ratings are placeholders.
    pub fn is_awaiting(&self) -> bool {
        self.submission_status() == Some(SubmissionStatus::AwaitingReturn)
    }

    /// The rating of `category` as someone gave it: not in a return still awaited, not
    /// carried forward and not a draft.
    pub fn confirmed_rating(&self, category: &str) -> Option<&RatingEntry> {
        if self.is_awaiting() {
            return None;
        }
        self.rating(category)
            .filter(|e| !e.carried_forward && !e.draft)
    }

    /// The predecessors' differing ratings of `category`, when the return lists them.
    pub fn predecessor_ratings(&self, category: &str) -> &[EarlierRating] {
        self.predecessor_ratings
            .iter()
            .find(|(k, _)| k.value == category)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }
}
