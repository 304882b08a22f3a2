//! The controlled lists of the data format: every value a field may take, with its code as
//! written in YAML, its label as pages, forms and exports show it, and what it means.
//!
//! In: nothing. Out: one enum per list, each implementing `Vocabulary`. `validate` checks
//! written values against `Vocabulary::ALL` (and names the allowed codes from it), pages
//! and the Open Referral feed take labels and descriptions from here, and a test checks
//! the `enum` lists of the JSON Schemas in docs/schema/ against the codes. A list is
//! written out here and nowhere else; the wording follows docs/data-format.md.
//!
//! The model keeps the values as the files spell them (`Spanned<String>`), so that a value
//! outside a list is reported by `validate` with its place rather than refused by the
//! loader; `from_code` reads one back as its variant.

/// A controlled list of values.
pub trait Vocabulary: Copy + Eq + std::fmt::Debug + Sized + 'static {
    /// What one value of the list is called in messages, e.g. "age group".
    const NAME: &'static str;
    /// Every value, in the order docs/data-format.md lists them.
    const ALL: &'static [Self];
    /// The value as written in the data files.
    fn code(self) -> &'static str;
    /// The value in words, as pages, forms and exports show it.
    fn label(self) -> &'static str;
    /// What the value means, in a sentence.
    fn description(self) -> &'static str;

    /// The value written `code`, exactly as the files must spell it.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// The codes of every value, in order.
    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.code()).collect()
    }
}

/// The label of a written code, or the code itself when it is none of the list's (a value
/// `validate` refuses, so never seen in a site built from valid data).
pub fn label_of<V: Vocabulary>(code: &str) -> &str {
    V::from_code(code).map_or(code, |v| v.label())
}

