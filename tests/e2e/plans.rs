//! Compiled plans against async-graphql, byte for byte: every contract
//! operation, and thousands of random valid documents generated from the
//! schema's planned part (random selections, aliases, repeated keys, named and
//! inline fragments, `@skip`/`@include`, variables of good and bad types,
//! pages and cursors, unknown ids), each run with several sets of variables.
//! Whenever the plan answers, its bytes must be the schema's; whenever the
//! schema answers with an error, the plan must have declined.
//!
//! `GOVGRAPH_PLAN_DOCUMENTS` sets how many documents (default 2,500, four
//! requests each); `GOVGRAPH_FUZZ_SEED` the seed.

use govgraph_api::{Limits, Mentions, Plans};
use govgraph_tests::fuzz::Rng;
use serde_json::{json, Value};
use std::sync::Arc;

/// The schema and the plans over one graph, under one set of limits.
struct Pair {
    schema: govgraph_api::GovSchema,
    plans: Plans,
}

impl Pair {
    /// The schema and plans over `graph`, without mentions.
    fn over(graph: Arc<govgraph_graph::Graph>) -> Pair {
        Pair {
            schema: govgraph_api::schema(graph.clone(), Limits::default()),
            plans: govgraph_api::plans(graph, Limits::default(), None),
        }
    }

    fn new(limits: Limits) -> Pair {
        let graph = govgraph_tests::default_graph();
        let parsed = govgraph_profile::parse(&govgraph_tests::profile_text());
        let mentions = Arc::new(Mentions::build(&graph, &parsed.document));
        Pair {
            schema: govgraph_api::schema_with_mentions(
                graph.clone(),
                limits,
                Some(mentions.clone()),
            ),
            plans: govgraph_api::plans(graph, limits, Some(mentions)),
        }
    }

    /// The schema's answer as the server sends it, and whether it has errors.
    fn schema_answer(&self, query: &str, variables: &Value) -> (Vec<u8>, bool) {
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables.clone()));
        let response = futures_executor(self.schema.execute(request));
        let errors = !response.errors.is_empty();
        (
            serde_json::to_vec(&response).expect("a response serialises"),
            errors,
        )
    }
}

/// Runs a future to its end on this thread (the schema's resolvers never wait
/// on I/O).
fn futures_executor<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// What a run of the differential check saw.
#[derive(Debug, Default)]
struct Tally {
    requests: usize,
    planned: usize,
    schema_errors: usize,
}

/// Runs `query` with `variables` both ways; the plan learns from every
/// error-free answer, as the server's handler makes it.
fn check(pair: &Pair, query: &str, variables: &Value, tally: &mut Tally) {
    let (expected, errors) = pair.schema_answer(query, variables);
    tally.requests += 1;
    if errors {
        tally.schema_errors += 1;
    } else {
        pair.plans.learn(query, None);
    }
    if let Some(planned) = pair.plans.answer(query, None, Some(variables)) {
        tally.planned += 1;
        assert!(
            planned == expected,
            "the plan and the schema disagree\nquery: {query}\nvariables: {variables}\nschema: {}\nplan:   {}",
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(&planned)
        );
    }
}

