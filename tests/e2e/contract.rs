//! The served schema contains the contract, its SDL is snapshotted, and every
//! contract operation validates and runs on the default data.

use async_graphql::parser::types::{ServiceDocument, TypeKind, TypeSystemDefinition};
use govgraph_tests::{contract_dir, default_graph, root, TestServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A comparable summary of a schema: per type, its kind and its members
/// (fields with their types and arguments, enum values, input fields).
fn summarize(document: &ServiceDocument) -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    let mut out = BTreeMap::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = &ty.node;
        let (kind, members) = match &ty.kind {
            TypeKind::Object(object) => (
                "object",
                object
                    .fields
                    .iter()
                    .map(|f| {
                        let args: Vec<String> = f
                            .node
                            .arguments
                            .iter()
                            .map(|a| {
                                let default = a
                                    .node
                                    .default_value
                                    .as_ref()
                                    .map(|d| format!(" = {}", d.node))
                                    .unwrap_or_default();
                                format!("{}: {}{default}", a.node.name.node, a.node.ty.node)
                            })
                            .collect();
                        (
                            f.node.name.node.to_string(),
                            format!("({}) -> {}", args.join(", "), f.node.ty.node),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Enum(e) => (
                "enum",
                e.values
                    .iter()
                    .map(|v| (v.node.value.node.to_string(), String::new()))
                    .collect(),
            ),
            TypeKind::InputObject(i) => (
                "input",
                i.fields
                    .iter()
                    .map(|f| (f.node.name.node.to_string(), f.node.ty.node.to_string()))
                    .collect(),
            ),
            TypeKind::Scalar => ("scalar", BTreeMap::new()),
            TypeKind::Interface(_) => ("interface", BTreeMap::new()),
            TypeKind::Union(_) => ("union", BTreeMap::new()),
        };
        out.insert(ty.name.node.to_string(), (kind.to_owned(), members));
    }
    out
}

fn parse_sdl(text: &str, what: &str) -> ServiceDocument {
    async_graphql::parser::parse_schema(text)
        .unwrap_or_else(|e| panic!("{what} does not parse: {e}"))
}

#[test]
fn served_schema_contains_the_contract() {
    let contract_text =
        std::fs::read_to_string(contract_dir().join("schema.graphql")).expect("contract");
    let contract = summarize(&parse_sdl(&contract_text, "the contract"));
    let served = summarize(&parse_sdl(&govgraph_api::sdl(), "the served SDL"));
    let mut missing = Vec::new();
    for (name, (kind, members)) in &contract {
        let Some((served_kind, served_members)) = served.get(name) else {
            missing.push(format!("type {name}"));
            continue;
        };
        if served_kind != kind {
            missing.push(format!(
                "{name} is a {served_kind}, the contract says {kind}"
            ));
        }
        for (member, signature) in members {
            match served_members.get(member) {
                None => missing.push(format!("{name}.{member}")),
                Some(served_signature) if kind == "object" => {
                    // Every contract argument must be served with the same type and default;
                    // served fields may add arguments.
                    let (args, ret) = signature.split_once(" -> ").expect("signature");
                    let (served_args, served_ret) =
                        served_signature.split_once(" -> ").expect("signature");
                    if ret != served_ret {
                        missing.push(format!(
                            "{name}.{member} returns {served_ret}, the contract says {ret}"
                        ));
                    }
                    for arg in args
                        .trim_matches(|c| c == '(' || c == ')')
                        .split(", ")
                        .filter(|a| !a.is_empty())
                    {
                        if !served_args.contains(arg) {
                            missing.push(format!(
                                "{name}.{member} argument `{arg}` (served: {served_args})"
                            ));
                        }
                    }
                }
                Some(served_signature) if served_signature != signature => missing.push(format!(
                    "{name}.{member}: {served_signature} vs {signature}"
                )),
                Some(_) => {}
            }
        }
    }
    assert!(
        missing.is_empty(),
        "the served schema breaks the contract:\n{}",
        missing.join("\n")
    );
}

#[test]
fn exported_sdl_matches_the_committed_snapshot() {
    let path = root().join("crates/api/schema.graphql");
    let current = govgraph_api::sdl();
    if std::env::var_os("UPDATE_SDL").is_some() {
        std::fs::write(&path, &current).expect("write the snapshot");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "the schema drifted from crates/api/schema.graphql; review the change and rerun with UPDATE_SDL=1 to accept it"
    );
}

/// Variables for each contract operation, naming real entities of the default data.
pub(crate) fn variables_for(operation: &str) -> Value {
    match operation {
        "ego-network" => json!({ "id": "country:AZE" }),
        "find-then-trace" => json!({ "name": "State Migration Service" }),
        "implementers" => json!({ "instrument": "law:migration-code" }),
        "why-connected" => {
            json!({ "from": "institution:public-council", "to": "law:migration-code" })
        }
        _ => json!({}),
    }
}

pub(crate) fn contract_operations() -> Vec<(String, String)> {
    let dir = contract_dir().join("queries");
    let mut operations: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("contract queries")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .map(|p| {
            (
                p.file_stem().expect("stem").to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("query"),
            )
        })
        .collect();
    operations.sort();
    assert!(
        operations.len() >= 6,
        "expected the contract's operations, found {}",
        operations.len()
    );
    operations
}

fn assert_no_errors(name: &str, response: &Value) {
    assert!(
        response.get("errors").is_none(),
        "{name} answered with errors: {response}"
    );
    assert!(
        response["data"].is_object(),
        "{name} has no data: {response}"
    );
}

#[tokio::test]
async fn contract_operations_run_in_process() {
    let schema = govgraph_api::schema(default_graph(), govgraph_api::Limits::default());
    for (name, query) in contract_operations() {
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables_for(&name)));
        let response = serde_json::to_value(schema.execute(request).await).expect("json");
        assert_no_errors(&name, &response);
    }
}

#[test]
fn contract_operations_run_over_a_real_socket() {
    let server = TestServer::start(default_graph());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        for (name, query) in contract_operations() {
            let body = json!({ "query": query, "variables": variables_for(&name) });
            let response = client
                .post(server.graphql_url())
                .json(&body)
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), 200, "{name}");
            let value: Value = response.json().await.expect("json body");
            assert_no_errors(&name, &value);
            check_answer(&name, &value);
        }
    });
}