macro_rules! vocabulary {
    (
        $(#[$doc:meta])*
        $name:ident, $what:literal {
            $( $(#[$vdoc:meta])* $variant:ident = $code:literal, $label:literal, $description:literal; )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl Vocabulary for $name {
            const NAME: &'static str = $what;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }
            fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
            fn description(self) -> &'static str {
                match self {
                    $(Self::$variant => $description,)+
                }
            }
        }
    };
}

vocabulary! {
    /// A service's `age_groups`: who it is for, by the child's age.
    AgeGroup, "age group" {
        Pregnancy = "pregnancy", "Pregnancy", "Expectant parents, before the baby is born.";
        UnderOne = "0-1", "Under 1", "Families with a baby under one year old.";
        OneToTwo = "1-2", "1 to 2 years", "Families with a child aged one to two.";
        TwoToFive = "2-5", "2 to 5 years", "Families with a child aged two to five.";
    }
}

impl AgeGroup {
    /// The child's age range in whole years, from one birthday to another; none for
    /// pregnancy, which has no child age.
    pub fn child_years(self) -> Option<(u32, u32)> {
        match self {
            AgeGroup::Pregnancy => None,
            AgeGroup::UnderOne => Some((0, 1)),
            AgeGroup::OneToTwo => Some((1, 2)),
            AgeGroup::TwoToFive => Some((2, 5)),
        }
    }
}

vocabulary! {
    /// A service's `delivery`: how and where it is delivered.
    Delivery, "delivery" {
        Home = "home", "Home visits", "Delivered in the family's home.";
        CommunityVenue = "community-venue", "Community venue",
            "Delivered in a community venue such as a family hub or children's centre.";
        Clinic = "clinic", "Clinic", "Delivered in a clinic.";
        Online = "online", "Online", "Delivered online.";
        Telephone = "telephone", "Telephone", "Delivered by telephone.";
        Group = "group", "Group sessions", "Delivered in groups.";
        OneToOne = "one-to-one", "One-to-one", "Delivered one to one.";
        Inpatient = "inpatient", "Inpatient unit", "Delivered on an inpatient unit.";
    }
}

vocabulary! {
    /// A service's `referral`: who can refer a family to it.
    Referral, "referral route" {
        /// Written `self`.
        SelfReferral = "self", "Self-referral welcome", "Families can contact the service directly.";
        Professional = "professional", "Professional referral",
            "A professional such as a GP, midwife or health visitor refers the family.";
    }
}

vocabulary! {
    /// A service's `cost`.
    Cost, "cost" {
        Free = "free", "Free", "Free of charge";
        Charge = "charge", "There may be a charge",
            "There may be a charge for this service; ask the provider.";
    }
}

vocabulary! {
    /// `funding.status` of a service.
    FundingStatus, "funding status" {
        Recurrent = "recurrent", "Recurrent (ongoing)", "Funded on an ongoing basis.";
        NonRecurrent = "non-recurrent", "Non-recurrent (short-term)", "Funded for the short term.";
        FixedTerm = "fixed-term", "Fixed-term", "Funded until a set date, given as `ends`.";
    }
}

vocabulary! {
    /// A service's `status`.
    ServiceStatus, "service status" {
        Active = "active", "Running", "The service is running.";
        InDevelopment = "in-development", "In development",
            "The service is being set up and is not yet open.";
        /// Closed: its page stays, marked as closed, but the directory's lists leave it out.
        Decommissioned = "decommissioned", "Closed", "The service has stopped.";
    }
}

vocabulary! {
    /// `submission.status` of a return: whether the area's form came back.
    SubmissionStatus, "submission status" {
        Received = "received", "Returned", "The area's form came back.";
        NotReceived = "not-received", "Not returned",
            "No form came back; the network rated the area from other information.";
        NotListed = "not-listed", "Not in the returns table",
            "The report rates the area, but its returns table has no row for it.";
        /// Made by `scopemap new-year`: a placeholder, none of its ratings published.
        AwaitingReturn = "awaiting-return", "Awaiting return",
            "Made by `scopemap new-year`; the area's form has not come back yet.";
    }
}

vocabulary! {
    /// `scheme` of an organisation's register identifier.
    IdentifierScheme, "identifier scheme" {
        Ods = "ods", "NHS Organisation Data Service code",
            "NHS Organisation Data Service (ODS) code";
        CharityEnglandWales = "charity-england-wales", "Charity Commission number",
            "Charity Commission for England and Wales registered charity number";
        Company = "company", "Companies House number", "Companies House company number";
    }
}

vocabulary! {
    /// An area's `kind`.
    AreaKind, "area kind" {
        Ccg = "CCG", "CCG", "A clinical commissioning group area, rated until 2022.";
        Place = "Place", "Place", "A Place, sharing its local authority's boundary, rated from 2023.";
    }
}

vocabulary! {
    /// `document.status` of a report, where the document states one.
    ReportStatus, "report status" {
        Draft = "draft", "Draft", "The document is a draft: every printed page says DRAFT.";
        Final = "final", "Final", "The document is final.";
    }
}

vocabulary! {
    /// A day of the week in an opening time, as iCalendar and Open Referral UK write it.
    Weekday, "day of the week" {
        Monday = "MO", "Monday", "Monday.";
        Tuesday = "TU", "Tuesday", "Tuesday.";
        Wednesday = "WE", "Wednesday", "Wednesday.";
        Thursday = "TH", "Thursday", "Thursday.";
        Friday = "FR", "Friday", "Friday.";
        Saturday = "SA", "Saturday", "Saturday.";
        Sunday = "SU", "Sunday", "Sunday.";
    }
}

vocabulary! {
    /// How far the site meets WCAG 2.2 level AA, as its accessibility statement says.
    Compliance, "accessibility compliance status" {
        Full = "full", "Fully compliant", "The site meets the standard in full.";
        Partial = "partial", "Partially compliant", "The site meets the standard but for the problems listed.";
        NotCompliant = "none", "Not compliant", "Most of the site does not meet the standard.";
    }
}

vocabulary! {
    /// Names of the directory's own sub-folders and files, which no service id may take,
    /// since each service's page is `directory/<id>/`.
    ReservedServiceId, "reserved service id" {
        /// `directory/in/<area>/`: the lists of services by area.
        In = "in", "Services by area", "The folder of the directory's lists of services by area.";
        /// `directory/type/<category>/`: the lists of services by category.
        Type = "type", "Services by type",
            "The folder of the directory's lists of services by category.";
        /// `directory/search/`: the files of the directory's search index.
        Search = "search", "Search index",
            "The folder of the directory's search index files.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<V: Vocabulary>() {
        let codes = V::codes();
        assert!(!codes.is_empty(), "{}", V::NAME);
        for (i, v) in V::ALL.iter().enumerate() {
            assert_eq!(V::from_code(v.code()), Some(*v), "{}", V::NAME);
            assert!(
                !codes[..i].contains(&v.code()),
                "{} repeats {}",
                V::NAME,
                v.code()
            );
            assert!(!v.label().trim().is_empty() && !v.description().trim().is_empty());
        }
    }

    #[test]
    fn every_value_reads_back_from_its_code_and_codes_are_unique() {
        check::<AgeGroup>();
        check::<Delivery>();
        check::<Referral>();
        check::<Cost>();
        check::<FundingStatus>();
        check::<ServiceStatus>();
        check::<SubmissionStatus>();
        check::<IdentifierScheme>();
        check::<AreaKind>();
        check::<ReportStatus>();
        check::<Compliance>();
        check::<Weekday>();
        check::<ReservedServiceId>();
    }

    #[test]
    fn codes_are_read_exactly_as_written() {
        assert_eq!(AgeGroup::from_code("0-1"), Some(AgeGroup::UnderOne));
        assert_eq!(AgeGroup::from_code(" 0-1"), None);
        assert_eq!(Delivery::from_code("Home"), None);
        assert_eq!(label_of::<Delivery>("group"), "Group sessions");
        assert_eq!(label_of::<Delivery>("canoe"), "canoe");
    }
}