#[test]
fn the_contract_and_benchmark_operations_answer_the_same_planned_or_not() {
    let pair = Pair::new(Limits::default());
    let mut tally = Tally::default();
    // Every contract operation with its variables, twice (the second time
    // from its plan, when it has one).
    for (name, query) in crate::contract::contract_operations() {
        let variables = crate::contract::variables_for(&name);
        for _ in 0..2 {
            check(&pair, &query, &variables, &mut tally);
        }
    }
    let hub = "institution:state-migration-service";
    for (query, variables) in [
        (
            "query($id: ID!) { entity(id: $id) { id name kind year aliases } }",
            json!({ "id": hub }),
        ),
        (
            "query($id: ID!, $t: [RelationType!]) { entity(id: $id) { relations(types: $t, first: 100) \
             { totalCount edges { node { id type source { id } target { id } since } } } } }",
            json!({ "id": "country:AZE", "t": ["PARTY_TO"] }),
        ),
        (
            "{ entity(id: \"country:AZE\") { id relations(direction: OUTGOING, first: 3) { \
             pageInfo { hasNextPage endCursor } edges { cursor node { id evidence { section quote \
             profile { id title year relationCount country { id name } } } } } } } }",
            json!({}),
        ),
    ] {
        for _ in 0..2 {
            check(&pair, query, &variables, &mut tally);
        }
    }
    assert_eq!(tally.schema_errors, 0, "{tally:?}");
    // Of the contract's operations only `implementers` (an entity and a page
    // of its relations) is planned, the others use fields plans leave to the
    // schema (search, paths, pages of every relation or entity); with the three
    // lookups below, four documents are planned from their first answer on
    // (the check learns before it asks the plan), twice each.
    assert_eq!(tally.planned, 8, "{tally:?}");
}

#[test]
fn documents_plans_cannot_answer_alike_are_left_to_the_schema() {
    let pair = Pair::new(Limits::default());
    let relation = govgraph_tests::default_graph()
        .relation_id(govgraph_graph::RelationIx::new(0))
        .to_owned();
    let mut tally = Tally::default();
    // One key, other fields in other occurrences: async-graphql merges the
    // answers (the source's id, the target's name), not the selections.
    for query in [
        "query($r: ID!) { relation(id: $r) { e: source { id } } relation(id: $r) { e: target { name } } }",
        "query($r: ID!) { relation(id: $r) { e: source { id } ... on Relation { e: target { name } } } }",
        "query($r: ID!) { relation(id: $r) { source { r: relations(first: 1) { totalCount } } } \
         relation(id: $r) { source { r: relations(direction: OUTGOING) { edges { cursor } } } } }",
    ] {
        for _ in 0..2 {
            check(&pair, query, &json!({ "r": relation }), &mut tally);
        }
    }
    assert_eq!((tally.planned, tally.schema_errors), (0, 0), "{tally:?}");

    // Two operations: the complexity rule counts the one not run too, with
    // this request's variables, so a plan of the light one would answer where
    // the schema refuses.
    let query = "query Heavy($n: Int) { entity(id: \"country:AZE\") { relations(first: $n) { edges { node { \
                 source { relations(first: $n) { totalCount } } } } } } } \
                 query Light { entity(id: \"country:AZE\") { id } }";
    let run = |variables: Value| {
        let request = async_graphql::Request::new(query)
            .operation_name("Light")
            .variables(async_graphql::Variables::from_json(variables.clone()));
        let response = futures_executor(pair.schema.execute(request));
        if response.errors.is_empty() {
            pair.plans.learn(query, Some("Light"));
        }
        let expected = serde_json::to_vec(&response).expect("a response serialises");
        (
            expected,
            pair.plans.answer(query, Some("Light"), Some(&variables)),
        )
    };
    let (light, planned) = run(json!({}));
    assert!(planned.is_none(), "{}", String::from_utf8_lossy(&light));
    let (refused, planned) = run(json!({ "n": 500 }));
    assert!(String::from_utf8_lossy(&refused).contains("errors"));
    assert!(planned.is_none());
}

#[test]
fn strings_that_need_escaping_are_written_as_the_schema_writes_them() {
    use govgraph_model::{Dataset, Entity, EntityKind, Evidence, Relation, RelationType};
    let odd =
        "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} del \u{7f} é \u{2028} 🙂";
    let entity = |id: &str, name: &str| Entity {
        id: id.into(),
        kind: EntityKind::Institution,
        name: name.into(),
        aliases: vec![odd.into(), "plain".into()],
        year: Some(2001),
        attributes: [("note".to_owned(), odd.to_owned())].into_iter().collect(),
    };
    let dataset = Dataset {
        entities: vec![
            entity("institution:a\"b", odd),
            entity("institution:plain", "Plain"),
        ],
        relations: vec![Relation {
            id: "institution:a\"b|PART_OF|institution:plain".into(),
            ty: RelationType::PartOf,
            source: "institution:a\"b".into(),
            target: "institution:plain".into(),
            since: None,
            until: Some(2020),
            evidence: vec![Evidence::new(odd, odd)],
        }],
        profiles: Vec::new(),
    };
    let pair = Pair::over(Arc::new(govgraph_graph::Graph::build(dataset).0));
    let query = "query($id: ID!) { entity(id: $id) { id name aliases attributes { name value } \
                 relations { edges { cursor node { id until evidence { section quote } source { name } } } } } }";
    let mut tally = Tally::default();
    for id in ["institution:a\"b", "institution:plain"] {
        check(&pair, query, &json!({ "id": id }), &mut tally);
    }
    assert_eq!((tally.planned, tally.schema_errors), (2, 0), "{tally:?}");
}

