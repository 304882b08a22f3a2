//! Indexes the services of a built site's `data/directory.json` with Pagefind's indexing
//! API, as custom records (no HTML is read), and writes the bundle to `SITE/pagefind/`.
//!
//! Each record's text is what the directory's own index searches where the export has it:
//! name, alternate name, provider, type ids, interventions, summary, who it is for and the
//! description (the export has area ids but not the towns areas cover). Filters: area,
//! type, age, delivery, referral. Prints how long indexing and writing took.
//!
//! Usage: pagefind-compare SITE

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Instant;

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

fn list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(text).collect())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let site = std::env::args().nth(1).expect("usage: pagefind-compare SITE");
    let started = Instant::now();
    let export: Value = serde_json::from_slice(
        &std::fs::read(format!("{site}/data/directory.json")).expect("read data/directory.json"),
    )
    .expect("parse data/directory.json");
    let services = export["services"].as_array().expect("a services list");
    let config = PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language("en".to_string())
        .build();
    let mut index = PagefindIndex::new(Some(config)).expect("a Pagefind index");
    let mut added = 0;
    for s in services.iter().filter(|s| s["status"] != "decommissioned") {
        let content = [
            text(&s["name"]),
            text(&s["alternate_name"]),
            text(&s["organization"]["name"]),
            list(&s["categories"]).join(" ").replace('-', " "),
            list(&s["interventions"]).join(". "),
            text(&s["summary"]),
            text(&s["eligibility"]),
            text(&s["description"]),
        ]
        .join(". ");
        let meta = BTreeMap::from([
            ("title".to_string(), text(&s["name"])),
            ("summary".to_string(), text(&s["summary"])),
            ("provider".to_string(), text(&s["organization"]["name"])),
        ]);
        let filters = BTreeMap::from([
            ("area".to_string(), list(&s["areas"])),
            ("category".to_string(), list(&s["categories"])),
            ("age".to_string(), list(&s["age_groups"])),
            ("delivery".to_string(), list(&s["delivery"])),
            ("referral".to_string(), list(&s["referral"])),
        ]);
        index
            .add_custom_record(
                format!("/directory/{}/index.html", text(&s["id"])),
                content,
                "en".into(),
                Some(meta),
                Some(filters),
                None,
            )
            .await
            .expect("add a record");
        added += 1;
    }
    let indexed = Instant::now();
    index
        .write_files(Some(format!("{site}/pagefind")))
        .await
        .expect("write the bundle");
    let done = Instant::now();
    println!(
        "{added} records: read and added in {:.2} s, indexed and written in {:.2} s, {:.2} s in all",
        (indexed - started).as_secs_f64(),
        (done - indexed).as_secs_f64(),
        (done - started).as_secs_f64()
    );
}
