//! Analytics entry points: implementations, partnership networks, k shortest
//! paths, centrality rankings, a timeline and exports. The algorithms live in
//! the graph and export crates; this module checks arguments against the caps
//! and maps results onto GraphQL types.

use crate::enums::{model_kinds, model_types, EntityKind, RelationType};
use crate::error::{bounded, optional_entity, require_entity, ErrorCode};
use crate::views::{graph, Entity, Evidence, Path, Relation};
use crate::{MAX_FIRST, MAX_NEIGHBORHOOD_DEPTH, MAX_NEIGHBORHOOD_NODES, MAX_PATH_DEPTH};
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use govgraph_export::Selection;
use govgraph_graph::{
    EdgeFilter, EntityIx, Graph, ImplementationQuery, Measure, NetworkQuery, RelationIx,
};

/// Most paths one `paths` query returns: each costs up to maxDepth searches.
pub const MAX_PATHS: i32 = 50;
/// Most entities or relations a whole-graph export over GraphQL may hold; a larger
/// graph is exported around a `center`, or in full with `govgraph export`.
pub const MAX_EXPORT_ITEMS: usize = 20_000;
/// Most entities and most relations listed per year of a timeline.
pub const MAX_PER_YEAR: usize = 500;

/// How `centrality` gets its rankings (see `Limits::centrality_warmed_up`).
pub(crate) struct CentralityPolicy {
    /// Answer only from rankings computed beforehand.
    pub(crate) warmed_up: bool,
}

/// The arguments of a path search (`path`, `paths`), checked.
pub(crate) struct PathSearch {
    /// The entities the paths start and end at.
    pub(crate) ends: (EntityIx, EntityIx),
    /// The longest path searched, in relations.
    pub(crate) max_depth: u32,
    /// The relations a path may use.
    pub(crate) filter: EdgeFilter,
}

impl PathSearch {
    /// Checks the ends `from` and `to`, `maxDepth` and the filters.
    pub(crate) fn checked(
        g: &Graph,
        (from, to): (&str, &str),
        max_depth: Option<i32>,
        types: Option<Vec<RelationType>>,
        as_of: Option<i32>,
        profile: Option<ID>,
    ) -> Result<PathSearch> {
        let ends = (
            require_entity(g, "from", from)?,
            require_entity(g, "to", to)?,
        );
        let max_depth = bounded(
            "maxDepth",
            max_depth.unwrap_or(crate::defaults::PATH_DEPTH),
            MAX_PATH_DEPTH,
        )?;
        let filter = EdgeFilter {
            as_of,
            profile: crate::profiles::profile_filter(g, profile)?,
            ..EdgeFilter::traversal(model_types(types))
        };
        Ok(PathSearch {
            ends,
            max_depth: max_depth as u32,
            filter,
        })
    }
}

