//! Pages about one year, read back from the shipped site: they name areas as they were
//! that year, count only the services on offer, keep full provision out of the gaps, say
//! where one return covered two rated areas, and show each need target's total.

mod common;

use common::{sel, text};
use scopemap::model::Dataset;
use scraper::{Html, Node};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped site, built once for all tests in this file.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        let code =
            scopemap::commands::build_command(&repo(), &dir.path().join("public"), false, &mut out);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
        dir
    });
    Box::leak(Box::new(dir.path().join("public")))
}

/// The shipped data, loaded as the build loads it.
fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| scopemap::commands::check_data(&repo()).0)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html(rel: &str) -> Html {
    Html::parse_document(&read(rel))
}

/// An element's text nodes joined by single spaces, so adjacent cells read apart.
fn words(el: scraper::ElementRef) -> String {
    el.text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of the first element matching `selector` that contains `needle`.
fn find_text(rel: &str, selector: &str, needle: &str) -> String {
    html(rel)
        .select(&sel(selector))
        .map(words)
        .find(|t| t.contains(needle))
        .unwrap_or_else(|| panic!("{rel}: no {selector} with {needle:?}"))
}

// ---- Names of their time -------------------------------------------------------------

/// An area that came into use after `year`, by id and name.
struct Later {
    id: String,
    name: String,
}

/// The areas the region files mark in use only after `year`.
fn later_areas(ds: &Dataset, year: u16) -> Vec<Later> {
    ds.regions()
        .iter()
        .flat_map(|r| &r.value.areas)
        .filter(|a| a.in_use.from.as_ref().is_some_and(|f| f.value > year))
        .map(|a| Later {
            id: a.id.value.clone(),
            name: a.name.value.clone(),
        })
        .collect()
}

/// The names of the areas in use in `year`.
fn names_in(ds: &Dataset, year: u16) -> Vec<String> {
    ds.regions()
        .iter()
        .flat_map(|r| r.value.areas_in(year))
        .map(|a| a.name.value.clone())
        .collect()
}

/// Every page whose subject is `year`: each region's page and report for the year (and
/// its own address while the year is its latest), the pages of the areas in use that year,
/// and the category pages while every region's latest year is `year`.
fn pages_of(ds: &Dataset, year: u16) -> Vec<String> {
    let mut pages = Vec::new();
    let mut all_latest = true;
    for region in ds.regions().iter().map(|r| &r.value) {
        let id = &region.id.value;
        pages.push(format!("regions/{id}/{year}/index.html"));
        pages.push(format!("regions/{id}/{year}/report/index.html"));
        let latest = ds
            .returns
            .iter()
            .filter(|r| r.value.region.value == *id)
            .map(|r| r.value.year.value)
            .max();
        if latest == Some(year) {
            pages.push(format!("regions/{id}/index.html"));
        } else {
            all_latest = false;
        }
        for area in region.areas_in(year) {
            pages.push(format!("areas/{}/index.html", area.id.value));
        }
    }
    if all_latest {
        for cat in &ds.framework().unwrap().categories {
            pages.push(format!("categories/{}/index.html", cat.id.value));
        }
    }
    pages
}

/// The text of everything the data and narrative say in their own words (returns, report
/// facts, service descriptions, narrative pages), with white space folded: a place name
/// quoted from it is the sources' wording, not the site naming an area.
fn written_words() -> &'static str {
    static WORDS: OnceLock<String> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut all = String::new();
        for folder in [
            "scoping-data/returns",
            "scoping-data/reports",
            "scoping-data/directory",
            "content",
        ] {
            for entry in walkdir::WalkDir::new(repo().join(folder))
                .into_iter()
                .flatten()
            {
                if entry.file_type().is_file() {
                    all.push_str(&std::fs::read_to_string(entry.path()).unwrap());
                    all.push('\n');
                }
            }
        }
        all.split_whitespace().collect::<Vec<_>>().join(" ")
    })
}

/// A page's visible text as one string, with the span of each text node and of each link
/// to a later area's page (`areas/<id>/` or `directory/in/<id>/`).
struct PageText {
    text: String,
    nodes: Vec<std::ops::Range<usize>>,
    later_links: Vec<std::ops::Range<usize>>,
}

