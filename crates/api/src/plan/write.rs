//! Running a plan: the graph walked and the response written as JSON in one
//! pass, in the order and with the values async-graphql's resolvers give.

use super::compile::{Cost, Node, PageArgs, Plan, What};
use super::inputs::{self, Bound, Decline, Planned};
use crate::connection::page_bounds;
use crate::cursor::{self, CursorKind};
use crate::enums::{model_types, Direction, EntityKind, RelationType};
use crate::mentions::Mentions;
use async_graphql::resolver_utils::EnumType;
use govgraph_graph::{EdgeFilter, EntityIx, EvidenceRef, Graph, RelationIx};
use std::io::Write;

/// What a plan runs against.
pub(super) struct Env<'a> {
    pub graph: &'a Graph,
    pub mentions: &'a Mentions,
}

/// The answer being written, and the request's variables.
struct Run<'a> {
    env: &'a Env<'a>,
    bound: Bound,
    out: Vec<u8>,
}

/// A page of an entity's relations, worked out once for all its fields.
struct Page {
    items: Vec<RelationIx>,
    start: usize,
    end: usize,
}

impl Plan {
    /// The response body for this plan with `variables`, or `None` when the
    /// request must go to the schema (see [`super::inputs`]).
    pub(super) fn run(
        &self,
        env: &Env<'_>,
        variables: Option<&serde_json::Value>,
        complexity: usize,
    ) -> Option<Vec<u8>> {
        let bound = inputs::bind(&self.variables, variables).ok()?;
        if total_cost(&self.cost, &bound).ok()? > complexity {
            return None;
        }
        let mut run = Run {
            env,
            bound,
            out: Vec::with_capacity(512),
        };
        run.out.extend_from_slice(b"{\"data\":");
        run.object(&self.root, |run, node| run.query_field(node))
            .ok()?;
        run.out.push(b'}');
        Some(run.out)
    }
}

/// The complexity async-graphql's rule gives these occurrences (see `crate::cost`).
fn total_cost(costs: &[Cost], bound: &Bound) -> Planned<usize> {
    let mut total = 0usize;
    for cost in costs {
        let one = match cost {
            Cost::Plain(children) => total_cost(children, bound)?.saturating_add(1),
            Cost::Page(first, children) => {
                let first = inputs::optional_int(inputs::argument(first.as_ref(), bound)?)?;
                crate::cost::list(first, crate::defaults::PAGE, total_cost(children, bound)?)
            }
        };
        total = total.saturating_add(one);
    }
    Ok(total)
}

/// The name async-graphql gives an enum item.
fn enum_name<T: EnumType + PartialEq + Copy>(value: T) -> &'static str {
    T::items()
        .iter()
        .find(|i| i.value == value)
        .map_or("", |i| i.name)
}