/// Analytics over the whole graph.
#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// Which body implements or acts under which instrument, with the evidence. Without arguments, every pair (IMPLEMENTS and GOVERNED_BY). Bodies acting through a parent or a sub-body (PART_OF) are listed with that body in via.
    #[graphql(
        complexity = "crate::cost::list(first, crate::defaults::IMPLEMENTATIONS, child_complexity)"
    )]
    async fn implementations(
        &self,
        ctx: &Context<'_>,
        instrument: Option<ID>,
        agency: Option<ID>,
        #[graphql(desc = "Relation types to follow; IMPLEMENTS and GOVERNED_BY when omitted.")]
        types: Option<Vec<RelationType>>,
        #[graphql(
            default_with = "Some(crate::defaults::IMPLEMENTATIONS)",
            desc = "At most this many rows (at most 500)."
        )]
        first: Option<i32>,
    ) -> Result<Vec<Implementation>> {
        let g = graph(ctx);
        let query = ImplementationQuery {
            instrument: optional_entity(
                g,
                "instrument",
                instrument.as_ref().map(|id| id.as_str()),
            )?,
            agency: optional_entity(g, "agency", agency.as_ref().map(|id| id.as_str()))?,
            types: model_types(types),
            first: bounded(
                "first",
                first.unwrap_or(crate::defaults::IMPLEMENTATIONS),
                MAX_FIRST,
            )?,
        };
        Ok(g.implementations(&query)
            .into_iter()
            .map(|row| Implementation {
                agency: Entity(row.agency),
                instrument: Entity(row.instrument),
                ty: row.ty.into(),
                via: row.via.into_iter().map(Entity).collect(),
                relations: row.relations,
            })
            .collect())
    }

    /// Countries and organizations (or the given kinds) linked when they are parties to one agreement or members of one process. topic keeps agreements that ADDRESS a matching topic ("pension" matches "Pension provision"); since and until bound the agreement's or process's year.
    #[graphql(complexity = "500 * child_complexity + 1")]
    async fn partnership_network(
        &self,
        ctx: &Context<'_>,
        topic: Option<String>,
        since: Option<i32>,
        until: Option<i32>,
        #[graphql(
            desc = "Only relations in force that year, between entities that existed by then."
        )]
        as_of: Option<i32>,
        kinds: Option<Vec<EntityKind>>,
        #[graphql(desc = "Only parties and memberships this profile states (its id).")]
        profile: Option<ID>,
    ) -> Result<Network> {
        let g = graph(ctx);
        let query = NetworkQuery {
            topic,
            since,
            until,
            as_of,
            kinds: model_kinds(kinds),
            profile: crate::profiles::profile_filter(g, profile)?,
        };
        let network = g
            .partnership_network(&query)
            .map_err(|e| ErrorCode::BadUserInput.error(e.to_string()))?;
        Ok(Network {
            nodes: network
                .nodes
                .into_iter()
                .map(|n| NetworkNode {
                    entity: Entity(n.entity),
                    degree: n.degree as i32,
                    agreements: n.agreements as i32,
                })
                .collect(),
            edges: network
                .edges
                .into_iter()
                .map(|e| NetworkEdge {
                    source: Entity(e.source),
                    target: Entity(e.target),
                    weight: e.via.len() as i32,
                    via: e.via.into_iter().map(Entity).collect(),
                })
                .collect(),
        })
    }

    /// The k shortest simple paths (Yen's algorithm), shortest first, each with a different sequence of entities. Relation direction is ignored; NOT_RATIFIED is left out unless asked for in types.
    #[graphql(complexity = "crate::cost::paths(limit, max_depth, child_complexity)")]
    async fn paths(
        &self,
        ctx: &Context<'_>,
        from: ID,
        to: ID,
        #[graphql(
            default_with = "Some(crate::defaults::PATH_DEPTH)",
            desc = "Longest path in relations (at most 8)."
        )]
        max_depth: Option<i32>,
        types: Option<Vec<RelationType>>,
        #[graphql(
            default_with = "Some(crate::defaults::PATHS)",
            desc = "How many paths (at most 50)."
        )]
        limit: Option<i32>,
        #[graphql(
            desc = "Only relations in force that year, between entities that existed by then."
        )]
        as_of: Option<i32>,
        #[graphql(desc = "Only relations with evidence from this profile (its id).")]
        profile: Option<ID>,
        #[graphql(
            desc = "Entities no path may pass through (hubs, say); from and to themselves are never avoided."
        )]
        avoid: Option<Vec<ID>>,
    ) -> Result<Vec<Path>> {
        let g = graph(ctx);
        let search = PathSearch::checked(g, (&from, &to), max_depth, types, as_of, profile)?;
        let limit = bounded("limit", limit.unwrap_or(crate::defaults::PATHS), MAX_PATHS)?;
        let avoid = avoid.unwrap_or_default();
        if avoid.len() > MAX_FIRST as usize {
            return Err(ErrorCode::BadUserInput.error(format!(
                "`avoid` lists {} entities, more than {MAX_FIRST}",
                avoid.len()
            )));
        }
        let avoid = avoid
            .iter()
            .map(|id| require_entity(g, "avoid", id))
            .collect::<Result<std::collections::HashSet<_>>>()?;
        let (f, t) = search.ends;
        Ok(g.k_shortest_paths_avoiding(
            f,
            t,
            (limit, search.max_depth),
            false,
            &search.filter,
            &avoid,
        )
        .into_iter()
        .map(Path)
        .collect())
    }

    /// Entities ranked by a centrality measure, best first. Computed once per dataset; NOT_RATIFIED is left out.
    #[graphql(complexity = "crate::cost::list(first, crate::defaults::RANKED, child_complexity)")]
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        measure: CentralityMeasure,
        #[graphql(desc = "Only entities of these kinds.")] kinds: Option<Vec<EntityKind>>,
        #[graphql(default_with = "Some(crate::defaults::RANKED)")] first: Option<i32>,
    ) -> Result<Vec<Ranked>> {
        let g = graph(ctx);
        let first = bounded("first", first.unwrap_or(crate::defaults::RANKED), MAX_FIRST)?;
        let kinds = model_kinds(kinds);
        let measure = match measure {
            CentralityMeasure::Degree => Measure::Degree,
            CentralityMeasure::Betweenness => Measure::Betweenness,
            CentralityMeasure::Closeness => Measure::Closeness,
            CentralityMeasure::Pagerank => Measure::PageRank,
        };
        let warmed_up = ctx
            .data::<CentralityPolicy>()
            .is_ok_and(|policy| policy.warmed_up);
        if warmed_up && !g.centrality_ready(measure) {
            return Err(ErrorCode::WarmingUp.error(
                "centrality rankings are still being computed (once, when the server starts); try again in a few seconds",
            ));
        }
        Ok(g.top_central(measure, first, |e| {
            kinds.as_ref().is_none_or(|k| k.contains(&g.entity(e).kind))
        })
        .into_iter()
        .map(|(e, score)| Ranked {
            entity: Entity(e),
            score,
        })
        .collect())
    }

    /// Per year: entities adopted, signed or established (their year) and relations starting (their since). Years without either are left out; each list holds at most 500 items.
    #[graphql(complexity = "crate::cost::timeline(child_complexity)")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        from: Option<i32>,
        to: Option<i32>,
        #[graphql(
            desc = "Only entities of these kinds, and relations with an end of these kinds."
        )]
        kinds: Option<Vec<EntityKind>>,
    ) -> Vec<YearBucket> {
        let g = graph(ctx);
        let kinds = model_kinds(kinds);
        g.timeline(from, to, kinds.as_deref(), MAX_PER_YEAR)
            .into_iter()
            .map(|b| YearBucket {
                year: b.year,
                entities: b.entities.into_iter().map(Entity).collect(),
                relations: b.relations.into_iter().map(Relation).collect(),
            })
            .collect()
    }

    /// The whole graph, the neighbourhood of center (depth hops), or the entities listed in ids, as GraphML, GEXF 1.3, Cytoscape JSON or DOT, with each node's colour, shape and size as the explorer draws it, and its position when given.
    #[graphql(
        complexity = "crate::cost::export(center.is_some(), depth, ids.as_ref().map(Vec::len))"
    )]
    #[allow(clippy::too_many_arguments)] // GraphQL arguments, one per parameter.
    async fn export(
        &self,
        ctx: &Context<'_>,
        format: ExportFormat,
        center: Option<ID>,
        #[graphql(
            default_with = "Some(crate::defaults::DEPTH)",
            desc = "Hops around center (at most 4)."
        )]
        depth: Option<i32>,
        types: Option<Vec<RelationType>>,
        #[graphql(
            desc = "Exactly these entities (instead of center), and the relations among them unless relations is given."
        )]
        ids: Option<Vec<ID>>,
        #[graphql(desc = "With ids: exactly these relations (each between two listed entities).")]
        relations: Option<Vec<ID>>,
        #[graphql(
            desc = "Where entities were drawn (screen coordinates, y down); written into the file."
        )]
        positions: Option<Vec<NodePosition>>,
    ) -> Result<String> {
        let g = graph(ctx);
        let types = model_types(types);
        let mut selection = match (ids, center) {
            (Some(_), Some(_)) => {
                return Err(ErrorCode::BadUserInput.error("give `center` or `ids`, not both"))
            }
            (Some(ids), None) => listed_selection(g, &ids, relations, types.as_deref())?,
            (None, center) => {
                if relations.is_some() {
                    return Err(ErrorCode::BadUserInput.error("`relations` needs `ids`"));
                }
                centred_selection(g, center, depth, types)?
            }
        };
        for position in positions.unwrap_or_default() {
            let e = require_entity(g, "positions", &position.id)?;
            if !(position.x.is_finite() && position.y.is_finite()) {
                return Err(ErrorCode::BadUserInput.error(format!(
                    "the position of `{}` is not a finite number",
                    position.id.as_str()
                )));
            }
            selection.positions.insert(e, (position.x, position.y));
        }
        govgraph_export::export(g, &selection, format.into())
            .map_err(|e| async_graphql::Error::new(e.to_string()))
    }
}

