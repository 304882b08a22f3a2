//! The views many pages share: links to regions and areas, service cards, the need view,
//! the navigation, and the service descriptions and cards worked out once per build.
//!
//! In: the site input and the model. Out: plain `Serialize` structs that the page families
//! put into their templates' contexts, so each of them reads the same on every page.

use super::context::NavLink;
use super::templates::Templates;
use super::{SiteInput, markdown};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::vocab::{AgeGroup, Delivery, Referral, label_of};
use crate::model::{Area, Dataset, Framework, Service};
use serde::Serialize;

/// Each service's description rendered to safe HTML, on first use (a rebuild renders
/// only a few services' pages), as a template value that pages share without copying.
pub struct Descriptions(Vec<std::sync::OnceLock<tera::Value>>);

impl Descriptions {
    pub fn new(services: usize) -> Descriptions {
        Descriptions((0..services).map(|_| std::sync::OnceLock::new()).collect())
    }

    /// Forget the descriptions of the services at `positions`.
    pub fn forget(&mut self, positions: &[usize]) {
        for &i in positions {
            if let Some(slot) = self.0.get_mut(i) {
                slot.take();
            }
        }
    }

    pub fn get(&self, ds: &Dataset, s: &Service) -> tera::Value {
        match ds.service_position(&s.id.value).and_then(|i| self.0.get(i)) {
            Some(slot) => slot
                .get_or_init(|| tera::Value::from(markdown::to_html(&s.description.value)))
                .clone(),
            None => tera::Value::from(""),
        }
    }
}

/// What many pages share, worked out once before rendering.
pub struct Shared {
    pub nav: Vec<NavLink>,
    pub descriptions: std::sync::Arc<Descriptions>,
    pub cards: std::sync::Arc<super::cards::Cards>,
}

impl Shared {
    /// Rendered cards for `services`, as listed on the page at `path`.
    pub fn cards(
        &self,
        input: &SiteInput,
        fw: &Framework,
        tera: &Templates,
        path: &str,
        heading: u8,
        services: &[&Service],
    ) -> Result<Vec<tera::Value>, Vec<Diagnostic>> {
        self.cards.cards(
            input.dataset,
            fw,
            tera,
            path,
            heading,
            services,
            &self.descriptions,
        )
    }
}

/// Navigation, and the service descriptions and cards that many pages show (kept from
/// the last build when neither the services nor the theme, `theme`, have changed).
pub fn shared(input: &SiteInput, theme: blake3::Hash) -> Shared {
    let (cards, descriptions) = input.service_views(theme);
    Shared {
        nav: navigation(input),
        descriptions,
        cards,
    }
}

/// Services on offer (running or in development), as the directory lists and counts them,
/// and the closed ones, which pages list apart and never count.
pub(super) fn on_offer_and_closed(services: Vec<&Service>) -> (Vec<&Service>, Vec<&Service>) {
    services
        .into_iter()
        .partition(|s| super::directory::listed(s))
}

pub(super) fn ids_and_names(services: Vec<&Service>) -> Vec<(&str, &str)> {
    services
        .into_iter()
        .map(|s| (s.id.value.as_str(), s.name.value.as_str()))
        .collect()
}

/// Narrative pages with an `order`, in that order, then the fixed sections.
pub(super) fn navigation(input: &SiteInput) -> Vec<NavLink> {
    let mut pages: Vec<_> = input
        .pages
        .iter()
        .filter(|p| p.report_section().is_none())
        .filter_map(|p| p.front.order.as_ref().map(|o| (o.value, p)))
        .collect();
    pages.sort_by_key(|(o, p)| (*o, p.slug.clone()));
    let mut nav: Vec<NavLink> = pages
        .into_iter()
        .map(|(_, p)| NavLink {
            title: p.front.title.value.clone(),
            path: format!("{}/", p.slug),
        })
        .collect();
    nav.insert(
        0,
        NavLink {
            title: "Directory".into(),
            path: "directory/".into(),
        },
    );
    if super::overview::shown(input) {
        nav.push(super::overview::nav_link());
    }
    nav
}

#[derive(Serialize)]
pub(super) struct RegionLink {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) latest_year: Option<u16>,
}

pub(super) fn region_links(input: &SiteInput) -> Vec<RegionLink> {
    input
        .dataset
        .regions()
        .iter()
        .map(|r| RegionLink {
            id: r.value.id.value.clone(),
            name: r.value.name.value.clone(),
            latest_year: input.years(&r.value).last().copied(),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct ServiceCard<'a> {
    id: &'a str,
    name: &'a str,
    alternate_name: Option<&'a str>,
    /// `None` when no source names the provider.
    provider: Option<&'a str>,
    summary: &'a str,
    status: &'a str,
    areas: Vec<String>,
    ages: Vec<&'a str>,
    delivery: Vec<&'a str>,
    referral: Vec<&'a str>,
    categories: Vec<String>,
}

pub(super) fn service_card<'a>(ds: &'a Dataset, fw: &Framework, s: &'a Service) -> ServiceCard<'a> {
    // A closed service's card says what it was: who ran it and where, not how to get it.
    let open = !s.is_closed();
    let labels = |values: &'a [crate::model::Spanned<String>], label: fn(&str) -> &str| {
        values
            .iter()
            .filter(|_| open)
            .map(|v| label(&v.value))
            .collect::<Vec<&'a str>>()
    };
    ServiceCard {
        id: &s.id.value,
        name: &s.name.value,
        alternate_name: s.alternate_name.as_ref().map(|a| a.value.as_str()),
        provider: s.organization.as_ref().map(|o| o.name.value.as_str()),
        summary: &s.summary.value,
        status: &s.status.value,
        areas: analyse::service_area_labels_as_described(ds, s),
        ages: labels(&s.age_groups, label_of::<AgeGroup>),
        delivery: labels(&s.delivery, label_of::<Delivery>),
        referral: labels(&s.referral, label_of::<Referral>),
        categories: s
            .categories
            .iter()
            .filter_map(|c| fw.category(&c.value))
            .map(|c| c.name.value.clone())
            .collect(),
    }
}

#[derive(Serialize)]
pub(super) struct NeedView {
    region_name: String,
    figures: analyse::NeedFigures,
    source: String,
    model_source: String,
    /// How the category the need is for is provided now, e.g. "0 full, 6 some, 3 none".
    provision: Option<(String, String)>,
}

pub(super) fn need_view(
    name: &str,
    fw: &Framework,
    population: Option<&crate::model::Population>,
    counts: &[analyse::CategoryCount],
) -> Option<NeedView> {
    let model = fw.need_model.as_ref()?;
    let p = population?;
    let provision = model
        .category
        .as_ref()
        .and_then(|c| counts.iter().find(|x| x.category_id == c.value))
        .map(|c| (c.category_name.clone(), c.phrase.clone()));
    Some(NeedView {
        region_name: name.to_string(),
        figures: analyse::need_figures(model, p),
        source: p.source.value.clone(),
        model_source: model.source.value.clone(),
        provision,
    })
}

#[derive(Serialize)]
pub(super) struct AreaLink {
    pub(super) id: String,
    name: String,
    kind: String,
}

pub(super) fn link(a: &Area) -> AreaLink {
    AreaLink {
        id: a.id.value.clone(),
        name: a.name.value.clone(),
        kind: a.kind.value.clone(),
    }
}
