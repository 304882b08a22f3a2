//! A service as an Open Referral record gives it, in the directory's own fields, and what
//! to do with it: write it as a new directory file, or compare it with a service the
//! directory already has and change the file, field by field, where the feed says
//! something else.
//!
//! In: a `Draft` read from a feed (`read`), and for an update the existing `Service` and
//! the text of its file. Out: the YAML text of a new file; the list of `Change`s (field,
//! old value, new value); the edited text of an existing file. A field the feed does not
//! state is never a change: an import adds and corrects facts, it does not remove them
//! because a feed leaves them out (many feeds cannot carry them at all).
//!
//! Kept in one file: every directory field an import can write is drafted here, in the
//! order of the directory format, so a new field is added in one place.

use super::yaml::{Writer, quote};
use crate::model::Service;

/// An organisation as a feed gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Org {
    pub name: String,
    pub url: Option<String>,
    /// (scheme, value), schemes as the directory names them (`ods`, ...).
    pub identifiers: Vec<(String, String)>,
}

/// A named contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Contact {
    /// The contact as the ORUK profile carries it: a name and a title.
    fn carried(&self) -> Contact {
        Contact {
            name: self.name.clone(),
            title: self.title.clone(),
            ..Contact::default()
        }
    }
}

/// A place where the service is delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub name: Option<String>,
    pub address: Option<String>,
    pub town: Option<String>,
    pub county: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
}

impl Location {
    /// The location as an ORUK feed can carry it: its name, and its address only when every
    /// part ORUK requires is there.
    fn carried(&self) -> Location {
        let whole = self.address.is_some()
            && self.town.is_some()
            && self.county.is_some()
            && self.postcode.is_some()
            && self.country.is_some();
        if whole {
            self.clone()
        } else {
            Location {
                name: self.name.clone(),
                ..Location::default()
            }
        }
    }
}

/// When the service is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningTime {
    pub description: Option<String>,
    pub days: Vec<String>,
    pub opens: Option<String>,
    pub closes: Option<String>,
}

/// A service's directory fields, as far as a feed states them: `None` or empty is "not
/// stated".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The service's id in the feed, kept as the directory's `oruk_id` (a UUID).
    pub oruk_id: Option<String>,
    pub name: String,
    pub alternate_name: Option<String>,
    pub organization: Option<Org>,
    pub description: Option<String>,
    pub categories: Vec<String>,
    pub areas: Vec<String>,
    pub regions: Vec<String>,
    /// Whether `areas` and `regions` are all the feed says about where the service works
    /// (every service area it gives was matched to an area or region).
    pub areas_complete: bool,
    pub age_groups: Vec<String>,
    /// The feed's `minimum_age` and `maximum_age`, when `age_groups` were worked out from
    /// them (rather than read from scopemap's own attributes).
    pub ages: Option<(Option<u32>, Option<u32>)>,
    pub eligibility: Option<String>,
    pub delivery: Vec<String>,
    pub referral: Vec<String>,
    pub how_to_access: Option<String>,
    pub cost: Option<String>,
    pub funding_source: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contacts: Vec<Contact>,
    pub locations: Vec<Location>,
    pub opening_times: Vec<OpeningTime>,
    pub status: Option<String>,
    pub closed: Option<String>,
    pub last_checked: Option<String>,
    pub last_changed: Option<String>,
}

/// One field of an existing service that the feed states differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The directory field, e.g. `description` or `organization`.
    pub field: &'static str,
    /// The value as the file has it, or `None` when the file does not state it.
    pub old: Option<String>,
    pub new: String,
}

/// The key under which an imported file cites its feed.
pub const FEED_SOURCE: &str = "feed";

/// The facts of the directory format (they need a `source_of` entry) that a draft can fill.
fn is_fact(field: &str) -> bool {
    crate::model::FACTS.contains(&field)
}

