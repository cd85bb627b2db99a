//! The word list synthetic names are drawn from, and the name patterns of each kind.

use govgraph_model::EntityKind;
use rand::{Rng, RngExt};

/// Qualifiers: "National", "Regional", …
const QUALIFIERS: &[&str] = &[
    "National",
    "Regional",
    "State",
    "Federal",
    "Joint",
    "Central",
    "Interagency",
    "Municipal",
    "Provincial",
    "Coastal",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Public",
    "Independent",
    "Permanent",
    "Temporary",
    "Special",
    "General",
    "Supreme",
    "Unified",
    "Integrated",
    "Strategic",
];

/// Subjects of governance: "Migration", "Labour", …
const SUBJECTS: &[&str] = &[
    "Migration",
    "Labour",
    "Asylum",
    "Border",
    "Customs",
    "Diaspora",
    "Remittance",
    "Refugee",
    "Citizenship",
    "Residence",
    "Employment",
    "Education",
    "Health",
    "Pension",
    "Visa",
    "Readmission",
    "Integration",
    "Trafficking",
    "Smuggling",
    "Statistics",
    "Identity",
    "Returns",
    "Mobility",
    "Settlement",
    "Youth",
    "Family",
    "Housing",
    "Social Protection",
    "Registration",
    "Consular",
    "Crisis",
    "Climate",
    "Disaster",
    "Recruitment",
    "Skills",
    "Data",
    "Protection",
    "Development",
    "Cooperation",
    "Security",
];

/// Nouns of each kind: what a body, an instrument or a plan is called.
fn nouns(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Country => &["Republic"],
        EntityKind::Institution => &[
            "Service",
            "Agency",
            "Ministry",
            "Committee",
            "Council",
            "Commission",
            "Office",
            "Department",
            "Fund",
            "Directorate",
            "Inspectorate",
            "Board",
        ],
        EntityKind::InternationalOrganization => &[
            "Organization",
            "Union",
            "Alliance",
            "Partnership",
            "Bank",
            "Forum",
        ],
        EntityKind::Law => &[
            "Law",
            "Code",
            "Decree",
            "Order",
            "Resolution",
            "Regulation",
            "Rule",
        ],
        EntityKind::Policy => &[
            "Strategy",
            "Action Plan",
            "Road Map",
            "State Programme",
            "Concept",
        ],
        EntityKind::Programme => &["Programme", "Project", "Initiative", "Scheme", "Grant"],
        EntityKind::Agreement => &["Agreement", "Memorandum", "Protocol", "Joint Declaration"],
        EntityKind::Convention => &["Convention", "Treaty", "Covenant", "Compact", "Charter"],
        EntityKind::Process => &["Process", "Dialogue", "Forum", "Conference", "Consultation"],
        EntityKind::System => &[
            "Information System",
            "Registry",
            "Portal",
            "Hotline",
            "Database",
        ],
        EntityKind::Topic => &["Provision", "Rights", "Affairs", "Issues", "Matters"],
        EntityKind::Group => &[
            "Organizations",
            "Associations",
            "Networks",
            "Communities",
            "Sector",
        ],
        EntityKind::Publication => &[
            "Yearbook", "Report", "Bulletin", "Survey", "Review", "Quota",
        ],
    }
}

/// Syllables of country names.
const SYLLABLES: &[&str] = &[
    "al", "ba", "cor", "da", "el", "fa", "gor", "ha", "is", "ka", "lan", "mor", "na", "or", "pal",
    "ra", "sal", "ta", "ur", "va", "zan", "ber", "dor", "kan",
];

fn pick<'w>(rng: &mut impl Rng, list: &[&'w str]) -> &'w str {
    list[rng.random_range(0..list.len())]
}

/// A name for an entity of `kind`: "National Migration Service", "Law on Border Protection".
pub(crate) fn name(rng: &mut impl Rng, kind: EntityKind) -> String {
    let noun = pick(rng, nouns(kind));
    let subject = pick(rng, SUBJECTS);
    match kind {
        EntityKind::Law | EntityKind::Convention | EntityKind::Agreement => {
            let other = pick(rng, SUBJECTS);
            format!("{noun} on {subject} and {other}")
        }
        EntityKind::Topic => format!("{subject} {noun}"),
        _ => {
            let qualifier = pick(rng, QUALIFIERS);
            format!("{qualifier} {subject} {noun}")
        }
    }
}

/// A made-up country name: "Republic of Moraltan".
pub(crate) fn country_name(rng: &mut impl Rng) -> String {
    let count = rng.random_range(2..=3);
    let mut word = String::new();
    for _ in 0..count {
        word.push_str(pick(rng, SYLLABLES));
    }
    let mut chars = word.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect();
    format!("Republic of {capitalised}")
}

/// The id slug of a name: lower-case ASCII words joined by `-`.
pub(crate) fn slug(name: &str) -> String {
    govgraph_model::slugify(name)
}
