//! From a validated document to a plan: the fields each object writes, in
//! response order, with their arguments as written (literals or variables).
//!
//! Fields are collected as the GraphQL spec's CollectFields does and as
//! async-graphql answers: fragments are flattened into their parent, fields
//! under one response key are merged (their selections concatenated), and the
//! first occurrence fixes the key's place. Whatever the plan does not cover
//! makes the whole document unplannable: a field outside [`Ty::field`], a
//! directive other than `@skip`/`@include` with a literal condition, a
//! mutation.

use super::inputs::Declared;
use async_graphql::parser::types::{
    Directive, DocumentOperations, ExecutableDocument, Field, FragmentDefinition, FragmentSpread,
    OperationType, Selection, SelectionSet,
};
use async_graphql::Positioned;
use async_graphql_value::Value;

/// The object types a plan walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Query,
    Entity,
    Attribute,
    Connection,
    PageInfo,
    Edge,
    Relation,
    Evidence,
    Profile,
}

/// What one planned field writes.
#[derive(Debug)]
pub(super) enum What {
    Typename(&'static str),
    /// `Query.entity(id)`.
    Entity(Value),
    /// `Query.relation(id)`.
    Relation(Value),
    EntityId,
    Kind,
    Name,
    Aliases,
    Year,
    Attributes,
    /// `Entity.relations(direction, types, first, after, asOf)`.
    Relations(Box<PageArgs>),
    MentionCount,
    AttributeName,
    AttributeValue,
    TotalCount,
    PageInfo,
    Edges,
    HasNextPage,
    EndCursor,
    Cursor,
    Node,
    RelationId,
    Type,
    Source,
    Target,
    Since,
    Until,
    Evidence,
    Section,
    Quote,
    Profile,
    ProfileId,
    Title,
    Country,
    ProfileYear,
    RelationCount,
}

/// The arguments of `Entity.relations`, as written.
#[derive(Debug, Default)]
pub(super) struct PageArgs {
    pub direction: Option<Value>,
    pub types: Option<Value>,
    pub first: Option<Value>,
    pub after: Option<Value>,
    pub as_of: Option<Value>,
}

/// One field of a planned object: its response key, already JSON (`"key":`),
/// what it writes, and the fields of its object or list items.
#[derive(Debug)]
pub(super) struct Node {
    pub key: Box<[u8]>,
    pub what: What,
    pub children: Vec<Node>,
}

/// What async-graphql's complexity rule counts for one field occurrence.
#[derive(Debug)]
pub(super) enum Cost {
    /// 1 plus its children.
    Plain(Vec<Cost>),
    /// A page: `first` (or the default) times its children, plus 1.
    Page(Option<Value>, Vec<Cost>),
}

/// A compiled document.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(super) variables: Vec<Declared>,
    pub(super) root: Vec<Node>,
    pub(super) cost: Vec<Cost>,
}

/// Why a document gets no plan; never shown, the document just runs the
/// general way.
pub(super) struct Unplannable;

type Compiled<T> = Result<T, Unplannable>;