impl Draft {
    /// What an existing service says, in the same terms as a draft read from a feed.
    pub fn of_service(s: &Service) -> Draft {
        let text = |v: &crate::model::Spanned<String>| v.value.trim().to_string();
        let opt = |v: &Option<crate::model::Spanned<String>>| {
            v.as_ref().map(text).filter(|t| !t.is_empty())
        };
        let list = |v: &[crate::model::Spanned<String>]| v.iter().map(text).collect::<Vec<_>>();
        Draft {
            oruk_id: opt(&s.oruk_id),
            name: text(&s.name),
            alternate_name: opt(&s.alternate_name),
            organization: s.organization.as_ref().map(|o| Org {
                name: text(&o.name),
                url: opt(&o.url),
                identifiers: o
                    .identifiers
                    .iter()
                    .map(|i| (text(&i.scheme), text(&i.value)))
                    .collect(),
            }),
            description: Some(text(&s.description)).filter(|t| !t.is_empty()),
            categories: list(&s.categories),
            areas: list(&s.areas),
            regions: list(&s.regions),
            areas_complete: true,
            age_groups: list(&s.age_groups),
            ages: None,
            eligibility: opt(&s.eligibility),
            delivery: list(&s.delivery),
            referral: list(&s.referral),
            how_to_access: opt(&s.how_to_access),
            cost: opt(&s.cost),
            funding_source: s.funding.as_ref().and_then(|f| opt(&f.source)),
            url: opt(&s.url),
            email: opt(&s.email),
            phone: opt(&s.phone),
            contacts: s
                .contacts
                .iter()
                .map(|c| Contact {
                    name: opt(&c.name),
                    title: opt(&c.title),
                    phone: opt(&c.phone),
                    email: opt(&c.email),
                })
                .collect(),
            locations: s
                .locations
                .iter()
                .map(|l| Location {
                    name: opt(&l.name),
                    address: opt(&l.address),
                    town: opt(&l.town),
                    county: opt(&l.county),
                    postcode: opt(&l.postcode),
                    country: opt(&l.country),
                })
                .collect(),
            opening_times: s
                .opening_times
                .iter()
                .map(|o| OpeningTime {
                    description: opt(&o.description),
                    days: list(&o.days),
                    opens: opt(&o.opens),
                    closes: opt(&o.closes),
                })
                .collect(),
            status: Some(text(&s.status)),
            closed: opt(&s.closed),
            last_checked: opt(&s.last_checked),
            last_changed: opt(&s.last_changed),
        }
    }

