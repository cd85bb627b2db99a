"""Real Python clients against a live govgraph (GOVGRAPH_URL, e.g. http://127.0.0.1:8080).

- gql with fetch_schema_from_transport=True: the client introspects the server
  with graphql-core's standard query, builds the schema, validates every
  operation locally, then runs each operation of the README (its ```graphql
  blocks and its `govgraph query '...'` examples, with their --variables);
- graphql-core's standard introspection query with every option on
  (descriptions, specifiedByURL, isRepeatable, schema description, input-value
  deprecation), and a crafted introspection query nested deeper, refused;
- /metrics parsed with prometheus_client's parser;
- compressed answers (gzip, br, zstd) decoded and compared with the plain one.

Prints one `ok` line per check; exits 1 on the first failure.
"""
import json
import os
import re
import sys
import urllib.parse
import urllib.request

import brotli
import requests
import zstandard
from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport
from graphql import build_client_schema, get_introspection_query
from prometheus_client.parser import text_string_to_metric_families

BASE = os.environ["GOVGRAPH_URL"].rstrip("/")
URL = BASE + "/graphql"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def ok(message):
    print(f"  ok   {message}", flush=True)


def fail(message):
    print(f"  FAIL {message}", flush=True)
    sys.exit(1)


def readme_operations():
    """(label, query, variables) for every operation the README shows."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    ops = []
    for n, block in enumerate(re.findall(r"```graphql\n(.*?)```", text, re.S)):
        # Blocks about a store of several profiles do not run on the default data.
        if block.startswith("# Needs both profiles served"):
            continue
        ops.append((f"README graphql block {n + 1}", block, None))
    for line in re.findall(r"^govgraph query '(.*?)'(.*)$", text, re.M):
        query, rest = line
        if query.startswith("<"):  # the synopsis `govgraph query '<graphql>'`
            continue
        variables = re.search(r"--variables '(.*?)'", rest)
        ops.append((f"README: {query[:50]}…", query, json.loads(variables.group(1)) if variables else None))
    return ops


def check_gql_client():
    transport = RequestsHTTPTransport(url=URL, retries=0, timeout=30)
    client = Client(transport=transport, fetch_schema_from_transport=True)
    ops = readme_operations()
    if len(ops) < 5:
        fail(f"expected the README's operations, found {len(ops)}")
    with client as session:
        if client.schema is None or "Entity" not in client.schema.type_map:
            fail("gql did not build the schema from introspection")
        ok(f"gql fetched the schema by introspection ({len(client.schema.type_map)} types)")
        for label, query, variables in ops:
            result = session.execute(gql(query), variable_values=variables)
            if not result or not any(v not in (None, [], {}) for v in result.values()):
                fail(f"{label}: empty result {result}")
            ok(f"gql ran {label}")
        # gql validates locally against the fetched schema before sending.
        try:
            session.execute(gql("{ entity(id: \"x\") { nosuchfield } }"))
            fail("gql accepted an invalid field")
        except Exception as error:  # graphql.GraphQLError
            if "nosuchfield" not in str(error):
                fail(f"unexpected error for an invalid field: {error}")
            ok("gql refuses an invalid field against the fetched schema")


def check_introspection():
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    answer = requests.post(URL, json={"query": query}, timeout=30).json()
    if answer.get("errors"):
        fail(f"the standard introspection query failed: {answer['errors']}")
    schema = build_client_schema(answer["data"])
    relations = schema.type_map["Entity"].fields["relations"]
    if not relations.description or "direction" not in relations.args:
        fail("Entity.relations lost its description or arguments")
    directives = {d["name"]: d for d in answer["data"]["__schema"]["directives"]}
    if "isRepeatable" not in directives.get("include", {}):
        fail("directives carry no isRepeatable")
    scalars = [t for t in answer["data"]["__schema"]["types"] if t["kind"] == "SCALAR"]
    if not all("specifiedByURL" in t for t in scalars):
        fail("scalars carry no specifiedByURL")
    ok("graphql-core's full introspection query answers and builds a client schema")

    # The standard TypeRef follows ofType 7 times; a crafted query goes far deeper.
    deep = "name " + "".join("ofType { " for _ in range(20)) + "name" + " }" * 20
    crafted = "{ __schema { types { fields { type { " + deep + " } } } } }"
    answer = requests.post(URL, json={"query": crafted}, timeout=30).json()
    if not answer.get("errors") or "nested too deep" not in answer["errors"][0]["message"]:
        fail(f"a crafted deep introspection query was not refused: {str(answer)[:200]}")
    ok("a crafted introspection query nested deeper than the standard one is refused")


def check_metrics():
    text = requests.get(BASE + "/metrics", timeout=30).text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for name in [
        "govgraph_graphql_requests",
        "govgraph_graphql_request_duration_seconds",
        "govgraph_graphql_requests_in_flight",
        "govgraph_dataset_entities",
        "govgraph_dataset_relations",
        "govgraph_build_info",
    ]:
        if name not in families:
            fail(f"/metrics has no {name} (has {sorted(families)})")
    requests_total = families["govgraph_graphql_requests"]
    by_operation = {
        s.labels["operation"]: s.value
        for s in requests_total.samples
        if s.name.endswith("_total") and s.labels.get("outcome") == "ok"
    }
    if by_operation.get("IntrospectionQuery", 0) < 1:
        fail(f"the introspection requests are not counted by name: {by_operation}")
    entities = sum(s.value for s in families["govgraph_dataset_entities"].samples)
    stats = requests.post(URL, json={"query": "{ stats { entities } }"}, timeout=30).json()
    if entities != stats["data"]["stats"]["entities"]:
        fail(f"/metrics counts {entities} entities, stats {stats}")
    ok(f"/metrics parses ({len(families)} families) and counts requests by operation and outcome")


def check_compression():
    query = urllib.parse.urlencode({"query": "{ entities(first: 200) { edges { node { id name kind } } } }"})
    plain = urllib.request.urlopen(urllib.request.Request(f"{URL}?{query}")).read()
    decoders = {
        "gzip": lambda b: __import__("gzip").decompress(b),
        "br": brotli.decompress,
        "zstd": lambda b: zstandard.ZstdDecompressor().decompressobj().decompress(b),
    }
    for encoding, decode in decoders.items():
        request = urllib.request.Request(f"{URL}?{query}", headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") != encoding:
                fail(f"{encoding}: got Content-Encoding {response.headers.get('Content-Encoding')}")
        if decode(body) != plain or len(body) >= len(plain):
            fail(f"{encoding}: the decoded answer differs or is not smaller")
        ok(f"{encoding}: {len(plain)} bytes sent as {len(body)}")


check_gql_client()
check_introspection()
check_metrics()
check_compression()
print("clients.py: all checks passed")
