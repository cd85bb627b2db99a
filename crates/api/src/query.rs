//! The query root: the contract's entry points.

use crate::connection::{
    page_entities, page_relations, Connection, EntityConnection, RelationConnection,
};
use crate::cursor::{self, CursorKind};
use crate::enums::{model_kinds, model_types, EntityKind, RelationType};
use crate::error::{bounded, require_entity};
use crate::views::{graph, Entity, Path, Relation, Subgraph};
use crate::{MAX_FIRST, MAX_NEIGHBORHOOD_DEPTH, MAX_NEIGHBORHOOD_NODES};
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use govgraph_graph::{EdgeFilter, EntityIx, EntityList, RelationIx};

/// The contract's entry points, and counts.
#[derive(Default)]
pub struct CoreQuery;

/// Bounds a search's cost before it runs: its length and its distinct words.
fn check_search(query: &str) -> Result<()> {
    let chars = query.chars().count();
    if chars > crate::MAX_SEARCH_CHARS {
        return Err(crate::ErrorCode::BadUserInput.error(format!(
            "`query` is {chars} characters long; at most {} are searched",
            crate::MAX_SEARCH_CHARS
        )));
    }
    let words: std::collections::HashSet<String> = query
        .split_whitespace()
        .map(govgraph_model::text::fold)
        .collect();
    if words.len() > crate::MAX_SEARCH_WORDS {
        return Err(crate::ErrorCode::BadUserInput.error(format!(
            "`query` has {} distinct words; at most {} are searched",
            words.len(),
            crate::MAX_SEARCH_WORDS
        )));
    }
    Ok(())
}

#[Object]
impl CoreQuery {
    /// null when no entity has this id.
    async fn entity(&self, ctx: &Context<'_>, id: ID) -> Option<Entity> {
        graph(ctx).entity_ix(&id).map(Entity)
    }