    /// The facts this draft states, by directory field name.
    pub fn stated_facts(&self) -> Vec<&'static str> {
        [
            ("organization", self.organization.is_some()),
            ("areas", !self.areas.is_empty() || !self.regions.is_empty()),
            ("age_groups", !self.age_groups.is_empty()),
            ("eligibility", self.eligibility.is_some()),
            ("delivery", !self.delivery.is_empty()),
            ("referral", !self.referral.is_empty()),
            ("how_to_access", self.how_to_access.is_some()),
            ("cost", self.cost.is_some()),
            ("funding", self.funding_source.is_some()),
            ("url", self.url.is_some()),
            ("email", self.email.is_some()),
            ("phone", self.phone.is_some()),
            ("contacts", !self.contacts.is_empty()),
            ("locations", !self.locations.is_empty()),
            ("opening_times", !self.opening_times.is_empty()),
            ("status", self.status.is_some()),
        ]
        .into_iter()
        .filter_map(|(fact, stated)| stated.then_some(fact))
        .collect()
    }

    /// The text of a new directory file `id` for this draft, citing the feed `feed` read
    /// on `read_on`. `to_fill` names the fields left for the network manager, in a comment.
    pub fn new_file(&self, id: &str, feed: &str, read_on: &str, to_fill: &[String]) -> String {
        let mut w = Writer::default();
        match &self.oruk_id {
            Some(feed_id) => w.comment(&format!(
                "Imported from an Open Referral UK feed by `scopemap import` (the feed's service {feed_id})."
            )),
            None => w.comment("Imported from an Open Referral UK feed by `scopemap import`."),
        }
        if !to_fill.is_empty() {
            w.comment(&format!("Still to fill in: {}", to_fill.join(", ")));
        }
        w.string(0, "id", id);
        w.optional(0, "oruk_id", self.oruk_id.as_deref());
        w.string(0, "name", &self.name);
        w.optional(0, "alternate_name", self.alternate_name.as_deref());
        // A feed that names no organization gives no provider: the file leaves it out.
        if let Some(org) = &self.organization {
            w.lines(&org_lines(org));
        }
        let description = self.description.clone().unwrap_or_default();
        let summary = first_sentence(&description).unwrap_or_else(|| self.name.clone());
        w.string(0, "summary", &summary);
        w.string(0, "description", &description);
        w.list(0, "categories", &self.categories);
        w.list(0, "areas", &self.areas);
        if !self.regions.is_empty() {
            w.list(0, "regions", &self.regions);
        }
        // Facts the feed does not give are left out: the page says "Not stated".
        for (key, values) in [
            ("age_groups", &self.age_groups),
            ("delivery", &self.delivery),
            ("referral", &self.referral),
        ] {
            if !values.is_empty() {
                w.list(0, key, values);
            }
        }
        w.optional(0, "eligibility", self.eligibility.as_deref());
        w.optional(0, "how_to_access", self.how_to_access.as_deref());
        w.optional(0, "cost", self.cost.as_deref());
        if let Some(source) = &self.funding_source {
            w.open(0, "funding");
            w.string(2, "source", source);
        }
        w.optional(0, "url", self.url.as_deref());
        w.optional(0, "email", self.email.as_deref());
        w.optional(0, "phone", self.phone.as_deref());
        for (key, lines) in [
            ("contacts", contacts_lines(&self.contacts)),
            ("locations", locations_lines(&self.locations)),
            ("opening_times", opening_lines(&self.opening_times)),
        ] {
            if !lines.is_empty() {
                w.open(0, key);
                w.lines(&lines);
            }
        }
        w.string(0, "status", self.status.as_deref().unwrap_or(""));
        w.optional(0, "closed", self.closed.as_deref());
        // The feed's assured date says when its publisher checked the details; with none,
        // nobody is known to have checked them.
        w.optional(0, "last_checked", self.last_checked.as_deref());
        w.optional(0, "last_changed", self.last_changed.as_deref());
        w.open(0, "sources");
        w.open(2, FEED_SOURCE);
        w.string(4, "url", feed);
        w.string(4, "checked", read_on);
        let facts = self.stated_facts();
        if facts.is_empty() {
            w.empty_map(0, "source_of");
        } else {
            w.open(0, "source_of");
            for fact in facts {
                w.string(2, fact, FEED_SOURCE);
            }
        }
        w.finish()
    }

    /// The fields that `feed` states differently from `self` (an existing service), in the
    /// order of the directory format. A field `feed` does not state is not a change.
    pub fn changes(&self, feed: &Draft) -> Vec<Change> {
        let mut d = Diff::default();
        if self.oruk_id.is_some() {
            d.text("oruk_id", &self.oruk_id, &feed.oruk_id);
        }
        d.text("name", &Some(self.name.clone()), &Some(feed.name.clone()));
        d.text("alternate_name", &self.alternate_name, &feed.alternate_name);
        if let Some(new) = &feed.organization {
            let merged = merge_org(self.organization.as_ref(), new);
            if self.organization.as_ref() != Some(&merged) {
                d.0.push(Change {
                    field: "organization",
                    old: self.organization.as_ref().map(org_summary),
                    new: org_summary(&merged),
                });
            }
        }
        d.text("description", &self.description, &feed.description);
        d.list("categories", &self.categories, &feed.categories);
        if feed.areas_complete && (!feed.areas.is_empty() || !feed.regions.is_empty()) {
            // A feed that places the service states all of where it works.
            d.whole_list("areas", &self.areas, &feed.areas);
            d.whole_list("regions", &self.regions, &feed.regions);
        }
        // Groups worked out from ages are a change only when the file's groups cover other
        // ages: ages cannot tell pregnancy, nor one group from the next within a range.
        let same_ages = feed.ages.is_some_and(|ages| {
            let groups: Vec<&str> = self.age_groups.iter().map(String::as_str).collect();
            super::ages_of_groups(&groups) == ages
        });
        if !same_ages {
            d.list("age_groups", &self.age_groups, &feed.age_groups);
        }
        d.text("eligibility", &self.eligibility, &feed.eligibility);
        d.list("delivery", &self.delivery, &feed.delivery);
        d.list("referral", &self.referral, &feed.referral);
        d.text("how_to_access", &self.how_to_access, &feed.how_to_access);
        d.text("cost", &self.cost, &feed.cost);
        d.text("funding", &self.funding_source, &feed.funding_source);
        let same_address =
            matches!((&self.url, &feed.url), (Some(a), Some(b)) if web_form(a) == web_form(b));
        if !same_address {
            d.text("url", &self.url, &feed.url);
        }
        d.text("email", &self.email, &feed.email);
        d.text("phone", &self.phone, &feed.phone);
        // The ORUK profile gives a contact no phone or e-mail: a feed that gives none for
        // any contact is compared as far as it can carry them.
        let bare = feed
            .contacts
            .iter()
            .all(|c| c.phone.is_none() && c.email.is_none());
        let carried = |cs: &[Contact]| -> Vec<Contact> {
            cs.iter()
                .map(|c| if bare { c.carried() } else { c.clone() })
                .collect()
        };
        if carried(&self.contacts) != carried(&feed.contacts) {
            d.items("contacts", &self.contacts, &feed.contacts, contacts_lines);
        }
        // ORUK carries an address only when it has every part: a location is compared as
        // far as a feed can carry it.
        let carried =
            |ls: &[Location]| -> Vec<Location> { ls.iter().map(Location::carried).collect() };
        if carried(&self.locations) != carried(&feed.locations) {
            d.items(
                "locations",
                &self.locations,
                &feed.locations,
                locations_lines,
            );
        }
        d.items(
            "opening_times",
            &self.opening_times,
            &feed.opening_times,
            opening_lines,
        );
        d.text("status", &self.status, &feed.status);
        d.text("closed", &self.closed, &feed.closed);
        d.text("last_checked", &self.last_checked, &feed.last_checked);
        d.text("last_changed", &self.last_changed, &feed.last_changed);
        d.0
    }

    /// `text` (an existing service's file) with `changes` made as `feed` states them, each
    /// changed fact cited to the source `key` (`feed` read on `read_on`), which is added.
    pub fn apply(
        &self,
        existing: &Draft,
        text: &str,
        changes: &[Change],
        key: &str,
        feed_url: &str,
        read_on: &str,
    ) -> Result<String, String> {
        use crate::forms::directory_edit::ServiceText;
        let mut t = ServiceText::new(text);
        let scalar = |v: &str| vec![format!(" {}", quote(v))];
        let block = |lines: Vec<String>| {
            let mut out = vec![String::new()];
            out.extend(lines);
            out
        };
        let list = |v: &[String]| {
            if v.is_empty() {
                return vec![" []".to_string()];
            }
            let mut lines = vec![String::new()];
            lines.extend(v.iter().map(|x| format!("  - {}", quote(x))));
            lines
        };
        for change in changes {
            let value: Vec<String> = match change.field {
                "oruk_id" => scalar(self.oruk_id.as_deref().unwrap_or_default()),
                "name" => scalar(&self.name),
                "alternate_name" => scalar(self.alternate_name.as_deref().unwrap_or_default()),
                "organization" => {
                    let Some(org) = &self.organization else {
                        continue;
                    };
                    let merged = merge_org(existing.organization.as_ref(), org);
                    let mut lines = vec![String::new()];
                    lines.extend(org_lines(&merged).into_iter().skip(1));
                    lines
                }
                "description" => scalar(self.description.as_deref().unwrap_or_default()),
                "categories" => list(&self.categories),
                "areas" => list(&self.areas),
                "regions" => list(&self.regions),
                "age_groups" => list(&self.age_groups),
                "eligibility" => scalar(self.eligibility.as_deref().unwrap_or_default()),
                "delivery" => list(&self.delivery),
                "referral" => list(&self.referral),
                "how_to_access" => scalar(self.how_to_access.as_deref().unwrap_or_default()),
                "cost" => scalar(self.cost.as_deref().unwrap_or_default()),
                "funding" => funding_lines(existing_funding(text), self.funding_source.as_deref()),
                "url" => scalar(self.url.as_deref().unwrap_or_default()),
                "email" => scalar(self.email.as_deref().unwrap_or_default()),
                "phone" => scalar(self.phone.as_deref().unwrap_or_default()),
                "contacts" => block(contacts_lines(&self.contacts)),
                "locations" => block(locations_lines(&self.locations)),
                "opening_times" => block(opening_lines(&self.opening_times)),
                "status" => scalar(self.status.as_deref().unwrap_or_default()),
                "closed" => scalar(self.closed.as_deref().unwrap_or_default()),
                "last_checked" => scalar(self.last_checked.as_deref().unwrap_or_default()),
                "last_changed" => scalar(self.last_changed.as_deref().unwrap_or_default()),
                _ => continue,
            };
            t.set(change.field, &value);
        }
        let facts: Vec<&str> = changes
            .iter()
            .map(|c| match c.field {
                "regions" => "areas",
                "closed" => "status",
                other => other,
            })
            .filter(|f| is_fact(f))
            .collect();
        if !facts.is_empty() {
            t.add_source(
                key,
                &[
                    format!("url: {}", quote(feed_url)),
                    format!("checked: {}", quote(read_on)),
                ],
            )?;
            for fact in facts {
                t.set_source_of(fact, &[key.to_string()])?;
            }
        }
        Ok(t.text())
    }
}