#[test]
#[allow(clippy::print_stderr)] // the tally, for whoever runs it by hand
fn random_documents_answer_the_same_planned_or_not() {
    let documents = std::env::var("GOVGRAPH_PLAN_DOCUMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_500);
    let default = Pair::new(Limits::default());
    // A low complexity limit, so that plans meet requests they must decline.
    let tight = Pair::new(Limits {
        complexity: 120,
        ..Limits::default()
    });
    let pools = Pools::new(&default);
    let mut rng = Rng::new(govgraph_tests::fuzz::seed(), "plans");
    let mut tally = Tally::default();
    for n in 0..documents {
        let pair = if n % 4 == 3 { &tight } else { &default };
        let document = Document::generate(&mut rng, &pools);
        for _ in 0..4 {
            let variables = document.variables(&mut rng, &pools);
            check(pair, &document.text, &variables, &mut tally);
        }
    }
    eprintln!("plans: {tally:?}");
    // The generator must exercise both sides: most requests planned, and a
    // good share refused by the schema (which the plan then declined).
    assert!(tally.planned * 2 > tally.requests, "{tally:?}");
    assert!(tally.schema_errors * 20 > tally.requests, "{tally:?}");
}

/// Ids and cursors the generator draws from.
struct Pools {
    entities: Vec<String>,
    relations: Vec<String>,
    cursors: Vec<String>,
}

impl Pools {
    fn new(pair: &Pair) -> Pools {
        let graph = govgraph_tests::default_graph();
        let step = (graph.entity_count() / 40).max(1);
        let mut entities: Vec<String> = (0..graph.entity_count())
            .step_by(step)
            .map(|i| graph.entity(govgraph_graph::EntityIx::new(i)).id.clone())
            .collect();
        entities.push("country:AZE".into());
        entities.push("institution:state-migration-service".into());
        let relations: Vec<String> = (0..graph.relation_count())
            .step_by((graph.relation_count() / 40).max(1))
            .map(|j| {
                graph
                    .relation_id(govgraph_graph::RelationIx::new(j))
                    .to_owned()
            })
            .collect();
        // Real cursors, from pages the schema hands out.
        let (page, _) = pair.schema_answer(
            "{ entity(id: \"country:AZE\") { relations(first: 40) { edges { cursor } } } }",
            &json!({}),
        );
        let page: Value = serde_json::from_slice(&page).expect("JSON");
        let mut cursors: Vec<String> = page["data"]["entity"]["relations"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .step_by(7)
            .filter_map(|e| e["cursor"].as_str().map(str::to_owned))
            .collect();
        assert!(!cursors.is_empty());
        cursors.push("not-a-cursor".into());
        cursors.push("ZTpjb3VudHJ5OkFaRQ".into()); // an entity cursor: the wrong list
        Pools {
            entities,
            relations,
            cursors,
        }
    }
}

/// A variable the document declares, and how to draw its values.
struct Declared {
    name: String,
    ty: &'static str,
    draw: Draw,
}

#[derive(Clone, Copy)]
enum Draw {
    EntityId,
    RelationId,
    First,
    Direction,
    Types,
    Cursor,
    Year,
    Condition,
}

/// A generated document and its variables.
struct Document {
    text: String,
    declared: Vec<Declared>,
}

/// The generator's state while writing one document.
struct Writer<'r, 'p> {
    rng: &'r mut Rng,
    pools: &'p Pools,
    declared: Vec<Declared>,
    fragments: Vec<String>,
    aliases: usize,
    /// Whether this document may also use what plans do not cover (`stats`,
    /// `mentions`, a condition from a variable): one in five.
    wild: bool,
}

const KINDS: &[&str] = &["OUTGOING", "INCOMING", "BOTH"];
const TYPES: &[&str] = &[
    "IMPLEMENTS",
    "PARTY_TO",
    "MEMBER_OF",
    "PART_OF",
    "RATIFIED",
    "NOT_RATIFIED",
];

impl Document {
    fn generate(rng: &mut Rng, pools: &Pools) -> Document {
        let wild = rng.chance(1, 5);
        let mut w = Writer {
            rng,
            pools,
            declared: Vec::new(),
            fragments: Vec::new(),
            aliases: 0,
            wild,
        };
        let body = w.root();
        let header = if w.declared.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = w
                .declared
                .iter()
                .map(|d| format!("${}: {}", d.name, d.ty))
                .collect();
            format!("query Q({}) ", list.join(", "))
        };
        let text = format!("{header}{body}\n{}", w.fragments.join("\n"));
        Document {
            text,
            declared: w.declared,
        }
    }

    /// One set of values for the declared variables: mostly good, some of
    /// the wrong type, some left out.
    fn variables(&self, rng: &mut Rng, pools: &Pools) -> Value {
        let mut map = serde_json::Map::new();
        // Three sets in four are well typed; the fourth may not be.
        let careless = rng.chance(1, 4);
        for d in &self.declared {
            if careless && rng.chance(1, 10) {
                continue; // left out
            }
            let bad = careless && rng.chance(1, 8);
            let value = match (d.draw, bad) {
                (_, true) => rng
                    .pick(&[
                        json!(7),
                        json!("SIDEWAYS"),
                        json!(null),
                        json!([1]),
                        json!(2.5),
                    ])
                    .clone(),
                (Draw::EntityId, _) => match rng.below(10) {
                    0 => json!("entity:nobody"),
                    1 => json!("país:ñ \"quoted\""),
                    _ => json!(rng.pick(&pools.entities)),
                },
                (Draw::RelationId, _) => match rng.below(8) {
                    0 => json!("no|SUCH|relation"),
                    _ => json!(rng.pick(&pools.relations)),
                },
                (Draw::First, _) if careless => json!(rng.pick(&[0, 3, 500, 501, -1])),
                (Draw::First, _) => json!(rng.pick(&[0, 1, 2, 3, 5, 50])),
                (Draw::Direction, _) => json!(rng.pick(KINDS)),
                (Draw::Types, _) => match rng.below(6) {
                    0 if careless => json!("PARTY_TO"), // one value for a list: coerced by the schema
                    1 => json!([]),
                    _ => json!([rng.pick(TYPES), rng.pick(TYPES)]),
                },
                (Draw::Cursor, _) if careless => json!(rng.pick(&pools.cursors)),
                (Draw::Cursor, _) => json!(rng.pick(&pools.cursors[..pools.cursors.len() - 2])),
                (Draw::Year, _) => json!(rng.pick(&[1990, 2008, 2015, 2023])),
                (Draw::Condition, _) => json!(rng.chance(1, 2)),
            };
            map.insert(d.name.clone(), value);
        }
        Value::Object(map)
    }
}

impl Writer<'_, '_> {
    fn variable(&mut self, ty: &'static str, draw: Draw) -> String {
        let name = format!("v{}", self.declared.len());
        self.declared.push(Declared {
            name: name.clone(),
            ty,
            draw,
        });
        format!("${name}")
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("a{}: ", self.aliases)
    }

    fn directive(&mut self) -> String {
        match self.rng.below(14) {
            0 => " @include(if: true)".into(),
            1 => " @skip(if: false)".into(),
            2 => " @skip(if: true)".into(),
            3 => " @include(if: false)".into(),
            4 if self.wild => {
                let v = self.variable("Boolean!", Draw::Condition);
                format!(" @include(if: {v})")
            }
            _ => String::new(),
        }
    }

    fn root(&mut self) -> String {
        let mut items = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let item = match self.rng.below(12) {
                0 => "__typename".to_owned(),
                1 if self.wild => "stats { entities }".to_owned(),
                2..=4 => {
                    let id = self.id(Draw::RelationId);
                    let alias = self.alias();
                    let head = format!("{alias}relation(id: {id})");
                    self.object_field(&head, "Relation", 3)
                }
                _ => {
                    let id = self.id(Draw::EntityId);
                    // One root `entity` may go unaliased; two would conflict.
                    let alias = if items.is_empty() && self.rng.chance(1, 2) {
                        String::new()
                    } else {
                        self.alias()
                    };
                    let head = format!("{alias}entity(id: {id})");
                    self.object_field(&head, "Entity", 4)
                }
            };
            items.push(item);
        }
        format!("{{ {} }}", items.join(" "))
    }

    fn id(&mut self, draw: Draw) -> String {
        if self.rng.chance(1, 2) {
            self.variable("ID!", draw)
        } else {
            let pool = match draw {
                Draw::RelationId => &self.pools.relations,
                _ => &self.pools.entities,
            };
            serde_json::to_string(self.rng.pick(pool)).expect("a string")
        }
    }

    /// `head { selection }`, sometimes twice (the same key, merged).
    fn object_field(&mut self, head: &str, ty: &str, depth: usize) -> String {
        let directive = self.directive();
        let first = format!("{head}{directive} {}", self.selection(ty, depth));
        if self.rng.chance(1, 8) {
            format!("{first} {head} {}", self.selection(ty, depth))
        } else {
            first
        }
    }

    fn selection(&mut self, ty: &str, depth: usize) -> String {
        let mut items = Vec::new();
        for _ in 0..1 + self.rng.below(5) {
            let item = match self.rng.below(10) {
                0 if depth > 1 => {
                    let name = format!("F{}", self.fragments.len());
                    // Reserve the name before the body, which may add fragments.
                    self.fragments.push(String::new());
                    let at = self.fragments.len() - 1;
                    let body = self.selection(ty, depth - 1);
                    self.fragments[at] = format!("fragment {name} on {ty} {body}");
                    format!("...{name}{}", self.directive())
                }
                1 if depth > 1 => {
                    let on = if self.rng.chance(1, 2) {
                        format!(" on {ty}")
                    } else {
                        String::new()
                    };
                    let directive = self.directive();
                    format!("...{on}{directive} {}", self.selection(ty, depth - 1))
                }
                _ => self.field(ty, depth),
            };
            items.push(item);
        }
        format!("{{ {} }}", items.join(" "))
    }

    fn field(&mut self, ty: &str, depth: usize) -> String {
        let leaf = |rng: &mut Rng, names: &[&str]| rng.pick(names).to_string();
        match ty {
            "Entity" => match self.rng.below(12) {
                0..=2 if depth > 1 => self.relations(depth),
                3 => "attributes { name value }".into(),
                4 if self.wild => "mentions(first: 2) { section }".into(),
                _ => {
                    let name = leaf(
                        self.rng,
                        &[
                            "id",
                            "kind",
                            "name",
                            "aliases",
                            "year",
                            "mentionCount",
                            "__typename",
                        ],
                    );
                    format!("{name}{}", self.directive())
                }
            },
            "Relation" => match self.rng.below(10) {
                0 | 1 if depth > 1 => {
                    let end = leaf(self.rng, &["source", "target"]);
                    let alias = self.alias();
                    self.object_field(&format!("{alias}{end}"), "Entity", depth - 1)
                }
                2 => {
                    let profile = if self.rng.chance(1, 2) {
                        " profile { id title year relationCount country { id name } __typename }"
                    } else {
                        ""
                    };
                    format!("evidence {{ section quote{profile} }}")
                }
                _ => leaf(self.rng, &["id", "type", "since", "until", "__typename"]),
            },
            _ => "__typename".into(),
        }
    }

    fn relations(&mut self, depth: usize) -> String {
        let mut args = Vec::new();
        if self.rng.chance(1, 3) {
            let v = if self.rng.chance(1, 2) {
                self.variable("Direction", Draw::Direction)
            } else {
                self.rng.pick(KINDS).to_string()
            };
            args.push(format!("direction: {v}"));
        }
        if self.rng.chance(1, 3) {
            let v = if self.rng.chance(1, 2) {
                self.variable("[RelationType!]", Draw::Types)
            } else {
                format!("[{}]", self.rng.pick(TYPES))
            };
            args.push(format!("types: {v}"));
        }
        if self.rng.chance(2, 3) {
            let v = if self.rng.chance(1, 2) {
                self.variable("Int", Draw::First)
            } else {
                self.rng.pick(&["0", "1", "3", "10"]).to_string()
            };
            args.push(format!("first: {v}"));
        }
        if self.rng.chance(1, 4) {
            let v = self.variable("String", Draw::Cursor);
            args.push(format!("after: {v}"));
        }
        if self.rng.chance(1, 6) {
            let v = self.variable("Int", Draw::Year);
            args.push(format!("asOf: {v}"));
        }
        let alias = self.alias();
        let head = if args.is_empty() {
            format!("{alias}relations")
        } else {
            format!("{alias}relations({})", args.join(", "))
        };
        let mut parts = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let part = match self.rng.below(4) {
                0 => "totalCount".to_owned(),
                1 => "pageInfo { hasNextPage endCursor __typename }".to_owned(),
                _ => {
                    let node = self.selection("Relation", depth - 1);
                    format!("edges {{ cursor node {node} }}")
                }
            };
            parts.push(part);
        }
        format!("{head} {{ {} }}", parts.join(" "))
    }
}

