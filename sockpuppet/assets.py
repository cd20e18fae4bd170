"""Airflow Assets: one per published warehouse table, shared by every DAG in ``dags/``.

A DAG that writes a table lists its Asset as the writing task's outlet; a DAG that reads it is
scheduled on it, so downstream stages run when (and only when) their inputs change. This module
imports only ``airflow.sdk`` (no DuckDB, polars or pipeline code) so DAG files stay cheap to parse.

URIs read ``duckdb://sockpuppet/<table>``: a scheme Airflow has no normaliser for, so it keeps the
URI as written; the Asset name is the table name.
"""

from __future__ import annotations

from airflow.sdk import Asset

GROUP = "sockpuppet"

# Table names per stage, in the order the contracts (docs/contracts.md) list them.
CORE_TABLES = ("loads", "accounts", "posts", "post_entities", "quarantine")
DERIVED_TABLES = ("account_timeline", "account_profile", "coactivity_pairs")
DETECTION_TABLES = ("operator_clusters", "clusters", "cluster_evidence", "persona_switches")


def table_asset(table: str) -> Asset:
    """Return the Asset of one warehouse table."""
    return Asset(name=table, uri=f"duckdb://sockpuppet/{table}", group=GROUP)


CORE = [table_asset(t) for t in CORE_TABLES]
DERIVED = [table_asset(t) for t in DERIVED_TABLES]
DETECTION = [table_asset(t) for t in DETECTION_TABLES]
# What `publish` writes: the analyst views v_* and the exports and report under settings.out.
FINDINGS = Asset(name="findings", uri="sockpuppet://published/findings", group=GROUP)