/// The existing `funding:` block's other fields (`status`, `ends`) as YAML lines, read
/// from the file's text so that an update of the source keeps them as written.
fn existing_funding(text: &str) -> Vec<String> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("funding:"));
    if lines.next().is_none() {
        return Vec::new();
    }
    lines
        .take_while(|l| l.starts_with(' ') || l.trim().is_empty())
        .filter(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with("source:")
        })
        .map(str::to_string)
        .collect()
}

fn funding_lines(kept: Vec<String>, source: Option<&str>) -> Vec<String> {
    let mut lines = vec![String::new()];
    lines.extend(kept);
    if let Some(source) = source {
        lines.push(format!("  source: {}", quote(source)));
    }
    lines
}

/// The organisation `new` gives, keeping what the file states and the feed does not.
fn merge_org(old: Option<&Org>, new: &Org) -> Org {
    Org {
        name: new.name.clone(),
        url: match (&new.url, old.and_then(|o| o.url.clone())) {
            (Some(n), Some(o)) if web_form(n) == web_form(&o) => Some(o),
            (Some(n), _) => Some(n.clone()),
            (None, o) => o,
        },
        identifiers: if new.identifiers.is_empty() {
            old.map(|o| o.identifiers.clone()).unwrap_or_default()
        } else if old.is_some_and(|o| same_set(&pairs(&o.identifiers), &pairs(&new.identifiers))) {
            old.map(|o| o.identifiers.clone()).unwrap_or_default()
        } else {
            new.identifiers.clone()
        },
    }
}

