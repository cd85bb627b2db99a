//! What GraphQL tooling and browsers expect of the endpoint, over a real socket:
//! CORS, compression, HTTP caching with ETags, Apollo's automatic persisted
//! queries, `/metrics`, the SDL at `/schema.graphql`, the console on content
//! negotiation, and introspection within its own depth limit.

use govgraph_server::{AppState, CorsOrigins};
use govgraph_tests::{default_graph, TestServer};
use reqwest::header::{HeaderMap, ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, ETAG, IF_NONE_MATCH};
use serde_json::{json, Value};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

fn server(cors: CorsOrigins) -> TestServer {
    TestServer::start_with(
        AppState::new(default_graph())
            .fingerprint("dataset-a")
            .cors(cors),
    )
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn post(server: &TestServer, body: Value) -> Value {
    reqwest::Client::new()
        .post(server.graphql_url())
        .json(&body)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON")
}

/// A GET of `/graphql` with `params` and `headers`: status, headers, body.
async fn get(
    server: &TestServer,
    params: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> (u16, HeaderMap, Vec<u8>) {
    let mut request = reqwest::Client::new()
        .get(server.graphql_url())
        .query(params);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// A CORS preflight from `origin`: the `Access-Control-Allow-Origin` it gets.
async fn preflight(server: &TestServer, origin: &str) -> (u16, Option<String>, HeaderMap) {
    let response = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, server.graphql_url())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .expect("request");
    let headers = response.headers().clone();
    (
        response.status().as_u16(),
        header(&headers, "access-control-allow-origin"),
        headers,
    )
}

#[test]
fn cors_follows_the_configured_origins() {
    let app_origin = "http://localhost:3000";
    runtime().block_on(async {
        let any = server(CorsOrigins::Any);
        let (status, allowed, headers) = preflight(&any, app_origin).await;
        assert_eq!((status, allowed.as_deref()), (200, Some("*")));
        let methods = header(&headers, "access-control-allow-methods").unwrap_or_default();
        assert!(
            methods.contains("POST") && methods.contains("GET"),
            "{methods}"
        );
        assert!(header(&headers, "access-control-allow-headers")
            .is_some_and(|h| h.contains("content-type")));
        assert_eq!(
            header(&headers, "access-control-allow-credentials"),
            None,
            "no credentials"
        );

        let listed = server(CorsOrigins::from_args(&[app_origin.to_owned()]));
        assert_eq!(
            preflight(&listed, app_origin).await.1.as_deref(),
            Some(app_origin)
        );
        assert_eq!(preflight(&listed, "http://evil.example").await.1, None);

        let none = server(CorsOrigins::from_args(&["none".to_owned()]));
        assert_eq!(preflight(&none, app_origin).await.1, None);
        // A simple GET from another origin carries the header too, and exposes the ETag.
        let (_, headers, _) = get(
            &any,
            &[("query", "{ stats { entities } }")],
            &[("Origin", app_origin)],
        )
        .await;
        assert_eq!(
            header(&headers, "access-control-allow-origin").as_deref(),
            Some("*")
        );
        assert!(
            header(&headers, "access-control-expose-headers").is_some_and(|h| h.contains("etag"))
        );
    });
}

#[test]
fn large_answers_are_compressed_as_the_client_accepts() {
    let server = server(CorsOrigins::Any);
    let big = [(
        "query",
        "{ entities(first: 200) { edges { node { id name kind } } } }",
    )];
    runtime().block_on(async {
        let (_, headers, plain) = get(&server, &big, &[]).await;
        assert_eq!(
            header(&headers, "content-encoding"),
            None,
            "nothing asked, nothing compressed"
        );
        assert!(plain.len() > 10_000);
        for encoding in ["gzip", "br", "zstd"] {
            let (status, headers, body) =
                get(&server, &big, &[(ACCEPT_ENCODING.as_str(), encoding)]).await;
            assert_eq!(status, 200);
            assert_eq!(
                header(&headers, CONTENT_ENCODING.as_str()).as_deref(),
                Some(encoding)
            );
            assert!(
                body.len() * 3 < plain.len(),
                "{encoding}: {} of {}",
                body.len(),
                plain.len()
            );
            assert!(header(&headers, "vary").is_some_and(|v| v.contains("accept-encoding")));
        }
        let small = [("query", "{ stats { entities } }")];
        let (_, headers, body) = get(&server, &small, &[(ACCEPT_ENCODING.as_str(), "gzip")]).await;
        assert!(body.len() < 1024);
        assert_eq!(
            header(&headers, "content-encoding"),
            None,
            "small answers go out as they are"
        );
    });
}

#[test]
fn get_answers_carry_etags_and_revalidate_with_304() {
    let a = server(CorsOrigins::Any);
    let b = TestServer::start_with(AppState::new(default_graph()).fingerprint("dataset-b"));
    let query = "query One($id: ID!) { entity(id: $id) { name } }";
    let smc = r#"{"id": "institution:state-migration-service"}"#;
    let code = r#"{"id": "law:migration-code"}"#;
    runtime().block_on(async {
        let (status, headers, body) = get(&a, &[("query", query), ("variables", smc)], &[]).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let etag = header(&headers, ETAG.as_str()).expect("an ETag");
        assert!(
            etag.starts_with("W/\"") && etag.ends_with('"'),
            "a weak ETag (one per answer, whatever its encoding): {etag}"
        );
        assert!(header(&headers, "cache-control").is_some_and(|c| c.contains("max-age")));

        // The same request on the same data: the same tag; 304 with no body when sent back.
        let (_, again, _) = get(&a, &[("query", query), ("variables", smc)], &[]).await;
        assert_eq!(
            header(&again, ETAG.as_str()).as_deref(),
            Some(etag.as_str())
        );
        let (status, headers, body) = get(
            &a,
            &[("query", query), ("variables", smc)],
            &[(IF_NONE_MATCH.as_str(), &etag)],
        )
        .await;
        assert_eq!(status, 304);
        assert!(body.is_empty());
        assert_eq!(
            header(&headers, ETAG.as_str()).as_deref(),
            Some(etag.as_str())
        );
        let list = format!("\"other\", W/{etag}");
        assert_eq!(
            get(
                &a,
                &[("query", query), ("variables", smc)],
                &[(IF_NONE_MATCH.as_str(), &list)]
            )
            .await
            .0,
            304
        );

        // Other variables, or other data, are other answers.
        let (status, headers, _) = get(
            &a,
            &[("query", query), ("variables", code)],
            &[(IF_NONE_MATCH.as_str(), &etag)],
        )
        .await;
        assert_eq!(status, 200);
        assert_ne!(
            header(&headers, ETAG.as_str()).as_deref(),
            Some(etag.as_str())
        );
        let (status, headers, _) = get(
            &b,
            &[("query", query), ("variables", smc)],
            &[(IF_NONE_MATCH.as_str(), &etag)],
        )
        .await;
        assert_eq!(status, 200, "another dataset's tag does not match");
        assert_ne!(header(&headers, ETAG.as_str()), Some(etag.clone()));

        // Errors are not cached; POST answers carry no tag.
        let (_, headers, _) = get(&a, &[("query", "{ stats { nosuchfield } }")], &[]).await;
        assert_eq!(header(&headers, ETAG.as_str()), None);
        let response = reqwest::Client::new()
            .post(a.graphql_url())
            .json(&json!({ "query": "{ stats { entities } }" }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.headers().get(ETAG), None);
    });
}

fn sha256_hex(text: &str) -> String {
    use std::process::Command;
    // The hash is computed apart from the server's code: by coreutils' sha256sum.
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum runs");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), text.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("sha256sum");
    String::from_utf8_lossy(&output.stdout)[..64].to_owned()
}

#[test]
fn automatic_persisted_queries_follow_apollos_protocol() {
    let server = server(CorsOrigins::Any);
    let query = "query Count { stats { entities relations } }";
    let hash = sha256_hex(query);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    runtime().block_on(async {
        // Unknown hash: the exact error Apollo's clients look for.
        let answer = post(&server, json!({ "extensions": extensions })).await;
        assert_eq!(
            answer["errors"][0]["message"], "PersistedQueryNotFound",
            "{answer}"
        );
        assert_eq!(
            answer["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );

        // The text with its hash registers it and answers.
        let answer = post(&server, json!({ "query": query, "extensions": extensions })).await;
        assert!(
            answer["data"]["stats"]["entities"]
                .as_u64()
                .is_some_and(|n| n > 300),
            "{answer}"
        );

        // Then the hash alone is enough, over POST and over GET (with an ETag).
        let answer = post(&server, json!({ "extensions": extensions })).await;
        assert_eq!(answer["data"]["stats"]["entities"], 326);
        let ext = extensions.to_string();
        let (status, headers, body) = get(&server, &[("extensions", &ext)], &[]).await;
        assert_eq!(status, 200);
        assert!(header(&headers, ETAG.as_str()).is_some());
        let body: Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(
            body["data"]["stats"]["relations"],
            answer["data"]["stats"]["relations"]
        );

        // A hash that does not match the text is refused, and nothing is kept.
        let wrong =
            json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex("{ other }") } });
        let answer = post(&server, json!({ "query": query, "extensions": wrong })).await;
        assert_eq!(
            answer["errors"][0]["message"],
            "provided sha does not match query"
        );
        // An invalid document is answered with its errors but not kept.
        let bad = "{ stats { nosuchfield } }";
        let bad_ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(bad) } });
        let answer = post(&server, json!({ "query": bad, "extensions": bad_ext })).await;
        assert!(answer["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nosuchfield")));
        let answer = post(&server, json!({ "extensions": bad_ext })).await;
        assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotFound");
        // Only version 1 exists.
        let v2 = json!({ "persistedQuery": { "version": 2, "sha256Hash": hash } });
        let answer = post(&server, json!({ "extensions": v2 })).await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"
        );
    });
}

