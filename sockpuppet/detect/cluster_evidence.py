"""cluster_evidence: the strongest receipts of each cluster.

Grain: one row per (cluster_id, rank); rank 1 is the strongest. A receipt is one target
(retweeted post, URL, text, hashtag, burst) acted on by several members: behavior, target,
the members who acted (accounts), when (times), the largest lag between them (max_lag_s) and a
sample text. Receipts are ranked by how many members acted, then by how tight the timing was;
behaviours take turns (the best receipt of each behaviour first) so the table shows every kind
of evidence a cluster has.
"""

from __future__ import annotations

import polars as pl

from sockpuppet.detect.schemas import schema

EVIDENCE_SCHEMA = schema({
    "cluster_id": pl.String,
    "rank": pl.Int64,
    "behavior": pl.String,
    "target": pl.String,
    "accounts": pl.List(pl.String),
    "times": pl.List(pl.Datetime("us")),
    "max_lag_s": pl.Float64,
    "sample_text": pl.String,
})


def intra_cluster_events(events: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Co-action rows whose two accounts are in the same cluster, with that cluster_id."""
    ma = members.select(pl.col("account_id").alias("account_a"), "cluster_id")
    mb = members.select(pl.col("account_id").alias("account_b"), pl.col("cluster_id").alias("cb"))
    return (
        events.join(ma, on="account_a")
        .join(mb, on="account_b")
        .filter(pl.col("cluster_id") == pl.col("cb"))
        .drop("cb")
    )


def cluster_evidence(events: pl.DataFrame, members: pl.DataFrame, per_cluster: int) -> pl.DataFrame:
    """Top receipts per cluster from ``coactivity_events`` rows (sample_text left null).

    ``events``: (account_a, account_b, behavior, target, a_at, b_at, lag_s). Two helper columns
    name the receipt's earliest co-action (account_id, at) for ``inputs.add_sample_texts``;
    ``finish`` drops them.
    """
    intra = intra_cluster_events(events, members)
    if intra.is_empty():
        return pl.DataFrame(schema=EVIDENCE_SCHEMA).with_columns(
            pl.lit(None, pl.String).alias("account_id"),
            pl.lit(None, pl.Datetime("us")).alias("at"),
        )
    receipts = (
        intra.group_by("cluster_id", "behavior", "target")
        .agg(
            pl.concat_list("account_a", "account_b")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .unique()
            .sort()
            .alias("accounts"),
            pl.concat_list("a_at", "b_at")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .unique()
            .sort()
            .alias("times"),
            pl.col("lag_s").abs().max().cast(pl.Float64).alias("max_lag_s"),
            # the earliest co-action's first post, for the sample text
            pl.col("account_a").sort_by("a_at").first().alias("account_id"),
            pl.col("a_at").min().alias("at"),
        )
        .with_columns(pl.col("accounts").list.len().alias("n"))
        .sort(["cluster_id", "behavior", "n", "max_lag_s", "target"],
              descending=[False, False, True, False, False])
        .with_columns(pl.int_range(pl.len()).over("cluster_id", "behavior").alias("turn"))
        .sort(["cluster_id", "turn", "n", "max_lag_s", "behavior", "target"],
              descending=[False, False, True, False, False, False])
        .with_columns((pl.int_range(pl.len()).over("cluster_id") + 1).alias("rank"))
        .filter(pl.col("rank") <= per_cluster)
    )
    return (
        receipts.with_columns(pl.lit(None, pl.String).alias("sample_text"))
        .select(*EVIDENCE_SCHEMA, "account_id", "at")
        .cast(EVIDENCE_SCHEMA)
    )


def finish(evidence: pl.DataFrame) -> pl.DataFrame:
    """Keep the table's columns only (drop the sample-text helpers)."""
    return evidence.select(list(EVIDENCE_SCHEMA)).cast(EVIDENCE_SCHEMA)
