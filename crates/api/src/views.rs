//! GraphQL object types: views over positions in the in-memory graph.

use crate::connection::{page_relations, RelationConnection};
use crate::enums::{model_types, Direction, EntityKind, RelationType};
use async_graphql::{ComplexObject, Context, Object, SimpleObject, ID};
use govgraph_graph::{EdgeFilter, EntityIx, PathResult, RelationIx};
use std::sync::Arc;

pub(crate) use crate::nodes::{graph, Entity, Relation};

/// An entity: a country, body, instrument, agreement, convention, process …
#[Object]
impl Entity {
    /// Stable identifier, the same after every re-import.
    async fn id(&self, ctx: &Context<'_>) -> ID {
        ID(graph(ctx).entity(self.0).id.clone())
    }

    async fn kind(&self, ctx: &Context<'_>) -> EntityKind {
        graph(ctx).entity(self.0).kind.into()
    }

    async fn name<'c>(&self, ctx: &Context<'c>) -> &'c str {
        &graph(ctx).entity(self.0).name
    }

    /// Other names and abbreviations: "SMS", "Turkey", "ICRMW".
    async fn aliases<'c>(&self, ctx: &Context<'c>) -> &'c [String] {
        &graph(ctx).entity(self.0).aliases
    }

    /// Year adopted, signed, established or founded, where the profile gives one.
    async fn year(&self, ctx: &Context<'_>) -> Option<i32> {
        graph(ctx).entity(self.0).year
    }

    /// Further facts from the profile: instrument number, date, ISO code.
    async fn attributes(&self, ctx: &Context<'_>) -> Vec<Attribute> {
        let entity = graph(ctx).entity(self.0);
        entity
            .attributes
            .iter()
            .map(|(name, value)| Attribute {
                name: name.clone(),
                value: value.clone(),
            })
            .collect()
    }

    /// Relations at this entity, in id order, page by page.
    #[graphql(complexity = "crate::cost::list(first, crate::defaults::PAGE, child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(Direction::Both)")] direction: Option<Direction>,
        types: Option<Vec<RelationType>>,
        #[graphql(default_with = "Some(crate::defaults::PAGE)")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Only relations in force that year (unknown bounds count as open).")]
        as_of: Option<i32>,
    ) -> async_graphql::Result<RelationConnection> {
        let g = graph(ctx);
        let filter = EdgeFilter {
            as_of,
            ..EdgeFilter::listing(model_types(types))
        };
        let items = g.relations_at(self.0, direction.unwrap_or(Direction::Both).into(), &filter);
        page_relations(
            g,
            &items,
            first.unwrap_or(crate::defaults::PAGE),
            after.as_deref(),
        )
    }

    /// Sentences of the source profile that name this entity or one of its aliases
    /// (whole words, case and diacritics ignored), in document order; empty when the
    /// server runs without a profile.
    #[graphql(complexity = "crate::cost::list(first, crate::defaults::MENTIONS, 1)")]
    async fn mentions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(crate::defaults::MENTIONS)")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<Evidence>> {
        let limit = crate::error::bounded(
            "first",
            first.unwrap_or(crate::defaults::MENTIONS),
            crate::MAX_FIRST,
        )?;
        Ok(mentions(ctx)
            .of(self.0)
            .iter()
            .take(limit)
            .map(Evidence::from)
            .collect())
    }

    /// How many sentences of the source profile name this entity.
    async fn mention_count(&self, ctx: &Context<'_>) -> i32 {
        i32::try_from(mentions(ctx).of(self.0).len()).unwrap_or(i32::MAX)
    }
}

/// The profile mentions a request reads (empty when served without a profile).
pub(crate) fn mentions<'c>(ctx: &Context<'c>) -> &'c crate::mentions::Mentions {
    // The schema always carries a `Mentions`, empty without a profile (see `crate::schema`).
    ctx.data_unchecked::<Arc<crate::mentions::Mentions>>()
}

/// A named attribute of an entity.
#[derive(SimpleObject)]
pub(crate) struct Attribute {
    /// Attribute name: "number", "date", "iso3" …
    name: String,
    /// Its value, as the profile gives it.
    value: String,
}

