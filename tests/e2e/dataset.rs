//! Quality checks of the default dataset against the profile.

use govgraph_graph::{Direction, EdgeFilter};
use govgraph_model::text::fold;
use govgraph_model::{EntityKind, RelationType};
use govgraph_tests::{default_dataset, default_graph};
use std::collections::{HashMap, HashSet};

#[test]
fn every_quote_is_verbatim_and_every_relation_cited() {
    // `default_dataset` loads with the profile, so a single non-verbatim quote fails here.
    let dataset = default_dataset();
    assert!(dataset.relations.iter().all(|r| !r.evidence.is_empty()));
    assert!(
        dataset
            .relations
            .iter()
            .flat_map(|r| &r.evidence)
            .all(|e| e.quote.chars().count() <= 320),
        "quotes stay short"
    );
}

#[test]
fn no_entity_twice_under_two_ids() {
    let mut by_name: HashMap<String, HashSet<&str>> = HashMap::new();
    let dataset = default_dataset();
    for entity in &dataset.entities {
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            by_name.entry(fold(name)).or_default().insert(&entity.id);
        }
    }
    let clashes: Vec<String> = by_name
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(name, ids)| format!("{name}: {ids:?}"))
        .collect();
    assert!(
        clashes.is_empty(),
        "names shared by several entities:\n{}",
        clashes.join("\n")
    );
}

#[test]
fn countries_carry_iso_codes() {
    for entity in default_dataset()
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Country)
    {
        let code = entity.id.trim_start_matches("country:");
        assert_eq!(
            entity.attributes.get("iso3").map(String::as_str),
            Some(code),
            "{}",
            entity.id
        );
    }
}

/// Table 1 of the profile: which conventions Azerbaijan ratified, and which not.
#[test]
fn table_1_ratifications() {
    let g = default_graph();
    let aze = g.entity_ix("country:AZE").expect("Azerbaijan");
    let mut ratified = Vec::new();
    let mut not_ratified = Vec::new();
    for r in g.relations_at(aze, Direction::Outgoing, &EdgeFilter::listing(None)) {
        let relation = g.relation(r);
        let target = g.entity(g.ends(r).1);
        match relation.ty {
            RelationType::Ratified => ratified.push((target.name.clone(), relation.since)),
            RelationType::NotRatified => not_ratified.push(target.name.clone()),
            _ => {}
        }
    }
    assert_eq!(
        not_ratified.len(),
        2,
        "ILO conventions 97 and 143 are not ratified: {not_ratified:?}"
    );
    assert!(
        not_ratified
            .iter()
            .all(|n| n.contains("97") || n.contains("143")),
        "{not_ratified:?}"
    );
    let crc = ratified
        .iter()
        .find(|(n, _)| n.contains("Rights of the Child"))
        .expect("CRC ratified");
    assert_eq!(crc.1, Some(1992));
    let icrmw = ratified
        .iter()
        .find(|(n, _)| n.contains("Migrant Workers and Members"))
        .expect("ICRMW ratified");
    assert_eq!(icrmw.1, Some(1999));
}

/// Agreements whose parties the profile does not name.
const NO_PARTIES_NAMED: &[(&str, &str)] = &[
    (
        "agreement:building-migration-partnerships-joint-declaration-2009",
        "listed in Key sources under the Prague Process only",
    ),
    (
        "agreement:caspian-sea-security-agreement-2010",
        "listed in Key sources under the Government of the Russian Federation; no party named",
    ),
];

/// Parties of every agreement, by kind.
fn parties(agreement: &str) -> Vec<String> {
    let g = default_graph();
    let ix = g.entity_ix(agreement).expect("indexed");
    g.relations_at(
        ix,
        Direction::Incoming,
        &EdgeFilter::listing(Some(vec![RelationType::PartyTo])),
    )
    .into_iter()
    .map(|r| g.entity(g.ends(r).0).id.clone())
    .collect()
}

