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
    n = d.number_of_nodes()
    start = time.perf_counter()
    pr = nx.pagerank(d, alpha=0.85, tol=1e-10 / max(n, 1), max_iter=200)
    out["pagerank"] = {"seconds": time.perf_counter() - start, "top": max(pr, key=pr.get)}
    if args.betweenness:
        k = None if n <= 5000 else 200
        start = time.perf_counter()
        bc = nx.betweenness_centrality(g, k=k, seed=1)
        out["betweenness"] = {"seconds": time.perf_counter() - start, "sampled": k, "top": max(bc, key=bc.get)}
    out["peak_rss_mib"] = peak_mib()
    return out


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
    if args.betweenness:
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
