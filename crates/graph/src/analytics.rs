//! Questions analysts ask of the whole graph: who implements which instrument,
//! which countries and organizations are partners, what happened each year,
//! and how many agreements each country is party to.

use crate::filter::{Direction, EdgeFilter};
use crate::index::{EntityIx, Graph, RelationIx};
use govgraph_model::text::fold;
use govgraph_model::{EntityKind, RelationType};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Why an analytics question cannot be answered within the server's bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyticsError {
    /// A partnership network would have more links than the cap.
    #[error("the partnership network has more than {cap} links; narrow it with topic, since/until, asOf or kinds")]
    NetworkTooLarge {
        /// The cap that was reached.
        cap: usize,
    },
}

/// One agency–instrument pair: the agency implements or acts under the instrument,
/// directly or through a parent or a sub-body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Implementation {
    /// The acting body.
    pub agency: EntityIx,
    /// The law, policy, agreement, programme or convention.
    pub instrument: EntityIx,
    /// IMPLEMENTS, GOVERNED_BY, or whichever type was asked for.
    pub ty: RelationType,
    /// The intermediate body, when the agency acts through a parent or sub-body.
    pub via: Vec<EntityIx>,
    /// The relations that state it: the agency's PART_OF (when via is set), then
    /// the relation to the instrument.
    pub relations: Vec<RelationIx>,
}

/// Which agency–instrument pairs to list.
#[derive(Debug, Clone, Default)]
pub struct ImplementationQuery {
    /// Only pairs with this instrument.
    pub instrument: Option<EntityIx>,
    /// Only pairs with this agency.
    pub agency: Option<EntityIx>,
    /// Relation types; IMPLEMENTS and GOVERNED_BY when `None`.
    pub types: Option<Vec<RelationType>>,
    /// At most this many rows.
    pub first: usize,
}

/// Which partnerships to draw.
#[derive(Debug, Clone, Default)]
pub struct NetworkQuery {
    /// Only agreements that ADDRESS a topic whose name, alias or id contains this (folded).
    pub topic: Option<String>,
    /// Only agreements and processes of this year or later (unknown years are left out).
    pub since: Option<i32>,
    /// Only agreements and processes of this year or earlier (unknown years are left out).
    pub until: Option<i32>,
    /// Only relations in force that year, between entities that existed by then.
    pub as_of: Option<i32>,
    /// Kinds of partner; countries and international organizations when `None`.
    pub kinds: Option<Vec<EntityKind>>,
    /// Only memberships and parties stated by this profile (its id).
    pub profile: Option<String>,
}

/// A partner in a partnership network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkNode {
    /// The country or organization.
    pub entity: EntityIx,
    /// How many partners it is linked to.
    pub degree: usize,
    /// How many of the network's agreements it is party to.
    pub agreements: usize,
}

/// Two partners and what they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkEdge {
    /// The partner with the smaller position.
    pub source: EntityIx,
    /// The other partner.
    pub target: EntityIx,
    /// The agreements and processes both belong to, in id order.
    pub via: Vec<EntityIx>,
}

/// Countries and organizations linked by shared agreements and processes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Partners in id order.
    pub nodes: Vec<NetworkNode>,
    /// Links by (source, target).
    pub edges: Vec<NetworkEdge>,
}

/// What started in one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearBucket {
    /// The year.
    pub year: i32,
    /// Entities adopted, signed or established that year, in id order.
    pub entities: Vec<EntityIx>,
    /// Relations starting that year, in id order.
    pub relations: Vec<RelationIx>,
}

/// Most links a partnership network may have; a multilateral agreement with
/// many parties grows links quadratically, so the cap keeps one answer bounded.
pub const MAX_NETWORK_EDGES: usize = 50_000;

