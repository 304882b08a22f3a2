//! `scoping-data/synonyms.yaml`: words and phrases that the directory search treats as
//! ways of saying the same thing ("health visitor" and "health visiting", "PND" and
//! "postnatal depression").
//!
//! The file is optional. A search for any phrase of a group also finds the services
//! described with the other phrases of that group; groups do not chain into each other.

use super::Spanned;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Synonyms {
    /// Groups of two or more phrases that mean the same to a person searching.
    pub synonyms: Vec<Spanned<Vec<Spanned<String>>>>,
}
