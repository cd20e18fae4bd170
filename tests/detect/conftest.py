"""Tiny synthetic inputs in the contracted schemas (coactivity_pairs, account_behavior_counts)."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from sockpuppet.detect.account_graph import shared_by_stratum

P1 = dt.date(2020, 1, 1)
P2 = dt.date(2020, 2, 1)


def pairs_from_incidence(
    rows: list[tuple[str, str, dt.date, str]], bounds: list[int] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(coactivity_pairs, account_behavior_counts, shared_by_stratum) from
    (account, behavior, period, target) rows.

    Every two accounts acting on one target in one period co-act (no time window).
    """
    inc = pl.DataFrame(rows, schema={"account_id": pl.String, "behavior": pl.String,
                                     "period": pl.Date, "target": pl.String}, orient="row").unique()
    activity = inc.group_by("account_id", "behavior", "period").agg(
        pl.col("target").n_unique().cast(pl.Int64).alias("targets"),
        pl.len().cast(pl.Int64).alias("events"),
    )
    left = inc.rename({"account_id": "account_a"})
    right = inc.rename({"account_id": "account_b"})
    pairs = (
        left.join(right, on=["behavior", "period", "target"])
        .filter(pl.col("account_a") < pl.col("account_b"))
        .group_by("account_a", "account_b", "behavior", "period")
        .agg(pl.col("target").n_unique().cast(pl.Int64).alias("shared_targets"))
        .with_columns(
            pl.col("shared_targets").alias("shared_events"),
            pl.col("period").cast(pl.Datetime("us")).alias("first_at"),
            (pl.col("period").cast(pl.Datetime("us")) + pl.duration(days=20)).alias("last_at"),
            pl.lit(60.0).alias("median_lag_s"),
            pl.col("shared_targets").cast(pl.Float64).alias("weight"),
        )
        .sort("account_a", "account_b", "behavior", "period")
    )
    popularity = inc.group_by("behavior", "period", "target").agg(
        pl.col("account_id").n_unique().alias("accounts"))
    counts = (
        left.join(right, on=["behavior", "period", "target"])
        .filter(pl.col("account_a") < pl.col("account_b"))
        .join(popularity, on=["behavior", "period", "target"])
        .group_by("account_a", "account_b", "behavior", "period", "accounts")
        .agg(pl.col("target").n_unique().cast(pl.Int64).alias("shared_targets"))
    )
    bounds = [4, 16, 64, 256] if bounds is None else bounds
    shared = shared_by_stratum(counts, bounds)
    return pairs, activity, shared


def organic_incidence(n: int, per_account: int, universe: int, seed: int,
                      period: dt.date = P1, prefix: str = "o") -> list[tuple]:
    """``n`` organic accounts each retweeting ``per_account`` targets drawn from a Zipf-ish pool."""
    rnd = random.Random(seed)
    weights = [1.0 / (i + 1) for i in range(universe)]
    rows = []
    for i in range(n):
        for t in rnd.choices(range(universe), weights=weights, k=per_account):
            rows.append((f"{prefix}{i:03d}", "co_retweet", period, f"tw:{t}"))
    return rows


def team_incidence(members: list[str], targets: int, seed: int, period: dt.date = P1,
                   behavior: str = "co_retweet", participation: float = 0.8,
                   tag: str = "team") -> list[tuple]:
    """A team acting together on ``targets`` rare targets (each member takes part at random)."""
    rnd = random.Random(seed)
    rows = []
    for t in range(targets):
        for m in members:
            if rnd.random() < participation:
                rows.append((m, behavior, period, f"{tag}:{period}:{t}"))
    return rows




def events_from_incidence(
    rows: list[tuple[str, str, dt.date, str]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(coactivity_events, target_popularity) in the contracted schemas: one co-action per pair
    and shared target, both at noon on the 10th of the period, b one minute later."""
    inc = pl.DataFrame(rows, schema={"account_id": pl.String, "behavior": pl.String,
                                     "period": pl.Date, "target": pl.String}, orient="row").unique()
    at = (pl.col("period").cast(pl.Datetime("us")) + pl.duration(days=9, hours=12))
    events = (
        inc.rename({"account_id": "account_a"})
        .join(inc.rename({"account_id": "account_b"}), on=["behavior", "period", "target"])
        .filter(pl.col("account_a") < pl.col("account_b"))
        .with_columns(at.alias("a_at"), (at + pl.duration(minutes=1)).alias("b_at"),
                      pl.lit(60.0).alias("lag_s"))
        .with_columns(
            pl.format("{}-{}-{}", "account_a", "target", "period").alias("a_post_id"),
            pl.format("{}-{}-{}", "account_b", "target", "period").alias("b_post_id"),
        )
        .select("account_a", "account_b", "behavior", "period", "target", "a_at", "b_at",
                "lag_s", "a_post_id", "b_post_id")
    )
    popularity = inc.group_by("behavior", "period", "target").agg(
        pl.col("account_id").n_unique().cast(pl.Int64).alias("accounts"),
        pl.len().cast(pl.Int64).alias("events"),
    ).filter(pl.col("accounts") >= 2)
    return events, popularity
