"""Shared-operator clusters and persona switches, with evidence (``sockpuppet detect``).

``detect(con, settings)`` reads the co-activity tables, builds the significance-weighted
``account_graph``, clusters it (``operator_clusters``, ``clusters``, ``cluster_evidence``), finds
``persona_switches``, keeps cluster ids stable against the previous run (``detect_runs``,
``cluster_history``) and writes every table in one transaction. Modules are named after the
table they make; this one only wires them and does the I/O.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import duckdb
import polars as pl

from sockpuppet.detect import inputs
from sockpuppet.detect.account_graph import (
    account_graph,
    content_edges,
    pair_period_expectations,
    period_edges,
    support_edges,
)
from sockpuppet.detect.cluster_evidence import cluster_evidence, finish
from sockpuppet.detect.clusters import clusters
from sockpuppet.detect.operator_clusters import membership_strength, operator_clusters
from sockpuppet.detect.persona_switches import persona_switches, switch_candidates
from sockpuppet.detect.stable_ids import assign_ids
from sockpuppet.settings import Settings
from sockpuppet.warehouse import run_script, sql_text, transaction

__all__ = ["DetectResult", "detect", "detect_frames"]

log = logging.getLogger(__name__)

OUTPUT_TABLES = (
    "account_graph", "operator_clusters", "clusters", "cluster_evidence", "persona_switches"
)


class DetectResult(dict):
    """The frames ``detect`` writes, by table name (handy in tests and notebooks)."""


def _parameters(settings: Settings) -> dict[str, Any]:
    return {
        k: v for k, v in settings.model_dump(mode="json").items()
        if k.startswith(("detect_", "switch_")) or k == "period"
    }


def follow_switches(members: pl.DataFrame, switches: pl.DataFrame,
                    edges: pl.DataFrame) -> pl.DataFrame:
    """Put a switched account in the cluster it switched to last (its current persona).

    ``switches``: (account_id, to_cluster, first_to_period), e.g. switch candidates.
    """
    if switches.is_empty():
        return members
    last = switches.sort("first_to_period").group_by("account_id").last().select(
        "account_id", pl.col("to_cluster").alias("moved_to")
    )
    moved = (
        members.join(last, on="account_id", how="full", coalesce=True)
        .with_columns(pl.coalesce("moved_to", "cluster_id").alias("cluster_id"))
        .drop_nulls("cluster_id")
        .select("account_id", "cluster_id")
    )
    strength = membership_strength(edges, moved.rename({"cluster_id": "community"}))
    return (
        moved.join(strength, on="account_id", how="left")
        .with_columns(pl.col("strength").fill_null(0.0))
        .filter(pl.len().over("cluster_id") >= 2)
        .sort("cluster_id", "account_id")
    )


def detect_frames(con: duckdb.DuckDBPyConnection, settings: Settings) -> DetectResult:
    """Compute every detection table (reads only; the history is written by ``write``)."""
    pairs = inputs.read_pairs(con)
    shared = inputs.read_shared(con, pairs, settings.detect_popularity_bounds)
    activity = inputs.activity_or_partners(inputs.read_activity(con), pairs)
    expectations = pair_period_expectations(shared, activity, settings.detect_min_shared)
    content = content_edges(expectations, settings)
    nodes = pl.concat([content["account_a"], content["account_b"]]).unique()
    support = support_edges(inputs.read_traces(con), nodes, settings)
    edges = account_graph(content, support)
    log.info("account graph: %d edges over %d accounts", edges.height, nodes.len())

    # Clusters and switches first under provisional labels: a switched account belongs to the
    # cluster it moved to, and only that final membership is matched to the previous run.
    provisional = operator_clusters(edges, settings).with_columns(
        pl.format("P{}", "cluster").alias("cluster_id")
    )
    candidates = switch_candidates(
        period_edges(expectations, content, settings),
        provisional.select("account_id", "cluster_id"),
        settings,
    )
    final = follow_switches(provisional.select("account_id", "cluster_id", "strength"),
                            candidates, edges)
    previous, last_number, run_id = inputs.read_history(con)
    labels = final.select(
        "account_id", pl.col("cluster_id").str.strip_prefix("P").cast(pl.Int64).alias("cluster")
    )
    ids = assign_ids(labels, previous, min_jaccard=settings.detect_match_min_jaccard,
                     last_number=last_number)
    stable = dict(zip(ids["cluster"].to_list(), ids["cluster_id"].to_list(), strict=True))
    rename = {f"P{k}": v for k, v in stable.items()}
    members = final.with_columns(pl.col("cluster_id").replace_strict(rename)).sort(
        "cluster_id", "account_id"
    )
    candidates = candidates.with_columns(
        pl.col("from_cluster").replace_strict(rename, default=None),
        pl.col("to_cluster").replace_strict(rename, default=None),
    ).drop_nulls(["from_cluster", "to_cluster"])
    if candidates.is_empty():
        switches = persona_switches(candidates, *_no_context())
    else:
        touches, posts, hashtags = inputs.read_switch_context(
            con, candidates["account_id"].unique().sort().to_list(), pairs
        )
        partner = members.select(pl.col("account_id").alias("partner"), "cluster_id")
        touches = touches.join(partner, on="partner").select("account_id", "at", "cluster_id")
        switches = persona_switches(candidates, touches, posts, hashtags)
    statuses = ids.select("cluster_id", "status")

    evidence = cluster_evidence(
        inputs.read_cluster_events(con, members), members, settings.detect_evidence_per_cluster
    )
    evidence = finish(inputs.add_sample_texts(con, evidence))
    entities, clients, releases = inputs.read_member_facts(con, members)
    created = inputs.read_traces(con).select("account_id", "created_on")
    summary = clusters(members, statuses, edges, pairs, entities, clients, releases, created,
                       evidence, settings.detect_client_max_accounts)
    return DetectResult(
        account_graph=edges,
        operator_clusters=members.select("account_id", "cluster_id", "strength"),
        clusters=summary,
        cluster_evidence=evidence,
        persona_switches=switches,
        run_id=run_id,
    )


def _no_context() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return (
        pl.DataFrame(schema={"account_id": pl.String, "at": pl.Datetime("us"),
                             "cluster_id": pl.String}),
        pl.DataFrame(schema={"account_id": pl.String, "posted_at": pl.Datetime("us"),
                             "handle": pl.String, "display_name": pl.String}),
        pl.DataFrame(schema={"account_id": pl.String, "posted_at": pl.Datetime("us"),
                             "value": pl.String}),
    )


def write(con: duckdb.DuckDBPyConnection, result: DetectResult, settings: Settings,
          started_at: dt.datetime) -> None:
    """Replace the output tables and append the run to the history, in one transaction."""
    run_script(con, sql_text("detect/detect_runs"))
    with transaction(con):
        for table in OUTPUT_TABLES:
            run_script(con, sql_text(f"detect/{table}"))
            with inputs.registered(con, detect_frame=result[table]):
                con.execute(f"insert into {table} by name select * from detect_frame")
        members = result["operator_clusters"].select(
            pl.lit(result["run_id"], pl.Int64).alias("run_id"), "cluster_id", "account_id"
        )
        with inputs.registered(con, detect_frame=members):
            con.execute("insert into cluster_history by name select * from detect_frame")
        con.execute(
            "insert into detect_runs values (?, ?, ?, ?, ?)",
            [
                result["run_id"], started_at, json.dumps(_parameters(settings)),
                result["clusters"].height, result["persona_switches"].height,
            ],
        )


def detect(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict:
    """Detect clusters and switches over everything in the warehouse; returns counts."""
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result = detect_frames(con, settings)
    write(con, result, settings, started_at)
    statuses = result["clusters"]["status"].value_counts().rows() if result["clusters"].height \
        else []
    return {
        "run_id": result["run_id"],
        "edges": result["account_graph"].height,
        "clusters": result["clusters"].height,
        "clustered_accounts": result["operator_clusters"].height,
        "evidence": result["cluster_evidence"].height,
        "switches": result["persona_switches"].height,
        "status": {s: int(n) for s, n in statuses},
    }
