//! The data format's controlled lists are written out once, in `model::vocab`: the JSON
//! Schemas in docs/schema/ must list exactly the same values in the same order, and the
//! table of values in docs/data-format.md must give each one the label and meaning the
//! site shows.

use scopemap::model::vocab::{
    AgeGroup, AreaKind, Cost, Delivery, FundingStatus, IdentifierScheme, Referral, ReportStatus,
    ReservedServiceId, ServiceStatus, SubmissionStatus, Vocabulary, Weekday,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `enum` in the schema, by the schema file and the JSON pointer of its holder.
fn schema_enums() -> BTreeMap<(String, String), Vec<String>> {
    fn walk(
        v: &Value,
        pointer: &str,
        file: &str,
        out: &mut BTreeMap<(String, String), Vec<String>>,
    ) {
        match v {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "enum" {
                        let values = value
                            .as_array()
                            .unwrap_or_else(|| panic!("{file}{pointer}: enum is not a list"))
                            .iter()
                            .map(|v| v.as_str().unwrap_or_default().to_string())
                            .collect();
                        out.insert((file.to_string(), pointer.to_string()), values);
                    } else {
                        walk(value, &format!("{pointer}/{key}"), file, out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{pointer}/{i}"), file, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    let dir = root().join("docs/schema");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        walk(&value, "", &name, &mut out);
    }
    out
}

fn codes<V: Vocabulary>() -> Vec<String> {
    V::codes().into_iter().map(str::to_string).collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_enum_of_the_json_schemas_lists_the_values_of_its_vocabulary() {
    let (framework, _) = scopemap::load::load(root());
    let rating_codes: Vec<String> = framework
        .framework()
        .expect("the shipped framework loads")
        .ratings
        .iter()
        .map(|r| r.code.value.clone())
        .collect();
    let at = |file: &str, pointer: &str| (file.to_string(), pointer.to_string());
    let expected: BTreeMap<(String, String), Vec<String>> = [
        (
            at("region.schema.json", "/$defs/area/properties/kind"),
            codes::<AreaKind>(),
        ),
        (
            at(
                "report.schema.json",
                "/properties/document/properties/status",
            ),
            codes::<ReportStatus>(),
        ),
        (
            at(
                "report.schema.json",
                "/$defs/caption/properties/reproduced_by",
            ),
            strings(scopemap::validate::REPRODUCIBLE_BLOCKS),
        ),
        (
            at(
                "return.schema.json",
                "/properties/submission/properties/status",
            ),
            codes::<SubmissionStatus>(),
        ),
        (at("return.schema.json", "/$defs/ratingCode"), rating_codes),
        (
            at(
                "service.schema.json",
                "/properties/organization/properties/identifiers/items/properties/scheme",
            ),
            codes::<IdentifierScheme>(),
        ),
        (
            at("service.schema.json", "/properties/id/not"),
            codes::<ReservedServiceId>(),
        ),
        (
            at("service.schema.json", "/properties/age_groups/items"),
            codes::<AgeGroup>(),
        ),
        (
            at("service.schema.json", "/properties/delivery/items"),
            codes::<Delivery>(),
        ),
        (
            at("service.schema.json", "/properties/referral/items"),
            codes::<Referral>(),
        ),
        (
            at("service.schema.json", "/properties/cost"),
            codes::<Cost>(),
        ),
        (
            at(
                "service.schema.json",
                "/properties/funding/properties/status",
            ),
            codes::<FundingStatus>(),
        ),
        (
            at("service.schema.json", "/properties/status"),
            codes::<ServiceStatus>(),
        ),
        (
            at(
                "service.schema.json",
                "/properties/opening_times/items/properties/days/items",
            ),
            codes::<Weekday>(),
        ),
        (
            at("service.schema.json", "/properties/source_of/propertyNames"),
            strings(scopemap::model::FACTS),
        ),
    ]
    .into_iter()
    .collect();
    let found = schema_enums();
    for (place, values) in &found {
        match expected.get(place) {
            Some(want) => assert_eq!(values, want, "the enum at {place:?}"),
            None => panic!("{place:?} lists {values:?}, which no vocabulary says"),
        }
    }
    for place in expected.keys() {
        assert!(found.contains_key(place), "no enum at {place:?}");
    }
}

#[test]
fn the_data_format_gives_each_directory_value_its_label_and_meaning() {
    let doc = std::fs::read_to_string(root().join("docs/data-format.md")).unwrap();
    fn rows<V: Vocabulary>(field: &str) -> Vec<String> {
        V::ALL
            .iter()
            .map(|v| {
                format!(
                    "| {field} | `{}` | {} | {} |",
                    v.code(),
                    v.label(),
                    v.description()
                )
            })
            .collect()
    }
    let wanted = [
        rows::<AgeGroup>("`age_groups`"),
        rows::<Delivery>("`delivery`"),
        rows::<Referral>("`referral`"),
        rows::<Cost>("`cost`"),
        rows::<FundingStatus>("`funding.status`"),
        rows::<ServiceStatus>("`status`"),
        rows::<IdentifierScheme>("`organization.identifiers` `scheme`"),
    ]
    .concat();
    let table: Vec<&str> = doc
        .lines()
        .skip_while(|l| !l.starts_with("**Values and their labels.**"))
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table, wanted);
}
