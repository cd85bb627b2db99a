//! Traversals on a small hand-made graph.

use govgraph_graph::{Direction, EdgeFilter, Graph};
use govgraph_model::{relation_id, Dataset, Entity, EntityKind, Evidence, Relation, RelationType};

fn entity(id: &str, kind: EntityKind, name: &str, aliases: &[&str]) -> Entity {
    Entity {
        id: id.into(),
        kind,
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        year: None,
        attributes: Default::default(),
    }
}

fn relation(source: &str, ty: RelationType, target: &str) -> Relation {
    Relation {
        id: relation_id(source, ty, target),
        ty,
        source: source.into(),
        target: target.into(),
        since: None,
        until: None,
        evidence: vec![Evidence {
            section: "1.2".into(),
            quote: "q".into(),
            profile: None,
        }],
    }
}

/// council -PART_OF-> sms -GOVERNED_BY-> code <-IMPLEMENTS- ministry; AZE -NOT_RATIFIED-> c97; AZE -RATIFIED-> crc
fn sample() -> Graph {
    use EntityKind::*;
    use RelationType::*;
    let dataset = Dataset {
        entities: vec![
            entity("institution:council", Institution, "Public Council", &[]),
            entity(
                "institution:sms",
                Institution,
                "State Migration Service",
                &["SMS"],
            ),
            entity("law:code", Law, "Migration Code", &[]),
            entity(
                "institution:ministry",
                Institution,
                "Ministry of Labour",
                &[],
            ),
            entity("country:AZE", Country, "Azerbaijan", &[]),
            entity("country:TUR", Country, "Türkiye", &["Turkey"]),
            entity("convention:c97", Convention, "Convention 97", &[]),
            entity(
                "convention:crc",
                Convention,
                "Convention on the Rights of the Child",
                &["CRC"],
            ),
        ],
        relations: vec![
            relation("institution:council", PartOf, "institution:sms"),
            relation("institution:sms", GovernedBy, "law:code"),
            relation("institution:ministry", Implements, "law:code"),
            relation("country:AZE", NotRatified, "convention:c97"),
            relation("country:TUR", NotRatified, "convention:c97"),
            relation("country:AZE", Ratified, "convention:crc"),
        ],
        profiles: Vec::new(),
    };
    Graph::build(dataset).0
}

fn check_path(
    from: &str,
    to: &str,
    directed: bool,
    types: Option<Vec<RelationType>>,
    expected: Option<&[&str]>,
) {
    let g = sample();
    let (f, t) = (g.entity_ix(from).unwrap(), g.entity_ix(to).unwrap());
    let found = g.shortest_path(f, t, 6, directed, &EdgeFilter::traversal(types));
    let ids: Option<Vec<&str>> = found.as_ref().map(|p| {
        p.entities
            .iter()
            .map(|&e| g.entity(e).id.as_str())
            .collect()
    });
    assert_eq!(ids.as_deref(), expected, "{from} -> {to}");
    if let Some(p) = found {
        assert_eq!(p.relations.len() + 1, p.entities.len());
        for (i, &r) in p.relations.iter().enumerate() {
            let (s, t) = g.ends(r);
            let pair = [p.entities[i], p.entities[i + 1]];
            assert!(
                pair == [s, t] || pair == [t, s],
                "hop {i} is not relation {r}"
            );
        }
    }
}

#[test]
fn shortest_paths() {
    use RelationType::*;
    check_path(
        "institution:council",
        "institution:ministry",
        false,
        None,
        Some(&[
            "institution:council",
            "institution:sms",
            "law:code",
            "institution:ministry",
        ]),
    );
    check_path(
        "institution:council",
        "institution:ministry",
        true,
        None,
        None,
    );
    check_path(
        "institution:council",
        "law:code",
        true,
        None,
        Some(&["institution:council", "institution:sms", "law:code"]),
    );
    check_path(
        "institution:council",
        "institution:ministry",
        false,
        Some(vec![PartOf, GovernedBy]),
        None,
    );
    // NOT_RATIFIED is left out unless asked for.
    check_path("country:AZE", "country:TUR", false, None, None);
    check_path(
        "country:AZE",
        "country:TUR",
        false,
        Some(vec![NotRatified]),
        Some(&["country:AZE", "convention:c97", "country:TUR"]),
    );
    check_path("law:code", "law:code", false, None, Some(&["law:code"]));
}