fn page_text(doc: &Html, later: &[Later]) -> PageText {
    fn walk(el: scraper::ElementRef, later: &[Later], out: &mut PageText) {
        if matches!(el.value().name(), "script" | "style" | "template") {
            return;
        }
        let start = out.text.len();
        for child in el.children() {
            if let Some(child) = scraper::ElementRef::wrap(child) {
                walk(child, later, out);
            } else if let Node::Text(t) = child.value() {
                // Text nodes apart, so that "A" and "South Sefton" in adjacent cells do
                // not read as "ASouth Sefton".
                out.text.push('\n');
                let from = out.text.len();
                out.text.push_str(t);
                out.nodes.push(from..out.text.len());
            }
        }
        let to_later = el.value().name() == "a"
            && el.value().attr("href").is_some_and(|h| {
                later.iter().any(|l| {
                    h.contains(&format!("areas/{}/", l.id))
                        || h.contains(&format!("directory/in/{}/", l.id))
                })
            });
        if to_later {
            out.later_links.push(start..out.text.len());
        }
    }
    let mut out = PageText {
        text: String::new(),
        nodes: Vec::new(),
        later_links: Vec::new(),
    };
    walk(doc.root_element(), later, &mut out);
    out
}

/// `i`, moved back (or, with `up`, on) to the nearest character boundary of `t`.
fn boundary(t: &str, mut i: usize, up: bool) -> usize {
    i = i.min(t.len());
    while !t.is_char_boundary(i) {
        if up { i += 1 } else { i -= 1 }
    }
    i
}

fn alternation<S: AsRef<str>>(names: &[S]) -> String {
    let mut names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
}