#[test]
fn metrics_count_requests_by_operation_and_outcome() {
    let server = server(CorsOrigins::Any);
    runtime().block_on(async {
        for _ in 0..3 {
            post(
                &server,
                json!({ "query": "query CountThem { stats { entities } }" }),
            )
            .await;
        }
        post(
            &server,
            json!({ "query": "query Broken { stats { nosuchfield } }" }),
        )
        .await;
        let text = reqwest::get(format!("http://{}/metrics", server.addr))
            .await
            .expect("request")
            .text()
            .await
            .expect("text");
        let value = |series: &str| -> Option<f64> {
            text.lines()
                .find_map(|l| l.strip_prefix(series))
                .and_then(|v| v.trim().parse().ok())
        };
        assert_eq!(
            value("govgraph_graphql_requests_total{operation=\"CountThem\",outcome=\"ok\"}"),
            Some(3.0),
            "{text}"
        );
        assert_eq!(
            value("govgraph_graphql_requests_total{operation=\"other\",outcome=\"error\"}"),
            Some(1.0)
        );
        assert_eq!(
            value("govgraph_graphql_request_duration_seconds_count{outcome=\"ok\"}"),
            Some(3.0)
        );
        assert_eq!(value("govgraph_graphql_requests_in_flight"), Some(0.0));
        assert_eq!(
            value("govgraph_dataset_entities{kind=\"COUNTRY\"}"),
            Some(29.0)
        );
        assert!(text.contains("govgraph_build_info{version=\""));
    });
}

