//! The shape of a parsed document, measured before validation: how deep its
//! selections nest and how many fields it selects once every fragment spread is
//! expanded, with introspection measured apart.
//!
//! async-graphql's own depth and complexity rules expand each fragment spread
//! anew, so a document that doubles a fragment 26 times costs 2^26 steps before
//! it is refused. Here every fragment is measured once and its measure reused,
//! so the cost is linear in the document; counts saturate instead of growing.
//!
//! Introspection (`__schema`, `__type`) has its own depth limit: the standard
//! introspection query of graphql-js and graphql-core follows `ofType` seven
//! levels deep, which must not count against the depth allowed to data queries,
//! yet a crafted introspection query nested deeper than that is still refused.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::ServerError;
use std::collections::HashMap;

/// What [`check`] enforces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShapeLimits {
    /// Deepest nesting of data fields.
    pub depth: usize,
    /// Deepest nesting inside `__schema` / `__type`.
    pub introspection_depth: usize,
    /// Most fields selected once fragments are expanded.
    pub fields: usize,
}

/// The measure of one selection set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Measure {
    /// Deepest data-field nesting below and including this set.
    depth: usize,
    /// Deepest introspection nesting.
    introspection_depth: usize,
    /// Fields selected, fragments expanded (saturating).
    fields: usize,
}

impl Measure {
    /// Two sibling selections: the deeper depth, the fields of both.
    fn beside(self, other: Measure) -> Measure {
        Measure {
            depth: self.depth.max(other.depth),
            introspection_depth: self.introspection_depth.max(other.introspection_depth),
            fields: self.fields.saturating_add(other.fields),
        }
    }
}

/// Whether a selection set is measured as data or inside introspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    Data,
    Introspection,
}

/// A fragment's measure while it is being taken, or once it is known.
enum Memo {
    InProgress,
    Done(Measure),
}

struct Walker<'d> {
    document: &'d ExecutableDocument,
    memo: HashMap<(&'d str, Mode), Memo>,
}

impl<'d> Walker<'d> {
    fn selection_set(&mut self, set: &'d SelectionSet, mode: Mode) -> Measure {
        let mut total = Measure::default();
        for item in &set.items {
            let measure = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let inner_mode =
                        if mode == Mode::Data && (name == "__schema" || name == "__type") {
                            Mode::Introspection
                        } else {
                            mode
                        };
                    let mut below = self.selection_set(&field.selection_set.node, inner_mode);
                    below.fields = below.fields.saturating_add(1);
                    match inner_mode {
                        Mode::Data => below.depth += 1,
                        Mode::Introspection => below.introspection_depth += 1,
                    }
                    below
                }
                Selection::InlineFragment(inline) => {
                    self.selection_set(&inline.node.selection_set.node, mode)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str(), mode)
                }
            };
            total = total.beside(measure);
        }
        total
    }

    /// A fragment's measure, taken once per mode. An unknown fragment or a cycle
    /// measures nothing here: validation reports both with their positions.
    fn fragment(&mut self, name: &'d str, mode: Mode) -> Measure {
        match self.memo.get(&(name, mode)) {
            Some(Memo::Done(measure)) => return *measure,
            Some(Memo::InProgress) => return Measure::default(),
            None => {}
        }
        let Some((key, definition)) = self.document.fragments.get_key_value(name) else {
            return Measure::default();
        };
        let key = key.as_str();
        self.memo.insert((key, mode), Memo::InProgress);
        let measure = self.selection_set(&definition.node.selection_set.node, mode);
        self.memo.insert((key, mode), Memo::Done(measure));
        measure
    }
}

fn measure(document: &ExecutableDocument) -> Measure {
    let mut walker = Walker {
        document,
        memo: HashMap::new(),
    };
    document
        .operations
        .iter()
        .map(|(_, op)| walker.selection_set(&op.node.selection_set.node, Mode::Data))
        .fold(Measure::default(), |a, b| Measure {
            depth: a.depth.max(b.depth),
            introspection_depth: a.introspection_depth.max(b.introspection_depth),
            fields: a.fields.max(b.fields),
        })
}

/// Refuses a document whose expanded shape exceeds `limits`.
pub(crate) fn check(document: &ExecutableDocument, limits: ShapeLimits) -> Result<(), ServerError> {
    let measure = measure(document);
    // The first message is async-graphql's own, which clients already match on.
    if measure.depth > limits.depth {
        return Err(ServerError::new("Query is nested too deep.", None));
    }
    if measure.introspection_depth > limits.introspection_depth {
        return Err(ServerError::new(
            format!(
                "Introspection is nested too deep: {} levels, at most {} (the standard introspection query needs fewer).",
                measure.introspection_depth, limits.introspection_depth
            ),
            None,
        ));
    }
    if measure.fields > limits.fields {
        return Err(ServerError::new(
            format!(
                "The query selects too many fields once its fragments are expanded: more than {}.",
                limits.fields
            ),
            None,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ShapeLimits = ShapeLimits {
        depth: 3,
        introspection_depth: 4,
        fields: 100,
    };

    fn check_shape(query: &str, expected: Result<(usize, usize, usize), &str>) {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        let m = measure(&document);
        match (check(&document, LIMITS), expected) {
            (Ok(()), Ok((depth, introspection, fields))) => assert_eq!(
                (m.depth, m.introspection_depth, m.fields),
                (depth, introspection, fields),
                "{query}"
            ),
            (Err(e), Err(start)) => assert!(e.message.starts_with(start), "{query}: {e:?}"),
            (got, want) => panic!("{query}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn measures_depth_and_fields_with_fragments_expanded() {
        check_shape("{ a { b { c } } }", Ok((3, 0, 3)));
        check_shape("{ a { b { c { d } } } }", Err("Query is nested too deep"));
        check_shape(
            "query { a { ...F ...F } } fragment F on T { b { c } }",
            Ok((3, 0, 5)),
        );
        check_shape(
            "query { a { ...F } } fragment F on T { b { ... on U { c { d } } } }",
            Err("Query is nested too deep"),
        );
        // Introspection depth is its own: `__schema` starts counting afresh.
        check_shape("{ __schema { types { fields { name } } } }", Ok((0, 4, 4)));
        check_shape(
            "{ a { b } __schema { types { fields { name } } } }",
            Ok((2, 4, 6)),
        );
        check_shape(
            "{ __schema { types { fields { type { name } } } } }",
            Err("Introspection is nested too deep"),
        );
        check_shape("{ __typename a { __typename } }", Ok((2, 0, 3)));
    }

    #[test]
    fn fragment_doubling_is_counted_without_expanding() {
        // F0 selects 1 field; each Fk spreads F(k-1) twice: 2^40 fields.
        let mut query = String::from("query { ...F40 } fragment F0 on Query { a }");
        for k in 1..=40 {
            query.push_str(&format!(
                " fragment F{k} on Query {{ ...F{} ...F{} }}",
                k - 1,
                k - 1
            ));
        }
        check_shape(&query, Err("The query selects too many fields"));
    }

    #[test]
    fn cycles_and_unknown_fragments_are_left_to_validation() {
        check_shape(
            "query { ...A } fragment A on Q { x ...B } fragment B on Q { y ...A }",
            Ok((1, 0, 2)),
        );
        check_shape("query { ...Missing }", Ok((0, 0, 0)));
    }
}