fn pairs(identifiers: &[(String, String)]) -> Vec<String> {
    identifiers
        .iter()
        .map(|(s, v)| format!("{s}:{v}"))
        .collect()
}

/// One `- key: value` item of a list of mappings, two spaces in, for each item.
fn items_lines<T>(
    items: &[T],
    fields: impl Fn(&T) -> Vec<(&'static str, Option<String>)>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for item in items {
        let mut first = true;
        for (key, value) in fields(item) {
            let Some(value) = value else { continue };
            let lead = if first { "  - " } else { "    " };
            lines.push(format!("{lead}{key}: {value}"));
            first = false;
        }
    }
    lines
}

fn contacts_lines(contacts: &[Contact]) -> Vec<String> {
    items_lines(contacts, |c| {
        vec![
            ("name", c.name.as_deref().map(quote)),
            ("title", c.title.as_deref().map(quote)),
            ("phone", c.phone.as_deref().map(quote)),
            ("email", c.email.as_deref().map(quote)),
        ]
    })
}

fn locations_lines(locations: &[Location]) -> Vec<String> {
    items_lines(locations, |l| {
        vec![
            ("name", l.name.as_deref().map(quote)),
            ("address", l.address.as_deref().map(quote)),
            ("town", l.town.as_deref().map(quote)),
            ("county", l.county.as_deref().map(quote)),
            ("postcode", l.postcode.as_deref().map(quote)),
            ("country", l.country.as_deref().map(quote)),
        ]
    })
}