/// Where the explorer drew an entity.
#[derive(InputObject)]
pub(crate) struct NodePosition {
    /// The entity's id.
    id: ID,
    /// Horizontal position.
    x: f64,
    /// Vertical position, growing downwards.
    y: f64,
}

/// The entities `ids` and the relations `relations` (or all among them).
fn listed_selection(
    g: &govgraph_graph::Graph,
    ids: &[ID],
    relations: Option<Vec<ID>>,
    types: Option<&[govgraph_model::RelationType]>,
) -> Result<Selection> {
    if ids.len() > MAX_EXPORT_ITEMS {
        return Err(ErrorCode::BadUserInput.error(format!(
            "{} ids, more than the {MAX_EXPORT_ITEMS} an export over GraphQL holds",
            ids.len()
        )));
    }
    let mut entities = Vec::with_capacity(ids.len());
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        let e = require_entity(g, "ids", id)?;
        if seen.insert(e) {
            entities.push(e);
        }
    }
    let Some(relations) = relations else {
        return Ok(Selection::among(g, entities, types));
    };
    let mut listed = Vec::with_capacity(relations.len());
    for id in &relations {
        let r = g.relation_ix(id).ok_or_else(|| {
            ErrorCode::NotFound.error(format!(
                "no relation has the id `{}` (argument `relations`)",
                id.as_str()
            ))
        })?;
        let (s, t) = g.ends(r);
        if !seen.contains(&s) || !seen.contains(&t) {
            return Err(ErrorCode::BadUserInput.error(format!(
                "relation `{}` has an end that is not in `ids`",
                id.as_str()
            )));
        }
        listed.push(r);
    }
    listed.sort_unstable();
    listed.dedup();
    Ok(Selection {
        entities,
        relations: listed,
        positions: Default::default(),
    })
}