impl Graph {
    /// Agency–instrument pairs, direct ones first within each relation, in relation id order.
    pub fn implementations(&self, q: &ImplementationQuery) -> Vec<Implementation> {
        let types = q
            .types
            .clone()
            .unwrap_or_else(|| vec![RelationType::Implements, RelationType::GovernedBy]);
        let filter = EdgeFilter::listing(Some(types.clone()));
        let part_of = EdgeFilter::listing(Some(vec![RelationType::PartOf]));
        // The relations to look at: only those near the asked ends.
        let candidates: Vec<RelationIx> = match (q.instrument, q.agency) {
            (Some(i), _) => self.relations_at(i, Direction::Incoming, &filter),
            (None, Some(a)) => {
                // The agency's own relations and those of its parents and sub-bodies.
                let mut near = vec![a];
                for r in self.relations_at(a, Direction::Both, &part_of) {
                    near.push(self.other_end(r, a));
                }
                let mut out: Vec<RelationIx> = near
                    .into_iter()
                    .flat_map(|b| self.relations_at(b, Direction::Outgoing, &filter))
                    .collect();
                out.sort_unstable();
                out.dedup();
                out
            }
            (None, None) => self.relations_of(Some(&types)),
        };
        let mut rows = Vec::new();
        let mut seen: HashSet<(EntityIx, EntityIx, RelationType, Vec<EntityIx>)> = HashSet::new();
        for r in candidates {
            if crate::interrupt::interrupted() {
                break;
            }
            let (body, instrument) = self.ends(r);
            let ty = self.relation_type(r);
            if q.instrument.is_some_and(|i| i != instrument) {
                continue;
            }
            let mut push = |row: Implementation| {
                if q.agency.is_none_or(|a| a == row.agency)
                    && seen.insert((row.agency, row.instrument, row.ty, row.via.clone()))
                {
                    rows.push(row);
                }
            };
            push(Implementation {
                agency: body,
                instrument,
                ty,
                via: Vec::new(),
                relations: vec![r],
            });
            // A sub-body acts through its parent, and a parent through its sub-body.
            for p in self.relations_at(body, Direction::Both, &part_of) {
                let other = self.other_end(p, body);
                if other == body || self.has_direct(other, instrument, ty) {
                    continue;
                }
                push(Implementation {
                    agency: other,
                    instrument,
                    ty,
                    via: vec![body],
                    relations: vec![p, r],
                });
            }
            if rows.len() >= q.first {
                break;
            }
        }
        rows.truncate(q.first);
        rows
    }

    fn has_direct(&self, body: EntityIx, instrument: EntityIx, ty: RelationType) -> bool {
        self.relations_at(
            body,
            Direction::Outgoing,
            &EdgeFilter::listing(Some(vec![ty])),
        )
        .into_iter()
        .any(|r| self.ends(r).1 == instrument)
    }

    /// Partners linked when they are parties to one agreement (PARTY_TO) or
    /// members of one process (MEMBER_OF).
    pub fn partnership_network(&self, q: &NetworkQuery) -> Result<Network, AnalyticsError> {
        let kinds = q
            .kinds
            .clone()
            .unwrap_or_else(|| vec![EntityKind::Country, EntityKind::InternationalOrganization]);
        let topics = q.topic.as_deref().map(|t| self.matching_topics(t));
        let mut hubs: Vec<(EntityIx, RelationType)> = Vec::new();
        for &(kind, ty) in &[
            (EntityKind::Agreement, RelationType::PartyTo),
            (EntityKind::Process, RelationType::MemberOf),
        ] {
            // Processes address no topic, so a topic leaves only agreements.
            if topics.is_some() && kind != EntityKind::Agreement {
                continue;
            }
            let list = self.entities_of(Some(kind));
            for i in 0..list.len() {
                let Some(hub) = list.get(i) else { break };
                if self.hub_admitted(hub, q, topics.as_ref()) {
                    hubs.push((hub, ty));
                }
            }
        }
        let mut links: BTreeMap<(EntityIx, EntityIx), Vec<EntityIx>> = BTreeMap::new();
        let mut agreements: HashMap<EntityIx, usize> = HashMap::new();
        let mut members: HashSet<EntityIx> = HashSet::new();
        for (hub, ty) in hubs {
            if crate::interrupt::interrupted() {
                break;
            }
            let filter = EdgeFilter {
                as_of: q.as_of,
                profile: q.profile.clone(),
                ..EdgeFilter::listing(Some(vec![ty]))
            };
            let mut parties: Vec<EntityIx> = self
                .relations_at(hub, Direction::Incoming, &filter)
                .into_iter()
                .map(|r| self.ends(r).0)
                .filter(|&p| kinds.contains(&self.entity(p).kind) && self.existed(p, q.as_of))
                .collect();
            parties.sort_unstable();
            parties.dedup();
            for &p in &parties {
                members.insert(p);
                if ty == RelationType::PartyTo {
                    *agreements.entry(p).or_default() += 1;
                }
            }
            for (i, &a) in parties.iter().enumerate() {
                for &b in &parties[i + 1..] {
                    links.entry((a, b)).or_default().push(hub);
                    if links.len() > MAX_NETWORK_EDGES {
                        return Err(AnalyticsError::NetworkTooLarge {
                            cap: MAX_NETWORK_EDGES,
                        });
                    }
                }
            }
        }
        let mut degree: HashMap<EntityIx, usize> = HashMap::new();
        for &(a, b) in links.keys() {
            *degree.entry(a).or_default() += 1;
            *degree.entry(b).or_default() += 1;
        }
        let mut nodes: Vec<NetworkNode> = members
            .into_iter()
            .map(|e| NetworkNode {
                entity: e,
                degree: degree.get(&e).copied().unwrap_or(0),
                agreements: agreements.get(&e).copied().unwrap_or(0),
            })
            .collect();
        nodes.sort_by_key(|n| n.entity);
        let edges = links
            .into_iter()
            .map(|((source, target), mut via)| {
                via.sort_unstable();
                via.dedup();
                NetworkEdge {
                    source,
                    target,
                    via,
                }
            })
            .collect();
        Ok(Network { nodes, edges })
    }