#[test]
fn the_sdl_and_the_console_are_served() {
    let server = server(CorsOrigins::Any);
    runtime().block_on(async {
        let response = reqwest::get(format!("http://{}/schema.graphql", server.addr))
            .await
            .expect("request");
        assert!(header(response.headers(), "content-type")
            .is_some_and(|t| t.starts_with("application/graphql")));
        assert_eq!(response.text().await.expect("text"), govgraph_api::sdl());

        // A browser asking /graphql for a page gets the console; a client asking for JSON does not.
        let (status, headers, body) = get(
            &server,
            &[],
            &[(ACCEPT.as_str(), "text/html,application/xhtml+xml")],
        )
        .await;
        assert_eq!(status, 200);
        assert!(header(&headers, "content-type").is_some_and(|t| t.starts_with("text/html")));
        assert!(String::from_utf8_lossy(&body).contains("govgraph"));
        let (status, _, body) = get(&server, &[], &[(ACCEPT.as_str(), "application/json")]).await;
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));

        let info: Value = reqwest::get(format!("http://{}/console/info", server.addr))
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON");
        assert_eq!(info["console"], govgraph_server::console_kind());
        let examples: Value = reqwest::get(format!("http://{}/console/examples.json", server.addr))
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON");
        // Every example the console offers runs without errors on the default data.
        for example in examples.as_array().expect("a list") {
            let answer = post(
                &server,
                json!({ "query": example["query"], "variables": example["variables"] }),
            )
            .await;
            assert!(
                answer.get("errors").is_none(),
                "{}: {answer}",
                example["title"]
            );
        }
    });
}

#[test]
fn introspection_has_its_own_depth_limit() {
    let server = server(CorsOrigins::Any);
    // The standard TypeRef fragment: seven levels of ofType.
    let type_ref = format!(
        "kind name {}",
        "ofType { kind name ".repeat(7) + &"}".repeat(7)
    );
    let standard_like = format!(
        "query IntrospectionQuery {{ __schema {{ types {{ name fields(includeDeprecated: true) {{ name args(includeDeprecated: true) {{ name type {{ {type_ref} }} }} type {{ {type_ref} }} }} }} directives {{ name isRepeatable }} }} }}"
    );
    let crafted = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} }} }} }} }} }}",
        "ofType { ".repeat(16) + "name" + &" }".repeat(16)
    );
    let data_too_deep = format!(
        "{{ {} }}",
        "entity(id: \"law:migration-code\") { relations { edges { node { source { ".repeat(3)
            + "name"
            + &" } } } } }".repeat(3)
    );
    runtime().block_on(async {
        let answer = post(&server, json!({ "query": standard_like })).await;
        assert!(answer.get("errors").is_none(), "{answer}");
        assert!(answer["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 30));
        let answer = post(&server, json!({ "query": crafted })).await;
        assert!(
            answer["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Introspection is nested too deep")),
            "{answer}"
        );
        let answer = post(&server, json!({ "query": data_too_deep })).await;
        assert_eq!(
            answer["errors"][0]["message"], "Query is nested too deep.",
            "{answer}"
        );
    });
}

#[test]
fn fragment_doubling_is_refused_before_it_is_expanded() {
    let server = server(CorsOrigins::Any);
    // F0 selects one field; each of the next 30 spreads the one before twice: 2^30 fields.
    let mut query = String::from("query Q { ...F30 } fragment F0 on Query { stats { entities } }");
    for k in 1..=30 {
        query.push_str(&format!(
            " fragment F{k} on Query {{ ...F{p} ...F{p} }}",
            p = k - 1
        ));
    }
    runtime().block_on(async {
        let answer = post(&server, json!({ "query": query })).await;
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("The query selects too many fields"),
            "{answer}"
        );
        // The server still answers others.
        let answer = post(&server, json!({ "query": "{ stats { entities } }" })).await;
        assert_eq!(answer["data"]["stats"]["entities"], 326);
    });
}
