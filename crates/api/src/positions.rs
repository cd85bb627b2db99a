//! Variables used only where their declared type fits (the GraphQL spec's "All
//! Variable Usages Are Allowed"): `query($id: Int!) { entity(id: $id) }` is an
//! error, not an `Int` quietly taken as an `ID`.
//!
//! async-graphql's own rule lets such a usage through (an `Int!` variable passed
//! to an `ID!` argument validates and runs), so this check runs after its
//! validation, over the document and the schema's registry. It looks at
//! variables passed to field arguments, directly or inside list values, which is
//! every place this schema takes one (it has no input objects).

use async_graphql::parser::types::{
    ExecutableDocument, FragmentDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::registry::{MetaTypeName, Registry};
use async_graphql::{Pos, Positioned, ServerError};
use async_graphql_value::Value;
use std::collections::{HashMap, HashSet};

/// One place a variable is used: its name, where, and the type expected there.
struct Usage<'d> {
    name: &'d str,
    pos: Pos,
    expected: String,
}

/// Checks every variable usage of `document` against its operation's
/// declaration; one error per misfit.
pub(crate) fn check(registry: &Registry, document: &ExecutableDocument) -> Vec<ServerError> {
    let mut by_fragment: HashMap<&str, (Vec<Usage<'_>>, Vec<&str>)> = HashMap::new();
    for (name, fragment) in &document.fragments {
        let FragmentDefinition {
            type_condition,
            selection_set,
            ..
        } = &fragment.node;
        let mut found = (Vec::new(), Vec::new());
        walk(
            registry,
            &type_condition.node.on.node,
            selection_set,
            &mut found,
        );
        by_fragment.insert(name.as_str(), found);
    }
    let mut errors = Vec::new();
    for (_, operation) in document.operations.iter() {
        let root = match operation.node.ty {
            OperationType::Query => registry.query_type.as_str(),
            OperationType::Mutation => registry.mutation_type.as_deref().unwrap_or_default(),
            OperationType::Subscription => {
                registry.subscription_type.as_deref().unwrap_or_default()
            }
        };
        let mut found = (Vec::new(), Vec::new());
        walk(registry, root, &operation.node.selection_set, &mut found);
        let (mut usages, mut spreads) = found;
        // The fragments this operation reaches, each once (shape refused cycles).
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(spread) = spreads.pop() {
            if !seen.insert(spread) {
                continue;
            }
            if let Some((fragment_usages, fragment_spreads)) = by_fragment.get(spread) {
                usages.extend(fragment_usages.iter().map(|u| Usage {
                    name: u.name,
                    pos: u.pos,
                    expected: u.expected.clone(),
                }));
                spreads.extend(fragment_spreads.iter().copied());
            }
        }
        let declared: HashMap<&str, (String, bool)> = operation
            .node
            .variable_definitions
            .iter()
            .map(|d| {
                let def = &d.node;
                (
                    def.name.node.as_str(),
                    (def.var_type.node.to_string(), def.default_value.is_some()),
                )
            })
            .collect();
        for usage in usages {
            let Some((declared_type, has_default)) = declared.get(usage.name) else {
                continue; // undefined variables are async-graphql's to report
            };
            // A nullable variable with a default acts as a non-null one.
            let effective = if *has_default && !declared_type.ends_with('!') {
                format!("{declared_type}!")
            } else {
                declared_type.clone()
            };
            if !fits(&effective, &usage.expected) {
                errors.push(ServerError::new(
                    format!(
                        "Variable \"${}\" of type \"{declared_type}\" used in position expecting type \"{}\"",
                        usage.name, usage.expected
                    ),
                    Some(usage.pos),
                ));
            }
        }
    }
    errors
}

/// Whether a variable of type `variable` may stand where `location` is expected.
fn fits(variable: &str, location: &str) -> bool {
    match (
        MetaTypeName::create(variable),
        MetaTypeName::create(location),
    ) {
        (MetaTypeName::NonNull(v), MetaTypeName::NonNull(l)) => fits(v, l),
        (_, MetaTypeName::NonNull(_)) => false,
        (MetaTypeName::NonNull(v), _) => fits(v, location),
        (MetaTypeName::List(v), MetaTypeName::List(l)) => fits(v, l),
        (MetaTypeName::Named(v), MetaTypeName::Named(l)) => v == l,
        _ => false,
    }
}

/// Collects the variable usages in `set` (selected on type `on`) and the
/// fragments it spreads.
fn walk<'d>(
    registry: &Registry,
    on: &str,
    set: &'d Positioned<SelectionSet>,
    found: &mut (Vec<Usage<'d>>, Vec<&'d str>),
) {
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                let meta = registry
                    .types
                    .get(on)
                    .and_then(|t| t.field_by_name(field.name.node.as_str()));
                for (name, value) in &field.arguments {
                    let expected = meta
                        .and_then(|m| m.args.get(name.node.as_str()))
                        .map(|a| a.ty.as_str());
                    if let Some(expected) = expected {
                        usages_in(&value.node, value.pos, expected, &mut found.0);
                    }
                }
                if let Some(meta) = meta {
                    let inner = MetaTypeName::concrete_typename(&meta.ty);
                    walk(registry, inner, &field.selection_set, found);
                }
            }
            Selection::FragmentSpread(spread) => {
                found.1.push(spread.node.fragment_name.node.as_str());
            }
            Selection::InlineFragment(inline) => {
                let inline = &inline.node;
                let on = inline
                    .type_condition
                    .as_ref()
                    .map_or(on, |c| c.node.on.node.as_str());
                walk(registry, on, &inline.selection_set, found);
            }
        }
    }
}

