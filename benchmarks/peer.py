"""Benchmark against a peer tool: QUT Digital Observatory's coordination-network-toolkit 1.5.2.

The peer runs in its own venv (``.bench/peer-venv``, created on first use with ``python -m venv``
and ``pip install coordination-network-toolkit==1.5.2``). For an archive (generated, or given)
the script:

1. converts it to the peer's CSV input (header row; columns by position: message_id, user_id,
   username, repost_id, reply_id, message, timestamp in epoch seconds, space-separated urls;
   SQL in ``sql/bench/peer_input_*.sql``);
2. runs ``compute_networks DB preprocess --format csv FILE`` and, per behaviour,
   ``compute_networks DB compute <co_retweet|co_tweet|co_link|co_reply> --time_window W
   --min_edge_weight 2 --n_cpus 2``, each as a child process whose wall time and peak RSS are
   measured (``os.wait4`` gives the child's own rusage; a /proc poller adds the whole process
   tree's summed RSS, since the peer forks worker processes);
3. reads its edge tables (``co_<behaviour>_network`` in its SQLite DB; rows come in both
   directions and with self-loops, which we fold and drop).

Peer defects handled explicitly (and reported): its CLI default window is 1 s (we always pass
``--time_window``), and a message without URLs is stored with the URL ``""``, so co_link links
every pair of link-less posters within the window. We report its raw co_link edges, then delete
the ``""`` rows and recompute, and compare with the clean edges.

Our side (ingest + build of ``coactivity_pairs``) is called through ``sockpuppet.pipeline`` in
`run_ours`; a second measured child then builds the same warehouse with only the peer's four
behaviours (``build_behaviors``; timelines and profiles are still built), the like-for-like
figure beside the issue's (every behaviour and table against the peer's four). `peer_clusters`
clusters the peer's co_retweet network with Leiden so `sockpuppet.evaluate` scores both tools
the same way.

Usage::

    .venv/bin/python -m benchmarks.peer --accounts 400 --days 40 --window 60   # or make bench-peer
    .venv/bin/python -m benchmarks.peer --archive ../shared/data/ira --window 60 --no-ours
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from sockpuppet.settings import PROJECT_ROOT
from sockpuppet.warehouse import sql_text

PEER_PACKAGE = "coordination-network-toolkit==1.5.2"
PEER_VENV = PROJECT_ROOT / ".bench" / "peer-venv"
BEHAVIOURS = ("co_retweet", "co_tweet", "co_link", "co_reply")
# The peer's network names and the matching behaviour in our coactivity_pairs.
PEER_TO_OURS = {"co_retweet": "co_retweet", "co_reply": "co_reply", "co_link": "co_url",
                "co_tweet": "co_text"}
Edge = tuple[str, str]


# --- the peer's environment ----------------------------------------------------------------
def ensure_peer(venv: Path = PEER_VENV) -> Path:
    """Path of the peer's ``compute_networks``, installing it into ``venv`` when absent."""
    exe = venv / "bin" / "compute_networks"
    if not exe.exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                        PEER_PACKAGE], check=True)
    return exe


