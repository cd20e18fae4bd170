"""`make bench`: ingest against bare DuckDB read_csv, and build time/memory against archive size.

Prints one table per benchmark and writes everything to .bench/results.json. Sizes are
arguments so a quick run is possible (`make bench BENCH_ARGS="--tweets 1000000 --sizes 1m"`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain aligned text table."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))  # noqa: E731
    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from benchmarks import build_bench, ingest_bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ira", type=Path, default=Path("../shared/data/ira"))
    parser.add_argument("--tweets", type=int, default=5_000_000,
                        help="generated ingest archive size")
    parser.add_argument("--repeat", type=int, default=3,
                        help="baseline/ingest pairs per dataset (medians are reported)")
    parser.add_argument("--sizes", default="1m,4m,16m", help="generated build sizes")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {}
    ingest_args = ["--ira", str(args.ira), "--tweets", str(args.tweets),
                   "--repeat", str(args.repeat)]
    results["ingest"] = ingest_bench.main(ingest_args)
    print("\ningest (speed_vs_duckdb = bare read_csv seconds / our ingest seconds, medians of "
          "alternating runs; pair_ratios: each run's)")
    print(table(results["ingest"], ["dataset", "rows_read", "runs", "baseline_s", "ours_s",
                                    "speed_vs_duckdb", "pair_ratios", "rows_per_s",
                                    "baseline_rss_mb", "ours_rss_mb"]))
    if not args.skip_build:
        sizes = [build_bench._size(s) for s in args.sizes.split(",") if s]
        results["build"] = build_bench.bench_curve(sizes)
        print("\nbuild (timelines + all co-activity behaviours)")
        print(table(results["build"], sorted({k for r in results["build"] for k in r
                                              if not isinstance(r[k], dict | list)})))
    out = Path(".bench/results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwrote {out}")
    return results


if __name__ == "__main__":
    main()
