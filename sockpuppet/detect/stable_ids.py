"""Stable cluster ids across runs, and what happened to each cluster since the previous run.

Grain of the result: one row per current cluster; key cluster (the provisional label), columns
cluster_id ('C0001', ...) and status in {new, persisting, grown, shrunk, merged, split}.

Current clusters are matched one-to-one to the previous run's clusters by member overlap
(Jaccard, Hungarian assignment, pairs below ``min_jaccard`` never match); a matched cluster keeps
its id. Unmatched clusters get the next unused number; ids are never reused, even for clusters
that disappeared several runs ago.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.optimize import linear_sum_assignment

from sockpuppet.detect.schemas import schema

IDS_SCHEMA = schema({"cluster": pl.Int64, "cluster_id": pl.String, "status": pl.String})
# A previous cluster "went into" a current one when this share of its members did.
MERGE_SHARE = 0.5
# A previous cluster split when at least this share of its members went into a second cluster.
SPLIT_SHARE = 0.25


def format_id(number: int) -> str:
    return f"C{number:04d}"


def id_number(cluster_id: str) -> int:
    return int(cluster_id.lstrip("C") or 0)


def assign_ids(
    current: pl.DataFrame,
    previous: pl.DataFrame,
    *,
    min_jaccard: float,
    last_number: int = 0,
) -> pl.DataFrame:
    """Match ``current`` (account_id, cluster) to ``previous`` (cluster_id, account_id).

    ``last_number`` is the highest id number ever issued (so retired ids are not reused).
    """
    sizes = current.group_by("cluster").agg(pl.len().alias("n")).sort("cluster")
    if sizes.is_empty():
        return pl.DataFrame(schema=IDS_SCHEMA)
    prev_sizes = previous.group_by("cluster_id").agg(pl.len().alias("n_prev"))
    overlap = (
        current.join(previous, on="account_id")
        .group_by("cluster", "cluster_id")
        .agg(pl.len().alias("inter"))
        .join(sizes, on="cluster")
        .join(prev_sizes, on="cluster_id")
        .with_columns(
            (pl.col("inter") / (pl.col("n") + pl.col("n_prev") - pl.col("inter"))).alias("jaccard"),
            (pl.col("inter") / pl.col("n_prev")).alias("share_of_prev"),
        )
    )
    cur_labels = sizes["cluster"].to_list()
    prev_labels = sorted(overlap["cluster_id"].unique().to_list())
    matched: dict[int, str] = {}
    if prev_labels:
        ci = {c: i for i, c in enumerate(cur_labels)}
        pi = {p: j for j, p in enumerate(prev_labels)}
        score = np.zeros((len(cur_labels), len(prev_labels)))
        for c, p, j in overlap.select("cluster", "cluster_id", "jaccard").iter_rows():
            if j >= min_jaccard:
                score[ci[c], pi[p]] = j
        rows, cols = linear_sum_assignment(score, maximize=True)
        for r, c in zip(rows, cols, strict=True):
            if score[r, c] > 0:
                matched[cur_labels[r]] = prev_labels[c]

    went_into = overlap.filter((pl.col("share_of_prev") >= MERGE_SHARE) & (pl.col("inter") >= 2))
    merged_into = (
        went_into.group_by("cluster").agg(pl.len().alias("k")).filter(pl.col("k") >= 2)["cluster"]
    )
    parts = overlap.filter((pl.col("share_of_prev") >= SPLIT_SHARE) & (pl.col("inter") >= 2))
    split_prev = set(
        parts.group_by("cluster_id").agg(pl.len().alias("k")).filter(pl.col("k") >= 2)[
            "cluster_id"
        ].to_list()
    )
    split_cur = set(parts.filter(pl.col("cluster_id").is_in(list(split_prev)))["cluster"].to_list())
    merged = set(merged_into.to_list())

    prev_members = {
        k[0]: set(v["account_id"].to_list())
        for k, v in previous.group_by("cluster_id")
    }
    cur_members = {k[0]: set(v["account_id"].to_list()) for k, v in current.group_by("cluster")}

    rows_out = []
    number = last_number
    for label in cur_labels:
        if label in matched:
            cid = matched[label]
            before, now = prev_members[cid], cur_members[label]
            if label in merged:
                status = "merged"
            elif label in split_cur:
                status = "split"
            elif now == before:
                status = "persisting"
            elif len(now) > len(before):
                status = "grown"
            elif len(now) < len(before):
                status = "shrunk"
            else:
                status = "persisting"
        else:
            number += 1
            cid = format_id(number)
            status = "merged" if label in merged else "split" if label in split_cur else "new"
        rows_out.append((label, cid, status))
    return pl.DataFrame(rows_out, schema=IDS_SCHEMA, orient="row")