/// The neighbourhood of `center`, or the whole graph.
fn centred_selection(
    g: &govgraph_graph::Graph,
    center: Option<ID>,
    depth: Option<i32>,
    types: Option<Vec<govgraph_model::RelationType>>,
) -> Result<Selection> {
    Ok(
        match optional_entity(g, "center", center.as_ref().map(|id| id.as_str()))? {
            Some(centre) => {
                let depth = bounded(
                    "depth",
                    depth.unwrap_or(crate::defaults::DEPTH),
                    MAX_NEIGHBORHOOD_DEPTH,
                )?;
                let filter = EdgeFilter::listing(types);
                Selection::from(g.neighborhood(
                    centre,
                    depth as u32,
                    &filter,
                    MAX_NEIGHBORHOOD_NODES,
                ))
            }
            None => {
                let size = g.entity_count() + g.count_relations_of(types.as_deref());
                if size > MAX_EXPORT_ITEMS {
                    return Err(ErrorCode::BadUserInput.error(format!(
                    "the whole graph has {size} entities and relations, more than the {MAX_EXPORT_ITEMS} an export over GraphQL holds; give a `center` or `ids`, or use `govgraph export`"
                )));
                }
                Selection::whole(g, types.as_deref())
            }
        },
    )
}

/// A centrality measure.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CentralityMeasure {
    /// Distinct neighbours over n - 1 (relations read as undirected).
    Degree,
    /// Normalized share of shortest paths between other entities passing through (undirected).
    Betweenness,
    /// Inverse mean distance to reachable entities, scaled by the share reached (undirected).
    Closeness,
    /// PageRank (damping 0.85) along relation direction.
    Pagerank,
}