fn opening_lines(times: &[OpeningTime]) -> Vec<String> {
    items_lines(times, |o| {
        vec![
            ("description", o.description.as_deref().map(quote)),
            (
                "days",
                (!o.days.is_empty()).then(|| {
                    format!(
                        "[{}]",
                        o.days
                            .iter()
                            .map(|d| quote(d))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
            ),
            ("opens", o.opens.as_deref().map(quote)),
            ("closes", o.closes.as_deref().map(quote)),
        ]
    })
}

/// The `organization:` block of a file, as lines (the first is `organization:`).
fn org_lines(org: &Org) -> Vec<String> {
    let mut lines = vec!["organization:".to_string()];
    lines.push(format!("  name: {}", quote(&org.name)));
    if let Some(url) = &org.url {
        lines.push(format!("  url: {}", quote(url)));
    }
    if !org.identifiers.is_empty() {
        lines.push("  identifiers:".to_string());
        for (scheme, value) in &org.identifiers {
            lines.push(format!("    - scheme: {}", quote(scheme)));
            lines.push(format!("      value: {}", quote(value)));
        }
    }
    lines
}

fn org_summary(org: &Org) -> String {
    let mut out = quote(&org.name);
    if let Some(url) = &org.url {
        out.push_str(&format!(", website {}", quote(url)));
    }
    for (scheme, value) in &org.identifiers {
        out.push_str(&format!(", {scheme} {}", quote(value)));
    }
    out
}

/// The changes found so far.
#[derive(Default)]
struct Diff(Vec<Change>);

impl Diff {
    /// A text field: a change when the feed states it and the file says something else.
    fn text(&mut self, field: &'static str, old: &Option<String>, new: &Option<String>) {
        if let Some(new) = new
            && old.as_deref() != Some(new.as_str())
        {
            self.0.push(Change {
                field,
                old: old.as_ref().map(|o| quote(o)),
                new: quote(new),
            });
        }
    }

    /// A list: a change when the feed states it and the file lists other values (in any
    /// order).
    fn list(&mut self, field: &'static str, old: &[String], new: &[String]) {
        if !new.is_empty() {
            self.whole_list(field, old, new);
        }
    }

    /// A list of mappings: a change when the feed states some and the file holds others.
    fn items<T: PartialEq>(
        &mut self,
        field: &'static str,
        old: &[T],
        new: &[T],
        lines: fn(&[T]) -> Vec<String>,
    ) {
        if !new.is_empty() && old != new {
            let summary = |v: &[T]| {
                lines(v)
                    .iter()
                    .map(|l| l.trim())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            self.0.push(Change {
                field,
                old: (!old.is_empty()).then(|| summary(old)),
                new: summary(new),
            });
        }
    }

    /// A list the feed states in full, even when empty.
    fn whole_list(&mut self, field: &'static str, old: &[String], new: &[String]) {
        if !same_set(old, new) {
            self.0.push(Change {
                field,
                old: (!old.is_empty()).then(|| list_summary(old)),
                new: list_summary(new),
            });
        }
    }
}

fn list_summary(values: &[String]) -> String {
    format!(
        "[{}]",
        values
            .iter()
            .map(|v| quote(v))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let a: std::collections::BTreeSet<&String> = a.iter().collect();
    let b: std::collections::BTreeSet<&String> = b.iter().collect();
    a == b
}

/// A web address in its normal form, for comparing two ways of writing one address.
pub fn web_form(text: &str) -> String {
    url::Url::parse(text.trim()).map_or_else(|_| text.trim().to_string(), |u| u.to_string())
}

/// The first sentence of a description, on one line.
pub fn first_sentence(description: &str) -> Option<String> {
    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return None;
    }
    let chars: Vec<char> = flat.chars().collect();
    let mut end = chars.len();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| *n == ' ') {
            end = i + 1;
            break;
        }
    }
    Some(chars[..end].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("One thing. Another.").as_deref(),
            Some("One thing.")
        );
        assert_eq!(
            first_sentence("Costs 2.50 a go\nfor all").as_deref(),
            Some("Costs 2.50 a go for all")
        );
        assert_eq!(first_sentence("  "), None);
    }

    #[test]
    fn a_field_the_feed_leaves_out_is_no_change() {
        let old = Draft {
            name: "A".into(),
            url: Some("https://example.org".into()),
            phone: Some("0151 555 0100".into()),
            delivery: vec!["home".into(), "group".into()],
            status: Some("active".into()),
            ..Draft::default()
        };
        let feed = Draft {
            name: "A".into(),
            url: Some("https://example.org/".into()),
            delivery: vec!["group".into(), "home".into()],
            status: Some("active".into()),
            ..Draft::default()
        };
        assert_eq!(old.changes(&feed), Vec::new());
        let feed = Draft {
            name: "B".into(),
            email: Some("a@example.org".into()),
            ..feed
        };
        let fields: Vec<&str> = old.changes(&feed).iter().map(|c| c.field).collect();
        assert_eq!(fields, vec!["name", "email"]);
    }
}
