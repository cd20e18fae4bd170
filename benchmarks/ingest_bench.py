"""Benchmark of `sockpuppet ingest` against DuckDB's bare `read_csv` of the same files.

Both run as fresh child processes in the same session, one after the other, on the same files:
the baseline is `create table t as select * from read_csv([...])` into a new DuckDB file (what a
user would do by hand, with DuckDB's auto-detection), ours is the full ingest (sha256, layout
detection, staging with rejects, typing and row checks, entities, Great Expectations, one
transaction per file). Reported: rows/s, wall seconds, peak RSS of each, and the speed ratio
(baseline seconds / our seconds: 1.0 = as fast as bare DuckDB).

A VM's speed drifts (on the 2-core benchmark machine by 10% or more from hour to hour), so the
two are run alternately ``repeat`` times: the figures are the medians, and the per-pair ratios
show the spread.

Usage::

    .venv/bin/python -m benchmarks.ingest_bench --ira ../shared/data/ira --tweets 5000000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from benchmarks.build_bench import generated_archive
from benchmarks.peer import measure
from sockpuppet.load.sources import discover, open_decompressed

BENCH_DIR = Path(".bench/ingest")
BASELINE = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
    "con.execute('set threads = 2'); "
    "con.execute('create table t as select * from read_csv(?)', [sys.argv[2:]]); "
    "print(con.execute('select count(*) from t').fetchall()[0][0])"
)


def _csv_files(folder: Path) -> list[str]:
    return [str(s.path) for s in discover([folder]) if s.member is None]


def bench_ingest(
    name: str, folder: Path, workdir: Path = BENCH_DIR, repeat: int = 1
) -> dict[str, Any]:
    """Time bare read_csv and our ingest on the CSV files of ``folder``, alternately."""
    workdir.mkdir(parents=True, exist_ok=True)
    files = _csv_files(folder)
    groups: dict[tuple[str, ...], list[str]] = {}
    for f in files:  # read_csv needs one header per call: group the files by header
        with open_decompressed(Path(f)) as fh:
            header = fh.readline().decode("utf-8", errors="replace")
        groups.setdefault(tuple(header.strip().split(",")), []).append(f)
    base_db, our_db = workdir / f"{name}-baseline.duckdb", workdir / f"{name}-ours.duckdb"
    sockpuppet = str(Path(sys.executable).parent / "sockpuppet")
    baselines: list[float] = []
    runs: list[dict[str, Any]] = []
    baseline_rss = 0.0
    for _ in range(repeat):
        baseline_s = 0.0
        for group in groups.values():
            base_db.unlink(missing_ok=True)
            run = measure([sys.executable, "-c", BASELINE, str(base_db), *group])
            baseline_s += run["seconds"]
            baseline_rss = max(baseline_rss, run["max_rss_mb"])
        base_db.unlink(missing_ok=True)
        baselines.append(baseline_s)
        for stale in workdir.glob(f"{our_db.name}*"):
            stale.unlink()
        runs.append(measure([sockpuppet, "ingest", "--warehouse", str(our_db), *files]))
    ours_s = statistics.median(r["seconds"] for r in runs)
    baseline_s = statistics.median(baselines)
    pairs = [b / r["seconds"] for b, r in zip(baselines, runs, strict=True)]
    import duckdb

    con = duckdb.connect(str(our_db), read_only=True)
    rows = con.execute("select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from loads "
                       "where status = 'loaded'").fetchall()[0]
    con.close()
    return {
        "dataset": name,
        "files": len(files),
        "rows_read": int(rows[0]),
        "rows_quarantined": int(rows[2]),
        "runs": repeat,
        "baseline_s": round(baseline_s, 2),
        "ours_s": round(ours_s, 2),
        "speed_vs_duckdb": round(baseline_s / ours_s, 3),
        "pair_ratios": [round(p, 3) for p in pairs],
        "rows_per_s": round(int(rows[0]) / ours_s),
        "baseline_rss_mb": baseline_rss,
        "ours_rss_mb": max(r["max_rss_mb"] for r in runs),
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ira", type=Path, default=Path("../shared/data/ira"))
    parser.add_argument("--tweets", type=int, default=5_000_000,
                        help="size of the generated io-archive (0 to skip)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="baseline/ours pairs per dataset (medians are reported)")
    args = parser.parse_args(argv)
    results = []
    if args.ira.is_dir():
        results.append(bench_ingest("ira-sample", args.ira, repeat=args.repeat))
    if args.tweets:
        archive = generated_archive(args.tweets)
        results.append(bench_ingest(f"io-archive-{args.tweets // 1000}k", archive,
                                    repeat=args.repeat))
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