#[test]
fn max_depth_bounds_the_search() {
    let g = sample();
    let (f, t) = (
        g.entity_ix("institution:council").unwrap(),
        g.entity_ix("institution:ministry").unwrap(),
    );
    assert!(g
        .shortest_path(f, t, 2, false, &EdgeFilter::default())
        .is_none());
    assert_eq!(
        g.shortest_path(f, t, 3, false, &EdgeFilter::default())
            .map(|p| p.relations.len()),
        Some(3)
    );
}

#[test]
fn neighbours_and_neighbourhoods() {
    let g = sample();
    let code = g.entity_ix("law:code").unwrap();
    let incoming = g.relations_at(code, Direction::Incoming, &EdgeFilter::listing(None));
    assert_eq!(incoming.len(), 2);
    let outgoing = g.relations_at(code, Direction::Outgoing, &EdgeFilter::listing(None));
    assert!(outgoing.is_empty());
    let one = g.neighborhood(code, 1, &EdgeFilter::listing(None), 100);
    assert_eq!(one.entities.len(), 3);
    assert_eq!(one.relations.len(), 2);
    let two = g.neighborhood(code, 2, &EdgeFilter::listing(None), 100);
    assert_eq!(two.entities.len(), 4);
    assert_eq!(two.relations.len(), 3);
    let capped = g.neighborhood(code, 2, &EdgeFilter::listing(None), 2);
    assert!(capped.truncated);
    assert_eq!(capped.entities.len(), 2);
}

fn check_search(query: &str, expected_first: Option<&str>) {
    let g = sample();
    let hits = g.search(query, None, 5);
    assert_eq!(
        hits.first().map(|h| g.entity(h.entity).id.as_str()),
        expected_first,
        "query {query:?}"
    );
}

#[test]
fn search_ignores_case_diacritics_and_typos() {
    check_search("Migration Code", Some("law:code"));
    check_search("Migraton Code", Some("law:code"));
    check_search("turkiye", Some("country:TUR"));
    check_search("TURKEY", Some("country:TUR"));
    check_search("sms", Some("institution:sms"));
    check_search("crc", Some("convention:crc"));
    check_search("xyzzy", None);
    let g = sample();
    let only_laws = g.search("Migration", Some(&[EntityKind::Law]), 5);
    assert!(only_laws
        .iter()
        .all(|h| g.entity(h.entity).kind == EntityKind::Law));
}

#[test]
fn interrupted_work_stops_and_uninterrupted_work_is_whole() {
    use govgraph_graph::{Interrupt, Measure};
    let g = sample();
    let ix = |id: &str| g.entity_ix(id).expect(id);
    let (council, code) = (ix("institution:council"), ix("law:code"));
    let filter = EdgeFilter::traversal(None);
    let search = |g: &Graph| g.search("migration", None, 10).len();
    let paths = |g: &Graph| {
        g.k_shortest_paths(council, code, 5, 6, false, &filter)
            .len()
    };
    let reach = |g: &Graph| g.bfs(council, 6, &filter, usize::MAX).0.len();

    let running = Interrupt::new(None);
    let whole = running.run(|| (search(&g), paths(&g), reach(&g)));
    assert_eq!(whole, (search(&g), paths(&g), reach(&g)));
    assert!(whole.0 > 0 && whole.1 > 0 && whole.2 > 2, "{whole:?}");

    let stopped = Interrupt::new(None);
    stopped.raise();
    // Nothing beyond the start is reached once the work is told to stop.
    assert_eq!(
        stopped.run(|| (search(&g), paths(&g), reach(&g))),
        (0, 0, 1)
    );

    assert!(!g.centrality_ready(Measure::Closeness));
    g.warm_centrality();
    assert!(Measure::ALL.iter().all(|&m| g.centrality_ready(m)));
}
