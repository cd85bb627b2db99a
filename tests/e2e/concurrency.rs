//! Many clients at once get the same answers as one client alone.

use govgraph_tests::{default_graph, TestServer};
use serde_json::{json, Value};

#[test]
fn concurrent_clients_get_consistent_answers() {
    let server = TestServer::start(default_graph());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let queries = [
        json!({ "query": "{ neighborhood(id: \"country:AZE\", depth: 2) { entities { id } relations { id } } }" }),
        json!({ "query": "{ path(from: \"institution:public-council\", to: \"law:migration-code\") { length entities { id } } }" }),
        json!({ "query": "{ search(query: \"migration\", first: 10) { id } }" }),
        json!({ "query": "{ relations(types: [PARTY_TO], first: 100) { totalCount edges { node { id } } } }" }),
    ];
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let url = server.graphql_url();
        let mut expected = Vec::new();
        for query in &queries {
            let value: Value = client
                .post(&url)
                .json(query)
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("json");
            assert!(value.get("errors").is_none(), "{value}");
            expected.push(value);
        }
        let mut tasks = Vec::new();
        for client_no in 0..32 {
            let (client, url, queries, expected) = (
                client.clone(),
                url.clone(),
                queries.clone(),
                expected.clone(),
            );
            tasks.push(tokio::spawn(async move {
                for round in 0..10 {
                    let i = (client_no + round) % queries.len();
                    let value: Value = client
                        .post(&url)
                        .json(&queries[i])
                        .send()
                        .await
                        .expect("request")
                        .json()
                        .await
                        .expect("json");
                    assert_eq!(value, expected[i], "client {client_no}, round {round}");
                }
            }));
        }
        for task in tasks {
            task.await.expect("client task");
        }
    });
}