/// A file format of `export`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "govgraph_export::Format")]
pub enum ExportFormat {
    /// GraphML 1.0 (Gephi, yEd, NetworkX); evidence as an edge attribute.
    #[graphql(name = "GRAPHML")]
    GraphMl,
    /// GEXF 1.3 (Gephi); evidence as an edge attribute.
    Gexf,
    /// Cytoscape JSON: { "elements": { "nodes", "edges" } }.
    CytoscapeJson,
    /// Graphviz DOT.
    Dot,
}

/// A body and an instrument it implements or acts under.
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct Implementation {
    /// The acting body.
    agency: Entity,
    /// The instrument.
    instrument: Entity,
    /// IMPLEMENTS, GOVERNED_BY, or the type asked for.
    #[graphql(name = "type")]
    ty: RelationType,
    /// The parent or sub-body the agency acts through; empty when it acts directly.
    via: Vec<Entity>,
    #[graphql(skip)]
    relations: Vec<RelationIx>,
}

#[async_graphql::ComplexObject]
impl Implementation {
    /// The evidence of every relation involved: the PART_OF hop (when via is set), then the relation to the instrument.
    async fn evidence(&self, ctx: &Context<'_>) -> Vec<Evidence> {
        let g = graph(ctx);
        self.relations
            .iter()
            .flat_map(|&r| g.relation(r).evidence)
            .map(Evidence::from)
            .collect()
    }
}

/// A partnership network.
#[derive(SimpleObject)]
pub(crate) struct Network {
    /// Partners, in id order.
    nodes: Vec<NetworkNode>,
    /// Links between partners.
    edges: Vec<NetworkEdge>,
}

/// A partner in a network.
#[derive(SimpleObject)]
pub(crate) struct NetworkNode {
    /// The country or organization.
    entity: Entity,
    /// Number of partners it is linked to.
    degree: i32,
    /// Number of the network's agreements it is party to.
    agreements: i32,
}

/// Two partners and the agreements and processes they share.
#[derive(SimpleObject)]
pub(crate) struct NetworkEdge {
    /// One partner.
    source: Entity,
    /// The other partner.
    target: Entity,
    /// Number of shared agreements and processes.
    weight: i32,
    /// The shared agreements and processes.
    via: Vec<Entity>,
}

/// An entity and its score.
#[derive(SimpleObject)]
pub(crate) struct Ranked {
    /// The entity.
    entity: Entity,
    /// Its score under the measure.
    score: f64,
}

/// What started in one year.
#[derive(SimpleObject)]
pub(crate) struct YearBucket {
    /// The year.
    year: i32,
    /// Entities adopted, signed or established that year.
    entities: Vec<Entity>,
    /// Relations starting that year.
    relations: Vec<Relation>,
}

/// How many agreements one country is party to.
#[derive(SimpleObject)]
pub(crate) struct CountryCount {
    /// The country.
    pub country: Entity,
    /// Number of distinct agreements it is PARTY_TO.
    pub count: i32,
}

/// Countries by the number of agreements they are party to, most first.
pub(crate) fn agreements_by_country(g: &Graph) -> Vec<CountryCount> {
    g.agreements_by_country()
        .into_iter()
        .map(|(c, n)| CountryCount {
            country: Entity(c),
            count: n as i32,
        })
        .collect()
}