/// What each contract operation must find in the real data.
fn check_answer(name: &str, value: &Value) {
    let data = &value["data"];
    match name {
        "implementers" => {
            let edges = data["entity"]["relations"]["edges"]
                .as_array()
                .expect("edges");
            assert!(
                !edges.is_empty(),
                "someone implements or acts under the Migration Code"
            );
            for edge in edges {
                let evidence = edge["node"]["evidence"].as_array().expect("evidence");
                assert!(!evidence.is_empty(), "every relation has evidence");
            }
        }
        "why-connected" => {
            let path = &data["path"];
            let length = path["length"].as_i64().expect("a path exists");
            assert_eq!(
                path["entities"].as_array().map(Vec::len),
                Some(length as usize + 1)
            );
            assert_eq!(path["entities"][0]["id"], "institution:public-council");
        }
        "find-then-trace" => {
            assert_eq!(
                data["search"][0]["id"],
                "institution:state-migration-service"
            );
        }
        "ego-network" => {
            let entities = data["neighborhood"]["entities"]
                .as_array()
                .expect("entities");
            assert_eq!(entities[0]["id"], "country:AZE");
            assert!(entities.len() > 10);
        }
        "catalogue" => {
            let total = data["entities"]["totalCount"].as_i64().expect("count");
            assert!(
                total >= 20,
                "the profile names dozens of agreements, found {total}"
            );
        }
        _ => {}
    }
}

#[test]
fn pagination_walks_every_relation_once() {
    let schema = govgraph_api::schema(default_graph(), govgraph_api::Limits::default());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let query = "query($after: String) { relations(types: [PARTY_TO, RATIFIED], first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id type } } } }";
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    let mut total: Option<u64>;
    loop {
        let request = async_graphql::Request::new(query).variables(
            async_graphql::Variables::from_json(json!({ "after": after })),
        );
        let value = serde_json::to_value(runtime.block_on(schema.execute(request))).expect("json");
        assert_no_errors("page", &value);
        let connection = &value["data"]["relations"];
        total = connection["totalCount"].as_u64();
        for edge in connection["edges"].as_array().expect("edges") {
            assert!(matches!(
                edge["node"]["type"].as_str(),
                Some("PARTY_TO" | "RATIFIED")
            ));
            seen.push(edge["node"]["id"].as_str().expect("id").to_owned());
        }
        if !connection["pageInfo"]["hasNextPage"]
            .as_bool()
            .expect("flag")
        {
            break;
        }
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen, "pages come in id order without repeats");
    assert_eq!(Some(seen.len() as u64), total);
}

#[tokio::test]
async fn errors_carry_codes_and_unknown_ids_are_null() {
    let schema = govgraph_api::schema(default_graph(), govgraph_api::Limits::default());
    let run = |q: &str| {
        let schema = schema.clone();
        let q = q.to_owned();
        async move { serde_json::to_value(schema.execute(q).await).expect("json") }
    };
    let value = run(r#"{ entity(id: "law:no-such-law") { id } }"#).await;
    assert!(value.get("errors").is_none());
    assert!(value["data"]["entity"].is_null());
    for (query, code, needle) in [
        (
            r#"{ path(from: "law:nope", to: "country:AZE") { length } }"#,
            "NOT_FOUND",
            "law:nope",
        ),
        (
            r#"{ neighborhood(id: "country:XXX") { entities { id } } }"#,
            "NOT_FOUND",
            "country:XXX",
        ),
        (
            r#"{ entities(first: 501) { totalCount } }"#,
            "BAD_USER_INPUT",
            "first",
        ),
        (
            r#"{ path(from: "country:AZE", to: "country:NLD", maxDepth: 9) { length } }"#,
            "BAD_USER_INPUT",
            "maxDepth",
        ),
        (
            r#"{ relations(after: "bm9wZQ") { totalCount } }"#,
            "BAD_CURSOR",
            "bm9wZQ",
        ),
    ] {
        let value = run(query).await;
        let error = &value["errors"][0];
        assert_eq!(error["extensions"]["code"], code, "{query}: {value}");
        assert!(
            error["message"].as_str().expect("message").contains(needle),
            "{query}: {value}"
        );
    }
}
