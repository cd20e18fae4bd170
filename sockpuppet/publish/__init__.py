"""Publishing findings: analyst views, exports, the account graph, the report (issue 6).

``publish(out_dir, settings)`` writes one run folder ``out_dir/<run id>/``::

    tables/<view>.parquet, tables/<view>.csv   every v_* view (CSV guarded against formulas)
    clusters/<slug>.csv                        evidence per cluster
    findings.json                              clusters, members, evidence, switches, changes
    accounts.graphml, accounts.gexf            clustered accounts and their ties
    report.html, summary.md                    for people
    manifest.json                              inputs, parameters, code version, counts, timings

and then points ``out_dir/latest`` (and ``out_dir/LATEST``) at it. Everything downstream of
the views reads only ``v_*`` views.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from sockpuppet.publish import (
    changes,
    exports,
    findings,
    graph_files,
    manifest,
    report,
    run_folder,
    summary_md,
    views,
)
from sockpuppet.settings import Settings, get_settings
from sockpuppet.warehouse import connect

log = logging.getLogger(__name__)

__all__ = ["publish"]


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = round(time.perf_counter() - start, 3)


def publish(out_dir: Path, settings: Settings | None = None) -> Path:
    """Write views, exports and the report into a new run folder; return that folder."""
    settings = settings or get_settings()
    started = datetime.now(UTC)
    timings: dict[str, float] = {}
    # the write lock is needed only to (re)create the views; everything after reads
    con = connect(settings.warehouse_path, settings=settings)
    try:
        with _timed(timings, "views"):
            status = views.create_views(con)
    finally:
        con.close()
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        with _timed(timings, "read"):
            found = findings.read_findings(con, status)
        code = manifest.code_version()
        params = manifest.parameters(settings, found.detection_parameters)
        inputs = manifest.inputs(found.loads)
        previous = run_folder.latest_run(out_dir)
        folder = run_folder.new_run_folder(
            out_dir, {"inputs": inputs, "parameters": params, "code": code}, started)
        run = {"run_id": folder.name, "created_at": started.strftime("%Y-%m-%d %H:%M UTC"),
               "previous_run": previous.name if previous else None, "code": code,
               "parameters": params}

        with _timed(timings, "exports"):
            tables = exports.write_views(con, status.created, folder)
            sheets = exports.write_cluster_sheets(found.evidence, folder)
        with _timed(timings, "changes"):
            current = changes.memberships(found.members.to_dicts())
            detect_status = dict(zip(found.clusters["cluster_id"].to_list(),
                                     found.clusters["status"].to_list(), strict=True))
            diff = changes.diff_clusters(changes.previous_memberships(previous), current,
                                         detect_status)
            findings.write_json(findings.findings_document(found, run, diff),
                                folder / "findings.json")
        with _timed(timings, "graph"):
            graph = graph_files.write_graphs(found.members, found.edges, folder)
        with _timed(timings, "report"):
            days = findings.account_days(con, _drawn_accounts(found, settings))
            html = report.render_report(found, days, settings, run, diff, status.skipped, graph)
            report.write_report(folder / "report.html", html)
            (folder / "summary.md").write_text(
                summary_md.render_summary(found, run, diff), encoding="utf-8")
    finally:
        con.close()

    document: dict[str, Any] = {
        **run,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "views": {"created": status.created, "skipped": status.skipped,
                  "policy": "a view whose tables do not exist yet is skipped, not faked"},
        "row_counts": {view: t["rows"] for view, t in tables.items()},
        "graph": graph,
        "cluster_sheets": sheets,
        "timings_s": timings,
        "files": manifest.files_written(folder),
    }
    findings.write_json(document, folder / "manifest.json")
    run_folder.point_latest(out_dir, folder)
    log.info("published %s (%d views, %d skipped)", folder, len(status.created),
             len(status.skipped))
    return folder


def _drawn_accounts(found: findings.Findings, settings: Settings) -> list[str]:
    """Accounts whose daily activity the report draws: top clusters' members, switchers."""
    top = found.clusters.sort("size", descending=True).head(settings.report_clusters)
    members = found.members.filter(pl.col("cluster_id").is_in(top["cluster_id"].to_list()))
    switchers = found.switches.sort("switch_at").head(settings.report_switches)
    return sorted({*members["account_id"].to_list(), *switchers["account_id"].to_list()})
