"""`sockpuppet`: the command line. Every command is a thin call into :mod:`sockpuppet.pipeline`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sockpuppet.settings import Settings
from transforms.behaviors import BEHAVIORS

FORMATS = ("auto", "io-archive", "ira-csv", "share-events")
log = logging.getLogger("sockpuppet")


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "warehouse", None):
        overrides["warehouse"] = Path(args.warehouse)
    if getattr(args, "out", None):
        overrides["out"] = Path(args.out)
    if getattr(args, "behaviors", None):
        overrides["build_behaviors"] = args.behaviors
    return Settings(**overrides)


def _names(text: str) -> list[str]:
    """``co_retweet, co_url`` -> ["co_retweet", "co_url"] (Settings checks the names)."""
    return [n.strip() for n in text.split(",") if n.strip()]


def _print_loads(results: list[dict[str, Any]]) -> int:
    failed = 0
    for r in results:
        status = r["status"]
        if status == "failed":
            failed += 1
            print(f"FAILED  {r['source']}: {r['message']}", file=sys.stderr)
            continue
        print(
            f"{status:<8} {r['source']}  [{r['layout']}] read {r['rows_read']:,}  "
            f"loaded {r['rows_loaded']:,}  quarantined {r['rows_quarantined']:,}"
            + (f"  ({r['message']})" if r.get("message") else "")
        )
    return failed


def cmd_ingest(args: argparse.Namespace) -> int:
    from sockpuppet import pipeline

    results = pipeline.ingest(args.paths, args.format, _settings(args))
    failed = _print_loads(results)
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    from sockpuppet import pipeline

    print(json.dumps(pipeline.build(_settings(args)), indent=2, default=str))
    return 0


def cmd_detect(args: argparse.Namespace) -> int:
    from sockpuppet import pipeline

    print(json.dumps(pipeline.detect(_settings(args)), indent=2, default=str))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from sockpuppet import pipeline

    run_dir = pipeline.publish(args.out, _settings(args))
    print(f"published: {run_dir}")
    report = Path(run_dir) / "report.html"
    if report.exists():
        print(f"report:    {report}")
    return 0


def _default_inputs(settings: Settings) -> list[Path]:
    """The embedded default: the shared IRA sample, or a small generated archive."""
    if settings.sample_archive.is_dir() and any(settings.sample_archive.iterdir()):
        return [settings.sample_archive]
    from sockpuppet.generate import generate_archive

    target = settings.warehouse_path.parent / "generated-sample"
    if not (target / "archive").is_dir():
        print(f"{settings.sample_archive} is absent: generating a sample archive in {target}")
        generate_archive(target, seed=7, accounts=600, days=60)
    return [target / "archive"]


def cmd_run(args: argparse.Namespace) -> int:
    from sockpuppet import pipeline

    settings = _settings(args)
    paths = list(args.paths) or (_default_inputs(settings) if args.default else [])
    if not paths:
        print("sockpuppet run: give archive paths, or --default for the embedded sample",
              file=sys.stderr)
        return 2
    print(f"warehouse: {settings.warehouse_path}")
    summary = pipeline.run(paths, args.out, settings)
    failed = _print_loads(summary["ingest"])
    from sockpuppet.summary import print_run_summary

    print_run_summary(settings, summary)
    return 1 if failed else 0


def cmd_status(args: argparse.Namespace) -> int:
    from sockpuppet.summary import print_warehouse_status

    print_warehouse_status(_settings(args))
    return 0


def _param_value(text: str) -> Any:
    """A --param value: JSON when it parses (numbers, booleans, lists), else the string."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    return tuple(value) if isinstance(value, list) else value


