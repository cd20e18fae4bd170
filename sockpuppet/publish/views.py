"""Analyst views ``v_*`` (DDL in ``sql/views/``): the only things exports and the report read.

Views are bound when created, so a view over a table that does not exist yet cannot be made.
Rather than creating empty placeholder tables (which would put tables owned by build and
detect into the warehouse with a schema they did not choose), a view whose tables are
missing is skipped, any stale copy of it is dropped, and the reason goes into the manifest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import duckdb

from sockpuppet.warehouse import fetch_all, run_script, sql_text

log = logging.getLogger(__name__)

# In creation order (later views read earlier ones), each with the tables it needs.
CORE = ("loads", "accounts", "posts", "post_entities", "quarantine")
VIEWS: dict[str, tuple[str, ...]] = {
    "v_loads": CORE,
    "v_accounts": CORE,
    "v_account_timeline": CORE,
    "v_coactivity": ("coactivity_pairs",),
    "v_cluster_members": ("operator_clusters",),
    "v_clusters": ("clusters", "operator_clusters"),
    "v_cluster_evidence": ("cluster_evidence",),
    "v_persona_switches": ("persona_switches",),
    "v_detect_runs": ("detect_runs",),
}
# Views a view reads (besides tables): skipped when one of them is skipped.
VIEW_DEPENDS: dict[str, tuple[str, ...]] = {
    "v_account_timeline": ("v_accounts",),
    "v_coactivity": ("v_accounts",),
    "v_cluster_members": ("v_accounts",),
    "v_clusters": ("v_cluster_members",),
    "v_cluster_evidence": ("v_accounts",),
    "v_persona_switches": ("v_accounts",),
}


@dataclass
class ViewStatus:
    """Which views exist after :func:`create_views`, and why the others do not."""

    created: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.created


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = fetch_all(
        con,
        "select table_name from information_schema.tables "
        "where table_schema = current_schema() and table_type = 'BASE TABLE'",
    )
    return {name for (name,) in rows}


def create_views(con: duckdb.DuckDBPyConnection) -> ViewStatus:
    """Create or replace every ``v_*`` view whose inputs exist; report the rest.

    A view whose SQL fails to bind (a table that drifted from docs/contracts.md) is skipped
    with the error as its reason: one broken upstream table should not stop the others.
    """
    tables = existing_tables(con)
    status = ViewStatus()
    for view, needs in VIEWS.items():
        missing = [t for t in needs if t not in tables]
        missing += [v for v in VIEW_DEPENDS.get(view, ()) if v not in status]
        if missing:
            status.skipped[view] = "missing: " + ", ".join(missing)
        else:
            try:
                run_script(con, f"create or replace view {view} as\n" + sql_text(f"views/{view}"))
                status.created.append(view)
                continue
            except duckdb.Error as exc:
                status.skipped[view] = f"error: {exc}".splitlines()[0]
                log.warning("view %s not created: %s", view, exc)
        con.execute(f"drop view if exists {view}")  # never leave a stale view behind
    return status