    /// Ranked by relevance. Matches names and aliases, ignores case and diacritics ("Turkiye" finds "Türkiye"), tolerates small typos.
    #[graphql(complexity = "crate::cost::search(&query, first, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        kinds: Option<Vec<EntityKind>>,
        #[graphql(default_with = "Some(crate::defaults::SEARCH_HITS)")] first: Option<i32>,
    ) -> Result<Vec<Entity>> {
        let first = bounded(
            "first",
            first.unwrap_or(crate::defaults::SEARCH_HITS),
            MAX_FIRST,
        )?;
        check_search(&query)?;
        let kinds = model_kinds(kinds);
        Ok(graph(ctx)
            .search(&query, kinds.as_deref(), first)
            .into_iter()
            .map(|h| Entity(h.entity))
            .collect())
    }

    /// Every entity, or every entity of one kind, in id order, page by page.
    #[graphql(complexity = "crate::cost::list(first, crate::defaults::PAGE, child_complexity)")]
    async fn entities(
        &self,
        ctx: &Context<'_>,
        kind: Option<EntityKind>,
        #[graphql(default_with = "Some(crate::defaults::PAGE)")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Only entities that relations of this profile (its id) touch.")]
        profile: Option<ID>,
    ) -> Result<EntityConnection> {
        let g = graph(ctx);
        let first = first.unwrap_or(crate::defaults::PAGE);
        let kind: Option<govgraph_model::EntityKind> = kind.map(Into::into);
        match crate::profiles::profile_filter(g, profile)? {
            None => page_entities(g, g.entities_of(kind), first, after.as_deref()),
            Some(profile) => {
                let members: Vec<EntityIx> = g
                    .profile_entities(&profile)
                    .unwrap_or(&[])
                    .iter()
                    .copied()
                    .filter(|&e| kind.is_none_or(|k| g.entity(e).kind == k))
                    .collect();
                page_entities(g, EntityList::Subset(&members), first, after.as_deref())
            }
        }
    }

    /// Every relation, or every relation of some types, in id order, page by page.
    #[graphql(complexity = "crate::cost::list(first, crate::defaults::PAGE, child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        types: Option<Vec<RelationType>>,
        #[graphql(default_with = "Some(crate::defaults::PAGE)")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Only relations with evidence from this profile (its id).")]
        profile: Option<ID>,
    ) -> Result<RelationConnection> {
        let g = graph(ctx);
        let first = first.unwrap_or(crate::defaults::PAGE);
        let types = model_types(types);
        match crate::profiles::profile_filter(g, profile)? {
            // The graph keeps relations by type in id order: a page is a slice.
            None => {
                let first = bounded("first", first, MAX_FIRST)?;
                let after = after
                    .map(|c| cursor::decode(CursorKind::Relation, &c))
                    .transpose()?;
                let (page, more) = g.relations_page(types.as_deref(), after.as_deref(), first);
                let total = g.count_relations_of(types.as_deref());
                Ok(Connection::new(
                    g,
                    page.into_iter().map(Relation),
                    more,
                    total,
                ))
            }
            Some(profile) => {
                let members: Vec<RelationIx> = g
                    .profile_relations(&profile)
                    .unwrap_or(&[])
                    .iter()
                    .copied()
                    .filter(|&r| {
                        types
                            .as_ref()
                            .is_none_or(|t| t.contains(&g.relation_type(r)))
                    })
                    .collect();
                page_relations(g, &members, first, after.as_deref())
            }
        }
    }

    /// Shortest path; relation direction is ignored unless directed is true. null when none within maxDepth.
    async fn path(
        &self,
        ctx: &Context<'_>,
        from: ID,
        to: ID,
        #[graphql(default_with = "Some(crate::defaults::PATH_DEPTH)")] max_depth: Option<i32>,
        types: Option<Vec<RelationType>>,
        #[graphql(default_with = "Some(false)")] directed: Option<bool>,
        #[graphql(
            desc = "Only relations in force that year, between entities that existed by then."
        )]
        as_of: Option<i32>,
        #[graphql(desc = "Only relations with evidence from this profile (its id).")]
        profile: Option<ID>,
    ) -> Result<Option<Path>> {
        let g = graph(ctx);
        let search = crate::analytics::PathSearch::checked(
            g,
            (&from, &to),
            max_depth,
            types,
            as_of,
            profile,
        )?;
        let (f, t) = search.ends;
        let directed = directed.unwrap_or(false);
        let found = g.shortest_path(f, t, search.max_depth, directed, &search.filter);
        Ok(found.map(Path))
    }

    /// The entity, every entity within depth hops (either direction), and the relations among them.
    #[graphql(complexity = "200 * child_complexity + 1")]
    async fn neighborhood(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default_with = "Some(crate::defaults::DEPTH)")] depth: Option<i32>,
        types: Option<Vec<RelationType>>,
        #[graphql(
            desc = "Only relations in force that year, between entities that existed by then."
        )]
        as_of: Option<i32>,
        #[graphql(desc = "Only relations with evidence from this profile (its id).")]
        profile: Option<ID>,
    ) -> Result<Subgraph> {
        let g = graph(ctx);
        let centre = require_entity(g, "id", &id)?;
        let depth = bounded(
            "depth",
            depth.unwrap_or(crate::defaults::DEPTH),
            MAX_NEIGHBORHOOD_DEPTH,
        )?;
        let filter = EdgeFilter {
            as_of,
            profile: crate::profiles::profile_filter(g, profile)?,
            ..EdgeFilter::listing(model_types(types))
        };
        let found = g.neighborhood(centre, depth as u32, &filter, MAX_NEIGHBORHOOD_NODES);
        Ok(Subgraph {
            entities: found.entities,
            relations: found.relations,
            truncated: found.truncated,
        })
    }

    /// One relation by id; null when none has it.
    async fn relation(&self, ctx: &Context<'_>, id: ID) -> Option<Relation> {
        graph(ctx).relation_ix(&id).map(Relation)
    }

    /// The paragraph of the source profile that holds a quote (evidence's quote, compared with markup removed and white space collapsed), preferring one in section; null when the server holds no profile text or no paragraph holds the quote.
    async fn quote_context(
        &self,
        ctx: &Context<'_>,
        quote: String,
        section: Option<String>,
    ) -> Result<Option<QuoteContext>> {
        const MAX_QUOTE_CHARS: usize = 10_000;
        if quote.chars().count() > MAX_QUOTE_CHARS {
            return Err(crate::error::ErrorCode::BadUserInput.error(format!(
                "a quote of more than {MAX_QUOTE_CHARS} characters cannot be in one paragraph"
            )));
        }
        Ok(crate::views::mentions(ctx)
            .context(&quote, section.as_deref())
            .map(|c| QuoteContext {
                section: c.section,
                paragraph: c.paragraph,
                start: i32::try_from(c.start).unwrap_or(i32::MAX),
                end: i32::try_from(c.end).unwrap_or(i32::MAX),
            }))
    }

    /// Counts of the dataset: entities by kind and relations by type.
    async fn stats(&self, ctx: &Context<'_>) -> Stats {
        let g = graph(ctx);
        Stats {
            entities: g.entity_count() as i32,
            relations: g.relation_count() as i32,
            by_kind: g
                .kind_counts()
                .into_iter()
                .map(|(k, n)| KindCount {
                    kind: k.into(),
                    count: n as i32,
                })
                .collect(),
            by_type: g
                .type_counts()
                .into_iter()
                .map(|(t, n)| TypeCount {
                    relation_type: t.into(),
                    count: n as i32,
                })
                .collect(),
            agreements_by_country: crate::analytics::agreements_by_country(g),
        }
    }
}

/// Counts of the dataset.
#[derive(async_graphql::SimpleObject)]
pub(crate) struct Stats {
    /// Number of entities.
    entities: i32,
    /// Number of relations.
    relations: i32,
    /// Entities of each kind.
    by_kind: Vec<KindCount>,
    /// Relations of each type.
    by_type: Vec<TypeCount>,
    /// Partner countries by the number of agreements they are party to, most first.
    agreements_by_country: Vec<crate::analytics::CountryCount>,
}

/// How many entities have one kind.
#[derive(async_graphql::SimpleObject)]
pub(crate) struct KindCount {
    kind: EntityKind,
    count: i32,
}

/// How many relations have one type.
#[derive(async_graphql::SimpleObject)]
pub(crate) struct TypeCount {
    #[graphql(name = "type")]
    relation_type: RelationType,
    count: i32,
}

/// A quote in the paragraph of the profile around it.
#[derive(SimpleObject)]
pub(crate) struct QuoteContext {
    /// Section label of the paragraph ("2.1", "Footnote 20", "Table 1").
    section: String,
    /// The paragraph, markup removed and white space collapsed.
    paragraph: String,
    /// Where the quote starts in paragraph, in characters (Unicode scalar values).
    start: i32,
    /// Where the quote ends in paragraph (exclusive), in characters.
    end: i32,
}
