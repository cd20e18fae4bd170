"""``coactivity_pairs``: how much two accounts did the same thing, per behaviour and period.

Grain: one row per (account_a, account_b, behavior, period), ``account_a < account_b``; key the
same. Aggregates ``coactivity_events`` (whose size is bounded by events x max_k, see
``transforms.sweep``): shared_targets (distinct), shared_events (event pairs), first_at / last_at
(earliest / latest event of any of its co-actions), median_lag_s, and
``weight = sum over shared targets of 1 / log2(1 + accounts)`` where accounts is the target's
popularity in the period (``target_popularity``; floor 2, the pair itself), so a viral tweet or a
trending hashtag adds ~0.06 where a target only the two accounts touched adds 1.
"""

from __future__ import annotations

import polars as pl

SCHEMA = {
    "account_a": pl.String,
    "account_b": pl.String,
    "behavior": pl.String,
    "period": pl.Date,
    "shared_targets": pl.Int64,
    "shared_events": pl.Int64,
    "first_at": pl.Datetime("us"),
    "last_at": pl.Datetime("us"),
    "median_lag_s": pl.Float64,
    "weight": pl.Float64,
}

KEYS = ["account_a", "account_b", "behavior", "period"]


def coactivity_pairs(events: pl.LazyFrame, popularity: pl.LazyFrame) -> pl.LazyFrame:
    base = events.group_by(KEYS).agg(
        shared_targets=pl.col("target").n_unique().cast(pl.Int64),
        shared_events=pl.len().cast(pl.Int64),
        first_at=pl.min_horizontal("a_at", "b_at").min(),
        last_at=pl.max_horizontal("a_at", "b_at").max(),
        median_lag_s=pl.col("lag_s").median(),
    )
    accounts = pl.max_horizontal(pl.col("accounts").fill_null(2), pl.lit(2)).cast(pl.Float64)
    weight = (
        events.select(*KEYS, "target")
        .unique()
        .join(popularity.select("behavior", "period", "target", "accounts"),
              on=["behavior", "period", "target"], how="left")
        .group_by(KEYS)
        .agg(weight=(1.0 / (1.0 + accounts).log(2)).sum())
    )
    return base.join(weight, on=KEYS).select(list(SCHEMA)).sort(KEYS)