impl Ty {
    pub(super) fn name(self) -> &'static str {
        match self {
            Ty::Query => "Query",
            Ty::Entity => "Entity",
            Ty::Attribute => "Attribute",
            Ty::Connection => "RelationConnection",
            Ty::PageInfo => "PageInfo",
            Ty::Edge => "RelationEdge",
            Ty::Relation => "Relation",
            Ty::Evidence => "Evidence",
            Ty::Profile => "Profile",
        }
    }

    /// What `field` of this type writes, and the type of its object (or of
    /// its list's items), when a plan covers it.
    fn field(self, field: &Field) -> Compiled<(What, Option<Ty>)> {
        let name = field.name.node.as_str();
        let arg = |name: &str| field.get_argument(name).map(|v| v.node.clone());
        let leaf = |what| Ok((what, None));
        if name == "__typename" {
            return leaf(What::Typename(self.name()));
        }
        match (self, name) {
            (Ty::Query, "entity") => Ok((
                What::Entity(arg("id").ok_or(Unplannable)?),
                Some(Ty::Entity),
            )),
            (Ty::Query, "relation") => Ok((
                What::Relation(arg("id").ok_or(Unplannable)?),
                Some(Ty::Relation),
            )),
            (Ty::Entity, "id") => leaf(What::EntityId),
            (Ty::Entity, "kind") => leaf(What::Kind),
            (Ty::Entity, "name") => leaf(What::Name),
            (Ty::Entity, "aliases") => leaf(What::Aliases),
            (Ty::Entity, "year") => leaf(What::Year),
            (Ty::Entity, "attributes") => Ok((What::Attributes, Some(Ty::Attribute))),
            (Ty::Entity, "relations") => {
                let args = PageArgs {
                    direction: arg("direction"),
                    types: arg("types"),
                    first: arg("first"),
                    after: arg("after"),
                    as_of: arg("asOf"),
                };
                Ok((What::Relations(Box::new(args)), Some(Ty::Connection)))
            }
            (Ty::Entity, "mentionCount") => leaf(What::MentionCount),
            (Ty::Attribute, "name") => leaf(What::AttributeName),
            (Ty::Attribute, "value") => leaf(What::AttributeValue),
            (Ty::Connection, "totalCount") => leaf(What::TotalCount),
            (Ty::Connection, "pageInfo") => Ok((What::PageInfo, Some(Ty::PageInfo))),
            (Ty::Connection, "edges") => Ok((What::Edges, Some(Ty::Edge))),
            (Ty::PageInfo, "hasNextPage") => leaf(What::HasNextPage),
            (Ty::PageInfo, "endCursor") => leaf(What::EndCursor),
            (Ty::Edge, "cursor") => leaf(What::Cursor),
            (Ty::Edge, "node") => Ok((What::Node, Some(Ty::Relation))),
            (Ty::Relation, "id") => leaf(What::RelationId),
            (Ty::Relation, "type") => leaf(What::Type),
            (Ty::Relation, "source") => Ok((What::Source, Some(Ty::Entity))),
            (Ty::Relation, "target") => Ok((What::Target, Some(Ty::Entity))),
            (Ty::Relation, "since") => leaf(What::Since),
            (Ty::Relation, "until") => leaf(What::Until),
            (Ty::Relation, "evidence") => Ok((What::Evidence, Some(Ty::Evidence))),
            (Ty::Evidence, "section") => leaf(What::Section),
            (Ty::Evidence, "quote") => leaf(What::Quote),
            (Ty::Evidence, "profile") => Ok((What::Profile, Some(Ty::Profile))),
            (Ty::Profile, "id") => leaf(What::ProfileId),
            (Ty::Profile, "title") => leaf(What::Title),
            (Ty::Profile, "country") => Ok((What::Country, Some(Ty::Entity))),
            (Ty::Profile, "year") => leaf(What::ProfileYear),
            (Ty::Profile, "relationCount") => leaf(What::RelationCount),
            _ => Err(Unplannable),
        }
    }
}

/// The plan of `operation` (or the document's only operation) in `query`;
/// `None` when the document is not one a plan covers.
pub(super) fn compile(query: &str, operation: Option<&str>) -> Option<Plan> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    // Only documents of one operation: async-graphql's complexity rule counts
    // every operation of the document, with this request's variables, not
    // only the one that runs.
    let definition = match (&document.operations, operation) {
        (DocumentOperations::Single(single), None) => single,
        (DocumentOperations::Multiple(map), _) if map.len() == 1 => {
            let (name, definition) = map.iter().next()?;
            if operation.is_some_and(|wanted| wanted != name.as_str()) {
                return None;
            }
            definition
        }
        _ => return None,
    };
    let definition = &definition.node;
    if definition.ty != OperationType::Query || !definition.directives.is_empty() {
        return None;
    }
    let variables = definition
        .variable_definitions
        .iter()
        .map(|v| Declared::of(&v.node))
        .collect::<Option<Vec<_>>>()?;
    let walker = Walker {
        document: &document,
    };
    let sets = [&definition.selection_set.node];
    let root = walker.plan(&sets, Ty::Query).ok()?;
    // async-graphql answers `"data": null` when every root field is skipped.
    if root.is_empty() {
        return None;
    }
    let cost = walker
        .cost(&definition.selection_set.node, Ty::Query)
        .ok()?;
    Some(Plan {
        variables,
        root,
        cost,
    })
}

struct Walker<'d> {
    document: &'d ExecutableDocument,
}