/// A directed relation between two entities, always with evidence.
#[Object]
impl Relation {
    /// Stable identifier, the same after every re-import.
    async fn id(&self, ctx: &Context<'_>) -> ID {
        ID(graph(ctx).relation_id(self.0).to_owned())
    }

    #[graphql(name = "type")]
    async fn ty(&self, ctx: &Context<'_>) -> RelationType {
        graph(ctx).relation_type(self.0).into()
    }

    async fn source(&self, ctx: &Context<'_>) -> Entity {
        Entity(graph(ctx).ends(self.0).0)
    }

    async fn target(&self, ctx: &Context<'_>) -> Entity {
        Entity(graph(ctx).ends(self.0).1)
    }

    /// First year the relation holds, where the profile gives one.
    async fn since(&self, ctx: &Context<'_>) -> Option<i32> {
        graph(ctx).relation(self.0).since
    }

    /// Last year the relation holds, where the profile gives one.
    async fn until(&self, ctx: &Context<'_>) -> Option<i32> {
        graph(ctx).relation(self.0).until
    }

    /// Never empty: every relation cites the profile.
    async fn evidence(&self, ctx: &Context<'_>) -> Vec<Evidence> {
        graph(ctx)
            .relation(self.0)
            .evidence
            .iter()
            .map(Evidence::from)
            .collect()
    }
}

/// Where a fact comes from: a section of the source profile and a verbatim quote from it.
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct Evidence {
    /// Section of the profile, for example "2.1", "6.1", "Summary", "Key sources", "Table 1", "Footnote 20".
    pub section: String,
    /// A verbatim span of the profile text that states the fact.
    pub quote: String,
    #[graphql(skip)]
    pub profile: Option<String>,
}

impl From<govgraph_graph::EvidenceRef<'_>> for Evidence {
    fn from(evidence: govgraph_graph::EvidenceRef<'_>) -> Self {
        Evidence {
            section: evidence.section.to_owned(),
            quote: evidence.quote.to_owned(),
            profile: evidence.profile.map(str::to_owned),
        }
    }
}

/// A sentence of the profile that names an entity, cited like any evidence.
impl From<&crate::mentions::EntityMention> for Evidence {
    fn from(mention: &crate::mentions::EntityMention) -> Self {
        Evidence {
            section: mention.section.clone(),
            quote: mention.sentence.clone(),
            profile: None,
        }
    }
}

#[async_graphql::ComplexObject]
impl Evidence {
    /// The profile quoted; null for data that names none.
    async fn profile(&self, ctx: &Context<'_>) -> Option<crate::nodes::Profile> {
        let id = self.profile.as_deref()?;
        graph(ctx)
            .profiles()
            .iter()
            .position(|p| p.id == id)
            .map(crate::nodes::Profile)
    }
}

/// A path of the graph.
pub(crate) struct Path(pub PathResult);

/// A shortest path. entities has length + 1 items, relations has length items, in walking order.
#[Object]
impl Path {
    async fn length(&self) -> i32 {
        self.0.relations.len() as i32
    }

    async fn entities(&self) -> Vec<Entity> {
        self.0.entities.iter().map(|&e| Entity(e)).collect()
    }

    async fn relations(&self) -> Vec<Relation> {
        self.0.relations.iter().map(|&r| Relation(r)).collect()
    }
}

/// Entities and the relations among them.
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct Subgraph {
    #[graphql(skip)]
    pub entities: Vec<EntityIx>,
    #[graphql(skip)]
    pub relations: Vec<RelationIx>,
    /// True when the neighbourhood was cut off at the server's node cap.
    pub truncated: bool,
}

#[ComplexObject]
impl Subgraph {
    async fn entities(&self) -> Vec<Entity> {
        self.entities.iter().map(|&e| Entity(e)).collect()
    }

    async fn relations(&self) -> Vec<Relation> {
        self.relations.iter().map(|&r| Relation(r)).collect()
    }
}
