//! Service cards and report entries rendered once and reused by every page that lists them.
//!
//! In: the dataset, the templates, a service and the page depth (its `root` prefix). Out:
//! the HTML of the card (`partials/service_card.html`) or of the report entry
//! (`partials/report_service.html`). A service is listed on its areas' pages, its region's
//! page and report, its type's list and the directory; rendering it once per kind of page
//! instead of once per page keeps a national build's cost linear in the number of services.
//! Report entries appear in one report each (the region's latest), so they are rendered
//! when asked for and not kept.

use super::templates::Templates;
use super::views::{ServiceCard, service_card};
use crate::diag::Diagnostic;
use crate::model::{Dataset, Framework, Service};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// What `partials/service_card.html` and `partials/report_service.html` receive: only
/// this, so one rendering serves every page of a kind.
#[derive(Serialize)]
pub(super) struct CardContext<'a> {
    /// The service card.
    pub s: tera::Value,
    /// The relative path back to the site root from the page the card will appear on.
    pub root: &'a str,
    /// The heading level of the card's title.
    pub card_heading: u8,
    /// The service's description rendered from markdown (safe HTML).
    pub description: tera::Value,
}

/// Which rendering of a service: the template, the page's root prefix and the heading level.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Variant {
    template: &'static str,
    root: String,
    heading: u8,
    /// Whether renderings are kept for the next page that lists the service.
    kept: bool,
}

/// A rendering shared by every page that shows it: a template value holds its text behind
/// a reference count, so handing it to another page's context copies nothing.
type Rendered = Result<tera::Value, Box<Diagnostic>>;

/// Rendered cards by variant, one slot per service, each filled on first use.
#[derive(Default)]
pub struct Cards {
    variants: Mutex<HashMap<Variant, Arc<Vec<OnceLock<Rendered>>>>>,
    /// Each service's card fields (`s` in the templates) as a template value, made once
    /// and shared by every rendering of the service.
    facts: OnceLock<Vec<OnceLock<tera::Value>>>,
}

impl Cards {
    /// Forget the renderings of the services at `positions` (their files changed); `false`
    /// if that cannot be done because a build still holds them.
    pub fn forget(&mut self, positions: &[usize]) -> bool {
        if let Some(facts) = self.facts.get_mut() {
            for &i in positions {
                if let Some(slot) = facts.get_mut(i) {
                    slot.take();
                }
            }
        }
        let variants = self.variants.get_mut().unwrap_or_else(|e| e.into_inner());
        for slots in variants.values_mut() {
            let Some(slots) = Arc::get_mut(slots) else {
                return false;
            };
            for &i in positions {
                if let Some(slot) = slots.get_mut(i) {
                    slot.take();
                }
            }
        }
        true
    }

    /// Cards (`partials/service_card.html`) for `services`, for a page whose links start
    /// with `root`, with the card titles at heading level `heading`.
    #[allow(clippy::too_many_arguments)]
    pub fn cards(
        &self,
        ds: &Dataset,
        fw: &Framework,
        tera: &Templates,
        page: &str,
        heading: u8,
        services: &[&Service],
        descriptions: &super::views::Descriptions,
    ) -> Result<Vec<tera::Value>, Vec<Diagnostic>> {
        let variant = Variant {
            template: "partials/service_card.html",
            root: super::root_prefix(page),
            heading,
            kept: true,
        };
        self.render(ds, fw, tera, page, variant, services, descriptions)
    }

    /// Report entries (`partials/report_service.html`): name, provider, areas and the
    /// full description, for the report at `page`.
    pub fn report_entries(
        &self,
        ds: &Dataset,
        fw: &Framework,
        tera: &Templates,
        page: &str,
        services: &[&Service],
        descriptions: &super::views::Descriptions,
    ) -> Result<Vec<tera::Value>, Vec<Diagnostic>> {
        let variant = Variant {
            template: "partials/report_service.html",
            root: super::root_prefix(page),
            heading: 4,
            // If kept, a national build would hold every service's full entry (60 MB) to
            // the end for no reuse; a rebuild renders one region's again in milliseconds.
            kept: false,
        };
        self.render(ds, fw, tera, page, variant, services, descriptions)
    }

    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        ds: &Dataset,
        fw: &Framework,
        tera: &Templates,
        page: &str,
        variant: Variant,
        services: &[&Service],
        descriptions: &super::views::Descriptions,
    ) -> Result<Vec<tera::Value>, Vec<Diagnostic>> {
        let slots = variant.kept.then(|| {
            let mut variants = self.variants.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(variants.entry(variant.clone()).or_insert_with(|| {
                Arc::new((0..ds.services().len()).map(|_| OnceLock::new()).collect())
            }))
        });
        let facts = self
            .facts
            .get_or_init(|| (0..ds.services().len()).map(|_| OnceLock::new()).collect());
        let render_one = |s: &Service, fact: &OnceLock<tera::Value>| -> Rendered {
            let card = fact.get_or_init(|| {
                tera::Value::from_serializable(&service_card(ds, fw, s) as &ServiceCard)
            });
            let ctx = CardContext {
                s: card.clone(),
                root: &variant.root,
                card_heading: variant.heading,
                description: descriptions.get(ds, s),
            };
            tera::Context::from_serialize(&ctx)
                .and_then(|ctx| tera.render(variant.template, &ctx))
                .map(tera::Value::from)
                .map_err(|e| {
                    Box::new(super::templates::template_error(
                        tera,
                        variant.template,
                        page,
                        &e,
                    ))
                })
        };
        let mut html = Vec::with_capacity(services.len());
        let mut errors = Vec::new();
        for s in services {
            let Some(i) = ds.service_position(&s.id.value) else {
                continue;
            };
            let Some(fact) = facts.get(i) else {
                continue;
            };
            let fresh;
            let rendered = match &slots {
                Some(slots) => match slots.get(i) {
                    Some(slot) => slot.get_or_init(|| render_one(s, fact)),
                    None => continue,
                },
                None => {
                    fresh = render_one(s, fact);
                    &fresh
                }
            };
            match rendered {
                Ok(card) => html.push(card.clone()),
                Err(diagnostic) => errors.push(diagnostic.as_ref().clone()),
            }
        }
        if errors.is_empty() {
            Ok(html)
        } else {
            errors.truncate(1);
            Err(errors)
        }
    }
}