def cmd_generate(args: argparse.Namespace) -> int:
    from sockpuppet.generate import generate_archive

    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"--param expects KEY=VALUE, got {item!r}", file=sys.stderr)
            return 2
        params[key.strip()] = _param_value(value)
    summary = generate_archive(
        Path(args.out_dir), seed=args.seed, accounts=args.accounts, days=args.days,
        layout=args.layout, **params,
    )
    print(f"wrote {summary.rows:,} rows ({summary.duplicates:,} duplicated on purpose) in "
          f"{len(summary.files)} files to {summary.archive_dir} in {summary.seconds:.1f}s")
    teams = ", ".join(f"{t}:{n}" for t, n in summary.teams.items())
    print(f"{summary.accounts:,} accounts, {summary.operated:,} operated in "
          f"{len(summary.teams)} teams ({teams}), {summary.switches} persona switches")
    print(f"ground truth: {summary.truth} and {summary.switches_file}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sockpuppet.evaluate import evaluate_warehouse, format_report
    from sockpuppet.warehouse import connect

    settings = _settings(args)
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        metrics = evaluate_warehouse(con, Path(args.truth) if args.truth else None)
    finally:
        con.close()
    print(json.dumps(metrics, indent=2, default=str) if args.json else format_report(metrics))
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--warehouse",
        default=None,
        help="DuckDB warehouse file "
        "(default: warehouse/sockpuppet.duckdb, env SOCKPUPPET_WAREHOUSE)",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging")

    parser = argparse.ArgumentParser(
        prog="sockpuppet",
        description="Turn released troll-account archives into evidence of who runs whom.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", parents=[common], help="load archives into the warehouse",
                       description="Load archive files, folders or zips into the warehouse. "
                       "A file already loaded (same sha256) is skipped; a changed file replaces "
                       "its rows; bad rows go to the quarantine table.")
    p.add_argument("--format", choices=FORMATS, default="auto",
                   help="archive layout (default: detect from the headers)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or .zip")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("build", parents=[common], help="derive timelines and co-activity tables",
                       description="Derive account_timeline, account_profile and "
                       "coactivity_pairs from the core tables.")
    p.add_argument("--behaviors", type=_names, default=None, metavar="NAMES",
                   help="comma-separated behaviours to derive (default: all, or the "
                   f"build_behaviors setting): {','.join(BEHAVIORS)}")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("detect", parents=[common],
                       help="find operator clusters and persona switches",
                       description="Cluster accounts on significant co-activity and find persona "
                       "switches, each with its evidence.")
    p.set_defaults(func=cmd_detect)

    p = sub.add_parser("publish", parents=[common], help="write views, exports and the report",
                       description="Write analyst views, Parquet/CSV/JSON/GraphML exports and "
                       "report.html into OUT/<run id>/.")
    p.add_argument("--out", default=None, help="output folder (default: published/)")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("run", parents=[common], help="ingest → build → detect → publish",
                       description="Run every stage end to end on the given archives.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="file, folder or .zip")
    p.add_argument("--out", default=None, help="where published findings go (default: published/)")
    p.add_argument("--default", action="store_true",
                   help="use the embedded default input "
                   "(the shared IRA sample, or a generated one)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("status", parents=[common], help="what the warehouse holds",
                       description="Summarise loads, row counts and quarantine.")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("generate", parents=[common],
                       help="write a synthetic archive with planted operations",
                       description="Write an archive with planted operator teams, and the ground "
                       "truth (truth.csv, switches.csv) beside it.")
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--accounts", type=int, default=2000)
    p.add_argument("--days", type=int, default=120)
    p.add_argument("--layout", choices=("io-archive", "ira-csv"), default="io-archive")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a generator parameter (see sockpuppet/generate/params.py), e.g. "
                   "--param fan_clubs=3 --param camouflage=0.8 --param zip=true; repeatable")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("evaluate", parents=[common], help="score detection against ground truth",
                       description="Score operator_clusters and persona_switches against a "
                       "generated archive's truth, or against IRA account_category labels.")
    p.add_argument("--truth", default=None, metavar="DIR",
                   help="folder with truth.csv and switches.csv (omit for IRA label purity)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Great Expectations logs its own start-up at INFO; only its warnings matter to users.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    from pydantic import ValidationError

    from sockpuppet.errors import SockpuppetError

    try:
        return int(args.func(args))
    except SockpuppetError as exc:
        print(f"sockpuppet {args.command}: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a setting from the environment or .env
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            print(f"sockpuppet {args.command}: setting {where}: {error['msg']}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the file being loaded was rolled back", file=sys.stderr)
        return 130


def run() -> None:
    """The console script: ``main``, then exit without tearing the interpreter down.

    Unloading Great Expectations' modules at exit takes ~0.8 s, after the work is done; output
    is flushed first, and every connection a command opens is closed by the command.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