/// Where a page names an area of a later year other than as what an area of its own
/// year is "now part of" (or "now the Place …, same boundary"): each as a short excerpt.
fn later_names_on(html_text: &str, year_names: &[String], later: &[Later]) -> Vec<String> {
    let doc = Html::parse_document(html_text);
    let page = page_text(&doc, later);
    let t = &page.text;
    let later_names = alternation(&later.iter().map(|l| l.name.as_str()).collect::<Vec<_>>());
    // A name may be followed by its kind, "(Place)", and a link's text stands apart.
    let name = format!(r"(?:{later_names})(?:\s*\([A-Za-z]+\))?");
    let allowed = regex::Regex::new(&format!(
        r"now\s+part\s+of\s+{name}(?:\s*(?:,|and)\s+{name})*|now\s+the\s+Place\s+{name}\s*,\s*same\s+boundary|replaced\s+by\s+the\s+Place\s+{name}\s*,\s*with\s+the\s+same\s+boundary"
    ))
    .unwrap();
    let allowed: Vec<std::ops::Range<usize>> = allowed.find_iter(t).map(|m| m.range()).collect();
    let inside = |r: &std::ops::Range<usize>, spans: &[std::ops::Range<usize>]| {
        spans.iter().any(|s| s.start <= r.start && r.end <= s.end)
    };
    let excerpt = |r: &std::ops::Range<usize>| {
        let from = boundary(t, r.start.saturating_sub(40), false);
        let to = boundary(t, r.end + 40, true);
        t[from..to].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut found = Vec::new();
    for link in &page.later_links {
        if !inside(link, &allowed) {
            found.push(format!("a link to a later area: {}", excerpt(link)));
        }
    }
    // A later area's name inside a name of the year ("Sefton" in "South Sefton", "Halton"
    // when it is the CCG's name too) is the earlier area's.
    let own = regex::Regex::new(&format!(r"\b(?:{})\b", alternation(year_names))).unwrap();
    let own: Vec<std::ops::Range<usize>> = own.find_iter(t).map(|m| m.range()).collect();
    let named = regex::Regex::new(&format!(r"\b(?:{later_names})\b")).unwrap();
    for m in named.find_iter(t) {
        let r = m.range();
        if inside(&r, &allowed) || inside(&r, &own) {
            continue;
        }
        // Words quoted from the data or the narrative, with enough around the name to be a
        // phrase of theirs and not an area named on its own.
        let node = page
            .nodes
            .iter()
            .find(|n| n.start <= r.start && r.end <= n.end);
        let quoted = node.is_some_and(|n| {
            let from = boundary(t, r.start.saturating_sub(30).max(n.start), false);
            let to = boundary(t, (r.end + 30).min(n.end), true);
            [&t[from..r.end], &t[r.start..to]].iter().any(|window| {
                let window = window.split_whitespace().collect::<Vec<_>>().join(" ");
                window.len() >= m.as_str().len() + 12 && written_words().contains(&window)
            })
        });
        if !quoted {
            found.push(excerpt(&r));
        }
    }
    found
}

#[test]
fn the_check_finds_a_later_area_named_as_if_it_were_of_the_year() {
    let ds = dataset();
    let later = later_areas(ds, 2022);
    let names = names_in(ds, 2022);
    let bad = [
        "<p>Areas: Fylde Coast</p>",
        "<p>Areas: <a href=\"../areas/halton/index.html\">Halton</a></p>",
        "<p>Blackpool, Central Lancashire</p>",
    ];
    for page in bad {
        assert!(
            !later_names_on(page, &names, &later).is_empty(),
            "not caught: {page}"
        );
    }
    let good = [
        "<p>Blackpool (now part of <a href=\"../areas/fylde-coast/index.html\">Fylde Coast</a>)</p>",
        "<p>Cheshire (now part of Cheshire East and Cheshire West)</p>",
        "<p>Halton (now the Place <a href=\"../areas/halton/index.html\">Halton</a>, same boundary)</p>",
        "<p>South Sefton</p>",
    ];
    for page in good {
        assert_eq!(
            later_names_on(page, &names, &later),
            Vec::<String>::new(),
            "{page}"
        );
    }
}

#[test]
fn no_2022_page_names_a_2023_place_except_as_what_an_area_is_now_part_of() {
    let ds = dataset();
    let later = later_areas(ds, 2022);
    assert!(
        later.iter().any(|l| l.name == "Fylde Coast"),
        "the region files' Places"
    );
    let names = names_in(ds, 2022);
    let pages = pages_of(ds, 2022);
    assert!(pages.len() >= 30, "{pages:?}");
    let mut found = Vec::new();
    let mut phrases = 0;
    for rel in &pages {
        let page = read(rel);
        phrases += page.matches("(now part of ").count();
        for f in later_names_on(&page, &names, &later) {
            found.push(format!("{rel}: {f}"));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    assert!(
        phrases > 20,
        "later areas appear as what areas are now part of"
    );
}

#[test]
fn services_are_named_in_the_areas_of_the_year_they_are_described_in() {
    let card = find_text(
        "areas/blackpool-ccg/index.html",
        "li.service-card",
        "Baby Steps",
    );
    assert!(
        card.contains("Areas Blackpool (now part of Fylde Coast)"),
        "{card}"
    );
    let card = find_text(
        "areas/halton-ccg/index.html",
        "li.service-card",
        "Halton children's centres",
    );
    assert!(
        card.contains("Areas Halton (now the Place Halton, same boundary)"),
        "{card}"
    );
    let report = find_text(
        "regions/lancashire-and-south-cumbria/2022/report/index.html",
        "p.muted",
        "Blackpool Health Visiting service",
    );
    assert_eq!(
        report,
        "Blackpool Health Visiting service · Blackpool (now part of Fylde Coast)"
    );
    // The service's own page links the area of its time and the Place it is part of now.
    let page = html("directory/blackpool-baby-steps/index.html");
    let where_ = page
        .select(&sel("dt"))
        .find(|dt| text(*dt) == "Where")
        .and_then(|dt| dt.next_siblings().find_map(scraper::ElementRef::wrap))
        .unwrap();
    // The row ends with its citation ("[1]"), which links to the page's list of sources.
    let shown = text(where_);
    let (named, cite) = shown.split_at(shown.rfind('[').unwrap_or(shown.len()));
    assert_eq!(named, "Blackpool (now part of Fylde Coast)");
    assert!(cite.starts_with('[') && cite.ends_with(']'), "{shown}");
    let links: Vec<&str> = where_
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.starts_with("#source-"))
        .collect();
    assert_eq!(
        links,
        [
            "../../areas/blackpool-ccg/index.html",
            "../../areas/fylde-coast/index.html"
        ]
    );
}

// ---- One count of the services on offer -----------------------------------------------

/// The services of the data working in a region (in one of its areas, or across it), as
/// (on offer, closed) ids: closed means `status: decommissioned`.
fn services_in(ds: &Dataset, region: &str, category: Option<&str>) -> (Vec<String>, Vec<String>) {
    let (mut on_offer, mut closed) = (Vec::new(), Vec::new());
    for s in ds.services().iter().map(|s| &s.value) {
        let in_region = s
            .areas
            .iter()
            .any(|a| ds.area(&a.value).is_some_and(|(r, _)| r.id.value == region))
            || s.regions.iter().any(|r| r.value == region);
        let of_type = category.is_none_or(|c| s.categories.iter().any(|x| x.value == c));
        if !(in_region && of_type) {
            continue;
        }
        if s.status.value == "decommissioned" {
            closed.push(s.id.value.clone());
        } else {
            on_offer.push(s.id.value.clone());
        }
    }
    (on_offer, closed)
}

/// The service ids linked from the cards of the first list after the heading `#id`.
fn cards_after(doc: &Html, id: &str) -> Vec<String> {
    doc.select(&sel(&format!("#{id} ~ ul.service-list")))
        .next()
        .map(|list| {
            list.select(&sel("li.service-card .card-title a"))
                .filter_map(|a| a.value().attr("href"))
                .map(|h| {
                    h.trim_end_matches("/index.html")
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn region_pages_count_only_the_services_on_offer() {
    let ds = dataset();
    let mut closed_seen = 0;
    for region in ds.regions().iter().map(|r| &r.value) {
        let (id, name) = (&region.id.value, &region.name.value);
        let (mut on_offer, mut closed) = services_in(ds, id, None);
        let count = on_offer.len();
        let latest = format!("regions/{id}/index.html");
        assert_eq!(
            find_text(&latest, "#services ~ p", "The directory lists"),
            format!("The directory lists {count} services in {name}, running or in development.")
        );
        let doc = html(&latest);
        let mut listed = cards_after(&doc, "services");
        let mut listed_closed = cards_after(&doc, "closed");
        for list in [&mut on_offer, &mut closed, &mut listed, &mut listed_closed] {
            list.sort();
        }
        assert_eq!((listed, listed_closed), (on_offer, closed.clone()));
        closed_seen += closed.len();
        assert!(
            find_text(
                &format!("regions/{id}/2022/index.html"),
                "#services ~ p",
                "The directory lists"
            )
            .starts_with(&format!(
                "The directory lists {count} services in {name} as they are now"
            )),
            "{id} 2022"
        );
    }
    assert!(closed_seen > 0, "the shipped data has a closed service");
    // The directory's own count is the same sum.
    let total: usize = ds
        .services()
        .iter()
        .filter(|s| s.value.status.value != "decommissioned")
        .count();
    assert!(
        find_text("directory/index.html", "p.lead", "services described")
            .starts_with(&format!("{total} services")),
    );
}

#[test]
fn category_pages_count_only_the_services_on_offer_and_name_closed_ones_apart() {
    let ds = dataset();
    let mut closed_seen = 0;
    for cat in &ds.framework().unwrap().categories {
        let rel = format!("categories/{}/index.html", cat.id.value);
        let mut count = 0;
        for region in ds.regions().iter().map(|r| &r.value) {
            let (on_offer, closed) = services_in(ds, &region.id.value, Some(&cat.id.value));
            count += on_offer.len();
            let doc = html(&rel);
            let heading = format!("#services-{} ~ ", region.id.value);
            if !closed.is_empty() {
                closed_seen += 1;
                let said = doc
                    .select(&sel(&format!("{heading}p")))
                    .map(words)
                    .find(|t| t.starts_with("No longer running"))
                    .unwrap_or_else(|| panic!("{rel}: closed services not named"));
                for id in &closed {
                    let name = &ds.service(id).unwrap().name.value;
                    assert!(said.contains(name.as_str()), "{rel}: {said}");
                }
            }
        }
        if count > 0 {
            let said = find_text(&rel, "#services ~ p", "in the directory");
            assert!(
                said.starts_with(&format!(
                    "{count} service{} in the directory, running or in development.",
                    if count == 1 { "" } else { "s" }
                )),
                "{rel}: {said}"
            );
        }
    }
    assert!(closed_seen > 0, "a category with a closed service");
}

// ---- One return for two rated areas ---------------------------------------------------

#[test]
fn region_pages_say_where_one_return_covered_two_rated_areas() {
    let ds = dataset();
    let mut shared = 0;
    for region in ds.regions().iter().map(|r| &r.value) {
        let id = &region.id.value;
        // The rated areas of each form that the returns share, from the data.
        let mut forms: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in ds.returns_for(2022, region) {
            if let Some(label) = &r.submission.listed_as {
                let (_, area) = ds.area(&r.area.value).unwrap();
                forms
                    .entry(label.value.clone())
                    .or_default()
                    .push(area.name.value.clone());
            }
        }
        forms.retain(|_, areas| areas.len() > 1);
        for page in [
            format!("regions/{id}/2022/index.html"),
            format!("regions/{id}/index.html"),
        ] {
            let notes: Vec<String> = html(&page)
                .select(&sel("p.shared-return"))
                .map(words)
                .collect();
            // Once under the matrix and once under the returns table.
            assert_eq!(notes.len(), forms.len() * 2, "{page}: {notes:#?}");
            for (label, areas) in &forms {
                let said = notes
                    .iter()
                    .find(|n| n.contains(&format!("listed as “{label}”")))
                    .unwrap_or_else(|| panic!("{page}: nothing said of {label}"));
                assert!(said.starts_with("One return, listed as"), "{said}");
                assert!(said.contains("covered two rated areas"), "{said}");
                for area in areas {
                    assert!(said.contains(area.as_str()), "{said} names {area}");
                }
                assert!(said.contains("Each area is rated separately."), "{said}");
            }
        }
        shared += forms.len();
    }
    assert_eq!(shared, 1, "Blackpool, Fylde and Wyre");
    let page = html("regions/lancashire-and-south-cumbria/2022/index.html");
    assert_eq!(
        text(
            page.select(&sel("#matrix ~ p.shared-return"))
                .next()
                .unwrap()
        ),
        "One return, listed as “Blackpool, Fylde and Wyre”, covered two rated areas: Blackpool, and Fylde and Wyre. Each area is rated separately. See returns received."
    );
}

// ---- Full provision is not a gap ------------------------------------------------------

/// Every HTML page of the built site, by path from its root.
fn all_pages() -> Vec<String> {
    walkdir::WalkDir::new(site())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(site())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// The text of what follows each heading about gaps, up to the next heading as high.
fn under_gap_headings(doc: &Html) -> Vec<(String, String)> {
    let rank = |name: &str| name.strip_prefix('h').and_then(|n| n.parse::<u8>().ok());
    let mut sections = Vec::new();
    for h in doc.select(&sel("h1, h2, h3, h4")) {
        let title = text(h);
        if !title.to_lowercase().contains("gap") {
            continue;
        }
        let level = rank(h.value().name()).unwrap();
        let mut body = Vec::new();
        for next in h.next_siblings().filter_map(scraper::ElementRef::wrap) {
            if rank(next.value().name()).is_some_and(|l| l <= level) {
                break;
            }
            body.push(words(next));
        }
        sections.push((title, body.join(" ")));
    }
    sections
}

#[test]
fn no_heading_about_gaps_states_full_provision() {
    let full =
        regex::Regex::new(r"(?i)\b(every|all)\b[^.;:]*\b(has|have|had)\s+full provision").unwrap();
    // The check reads such a statement where it is.
    assert!(full.is_match("Every area in North has full provision of Family Hubs."));
    assert!(full.is_match("Every type of service had full provision."));
    assert!(
        !full.is_match("No area in North has full provision of Family Hubs: 3 of 3 have none.")
    );
    let mut sections = 0;
    let mut found = Vec::new();
    for rel in all_pages() {
        let doc = html(&rel);
        for (title, body) in under_gap_headings(&doc) {
            sections += 1;
            for sentence in body.split(". ") {
                if full.is_match(sentence) {
                    found.push(format!("{rel}: under “{title}”: {sentence}"));
                }
            }
        }
        for li in doc.select(&sel("ul.gaps li")) {
            if full.is_match(&text(li)) {
                found.push(format!("{rel}: in a list of gaps: {}", text(li)));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    assert!(sections > 20, "only {sections} sections about gaps");
}

#[test]
fn region_pages_state_full_provision_apart_from_the_gaps() {
    let ds = dataset();
    let fw = ds.framework().unwrap();
    for region in ds.regions().iter().map(|r| &r.value) {
        let returns = ds.returns_for(2022, region);
        // The types of service every area of the region rated G, from the returns.
        let everywhere: Vec<String> = fw
            .categories
            .iter()
            .filter(|c| {
                returns.iter().all(|r| {
                    r.rating(&c.id.value)
                        .is_some_and(|e| e.rating.value.eq_ignore_ascii_case("G"))
                })
            })
            .map(|c| c.id.value.clone())
            .collect();
        let rel = format!("regions/{}/2022/index.html", region.id.value);
        let doc = html(&rel);
        let listed: Vec<String> = doc
            .select(&sel("#full-provision ~ ul.full-provision li"))
            .map(text)
            .collect();
        assert_eq!(listed.len(), everywhere.len(), "{rel}: {listed:#?}");
        for said in &listed {
            assert!(
                said.starts_with(&format!(
                    "Every area in {} has full provision of ",
                    region.name.value
                )),
                "{said}"
            );
        }
        let gaps = doc.select(&sel("ul.gaps li")).count();
        assert_eq!(gaps + listed.len(), fw.categories_in(2022).len(), "{rel}");
    }
}

// ---- Which total a need target is worked out from -------------------------------------

/// The sentences saying which total each target is worked out from, on a page.
fn target_bases(rel: &str) -> Vec<String> {
    html(rel).select(&sel("p.target-basis")).map(text).collect()
}

const LSC_BASIS: &str = "The calculated initial target, 2,161, is 35% of the printed total need of 6,174, as the model's own total needs the number of children in deprived areas. The printed figures add up to a total of 9,888 (4,828 + 5,060), of which 35% would be 3,461.";
const CM_BASIS: &str = "The calculated initial target, 3,588, is 35% of the printed total need of 10,251, as the model's own total needs the number of children in deprived areas. The printed figures add up to a total of 12,204 (3,628 + 8,576), of which 35% would be 4,271.";

#[test]
fn need_targets_say_which_total_they_come_from_and_show_both() {
    assert_eq!(
        target_bases("regions/lancashire-and-south-cumbria/index.html"),
        [LSC_BASIS]
    );
    assert_eq!(
        target_bases("regions/cheshire-and-merseyside/2022/index.html"),
        [CM_BASIS]
    );
    // The need page works both out from the data, beside its own account of them.
    assert_eq!(target_bases("need/index.html"), [LSC_BASIS, CM_BASIS]);
    let page = html("need/index.html");
    let targets: Vec<String> = page
        .select(&sel("table.need tbody tr"))
        .map(words)
        .filter(|r| r.starts_with("Initial target"))
        .collect();
    assert_eq!(
        targets,
        [
            "Initial target (35% of need) 2,161 2,161 from the printed total, 6,174; 3,461 from 9,888",
            "Initial target (35% of need) 3,588 3,588 from the printed total, 10,251; 4,271 from 12,204"
        ]
    );
    // Two tables on one page, each with its own caption.
    let ids: Vec<&str> = page
        .select(&sel("table.need caption"))
        .filter_map(|c| c.value().attr("id"))
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    for id in ids {
        assert_eq!(
            page.select(&sel(&format!("[aria-labelledby=\"{id}\"]")))
                .count(),
            1
        );
    }
}

#[test]
fn a_need_shortcode_with_no_figures_stops_the_build_at_its_region() {
    let site = common::site_with("need-shortcode");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "error[E210]: the `need` shortcode has no figures to show: framework.yaml has no `need_model`\n  --> content/need.md:6:17\n"
        ),
        "{log}"
    );
    assert!(
        log.contains("= help: add `need_model:` to scoping-data/framework.yaml"),
        "{log}"
    );
    assert!(!out.exists());

    // A region with no population, in a framework with a need model.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["scoping-data", "content", "themes"] {
        common::copy_dir(&repo().join(folder), &dir.path().join(folder));
    }
    std::fs::copy(
        repo().join("scopemap.yaml"),
        dir.path().join("scopemap.yaml"),
    )
    .unwrap();
    let file = dir
        .path()
        .join("scoping-data/regions/lancashire-and-south-cumbria.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    let (head, rest) = yaml.split_once("population:").unwrap();
    let (_, tail) = rest.split_once("\nareas:").unwrap();
    std::fs::write(&file, format!("{head}areas:{tail}")).unwrap();
    let out = dir.path().join("public");
    let (code, log) = common::build(dir.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    let line = std::fs::read_to_string(repo().join("content/need.md"))
        .unwrap()
        .lines()
        .position(|l| l == "{{ need(region=\"lancashire-and-south-cumbria\") }}")
        .unwrap()
        + 1;
    assert!(
        log.contains(&format!(
            "error[E210]: the `need` shortcode has no figures to show: the region `lancashire-and-south-cumbria` has no `population`\n  --> content/need.md:{line}:17\n"
        )),
        "{log}"
    );
}

// ---- No year's dates in another year's definitions ------------------------------------

/// The key's definitions under a page's matrix, as `code: definition`.
fn key_under_matrix(doc: &Html) -> Vec<String> {
    doc.select(&sel(".matrix-block .key-item"))
        .map(|item| {
            let code = item
                .select(&sel("dt .rating"))
                .next()
                .map(words)
                .unwrap_or_default();
            let definition = item.select(&sel("dd")).next().map(text).unwrap_or_default();
            format!("{code}: {definition}")
        })
        .collect()
}

#[test]
fn a_later_year_shows_no_date_of_2022_in_its_definitions() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["scoping-data", "content", "themes"] {
        common::copy_dir(&repo().join(folder), &dir.path().join(folder));
    }
    std::fs::copy(
        repo().join("scopemap.yaml"),
        dir.path().join("scopemap.yaml"),
    )
    .unwrap();
    let region = "lancashire-and-south-cumbria";
    let mut log = Vec::new();
    let code = scopemap::commands::new_year_command(dir.path(), 2023, region, &mut log);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&log));
    let (ds, diagnostics) = scopemap::commands::check_data(dir.path());
    assert!(
        !diagnostics.iter().any(|d| d.code == "W210"),
        "{diagnostics:#?}"
    );
    let out = dir.path().join("public");
    let (code, log) = common::build(dir.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 0, "{log}");
    let page = |rel: &str| Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
    let later = key_under_matrix(&page(&format!("regions/{region}/2023/index.html")));
    assert_eq!(later.len(), 4, "{later:#?}");
    for line in &later {
        assert!(!line.contains("2022"), "the 2023 key: {line}");
    }
    // The framework's wording for any year, not the 2022 report's.
    let fw = ds.framework().unwrap();
    let b = fw.rating("B").unwrap();
    assert!(later.contains(&format!("⟳ B In development: {}", b.definition.value)));
    // 2022 keeps the key its reports printed, date and all.
    let printed = key_under_matrix(&page(&format!("regions/{region}/2022/index.html")));
    assert!(
        printed.contains(
            &"⟳ B In development: Services or initiatives are currently in development at time of writing (May 2022)".to_string()
        ),
        "{printed:#?}"
    );
    // A category's description shown on a 2023 page carries no 2022 date either.
    for cat in fw.categories_in(2023) {
        let doc = page(&format!("categories/{}/index.html", cat.id.value));
        let lead = doc.select(&sel("p.lead")).next().map(text).unwrap();
        assert!(!lead.contains("2022"), "{}: {lead}", cat.id.value);
    }
}

#[test]
fn a_definition_dated_for_one_year_is_a_warning_where_another_year_shows_it() {
    let site = common::base_with("dated-definitions");
    let (_, diagnostics) = scopemap::commands::check_data(site.path());
    let found: Vec<(&str, String, usize, usize)> = diagnostics
        .iter()
        .filter(|d| d.code == "W210" || d.code == "E211")
        .map(|d| (d.code, d.message.clone(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [
            (
                "W210",
                "the definition of rating `B` names 2022, but is shown with the 2023 ratings"
                    .to_string(),
                26,
                17
            ),
            (
                "E211",
                "the rating `B` gives its printed definition for 2022 twice".to_string(),
                30,
                15
            ),
            (
                "W210",
                "the description of category `family-hubs` names 2022, but is shown with the 2023 ratings"
                    .to_string(),
                46,
                18
            ),
        ]
    );
    assert!(
        diagnostics
            .iter()
            .all(|d| d.file == "scoping-data/framework.yaml"
                || (d.code != "W210" && d.code != "E211"))
    );
    let help = diagnostics
        .iter()
        .find(|d| d.code == "W210")
        .unwrap()
        .help
        .clone();
    assert_eq!(
        help.as_deref(),
        Some(
            "leave the date out of `definition`, and give a year's own dated wording under `printed:` with its `year`"
        )
    );
}