# --- measuring a child process -----------------------------------------------------------------
def _tree_rss_kb(root: int, include_root: bool = True) -> int:
    """Summed RSS (kB) of ``root``'s descendants (and ``root`` itself), from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()  # after "pid (comm) "
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page_kb
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    total = rss.get(root, 0) if include_root else 0
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


# A tiny wrapper between us and the measured command. Linux carries a process's RSS high-water
# mark across fork and exec, so a command forked straight from this (large) Python would report
# at least our own RSS as its peak; forked from this small wrapper, it reports its own.
_WRAPPER = """
import json, os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], dict(os.environ))
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump({"max_rss_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, f)
"""


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """Run ``cmd`` in a fresh child; return wall seconds, its peak RSS and the tree's (MB).

    ``max_rss_mb`` is ``ru_maxrss`` from ``wait4`` in a small wrapper process: the largest
    single process among the command and its waited-for descendants. ``tree_rss_mb`` is the
    largest summed RSS of the command's live process tree, sampled every 50 ms (the peer runs
    worker pools side by side, which ``ru_maxrss`` does not add up).
    """
    where = Path(cwd or ".")
    usage_file = where / f".measure-{os.getpid()}.json"
    log = open(where / f".measure-{os.getpid()}.log", "w+b")  # noqa: SIM115
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-S", "-c", _WRAPPER, str(usage_file), *cmd],
                            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid, include_root=False))
            done.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    proc.wait()
    done.set()
    poller.join()
    seconds = time.perf_counter() - started
    log.seek(0)
    output = log.read().decode(errors="replace")
    log.close()
    os.unlink(log.name)
    usage = json.loads(usage_file.read_text()) if usage_file.exists() else {"code": -1}
    usage_file.unlink(missing_ok=True)
    if proc.returncode != 0 or usage["code"] != 0:
        raise RuntimeError(f"{cmd[0]} failed ({usage['code']}):\n{output[-3000:]}")
    return {"seconds": round(seconds, 3), "max_rss_mb": round(usage["max_rss_kb"] / 1024, 1),
            "tree_rss_mb": round(peak[0] / 1024, 1), "cmd": " ".join(cmd[1:])}


def _duckdb() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    return con


# --- input conversion -----------------------------------------------------------------------
def archive_files(archive_dir: Path, scratch: Path) -> tuple[str, list[str]]:
    """(layout, CSV paths DuckDB can read) of an archive folder; zips are unpacked to scratch
    (DuckDB reads .csv.gz itself)."""
    scratch.mkdir(parents=True, exist_ok=True)
    plain: list[Path] = []
    for path in sorted(Path(archive_dir).iterdir()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for member in z.namelist():
                    z.extract(member, scratch)
                    plain.append(scratch / member)
        elif path.suffix == ".csv" or path.name.endswith(".csv.gz"):
            plain.append(path)
    tweets = [str(p) for p in plain if "_tweets_csv_hashed" in p.name]
    if tweets:
        return "io-archive", tweets
    ira = [str(p) for p in plain if p.name.startswith("IRAhandle_tweets")]
    if ira:
        return "ira-csv", ira
    raise FileNotFoundError(f"no io-archive or IRA tweets files in {archive_dir}")


def write_peer_input(archive_dir: Path, out_csv: Path) -> dict[str, Any]:
    """Convert an archive to the peer's CSV input; returns layout, rows and link-less rows."""
    layout, files = archive_files(archive_dir, out_csv.parent / "unpacked")
    name = "bench/peer_input_io" if layout == "io-archive" else "bench/peer_input_ira"
    con = _duckdb()
    rel = con.sql(sql_text(name), params={"files": files})
    rel.write_csv(str(out_csv), header=True)
    rows, no_url = con.execute(
        "select count(*), count(*) filter (where coalesce(urls, '') = '') "
        "from read_csv(?, header = true, "
        "all_varchar = true)", [str(out_csv)]).fetchall()[0]
    return {"layout": layout, "rows": rows, "rows_without_url": no_url}


# --- running the peer ----------------------------------------------------------------------
def peer_edges(db: Path, behaviour: str, exclude: set[str] | None = None) -> dict[Edge, int]:
    """The peer's edges for ``behaviour``, folded to (a < b) with the larger direction's weight,
    without self-loops."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            f"select min(user_1, user_2), max(user_1, user_2), max(weight) "  # noqa: S608
            f"from {behaviour}_network where user_1 != user_2 group by 1, 2"
        ).fetchall()
    finally:
        con.close()
    exclude = exclude or set()
    return {(str(a), str(b)): int(w) for a, b, w in rows if a not in exclude and b not in exclude}


def run_peer(archive_dir: Path, window_s: int, workdir: Path,
             behaviours: tuple[str, ...] = BEHAVIOURS, min_edge_weight: int = 2,
             n_cpus: int = 2, venv: Path = PEER_VENV) -> dict[str, Any]:
    """Run the peer on an archive; returns timings, peak RSS and edges per behaviour.

    ``edges[b]`` maps (account_a, account_b) to the peer's weight; for co_link the edges come
    from the recomputation without the ``""`` URL, and the raw count is in ``empty_url``.
    """
    exe = ensure_peer(venv)
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "peer.db"
    for stale in workdir.glob("peer.db*"):
        stale.unlink()
    started = time.perf_counter()
    peer_csv = workdir / "peer_input.csv"
    conversion = write_peer_input(Path(archive_dir), peer_csv)
    conversion["seconds"] = round(time.perf_counter() - started, 3)
    result: dict[str, Any] = {"window_s": window_s, "min_edge_weight": min_edge_weight,
                              "input": conversion, "compute": {}, "edges": {}}
    result["preprocess"] = measure([str(exe), str(db), "preprocess", "--format", "csv",
                                    str(peer_csv)], cwd=workdir)
    args = ["--time_window", str(window_s), "--min_edge_weight", str(min_edge_weight),
            "--n_cpus", str(n_cpus)]
    for behaviour in behaviours:
        result["compute"][behaviour] = measure([str(exe), str(db), "compute", behaviour, *args],
                                               cwd=workdir)
        result["edges"][behaviour] = peer_edges(db, behaviour)
    if "co_link" in behaviours:
        raw = result["edges"]["co_link"]
        con = sqlite3.connect(db)
        with con:
            empty = con.execute("select count(*) from message_url where url = ''").fetchone()[0]
            con.execute("delete from message_url where url = ''")
        con.close()
        result["compute"]["co_link_clean"] = measure(
            [str(exe), str(db), "compute", "co_link", *args], cwd=workdir)
        clean = peer_edges(db, "co_link")
        result["edges"]["co_link"] = clean
        result["empty_url"] = {"message_url_rows": empty, "co_link_edges_raw": len(raw),
                               "co_link_edges_clean": len(clean),
                               "edges_only_from_empty_url": len(set(raw) - set(clean))}
    result["peer_seconds_total"] = round(
        result["preprocess"]["seconds"]
        + sum(m["seconds"] for b, m in result["compute"].items() if b != "co_link_clean"), 3)
    return result


# --- our side -------------------------------------------------------------------------------
def run_ours(archive_dir: Path, window_s: int, workdir: Path,
             min_edge_weight: int = 2) -> dict[str, Any]:
    """Ingest + build with sockpuppet in a measured child process; edges from coactivity_pairs.

    For a like-for-like comparison every ``window_co_*_s`` setting is set to ``window_s`` (our
    defaults differ per behaviour), through the environment of the child.
    """
    from sockpuppet.settings import Settings  # noqa: PLC0415

    warehouse = workdir / "ours.duckdb"
    for stale in workdir.glob("ours.duckdb*"):
        stale.unlink()
    shutil.rmtree(workdir / "ours-build", ignore_errors=True)
    env = {**os.environ, "SOCKPUPPET_WAREHOUSE": str(warehouse),
           "SOCKPUPPET_BUILD_DIR": str(workdir / "ours-build")}
    for name in Settings.model_fields:
        if name.startswith("window_co_"):
            env[f"SOCKPUPPET_{name.upper()}"] = str(window_s)
    run = measure([sys.executable, "-m", "benchmarks.peer", "_ours_child", str(archive_dir)],
                  cwd=PROJECT_ROOT, env=env)
    stages_file = warehouse.with_suffix(".stages.json")
    if stages_file.exists():
        run.update(json.loads(stages_file.read_text()))
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("set enable_progress_bar = false")
    rows = con.execute(
        "select behavior, account_a, account_b, sum(shared_events) as weight "
        "from coactivity_pairs group by all having sum(shared_events) >= ?",
        [min_edge_weight]).fetchall()
    con.close()
    edges: dict[str, dict[Edge, int]] = {}
    for behaviour, a, b, w in rows:
        edges.setdefault(behaviour, {})[(a, b)] = int(w)
    # Like for like: the same build with only the behaviours the peer computes.
    stages_file.unlink(missing_ok=True)
    same = measure([sys.executable, "-m", "benchmarks.peer", "_ours_child"],
                   cwd=PROJECT_ROOT,
                   env={**env, "SOCKPUPPET_BUILD_BEHAVIORS": json.dumps(
                       [PEER_TO_OURS[b] for b in BEHAVIOURS])})
    if stages_file.exists():
        same.update(json.loads(stages_file.read_text()))
    run["build_peer_behaviours"] = same
    return {"run": run, "edges": edges}




def _ours_child(archive_dir: str | None) -> None:
    """Body of the measured child: ingest the archive folder (if given), then build (settings
    from env)."""
    from sockpuppet import pipeline  # noqa: PLC0415
    from sockpuppet.settings import get_settings  # noqa: PLC0415

    started = time.perf_counter()
    if archive_dir is not None:
        pipeline.ingest([Path(archive_dir)])
    ingested = time.perf_counter()
    pipeline.build()
    stages = {"ingest_s": round(ingested - started, 2),
              "build_s": round(time.perf_counter() - ingested, 2)}
    # The parent compares the build alone with the peer's preprocess + compute.
    get_settings().warehouse_path.with_suffix(".stages.json").write_text(json.dumps(stages))


# --- comparison -------------------------------------------------------------------------------
def compare_edges(peer_edges: dict[str, dict[Edge, int] | set[Edge]],
                  our_edges: dict[str, dict[Edge, int] | set[Edge]]) -> dict[str, dict[str, Any]]:
    """Per behaviour (peer names; ours mapped by `PEER_TO_OURS`): sizes, Jaccard, and the
    peer's precision / recall taking our edges as the reference."""
    out: dict[str, dict[str, Any]] = {}
    for behaviour, peer in peer_edges.items():
        p = {tuple(sorted(e)) for e in peer}
        o = {tuple(sorted(e)) for e in our_edges.get(PEER_TO_OURS.get(behaviour, behaviour), ())}
        both = len(p & o)
        union = len(p | o)
        out[behaviour] = {"peer": len(p), "ours": len(o), "both": both,
                          "jaccard": both / union if union else None,
                          "precision": both / len(p) if p else None,
                          "recall": both / len(o) if o else None}
    return out


def edge_truth(edges: dict[Edge, int] | set[Edge], truth: pl.DataFrame) -> dict[str, Any]:
    """How an edge set relates to planted teams: the share of edges inside one team, and the
    share of same-team pairs the edges cover."""
    team = {a: t for a, t in zip(truth["account_id"], truth["team"].fill_null(""), strict=True)
            if t}
    inside = sum(1 for a, b in edges if team.get(a) and team.get(a) == team.get(b))
    sizes = truth.filter(pl.col("team").fill_null("") != "").group_by("team").len()["len"]
    pairs = int(sum(n * (n - 1) // 2 for n in sizes.to_list()))
    return {"edges": len(edges), "same_team_edges": inside,
            "edge_precision": inside / len(edges) if edges else None,
            "team_pair_recall": inside / pairs if pairs else None}


def peer_clusters(edges: dict[Edge, int], min_size: int = 2, seed: int = 0) -> pl.DataFrame:
    """Leiden (modularity, weighted) communities of an edge set as (account_id, cluster_id),
    largest first, clusters smaller than ``min_size`` dropped: scored like operator_clusters."""
    import igraph as ig  # noqa: PLC0415
    import leidenalg  # noqa: PLC0415

    if not edges:
        return pl.DataFrame(schema={"account_id": pl.String, "cluster_id": pl.String})
    names = sorted({x for e in edges for x in e})
    index = {n: i for i, n in enumerate(names)}
    graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in edges])
    partition = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition,
                                         weights=list(edges.values()), seed=seed)
    groups = sorted((sorted(names[i] for i in c) for c in partition if len(c) >= min_size),
                    key=lambda g: (-len(g), g[0]))
    rows = [(a, f"P{k + 1:04d}") for k, group in enumerate(groups) for a in group]
    return pl.DataFrame(rows, schema=["account_id", "cluster_id"], orient="row")


