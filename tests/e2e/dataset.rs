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

#[test]
fn bilateral_agreements_have_both_countries_as_parties() {
    let g = default_graph();
    let mut lonely = Vec::new();
    for entity in default_dataset()
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Agreement)
    {
        let ix = g.entity_ix(&entity.id).expect("indexed");
        let parties: Vec<EntityKind> = g
            .relations_at(
                ix,
                Direction::Incoming,
                &EdgeFilter::listing(Some(vec![RelationType::PartyTo])),
            )
            .into_iter()
            .map(|r| g.entity(g.ends(r).0).kind)
            .collect();
        if parties.is_empty() {
            lonely.push(entity.id.clone());
        }
    }
    assert!(lonely.is_empty(), "agreements without parties: {lonely:?}");
}

/// Entities the profile names without tying them to Azerbaijan's graph, with why.
const UNREACHABLE_ALLOWED: &[(&str, &str)] = &[];

#[test]
fn every_entity_is_reachable_from_azerbaijan() {
    let g = default_graph();
    let aze = g.entity_ix("country:AZE").expect("Azerbaijan");
    let reached = g.neighborhood(aze, u32::MAX, &EdgeFilter::listing(None), usize::MAX);
    let reached: HashSet<&str> = reached.entities.iter().map(|&e| g.entity(e).id.as_str()).collect();
    let allowed: HashSet<&str> = UNREACHABLE_ALLOWED.iter().map(|(id, _)| *id).collect();
    let unreachable: Vec<&str> = default_dataset()
        .entities
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| !reached.contains(id) && !allowed.contains(id))
        .map(|id| g.entity(g.entity_ix(id).expect("indexed")).id.as_str())
        .collect();
    assert!(unreachable.is_empty(), "{} entities cannot be reached from Azerbaijan:\n{}", unreachable.len(), unreachable.join("\n"));
    for (id, reason) in UNREACHABLE_ALLOWED {
        assert!(!reason.is_empty() && !reached.contains(id), "{id} is reachable now; drop it from the allow-list");
    }
}