    /// Topics whose folded name, alias or id contains the folded `query`.
    fn matching_topics(&self, query: &str) -> HashSet<EntityIx> {
        let needle = fold(query.trim());
        let list = self.entities_of(Some(EntityKind::Topic));
        (0..list.len())
            .filter_map(|i| list.get(i))
            .filter(|&t| {
                let e = self.entity(t);
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .chain(std::iter::once(&e.id))
                    .any(|name| fold(name).contains(&needle))
            })
            .collect()
    }

    fn hub_admitted(
        &self,
        hub: EntityIx,
        q: &NetworkQuery,
        topics: Option<&HashSet<EntityIx>>,
    ) -> bool {
        let year = self.entity(hub).year;
        let in_window = match (q.since, q.until, year) {
            (None, None, _) => true,
            (_, _, None) => false,
            (since, until, Some(y)) => since.is_none_or(|s| s <= y) && until.is_none_or(|u| y <= u),
        };
        if !in_window || !self.existed(hub, q.as_of) {
            return false;
        }
        match topics {
            None => true,
            Some(topics) => {
                let filter = EdgeFilter {
                    as_of: q.as_of,
                    ..EdgeFilter::listing(Some(vec![RelationType::Addresses]))
                };
                self.relations_at(hub, Direction::Outgoing, &filter)
                    .into_iter()
                    .any(|r| topics.contains(&self.ends(r).1))
            }
        }
    }

    /// Entities by their year and relations by their `since`, one bucket per year
    /// in `from..=to` that has any, each list cut at `per_year`.
    pub fn timeline(
        &self,
        from: Option<i32>,
        to: Option<i32>,
        kinds: Option<&[EntityKind]>,
        per_year: usize,
    ) -> Vec<YearBucket> {
        let in_range = |y: i32| from.is_none_or(|f| f <= y) && to.is_none_or(|t| y <= t);
        let kind_ok = |e: EntityIx| kinds.is_none_or(|k| k.contains(&self.entity(e).kind));
        let mut buckets: BTreeMap<i32, YearBucket> = BTreeMap::new();
        let bucket = |buckets: &mut BTreeMap<i32, YearBucket>, year: i32| {
            buckets.entry(year).or_insert_with(|| YearBucket {
                year,
                ..Default::default()
            });
        };
        for e in EntityIx::all(self.entity_count()) {
            if crate::interrupt::interrupted() {
                break;
            }
            if let Some(year) = self.entity(e).year.filter(|&y| in_range(y)) {
                if kind_ok(e) {
                    bucket(&mut buckets, year);
                    let b = buckets.get_mut(&year).expect("just inserted");
                    if b.entities.len() < per_year {
                        b.entities.push(e);
                    }
                }
            }
        }
        for r in RelationIx::all(self.relation_count()) {
            if crate::interrupt::interrupted() {
                break;
            }
            if let Some(year) = self.relation(r).since.filter(|&y| in_range(y)) {
                let (s, t) = self.ends(r);
                // A relation belongs to the asked kinds when either end does.
                if kind_ok(s) || kind_ok(t) {
                    bucket(&mut buckets, year);
                    let b = buckets.get_mut(&year).expect("just inserted");
                    if b.relations.len() < per_year {
                        b.relations.push(r);
                    }
                }
            }
        }
        buckets.into_values().collect()
    }