#[test]
fn every_agreement_has_its_parties() {
    let no_parties: HashSet<&str> = NO_PARTIES_NAMED.iter().map(|(id, _)| *id).collect();
    for entity in default_dataset()
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Agreement)
    {
        let found = parties(&entity.id);
        if no_parties.contains(entity.id.as_str()) {
            assert!(
                found.is_empty(),
                "{} has parties now; drop it from NO_PARTIES_NAMED",
                entity.id
            );
            continue;
        }
        assert!(!found.is_empty(), "{} has no party", entity.id);
        // Bilateral agreements are named `agreement:aze-<iso3>-…`: both countries are parties.
        let mut words = entity.id.trim_start_matches("agreement:").split('-');
        if let (Some("aze"), Some(other)) = (words.next(), words.next()) {
            if other.len() == 3
                && default_graph()
                    .entity_ix(&format!("country:{}", other.to_uppercase()))
                    .is_some()
            {
                for country in [
                    "country:AZE".to_owned(),
                    format!("country:{}", other.to_uppercase()),
                ] {
                    assert!(
                        found.contains(&country),
                        "{} lacks the party {country}: {found:?}",
                        entity.id
                    );
                }
            }
        }
    }
}

#[test]
fn pension_agreements_link_azerbaijan_to_eight_states() {
    let g = default_graph();
    let topic = g
        .entity_ix("topic:pension-provision")
        .expect("the pension topic");
    let agreements: Vec<String> = g
        .relations_at(
            topic,
            Direction::Incoming,
            &EdgeFilter::listing(Some(vec![RelationType::Addresses])),
        )
        .into_iter()
        .map(|r| g.entity(g.ends(r).0))
        .filter(|e| e.kind == EntityKind::Agreement)
        .map(|e| e.id.clone())
        .collect();
    let mut partners: Vec<String> = agreements
        .iter()
        .flat_map(|a| parties(a))
        .filter(|p| p != "country:AZE" && p.starts_with("country:"))
        .collect();
    partners.sort();
    partners.dedup();
    // 1.2: Belarus, Georgia, Kazakhstan, Kyrgyzstan, the Republic of Moldova, the Russian Federation, Ukraine and Uzbekistan.
    for code in ["BLR", "GEO", "KAZ", "KGZ", "MDA", "RUS", "UKR", "UZB"] {
        assert!(
            partners.contains(&format!("country:{code}")),
            "no pension agreement with {code}: {partners:?}"
        );
    }
}

