//! A region's page describes its services as cards while they are few, and names them under
//! each type of service once there are more than a page for a phone can carry: every
//! service on offer stays one link away, and none is left out.

mod common;

use common::sel;
use scopemap::audience::Audience;
use scopemap::fixture::FixtureOptions;
use std::collections::BTreeSet;

#[test]
fn a_region_of_many_services_names_each_under_its_types_and_leaves_none_out() {
    let (dir, site) = common::synthetic(&FixtureOptions {
        regions: 2,
        areas_per_region: 3,
        years: 2,
        services: 400,
        seed: 11,
    });
    let out = dir.path().join("public");
    let (code, log) = common::build(&site, &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let (ds, _) = scopemap::load::load(&site);

    for region in ds.regions().iter().map(|r| &r.value) {
        // The services the test expects: on offer, and serving one of the region's areas
        // (of any year) or the whole region.
        let areas: BTreeSet<&str> = region.areas.iter().map(|a| a.id.value.as_str()).collect();
        let serving = |s: &scopemap::model::Service| {
            s.areas.iter().any(|a| areas.contains(a.value.as_str()))
                || s.regions.iter().any(|r| r.value == region.id.value)
        };
        let on_offer: BTreeSet<&str> = ds
            .services()
            .iter()
            .map(|s| &s.value)
            .filter(|s| serving(s) && !s.is_closed())
            .map(|s| s.id.value.as_str())
            .collect();
        let closed: BTreeSet<&str> = ds
            .services()
            .iter()
            .map(|s| &s.value)
            .filter(|s| serving(s) && s.is_closed())
            .map(|s| s.id.value.as_str())
            .collect();
        assert!(
            on_offer.len() > 60,
            "{}: {}",
            region.id.value,
            on_offer.len()
        );

        let path = out.join(format!("regions/{}/index.html", region.id.value));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() < 500_000, "{} bytes", bytes.len());
        let html = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        assert_eq!(html.select(&sel(".service-list")).count(), 0, "no cards");
        let linked = |list: scraper::ElementRef| -> Vec<String> {
            list.select(&sel("a"))
                .map(|a| {
                    let href = a.value().attr("href").unwrap();
                    let id = href
                        .trim_start_matches("../../directory/")
                        .trim_end_matches("/index.html");
                    assert!(out.join(format!("directory/{id}/index.html")).is_file());
                    id.to_string()
                })
                .collect()
        };
        let lists: Vec<_> = html.select(&sel("ul.name-list")).collect();
        let (groups, closed_list) = if closed.is_empty() {
            (&lists[..], None)
        } else {
            (&lists[..lists.len() - 1], lists.last())
        };
        let named: BTreeSet<String> = groups.iter().flat_map(|l| linked(*l)).collect();
        let expected: BTreeSet<String> = on_offer.iter().map(|s| s.to_string()).collect();
        assert_eq!(named, expected, "{}", region.id.value);
        if let Some(list) = closed_list {
            let named: BTreeSet<String> = linked(*list).into_iter().collect();
            let expected: BTreeSet<String> = closed.iter().map(|s| s.to_string()).collect();
            assert_eq!(named, expected);
        }
        // Each group holds exactly the services that give its type.
        let headings: Vec<_> = html.select(&sel("h3[id^=services-]")).collect();
        assert!(headings.len() > 1, "{}", headings.len());
        for heading in headings {
            let category = &heading.value().attr("id").unwrap()["services-".len()..];
            let list = heading
                .next_siblings()
                .filter_map(scraper::ElementRef::wrap)
                .next()
                .unwrap();
            let named: BTreeSet<String> = linked(list).into_iter().collect();
            let giving: BTreeSet<String> = ds
                .services()
                .iter()
                .map(|s| &s.value)
                .filter(|s| on_offer.contains(s.id.value.as_str()))
                .filter(|s| s.categories.iter().any(|c| c.value == category))
                .map(|s| s.id.value.clone())
                .collect();
            assert_eq!(named, giving, "{category}");
        }
    }

    // The shipped regions, of fewer services, keep their cards.
    let shipped = dir.path().join("shipped");
    let (code, log) = common::build(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &shipped,
        Audience::Public,
    );
    assert_eq!(code, 0, "{log}");
    let page = std::fs::read_to_string(shipped.join("regions/cheshire-and-merseyside/index.html"))
        .unwrap();
    assert!(page.contains("class=\"service-list\""));
    assert!(!page.contains("class=\"name-list\""));
}