impl Run<'_> {
    fn graph(&self) -> &Graph {
        self.env.graph
    }

    /// `{"key":value,…}` over `nodes`, each value written by `field`.
    fn object(
        &mut self,
        nodes: &[Node],
        mut field: impl FnMut(&mut Self, &Node) -> Planned<()>,
    ) -> Planned<()> {
        // async-graphql answers null for an object whose fields are all skipped.
        if nodes.is_empty() {
            self.null();
            return Ok(());
        }
        self.out.push(b'{');
        for (i, node) in nodes.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.out.extend_from_slice(&node.key);
            field(self, node)?;
        }
        self.out.push(b'}');
        Ok(())
    }

    /// `[…]` over `items`, each written by `item`.
    fn list<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut item: impl FnMut(&mut Self, T) -> Planned<()>,
    ) -> Planned<()> {
        self.out.push(b'[');
        for (i, value) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            item(self, value)?;
        }
        self.out.push(b']');
        Ok(())
    }

    fn string(&mut self, text: &str) -> Planned<()> {
        // Most strings need no escape (serde_json escapes only `"`, `\` and
        // control characters): one scan, which the compiler vectorises (a
        // fold over chunks, without an early exit per byte), and one copy,
        // where serde_json's writer takes them a byte at a time (44 % of a
        // 100-relation page under callgrind).
        let escapes = text.as_bytes().chunks(16).any(|chunk| {
            chunk.iter().fold(false, |any, &b| {
                any | (b < 0x20) | (b == b'"') | (b == b'\\')
            })
        });
        if !escapes {
            self.out.reserve(text.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(text.as_bytes());
            self.out.push(b'"');
            return Ok(());
        }
        serde_json::to_writer(&mut self.out, text).map_err(|_| Decline)
    }

    fn int(&mut self, n: Option<i32>) -> Planned<()> {
        match n {
            Some(n) => write!(self.out, "{n}").map_err(|_| Decline),
            None => {
                self.out.extend_from_slice(b"null");
                Ok(())
            }
        }
    }

    fn count(&mut self, n: usize) -> Planned<()> {
        self.int(Some(i32::try_from(n).unwrap_or(i32::MAX)))
    }

    fn boolean(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// `value` written by `write`, or `null`.
    fn optional<T>(
        &mut self,
        value: Option<T>,
        write: impl FnOnce(&mut Self, T) -> Planned<()>,
    ) -> Planned<()> {
        match value {
            Some(value) => write(self, value),
            None => {
                self.null();
                Ok(())
            }
        }
    }

    fn query_field(&mut self, node: &Node) -> Planned<()> {
        match &node.what {
            What::Typename(name) => self.string(name),
            What::Entity(id) => {
                let id = inputs::string(inputs::argument(Some(id), &self.bound)?)?;
                let found = self.graph().entity_ix(&id);
                self.optional(found, |run, ix| run.entity(&node.children, ix))
            }
            What::Relation(id) => {
                let id = inputs::string(inputs::argument(Some(id), &self.bound)?)?;
                let found = self.graph().relation_ix(&id);
                self.optional(found, |run, ix| run.relation(&node.children, ix))
            }
            _ => Err(Decline),
        }
    }

    fn entity(&mut self, nodes: &[Node], ix: EntityIx) -> Planned<()> {
        self.object(nodes, |run, node| {
            let entity = run.env.graph.entity(ix);
            match &node.what {
                What::Typename(name) => run.string(name),
                What::EntityId => run.string(&entity.id),
                What::Kind => run.string(enum_name(EntityKind::from(entity.kind))),
                What::Name => run.string(&entity.name),
                What::Aliases => run.list(&entity.aliases, |run, alias| run.string(alias)),
                What::Year => run.int(entity.year),
                What::Attributes => run.list(&entity.attributes, |run, (name, value)| {
                    run.object(&node.children, |run, field| match &field.what {
                        What::Typename(t) => run.string(t),
                        What::AttributeName => run.string(name),
                        What::AttributeValue => run.string(value),
                        _ => Err(Decline),
                    })
                }),
                What::Relations(args) => {
                    let page = run.page(ix, args)?;
                    run.connection(&node.children, &page)
                }
                What::MentionCount => run.count(run.env.mentions.of(ix).len()),
                _ => Err(Decline),
            }
        })
    }

    /// The page `args` ask for, or [`Decline`] where the resolver would fail.
    fn page(&self, ix: EntityIx, args: &PageArgs) -> Planned<Page> {
        let arg =
            |v: &Option<async_graphql_value::Value>| inputs::argument(v.as_ref(), &self.bound);
        let direction: Option<Direction> = inputs::optional_enum(arg(&args.direction)?)?;
        let types: Option<Vec<RelationType>> = inputs::optional_enums(arg(&args.types)?)?;
        let first = inputs::optional_int(arg(&args.first)?)?;
        let after = inputs::optional_string(arg(&args.after)?)?;
        let as_of = inputs::optional_int(arg(&args.as_of)?)?;
        let g = self.graph();
        let filter = EdgeFilter {
            as_of,
            ..EdgeFilter::listing(model_types(types))
        };
        let items = g.relations_at(ix, direction.unwrap_or(Direction::Both).into(), &filter);
        let (start, end) = page_bounds::<crate::nodes::Relation>(
            items.len(),
            first.unwrap_or(crate::defaults::PAGE),
            after.as_deref(),
            |id| items.partition_point(|&r| g.relation_id(r) <= id),
        )
        .map_err(|_| Decline)?;
        Ok(Page { items, start, end })
    }

    fn connection(&mut self, nodes: &[Node], page: &Page) -> Planned<()> {
        let slice = &page.items[page.start..page.end];
        self.object(nodes, |run, node| match &node.what {
            What::Typename(name) => run.string(name),
            What::TotalCount => run.count(page.items.len()),
            What::PageInfo => run.object(&node.children, |run, field| match &field.what {
                What::Typename(name) => run.string(name),
                What::HasNextPage => {
                    run.boolean(page.end < page.items.len());
                    Ok(())
                }
                What::EndCursor => run.optional(slice.last(), |run, &last| run.cursor(last)),
                _ => Err(Decline),
            }),
            What::Edges => run.list(slice, |run, &rel| {
                run.object(&node.children, |run, field| match &field.what {
                    What::Typename(name) => run.string(name),
                    What::Cursor => run.cursor(rel),
                    What::Node => run.relation(&field.children, rel),
                    _ => Err(Decline),
                })
            }),
            _ => Err(Decline),
        })
    }

    fn cursor(&mut self, rel: RelationIx) -> Planned<()> {
        let id = self.env.graph.relation_id(rel);
        self.string(&cursor::encode(CursorKind::Relation, id))
    }

    fn relation(&mut self, nodes: &[Node], ix: RelationIx) -> Planned<()> {
        self.object(nodes, |run, node| {
            let g = run.env.graph;
            let relation = g.relation(ix);
            match &node.what {
                What::Typename(name) => run.string(name),
                What::RelationId => run.string(relation.id),
                What::Type => run.string(enum_name(RelationType::from(relation.ty))),
                What::Source => run.entity(&node.children, g.ends(ix).0),
                What::Target => run.entity(&node.children, g.ends(ix).1),
                What::Since => run.int(relation.since),
                What::Until => run.int(relation.until),
                What::Evidence => run.list(relation.evidence, |run, evidence| {
                    run.evidence(&node.children, evidence)
                }),
                _ => Err(Decline),
            }
        })
    }

    fn evidence(&mut self, nodes: &[Node], evidence: EvidenceRef<'_>) -> Planned<()> {
        self.object(nodes, |run, node| match &node.what {
            What::Typename(name) => run.string(name),
            What::Section => run.string(evidence.section),
            What::Quote => run.string(evidence.quote),
            What::Profile => {
                let at = evidence
                    .profile
                    .and_then(|id| run.env.graph.profiles().iter().position(|p| p.id == id));
                run.optional(at, |run, at| run.profile(&node.children, at))
            }
            _ => Err(Decline),
        })
    }

    fn profile(&mut self, nodes: &[Node], at: usize) -> Planned<()> {
        self.object(nodes, |run, node| {
            let g = run.env.graph;
            let profile = &g.profiles()[at];
            match &node.what {
                What::Typename(name) => run.string(name),
                What::ProfileId => run.string(&profile.id),
                What::Title => run.string(&profile.title),
                What::Country => run
                    .optional(crate::profiles::own_country(g, at), |run, country| {
                        run.entity(&node.children, country)
                    }),
                What::ProfileYear => run.int(profile.year),
                What::RelationCount => {
                    run.count(g.profile_relations(&profile.id).map_or(0, <[_]>::len))
                }
                _ => Err(Decline),
            }
        })
    }
}
