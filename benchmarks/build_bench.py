"""Benchmark of ``sockpuppet build``: wall time and peak RSS against archive size.

``bench_build(source)`` takes a warehouse file (``*.duckdb``, already ingested) or an archive folder
(ingested first into ``.bench/build/<name>.duckdb``, reused on later runs), then runs
``sockpuppet.build.build`` in a fresh child process (spawn) and reports the child's wall time,
CPU seconds (its own and its worker processes') and peak resident memory: the larger of the
child's ``VmHWM`` (from /proc/self/status, so DuckDB's and polars' native memory is included and
the parent's is not) and the summed RSS of the child's process tree sampled every 50 ms (build
derives partitions side by side in worker processes).

``bench_curve(sizes)`` generates io-archive archives of about ``size`` tweets each (fixed seed;
``accounts x days`` scaled from the generator's ~1.05 tweets per account-day) and benchmarks each.

Usage::

    .venv/bin/python -m benchmarks.build_bench --sizes 1m,4m
    .venv/bin/python -m benchmarks.build_bench --source warehouse/sockpuppet.duckdb
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import threading
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(".bench/build")
TWEETS_PER_ACCOUNT_DAY = 1.05  # generator defaults (measured: 10,715 rows for 500 x 20)


def _peak_rss_mb() -> dict[str, float]:
    hwm = 0.0
    with open("/proc/self/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    ru = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # build's worker processes
    return {
        "vm_hwm_mb": round(hwm, 1),
        "ru_maxrss_mb": round(ru.ru_maxrss / 1024, 1),
        # CPU seconds (all threads, and the worker processes): comparable across runs on a
        # shared, busy machine
        "cpu_s": round(ru.ru_utime + ru.ru_stime + kids.ru_utime + kids.ru_stime, 1),
    }


def _child(conn: Any, warehouse: str, build_dir: str, overrides: dict[str, Any]) -> None:
    try:
        from sockpuppet.build import build
        from sockpuppet.settings import Settings

        s = Settings(warehouse=Path(warehouse), build_dir=Path(build_dir), **overrides)
        t0 = time.perf_counter()
        summary = build(s)
        summary["wall_s"] = round(time.perf_counter() - t0, 3)
        summary.update(_peak_rss_mb())
        conn.send(summary)
    except BaseException as exc:  # report, never hang the parent
        conn.send({"error": repr(exc)})
    finally:
        conn.close()


def _run_isolated(warehouse: Path, build_dir: Path, overrides: dict[str, Any]) -> dict[str, Any]:
    from benchmarks.peer import _tree_rss_kb

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(warehouse), str(build_dir), overrides))
    proc.start()
    child.close()
    # build derives partitions side by side in worker processes: the peak is the whole tree's
    # summed RSS (sampled every 50 ms), not the child's own high-water mark.
    peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid or 0))
            done.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    result: dict[str, Any] = parent.recv()
    done.set()
    poller.join()
    result["tree_rss_mb"] = round(peak[0] / 1024, 1)
    proc.join()
    if "error" in result:
        raise RuntimeError(f"build failed in the child process: {result['error']}")
    return result


def _posts(warehouse: Path) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return int(con.execute("select count(*) from posts").fetchall()[0][0])
    finally:
        con.close()


def ingest_once(archive: Path, warehouse: Path) -> float | None:
    """Ingest ``archive`` into ``warehouse`` unless it is there already; returns seconds."""
    if warehouse.exists() and _posts(warehouse) > 0:
        return None
    from sockpuppet.pipeline import ingest
    from sockpuppet.settings import Settings

    t0 = time.perf_counter()
    ingest([archive], settings=Settings(warehouse=warehouse))
    return round(time.perf_counter() - t0, 3)


def bench_build(
    source: Path | str,
    *,
    warehouse: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build ``source`` (warehouse file or archive folder) in a child; time and peak RSS."""
    source = Path(source)
    if source.suffix == ".duckdb":
        wh, ingest_s = source, None
    else:
        wh = warehouse or BENCH_DIR / f"{source.resolve().parent.name}_{source.name}.duckdb"
        wh.parent.mkdir(parents=True, exist_ok=True)
        ingest_s = ingest_once(source, wh)
    posts = _posts(wh)
    result = _run_isolated(wh, wh.with_suffix(".build"), overrides or {})
    return {
        "source": str(source),
        "warehouse": str(wh),
        "posts": posts,
        "ingest_s": ingest_s,
        "build_s": result["wall_s"],
        "cpu_s": result["cpu_s"],
        "load_avg": round(os.getloadavg()[0], 1),
        "posts_per_s": round(posts / result["wall_s"]) if result["wall_s"] else None,
        # the larger of the build process's own peak and its process tree's sampled sum
        "peak_rss_mb": max(result["vm_hwm_mb"], result["tree_rss_mb"]),
        "build_process_rss_mb": result["vm_hwm_mb"],
        "partitions": result["partitions"],
        "rows": result["rows"],
        "capped": result["capped"],
        "merge_s": result["merge_seconds"],
        # partitions run side by side, so their seconds add up to more than build_s
        "partition_s": result["partition_seconds"],
    }


def generated_archive(tweets: int, seed: int = 3, days: int = 120) -> Path:
    """An io-archive of about ``tweets`` tweets under .bench/build/ (generated once)."""
    from sockpuppet.generate import generate_archive

    accounts = max(200, round(tweets / (TWEETS_PER_ACCOUNT_DAY * days)))
    out = BENCH_DIR / f"gen_{tweets}_{seed}_{days}"
    if not (out / "archive").exists():
        generate_archive(out, seed=seed, accounts=accounts, days=days, layout="io-archive")
    return out / "archive"


def _size(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def bench_curve(sizes: list[int], days: int = 120) -> list[dict[str, Any]]:
    return [bench_build(generated_archive(n, days=days)) for n in sizes]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", help="warehouse .duckdb or archive folder")
    ap.add_argument("--sizes", default="1m", help="generated sizes, e.g. 1m,4m,16m")
    ap.add_argument("--days", type=int, default=120)
    args = ap.parse_args(argv)
    if args.source:
        results = [bench_build(args.source)]
    else:
        results = bench_curve([_size(s) for s in args.sizes.split(",")], days=args.days)
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