def load_peer_clusters(db: Path, behaviour: str = "co_retweet", seed: int = 0) -> pl.DataFrame:
    """Leiden clusters of a network the peer computed into ``db`` (see `peer_clusters`)."""
    return peer_clusters(peer_edges(db, behaviour), seed=seed)


# --- command line ---------------------------------------------------------------------------
def _score_clusters(clusters: pl.DataFrame, truth_dir: Path | None, archive_dir: Path,
                    scratch: Path) -> dict[str, Any]:
    from sockpuppet.evaluate import (  # noqa: PLC0415
        read_truth,
        score_against_categories,
        score_against_truth,
    )

    if truth_dir is not None and (truth_dir / "truth.csv").exists():
        truth, planted = read_truth(truth_dir)
        scores = score_against_truth(
            clusters, pl.DataFrame(schema={"account_id": pl.String, "switch_at": pl.Date}),
            truth, planted)
        return {k: v for k, v in scores.items() if not k.startswith("switch")
                and not isinstance(v, pl.DataFrame)}
    layout, files = archive_files(archive_dir, scratch)
    if layout != "ira-csv":
        return {}
    con = _duckdb()
    cats = con.sql(
        "select external_author_id as account_id, any_value(account_category) as category "
        "from read_csv($files, header = true, all_varchar = true) group by 1",
        params={"files": files}).pl()
    return score_against_categories(clusters, cats)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_ours_child"]:
        _ours_child(argv[1] if len(argv) > 1 else None)
        return {}
    parser = argparse.ArgumentParser(prog="benchmarks.peer", description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, help="archive folder (default: generate one)")
    parser.add_argument("--truth", type=Path, help="folder with truth.csv (generated archives)")
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / ".bench" / "peer")
    parser.add_argument("--accounts", type=int, default=400)
    parser.add_argument("--days", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", default="io-archive")
    parser.add_argument("--window", type=int, default=60, help="seconds (archives: minutes)")
    parser.add_argument("--min-edge-weight", type=int, default=2)
    parser.add_argument("--n-cpus", type=int, default=2)
    parser.add_argument("--ours", action=argparse.BooleanOptionalAction, default=True,
                        help="also run our ingest+build on the archive and compare edges")
    args = parser.parse_args(argv)
    workdir: Path = args.workdir.resolve()
    archive, truth_dir = args.archive, args.truth
    generated: dict[str, Any] = {}
    if archive is None:
        from sockpuppet.generate import generate_archive  # noqa: PLC0415

        summary = generate_archive(workdir / "generated", seed=args.seed, accounts=args.accounts,
                                   days=args.days, layout=args.layout)
        archive, truth_dir = summary.archive_dir, summary.out_dir
        generated = {"rows": summary.rows, "accounts": summary.accounts,
                     "seconds": round(summary.seconds, 2)}
    peer = run_peer(archive, args.window, workdir / "run", min_edge_weight=args.min_edge_weight,
                    n_cpus=args.n_cpus)
    report: dict[str, Any] = {
        "archive": str(archive), "generated": generated, "window_s": args.window,
        "input": peer["input"], "preprocess": peer["preprocess"], "compute": peer["compute"],
        "peer_seconds_total": peer["peer_seconds_total"], "empty_url": peer.get("empty_url"),
        "peer_edges": {b: len(e) for b, e in peer["edges"].items()},
    }
    if truth_dir is not None:
        truth = pl.read_csv(Path(truth_dir) / "truth.csv", infer_schema=False)
        report["peer_edges_vs_truth"] = {b: edge_truth(e, truth)
                                         for b, e in peer["edges"].items()}
    clusters = peer_clusters(peer["edges"]["co_retweet"], seed=args.seed)
    report["peer_co_retweet_leiden"] = _score_clusters(clusters, truth_dir, Path(archive),
                                                       workdir / "run" / "unpacked")
    if args.ours:
        ours = run_ours(Path(archive), args.window, workdir / "run", args.min_edge_weight)
        report["ours"] = ours["run"]
        if "build_s" in ours["run"]:
            # Issue 4's figure: our build against the peer's preprocess + four computes.
            report["peer_over_our_build"] = round(
                peer["peer_seconds_total"] / max(ours["run"]["build_s"], 1e-9), 2)
        same = ours["run"].get("build_peer_behaviours", {})
        if "build_s" in same:
            report["peer_over_our_build_same_behaviours"] = round(
                peer["peer_seconds_total"] / max(same["build_s"], 1e-9), 2)
        report["comparison"] = compare_edges(peer["edges"], ours["edges"])
    (workdir / "report.json").write_text(json.dumps(report, indent=2, default=str))
    print(summary_tables(report))
    print(f"\nfull report: {workdir / 'report.json'}")
    return report


def summary_tables(report: dict[str, Any]) -> str:
    """The report's headline figures as two plain tables: cost, then edge agreement."""
    from benchmarks.run import table  # noqa: PLC0415

    steps = [{"tool": "peer", "step": "preprocess", **_cost(report["preprocess"])}]
    steps += [{"tool": "peer", "step": name, **_cost(m)} for name, m in report["compute"].items()]
    steps.append({"tool": "peer", "step": "total (preprocess + 4 computes)",
                  "seconds": report["peer_seconds_total"]})
    if "ours" in report:
        ours = report["ours"]
        steps.append({"tool": "sockpuppet", "step": "ingest", "seconds": ours.get("ingest_s")})
        steps.append({"tool": "sockpuppet", "step": "build (all behaviours + timelines)",
                      "seconds": ours.get("build_s")})
        steps.append({"tool": "sockpuppet", "step": "ingest + build", **_cost(ours)})
        same = ours.get("build_peer_behaviours", {})
        steps.append({"tool": "sockpuppet", "step": "build (the peer's 4 behaviours + timelines)",
                      "seconds": same.get("build_s"), "max_rss_mb": same.get("max_rss_mb"),
                      "tree_rss_mb": same.get("tree_rss_mb")})
    lines = [f"window {report['window_s']} s; archive {report['archive']}",
             table(steps, ["tool", "step", "seconds", "max_rss_mb", "tree_rss_mb"])]
    if "peer_over_our_build" in report:
        lines.append(f"peer total / our build = {report['peer_over_our_build']}x")
    if "peer_over_our_build_same_behaviours" in report:
        lines.append("peer total / our build of the same 4 behaviours = "
                     f"{report['peer_over_our_build_same_behaviours']}x")
    if "comparison" in report:
        rows = [{"behaviour": b, **{k: (round(v, 3) if isinstance(v, float) else v)
                                     for k, v in c.items()}}
                for b, c in report["comparison"].items()]
        lines.append(table(rows, ["behaviour", "peer", "ours", "both", "jaccard", "precision",
                                  "recall"]))
    return "\n\n".join(lines)


def _cost(measured: dict[str, Any]) -> dict[str, Any]:
    return {k: measured.get(k) for k in ("seconds", "max_rss_mb", "tree_rss_mb")}


if __name__ == "__main__":
    main()