impl<'d> Walker<'d> {
    /// The planned fields of an object of type `ty` selected by `sets`.
    fn plan(&self, sets: &[&'d SelectionSet], ty: Ty) -> Compiled<Vec<Node>> {
        let mut groups: Vec<(&'d str, Vec<&'d Field>)> = Vec::new();
        for set in sets {
            self.collect(set, ty, &mut groups)?;
        }
        groups
            .into_iter()
            .map(|(key, fields)| {
                // async-graphql runs each occurrence of a key on its own and
                // merges the answers; occurrences of other fields or arguments
                // (valid when they sit in different parents or fragments)
                // would not merge as selections do.
                if fields[1..].iter().any(|f| !same_field(fields[0], f)) {
                    return Err(Unplannable);
                }
                let (what, child) = ty.field(fields[0])?;
                let children = match child {
                    // async-graphql merges the answers of a key's occurrences,
                    // not their selections: a first occurrence whose fields are
                    // all skipped answers null, and null takes nothing in
                    // (though the others still run, and may fail: not planned).
                    Some(child)
                        if self.selects_nothing(&fields[0].selection_set.node, child)? =>
                    {
                        if fields.len() > 1 {
                            return Err(Unplannable);
                        }
                        Vec::new()
                    }
                    Some(child) => {
                        let sets: Vec<&SelectionSet> =
                            fields.iter().map(|f| &f.selection_set.node).collect();
                        self.plan(&sets, child)?
                    }
                    None => Vec::new(),
                };
                let mut encoded = serde_json::to_vec(key).map_err(|_| Unplannable)?;
                encoded.push(b':');
                Ok(Node {
                    key: encoded.into_boxed_slice(),
                    what,
                    children,
                })
            })
            .collect()
    }

    /// The fragment `spread` names.
    fn fragment(&self, spread: &Positioned<FragmentSpread>) -> Compiled<&'d FragmentDefinition> {
        self.document
            .fragments
            .get(&spread.node.fragment_name.node)
            .map(|fragment| &fragment.node)
            .ok_or(Unplannable)
    }

    /// Whether every field of `set` on `ty` is skipped.
    fn selects_nothing(&self, set: &'d SelectionSet, ty: Ty) -> Compiled<bool> {
        let mut groups = Vec::new();
        self.collect(set, ty, &mut groups)?;
        Ok(groups.is_empty())
    }

    /// Adds the fields `set` selects on `ty` to `groups`, by response key in
    /// first-seen order.
    fn collect(
        &self,
        set: &'d SelectionSet,
        ty: Ty,
        groups: &mut Vec<(&'d str, Vec<&'d Field>)>,
    ) -> Compiled<()> {
        for item in &set.items {
            if !included(item.node.directives())? {
                continue;
            }
            match &item.node {
                Selection::Field(field) => {
                    let key = field.node.response_key().node.as_str();
                    match groups.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push(&field.node),
                        None => groups.push((key, vec![&field.node])),
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = self.fragment(spread)?;
                    if fragment.type_condition.node.on.node != ty.name() {
                        return Err(Unplannable);
                    }
                    self.collect(&fragment.selection_set.node, ty, groups)?;
                }
                Selection::InlineFragment(inline) => {
                    let on = inline.node.type_condition.as_ref();
                    if on.is_some_and(|c| c.node.on.node != ty.name()) {
                        return Err(Unplannable);
                    }
                    self.collect(&inline.node.selection_set.node, ty, groups)?;
                }
            }
        }
        Ok(())
    }

    /// What the complexity rule counts for `set` on `ty`: every occurrence,
    /// fragments inline, skipped or not (the rule runs before `@skip`).
    fn cost(&self, set: &'d SelectionSet, ty: Ty) -> Compiled<Vec<Cost>> {
        let mut costs = Vec::new();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let (what, child) = ty.field(&field.node)?;
                    let children = match child {
                        Some(child) => self.cost(&field.node.selection_set.node, child)?,
                        None => Vec::new(),
                    };
                    costs.push(match what {
                        What::Relations(args) => Cost::Page(args.first, children),
                        _ => Cost::Plain(children),
                    });
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = self.fragment(spread)?;
                    costs.extend(self.cost(&fragment.selection_set.node, ty)?);
                }
                Selection::InlineFragment(inline) => {
                    costs.extend(self.cost(&inline.node.selection_set.node, ty)?);
                }
            }
        }
        Ok(costs)
    }
}

/// Whether `a` and `b` select the same field with the same arguments.
fn same_field(a: &Field, b: &Field) -> bool {
    a.name.node == b.name.node
        && a.arguments.len() == b.arguments.len()
        && a.arguments.iter().all(|(name, value)| {
            b.get_argument(&name.node)
                .is_some_and(|other| other.node == value.node)
        })
}

/// Whether a selection with `directives` is kept: only `@skip` and
/// `@include` with a literal condition are planned (a condition from a
/// variable depends on the request).
fn included(directives: &[Positioned<Directive>]) -> Compiled<bool> {
    let mut keep = true;
    for directive in directives {
        let include = match directive.node.name.node.as_str() {
            "skip" => false,
            "include" => true,
            _ => return Err(Unplannable),
        };
        match directive.node.get_argument("if").map(|v| &v.node) {
            Some(Value::Boolean(condition)) => keep &= *condition == include,
            _ => return Err(Unplannable),
        }
    }
    Ok(keep)
}