    /// Countries with the number of distinct agreements each is PARTY_TO, most first
    /// (ties in id order); countries without agreements are left out.
    pub fn agreements_by_country(&self) -> Vec<(EntityIx, usize)> {
        let filter = EdgeFilter::listing(Some(vec![RelationType::PartyTo]));
        let list = self.entities_of(Some(EntityKind::Country));
        let mut out: Vec<(EntityIx, usize)> = (0..list.len())
            .filter_map(|i| list.get(i))
            .map(|c| {
                let mut agreements: Vec<EntityIx> = self
                    .relations_at(c, Direction::Outgoing, &filter)
                    .into_iter()
                    .map(|r| self.ends(r).1)
                    .collect();
                agreements.sort_unstable();
                agreements.dedup();
                (c, agreements.len())
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_model::{Dataset, Entity, Evidence, Relation};

    fn entity(id: &str, name: &str, year: Option<i32>) -> Entity {
        let kind = match id.split(':').next() {
            Some("country") => EntityKind::Country,
            Some("agreement") => EntityKind::Agreement,
            Some("process") => EntityKind::Process,
            Some("topic") => EntityKind::Topic,
            Some("law") => EntityKind::Law,
            _ => EntityKind::Institution,
        };
        Entity {
            id: id.into(),
            kind,
            name: name.into(),
            aliases: Vec::new(),
            year,
            attributes: Default::default(),
        }
    }

    fn rel(s: &str, ty: RelationType, t: &str, since: Option<i32>) -> Relation {
        Relation {
            id: govgraph_model::relation_id(s, ty, t),
            ty,
            source: s.into(),
            target: t.into(),
            since,
            until: None,
            evidence: vec![Evidence::new("1.2", format!("{s} {ty} {t}"))],
        }
    }

    /// AZE has pension agreements with GEO (1993) and BLR (2016), a visa agreement
    /// with GEO (2000), and AZE, GEO and KAZ are members of one process. A council is
    /// part of a service that implements a code; a ministry acts under it directly.
    fn graph() -> Graph {
        use RelationType as R;
        let entities = vec![
            entity("country:AZE", "Azerbaijan", Some(1991)),
            entity("country:GEO", "Georgia", Some(1991)),
            entity("country:BLR", "Belarus", Some(1991)),
            entity("country:KAZ", "Kazakhstan", Some(1991)),
            entity("agreement:geo-pension", "Pension agreement GEO", Some(1993)),
            entity("agreement:blr-pension", "Pension agreement BLR", Some(2016)),
            entity("agreement:geo-visa", "Visa agreement GEO", Some(2000)),
            entity("process:almaty", "Almaty Process", Some(2011)),
            entity("topic:pension-provision", "Pension provision", None),
            entity("topic:visas", "Visas", None),
            entity("law:code", "Code", Some(2013)),
            entity("institution:service", "Service", None),
            entity("institution:council", "Council", None),
            entity("institution:ministry", "Ministry", None),
        ];
        let relations = vec![
            rel(
                "country:AZE",
                R::PartyTo,
                "agreement:geo-pension",
                Some(1993),
            ),
            rel(
                "country:GEO",
                R::PartyTo,
                "agreement:geo-pension",
                Some(1993),
            ),
            rel(
                "country:AZE",
                R::PartyTo,
                "agreement:blr-pension",
                Some(2016),
            ),
            rel(
                "country:BLR",
                R::PartyTo,
                "agreement:blr-pension",
                Some(2016),
            ),
            rel("country:AZE", R::PartyTo, "agreement:geo-visa", Some(2000)),
            rel("country:GEO", R::PartyTo, "agreement:geo-visa", Some(2000)),
            rel(
                "agreement:geo-pension",
                R::Addresses,
                "topic:pension-provision",
                None,
            ),
            rel(
                "agreement:blr-pension",
                R::Addresses,
                "topic:pension-provision",
                None,
            ),
            rel("agreement:geo-visa", R::Addresses, "topic:visas", None),
            rel("country:AZE", R::MemberOf, "process:almaty", None),
            rel("country:GEO", R::MemberOf, "process:almaty", None),
            rel("country:KAZ", R::MemberOf, "process:almaty", None),
            rel("institution:service", R::Implements, "law:code", None),
            rel(
                "institution:council",
                R::PartOf,
                "institution:service",
                None,
            ),
            rel("institution:ministry", R::GovernedBy, "law:code", None),
        ];
        Graph::build(Dataset {
            entities,
            relations,
            profiles: Vec::new(),
        })
        .0
    }

    fn id(g: &Graph, e: EntityIx) -> &str {
        &g.entity(e).id
    }

    /// Edges as "A-B:weight".
    fn check_network(q: NetworkQuery, expected: &[&str]) {
        let g = graph();
        let network = g.partnership_network(&q).expect("small");
        let got: Vec<String> = network
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{}-{}:{}",
                    &id(&g, e.source)[8..],
                    &id(&g, e.target)[8..],
                    e.via.len()
                )
            })
            .collect();
        assert_eq!(got, expected, "{q:?}");
    }