/// The value of `govgraph_graphql_executions_total{engine="…"}` in `/metrics`.
fn executions(app: &govgraph_tests::in_process::InProcess, engine: &str) -> u64 {
    let text = app.get("/metrics").body;
    let prefix = format!("govgraph_graphql_executions_total{{engine=\"{engine}\"}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .map_or(0, |n| n.trim().parse().expect("a count"))
}

#[test]
fn the_server_answers_a_known_document_from_its_plan_with_the_same_body() {
    let app = govgraph_tests::in_process::InProcess::new(govgraph_server::AppState::new(
        govgraph_tests::default_graph(),
    ));
    let query = "query($id: ID!) { entity(id: $id) { id name relations(first: 2) { totalCount edges { cursor node { id type evidence { section quote } } } } } }";
    let body = |id: &str| json!({ "query": query, "variables": { "id": id } }).to_string();
    let first = app.post_json(body("country:AZE"));
    assert_eq!(first.status, 200);
    assert_eq!(
        (executions(&app, "schema"), executions(&app, "plan")),
        (1, 0)
    );
    // The same document with other variables: the plan answers, as the schema would.
    let second = app.post_json(body("institution:state-migration-service"));
    assert_eq!(
        (executions(&app, "schema"), executions(&app, "plan")),
        (1, 1)
    );
    let pair = Pair::new(Limits::default());
    let (expected, errors) = pair.schema_answer(
        query,
        &json!({ "id": "institution:state-migration-service" }),
    );
    assert!(!errors);
    assert_eq!(second.bytes, expected);
    assert_eq!(second.header("content-type"), Some("application/json"));
    // A request the plan declines (a bad cursor) goes to the schema, errors and all.
    let bad = json!({ "query": "query($id: ID!, $a: String) { entity(id: $id) { relations(after: $a) { totalCount } } }",
                      "variables": { "id": "country:AZE", "a": "nope" } });
    let refused = app.post_json(bad.to_string()).json();
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_CURSOR",
        "{refused}"
    );
    assert_eq!(executions(&app, "plan"), 1);
}