/// Entities the profile names without tying them to Azerbaijan's graph, with why.
const UNREACHABLE_ALLOWED: &[(&str, &str)] = &[
    (
        "institution:state-labour-inspection-service",
        "4.1 says it reviews workplaces; whether it sits under the ministry is not stated",
    ),
    (
        "institution:state-statistical-committee",
        "named only as the publisher of migration statistics",
    ),
    (
        "publication:statistical-yearbook-of-azerbaijan",
        "published by the State Statistical Committee, itself unlinked",
    ),
    (
        "system:azerbaijan-statistical-information-service-portal",
        "footnote 29 names it as where older statistics are; no operator",
    ),
    (
        "international-organization:desa",
        "cited as the source of context figures only",
    ),
    (
        "publication:international-migrant-stock-2020",
        "DESA's data set, cited as a source of context figures",
    ),
    (
        "international-organization:world-bank",
        "cited as the source of the remittances figure only",
    ),
    (
        "international-organization:non-aligned-movement",
        "named only in the title of a grant programme",
    ),
    (
        "international-organization:organization-for-islamic-cooperation",
        "named only in the title of a grant programme",
    ),
    (
        "law:code-of-criminal-procedure",
        "named only as a text translated on the SMS website",
    ),
    (
        "law:election-code",
        "named only as a text translated on the SMS website",
    ),
    (
        "law:land-code",
        "named only as a text translated on the SMS website",
    ),
    (
        "law:tax-code",
        "named only as a text translated on the SMS website",
    ),
    (
        "policy:draft-strategy-on-disaster-risk-reduction",
        "5.2: under discussion; no body is named for it",
    ),
    (
        "topic:disaster-risk-reduction",
        "addressed only by the unowned draft strategy",
    ),
    (
        "system:asan-visa-system",
        "6.1 names it as a way to get a visa; no operator is named",
    ),
    (
        "system:official-electronic-visa-portal",
        "footnote 53 names it; no operator is named",
    ),
    (
        "system:iom-publications-platform",
        "where MGI profiles are published; no operator is stated",
    ),
    (
        "system:migration-data-portal",
        "where MGI profiles are published; no operator is stated",
    ),
    (
        "country:ARM",
        "named in the Context as the place of the 1988-1989 expulsion only",
    ),
    (
        "country:USA",
        "named in 5.1 for a comparison of emergency numbers only",
    ),
    // Key sources headings name whom a source is listed under, not its issuer, so these
    // have no ISSUED_BY (the heading is the entity attribute `listed_under`).
    (
        "agreement:building-migration-partnerships-joint-declaration-2009",
        "listed in Key sources under the Prague Process only; no issuer or party is named",
    ),
    (
        "policy:istanbul-commitments-on-the-silk-routes-partnership-for-migration",
        "listed in Key sources under the Budapest Process only; the text does not cite it",
    ),
    (
        "international-organization:council-of-europe",
        "only the Key sources heading of the Lisbon Recognition Convention; no issuer stated",
    ),
    (
        "law:constitutional-law-on-the-commissioner-for-human-rights-ombudsman",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:law-on-border-troops",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:law-on-labour-migration",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:law-on-preschool-education",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:law-on-social-insurance",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:law-on-the-status-of-internally-displaced-persons-and-refugees",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:law-on-vocational-education",
        "a Key sources entry (under the Government of Azerbaijan) the text does not cite",
    ),
    (
        "law:family-code",
        "footnote 14 cites it on who counts as family; no body or topic is tied to it",
    ),
    (
        "law:law-on-health-insurance",
        "1.2 ties it only to health insurance and its compulsory scheme; no body is named",
    ),
    (
        "programme:compulsory-health-insurance-scheme",
        "governed by the Law on Health Insurance, itself unlinked",
    ),
    (
        "topic:health-insurance",
        "addressed only by the Law on Health Insurance, itself unlinked",
    ),
    (
        "law:law-on-targeted-state-social-assistance",
        "1.2 ties it only to its topic; no body is named for it",
    ),
    (
        "topic:targeted-state-social-assistance",
        "addressed only by the Law on Targeted State Social Assistance, itself unlinked",
    ),
];

#[test]
fn every_entity_is_reachable_from_azerbaijan() {
    let g = default_graph();
    let aze = g.entity_ix("country:AZE").expect("Azerbaijan");
    let reached = g.neighborhood(aze, u32::MAX, &EdgeFilter::listing(None), usize::MAX);
    let reached: HashSet<&str> = reached
        .entities
        .iter()
        .map(|&e| g.entity(e).id.as_str())
        .collect();
    let allowed: HashSet<&str> = UNREACHABLE_ALLOWED.iter().map(|(id, _)| *id).collect();
    let unreachable: Vec<&str> = default_dataset()
        .entities
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| !reached.contains(id) && !allowed.contains(id))
        .map(|id| g.entity(g.entity_ix(id).expect("indexed")).id.as_str())
        .collect();
    assert!(
        unreachable.is_empty(),
        "{} entities cannot be reached from Azerbaijan:\n{}",
        unreachable.len(),
        unreachable.join("\n")
    );
    for (id, reason) in UNREACHABLE_ALLOWED {
        assert!(
            !reason.is_empty() && !reached.contains(id),
            "{id} is reachable now; drop it from the allow-list"
        );
    }
}