    #[test]
    fn network_weights_count_shared_agreements_and_processes() {
        check_network(
            NetworkQuery::default(),
            &["AZE-BLR:1", "AZE-GEO:3", "AZE-KAZ:1", "GEO-KAZ:1"],
        );
        check_network(
            NetworkQuery {
                topic: Some("pension".into()),
                ..Default::default()
            },
            &["AZE-BLR:1", "AZE-GEO:1"],
        );
        check_network(
            NetworkQuery {
                topic: Some("PENSIÓN".into()),
                until: Some(2000),
                ..Default::default()
            },
            &["AZE-GEO:1"],
        );
        check_network(
            NetworkQuery {
                as_of: Some(2012),
                ..Default::default()
            },
            &["AZE-GEO:3", "AZE-KAZ:1", "GEO-KAZ:1"],
        );
        // The process (2011) and the Belarus agreement (2016) did not exist yet.
        check_network(
            NetworkQuery {
                as_of: Some(2001),
                ..Default::default()
            },
            &["AZE-GEO:2"],
        );
        check_network(
            NetworkQuery {
                topic: Some("nothing".into()),
                ..Default::default()
            },
            &[],
        );
    }

    #[test]
    fn network_nodes_have_degree_and_agreements() {
        let g = graph();
        let network = g.partnership_network(&NetworkQuery::default()).unwrap();
        let aze = network
            .nodes
            .iter()
            .find(|n| id(&g, n.entity) == "country:AZE")
            .unwrap();
        assert_eq!((aze.degree, aze.agreements), (3, 3));
        let kaz = network
            .nodes
            .iter()
            .find(|n| id(&g, n.entity) == "country:KAZ")
            .unwrap();
        assert_eq!((kaz.degree, kaz.agreements), (2, 0));
    }

    fn check_implementations(q: ImplementationQuery, expected: &[&str]) {
        let g = graph();
        let got: Vec<String> = g
            .implementations(&q)
            .iter()
            .map(|row| {
                let via: Vec<&str> = row.via.iter().map(|&v| id(&g, v)).collect();
                format!(
                    "{} {} {} via[{}] {}",
                    id(&g, row.agency),
                    row.ty,
                    id(&g, row.instrument),
                    via.join(","),
                    row.relations.len()
                )
            })
            .collect();
        assert_eq!(got, expected, "{q:?}");
    }

    #[test]
    fn implementations_follow_part_of_one_hop() {
        let code = graph().entity_ix("law:code");
        let council = graph().entity_ix("institution:council");
        check_implementations(
            ImplementationQuery {
                first: 10,
                ..Default::default()
            },
            &[
                "institution:ministry GOVERNED_BY law:code via[] 1",
                "institution:service IMPLEMENTS law:code via[] 1",
                "institution:council IMPLEMENTS law:code via[institution:service] 2",
            ],
        );
        check_implementations(
            ImplementationQuery {
                instrument: code,
                types: Some(vec![RelationType::Implements]),
                first: 10,
                ..Default::default()
            },
            &[
                "institution:service IMPLEMENTS law:code via[] 1",
                "institution:council IMPLEMENTS law:code via[institution:service] 2",
            ],
        );
        check_implementations(
            ImplementationQuery {
                agency: council,
                first: 10,
                ..Default::default()
            },
            &["institution:council IMPLEMENTS law:code via[institution:service] 2"],
        );
        check_implementations(
            ImplementationQuery {
                first: 1,
                ..Default::default()
            },
            &["institution:ministry GOVERNED_BY law:code via[] 1"],
        );
    }

    #[test]
    fn timeline_buckets_by_year() {
        let g = graph();
        let buckets = g.timeline(Some(1993), Some(2000), None, 100);
        let years: Vec<(i32, usize, usize)> = buckets
            .iter()
            .map(|b| (b.year, b.entities.len(), b.relations.len()))
            .collect();
        assert_eq!(years, [(1993, 1, 2), (2000, 1, 2)]);
        let countries = g.timeline(None, None, Some(&[EntityKind::Country]), 100);
        assert_eq!(countries[0].year, 1991);
        assert_eq!(countries[0].entities.len(), 4);
    }

    #[test]
    fn agreements_are_counted_per_country() {
        let g = graph();
        let counts: Vec<(&str, usize)> = g
            .agreements_by_country()
            .into_iter()
            .map(|(c, n)| (id(&g, c), n))
            .collect();
        assert_eq!(
            counts,
            [("country:AZE", 3), ("country:GEO", 2), ("country:BLR", 1)]
        );
    }
}
