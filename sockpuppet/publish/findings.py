"""The findings of a run, read from the analyst views, and ``findings.json``.

``Findings`` holds polars frames of the ``v_*`` views the report and the exports need. A view
that was skipped (its tables do not exist yet) gives an empty frame with the columns used
downstream, so every consumer handles "nothing detected yet" the same way as "nothing found".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from sockpuppet.publish.views import ViewStatus
from sockpuppet.warehouse import sql_text

_S, _F, _I = pl.String, pl.Float64, pl.Int64
_LS = pl.List(pl.String)
_T = pl.Datetime("us")
# Columns consumers rely on, for views that could not be created.
EMPTY_SCHEMAS: dict[str, dict[str, Any]] = {
    "v_clusters": {"cluster_id": _S, "size": _I, "density": _F, "behaviors": _LS,
                   "first_at": _T, "last_at": _T, "description": _S, "status": _S,
                   "members": _I, "handles": _LS, "dominant_category": _S,
                   "dominant_category_share": _F},
    "v_cluster_members": {"cluster_id": _S, "account_id": _S, "handle": _S, "category": _S,
                          "strength": _F, "posts": _I},
    "v_cluster_evidence": {"cluster_id": _S, "rank": _I, "behavior": _S, "target": _S,
                           "accounts": _LS, "handles": _LS, "times": pl.List(_T),
                           "max_lag_s": _F, "sample_text": _S},
    "v_persona_switches": {"account_id": _S, "handle": _S, "category": _S,
                           "switch_at": pl.Date, "from_cluster": _S, "to_cluster": _S,
                           "partners_before": _LS, "partner_handles_before": _LS,
                           "partners_after": _LS, "partner_handles_after": _LS,
                           "hashtags_before": _LS, "hashtags_after": _LS,
                           "silence_days": _F, "handles_before": _LS, "handles_after": _LS,
                           "evidence": _S},
    "v_loads": {"load_id": _I, "path": _S, "member": _S, "sha256": _S, "layout": _S,
                "release": _S, "status": _S, "rows_loaded": _I, "posts": _I, "accounts": _I},
    "v_detect_runs": {"run_id": _I, "started_at": _T, "parameters": _S, "clusters": _I,
                      "switches": _I},
    "account_days": {"account_id": _S, "handle": _S, "day": pl.Date, "posts": _I},
    "member_edges": {"account_a": _S, "account_b": _S, "behavior": _S, "weight": _F,
                     "shared_events": _I, "shared_targets": _I},
}


@dataclass
class Findings:
    clusters: pl.DataFrame
    members: pl.DataFrame
    evidence: pl.DataFrame
    switches: pl.DataFrame
    loads: pl.DataFrame
    detect_runs: pl.DataFrame
    edges: pl.DataFrame
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def detection_parameters(self) -> dict[str, Any]:
        """The parameters of the latest detection run (parsed), or {}."""
        if self.detect_runs.is_empty():
            return {}
        raw = self.detect_runs.sort("started_at")["parameters"][-1]
        try:
            return json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        except ValueError:
            return {"raw": raw}


def read_view(con: duckdb.DuckDBPyConnection, view: str, status: ViewStatus) -> pl.DataFrame:
    if view in status:
        return con.table(view).pl()
    return pl.DataFrame(schema=EMPTY_SCHEMAS[view])


def read_findings(con: duckdb.DuckDBPyConnection, status: ViewStatus) -> Findings:
    edges = (
        con.sql(sql_text("publish/member_edges")).pl()
        if {"v_cluster_members", "v_coactivity"} <= set(status.created)
        else pl.DataFrame(schema=EMPTY_SCHEMAS["member_edges"])
    )
    totals = con.sql(sql_text("publish/totals")).pl().to_dicts()[0]
    return Findings(
        clusters=read_view(con, "v_clusters", status),
        members=read_view(con, "v_cluster_members", status),
        evidence=read_view(con, "v_cluster_evidence", status),
        switches=read_view(con, "v_persona_switches", status),
        loads=read_view(con, "v_loads", status),
        detect_runs=read_view(con, "v_detect_runs", status),
        edges=edges,
        totals=totals,
    )


def account_days(con: duckdb.DuckDBPyConnection, account_ids: list[str]) -> pl.DataFrame:
    """Daily activity (``v_account_timeline``) of just these accounts."""
    if not account_ids:
        return pl.DataFrame(schema=EMPTY_SCHEMAS["account_days"])
    return con.sql(sql_text("publish/account_days"), params=[account_ids]).pl()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def findings_document(
    f: Findings, run: dict[str, Any], changes: list[dict[str, Any]]
) -> dict[str, Any]:
    """Assemble the content of ``findings.json`` (keys fixed; see docs/views.md)."""
    return {
        "run": run,
        "totals": f.totals,
        "clusters": f.clusters.to_dicts(),
        "members": f.members.to_dicts(),
        "evidence": f.evidence.to_dicts(),
        "switches": f.switches.to_dicts(),
        "changes": changes,
    }


def write_json(document: dict[str, Any], path: Path) -> None:
    # ensure_ascii keeps the file plain ASCII whatever scripts (or lone surrogates) the data holds
    path.write_text(json.dumps(document, indent=1, default=_json_default, ensure_ascii=True),
                    encoding="utf-8")
