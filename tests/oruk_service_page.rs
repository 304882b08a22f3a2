//! What an Open Referral UK feed says of a service's contacts, locations and opening times,
//! read from the built site: the official ORUK example service, with a hostile contact
//! added, is imported into a copy of the shipped data, the site is built, and its page
//! shows each value as the feed gives it (escaped), each with its source, while the
//! directory's cards leave them out and `data/directory.json` carries them.

mod common;

use common::{sel, text};
use scopemap::audience::Audience;
use scopemap::oruk::{self, ImportOptions};
use scraper::Html;
use serde_json::Value;
use std::path::{Path, PathBuf};

const HOSTILE: &str = "<script>alert(1)</script> & Co";

/// The shipped data and settings with the theme, in a temporary folder.
fn shipped_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["scoping-data", "content", "themes"] {
        common::copy_dir(&repo.join(folder), &dir.path().join(folder));
    }
    std::fs::copy(repo.join("scopemap.yaml"), dir.path().join("scopemap.yaml")).expect("copy");
    dir
}

/// The official example service with a second contact whose name is markup, saved in `dir`.
fn example_feed(dir: &Path) -> (PathBuf, Value) {
    let example = common::fixtures().join("oruk/oruk-3.0/examples/service_full.json");
    let mut service: Value =
        serde_json::from_str(&std::fs::read_to_string(example).unwrap()).unwrap();
    // Its contact's own e-mail and phone, as an HSDS feed gives them.
    service["contacts"][0]["email"] = "ann.persona@example.org".into();
    service["contacts"][0]["phones"] = serde_json::json!([
        { "id": "5d3c2b1a-0f9e-4d8c-b7a6-1e2f3a4b5c6d", "number": "0151 555 0142" }
    ]);
    service["contacts"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": "0b8e5c1e-3f0a-4c55-9a54-7d0c1f6a2b10",
            "name": HOSTILE,
            "title": "<b>Duty</b> worker"
        }));
    let file = dir.join("feed.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&service).unwrap()).unwrap();
    (file, service)
}

