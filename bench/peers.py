#!/usr/bin/env python3
"""The Python peers of bench/run: networkx, igraph and Kùzu on the same CSV pair.

Replays the workload that govgraph's bench_driver wrote (the same start
entities and path pairs), times each peer's own work separately from its
loading, and checks every answer against govgraph's (2-hop counts, shortest-path
lengths, full-traversal size). Writes JSON; exits 1 when an answer differs.

    peers.py --nodes N.csv --relationships R.csv --workload W.json --out P.json
             [--reps 11] [--peers networkx,igraph,kuzu] [--betweenness] [--kuzu-dir DIR]
"""
import argparse
import csv
import json
import os
import resource
import shutil
import sys
import time

NEGATIVE = "NOT_RATIFIED"


def timed(reps, fn):
    """Median, min and max of `reps` runs of fn (after one warm-up), in microseconds."""
    fn()
    runs = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1e6)
    runs.sort()
    return {"median_us": runs[len(runs) // 2], "min_us": runs[0], "max_us": runs[-1]}


def read_csv(nodes, relationships):
    with open(nodes, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        id_col = next(i for i, h in enumerate(header) if h.endswith(":ID"))
        ids = [row[id_col] for row in reader]
    with open(relationships, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        s, t, ty = header.index(":START_ID"), header.index(":END_ID"), header.index(":TYPE")
        edges = [(row[s], row[t], row[ty]) for row in reader]
    return ids, edges


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Checker:
    def __init__(self):
        self.problems = []

    def same(self, peer, what, expected, got):
        if expected != got:
            self.problems.append(f"{peer}: {what}: govgraph {expected}, {peer} {got}")


def run_networkx(args, workload, ids, edges, check):
    import networkx as nx

    start = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from((s, t) for s, t, ty in edges if ty != NEGATIVE)
    d = nx.DiGraph()
    d.add_nodes_from(ids)
    d.add_edges_from((s, t) for s, t, ty in edges if ty != NEGATIVE)
    out = {"version": nx.__version__, "load_s": time.perf_counter() - start}
    out["two_hop"] = []
    for row in workload["two_hop"]:
        count = len(nx.single_source_shortest_path_length(g, row["id"], cutoff=2))
        check.same("networkx", f"2-hop count of {row['id']}", row["count"], count)
        out["two_hop"].append(
            {"pick": row["pick"], "count": count,
             "time": timed(args.reps, lambda: nx.single_source_shortest_path_length(g, row["id"], cutoff=2))})
    hub = workload["full_bfs"]["id"]
    reached = len(nx.single_source_shortest_path_length(g, hub))
    check.same("networkx", "full traversal size", workload["full_bfs"]["reached"], reached)
    out["full_bfs"] = {"reached": reached, "time": timed(max(3, args.reps // 3), lambda: nx.single_source_shortest_path_length(g, hub))}

    def length(s, t):
        try:
            return len(nx.bidirectional_shortest_path(g, s, t)) - 1
        except nx.NetworkXNoPath:
            return None

    out["paths"] = []
    for kind in workload["paths"]:
        pairs = kind["pairs"]
        for s, t, expected in pairs:
            check.same("networkx", f"path length {s} -> {t}", expected, length(s, t))
        out["paths"].append({"kind": kind["kind"], "time": timed(args.reps, lambda: [length(s, t) for s, t, _ in pairs])})
    if "k_paths" in workload:
        out["k_paths"] = run_networkx_k_paths(args, workload["k_paths"], g, check)
    if "export" in workload:
        out["export"] = run_networkx_export(args, workload["export"], check)
    n = d.number_of_nodes()
    start = time.perf_counter()
    pr = nx.pagerank(d, alpha=0.85, tol=1e-10 / max(n, 1), max_iter=200)
    out["pagerank"] = {"seconds": time.perf_counter() - start, "top": max(pr, key=pr.get)}
    if args.betweenness:
        # govgraph is exact up to 20,000 entities and estimates from 256 sources above;
        # networkx exact on G1 would take hours, so above 5,000 entities it samples
        # (32 sources on G2, where one takes seconds) and the report compares time
        # per source (both do one BFS and one accumulation per source).
        k = None if n <= 5000 else (256 if n <= 100_000 else 32)
        start = time.perf_counter()
        bc = nx.betweenness_centrality(g, k=k, seed=1)
        out["betweenness"] = {"seconds": time.perf_counter() - start, "sampled": k, "top": max(bc, key=bc.get)}
    out["peak_rss_mib"] = peak_mib()
    return out


def run_networkx_k_paths(args, k_paths, g, check):
    """The k shortest simple paths, told apart by their entities as govgraph's are."""
    import itertools
    import networkx as nx

    k = k_paths["k"]
    pairs = k_paths["pairs"]

    def lengths(s, t):
        return [len(p) - 1 for p in itertools.islice(nx.shortest_simple_paths(g, s, t), k)]

    for s, t, expected in pairs:
        check.same("networkx", f"{k} shortest path lengths {s} -> {t}", expected, lengths(s, t))
    return {"time": timed(min(args.reps, 7), lambda: [lengths(s, t) for s, t, _ in pairs])}


def run_networkx_export(args, export, check):
    """GraphML of the same neighbourhood, with the attributes govgraph writes."""
    import io
    import networkx as nx

    members = set(export["entities"])
    sub = nx.MultiDiGraph()
    with open(args.nodes, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        id_col = next(h for h in reader.fieldnames if h.endswith(":ID"))
        for row in reader:
            if row[id_col] in members:
                sub.add_node(row[id_col], name=row.get("name", ""), kind=row.get("kind", ""))
    with open(args.relationships, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row[":START_ID"] in members and row[":END_ID"] in members:
                sub.add_edge(row[":START_ID"], row[":END_ID"], type=row[":TYPE"],
                             evidence=row.get("evidence", ""))
    check.same("networkx", "export entities", export["count"], sub.number_of_nodes())
    check.same("networkx", "export relations", export["relations"], sub.number_of_edges())

    def write():
        buffer = io.BytesIO()
        nx.write_graphml(sub, buffer)
        return buffer

    size = len(write().getvalue())
    return {"time": timed(min(args.reps, 7), write), "bytes": size}


def run_igraph(args, workload, ids, edges, check):
    import igraph as ig

    start = time.perf_counter()
    index = {v: i for i, v in enumerate(ids)}
    g = ig.Graph(n=len(ids), edges=[(index[s], index[t]) for s, t, ty in edges if ty != NEGATIVE], directed=True)
    out = {"version": ig.__version__, "load_s": time.perf_counter() - start}
    out["two_hop"] = []
    for row in workload["two_hop"]:
        v = index[row["id"]]
        count = g.neighborhood_size(v, order=2, mode="all")
        check.same("igraph", f"2-hop count of {row['id']}", row["count"], count)
        out["two_hop"].append(
            {"pick": row["pick"], "count": count,
             "time": timed(args.reps, lambda: g.neighborhood_size(v, order=2, mode="all"))})
    hub = index[workload["full_bfs"]["id"]]
    reached = len(g.bfs(hub, mode="all")[0])
    check.same("igraph", "full traversal size", workload["full_bfs"]["reached"], reached)
    out["full_bfs"] = {"reached": reached, "time": timed(args.reps, lambda: g.bfs(hub, mode="all"))}

    def length(s, t):
        d = g.distances(index[s], index[t], mode="all")[0][0]
        return None if d == float("inf") else int(d)

    out["paths"] = []
    for kind in workload["paths"]:
        pairs = kind["pairs"]
        for s, t, expected in pairs:
            check.same("igraph", f"path length {s} -> {t}", expected, length(s, t))
        out["paths"].append({"kind": kind["kind"], "time": timed(args.reps, lambda: [length(s, t) for s, t, _ in pairs])})
    start = time.perf_counter()
    pr = g.pagerank(directed=True, damping=0.85)
    out["pagerank"] = {"seconds": time.perf_counter() - start, "top": ids[max(range(len(pr)), key=pr.__getitem__)]}
    if args.betweenness and len(ids) <= 20_000:  # exact only: hours on G2
        start = time.perf_counter()
        bc = g.as_undirected(mode="collapse").betweenness()
        out["betweenness"] = {"seconds": time.perf_counter() - start, "top": ids[max(range(len(bc)), key=bc.__getitem__)]}
    out["peak_rss_mib"] = peak_mib()
    return out


def dir_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def run_kuzu(args, workload, check):
    import kuzu

    path = args.kuzu_dir
    shutil.rmtree(path, ignore_errors=True)
    start = time.perf_counter()
    db = kuzu.Database(path)
    conn = kuzu.Connection(db)
    conn.execute("CREATE NODE TABLE Entity(id STRING, name STRING, kind STRING, year INT64, aliases STRING, label STRING, PRIMARY KEY (id))")
    conn.execute("CREATE REL TABLE REL(FROM Entity TO Entity, type STRING, rid STRING, since INT64, until INT64, sections STRING, evidence STRING)")
    conn.execute(f"COPY Entity FROM '{os.path.abspath(args.nodes)}' (header=true, parallel=false)")
    conn.execute(f"COPY REL FROM '{os.path.abspath(args.relationships)}' (header=true, parallel=false)")
    load_s = time.perf_counter() - start
    del conn
    del db
    out = {"version": kuzu.__version__, "load_s": load_s}
    keep = f"(r, n | WHERE r.type <> '{NEGATIVE}')"
    two_hop = f"MATCH (a:Entity {{id: $id}})-[:REL*1..2 {keep}]-(b:Entity) WHERE b.id <> $id RETURN count(DISTINCT b.id)"
    path_q = f"MATCH (a:Entity {{id: $s}})-[r:REL* SHORTEST 1..30 {keep}]-(b:Entity {{id: $t}}) RETURN length(r)"

    # Cold start: open the database and answer a first query.
    first = workload["two_hop"][0]["id"]
    start = time.perf_counter()
    db = kuzu.Database(path)
    conn = kuzu.Connection(db)
    conn.execute(two_hop, {"id": first}).get_all()
    out["cold_start_s"] = time.perf_counter() - start
    out["disk_bytes"] = dir_size(path) if os.path.isdir(path) else os.path.getsize(path)

    def count(i):
        return conn.execute(two_hop, {"id": i}).get_all()[0][0] + 1

    out["two_hop"] = []
    reps = max(3, args.reps // 3)
    for row in workload["two_hop"]:
        got = count(row["id"])
        check.same("kuzu", f"2-hop count of {row['id']}", row["count"], got)
        out["two_hop"].append({"pick": row["pick"], "count": got, "time": timed(reps, lambda: count(row["id"]))})

    def length(s, t):
        if s == t:
            return 0
        rows = conn.execute(path_q, {"s": s, "t": t}).get_all()
        return rows[0][0] if rows else None

    out["paths"] = []
    for kind in workload["paths"]:
        pairs = kind["pairs"]
        for s, t, expected in pairs:
            check.same("kuzu", f"path length {s} -> {t}", expected, length(s, t))
        out["paths"].append({"kind": kind["kind"], "time": timed(reps, lambda: [length(s, t) for s, t, _ in pairs])})
    out["peak_rss_mib"] = peak_mib()
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", required=True)
    p.add_argument("--relationships", required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--reps", type=int, default=11)
    p.add_argument("--peers", default="networkx,igraph,kuzu")
    p.add_argument("--betweenness", action="store_true")
    p.add_argument("--kuzu-dir", default="/tmp/govgraph-bench-kuzu")
    args = p.parse_args()
    with open(args.workload, encoding="utf-8") as f:
        workload = json.load(f)
    check = Checker()
    results = {}
    ids = edges = None
    for peer in args.peers.split(","):
        if peer in ("networkx", "igraph") and ids is None:
            ids, edges = read_csv(args.nodes, args.relationships)
        if peer == "networkx":
            results[peer] = run_networkx(args, workload, ids, edges, check)
        elif peer == "igraph":
            results[peer] = run_igraph(args, workload, ids, edges, check)
        elif peer == "kuzu":
            results[peer] = run_kuzu(args, workload, check)
    results["problems"] = check.problems
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    for problem in check.problems[:20]:
        print("WRONG ANSWER:", problem, file=sys.stderr)
    sys.exit(1 if check.problems else 0)


if __name__ == "__main__":
    main()
