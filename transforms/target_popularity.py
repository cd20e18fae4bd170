"""``target_popularity``: how many accounts acted on a target in a period, per behaviour.

Grain: one row per (behavior, period, target) with ``accounts >= 2`` (a target one account
touched cannot be shared, and dropping them keeps the table far smaller than the events);
key (behavior, period, target). Columns: accounts (distinct), events. Counts use the events of the
period itself (the later event of every pair is in it), so a partition computes its own rows.
``coactivity_pairs`` down-weights a shared target by ``1 / log2(1 + accounts)``.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from transforms.periods import period_of

SCHEMA = {
    "behavior": pl.String,
    "period": pl.Date,
    "target": pl.String,
    "accounts": pl.Int64,
    "events": pl.Int64,
}


def target_popularity(
    events: pl.LazyFrame, behavior: str, period: str, keep_from: datetime | None = None
) -> pl.LazyFrame:
    owned = events if keep_from is None else events.filter(pl.col("t") >= keep_from)
    return (
        owned.group_by(period_of(pl.col("t"), period).alias("period"), "target")
        .agg(accounts=pl.col("account_id").n_unique(), events=pl.len())
        .filter(pl.col("accounts") >= 2)
        .select(
            pl.lit(behavior).alias("behavior"),
            "period",
            "target",
            pl.col("accounts").cast(pl.Int64),
            pl.col("events").cast(pl.Int64),
        )
    )