/// An element's text as read, runs of white space made one space.
fn words(el: scraper::ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn contacts_locations_and_opening_times_from_a_feed_are_on_the_service_page() {
    let site = shipped_site();
    let feed_dir = tempfile::tempdir().unwrap();
    let (feed, service) = example_feed(feed_dir.path());
    // The example's one taxonomy term, by its id, stands for a category of the framework.
    let term = &service["attributes"][0]["taxonomy_term"];
    let settings = site.path().join("scopemap.yaml");
    let mut config = std::fs::read_to_string(&settings).unwrap();
    config.push_str(&format!(
        "oruk:\n  taxonomy_map:\n    - taxonomy: \"{}\"\n      term: \"{}\"\n      category: health-visiting\n",
        term["taxonomy"].as_str().unwrap(),
        term["id"].as_str().unwrap()
    ));
    std::fs::write(&settings, config).unwrap();
    // The example serves "MyCity", outside the project: imported only when asked.
    let report = oruk::import_on(
        &feed,
        site.path(),
        &ImportOptions {
            force: false,
            include_out_of_scope: true,
        },
        "2024-03-01",
    );
    assert_eq!(report.written.len(), 1, "{}", oruk::render_import(&report));
    let id = report.written[0]
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .to_string();

    // The network manager fills in the areas, as the import asks.
    let file = site.path().join(&report.written[0]);
    let yaml = std::fs::read_to_string(&file).unwrap();
    assert!(
        yaml.contains("categories:\n  - \"health-visiting\"\n"),
        "{yaml}"
    );
    let yaml = yaml
        .replace("areas: []\n", "areas: [\"wirral-ccg\"]\n")
        .replace(
            "  contacts: \"feed\"\n",
            "  areas: \"feed\"\n  contacts: \"feed\"\n",
        );
    std::fs::write(&file, yaml).unwrap();

    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let html = std::fs::read_to_string(out.join(format!("directory/{id}/index.html"))).unwrap();
    let page = Html::parse_document(&html);

    // Each value as the feed gives it.
    let contact = &service["contacts"][0];
    let location = &service["service_at_locations"][0]["location"];
    let address = &location["addresses"][0];
    let schedule = &service["schedules"][0];
    let s = |v: &Value| v.as_str().unwrap().to_string();
    // A row's value: the `dd` of a detail, the whole item of a contact.
    let row = |fact: &str| {
        page.select(&sel(&format!("[data-fact=\"{fact}\"]")))
            .map(|el| {
                el.select(&sel("dd"))
                    .next()
                    .map_or_else(|| words(el), words)
            })
            .collect::<Vec<_>>()
    };

    let contacts = row("contacts");
    assert_eq!(contacts.len(), 2, "{contacts:?}");
    assert!(
        contacts[0].starts_with(&format!(
            "Contact person: {}, {}, telephone {}, e-mail {}",
            s(&contact["name"]),
            s(&contact["title"]),
            s(&contact["phones"][0]["number"]),
            s(&contact["email"])
        )),
        "{contacts:?}"
    );
    let links: Vec<String> = page
        .select(&sel("[data-fact=\"contacts\"] a:not(sup a)"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links,
        [
            "tel:01515550142".to_string(),
            format!("mailto:{}", s(&contact["email"]))
        ]
    );
    assert!(
        contacts[1].starts_with(&format!("Contact person: {HOSTILE}, <b>Duty</b> worker")),
        "{contacts:?}"
    );

    let locations = row("locations");
    assert_eq!(locations.len(), 1, "{locations:?}");
    let expected = format!(
        "{}, {}, {}, {}, {}",
        s(&location["name"]),
        s(&address["address_1"]),
        s(&address["city"]),
        s(&address["state_province"]),
        s(&address["postal_code"])
    );
    assert!(
        locations[0].starts_with(&expected),
        "{locations:?} {expected}"
    );

    // byday "TH,FR", 10:00:00 to 18:00:00, and the schedule's description.
    assert_eq!(s(&schedule["byday"]), "TH,FR");
    let times = row("opening_times");
    assert_eq!(times.len(), 1, "{times:?}");
    let expected = format!(
        "Thursday and Friday, 10:00 to 18:00 — {}",
        s(&schedule["description"])
    );
    assert!(times[0].starts_with(&expected), "{times:?} {expected}");

    // Each row cites the feed, listed among the page's sources.
    for fact in ["contacts", "locations", "opening_times"] {
        for el in page.select(&sel(&format!("[data-fact=\"{fact}\"]"))) {
            let cites: Vec<String> = el
                .select(&sel("sup.cite a"))
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect();
            assert_eq!(cites.len(), 1, "{fact}: {}", el.html());
            let anchor = cites[0].trim_start_matches('#');
            let source = page
                .select(&sel(&format!("li#{anchor}")))
                .next()
                .unwrap_or_else(|| panic!("{fact} cites {anchor}"));
            assert!(text(source).contains("feed.json"), "{}", text(source));
        }
    }

    // Markup in a feed is text on the page.
    assert!(!html.contains("<script>alert"), "a script from the feed");
    assert!(!html.contains("<b>Duty"), "markup from the feed");
    assert!(html.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co, &lt;b&gt;Duty&lt;/b&gt; worker"
    ));

    // The mapped term gave the service its type.
    let kind = page
        .select(&sel("dl.facts > div"))
        .find(|r| r.select(&sel("dt")).next().map(words).as_deref() == Some("Type of service"))
        .unwrap();
    assert_eq!(
        words(kind.select(&sel("dd")).next().unwrap()),
        "Health Visiting"
    );

    // The open data carries them as the directory file states them.
    let data: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/directory.json")).unwrap()).unwrap();
    let imported = data["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id.as_str())
        .unwrap();
    assert_eq!(imported["contacts"][1]["name"], HOSTILE);
    assert_eq!(imported["contacts"][0]["title"], contact["title"]);
    assert_eq!(imported["contacts"][0]["email"], contact["email"]);
    assert_eq!(
        imported["contacts"][0]["phone"],
        contact["phones"][0]["number"]
    );
    assert_eq!(imported["locations"][0]["postcode"], address["postal_code"]);
    assert_eq!(
        imported["opening_times"][0]["days"],
        serde_json::json!(["TH", "FR"])
    );
    assert_eq!(imported["opening_times"][0]["opens"], "10:00");

    // The directory's cards and search details are short: no contact person, no address.
    let name = s(&contact["name"]);
    for file in walkdir::WalkDir::new(out.join("directory"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().starts_with(out.join(format!("directory/{id}"))))
    {
        let body = std::fs::read_to_string(file.path()).unwrap_or_default();
        assert!(!body.contains(&name), "{}", file.path().display());
        assert!(
            !body.contains(&s(&address["postal_code"])),
            "{}",
            file.path().display()
        );
    }
}