/// The variables inside an argument `value` of type `expected`.
fn usages_in<'d>(value: &'d Value, pos: Pos, expected: &str, out: &mut Vec<Usage<'d>>) {
    match value {
        Value::Variable(name) => out.push(Usage {
            name: name.as_str(),
            pos,
            expected: expected.to_owned(),
        }),
        Value::List(items) => {
            let item = match MetaTypeName::create(expected) {
                MetaTypeName::NonNull(inner) => match MetaTypeName::create(inner) {
                    MetaTypeName::List(item) => item,
                    _ => return,
                },
                MetaTypeName::List(item) => item,
                MetaTypeName::Named(_) => return,
            };
            for value in items {
                usages_in(value, pos, item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::fits;

    /// The first error message of running `query` with `variables`, if any.
    fn first_error(query: &str, variables: serde_json::Value) -> Option<String> {
        let graph = std::sync::Arc::new(govgraph_graph::Graph::build(Default::default()).0);
        let schema = crate::schema(graph, crate::Limits::default());
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let response = runtime.block_on(schema.execute(request));
        response.errors.first().map(|e| e.message.clone())
    }

    #[test]
    fn a_variable_of_another_type_is_refused_where_it_is_used() {
        let check = |query: &str, variables: serde_json::Value, refused: bool| {
            let error = first_error(query, variables);
            assert_eq!(error.is_some(), refused, "{query}: {error:?}");
            if refused {
                assert!(error.is_some_and(|e| e.contains("used in position expecting type")));
            }
        };
        let id = serde_json::json!({ "id": "country:AZE" });
        check(
            "query($id: ID!) { entity(id: $id) { id } }",
            id.clone(),
            false,
        );
        check(
            "query($id: Int!) { entity(id: $id) { id } }",
            serde_json::json!({ "id": 3 }),
            true,
        );
        check(
            "query($id: String!) { entity(id: $id) { id } }",
            id.clone(),
            true,
        );
        check(
            "query($id: ID) { entity(id: $id) { id } }",
            id.clone(),
            true,
        );
        check(
            "query($id: ID = \"x\") { entity(id: $id) { id } }",
            id.clone(),
            false,
        );
        // Through a fragment, and inside a list.
        check(
            "query($id: Int!) { ...F } fragment F on Query { entity(id: $id) { id } }",
            serde_json::json!({ "id": 3 }),
            true,
        );
        check(
            "query($t: String!) { relations(types: [$t]) { totalCount } }",
            serde_json::json!({ "t": "PARTY_TO" }),
            true,
        );
        check(
            "query($t: RelationType!) { relations(types: [$t]) { totalCount } }",
            serde_json::json!({ "t": "PARTY_TO" }),
            false,
        );
    }

    #[test]
    fn variable_types_fit_as_the_spec_says() {
        for (variable, location, expected) in [
            ("ID!", "ID!", true),
            ("ID!", "ID", true),
            ("ID", "ID!", false),
            ("Int!", "ID!", false),
            ("String", "ID", false),
            ("[RelationType!]", "[RelationType!]", true),
            ("[RelationType]", "[RelationType!]", false),
            ("[RelationType!]!", "[RelationType!]", true),
            ("RelationType", "[RelationType!]", false),
        ] {
            assert_eq!(
                fits(variable, location),
                expected,
                "{variable} in {location}"
            );
        }
    }
}
